import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DemoPromql, PromqlError, SUPPORTED_PROMQL, type Value } from './promqlEval.js';
import type { DemoMetricsWorld } from './metricsWorld.js';
import { DEMO_RULE_GROUP, type DemoAlertRules } from '../alerts/alertRules.js';

// The demo's Prometheus-compatible endpoint: /api/v1/query, /api/v1/query_range and
// /api/v1/series (GET or form POST) over the synthetic series, and /api/v1/alerts and
// /api/v1/rules from the demo's alerting rules, answering with the same JSON envelope and
// error types as Prometheus. Loopback only, plain HTTP, no auth (like the
// demo's Kubernetes API). `setFault` lets tests make it slow or failing.

export interface DemoPrometheusOptions {
  world: DemoMetricsWorld;
  /** The alerting rules behind /api/v1/alerts and /api/v1/rules (none: empty answers). */
  alerts?: DemoAlertRules;
  /** Only loopback: the demo is never reachable from elsewhere. */
  host?: '127.0.0.1';
  port?: number;
  log?: (line: string) => void;
}

export type DemoPrometheusFault = { kind: 'delay'; ms: number } | { kind: 'status'; status: number; body?: string } | { kind: 'error'; errorType: string; error: string; status: number };

export interface DemoPrometheus {
  url: string;
  port: number;
  /** Requests answered since start, by API path (the bench counts queries per refresh). */
  readonly requests: Map<string, number>;
  setFault(fault: DemoPrometheusFault | undefined): void;
  close(): Promise<void>;
}

const MAX_POINTS = 11_000;
const MAX_BODY = 1024 * 1024;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function fail(res: http.ServerResponse, status: number, errorType: string, error: string): void {
  send(res, status, { status: 'error', errorType, error });
}

function sampleText(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** RFC 3339 or unix seconds, as Prometheus accepts. */
function parseTime(v: string | null, name: string, dflt?: number): number {
  if (v === null || v === '') {
    if (dflt !== undefined) return dflt;
    throw new PromqlError(`invalid parameter "${name}": missing`);
  }
  const n = Number(v);
  if (Number.isFinite(n)) return n;
  const ms = Date.parse(v);
  if (Number.isFinite(ms)) return ms / 1000;
  throw new PromqlError(`invalid parameter "${name}": cannot parse "${v}" to a valid timestamp`);
}

function parseStep(v: string | null): number {
  if (v === null) throw new PromqlError('invalid parameter "step": missing');
  const n = Number(v);
  if (Number.isFinite(n)) return n;
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(v);
  if (!m) throw new PromqlError(`invalid parameter "step": cannot parse "${v}" to a valid duration`);
  return Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]];
}

function matrix(v: Value, times: Float64Array): unknown {
  if (v.type === 'string') throw new PromqlError('invalid expression type "string" for range query, must be Scalar or instant Vector');
  const series = v.type === 'scalar' ? [{ labels: {}, values: v.values }] : v.series;
  return {
    resultType: 'matrix',
    result: series
      .map((s) => ({ metric: s.labels, values: Array.from(s.values, (x, i) => [times[i], sampleText(x)] as [number, string]).filter((p, i) => !Number.isNaN(s.values[i])) }))
      .filter((s) => s.values.length > 0)
      .sort((a, b) => JSON.stringify(a.metric).localeCompare(JSON.stringify(b.metric))),
  };
}

function instant(v: Value, t: number): unknown {
  switch (v.type) {
    case 'scalar':
      return { resultType: 'scalar', result: [t, sampleText(v.values[0])] };
    case 'string':
      return { resultType: 'string', result: [t, v.value] };
    case 'vector':
      return { resultType: 'vector', result: v.series.filter((s) => !Number.isNaN(s.values[0])).map((s) => ({ metric: s.labels, value: [t, sampleText(s.values[0])] })) };
  }
}

/** An alert as /api/v1/alerts and /api/v1/rules show it. */
function promAlert(a: { labels: Record<string, string>; annotations: Record<string, string>; state: string; activeAt: number }) {
  return { labels: a.labels, annotations: a.annotations, state: a.state, activeAt: new Date(a.activeAt).toISOString(), value: '1e+00' };
}

async function readParams(req: http.IncomingMessage, url: URL): Promise<URLSearchParams> {
  const params = new URLSearchParams(url.search);
  if (req.method !== 'POST') return params;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new PromqlError('request body too large');
    chunks.push(c as Buffer);
  }
  for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params.append(k, v);
  return params;
}

export async function startDemoPrometheus(opts: DemoPrometheusOptions): Promise<DemoPrometheus> {
  const rules = opts.alerts;
  // ALERTS{alertname, alertstate="firing", ...}: 1 while each alert fired (pending ones are not kept).
  const engine = new DemoPromql(opts.world, rules && ((from, to) => rules.firings(from * 1000, to * 1000).map((i) => ({ labels: { __name__: 'ALERTS', alertstate: 'firing', ...i.labels }, kind: 'gauge' as const, start: i.firedAt / 1000, end: (i.resolvedAt ?? Infinity) / 1000, fn: (t: number) => (t >= i.firedAt / 1000 && t <= (i.resolvedAt ?? Infinity) / 1000 ? 1 : Number.NaN) }))));
  const requests = new Map<string, number>();
  let fault: DemoPrometheusFault | undefined;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://demo');
    requests.set(url.pathname, (requests.get(url.pathname) ?? 0) + 1);
    if (url.pathname === '/-/ready' || url.pathname === '/-/healthy') {
      res.writeHead(200).end('Demo Prometheus is Ready.\n');
      return;
    }
    if (!url.pathname.startsWith('/api/v1/')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault && fault.kind === 'delay' ? fault.ms : 0));
    else if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'Content-Type': 'text/plain' }).end(fault.body ?? `${fault.status}\n`);
      return;
    } else if (fault?.kind === 'error') return fail(res, fault.status, fault.errorType, fault.error);
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.writeHead(405, { Allow: 'GET, POST' }).end();
      return;
    }
    try {
      const p = await readParams(req, url);
      const now = Date.now() / 1000;
      switch (url.pathname) {
        case '/api/v1/query': {
          const query = p.get('query');
          if (!query) throw new PromqlError('invalid parameter "query": missing');
          const t = parseTime(p.get('time'), 'time', now);
          return send(res, 200, { status: 'success', data: instant(engine.evaluate(query, { times: Float64Array.of(t) }), t) });
        }
        case '/api/v1/query_range': {
          const query = p.get('query');
          if (!query) throw new PromqlError('invalid parameter "query": missing');
          const start = parseTime(p.get('start'), 'start');
          const end = parseTime(p.get('end'), 'end');
          const step = parseStep(p.get('step'));
          if (end < start) throw new PromqlError('invalid parameter "end": end timestamp must not be before start time');
          if (step <= 0) throw new PromqlError('invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer');
          if ((end - start) / step > MAX_POINTS) throw new PromqlError('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
          const n = Math.floor((end - start) / step) + 1;
          const times = Float64Array.from({ length: n }, (_, i) => start + i * step);
          return send(res, 200, { status: 'success', data: matrix(engine.evaluate(query, { times }), times) });
        }
        case '/api/v1/series': {
          const match = p.getAll('match[]');
          if (!match.length) throw new PromqlError('no match[] parameter provided');
          const start = parseTime(p.get('start'), 'start', now - 300);
          const end = parseTime(p.get('end'), 'end', now);
          return send(res, 200, { status: 'success', data: engine.series(match, start, end) });
        }
        case '/api/v1/alerts':
          return send(res, 200, { status: 'success', data: { alerts: (opts.alerts?.alerts() ?? []).map(promAlert) } });
        case '/api/v1/rules': {
          const type = p.get('type');
          if (type !== null && type !== 'alert' && type !== 'record') throw new PromqlError(`invalid parameter "type": not supported value "${type}"`);
          const rules = type === 'record' ? [] : (opts.alerts?.rules() ?? []);
          const lastEvaluation = new Date(rules[0]?.lastEvaluation ?? Date.now()).toISOString();
          const group = {
            name: DEMO_RULE_GROUP,
            file: '/etc/prometheus/rules/warroom-demo.yaml',
            rules: rules.map((r) => ({
              state: r.state,
              name: r.name,
              query: r.query,
              duration: r.forSeconds,
              keepFiringFor: 0,
              labels: r.labels,
              annotations: r.annotations,
              alerts: r.alerts.map(promAlert),
              health: 'ok',
              evaluationTime: 0.0004,
              lastEvaluation,
              type: 'alerting',
            })),
            interval: 30,
            limit: 0,
            evaluationTime: 0.002,
            lastEvaluation,
          };
          return send(res, 200, { status: 'success', data: { groups: rules.length ? [group] : [] } });
        }
        case '/api/v1/status/buildinfo':
          return send(res, 200, { status: 'success', data: { version: 'warroom-demo', revision: '', branch: '', goVersion: '' } });
        case '/api/v1/demo/supported':
          return send(res, 200, { status: 'success', data: { supported: SUPPORTED_PROMQL } });
        default:
          return fail(res, 404, 'not_found', `unknown API endpoint ${url.pathname}`);
      }
    } catch (err) {
      if (err instanceof PromqlError) return fail(res, err.errorType === 'bad_data' ? 400 : 422, err.errorType, err.message);
      opts.log?.(`metrics endpoint: ${(err as Error).stack ?? String(err)}`);
      return fail(res, 422, 'execution', `internal error in the demo Prometheus: ${(err as Error).message}`);
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) fail(res, 500, 'internal', String(err));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setFault: (f) => {
      fault = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
