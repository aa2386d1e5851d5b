import { Rng } from '../rng.js';
import type { DemoLogPod } from './podView.js';

// Deterministic, realistic container output: the same pod, container and moment always give
// the same lines, so the Elasticsearch store and the Kubernetes log API agree line for line
// and a restart of the demo shows the same history. Mostly request logs; some applications
// log JSON; now and then a multi-line Java stack trace; each application has bursts of
// errors (several lines sharing one millisecond) every few minutes.

export interface GeneratedLine {
  ts: number;
  /** Order among lines sharing `ts` in this container. */
  seq: number;
  level: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
  message: string;
}

export interface GeneratorOptions {
  /** Average time between lines of one container outside bursts. */
  periodMs: number;
  /** How much denser a burst is. */
  burstFactor: number;
}

export const DEFAULT_GENERATOR: GeneratorOptions = { periodMs: 4000, burstFactor: 10 };

const BURST_WINDOW_MS = 5 * 60_000;
const BURST_LENGTH_MS = 40_000;

export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function appOf(pod: DemoLogPod): string {
  return pod.deployment ?? pod.statefulSet ?? pod.name;
}

/** [start, end) of the error burst of the application's window containing `t`, if it has one. */
export function burstAt(pod: DemoLogPod, t: number): [number, number] | undefined {
  const w = Math.floor(t / BURST_WINDOW_MS);
  const rng = new Rng(hash32(`${pod.namespace}/${appOf(pod)}/burst/${w}`));
  if (!rng.chance(0.35)) return undefined;
  const start = w * BURST_WINDOW_MS + rng.int(0, BURST_WINDOW_MS - BURST_LENGTH_MS);
  return t >= start && t < start + BURST_LENGTH_MS ? [start, start + BURST_LENGTH_MS] : undefined;
}

const PATHS = ['/api/orders', '/api/orders/{id}', '/api/cart/{id}', '/api/quotes', '/api/search', '/api/payments', '/healthz', '/api/shipments/{id}'];
const UPSTREAMS = ['payment-gateway', 'inventory', 'pricing', 'postgres', 'redis', 'kafka'];

function javaTrace(rng: Rng, app: string, cause: string): string {
  const pkg = `com.warroom.${app.replace(/[^a-z]/g, '')}`;
  return [
    `${cause}`,
    `\tat ${pkg}.client.UpstreamClient.call(UpstreamClient.java:${rng.int(80, 240)})`,
    `\tat ${pkg}.service.OrderService.process(OrderService.java:${rng.int(40, 180)})`,
    `\tat ${pkg}.web.OrderController.post(OrderController.java:${rng.int(20, 90)})`,
    `\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)`,
    `Caused by: java.net.SocketTimeoutException: Read timed out`,
    `\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)`,
    `\t... ${rng.int(20, 60)} more`,
  ].join('\n');
}

function oneLine(pod: DemoLogPod, container: string, ts: number, rng: Rng, inBurst: boolean): Omit<GeneratedLine, 'seq'> {
  const app = appOf(pod);
  const json = hash32(app) % 3 === 0;
  const sidecar = container !== pod.containers[0];
  const path = rng.pick(PATHS).replace('{id}', String(rng.int(1000, 9999)));
  const ms = rng.int(2, 180);
  const trace = rng.int(0, 0xffffff).toString(16).padStart(6, '0') + rng.int(0, 0xffffff).toString(16).padStart(6, '0');
  const r = rng.next();
  const level: GeneratedLine['level'] = inBurst ? (r < 0.7 ? 'ERROR' : 'WARN') : r < 0.03 ? 'ERROR' : r < 0.1 ? 'WARN' : r < 0.16 ? 'DEBUG' : 'INFO';
  if (sidecar) {
    const status = level === 'ERROR' ? 503 : level === 'WARN' ? 429 : rng.pick([200, 200, 200, 201, 204, 404]);
    return { ts, level, message: `[${new Date(ts).toISOString()}] "${rng.pick(['GET', 'POST'])} ${path} HTTP/1.1" ${status} - ${rng.int(0, 900)} ${rng.int(100, 20000)} ${ms} "${app}" trace=${trace}` };
  }
  if (level === 'ERROR' && rng.chance(inBurst ? 0.3 : 0.4)) {
    const upstream = rng.pick(UPSTREAMS);
    const head = `ERROR [http-nio-8080-exec-${rng.int(1, 40)}] ${app} - request failed path=${path} trace=${trace}`;
    return { ts, level, message: `${head}\n${javaTrace(rng, app, `java.lang.IllegalStateException: ${upstream} timeout after ${rng.int(1, 5) * 1000}ms`)}` };
  }
  if (json) {
    const doc: Record<string, unknown> = { time: new Date(ts).toISOString(), level: level.toLowerCase(), logger: `${app}.http`, msg: level === 'ERROR' ? 'upstream call failed' : level === 'WARN' ? 'slow request' : level === 'DEBUG' ? 'cache lookup' : 'request handled', path, status: level === 'ERROR' ? 502 : 200, duration_ms: level === 'WARN' ? ms * 12 : ms, trace_id: trace };
    if (level === 'ERROR') doc.error = { kind: 'Timeout', upstream: rng.pick(UPSTREAMS) };
    return { ts, level, message: JSON.stringify(doc) };
  }
  switch (level) {
    case 'ERROR':
      return { ts, level, message: `ERROR request failed path=${path} status=500 duration=${ms}ms error="${rng.pick(UPSTREAMS)} unavailable" trace=${trace}` };
    case 'WARN':
      return { ts, level, message: `WARN slow request path=${path} status=200 duration=${ms * 11}ms trace=${trace}` };
    case 'DEBUG':
      return { ts, level, message: `DEBUG cache lookup key=${app}:${trace} hit=${rng.chance(0.7)}` };
    default:
      return { ts, level, message: `INFO request handled method=${rng.pick(['GET', 'GET', 'POST', 'PUT'])} path=${path} status=${rng.pick([200, 200, 201, 204, 404])} duration=${ms}ms trace=${trace}` };
  }
}

/**
 * The lines one container wrote in [from, to), oldest first. Only while it ran: from
 * `runningSince` (or, for the previous container, between its start and termination).
 */
export function generateLines(pod: DemoLogPod, container: string, from: number, to: number, opts: GeneratorOptions = DEFAULT_GENERATOR, lifetime?: [number, number]): GeneratedLine[] {
  const [alive, dead] = lifetime ?? [pod.runningSince ?? Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  const lo = Math.max(from, alive);
  const hi = Math.min(to, dead);
  if (hi <= lo) return [];
  const out: GeneratedLine[] = [];
  const key = `${pod.uid}/${container}`;
  const seed = hash32(key);
  const slot = Math.max(50, Math.floor(opts.periodMs / opts.burstFactor));
  // Fine slots everywhere; outside bursts only every burstFactor-th one emits (at its jitter).
  for (let k = Math.floor(lo / slot); k * slot < hi; k++) {
    const base = k * slot;
    const rng = new Rng((seed ^ Math.imul(k, 0x9e3779b1)) >>> 0);
    const inBurst = burstAt(pod, base) !== undefined;
    const emit = inBurst ? rng.chance(0.8) : rng.next() < 1 / opts.burstFactor;
    if (!emit) continue;
    const ts = base + rng.int(0, slot - 1);
    if (ts < lo || ts >= hi) continue;
    // In a burst, errors come in clumps written in the same millisecond.
    const n = inBurst && rng.chance(0.3) ? rng.int(2, 6) : 1;
    for (let i = 0; i < n; i++) out.push({ ...oneLine(pod, container, ts, rng, inBurst), seq: i });
  }
  return out;
}
