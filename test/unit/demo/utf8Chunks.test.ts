import { describe, expect, it } from 'vitest';
import { Utf8Chunks } from '../../../src/demo/utf8Chunks.js';

describe('Utf8Chunks', () => {
  it('hands out chunks of at least its size whose bytes together are the UTF-8 of every text, one- to four-byte characters and huge texts alike', () => {
    const texts: string[] = [];
    for (let i = 0; i < 3000; i++) texts.push(['plain-ascii-row', 'é ü ß', '日本語のテキスト', '😀 pair', 'lone \ud800 surrogate', ','][i % 6].repeat(1 + (i % 7)));
    texts.splice(1000, 0, 'x'.repeat(50_000), '日'.repeat(40_000));
    const chunks = new Utf8Chunks(4096);
    const out: Buffer[] = [];
    for (const text of texts) {
      chunks.write(text);
      if (chunks.full) out.push(chunks.take());
    }
    out.push(chunks.take());
    expect(out.length).toBeGreaterThan(20);
    for (const chunk of out.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(4096);
    expect(Buffer.concat(out).equals(Buffer.from(texts.join(''), 'utf8'))).toBe(true);
  });

  it('a chunk taken is not written over by what follows (it may still wait on the socket)', () => {
    const chunks = new Utf8Chunks(8);
    chunks.write('first chunk');
    const first = chunks.take();
    chunks.write('second chunk, longer');
    expect(first.toString()).toBe('first chunk');
    expect(chunks.take().toString()).toBe('second chunk, longer');
    expect(chunks.take().length).toBe(0);
  });

  it('reuses a chunk\'s memory only once it is given back as written', () => {
    const chunks = new Utf8Chunks(16);
    chunks.write('a'.repeat(20));
    const first = chunks.take();
    chunks.write('b'.repeat(20));
    const second = chunks.take();
    expect(second.buffer).not.toBe(first.buffer);
    expect(first.toString()).toBe('a'.repeat(20));
    chunks.recycle(first);
    chunks.write('c'.repeat(20));
    const third = chunks.take();
    expect(third.buffer).toBe(first.buffer);
    expect(third.toString()).toBe('c'.repeat(20));
    expect(second.toString()).toBe('b'.repeat(20));
  });
});
