import { describe, expect, it } from 'vitest';
import type { HistorySnapshot } from '../../../src/platform/stores/rolloutHistoryStore.js';
import { historyLines } from '../../../src/ui/views/HistoryPane.js';

// What the API server answers (an admission webhook's denial, a Status message) is untrusted: in
// the history pane it must not reach the terminal with its control sequences.

const hostile = 'denied by webhook \x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x1b[Hreally';
const base: HistorySnapshot = { ref: { kind: 'Deployment', namespace: 'trade', name: 'order-api' }, state: 'ready', revisions: [], cursor: 0, mode: 'list', scroll: 0 };
const texts = (s: HistorySnapshot) => {
  const { head, body } = historyLines(s, Date.now(), 80);
  return [...head, ...body].map((l) => l.text);
};

describe('history pane lines', () => {
  it('a server message in a refused preview, a failed rollback, a rollout status or a listing error is shown without its escape sequences', () => {
    const to = { revision: 1, name: 'order-api-a', created: 0, images: ['order-api:v1'], changeCause: '', current: false, template: {}, annotations: {} };
    const shown = [
      ...texts({ ...base, state: 'error', error: hostile }),
      ...texts({ ...base, mode: 'rollback', rollback: { phase: 'preview', preview: { ref: base.ref, to, ok: false, reason: hostile, diff: [] } } }),
      ...texts({ ...base, mode: 'rollback', rollback: { phase: 'done', preview: { ref: base.ref, to, ok: true, diff: [] }, error: hostile } }),
      ...texts({ ...base, mode: 'rollback', rollback: { phase: 'watching', preview: { ref: base.ref, to, ok: true, diff: [] }, status: { done: false, failed: false, message: hostile } } }),
    ];
    const withMessage = shown.filter((t) => t.includes('denied by webhook'));
    expect(withMessage).toHaveLength(4);
    for (const t of withMessage) {
      expect(t).toContain('denied by webhook really');
      expect(t).not.toMatch(/[\x1b\x07]/);
    }
  });
});
