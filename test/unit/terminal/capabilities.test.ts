import { describe, expect, it } from 'vitest';
import { chooseCharset, colorDepth, localeCharset, terminalProblem } from '../../../src/terminal/capabilities.js';

describe('the character set, from the locale as the C library picks it', () => {
  it('is UTF-8 only when the first of LC_ALL, LC_CTYPE, LANG that is set names it', () => {
    expect(localeCharset({ LANG: 'en_US.UTF-8' })).toBe('unicode');
    expect(localeCharset({ LANG: 'C.utf8' })).toBe('unicode');
    expect(localeCharset({ LANG: 'C' })).toBe('ascii');
    expect(localeCharset({ LANG: 'POSIX' })).toBe('ascii');
    expect(localeCharset({ LANG: 'de_DE.ISO-8859-1' })).toBe('ascii');
    expect(localeCharset({})).toBe('ascii');
    // LC_ALL wins over LANG, LC_CTYPE over LANG; an empty one does not count.
    expect(localeCharset({ LC_ALL: 'POSIX', LANG: 'en_US.UTF-8' })).toBe('ascii');
    expect(localeCharset({ LC_CTYPE: 'C.UTF-8', LANG: 'C' })).toBe('unicode');
    expect(localeCharset({ LC_ALL: '', LC_CTYPE: 'C', LANG: 'en_US.UTF-8' })).toBe('ascii');
  });

  it('--ascii (or terminal.ascii: true) forces ASCII; terminal.ascii: false forces UTF-8', () => {
    expect(chooseCharset({ LANG: 'en_US.UTF-8' }, true)).toBe('ascii');
    expect(chooseCharset({ LANG: 'C' }, false)).toBe('unicode');
    expect(chooseCharset({ LANG: 'C' }, undefined)).toBe('ascii');
  });
});

describe('the colours, from TERM, COLORTERM, NO_COLOR and FORCE_COLOR (bits per colour)', () => {
  it('reads TERM as terminfo describes it', () => {
    expect(colorDepth({ TERM: 'xterm-256color' })).toBe(8);
    expect(colorDepth({ TERM: 'tmux-256color' })).toBe(8);
    expect(colorDepth({ TERM: 'screen-256color' })).toBe(8);
    expect(colorDepth({ TERM: 'xterm-16color' })).toBe(4);
    for (const term of ['xterm', 'screen', 'tmux', 'linux', 'vt100', 'vt220', 'rxvt-unicode', 'xterm-color', 'ansi']) expect(colorDepth({ TERM: term })).toBe(3);
    expect(colorDepth({ TERM: 'xterm-direct' })).toBe(24);
  });

  it('COLORTERM=truecolor means any RGB; an unknown TERM has colours only when COLORTERM says so', () => {
    expect(colorDepth({ TERM: 'screen', COLORTERM: 'truecolor' })).toBe(24);
    expect(colorDepth({ TERM: 'xterm-256color', COLORTERM: '24bit' })).toBe(24);
    expect(colorDepth({ TERM: 'mystery' })).toBe(1);
    expect(colorDepth({ TERM: 'mystery', COLORTERM: 'yes' })).toBe(3);
  });

  it('NO_COLOR always means none; FORCE_COLOR is honoured as chalk and Node read it; dumb or no TERM has none', () => {
    expect(colorDepth({ TERM: 'xterm-256color', COLORTERM: 'truecolor', NO_COLOR: '1' })).toBe(1);
    expect(colorDepth({ TERM: 'xterm-256color', FORCE_COLOR: '0' })).toBe(1);
    expect(colorDepth({ TERM: 'xterm-256color', FORCE_COLOR: '1' })).toBe(4);
    expect(colorDepth({ TERM: 'dumb', FORCE_COLOR: '2' })).toBe(8);
    expect(colorDepth({ TERM: 'screen', FORCE_COLOR: '3' })).toBe(24);
    expect(colorDepth({ TERM: 'dumb' })).toBe(1);
    expect(colorDepth({})).toBe(1);
  });
});

describe('a terminal that cannot hold the console', () => {
  const tty = { isTTY: true };
  it('is refused for TERM=dumb, no TERM, or input or output that is not a terminal, in one line of 80 columns each', () => {
    expect(terminalProblem({ TERM: 'xterm' }, tty, tty)).toBeUndefined();
    expect(terminalProblem({ TERM: 'screen' }, tty, tty)).toBeUndefined();
    expect(terminalProblem({ TERM: 'dumb' }, tty, tty)).toMatch(/^TERM=dumb cannot draw a screen/);
    expect(terminalProblem({}, tty, tty)).toMatch(/^TERM is not set/);
    expect(terminalProblem({ TERM: 'xterm' }, tty, { isTTY: false })).toMatch(/output is a pipe or a file/);
    expect(terminalProblem({ TERM: 'xterm' }, {}, tty)).toMatch(/input is a pipe or a file/);
    for (const p of [terminalProblem({ TERM: 'dumb' }, tty, tty), terminalProblem({}, tty, tty), terminalProblem({}, {}, tty), terminalProblem({}, tty, {})]) {
      expect(`warroom: ${p}`.length).toBeLessThanOrEqual(80);
    }
  });
});
