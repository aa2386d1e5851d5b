import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { sanitize } from '../text/sanitize.js';
import { glyphs } from '../../terminal/glyphs.js';
import { diffHunks, diffOps, templateYaml, type DiffOp } from './rolloutHistory.js';

// A pod template diff whose hunks say where they are, as git diff names a hunk's function:
// `@@ containers[api] resources.limits @@` above `- memory: 128Mi` / `+ memory: 256Mi`, so the
// container is named even when its `name:` line is far above the change. The place comes from
// the structure: the YAML shown is parsed back and each line gets the path of the innermost key
// or list item written on it (a list item by its name); the text is never pattern-matched.

type Json = Record<string, unknown>;

/** One step down a template: a key, or a list item by its name (else `key`, `containerPort`, else its index). */
export type Step = { key: string } | { item: string };

export interface PlacedLine {
  /** The line as shown, sanitised. */
  text: string;
  /** Where it is: the innermost key or list item that starts or continues on it. */
  path: Step[];
  /** The line holds a value (`memory: 128Mi`, `- --verbose`), not the start of a map or list. */
  scalar: boolean;
}

/** Fields that name a list item, first found wins: containers, env vars, volumes, mounts, ports by name; tolerations by key. */
const ITEM_NAMES = ['name', 'key', 'containerPort'];
const ITEM_NAME_WIDTH = 24;
/** Room for the place in `@@ … @@` on an 80-column screen. */
const PLACE_WIDTH = 60;

/** The template's YAML lines (as templateLines gives them), each with its place in the template. */
export function placedTemplateLines(template: Json): PlacedLine[] {
  const yaml = templateYaml(template);
  const starts = [0];
  for (let i = yaml.indexOf('\n'); i >= 0; i = yaml.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineAt = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const lines: PlacedLine[] = yaml.split('\n').map((l) => ({ text: sanitize(l), path: [], scalar: false }));
  // Outer nodes first, inner ones after: each line ends with the innermost place on it.
  const mark = (range: readonly number[] | null | undefined, path: Step[], scalar: boolean) => {
    if (!range) return;
    for (let l = lineAt(range[0]), last = lineAt(Math.max(range[0], range[1] - 1)); l <= last; l++) Object.assign(lines[l], { path, scalar });
  };
  const walk = (node: unknown, path: Step[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        const value = pair.value;
        const at = [...path, { key }];
        const keyRange = isScalar(pair.key) ? pair.key.range : undefined;
        const valueRange = isScalar(value) || isMap(value) || isSeq(value) ? value.range : undefined;
        if (keyRange) mark([keyRange[0], valueRange?.[1] ?? keyRange[1]], at, !isMap(value) && !isSeq(value));
        walk(value, at);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const at = [...path, { item: itemName(item, i) }];
        if (isScalar(item) || isMap(item) || isSeq(item)) mark(item.range, at, isScalar(item));
        walk(item, at);
      });
    }
  };
  walk(parseDocument(yaml).contents, []);
  return lines;
}

function itemName(item: unknown, index: number): string {
  if (isMap(item)) {
    for (const field of ITEM_NAMES) {
      const v = item.get(field);
      if (typeof v === 'string' || typeof v === 'number') return sanitize(String(v), { maxLength: ITEM_NAME_WIDTH });
    }
  }
  return String(index);
}

const sameStep = (a: Step, b: Step) => ('key' in a ? 'key' in b && a.key === b.key : 'item' in b && a.item === b.item);

function commonPath(a: readonly Step[], b: readonly Step[]): Step[] {
  let n = 0;
  while (n < a.length && n < b.length && sameStep(a[n], b[n])) n++;
  return a.slice(0, n);
}

/** Where changed lines are: their common place, without the key when they are all one value (the line shows it). */
function placeOfLines(lines: readonly PlacedLine[]): Step[] {
  const path = lines.map((l) => l.path).reduce(commonPath);
  return path.length > 2 && lines.every((l) => l.scalar && l.path.length === path.length) ? path.slice(0, -1) : path;
}

/** The list item a place is in (`containers[api]`, `env[LEVEL]`), else its top-level field (`metadata.labels`, `nodeSelector`). */
function anchorOf(path: readonly Step[]): Step[] {
  let last = path.length - 1;
  while (last >= 0 && !('item' in path[last])) last--;
  return last >= 0 ? path.slice(0, last + 1) : path.slice(0, 2);
}

const startsWith = (path: readonly Step[], prefix: readonly Step[]) => prefix.length <= path.length && prefix.every((s, i) => sameStep(s, path[i]));

/** `containers[api] resources.limits`: the pod spec's fields without `spec.`, a long place cut in the middle. */
export function placeText(path: readonly Step[]): string {
  const steps = path.length > 1 && 'key' in path[0] && path[0].key === 'spec' ? path.slice(1) : path;
  let text = '';
  steps.forEach((s, i) => {
    if ('item' in s) text += `[${s.item}]`;
    else text += `${i === 0 ? '' : 'item' in steps[i - 1] ? ' ' : '.'}${sanitize(s.key, { maxLength: PLACE_WIDTH / 2 })}`;
  });
  if (text.length <= PLACE_WIDTH) return text;
  // Keep the first item (the container) and the most specific end.
  const head = text.includes('] ') ? text.slice(0, text.indexOf('] ') + 2) : '';
  return `${head}${glyphs.cut}${text.slice(text.length - (PLACE_WIDTH - head.length - 1))}`;
}

/**
 * A unified diff of two templates' placed lines, `context` lines around each change, every hunk
 * headed by its place (`@@ containers[api] resources.limits @@`). Changes in one list item (a
 * container, an env var, a volume) or one top-level field share a heading; a hunk that joins
 * changes in two of them is cut in two, the second heading before the first line of its item.
 */
export function templateDiff(from: readonly PlacedLine[], to: readonly PlacedLine[], context = 3): string[] {
  const ops = diffOps(
    from.map((l) => l.text),
    to.map((l) => l.text),
  );
  const lineOf = (op: DiffOp) => (op.sign === '+' ? to[op.to] : from[op.from]);
  const out: string[] = [];
  for (const hunk of diffHunks(ops, context)) {
    // The runs of changed lines, each placed; neighbours in the same item form one section.
    const sections: Array<{ start: number; end: number; place: Step[]; anchor: Step[] }> = [];
    for (let k = 0; k < hunk.length; k++) {
      if (hunk[k].sign === ' ') continue;
      let end = k;
      while (end < hunk.length && hunk[end].sign !== ' ') end++;
      const place = placeOfLines(hunk.slice(k, end).map(lineOf));
      const anchor = anchorOf(place);
      const prev = sections.at(-1);
      if (prev && prev.anchor.length === anchor.length && startsWith(prev.anchor, anchor)) Object.assign(prev, { end, place: commonPath(prev.place, place) });
      else sections.push({ start: k, end, place, anchor });
      k = end - 1;
    }
    // A section begins at the first unchanged line out of the one before's item and in its own
    // (a container's `- env:`), else at its first change.
    const cuts = sections.map((s, i) => {
      if (i === 0) return 0;
      const prev = sections[i - 1].anchor;
      const own = s.anchor.slice(0, commonPath(prev, s.anchor).length + 1);
      for (let k = sections[i - 1].end; k < s.start; k++) {
        const path = lineOf(hunk[k]).path;
        if (!startsWith(path, prev) && startsWith(path, own)) return k;
      }
      return s.start;
    });
    sections.forEach((s, i) => {
      const text = placeText(s.place);
      out.push(text ? `@@ ${text} @@` : '@@');
      for (const op of hunk.slice(cuts[i], cuts[i + 1] ?? hunk.length)) out.push(`${op.sign} ${lineOf(op).text}`);
    });
  }
  return out;
}
