import { describe, expect, it } from 'vitest';
import type { RunPodResult, RunSnapshot } from '../../../src/platform/exec/runOnPods.js';
import { runResultsLayout } from '../../../src/ui/views/runResultsLines.js';

// Run results on a jump host's 80 columns: whole pod names, the selected pod's whole
// failure reason, and its output at a readable width.

const suffixes = ['9srkf', 'bkcr5', 'c5gq9', 'hkv7p', 'q8k42', 'rgjnr', 'rr8rq', 's4cvk', 'svqtd', 'wsf79'];
const reason = 'timed out after 60 s: the command did not finish in exec.timeoutSeconds';

function snapshot(): RunSnapshot {
  const results: RunPodResult[] = suffixes.map((s, i) => ({
    namespace: 'cart',
    pod: `cart-api-tjknnxwzmj-${s}`,
    container: 'cart-api',
    state: 'done',
    ...(i === 3 ? { problem: reason } : { exitCode: 0 }),
    durationMs: 100 + i,
    output: Array.from({ length: 30 }, (_, n) => `line ${n} of cart-api-tjknnxwzmj-${s} ${'x'.repeat(40)}`).join('\n'),
    truncated: false,
  }));
  return { version: 1, scope: 'Deployment/cart-api in cart', command: ['sh', '-c', 'work'], startedAt: 0, finishedAt: 2000, results };
}

describe('run results layout', () => {
  it('at 80x20 stacks: whole pod names, the selected failure with its whole reason, then its output at full width', () => {
    const l = runResultsLayout(snapshot(), 0, 0, 80, 20, 0);
    expect(l.mode).toBe('stacked');
    for (const row of l.list) expect(row.text).toMatch(/^ [✗✓] cart-api-tjknnxwzmj-[a-z0-9]{5} /);
    expect(l.list[0]).toMatchObject({ selected: true, tone: 'error' });
    expect(l.list[0].text).toMatch(/cart-api-tjknnxwzmj-hkv7p\s+timed out af…\s+0\.10s\s*$/);
    const detail = l.detail.map((d) => d.text.trim()).join(' ');
    expect(detail).toBe(`cart-api-tjknnxwzmj-hkv7p (cart-api) ${reason}`);
    expect(l.detail.length).toBeGreaterThan(1);
    expect(l.output[0].text).toBe(` line 0 of cart-api-tjknnxwzmj-hkv7p ${'x'.repeat(40)}`.padEnd(80));
    // Every row of the body is used, none twice.
    expect(1 + l.list.length + l.detail.length + l.output.length).toBe(20);
    expect(l.list.length).toBeGreaterThanOrEqual(3);
    // The counts lead the summary; the command gives way.
    expect(l.summary.text).toMatch(/^ 10\/10 done, 1 failed {2}· {2}2\.0s {2}· {2}Deployment\/cart-api in cart {2}· {2}sh -c work/);
  });

  it('side by side when the names fit beside a readable output column', () => {
    const l = runResultsLayout(snapshot(), 2, 0, 160, 30, 0);
    expect(l.mode).toBe('side');
    expect(l.outWidth).toBeGreaterThanOrEqual(40);
    for (const row of l.list) expect(row.text).toMatch(/^ [✗✓] cart-api-tjknnxwzmj-[a-z0-9]{5} /);
    expect(l.detail[0].text).toMatch(/^ cart-api-tjknnxwzmj-\S+ \(cart-api\) {2}exit 0/);
  });

  it('scrolls the output, never past its end', () => {
    const l = runResultsLayout(snapshot(), 1, 500, 80, 20, 0);
    expect(l.output[l.output.length - 1].text).toContain('line 29 of');
  });
});
