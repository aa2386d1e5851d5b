import type { ServerResponse } from 'node:http';
import { errors } from '../apiErrors.js';
import { DEFAULT_GENERATOR, generateLines, newestLines, type GeneratorOptions } from './lineGenerator.js';
import type { DemoLogPod } from './podView.js';

// GET /api/v1/namespaces/{ns}/pods/{name}/log for the demo's API server: the same lines the
// demo's Elasticsearch holds (lineGenerator.ts), with the kubelet's parameters: container,
// follow, timestamps (RFC 3339 with nanoseconds), sinceSeconds, sinceTime (second
// precision), tailLines, limitBytes, previous. A multi-line message is several lines, as a
// container's stdout would be.

export interface PodLogOptions {
  /** Re-reads the pod while following: undefined once it is gone or replaced. */
  current(): DemoLogPod | undefined;
  generator?: GeneratorOptions;
  /** How often a follow stream writes new lines (default 250 ms). */
  tickMs?: number;
  /** History the kubelet still has (default 1 h). */
  retentionMs?: number;
}

function parseBool(v: string | null): boolean {
  return v !== null && /^(1|t|true)$/i.test(v);
}

/** RFC 3339 with nine fractional digits, as the kubelet writes them. */
export function kubeletTimestamp(ts: number, seq: number): string {
  const iso = new Date(ts).toISOString(); // ...sss Z
  return `${iso.slice(0, 23)}${String(seq).padStart(6, '0')}Z`;
}

export function servePodLog(res: ServerResponse, pod: DemoLogPod, q: URLSearchParams, opts: PodLogOptions): void {
  const containers = pod.containers;
  const container = q.get('container') ?? (containers.length === 1 ? containers[0] : undefined);
  if (!container) throw errors.badRequest(`a container name must be specified for pod ${pod.name}, choose one of: [${containers.join(' ')}]`);
  if (!containers.includes(container)) throw errors.badRequest(`container ${container} is not valid for pod ${pod.name}`);
  const previous = parseBool(q.get('previous'));
  const gen = opts.generator ?? DEFAULT_GENERATOR;
  const now = Date.now();
  let lifetime: [number, number];
  if (previous) {
    if (container !== containers[0] || pod.lastStartedAt === undefined || pod.lastTerminatedAt === undefined) {
      throw errors.badRequest(`previous terminated container "${container}" in pod "${pod.name}" not found`);
    }
    lifetime = [pod.lastStartedAt, pod.lastTerminatedAt];
  } else {
    if (pod.runningSince === undefined) throw errors.badRequest(`container "${container}" in pod "${pod.name}" is waiting to start: ContainerCreating`);
    lifetime = [pod.runningSince, Number.POSITIVE_INFINITY];
  }
  const timestamps = parseBool(q.get('timestamps'));
  let from = Math.max(lifetime[0], now - (opts.retentionMs ?? 3_600_000));
  const sinceSeconds = q.get('sinceSeconds');
  const sinceTime = q.get('sinceTime');
  if (sinceSeconds !== null) {
    if (!/^\d+$/.test(sinceSeconds) || Number(sinceSeconds) < 1) throw errors.badRequest('sinceSeconds: Invalid value: must be greater than 0');
    from = Math.max(from, now - Number(sinceSeconds) * 1000);
  }
  if (sinceTime !== null) {
    const t = Date.parse(sinceTime);
    if (!Number.isFinite(t)) throw errors.badRequest(`sinceTime: Invalid value: "${sinceTime}": parsing time "${sinceTime}" as RFC3339 failed`);
    from = Math.max(from, Math.floor(t / 1000) * 1000);
  }
  const tail = q.get('tailLines');
  const limitBytes = q.get('limitBytes');
  // Each physical line of a multi-line message gets its own sub-millisecond timestamp, in order.
  const render = (ts: number, seq: number, message: string): string =>
    `${message
      .split('\n')
      .map((l, i) => (timestamps ? `${kubeletTimestamp(ts, seq * 100 + i)} ${l}` : l))
      .join('\n')}\n`;
  const until = Math.min(now, lifetime[1]);
  // With tailLines only the newest lines are generated (looking back in growing windows):
  // a console opening the logs of a hundred pods asks for a few lines of each.
  const tailCount = tail !== null && /^\d+$/.test(tail) ? Number(tail) : undefined;
  const generated = tailCount !== undefined ? newestLines(pod, container, from, until, tailCount, gen, lifetime) : generateLines(pod, container, from, until, gen, lifetime);
  // A container that crashed says why as it goes, however short its run was.
  if (previous && lifetime[1] >= from) {
    generated.push({ ts: lifetime[1], seq: 0, level: 'ERROR', message: `ERROR ${pod.name} - fatal: unhandled exception in main thread, exiting with status 1` });
    if (tailCount !== undefined) generated.splice(0, Math.max(0, generated.length - tailCount));
  }
  let body = generated.map((l) => render(l.ts, l.seq, l.message)).join('');
  if (limitBytes !== null && /^\d+$/.test(limitBytes)) body = Buffer.from(body).subarray(0, Number(limitBytes)).toString('utf8');
  if (!parseBool(q.get('follow')) || previous) {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.write(body);
  let last = until;
  const timer = setInterval(() => {
    const cur = opts.current();
    if (!cur || cur.uid !== pod.uid || cur.runningSince !== pod.runningSince) {
      clearInterval(timer);
      res.end();
      return;
    }
    const t = Date.now();
    const fresh = generateLines(pod, container, last, t, gen, lifetime);
    last = t;
    if (fresh.length) res.write(fresh.map((l) => render(l.ts, l.seq, l.message)).join(''));
  }, opts.tickMs ?? 250);
  res.on('close', () => clearInterval(timer));
}
