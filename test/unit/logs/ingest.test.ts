import { describe, expect, it } from 'vitest';
import { ingestRecord, MAX_LINE_CHARS } from '../../../src/platform/logs/ingest.js';
import type { RawLogRecord } from '../../../src/platform/logs/logLine.js';

const rec = (message: string, extra: Partial<RawLogRecord> = {}): RawLogRecord => ({
  id: 'i/1',
  ts: 1_700_000_000_000,
  namespace: 'cart',
  pod: 'cart-api-6d9f7c5b8-x2x9q',
  container: 'api',
  message,
  ...extra,
});

// Everything a hostile line could do to the terminal, and what must remain visible.
describe('sanitising hostile log lines on ingest', () => {
  it('removes an OSC 52 clipboard write (BEL and ST terminated)', () => {
    const [l] = ingestRecord(rec('before\x1b]52;c;cm0gLXJmIH4K\x07after \x1b]52;p;ZXZpbA==\x1b\\end'));
    expect(l.text).toBe('beforeafter end');
    expect(l.text).not.toContain('\x1b');
  });
  it('removes cursor movement, erase and title sequences but keeps colour', () => {
    const [l] = ingestRecord(rec('\x1b[31mred\x1b[0m \x1b[2J\x1b[H\x1b[10;1Hmoved \x1b]0;owned\x07title \x1b[?1049l\x1b[?25lend'));
    expect(l.text).toBe('\x1b[31mred\x1b[0m moved title end');
    expect(l.plain).toBe('red moved title end');
  });
  it('removes BEL, carriage returns and backspaces that would overwrite what is shown', () => {
    const [l] = ingestRecord(rec('password=hunter2\rpassword=******** \x07\x08\x08done'));
    expect(l.text).toBe('password=hunter2password=******** done');
    expect(l.text).not.toMatch(/[\r\x07\x08]/);
  });
  it('removes 8-bit C1 CSI and OSC forms', () => {
    const [l] = ingestRecord(rec('a\x9b2Jb\x9d0;x\x9cc'));
    expect(l.text).toBe('abc');
  });
  it('cleans pod and container names as well as the message', () => {
    const [l] = ingestRecord(rec('ok', { pod: 'p\x1b]0;t\x07od', container: 'c\x1b[2Jtr' }));
    expect(l.pod).toBe('pod');
    expect(l.container).toBe('ctr');
  });
  it('splits a stack trace into continuation lines under one record', () => {
    const lines = ingestRecord(rec('java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\r\n\tat a.B.d(B.java:2)\n'));
    expect(lines.map((l) => l.plain)).toEqual(['java.lang.IllegalStateException: boom', '    at a.B.c(B.java:1)', '    at a.B.d(B.java:2)']);
    expect(lines.map((l) => l.cont)).toEqual([false, true, true]);
    expect(new Set(lines.map((l) => l.id)).size).toBe(3);
    expect(lines.every((l) => l.level === lines[0].level)).toBe(true);
  });
  it('caps a huge line', () => {
    const [l] = ingestRecord(rec('x'.repeat(MAX_LINE_CHARS * 3)));
    expect(l.text.length).toBe(MAX_LINE_CHARS);
    expect(l.text.endsWith('…')).toBe(true);
  });
  it('takes the level from the level field, else from the text', () => {
    expect(ingestRecord(rec('all good', { level: 'ERROR' }))[0].level).toBe('error');
    expect(ingestRecord(rec('2026-01-01 WARN slow request'))[0].level).toBe('warn');
    expect(ingestRecord(rec('{"level":"error","msg":"x"}'))[0].level).toBe('error');
    expect(ingestRecord(rec('plain words'))[0].level).toBe('unknown');
  });
});
