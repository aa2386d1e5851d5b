import { describe, expect, it } from 'vitest';
import { appsTable } from '../../../src/ui/views/lists/appsView.js';
import { podsTable } from '../../../src/ui/views/lists/podsView.js';
import { systemsTable } from '../../../src/ui/views/lists/systemsView.js';
import { hiddenColumns, hiddenNote, tableHeader } from '../../../src/ui/widgets/VirtualTable.js';

// The header says which columns a narrow terminal leaves out, so nobody looks for a node
// or an IP that is merely off screen.

describe('hidden columns in the table header', () => {
  it('pods at 80 columns: NODE and IP are named at the right of the names column', () => {
    const h = tableHeader(podsTable(false), 80);
    expect(h.text).toHaveLength(80);
    expect(h.text).toMatch(/^ POD↑ +2 hidden: NODE IP \(wider terminal\) READY STATUS +RESTARTS +AGE$/);
    expect(h.text.slice(h.note!.start, h.note!.end)).toBe('2 hidden: NODE IP (wider terminal)');
  });

  it('with state marks (a two-cell gutter) the note stays over the names column', () => {
    const h = tableHeader(podsTable(false), 80, undefined, 2);
    expect(h.text).toHaveLength(80);
    expect(h.text).toMatch(/^ {2}POD↑ +\S.* READY STATUS/);
    expect(h.text.slice(h.note!.start, h.note!.end)).toMatch(/hidden: NODE IP/);
    expect(h.text.slice(h.note!.end)).toMatch(/^ READY /);
  });

  it('nothing is said when every column fits', () => {
    const h = tableHeader(podsTable(false), 160);
    expect(h.note).toBeUndefined();
    expect(h.text).toMatch(/NODE\s+IP\s*$/);
    expect(hiddenColumns(podsTable(false), 160)).toEqual([]);
  });

  it('names what is hidden in every list view, the shorter wording when room is short', () => {
    expect(tableHeader(systemsTable, 80).text).toContain('hidden: NAMESPACE');
    expect(tableHeader(appsTable(false), 80).text).toMatch(/^ APPLICATION↑ +\+IMAGES KIND /);
    // All pods of a system with sparklines: five hidden, the shorter wording, never cut.
    const spark = () => ({ cpu: [1], memory: [1], scale: { cpu: 1, memory: 1 } });
    const h = tableHeader(podsTable(true, spark), 80);
    expect(h.text.slice(h.note!.start, h.note!.end)).toBe('+APPLICATION CPU MEM NODE IP');
    expect(h.text).toMatch(/^ POD↑ /);
  });

  it('the wordings go from the full list down to a count', () => {
    const cols = [{ title: 'NODE' }, { title: 'IP' }];
    expect(hiddenNote(cols, 40)).toBe('2 hidden: NODE IP (wider terminal)');
    expect(hiddenNote(cols, 20)).toBe('hidden: NODE IP');
    expect(hiddenNote(cols, 9)).toBe('+NODE IP');
    expect(hiddenNote(cols, 7)).toBe('+2 cols');
    expect(hiddenNote(cols, 5)).toBe('+2');
    expect(hiddenNote([], 40)).toBe('');
  });
});
