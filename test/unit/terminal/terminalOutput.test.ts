import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { loadTheme, themeForDepth, type Theme } from '../../../src/config/theme.js';
import { asciiForDisplay, sanitize } from '../../../src/platform/text/sanitize.js';
import { adaptedStdout, adaptOutput } from '../../../src/terminal/terminalOutput.js';

// The display layer: what the console writes, fit for the terminal it runs in.

const EXTENDED = /\x1b\[[0-9;:]*(?:38|48)[;:][25][;:]/;

describe('colours on a terminal with fewer of them', () => {
  it('8 colours (TERM=screen, xterm, linux): 256-colour and RGB colours become the nearest of the eight; bright ones their normal form', () => {
    const t = { ascii: false, colors: 3 as const };
    expect(adaptOutput('\x1b[38;5;196mred\x1b[39m', t)).toBe('\x1b[31mred\x1b[39m');
    expect(adaptOutput('\x1b[48;2;0;0;238mblue\x1b[49m', t)).toBe('\x1b[44mblue\x1b[49m');
    expect(adaptOutput('\x1b[1;91mbold red\x1b[0m', t)).toBe('\x1b[1;31mbold red\x1b[0m');
    // Grey (bright black), the dim text of most themes: white on a dark background, black on a light one.
    expect(adaptOutput('\x1b[90mdim', t)).toBe('\x1b[37mdim');
    expect(adaptOutput('\x1b[90mdim', { ...t, lightBackground: true })).toBe('\x1b[30mdim');
    // Colon forms too.
    expect(adaptOutput('\x1b[38:2::255:0:0mx', t)).toBe('\x1b[31mx');
    expect(adaptOutput('\x1b[38:5:46mx', t)).toBe('\x1b[32mx');
  });

  it('16 colours keep the bright ones; 256 colours keep 38;5 and turn RGB into it', () => {
    expect(adaptOutput('\x1b[38;5;9mx\x1b[91my', { ascii: false, colors: 4 })).toBe('\x1b[91mx\x1b[91my');
    expect(adaptOutput('\x1b[38;5;208mx', { ascii: false, colors: 8 })).toBe('\x1b[38;5;208mx');
    expect(adaptOutput('\x1b[38;2;255;135;0mx', { ascii: false, colors: 8 })).toBe('\x1b[38;5;208mx');
  });

  it('no colours (NO_COLOR): colour goes, bold, inverse and resets stay', () => {
    const t = { ascii: false, colors: 1 as const };
    expect(adaptOutput('\x1b[1;38;5;196mx\x1b[39;22m', t)).toBe('\x1b[1mx\x1b[39;22m');
    expect(adaptOutput('\x1b[31mx\x1b[7my\x1b[0m', t)).toBe('x\x1b[7my\x1b[0m');
  });

  it('a log line keeps its colours through the sanitiser, and the terminal gets them in its depth', () => {
    const line = sanitize('\x1b[38;2;255;0;0mERROR\x1b[0m \x1b[38;5;244mdetail\x1b[0m', { keepColor: true });
    for (const colors of [1, 3, 4] as const) expect(adaptOutput(line, { ascii: false, colors })).not.toMatch(EXTENDED);
  });

  it('leaves everything as it is with any RGB (truecolor)', () => {
    const text = '\x1b[38;2;1;2;3m名\x1b[0m';
    expect(adaptOutput(text, { ascii: false, colors: 24 })).toBe(text);
  });
});

describe('text beyond ASCII on a terminal without UTF-8', () => {
  it('becomes ? per column it takes, so the line still lines up; escape sequences stay', () => {
    expect(asciiForDisplay('pod-名前 ok')).toBe('pod-???? ok');
    expect(asciiForDisplay('caf\u0065\u0301!')).toBe('cafe!');
    expect(asciiForDisplay('\x1b[31m✓ done\x1b[0m')).toBe('\x1b[31m? done\x1b[0m');
    expect(asciiForDisplay('plain')).toBe('plain');
  });

  it("Ink's own cut mark (…) is the table's ASCII one (~)", () => {
    expect(adaptOutput('a long log line tha…', { ascii: true, colors: 8 })).toBe('a long log line tha~');
  });

  it('only on the screen: what is held (and written to a file) keeps the text whole', () => {
    expect(sanitize('pod-名前')).toBe('pod-名前');
  });
});

describe('the stream Ink writes to', () => {
  class Out extends EventEmitter {
    isTTY = true;
    columns = 80;
    rows = 24;
    written = '';
    write(s: string) {
      this.written += s;
      return true;
    }
  }

  it('adapts every write and is the real stream otherwise (size, resize events)', () => {
    const out = new Out();
    const adapted = adaptedStdout(out as unknown as NodeJS.WriteStream, { ascii: true, colors: 3 });
    adapted.write('\x1b[38;5;196m✗\x1b[39m');
    expect(out.written).toBe('\x1b[31m?\x1b[39m');
    expect(adapted.columns).toBe(80);
    let resized = 0;
    adapted.on('resize', () => resized++);
    out.emit('resize');
    expect(resized).toBe(1);
  });

  it('drops what Ink writes once the terminal is given back (a last frame as the process ends)', () => {
    const out = new Out();
    let shown = true;
    const adapted = adaptedStdout(out as unknown as NodeJS.WriteStream, { ascii: false, colors: 24 }, () => shown);
    adapted.write('frame');
    shown = false;
    adapted.write('\x1b[29A\x1b[1G status line 06:29:20\x1b[K\n');
    expect(out.written).toBe('frame');
  });

});

describe('themes on a terminal of 8 or 16 colours', () => {
  const names = new Set(['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white']);
  const colours = (t: Theme) => [t.text, t.dim, t.title, t.accent, t.ok, t.warn, t.error, t.changed, t.prompt, t.breadcrumb, t.header.fg, t.header.bg, t.selection.fg, t.selection.bg, t.readonly.fg, t.readonly.bg].filter((c) => c !== undefined);

  it('every theme uses only the 8 ANSI colours at 8, its selection visible (two colours, or inverse)', () => {
    for (const name of ['dark', 'light', 'high-contrast']) {
      const t = loadTheme(name, {}, 3);
      for (const c of colours(t)) expect(names.has(c), `${name}: ${c}`).toBe(true);
      expect(t.selection.inverse || (t.selection.fg !== undefined && t.selection.fg !== t.selection.bg), name).toBe(true);
    }
  });

  it('grey text is white on a dark theme and black on a light one; text never takes the background colour', () => {
    expect(loadTheme('dark', {}, 3).dim).toBe('white');
    const light = loadTheme('light', {}, 3);
    expect(light.text).toBe('black');
    expect(light.dim).toBe('black');
  });

  it('16 colours keep bright names; hex colours become the nearest of the 16', () => {
    const t = loadTheme('high-contrast', {}, 4);
    expect(t.error).toBe('redBright');
    expect(loadTheme('light', {}, 4).error).toBe('red');
  });

  it('a selection whose two colours become one is drawn in inverse video', () => {
    const custom: Theme = { name: 'x', monochrome: false, stateMarks: false, text: 'white', header: {}, readonly: {}, selection: { fg: '#eeeeee', bg: '#dddddd' } };
    expect(themeForDepth(custom, 3).selection).toEqual({ inverse: true });
    expect(themeForDepth(custom, 8).selection).toEqual({ fg: '#eeeeee', bg: '#dddddd' });
  });
});
