import { describe, expect, it } from 'vitest';
import { hintLine, wrapWords } from '../../../src/ui/format.js';

describe('wrapWords', () => {
  it('keeps a text that fits as it is, spaces and all', () => {
    expect(wrapWords('   APPLICATION     FROM', 40, 3)).toEqual(['   APPLICATION     FROM']);
  });
  it('breaks between words, keeps the first line\'s indent and indents the rest', () => {
    expect(wrapWords('   ⚠ one two three four five', 14, 5)).toEqual(['   ⚠ one two', '     three', '     four five']);
  });
  it('splits a word longer than a line', () => {
    expect(wrapWords('abcdefghij klm', 4)).toEqual(['abcd', 'efgh', 'ij', 'klm']);
  });
  it('never returns a line wider than asked', () => {
    const text = 'PodDisruptionBudget checkout-pdb wants at least 5 available (minAvailable 5); 2 would violate it';
    for (const w of [10, 17, 24, 35]) for (const l of wrapWords(text, w, 2)) expect(l.length).toBeLessThanOrEqual(w);
    expect(wrapWords(text, 35, 2).join(' ').replace(/ +/g, ' ')).toBe(text);
  });
});

describe('hintLine', () => {
  const hints = '<esc> back  1-5 range  ←/→ cursor  r refresh  j/k scroll  :promql QUERY  ? help  q quit';
  it('keeps hints and clock when they fit', () => {
    expect(hintLine(hints, '01:23:45', 120).trimEnd()).toBe(` ${hints}   01:23:45`);
  });
  it('drops spare hints before the essential ones: the object keys give way to ? help and q quit at 80 columns', () => {
    const groups = [{ text: 'y yaml', spare: true }, { text: 'd describe', spare: true }, { text: 'e edit', spare: true }, { text: 'Enter open' }, { text: '/ filter' }, { text: 'Esc back' }, { text: ': command' }, { text: '? help' }, { text: 'q quit' }];
    expect(hintLine(groups, '01:23:45', 80).trimEnd()).toBe(' y yaml  d describe  Enter open  / filter  Esc back  : command  ? help  q quit');
    expect(hintLine(groups, '01:23:45', 60).trimEnd()).toBe(' Enter open  / filter  Esc back  : command  ? help  q quit');
    expect(hintLine(groups, '01:23:45', 160).trimEnd()).toBe(' y yaml  d describe  e edit  Enter open  / filter  Esc back  : command  ? help  q quit   01:23:45');
  });
  it('drops the clock, then whole hints from the end: none is cut mid-word', () => {
    const line = hintLine(hints, '01:23:45', 80);
    expect(line).toHaveLength(80);
    expect(line.trimEnd()).toBe(' <esc> back  1-5 range  ←/→ cursor  r refresh  j/k scroll  :promql QUERY  ? help');
    expect(line).not.toContain('…');
  });
});
