import { Rng } from '../rng.js';
import type { DemoLogPod } from './podView.js';

// Deterministic, realistic container output: the same pod, container and moment always give
// the same lines, so the Elasticsearch store and the Kubernetes log API agree line for line
// and a restart of the demo shows the same history. Mostly request logs; some applications
// log JSON; now and then a multi-line Java stack trace; each application has bursts of
// errors (several lines sharing one millisecond) every few minutes.
//
// Nothing is stored: any window of any container is generated on demand, and the cost is
// in two tiers so the log store can answer a search over 100,000 pods. `forEachLine` gives
// each line's time, level and identity from integer hashing alone (no strings, no objects);
// `lineMessage` builds the text of one line only when a search needs it. Time is cut into
// slots; outside an error burst a slot emits with probability 1/burstFactor, and the
// emitting slots of a block are drawn as geometric gaps, so a quiet container costs a few
// draws per block rather than one per slot.

export type Level = 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';

export interface GeneratedLine {
  ts: number;
  /** Order among lines sharing `ts` in this container. */
  seq: number;
  level: Level;
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
const BLOCK_SLOTS = 32;

export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit integer finaliser (lowbias32): independent-looking values from neighbouring inputs. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The first value `new Rng(seed).next()` gives, without the object. */
function firstDraw(seed: number): number {
  let t = ((seed >>> 0 || 0x9e3779b9) + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function appOf(pod: DemoLogPod): string {
  return pod.deployment ?? pod.statefulSet ?? pod.name;
}

// Burst windows are per application: memoised, since every container of the application
// asks for the same windows. Cleared wholesale when large (values are cheap to recompute).
const burstMemo = new Map<string, Map<number, readonly [number, number] | null>>();
let burstMemoSize = 0;

// Bursts the demo stages (its incident): per application, one window's burst chosen, not drawn.
const staged = new Map<string, { w: number; burst: readonly [number, number] }>();

/** A two-minute error burst of the application (`namespace/name`) in the 5-minute window around `at`. */
export function stageBurst(appKey: string, at: number): void {
  const w = Math.floor(at / BURST_WINDOW_MS);
  staged.set(appKey, { w, burst: [w * BURST_WINDOW_MS + 30_000, w * BURST_WINDOW_MS + 150_000] });
}

/** [start, end) of the error burst in the application's 5-minute window `w`, if it has one. */
function burstOfWindow(appKey: string, w: number): readonly [number, number] | null {
  const s = staged.get(appKey);
  if (s && s.w === w) return s.burst;
  let byWindow = burstMemo.get(appKey);
  let v = byWindow?.get(w);
  if (v !== undefined) return v;
  const rng = new Rng(hash32(`${appKey}/burst/${w}`));
  if (rng.chance(0.35)) {
    const start = w * BURST_WINDOW_MS + rng.int(0, BURST_WINDOW_MS - BURST_LENGTH_MS);
    v = [start, start + BURST_LENGTH_MS];
  } else v = null;
  if (burstMemoSize > 200_000) {
    burstMemo.clear();
    burstMemoSize = 0;
    byWindow = undefined;
  }
  if (!byWindow) burstMemo.set(appKey, (byWindow = new Map()));
  byWindow.set(w, v);
  burstMemoSize++;
  return v;
}

const appKeys = new WeakMap<DemoLogPod, string>();

function appKeyOf(pod: DemoLogPod): string {
  let key = appKeys.get(pod);
  if (key === undefined) appKeys.set(pod, (key = `${pod.namespace}/${appOf(pod)}`));
  return key;
}

// Scratch space of forEachLine (a search calls it for every container run in scope, so
// it allocates nothing per call it can avoid; it never runs inside its own visitor).
const picked = new Uint8Array(32);
const pickedList: number[] = [];

/** [start, end) of the error burst of the application's window containing `t`, if it has one. */
export function burstAt(pod: DemoLogPod, t: number): [number, number] | undefined {
  const b = burstOfWindow(appKeyOf(pod), Math.floor(t / BURST_WINDOW_MS));
  return b && t >= b[0] && t < b[1] ? [b[0], b[1]] : undefined;
}

/** Seeds of one container: the same for the Elasticsearch store and the log API. */
export function containerSeed(pod: DemoLogPod, container: string): number {
  return hash32(`${pod.uid}/${container}`);
}

function slotSeed(seed: number, k: number): number {
  return mix32((seed ^ Math.imul(k, 0x9e3779b1)) >>> 0);
}

function lineSeed(seed: number, k: number, j: number): number {
  return mix32((seed ^ Math.imul(k, 0x85ebca6b) ^ Math.imul(j + 1, 0xc2b2ae35)) >>> 0);
}

function levelOf(r: number, inBurst: boolean): Level {
  return inBurst ? (r < 0.7 ? 'ERROR' : 'WARN') : r < 0.03 ? 'ERROR' : r < 0.1 ? 'WARN' : r < 0.16 ? 'DEBUG' : 'INFO';
}

/**
 * Called for each line of one container in [from, to), oldest first, with the line's
 * identity (slot `k`, index `j` among lines sharing the millisecond) and level. Only
 * while the container ran: `lifetime` (default: from the pod's `runningSince` on).
 */
export type LineVisitor = (ts: number, k: number, j: number, level: Level, inBurst: boolean) => void;

/** The level's index in a QuickCount's `byLevel` (ERROR, WARN, INFO, DEBUG). */
export const LEVEL_INDEX: Record<Level, number> = { ERROR: 0, WARN: 1, INFO: 2, DEBUG: 3 };

/**
 * Counting without visiting: a quiet line whose slot lies inside one bucket, inside the
 * window and before `until` is only counted (`byLevel[bucket * 4 + level]++`), without its
 * time being drawn or the visitor called. Every other line still goes to the visitor.
 */
export interface QuickCount {
  origin: number;
  interval: number;
  /** Slots ending after this go to the visitor (lines close to now need their own checks). */
  until: number;
  byLevel: Float64Array;
}

export function forEachLine(pod: DemoLogPod, container: string, from: number, to: number, opts: GeneratorOptions, lifetime: readonly [number, number] | undefined, visit: LineVisitor, seed = containerSeed(pod, container), quick?: QuickCount): void {
  const [alive, dead] = lifetime ?? [pod.runningSince ?? Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  const lo = Math.max(from, alive);
  const hi = Math.min(to, dead);
  if (!(hi > lo)) return;
  const appKey = appKeyOf(pod);
  let memoW = Number.NaN;
  let memoBurst: readonly [number, number] | null = null;
  const burstOf = (w: number) => {
    if (w !== memoW) {
      memoW = w;
      memoBurst = burstOfWindow(appKey, w);
    }
    return memoBurst;
  };
  const slot = Math.max(50, Math.floor(opts.periodMs / opts.burstFactor));
  const block = slot * BLOCK_SLOTS;
  const p = 1 / opts.burstFactor;
  const logQuiet = Math.log(1 - p);
  const emit = (k: number, inBurst: boolean) => {
    const base = k * slot;
    const sr = new Rng(slotSeed(seed, k));
    // In a burst every slot decides for itself; outside one only the picked slots emit.
    if (sr.next() >= 0.8 && inBurst) return;
    const ts = base + sr.int(0, slot - 1);
    if (ts < lo || ts >= hi) return;
    // In a burst, errors come in clumps written in the same millisecond.
    const n = inBurst && sr.chance(0.3) ? sr.int(2, 6) : 1;
    for (let j = 0; j < n; j++) visit(ts, k, j, levelOf(firstDraw(lineSeed(seed, k, j)), inBurst), inBurst);
  };
  for (let b = Math.floor(lo / block); b * block < hi; b++) {
    const blockStart = b * block;
    const blockEnd = blockStart + block;
    // Quiet emission: geometric gaps between emitting slots, drawn from the block's seed.
    pickedList.length = 0;
    const rng = new Rng(slotSeed(seed ^ 0x5bd1e995, b));
    for (let s = -1; ; ) {
      s += 1 + Math.floor(Math.log(1 - rng.next()) / logQuiet);
      if (s >= BLOCK_SLOTS) break;
      pickedList.push(s);
    }
    const w0 = Math.floor(blockStart / BURST_WINDOW_MS);
    const w1 = Math.floor((blockEnd - 1) / BURST_WINDOW_MS);
    const b0 = burstOf(w0);
    const b1 = w1 === w0 ? null : burstOf(w1);
    const overlaps = (x: readonly [number, number] | null) => x !== null && x[0] < blockEnd && x[1] > blockStart;
    if (!overlaps(b0) && !overlaps(b1)) {
      for (const s of pickedList) {
        const k = b * BLOCK_SLOTS + s;
        const base = k * slot;
        if (quick && base >= lo && base + slot <= hi && base + slot <= quick.until) {
          // One line (a quiet slot never clumps), its time somewhere in the slot: when the
          // slot lies inside one bucket the time does not matter, only the level.
          const bucket = Math.floor((base - quick.origin) / quick.interval);
          if (bucket === Math.floor((base + slot - 1 - quick.origin) / quick.interval)) {
            quick.byLevel[bucket * 4 + LEVEL_INDEX[levelOf(firstDraw(lineSeed(seed, k, 0)), false)]]++;
            continue;
          }
        }
        emit(k, false);
      }
      continue;
    }
    picked.fill(0);
    for (const s of pickedList) picked[s] = 1;
    for (let s = 0; s < BLOCK_SLOTS; s++) {
      const k = b * BLOCK_SLOTS + s;
      const base = k * slot;
      const inBurst = (b0 !== null && base >= b0[0] && base < b0[1]) || (b1 !== null && base >= b1[0] && base < b1[1]);
      if (inBurst || picked[s] === 1) emit(k, inBurst);
    }
  }
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

/** The text of the line `forEachLine` reported as (ts, k, j, level, inBurst) for this container. */
export function lineMessage(pod: DemoLogPod, container: string, ts: number, k: number, j: number, level: Level, inBurst: boolean): string {
  const rng = new Rng(lineSeed(containerSeed(pod, container), k, j));
  rng.next(); // the level's draw
  const app = appOf(pod);
  const json = hash32(app) % 3 === 0;
  const sidecar = container !== pod.containers[0];
  const path = rng.pick(PATHS).replace('{id}', String(rng.int(1000, 9999)));
  const ms = rng.int(2, 180);
  const trace = rng.int(0, 0xffffff).toString(16).padStart(6, '0') + rng.int(0, 0xffffff).toString(16).padStart(6, '0');
  if (sidecar) {
    const status = level === 'ERROR' ? 503 : level === 'WARN' ? 429 : rng.pick([200, 200, 200, 201, 204, 404]);
    return `[${new Date(ts).toISOString()}] "${rng.pick(['GET', 'POST'])} ${path} HTTP/1.1" ${status} - ${rng.int(0, 900)} ${rng.int(100, 20000)} ${ms} "${app}" trace=${trace}`;
  }
  if (level === 'ERROR' && rng.chance(inBurst ? 0.3 : 0.4)) {
    const upstream = rng.pick(UPSTREAMS);
    const head = `ERROR [http-nio-8080-exec-${rng.int(1, 40)}] ${app} - request failed path=${path} trace=${trace}`;
    return `${head}\n${javaTrace(rng, app, `java.lang.IllegalStateException: ${upstream} timeout after ${rng.int(1, 5) * 1000}ms`)}`;
  }
  if (json) {
    const doc: Record<string, unknown> = { time: new Date(ts).toISOString(), level: level.toLowerCase(), logger: `${app}.http`, msg: level === 'ERROR' ? 'upstream call failed' : level === 'WARN' ? 'slow request' : level === 'DEBUG' ? 'cache lookup' : 'request handled', path, status: level === 'ERROR' ? 502 : 200, duration_ms: level === 'WARN' ? ms * 12 : ms, trace_id: trace };
    if (level === 'ERROR') doc.error = { kind: 'Timeout', upstream: rng.pick(UPSTREAMS) };
    return JSON.stringify(doc);
  }
  switch (level) {
    case 'ERROR':
      return `ERROR request failed path=${path} status=500 duration=${ms}ms error="${rng.pick(UPSTREAMS)} unavailable" trace=${trace}`;
    case 'WARN':
      return `WARN slow request path=${path} status=200 duration=${ms * 11}ms trace=${trace}`;
    case 'DEBUG':
      return `DEBUG cache lookup key=${app}:${trace} hit=${rng.chance(0.7)}`;
    default:
      return `INFO request handled method=${rng.pick(['GET', 'GET', 'POST', 'PUT'])} path=${path} status=${rng.pick([200, 200, 201, 204, 404])} duration=${ms}ms trace=${trace}`;
  }
}

/**
 * The lines one container wrote in [from, to), oldest first. Only while it ran: from
 * `runningSince` (or, for the previous container, between its start and termination).
 */
export function generateLines(pod: DemoLogPod, container: string, from: number, to: number, opts: GeneratorOptions = DEFAULT_GENERATOR, lifetime?: readonly [number, number]): GeneratedLine[] {
  const out: GeneratedLine[] = [];
  forEachLine(pod, container, from, to, opts, lifetime, (ts, k, j, level, inBurst) => out.push({ ts, seq: j, level, message: lineMessage(pod, container, ts, k, j, level, inBurst) }));
  return out;
}

/**
 * The newest `count` lines of one container before `to` (and not before `floor`), oldest
 * first: looks back in growing windows, so a tail costs about what it returns.
 */
export function newestLines(pod: DemoLogPod, container: string, floor: number, to: number, count: number, opts: GeneratorOptions = DEFAULT_GENERATOR, lifetime?: readonly [number, number]): GeneratedLine[] {
  if (count <= 0) return [];
  const chunks: GeneratedLine[][] = [];
  let have = 0;
  let hi = to;
  for (let span = Math.max(opts.periodMs * 4, 10_000); hi > floor && have < count; span *= 2) {
    const lo = Math.max(floor, hi - span);
    const chunk = generateLines(pod, container, lo, hi, opts, lifetime);
    chunks.push(chunk);
    have += chunk.length;
    hi = lo;
  }
  const all = chunks.reverse().flat();
  return all.slice(Math.max(0, all.length - count));
}
