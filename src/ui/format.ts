import stringWidth from 'string-width';
import { glyphs } from '../terminal/glyphs.js';

// Display formatting: ages like kubectl's, and padding that respects wide characters.

export function formatAge(fromMs: number, nowMs: number): string {
  if (!fromMs) return '-';
  const s = Math.max(0, Math.floor((nowMs - fromMs) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  if (d < 730) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

export function formatClock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function isAscii(s: string): boolean {
  return /^[\x20-\x7e]*$/.test(s);
}

export function displayWidth(s: string): number {
  return isAscii(s) ? s.length : stringWidth(s);
}

/** Cuts `s` to at most `width` columns (with a cut mark, `…`, when cut) and pads it to exactly `width`. */
export function fit(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  let w = displayWidth(s);
  if (w > width) {
    if (isAscii(s)) s = `${s.slice(0, width - 1)}${glyphs.cut}`;
    else {
      let out = '';
      let used = 0;
      for (const ch of s) {
        const cw = stringWidth(ch);
        if (used + cw > width - 1) break;
        out += ch;
        used += cw;
      }
      s = `${out}${glyphs.cut}`;
    }
    w = displayWidth(s);
  }
  const pad = ' '.repeat(Math.max(0, width - w));
  return align === 'left' ? s + pad : pad + s;
}

/** An object's name in a list, marked while it is being deleted (it has a deletionTimestamp). */
export function listedName(name: string, deleting: boolean | undefined): string {
  return deleting ? `${name} (Terminating)` : name;
}

/**
 * `text` in lines of at most `width` columns, broken between words; a word longer than a
 * line is split. Continuation lines start with `indent` spaces. A text that fits is kept as it is.
 */
export function wrapWords(text: string, width: number, indent = 0): string[] {
  const w = Math.max(1, width);
  if (displayWidth(text) <= w) return [text];
  const pad = ' '.repeat(Math.max(0, Math.min(indent, w - 1)));
  const out: string[] = [];
  // The first line keeps its own leading spaces.
  let line = /^ */.exec(text)![0].slice(0, w - 1);
  const room = () => w - displayWidth(line);
  for (const word of text.trim().split(/ +/)) {
    if (!word) continue;
    const sep = line.trim() ? ' ' : '';
    if (displayWidth(sep + word) <= room()) {
      line += sep + word;
      continue;
    }
    if (line.trim()) out.push(line);
    line = out.length ? pad : '';
    let rest = word;
    // A word wider than a whole line is split where the line ends.
    while (displayWidth(rest) > room()) {
      const cps = Array.from(rest);
      let n = 0;
      let used = 0;
      while (n < cps.length && used + displayWidth(cps[n]) <= room()) used += displayWidth(cps[n++]);
      if (n === 0) break;
      out.push(line + cps.slice(0, n).join(''));
      line = pad;
      rest = cps.slice(n).join('');
    }
    line += rest;
  }
  if (line.trim() || !out.length) out.push(line);
  return out;
}

/** One key hint of the status line ('/ filter'); a `spare` one is shown only when there is room for it. */
export interface HintGroup {
  text: string;
  spare?: boolean;
}

/**
 * The status line's key hints and clock in `width` columns: hints are groups separated by two
 * spaces ("<esc> back  / filter"); the clock goes first, then the spare hints, then whole groups
 * from the end, so no hint is cut mid-word.
 */
export function hintLine(hints: string | readonly HintGroup[], clock: string, width: number): string {
  const groups: HintGroup[] = typeof hints === 'string' ? hints.split(/ {2,}/).map((text) => ({ text })) : [...hints];
  const line = () => ` ${groups.map((g) => g.text).join('  ')}`;
  const full = `${line()}   ${clock}`;
  if (displayWidth(full) <= width) return fit(full, width);
  for (let i = groups.length - 1; i >= 0 && displayWidth(line()) > width; i--) if (groups[i].spare) groups.splice(i, 1);
  while (groups.length > 1 && displayWidth(line()) > width) groups.pop();
  return fit(line(), width);
}
