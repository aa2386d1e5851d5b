import stringWidth from 'string-width';

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

/** Cuts `s` to at most `width` columns (with … when cut) and pads it to exactly `width`. */
export function fit(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  let w = displayWidth(s);
  if (w > width) {
    if (isAscii(s)) s = `${s.slice(0, width - 1)}…`;
    else {
      let out = '';
      let used = 0;
      for (const ch of s) {
        const cw = stringWidth(ch);
        if (used + cw > width - 1) break;
        out += ch;
        used += cw;
      }
      s = `${out}…`;
    }
    w = displayWidth(s);
  }
  const pad = ' '.repeat(Math.max(0, width - w));
  return align === 'left' ? s + pad : pad + s;
}
