import { glyphText } from '../../terminal/glyphs.js';

// Key presses from the terminal's input stream, one at a time.
//
// Ink's stdin reader (6.8) already cuts the stream into events and waits for the rest of an
// escape sequence (a lone ESC is flushed on the next tick, so Esc and Alt-x are told apart). An
// event is either one escape sequence or a run of plain characters: a paste, keys typed faster
// than a frame ("jj", "cart\r" over SSH or from automation), or Ctrl codes among letters. Each
// run is split here into single presses, so every key is handled on its own against where the
// user is at that moment.

export interface KeyPress {
  /**
   * The key's name in the keymap: a printable character as itself ('j', 'J', '/', '+'), or
   * 'space', 'enter', 'escape', 'tab', 'shift+tab', 'backspace', 'delete', 'up', 'down', 'left',
   * 'right', 'shift+left', 'shift+right', 'pageup', 'pagedown', 'home', 'end', 'ctrl+a'...'ctrl+z',
   * 'alt+x'; 'unknown' for a sequence this console does not use.
   */
  name: string;
  /** The text the key types into a prompt ('' for keys that type nothing). */
  text: string;
}

const SEQUENCES: Record<string, string> = {
  '[A': 'up', '[B': 'down', '[C': 'right', '[D': 'left',
  OA: 'up', OB: 'down', OC: 'right', OD: 'left',
  '[1;2A': 'shift+up', '[1;2B': 'shift+down', '[1;2C': 'shift+right', '[1;2D': 'shift+left',
  '[a': 'shift+up', '[b': 'shift+down', '[c': 'shift+right', '[d': 'shift+left',
  '[5~': 'pageup', '[6~': 'pagedown', '[[5~': 'pageup', '[[6~': 'pagedown',
  '[H': 'home', '[1~': 'home', '[7~': 'home', OH: 'home',
  '[F': 'end', '[4~': 'end', '[8~': 'end', OF: 'end',
  '[3~': 'delete', '[2~': 'insert', '[Z': 'shift+tab',
};

function controlKey(ch: string): KeyPress {
  switch (ch) {
    case '\r':
    case '\n':
      return { name: 'enter', text: '' };
    case '\t':
      return { name: 'tab', text: '' };
    case '\x7f':
    case '\b':
      return { name: 'backspace', text: '' };
    case '\x1b':
      return { name: 'escape', text: '' };
    case '\x00':
      return { name: 'ctrl+space', text: '' };
  }
  const code = ch.charCodeAt(0);
  if (code >= 1 && code <= 26) return { name: `ctrl+${String.fromCharCode(code + 96)}`, text: '' };
  return { name: 'unknown', text: '' };
}

function plainKey(ch: string): KeyPress {
  if (ch === ' ') return { name: 'space', text: ' ' };
  if (ch < ' ' || ch === '\x7f') return controlKey(ch);
  return { name: ch, text: ch };
}

/** The presses in one input event from Ink's stdin reader. */
export function parseKeyPresses(event: string): KeyPress[] {
  if (!event.startsWith('\x1b')) return Array.from(event, plainKey);
  if (event === '\x1b' || event === '\x1b\x1b') return [{ name: 'escape', text: '' }];
  const body = event.slice(1);
  const named = SEQUENCES[body] ?? (body.startsWith('\x1b') ? SEQUENCES[body.slice(1)] : undefined);
  if (named) return [{ name: named, text: '' }];
  // ESC + one character: Alt (Meta) + that key.
  if ([...body].length === 1) {
    const inner = plainKey(body);
    return [{ name: inner.name === 'unknown' ? 'unknown' : `alt+${inner.name}`, text: '' }];
  }
  return [{ name: 'unknown', text: '' }];
}

const DISPLAY: Record<string, string> = {
  space: 'Space', enter: 'Enter', escape: 'Esc', tab: 'Tab', 'shift+tab': 'Shift-Tab',
  backspace: 'Backspace', delete: 'Del', up: '↑', down: '↓', left: '←', right: '→',
  'shift+left': 'Shift-←', 'shift+right': 'Shift-→', 'shift+up': 'Shift-↑', 'shift+down': 'Shift-↓',
  pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End',
};

/** How a key name is written in help and hints: 'Ctrl-F', 'PgUp', '↑' (in ASCII 'Up'), 'j'. */
export function displayKey(name: string): string {
  if (DISPLAY[name]) return glyphText(DISPLAY[name]);
  const m = /^(ctrl|alt)\+(.+)$/.exec(name);
  if (m) return `${m[1] === 'ctrl' ? 'Ctrl' : 'Alt'}-${m[2].length === 1 ? m[2].toUpperCase() : displayKey(m[2])}`;
  return name;
}

/** Key names as users may write them in the config file ('Ctrl-F', 'PgDn', 'Space', 'j'), canonical. */
export function canonicalKey(written: string): string | undefined {
  const text = written.trim();
  if ([...text].length === 1) return text === ' ' ? 'space' : text;
  const lower = text.toLowerCase().replace(/-/g, '+');
  const aliases: Record<string, string> = {
    esc: 'escape', return: 'enter', pgup: 'pageup', pgdn: 'pagedown', pgdown: 'pagedown', del: 'delete',
    '↑': 'up', '↓': 'down', '←': 'left', '→': 'right', bs: 'backspace',
  };
  const m = /^(ctrl|control|alt|meta|shift)\+(.+)$/.exec(lower);
  if (m) {
    const mod = m[1] === 'control' ? 'ctrl' : m[1] === 'meta' ? 'alt' : m[1];
    const key = aliases[m[2]] ?? m[2];
    if (mod === 'ctrl' && /^[a-z]$/.test(key)) return `ctrl+${key}`;
    if (mod === 'alt' && [...key].length === 1) return `alt+${key}`;
    if (mod === 'shift' && ['left', 'right', 'up', 'down', 'tab'].includes(key)) return `shift+${key}`;
    if (mod === 'shift' && /^[a-z]$/.test(key)) return key.toUpperCase();
    return undefined;
  }
  const name = aliases[lower] ?? lower;
  return Object.prototype.hasOwnProperty.call(DISPLAY, name) ? name : undefined;
}
