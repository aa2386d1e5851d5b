// Reads a CPU profile of the built console (node --cpu-prof; `bench:pods --cpu-prof DIR`) and
// prints where the time went: self time by source file and by function, mapped through
// dist/'s source maps (the bundle is minified), and the time under a few frames of interest.
//
//   node test/bench/profileTop.mjs FILE.cpuprofile [--top 30] [--window 0-5]   (seconds from the profile's start)
import { readFileSync, existsSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' }, window: { type: 'string' } } });
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const top = Number(values.top);

const maps = new Map();
function mapOf(url) {
  if (!maps.has(url)) {
    let map;
    try {
      const file = url.startsWith('file:') ? fileURLToPath(url) : url;
      if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = undefined;
    }
    maps.set(url, map);
  }
  return maps.get(url);
}

/** Where a profile frame is in the sources: `file:line name`. */
function place(frame) {
  if (!frame.url) return { file: `(${frame.functionName || 'native'})`, name: frame.functionName || '(anonymous)' };
  const map = mapOf(frame.url);
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry && entry.originalSource) {
    const file = entry.originalSource.replace(/^.*?(node_modules\/|src\/)/, '$1');
    return { file, name: `${file}:${entry.originalLine + 1}${entry.name ? ` ${entry.name}` : ''}` };
  }
  const file = frame.url.replace(/^.*\//, '');
  return { file, name: `${file}:${frame.lineNumber + 1} ${frame.functionName || '(anonymous)'}` };
}

const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const deltas = profile.timeDeltas;
const [from, to] = (values.window ?? '0-Infinity').split('-').map((x) => Number(x) * 1e6);
let at = 0;
profile.samples.forEach((id, i) => {
  at += deltas[i];
  if (at >= from && at < to) self.set(id, (self.get(id) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

const files = new Map();
const fns = new Map();
const placeOf = new Map();
for (const n of profile.nodes) {
  const p = place(n.callFrame);
  placeOf.set(n.id, p);
  const ms = self.get(n.id) ?? 0;
  files.set(p.file, (files.get(p.file) ?? 0) + ms);
  fns.set(p.name, (fns.get(p.name) ?? 0) + ms);
}

// Inclusive time under each source file (counted once per sample however deep it recurs).
const under = new Map();
for (const [id, ms] of self) {
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const f = placeOf.get(at).file;
    if (!seen.has(f)) {
      seen.add(f);
      under.set(f, (under.get(f) ?? 0) + ms);
    }
  }
}

const show = (title, map, n) => {
  console.log(`\n${title}`);
  for (const [k, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`profile: ${total.toFixed(0)} ms sampled, ${(profile.endTime - profile.startTime) / 1000 | 0} ms wall`);
show('self time by file', files, top);
show('self time by function', fns, top);
show('inclusive time by file (warroom sources)', new Map([...under].filter(([f]) => f.startsWith('src/'))), top);
