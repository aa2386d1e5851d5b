import { describe, expect, it } from 'vitest';
import type { ScaleDialogState } from '../../../src/platform/stores/scaleDialogStore.js';
import { scaleDialogLines } from '../../../src/ui/views/scaleDialogLines.js';

// The scale field as the user reads it while typing: every input shows what it leads to or why
// it is not read, one line under the field.

const target = (name: string, desired: number) => ({ ref: { kind: 'Deployment' as const, namespace: 'cart', name }, desired, ready: desired });

function editing(input: string, targets = [target('cart-api', 4)], inputError?: string): ScaleDialogState {
  return { kind: 'scale', title: 'Scale', phase: 'edit', targets, system: 'cart', fixed: false, input, inputFresh: false, inputError, confirmInput: '' };
}

/** The line under the field's help line, with its tone. */
function meaning(s: ScaleDialogState): { text: string; tone: string } | undefined {
  const lines = scaleDialogLines(s, 160, 0);
  const help = lines.findIndex((l) => l.text.includes('(a step)'));
  const next = lines[help + 1];
  return next && next.text.trim() ? { text: next.text.trim(), tone: next.tone } : undefined;
}

describe('scale field lines', () => {
  it('the help says a leading sign is a step, on one application and on many', () => {
    const one = scaleDialogLines(editing('4'), 160, 0).map((l) => l.text);
    expect(one.some((l) => /\+2 \/ -1 \(a step\)/.test(l))).toBe(true);
    const many = scaleDialogLines(editing('', [target('a', 1), target('b', 2)]), 160, 0).map((l) => l.text);
    expect(many.some((l) => /\+2 \/ -1 \(a step\)/.test(l))).toBe(true);
  });

  it('a change shows the counts it leads to before Enter', () => {
    expect(meaning(editing('-1'))).toEqual({ text: 'means 4 -> 3 replicas (a step of -1)', tone: 'accent' });
    expect(meaning(editing('x1.5'))).toEqual({ text: 'means 4 -> 6 replicas (x1.5, rounded up)', tone: 'accent' });
    expect(meaning(editing('x2', [target('a', 1), target('b', 2)]))?.text).toBe('means 2 of 2 applications change: 3 -> 6 replicas (x2, rounded up)');
  });

  it('text that is not read says why while typing, and as an error after Enter', () => {
    expect(meaning(editing('1e3'))).toEqual({ text: "'1e3' is exponent notation: type the count in digits (1000)", tone: 'warn' });
    expect(meaning(editing('abc', undefined, "'abc' is not a replica count: type 5, +2, -1, x2 or x1.5"))).toEqual({ text: "'abc' is not a replica count: type 5, +2, -1, x2 or x1.5", tone: 'error' });
    // An empty field repeats nothing: the help line already lists the forms.
    expect(meaning(editing(''))).toBeUndefined();
    expect(meaning(editing('', undefined, 'type a number (5), a step (+2, -1) or a factor (x2, x1.5)'))?.tone).toBe('error');
  });
});
