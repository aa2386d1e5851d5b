// `:run curl -s 'localhost:8080/health?full=1'` → argv. Words split on blanks; single quotes keep
// everything, double quotes keep blanks and allow \" and \\, a backslash outside quotes escapes
// the next character. No variables or globs: the command runs in the container as given.

export function splitCommandLine(text: string): { argv: string[] } | { error: string } {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text[++i];
      else word += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) return { error: `unbalanced ${quote === "'" ? 'single' : 'double'} quote` };
  if (inWord) argv.push(word);
  return { argv };
}

/** argv → one line the user can read back (and paste into `:run`): words with blanks or quotes single-quoted. */
export function joinCommandLine(argv: readonly string[]): string {
  return argv.map((w) => (w === '' || /[\s'"\\]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w)).join(' ');
}
