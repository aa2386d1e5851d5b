import stringWidth from 'string-width';

// Writes only the part of a line that changed. Ink's incremental rendering (render option
// incrementalRendering) rewrites each changed line whole: a pod's age ticking from 8m59s to
// 9m00s costs the row's 160 columns with their colours, every second, on every young pod's
// row. Over a slow SSH link that is most of what the console writes. This sits between Ink
// and the terminal, reads Ink's incremental frames (cursor up to the frame's top, then per line
// either "next line" or "column 1, the line, erase to its end, newline"), remembers what each
// row holds, and replaces a changed line by: column of the first changed cell, the colours in
// effect there, the cells up to the last changed one, colours reset. What the terminal shows is
// the same; any write it does not recognise (a first frame, a resize, a hand-off) goes through
// as it is and makes it forget the rows. A run of unchanged lines ("next line" each) is one
// move: carriage return and cursor down (CR, CUD: in every terminal since the VT100).

const FRAME_TOP = /^\x1b\[(\d+)A/;
const SEGMENT = /\x1b\[E|\x1b\[1G([^\x1b\n]*(?:\x1b\[[0-9;:]*m[^\x1b\n]*)*)\x1b\[K(\n?)/y;
const SGR = /\x1b\[([0-9;:]*)m/y;

/** A line as cells: each visible character with the colours and attributes in effect. */
interface Cell {
  ch: string;
  /** The SGR state before the character, as parameters that set it from a reset ('' = default). */
  style: string;
}

export class LineDiff {
  /** What each row of the frame holds, as Ink wrote it; undefined when not known. */
  private rows: Array<string | undefined> = [];

  /** `text` as it should reach the terminal. */
  write(text: string): string {
    const top = FRAME_TOP.exec(text);
    if (!top) {
      // Synchronized-output brackets and cursor visibility say nothing about the rows.
      if (!/^(?:\x1b\[\?(?:2026|25)[hl])*$/.test(text)) this.rows = [];
      return text;
    }
    let at = top[0].length;
    let row = 0;
    let out = top[0];
    let skipped = 0;
    const skip = () => {
      out += skipped === 1 ? '\x1b[E' : skipped > 1 ? `\r\x1b[${skipped}B` : '';
      skipped = 0;
    };
    const learned: Array<[number, string]> = [];
    SEGMENT.lastIndex = at;
    for (let m = SEGMENT.exec(text); m; m = SEGMENT.exec(text)) {
      at = SEGMENT.lastIndex;
      if (m[1] === undefined) skipped++;
      else {
        skip();
        out += this.changed(this.rows[row], m[1], m[2]);
        learned.push([row, m[1]]);
      }
      row++;
    }
    skip();
    if (at !== text.length) {
      // Not a frame this understands after all: write it as Ink did, forget the rows.
      this.rows = [];
      return text;
    }
    for (const [r, line] of learned) this.rows[r] = line;
    return out;
  }

  /** A changed line, as the span of cells that differ (or whole when that cannot be done). */
  private changed(before: string | undefined, after: string, newline: string): string {
    const whole = `\x1b[1G${after}\x1b[K${newline}`;
    if (before === undefined) return whole;
    const a = cells(before);
    const b = cells(after);
    if (!a || !b || a.length !== b.length) return whole;
    let first = 0;
    while (first < b.length && a[first].ch === b[first].ch && a[first].style === b[first].style) first++;
    if (first === b.length) return newline;
    let last = b.length - 1;
    while (last > first && a[last].ch === b[last].ch && a[last].style === b[last].style) last--;
    // A line starts in the default colours (Ink closes every style it opens), as a span ends.
    let style = b[first].style;
    let span = `\x1b[${first + 1}G${style ? `\x1b[0;${style}m` : ''}`;
    for (let i = first; i <= last; i++) {
      if (b[i].style !== style) {
        span += `\x1b[0${b[i].style ? `;${b[i].style}` : ''}m`;
        style = b[i].style;
      }
      span += b[i].ch;
    }
    const partial = `${span}${style ? '\x1b[0m' : ''}${newline}`;
    return partial.length < whole.length ? partial : whole;
  }
}

const widthOne = new Map<string, boolean>();

/**
 * The cells of a line, or undefined when a character is not one column (wide, zero-width):
 * there the terminal's idea of a column may differ from ours, and the whole line is safer.
 */
function cells(line: string): Cell[] | undefined {
  const out: Cell[] = [];
  const state = new SgrState();
  let i = 0;
  while (i < line.length) {
    if (line.charCodeAt(i) === 0x1b) {
      SGR.lastIndex = i;
      const m = SGR.exec(line);
      if (!m) return undefined;
      state.apply(m[1]);
      i = SGR.lastIndex;
      continue;
    }
    const cp = line.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (cp < 0x20 || cp === 0x7f) return undefined;
    if (cp > 0x7e) {
      let one = widthOne.get(ch);
      if (one === undefined) widthOne.set(ch, (one = stringWidth(ch) === 1));
      if (!one) return undefined;
    }
    out.push({ ch, style: state.key() });
    i += ch.length;
  }
  return out;
}

/** The SGR attributes in effect, from the sequences seen so far in a line. */
class SgrState {
  private fg = '';
  private bg = '';
  private flags = new Set<number>();
  private cached: string | undefined = '';

  apply(params: string): void {
    this.cached = undefined;
    const p = params === '' ? [0] : params.split(/[;:]/).map(Number);
    for (let i = 0; i < p.length; i++) {
      const n = p[i];
      if (n === 0) {
        this.fg = this.bg = '';
        this.flags.clear();
      } else if (n === 38 || n === 48) {
        const len = p[i + 1] === 5 ? 2 : p[i + 1] === 2 ? 4 : 0;
        const value = p.slice(i, i + 1 + len).join(';');
        if (n === 38) this.fg = value;
        else this.bg = value;
        i += len;
      } else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) this.fg = String(n);
      else if ((n >= 40 && n <= 47) || (n >= 100 && n <= 107)) this.bg = String(n);
      else if (n === 39) this.fg = '';
      else if (n === 49) this.bg = '';
      else if (n === 22) {
        this.flags.delete(1);
        this.flags.delete(2);
      } else if (n >= 23 && n <= 29) this.flags.delete(n === 23 ? 3 : n === 24 ? 4 : n === 27 ? 7 : n === 29 ? 9 : n - 20);
      else if (n >= 1 && n <= 9) this.flags.add(n);
    }
  }

  /** Parameters that set this state from a reset: '1;36' (bold, cyan). */
  key(): string {
    return (this.cached ??= [...[...this.flags].sort((a, b) => a - b), ...(this.fg ? [this.fg] : []), ...(this.bg ? [this.bg] : [])].join(';'));
  }
}
