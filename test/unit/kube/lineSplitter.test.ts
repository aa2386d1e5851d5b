import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../src/platform/kube/lineSplitter.js';

function feed(chunks: Buffer[]): string[] {
  const s = new LineSplitter();
  const out: string[] = [];
  for (const c of chunks) out.push(...s.push(c));
  out.push(...s.end());
  return out;
}

describe('LineSplitter', () => {
  it('joins a JSON event that arrives in many chunks, split mid-line', () => {
    const events = ['{"type":"ADDED","object":{"name":"a"}}', '{"type":"DELETED","object":{"name":"b"}}'];
    const bytes = Buffer.from(events.join('\n') + '\n');
    // every split position of the whole stream into 3 chunks of varying size
    for (let i = 1; i < bytes.length; i += 7) {
      for (let j = i + 1; j < bytes.length; j += 11) {
        const lines = feed([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        expect(lines).toEqual(events);
      }
    }
  });

  it('keeps a multi-byte UTF-8 character cut between chunks intact', () => {
    const line = '{"message":"Zürich → 東京 🚀"}';
    const bytes = Buffer.from(`${line}\n`);
    for (let cut = 1; cut < bytes.length; cut++) {
      const lines = feed([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(lines).toEqual([line]);
    }
    // one byte at a time
    expect(feed([...bytes].map((b) => Buffer.from([b])))).toEqual([line]);
  });

  it('returns several lines from one chunk, drops CR of CRLF, keeps empty lines', () => {
    const s = new LineSplitter();
    expect(s.push(Buffer.from('a\r\n\nb\nc'))).toEqual(['a', '', 'b']);
    expect(s.push(Buffer.from('d'))).toEqual([]);
    expect(s.end()).toEqual(['cd']);
  });

  it('flushes a last line without a trailing newline, and nothing when there is none', () => {
    expect(feed([Buffer.from('x\ny')])).toEqual(['x', 'y']);
    expect(feed([Buffer.from('x\n')])).toEqual(['x']);
    expect(feed([])).toEqual([]);
  });
});
