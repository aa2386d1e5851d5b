import type { LogLine } from '../../platform/logs/logLine.js';
import { describeRange, LEVEL_FILTERS } from '../../platform/logs/logQuery.js';
import { describeScope, type LogScope } from '../../platform/logs/logScope.js';
import type { LogsSnapshot, LogsToggles } from '../../platform/logs/logsStore.js';
import { sanitize } from '../../platform/text/sanitize.js';
import { glyphs } from '../../terminal/glyphs.js';

// The logs pane's rows, computed for the visible window only: a short pod/container tag in
// a stable colour, optional timestamp, the message (raw, pretty JSON or key=value), search
// terms highlighted, wrapped or truncated. Following shows the last screen; paused shows
// from the store's `top`.

export interface Segment {
  text: string;
  color?: string;
  dim?: boolean;
  bold?: boolean;
}

export interface LogRow {
  key: string;
  segments: Segment[];
  /** The line's level, for the message colour. */
  level: LogLine['level'];
  match: boolean;
}

/** Distinct, readable on dark and light backgrounds; picked by a hash of the tag. */
export const TAG_COLORS = ['cyan', 'magenta', 'green', 'yellow', 'blue', 'cyanBright', 'magentaBright', 'greenBright', 'blueBright', 'yellowBright'];

export function tagColor(tag: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < tag.length; i++) h = Math.imul(h ^ tag.charCodeAt(i), 0x01000193);
  return TAG_COLORS[(h >>> 0) % TAG_COLORS.length];
}

// Kubernetes' generated name parts use this alphabet (no vowels, no 0 1 3): the ReplicaSet's
// pod-template-hash (6-10 characters) and the pod's own suffix (5).
const GENERATED = '[bcdfghjklmnpqrstvwxz2456789]';
const DEPLOYMENT_POD = new RegExp(`^(.+)-(${GENERATED}{6,10})-(${GENERATED}{5})$`);
const SUFFIXED_POD = new RegExp(`^(.+)-(${GENERATED}{5})$`);

/** A pod name as its application part and the parts Kubernetes generated (hashes, an ordinal). */
export function splitPodName(pod: string, app?: string): { app: string; generated: string[] } {
  if (app && pod.startsWith(`${app}-`)) return { app, generated: pod.slice(app.length + 1).split('-') };
  const d = DEPLOYMENT_POD.exec(pod);
  if (d) return { app: d[1], generated: [d[2], d[3]] };
  const s = SUFFIXED_POD.exec(pod);
  if (s) return { app: s[1], generated: [s[2]] };
  const ordinal = /^(.+)-(\d+)$/.exec(pod);
  if (ordinal) return { app: ordinal[1], generated: [ordinal[2]] };
  return { app: pod, generated: [] };
}

/** Room for the pod tag at this pane width (timestamps and the message need the rest). */
export function tagBudget(width: number): number {
  return Math.max(12, Math.min(36, Math.floor(width * 0.3)));
}

/**
 * The pod tag: the pod and container a line came from, in at most `budget` columns when it
 * can be. The application part of the pod name is never shortened, the generated parts
 * are: the ReplicaSet hash (`cart-api-…q8k42`); a container named as the application is then
 * left out. A pod or container scope needs only the container.
 */
export function podTag(line: LogLine, scope: LogScope | undefined, budget = 28): string {
  if (scope?.kind === 'pod' || scope?.kind === 'container') return line.container;
  const { app, generated } = splitPodName(line.pod, scope?.kind === 'application' ? scope.app.name : undefined);
  const container = `/${line.container}`;
  const full = `${line.pod}${container}`;
  if (full.length <= budget || generated.length === 0) return full;
  const last = generated[generated.length - 1];
  const short = generated.length > 1 ? `${app}-${glyphs.cut}${last}` : line.pod;
  // A container named as the application says nothing the pod part does not.
  if (line.container === app) return short;
  return `${short}${container}`;
}

/** Columns of the tag that are never cut: the pod part (application and suffix), and `/…` after it. */
function tagKeep(line: LogLine, scope: LogScope | undefined, budget: number): number {
  const tag = podTag(line, scope, budget);
  const slash = tag.lastIndexOf('/');
  return slash > 0 && slash < tag.length - 1 ? slash + 2 : tag.length;
}

const HL_ON = '\x1b[7m';
const HL_OFF = '\x1b[27m';

export function highlight(text: string, terms: string[]): string {
  if (!terms.length) return text;
  const re = new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  return text.replace(re, (m) => `${HL_ON}${m}${HL_OFF}`);
}

function flatten(value: unknown, prefix: string, out: string[]): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  out.push(`${prefix}=${/[\s"=]/.test(s) || s === '' ? JSON.stringify(s) : s}`);
}

/** The message as display lines for the JSON toggle (raw lines stay one line). */
export function messageLines(line: LogLine, mode: LogsToggles['json']): string[] {
  const t = line.plain;
  if (mode === 'raw' || !t.startsWith('{') || !t.endsWith('}')) return [line.text];
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch {
    return [line.text];
  }
  // JSON escapes (\u001b) decode into real control characters: sanitise what we render.
  if (mode === 'kv') {
    const out: string[] = [];
    flatten(parsed, '', out);
    return [sanitize(out.join(' '))];
  }
  return JSON.stringify(parsed, null, 2)
    .split('\n')
    .map((l) => sanitize(l));
}

function clock(ts: number): string {
  const d = new Date(ts);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function chunks(text: string, width: number): string[] {
  if (width <= 0) return [text];
  const cps = Array.from(text);
  if (cps.length <= width) return [text];
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += width) out.push(cps.slice(i, i + width).join(''));
  return out;
}

export interface ViewportInput {
  snap: LogsSnapshot;
  width: number;
  height: number;
}

/** The cluster tag's width in a fleet's merged logs: the longest label. */
function clusterWidth(snap: LogsSnapshot): number {
  return Math.max(1, ...(snap.clusters ?? []).map((c) => c.label.length));
}

/** Rows of one log line. */
export function rowsOf(line: LogLine, pos: number, snap: LogsSnapshot, width: number, tagWidth: number): LogRow[] {
  const t = snap.toggles;
  const tag = podTag(line, snap.scope, tagWidth);
  const prefix: Segment[] = [];
  let prefixWidth = 0;
  if (t.timestamps) {
    prefix.push({ text: line.cont ? ' '.repeat(13) : `${clock(line.ts)} `, dim: true });
    prefixWidth += 13;
  }
  if (line.cluster !== undefined) {
    // A fleet's merged logs: the cluster always shows (P hides the pod tags only).
    const w = clusterWidth(snap);
    prefix.push({ text: line.cont ? ' '.repeat(w + 1) : `${line.cluster.padEnd(w)} `, color: tagColor(line.cluster), bold: true });
    prefixWidth += w + 1;
  }
  if (t.tags) {
    const shown = tag.length > tagWidth ? `${tag.slice(0, tagWidth - 1)}${glyphs.cut}` : tag.padEnd(tagWidth);
    prefix.push({ text: line.cont ? ' '.repeat(tagWidth + 1) : `${shown} `, color: tagColor(tag) });
    prefixWidth += tagWidth + 1;
  }
  const match = snap.terms.length > 0 && snap.terms.some((term) => line.plain.toLowerCase().includes(term.toLowerCase()));
  const bodyWidth = Math.max(10, width - prefixWidth);
  const rows: LogRow[] = [];
  let k = 0;
  for (const msg of messageLines(line, t.json)) {
    // Highlighting works on plain text (colour codes would split a match).
    const base = match ? highlight(msg === line.text ? line.plain : msg, snap.terms) : msg;
    const parts = t.wrap ? chunks(match ? (msg === line.text ? line.plain : msg) : msg.replace(/\x1b\[[0-9;:]*m/g, ''), bodyWidth).map((c) => (match ? highlight(c, snap.terms) : c)) : [base];
    for (const p of parts) {
      rows.push({ key: `${pos}:${k}`, segments: [...(k === 0 ? prefix : prefix.map((s) => ({ ...s, text: ' '.repeat(s.text.length) }))), { text: p }], level: line.level, match });
      k++;
    }
  }
  return rows;
}

/** The rows on screen: following = the last `height` rows; paused = from `snap.top`. */
export function visibleRows({ snap, width, height }: ViewportInput): { rows: LogRow[]; top: number } {
  const ring = snap.ring;
  const tagWidth = tagColumnWidth(snap, width);
  const rows: LogRow[] = [];
  if (snap.following) {
    let p = ring.end - 1;
    const chunksBack: LogRow[][] = [];
    let n = 0;
    for (; p >= ring.first && n < height; p--) {
      const r = rowsOf(ring.at(p)!, p, snap, width, tagWidth);
      chunksBack.push(r);
      n += r.length;
    }
    for (let i = chunksBack.length - 1; i >= 0; i--) rows.push(...chunksBack[i]);
    return { rows: rows.slice(Math.max(0, rows.length - height)), top: p + 1 };
  }
  for (let p = Math.max(ring.first, snap.top); p < ring.end && rows.length < height; p++) rows.push(...rowsOf(ring.at(p)!, p, snap, width, tagWidth));
  return { rows: rows.slice(0, height), top: snap.top };
}

/**
 * The tag column: as wide as the recent lines' tags within the budget, and never narrower
 * than their pod part (an application name is not cut; a container name may be).
 */
export function tagColumnWidth(snap: LogsSnapshot, width: number): number {
  const ring = snap.ring;
  const budget = tagBudget(width);
  let widest = 8;
  let keep = 0;
  for (let p = Math.max(ring.first, ring.end - 200); p < ring.end; p++) {
    const line = ring.at(p)!;
    widest = Math.max(widest, podTag(line, snap.scope, budget).length);
    keep = Math.max(keep, tagKeep(line, snap.scope, budget));
  }
  return Math.min(Math.max(budget, keep), widest, Math.floor(width / 2));
}

// ------------------------------------------------------------------ head and foot lines
// At 80 columns the pane's head and foot used to be cut from the right, taking the counts and
// the follow state with them. Each line is built from the longest wording that fits; counts
// lead and are never shortened, the free parts (query text, scope, a notice) give way first.

/** Width of the label left of the histogram strip. */
export const STRIP_LABEL_WIDTH = 23;

/** A count in at most 5 characters: exact up to 99,999, then 123k, 1.2M, 12M. */
export function compactCount(n: number): string {
  if (n < 100_000) return String(n);
  const units: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units) {
    if (n < size) continue;
    const v = n / size;
    return `${v < 10 ? (Math.floor(v * 10) / 10).toFixed(1).replace(/\.0$/, '') : Math.floor(v)}${unit}`;
  }
  return String(n);
}

/** ` 1234 lines 56 err `, padded to STRIP_LABEL_WIDTH; large counts are compacted, not cut. */
export function stripLabel(total: number, errors: number): string {
  return ` ${compactCount(total)} lines ${compactCount(errors)} err `.padEnd(STRIP_LABEL_WIDTH);
}

function clip(s: string, width: number): string {
  if (width <= 0) return '';
  const cps = Array.from(s);
  return cps.length <= width ? s : `${cps.slice(0, Math.max(0, width - 1)).join('')}${glyphs.cut}`;
}

const len = (s: string) => Array.from(s).length;

/** The pane's title: scope · range · levels [· /query] [· previous container] · FOLLOWING|PAUSED. */
export function titleLine(snap: LogsSnapshot, width: number): string {
  const scope = snap.scope ? `${describeScope(snap.scope)}${snap.clusters ? ` in ${snap.clusters.length} clusters` : ''}` : 'no scope';
  const fixed = [describeRange(snap.query.range), LEVEL_FILTERS[snap.query.levels].label, ...(snap.previous ? ['previous container'] : []), snap.following ? 'FOLLOWING' : 'PAUSED'];
  const join = (head: string, query: string | undefined) => ` ${[head, ...fixed.slice(0, 2), ...(query ? [query] : []), ...fixed.slice(2)].join(` ${glyphs.sep} `)}`;
  const query = snap.query.text ? `/${snap.query.text}` : undefined;
  const full = join(scope, query);
  if (len(full) <= width) return full;
  // The scope gives way first (the breadcrumb names it too), down to a few letters; then the
  // query, down to "/x…"; the range, the level filter and the follow state stay whole.
  const MIN_SCOPE = 12;
  const scopeRoom = width - (len(full) - len(scope));
  if (scopeRoom >= MIN_SCOPE) return join(clip(scope, scopeRoom), query);
  const short = clip(scope, MIN_SCOPE);
  if (query) {
    const room = width - len(join(short, undefined)) - len(` ${glyphs.sep} `);
    if (room >= 3) return join(short, clip(query, room));
  }
  return clip(join(short, undefined), width);
}

export interface FootLine {
  text: string;
  tone: 'error' | 'warn' | 'dim' | 'accent';
}

/** The first wording that fits `width`, else the shortest one. */
function firstFitting(wordings: string[], width: number, tail = ''): string | undefined {
  for (const w of wordings) if (len(w + tail) <= width) return w + tail;
  return undefined;
}

/** The line under the logs: the last problem, paused and dropped counts, or what is held. */
export function footLine(snap: LogsSnapshot, width: number): FootLine {
  const { waiting, droppedUnseen, droppedOld } = snap;
  const held = snap.ring.length;
  const max = snap.limits.maxLines;
  if (snap.error) {
    const r = snap.rejected;
    // A rejected search: which line was not applied, so nobody reads the lines as its results.
    const text = r && r.reason === snap.error ? ` ${glyphs.warn} not applied: /${clip(r.line, 30)} ${glyphs.dash} ${r.reason}` : ` ${glyphs.warn} ${snap.error}`;
    return { text, tone: 'error' };
  }
  let wordings: string[];
  let tone: FootLine['tone'];
  if (droppedUnseen > 0) {
    tone = 'warn';
    wordings = [
      ` ${droppedUnseen} lines dropped from memory while paused (buffer ${max} lines); ${waiting} waiting ${glyphs.dash} G/End to follow`,
      ` ${droppedUnseen} dropped while paused (buffer ${max} lines); ${waiting} waiting ${glyphs.dash} G to follow`,
      ` ${droppedUnseen} dropped while paused; ${waiting} waiting ${glyphs.dash} G`,
      ` ${droppedUnseen} dropped; ${waiting} waiting`,
    ];
  } else if (!snap.following) {
    tone = 'warn';
    const { sep, dash } = glyphs;
    const extra = snap.loadingOlder ? ` ${sep} loading older${glyphs.ellipsis}` : snap.exhausted ? ` ${sep} start of the range` : '';
    wordings = [` PAUSED ${dash} ${waiting} new lines waiting ${dash} G/End to follow${extra}`, ` PAUSED ${dash} ${waiting} waiting ${dash} G to follow${extra}`, ` PAUSED ${dash} ${waiting} waiting`];
  } else if (snap.notice) {
    return { text: ` ${snap.notice}`, tone: 'accent' };
  } else if (droppedOld > 0) {
    tone = 'dim';
    const mib = Math.round(snap.limits.maxBytes / 1048576);
    wordings = [
      ` ${held} lines held; ${droppedOld} older lines dropped from memory (limit ${max} lines / ${mib} MiB)`,
      ` ${held} lines held; ${droppedOld} older dropped (limit ${max} lines / ${mib} MiB)`,
      ` ${held} held; ${droppedOld} older dropped`,
    ];
  } else {
    tone = 'dim';
    wordings = [` ${held} lines`];
  }
  const shortest = wordings[wordings.length - 1];
  if (!snap.notice) return { text: firstFitting(wordings, width) ?? shortest, tone };
  // A notice beside the counts: the counts keep their place, the notice is what gets cut.
  const tail = ` ${glyphs.sep} ${snap.notice}`;
  return { text: firstFitting(wordings, width, tail) ?? shortest + tail, tone };
}

/** Why the `/` line `filter` is not what the logs show (it was rejected), or undefined. */
export function rejectedSearch(snap: LogsSnapshot, filter: string): string | undefined {
  return snap.rejected && snap.rejected.line === filter ? snap.rejected.reason : undefined;
}
