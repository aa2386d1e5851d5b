import { describe, expect, it } from 'vitest';
import { helpPageLines } from '../../../src/ui/keys/help.js';
import { canonicalKey, displayKey, parseKeyPresses } from '../../../src/ui/keys/keyPress.js';
import { Keymap, KeymapError, type Binding, type KeyScope } from '../../../src/ui/keys/keymap.js';

const names = (event: string) => parseKeyPresses(event).map((k) => k.name);

function scope(id: string, bindings: Array<Partial<Binding<void>> & { action: string; keys: string[] }>): KeyScope<void> {
  return { id, title: id, bindings: bindings.map((b) => ({ help: `${b.action} help`, run: () => undefined, ...b })) };
}

describe('key presses', () => {
  it('splits a run typed faster than a frame into single keys, with Enter, Backspace and Ctrl codes as keys', () => {
    expect(names('jj')).toEqual(['j', 'j']);
    expect(names('cart\r')).toEqual(['c', 'a', 'r', 't', 'enter']);
    expect(names('ab\x7f\x15 ')).toEqual(['a', 'b', 'backspace', 'ctrl+u', 'space']);
    expect(parseKeyPresses('x\x03').map((k) => [k.name, k.text])).toEqual([['x', 'x'], ['ctrl+c', '']]);
  });

  it('names escape sequences, a lone Esc and Alt+key', () => {
    expect(names('\x1b[A')).toEqual(['up']);
    expect(names('\x1bOB')).toEqual(['down']);
    expect(names('\x1b[1;2C')).toEqual(['shift+right']);
    expect(names('\x1b[6~')).toEqual(['pagedown']);
    expect(names('\x1b')).toEqual(['escape']);
    expect(names('\x1bx')).toEqual(['alt+x']);
    expect(names('\x1b[99;5~')).toEqual(['unknown']);
  });

  it('reads key names as users write them and writes them back for the help page', () => {
    expect(canonicalKey('Ctrl-N')).toBe('ctrl+n');
    expect(canonicalKey('PgDn')).toBe('pagedown');
    expect(canonicalKey('Esc')).toBe('escape');
    expect(canonicalKey('Shift-Left')).toBe('shift+left');
    expect(canonicalKey('J')).toBe('J');
    expect(canonicalKey('Hyper-Q')).toBeUndefined();
    expect(canonicalKey('banana')).toBeUndefined();
    expect(displayKey('ctrl+f')).toBe('Ctrl-F');
    expect(displayKey('pageup')).toBe('PgUp');
  });
});

describe('keymap', () => {
  const list = scope('list', [{ action: 'list.down', keys: ['j', 'down'] }, { action: 'list.back', keys: ['escape'], before: 'back' }]);
  const global = scope('global', [{ action: 'back', keys: ['escape'] }, { action: 'quit', keys: ['q'] }]);

  it('finds the binding of a key in a scope, with the user\'s keys replacing the defaults', () => {
    const map = new Keymap({ 'list.down': ['Ctrl-N', 'n'] });
    expect(map.find(list, 'ctrl+n')?.action).toBe('list.down');
    expect(map.find(list, 'n')?.action).toBe('list.down');
    expect(map.find(list, 'j')).toBeUndefined();
    expect(new Keymap().find(list, 'j')?.action).toBe('list.down');
  });

  it('refuses a key bound to two actions in one stack, naming both, but not a binding that comes before another on purpose', () => {
    expect(new Keymap().problems([[list, global]])).toEqual([]);
    const plugin = scope('view:pods', [{ action: 'plugin.stern', keys: ['j'] }]);
    const problems = new Keymap().problems([[plugin, list, global]]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/key j is bound twice in view:pods: to plugin\.stern \(plugin\.stern help\) in view:pods and to list\.down \(list\.down help\) in list/);
    // A user's rebinding that collides is refused the same way.
    expect(new Keymap({ quit: ['j'] }).problems([[list, global]])[0]).toMatch(/key j is bound twice/);
  });

  it('names an unknown action with the closest one, and a key name that is not one', () => {
    expect(new Keymap({ 'list.dwn': ['x'] }).problems([[list, global]])).toEqual(['keys.list.dwn: no such action; did you mean list.down?']);
    expect(() => new Keymap({ 'list.down': ['Hyper-Q'] })).toThrow(KeymapError);
  });

  it('writes hints from the bindings that have one, with the keys the user gave', () => {
    const pane = scope('pane:logs', [{ action: 'logs.pause', keys: ['space'], hint: 'pause' }, { action: 'logs.write', keys: ['w'] }]);
    expect(new Keymap().hints([pane, scope('global', [{ action: 'help', keys: ['?'], hint: 'help' }])])).toBe('Space pause  ? help');
    expect(new Keymap({ 'logs.pause': ['p'] }).hints([pane])).toBe('p pause');
  });
});

describe('help page', () => {
  it('wraps long lines to the width and lists sorts as Shift+letter', () => {
    const view = scope('view:apps', [{ action: 'row.scale', keys: ['s'], help: 'scale the application (or the marked ones; on a system: all its applications), previewed and confirmed' }]);
    const sort = scope('sort', [{ action: 'sort.restarts', keys: ['R'], help: 'sort by restarts (again: reverse)' }]);
    const lines = helpPageLines({ keymap: new Keymap(), scopes: [view, sort], drillHelp: 'pods of the application', width: 80 });
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines).toContain(`   ${'Enter'.padEnd(18)} pods of the application`);
    expect(lines.some((l) => /^ {3}s {18}scale the application/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {22}.*previewed and confirmed/.test(l))).toBe(true);
    expect(lines.some((l) => /Shift-R\s+sort by restarts/.test(l))).toBe(true);
  });
});
