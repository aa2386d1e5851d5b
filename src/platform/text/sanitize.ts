import stringWidth from 'string-width';
import { glyphs } from '../../terminal/glyphs.js';

// Text from the cluster or a log store is untrusted: a pod name, an event message or a
// log line must never move the cursor, set the title, write the clipboard (OSC 52) or
// otherwise drive the terminal. Everything but SGR colour sequences is removed, and so are the
// Unicode bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a terminal
// that does bidi (mlterm, Konsole, VTE) a right-to-left override reorders the rest of the row,
// columns the console drew included ("Trojan Source"). Right-to-left text itself is kept.

// CSI: ESC [ params intermediates final; OSC: ESC ] ... (BEL | ESC \); other ESC sequences;
// 8-bit C1 forms (0x9b CSI, 0x9d OSC, 0x90 DCS, ...).
const OSC_LIKE = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)/g;
const CSI = /(?:\x1b\[|\x9b)([0-?]*)([ -/]*)([@-~])/g;
const OTHER_ESC = /\x1b[ -/]*[0-~]?/g;

export interface SanitizeOptions {
  /** Keep SGR colour sequences (ESC [ ... m). Default false: plain text. */
  keepColor?: boolean;
  /** Cut longer text (after sanitising) and mark the cut with an ellipsis. */
  maxLength?: number;
}

export function sanitize(text: string, opts: SanitizeOptions = {}): string {
  let out = text;
  // Fast path: most names and lines carry no control characters at all.
  if (/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(out)) {
    out = out.replace(OSC_LIKE, '');
    out = out.replace(CSI, (seq, params: string, inter: string, final: string) =>
      opts.keepColor && final === 'm' && inter === '' && /^[0-9;:]*$/.test(params) ? `\x1b[${params}m` : '',
    );
    // Protect kept SGR sequences from the generic ESC and control stripping below.
    const kept: string[] = [];
    if (opts.keepColor) out = out.replace(/\x1b\[[0-9;:]*m/g, (m) => `\u0000${kept.push(m) - 1}\u0000`);
    out = out.replace(OTHER_ESC, '').replace(/\t/g, '    ');
    out = out.replace(/\u0000(\d+)\u0000|[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, (m, i: string | undefined) =>
      i !== undefined ? kept[Number(i)] : '',
    );
  }
  if (opts.maxLength !== undefined && out.length > opts.maxLength) out = `${out.slice(0, opts.maxLength - 1)}${glyphs.cut}`;
  return out;
}

/**
 * Text as a terminal without UTF-8 shows it (LANG=C, --ascii): each character beyond ASCII
 * becomes `?`, one per column it takes (a CJK character two, a combining accent none), so what
 * was laid out for the line still lines up. For display only: what is held, copied or written
 * to a file keeps the text whole.
 */
export function asciiForDisplay(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  return text.replace(/[^\x00-\x7f]+/g, (run) => '?'.repeat(stringWidth(run)));
}

/** `text` as the terminal in use shows it: unchanged with UTF-8, else asciiForDisplay. */
export function forDisplay(text: string): string {
  return glyphs.charset === 'ascii' ? asciiForDisplay(text) : text;
}
