import type { KeyScope, Keymap } from './keymap.js';
import { glyphText } from '../../terminal/glyphs.js';

// The `?` page, made from the keymap: the sections of the key stack of the view shown (its own
// keys first, then sorts, list keys and global keys), each binding with its keys as the user
// has them (rebinding included) and its line, wrapped to the width.

const KEY_COLUMN = 18;

export interface HelpPageInput {
  keymap: Keymap;
  scopes: ReadonlyArray<KeyScope<never>>;
  /** What Enter opens on this list view (its descriptor's drill help). */
  drillHelp?: string;
  /** The `:` commands, listed at the end. */
  commands?: readonly string[];
  width: number;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
    while (line.length > width) {
      out.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line) out.push(line);
  return out.length ? out : [''];
}

/** The page's lines (without its title), ready to draw and scroll. */
export function helpPageLines({ keymap, scopes, drillHelp, commands, width }: HelpPageInput): string[] {
  const lines: string[] = [];
  const helpWidth = Math.max(20, width - KEY_COLUMN - 4);
  const entry = (keys: string, help: string) => {
    const wrapped = wrap(glyphText(help), helpWidth);
    const keyText = keys.length > KEY_COLUMN ? `${keys}\n` : keys;
    if (keyText.endsWith('\n')) {
      lines.push(`   ${keys}`);
      for (const w of wrapped) lines.push(`   ${''.padEnd(KEY_COLUMN)} ${w}`);
      return;
    }
    wrapped.forEach((w, i) => lines.push(`   ${(i === 0 ? keys : '').padEnd(KEY_COLUMN)} ${w}`));
  };
  for (const scope of scopes) {
    // The view says what Enter opens; the list's generic line would repeat it.
    const bindings = scope.bindings.filter((b) => keymap.keysOf(b).length && !(drillHelp && b.action === 'list.drill'));
    if (!bindings.length && !(drillHelp && scope.id.startsWith('view:'))) continue;
    if (lines.length) lines.push('');
    lines.push(` ${scope.title}`);
    if (drillHelp && scope.id.startsWith('view:')) entry('Enter', drillHelp);
    for (const b of bindings) {
      // Sorts are Shift+letter: say so, as users look for it.
      const keys = scope.id === 'sort' ? keymap.keysOf(b).map((k) => (/^[A-Z]$/.test(k) ? `Shift-${k}` : k)).join(' ') : keymap.display(b);
      entry(keys, b.help);
    }
  }
  if (commands?.length) {
    lines.push('', ' Commands (:)');
    for (const w of wrap(glyphText(commands.join('  ')), Math.max(20, width - 4))) lines.push(`   ${w}`);
  }
  return lines;
}
