import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoAlert, DemoAlertRules } from './alertRules.js';

// The demo's Alertmanager: API v2 as prometheus/alertmanager's api/v2/openapi.yaml describes it,
// on its own loopback port, fed with the firing alerts of the demo's rules (as Prometheus would
// send them). Silences are kept in memory and silence the alerts they match; an inhibit rule
// mutes a Deployment's replicas mismatch while one of its system's pods crash-loops; alerts
// are routed and grouped by a small route tree:
//
//   GET  /api/v2/alerts[?filter=…&active=&silenced=&inhibited=]    gettableAlert[]
//   GET  /api/v2/alerts/groups[?filter=…]                           alertGroup[]
//   GET  /api/v2/silences[?filter=…]                                gettableSilence[]
//   POST /api/v2/silences                                           {silenceID}  (create, or update with id)
//   GET  /api/v2/silence/{id}, DELETE /api/v2/silence/{id}           (DELETE expires it, as Alertmanager does)
//   GET  /api/v2/status, /api/v2/receivers, /-/ready, /-/healthy
//
// Errors are a JSON string body, as Alertmanager's go-swagger handlers answer them. Loopback only,
// no auth (like the demo's other endpoints).

interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

interface StoredSilence {
  id: string;
  matchers: Matcher[];
  startsAt: number;
  endsAt: number;
  updatedAt: number;
  createdBy: string;
  comment: string;
}

interface Route {
  receiver: string;
  groupBy: string[];
  matchers: Matcher[];
}

const eq = (name: string, value: string): Matcher => ({ name, value, isRegex: false, isEqual: true });

/** First match wins; the last route is the root's default. */
const ROUTES: Route[] = [
  { receiver: 'null', groupBy: [], matchers: [eq('alertname', 'Watchdog')] },
  { receiver: 'pager', groupBy: ['namespace', 'alertname'], matchers: [eq('severity', 'critical')] },
  { receiver: 'team-slack', groupBy: ['namespace'], matchers: [] },
];

const INHIBIT = {
  source: [eq('alertname', 'KubePodCrashLooping')],
  target: [{ name: 'alertname', value: 'KubeDeploymentReplicasMismatch|KubeStatefulSetReplicasMismatch', isRegex: true, isEqual: true }],
  equal: ['namespace'],
};

const CONFIG_TEXT = `global:
  resolve_timeout: 5m
route:
  receiver: team-slack
  group_by: [namespace]
  routes:
  - matchers: [alertname="Watchdog"]
    receiver: "null"
  - matchers: [severity="critical"]
    receiver: pager
    group_by: [namespace, alertname]
inhibit_rules:
- source_matchers: [alertname="KubePodCrashLooping"]
  target_matchers: [alertname=~"KubeDeploymentReplicasMismatch|KubeStatefulSetReplicasMismatch"]
  equal: [namespace]
receivers:
- name: "null"
- name: pager
- name: team-slack
`;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_BODY = 1024 * 1024;
/** How long an alert stays without a new evaluation (Prometheus sends endsAt = 4 × resend interval). */
const RESEND_MS = 60_000;

class BadRequest extends Error {}

function matches(m: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[m.name] ?? '';
  let hit: boolean;
  if (m.isRegex) {
    try {
      hit = new RegExp(`^(?:${m.value})$`).test(value);
    } catch {
      hit = false;
    }
  } else hit = value === m.value;
  return hit === m.isEqual;
}

const matchAll = (ms: readonly Matcher[], labels: Readonly<Record<string, string>>) => ms.every((m) => matches(m, labels));

/** A `filter` parameter: `name="value"`, `name=~"re"`, `name!="v"`, `name!~"re"` (quotes optional). */
export function parseMatcher(text: string): Matcher {
  const m = /^\s*\{?\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*\}?\s*$/.exec(text);
  if (!m) throw new BadRequest(`bad matcher format: ${text}`);
  let value = m[3];
  if (value.startsWith('"')) {
    if (!value.endsWith('"') || value.length < 2) throw new BadRequest(`bad matcher format: ${text}`);
    value = value.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  const isRegex = m[2].endsWith('~');
  if (isRegex) {
    try {
      new RegExp(value);
    } catch {
      throw new BadRequest(`bad matcher format: ${text}`);
    }
  }
  return { name: m[1], value, isRegex, isEqual: m[2][0] === '=' };
}

function silenceState(s: StoredSilence, now: number): 'active' | 'pending' | 'expired' {
  if (s.endsAt <= now) return 'expired';
  return s.startsAt > now ? 'pending' : 'active';
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export interface DemoAlertmanagerOptions {
  rules: DemoAlertRules;
  /** Where alerts link back to (the demo Prometheus' URL). */
  prometheusUrl?: string;
  port?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export interface DemoAlertmanager {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startDemoAlertmanager(opts: DemoAlertmanagerOptions): Promise<DemoAlertmanager> {
  const now = opts.now ?? Date.now;
  const started = now();
  const silences = new Map<string, StoredSilence>();
  // A little history: a deploy window that ended, a maintenance window still to come.
  const seed = (s: Omit<StoredSilence, 'id' | 'updatedAt'>) => {
    const id = randomUUID();
    silences.set(id, { ...s, id, updatedAt: Math.min(s.startsAt, started) });
  };
  seed({ matchers: [eq('namespace', 'payment')], startsAt: started - 5 * 3600_000, endsAt: started - 2 * 3600_000, createdBy: 'marta@jump-2', comment: 'payment deploy window (CHG-2231)' });
  seed({ matchers: [eq('namespace', 'logistics'), eq('severity', 'warning')], startsAt: started + 3 * 3600_000, endsAt: started + 5 * 3600_000, createdBy: 'oncall@jump-1', comment: 'logistics database maintenance tonight (CHG-2240)' });

  const routeOf = (labels: Record<string, string>) => ROUTES.find((r) => matchAll(r.matchers, labels))!;

  /** The firing alerts as Alertmanager holds them: status from the silences and the inhibit rule. */
  const gettable = () => {
    const t = now();
    const firing = opts.rules.alerts().filter((a) => a.state === 'firing');
    const sources = firing.filter((a) => matchAll(INHIBIT.source, a.labels));
    return firing.map((a) => {
      const silencedBy = [...silences.values()].filter((s) => silenceState(s, t) === 'active' && matchAll(s.matchers, a.labels)).map((s) => s.id);
      const inhibitedBy = matchAll(INHIBIT.target, a.labels)
        ? sources.filter((s) => s !== a && INHIBIT.equal.every((k) => (s.labels[k] ?? '') === (a.labels[k] ?? ''))).map((s) => s.fingerprint)
        : [];
      return { alert: a, body: alertBody(a, t, silencedBy, inhibitedBy) };
    });
  };

  const alertBody = (a: DemoAlert, t: number, silencedBy: string[], inhibitedBy: string[]) => ({
    annotations: a.annotations,
    endsAt: iso(t + 4 * RESEND_MS),
    fingerprint: a.fingerprint,
    receivers: [{ name: routeOf(a.labels).receiver }],
    startsAt: iso(a.firedAt ?? a.activeAt),
    status: { inhibitedBy, silencedBy, mutedBy: [], state: silencedBy.length || inhibitedBy.length ? 'suppressed' : 'active' },
    updatedAt: iso(t),
    generatorURL: `${opts.prometheusUrl ?? 'http://127.0.0.1:9090'}/graph?g0.expr=${encodeURIComponent(`ALERTS{alertname="${a.labels.alertname}"}`)}&g0.tab=1`,
    labels: a.labels,
  });

  /** The alerts the request asks for: its filter matchers and the active / silenced / inhibited switches. */
  const selected = (url: URL) => {
    const filter = url.searchParams.getAll('filter').map(parseMatcher);
    const flag = (name: string) => url.searchParams.get(name) !== 'false';
    return gettable().filter(({ alert, body }) => {
      if (!matchAll(filter, alert.labels)) return false;
      const silenced = body.status.silencedBy.length > 0;
      const inhibited = body.status.inhibitedBy.length > 0;
      if (!silenced && !inhibited) return flag('active');
      return (!silenced || flag('silenced')) && (!inhibited || flag('inhibited'));
    });
  };

  const silenceBody = (s: StoredSilence) => ({
    id: s.id,
    status: { state: silenceState(s, now()) },
    updatedAt: iso(s.updatedAt),
    comment: s.comment,
    createdBy: s.createdBy,
    endsAt: iso(s.endsAt),
    matchers: s.matchers,
    startsAt: iso(s.startsAt),
  });

  const postSilence = (body: unknown): string => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('parsing silence body from "" failed, because json: cannot unmarshal into models.PostableSilence');
    const b = body as Record<string, unknown>;
    for (const field of ['comment', 'createdBy', 'endsAt', 'matchers', 'startsAt']) if (b[field] === undefined) throw new BadRequest(`${field} in body is required`);
    if (!Array.isArray(b.matchers) || b.matchers.length === 0) throw new BadRequest('matchers in body should have at least 1 items');
    const matchers = b.matchers.map((m: unknown, i): Matcher => {
      const x = (m ?? {}) as Record<string, unknown>;
      if (typeof x.name !== 'string' || typeof x.value !== 'string' || typeof x.isRegex !== 'boolean') throw new BadRequest(`matchers.${i}: name, value and isRegex in body are required`);
      if (!LABEL_NAME.test(x.name)) throw new BadRequest(`failed to convert API silence to internal silence: invalid label name "${x.name}"`);
      if (x.isRegex) {
        try {
          new RegExp(x.value);
        } catch {
          throw new BadRequest(`failed to convert API silence to internal silence: invalid regular expression "${x.value}"`);
        }
      }
      return { name: x.name, value: x.value, isRegex: x.isRegex, isEqual: x.isEqual !== false };
    });
    const startsAt = Date.parse(String(b.startsAt));
    const endsAt = Date.parse(String(b.endsAt));
    if (!Number.isFinite(startsAt) || !Number.isFinite(endsAt)) throw new BadRequest('startsAt and endsAt in body must be of type date-time');
    if (startsAt >= endsAt) throw new BadRequest('Failed to create silence: start time must be before end time');
    const t = now();
    if (endsAt < t) throw new BadRequest("Failed to create silence: end time can't be in the past");
    if (matchers.every((m) => matches(m, {}))) throw new BadRequest('invalid silence: at least one matcher must not match the empty string');
    const next: StoredSilence = { id: randomUUID(), matchers, startsAt: Math.max(startsAt, t), endsAt, updatedAt: t, createdBy: String(b.createdBy), comment: String(b.comment) };
    if (typeof b.id === 'string' && b.id !== '') {
      const prev = silences.get(b.id);
      if (!prev) throw Object.assign(new BadRequest(`not found: silence ${b.id}`), { status: 404 });
      // The same matchers and an unchanged start update it in place; anything else expires it and starts a new one.
      const same = JSON.stringify(prev.matchers) === JSON.stringify(matchers) && silenceState(prev, t) !== 'expired';
      if (same) {
        silences.set(prev.id, { ...next, id: prev.id, startsAt: silenceState(prev, t) === 'active' ? prev.startsAt : next.startsAt });
        return prev.id;
      }
      if (silenceState(prev, t) !== 'expired') silences.set(prev.id, { ...prev, endsAt: t, startsAt: Math.min(prev.startsAt, t), updatedAt: t });
    }
    silences.set(next.id, next);
    return next.id;
  };

  const expire = (id: string): boolean => {
    const s = silences.get(id);
    if (!s) return false;
    const t = now();
    const state = silenceState(s, t);
    // Idempotent, as Alertmanager ≥ 0.27: an expired silence stays as it is.
    if (state === 'active') silences.set(id, { ...s, endsAt: t, updatedAt: t });
    if (state === 'pending') silences.set(id, { ...s, startsAt: t, endsAt: t, updatedAt: t });
    return true;
  };

  const send = (res: http.ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) {
      res.writeHead(status, { 'Content-Length': 0 }).end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };

  const readBody = async (req: http.IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY) throw new BadRequest('request body too large');
      chunks.push(c as Buffer);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new BadRequest('parsing silence body from "" failed, because invalid character in JSON');
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    if (path === '/-/ready' || path === '/-/healthy') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
      return;
    }
    const silenceId = /^\/api\/v2\/silence\/([^/]+)$/.exec(path)?.[1];
    if (silenceId !== undefined) {
      const id = decodeURIComponent(silenceId);
      if (method === 'GET') {
        const s = silences.get(id);
        return s ? send(res, 200, silenceBody(s)) : send(res, 404);
      }
      if (method === 'DELETE') return expire(id) ? send(res, 200) : send(res, 404);
      return send(res, 405, `method ${method} is not allowed`);
    }
    switch (`${method} ${path}`) {
      case 'GET /api/v2/alerts':
        return send(res, 200, selected(url).map((x) => x.body));
      case 'GET /api/v2/alerts/groups': {
        const groups = new Map<string, { labels: Record<string, string>; receiver: { name: string }; alerts: unknown[] }>();
        for (const { alert, body } of selected(url)) {
          const route = routeOf(alert.labels);
          const labels: Record<string, string> = {};
          for (const k of route.groupBy) if (alert.labels[k] !== undefined) labels[k] = alert.labels[k];
          const key = `${route.receiver}|${JSON.stringify(labels)}`;
          let g = groups.get(key);
          if (!g) groups.set(key, (g = { labels, receiver: { name: route.receiver }, alerts: [] }));
          g.alerts.push(body);
        }
        return send(res, 200, [...groups.values()]);
      }
      case 'GET /api/v2/silences': {
        const filter = url.searchParams.getAll('filter').map(parseMatcher);
        // A silence matches a filter when its own matchers carry those name/value pairs (Alertmanager's rule).
        const listed = [...silences.values()].filter((s) => filter.every((f) => s.matchers.some((m) => m.name === f.name && matches(f, { [m.name]: m.value }))));
        return send(res, 200, listed.map(silenceBody));
      }
      case 'POST /api/v2/silences':
        return send(res, 200, { silenceID: postSilence(await readBody(req)) });
      case 'GET /api/v2/status':
        return send(res, 200, {
          cluster: { status: 'disabled', peers: [] },
          versionInfo: { version: 'warroom-demo', revision: '', branch: '', buildUser: '', buildDate: '', goVersion: '' },
          config: { original: CONFIG_TEXT },
          uptime: iso(started),
        });
      case 'GET /api/v2/receivers':
        return send(res, 200, ROUTES.map((r) => ({ name: r.receiver })));
      default:
        return send(res, 404, `path ${path} was not found`);
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return;
      if (err instanceof BadRequest) return send(res, (err as BadRequest & { status?: number }).status ?? 400, err.message);
      opts.log?.(`alertmanager endpoint: ${(err as Error).stack ?? String(err)}`);
      send(res, 500, String(err));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
