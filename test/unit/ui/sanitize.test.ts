import { describe, expect, it } from 'vitest';
import { sanitize } from '../../../src/platform/text/sanitize.js';

describe('sanitize', () => {
  it('removes OSC 52 clipboard writes and title changes', () => {
    expect(sanitize('a\x1b]52;c;ZXZpbA==\x07b')).toBe('ab');
    expect(sanitize('a\x1b]0;pwned\x1b\\b')).toBe('ab');
  });
  it('removes cursor movement, screen clearing and bell', () => {
    expect(sanitize('x\x1b[2J\x1b[H\x1b[10;5Hy\x07z')).toBe('xyz');
    expect(sanitize('ok\rFAKE')).toBe('okFAKE');
    expect(sanitize('a\x9b2Jb')).toBe('ab');
  });
  it('keeps colour only when asked', () => {
    expect(sanitize('\x1b[31mred\x1b[0m')).toBe('red');
    expect(sanitize('\x1b[31mred\x1b[0m', { keepColor: true })).toBe('\x1b[31mred\x1b[0m');
    expect(sanitize('\x1b[31;1Hred', { keepColor: true })).toBe('red');
  });
  it('leaves ordinary text and unicode alone, expands tabs, caps length', () => {
    expect(sanitize('checkout-7f9c — 商品 ✓')).toBe('checkout-7f9c — 商品 ✓');
    expect(sanitize('a\tb')).toBe('a    b');
    expect(sanitize('abcdefgh', { maxLength: 5 })).toBe('abcd…');
  });
  it('removes bidi overrides, embeddings and isolates, keeping right-to-left text and its marks', () => {
    expect(sanitize('invoice\u202Efdp.exe\u202C ok')).toBe('invoicefdp.exe ok');
    expect(sanitize('a\u2066b\u2067c\u2068d\u2069e\u202Af\u202Bg\u202Dh', { keepColor: true })).toBe('abcdefgh');
    expect(sanitize('שלום \u200Fעולם مرحبا')).toBe('שלום \u200Fעולם مرحبا');
  });
});
