import type { AlertStore } from '../../platform/alerts/alertStore.js';
import { glyphs } from '../../terminal/glyphs.js';

// The header's alert count, on every screen: firing critical alerts (not silenced or inhibited)
// of a context, `✗ 2 critical`; `0 critical` when none fire; a `?` when the source does not
// answer (the count is the last one read). Nothing at all for a context without an alert source.

export interface AlertBadge {
  /** The header's words: `✗ 2 critical`, `0 critical`, `alerts ?`, `alerts …`. */
  text: string;
  /** A fleet header's count of one cluster: `2`, '' when none fire, `2?` / `?` when it is not known now, `…` before the first answer. */
  short: string;
  /** Firing critical alerts, as last read. */
  count: number;
  level: 'ok' | 'warn' | 'error' | 'dim';
}

export function alertBadge(store: AlertStore): AlertBadge | undefined {
  const s = store.status;
  if (s.kind === 'off') return s.problem ? { text: 'alerts ?', short: '?', count: 0, level: 'warn' } : undefined;
  if (s.kind === 'loading') return { text: `alerts ${glyphs.ellipsis}`, short: glyphs.ellipsis, count: 0, level: 'dim' };
  const n = store.criticalFiring();
  const stale = s.kind === 'failing' ? '?' : '';
  if (n > 0) return { text: `${glyphs.cross} ${n} critical${stale}`, short: `${n}${stale}`, count: n, level: 'error' };
  return { text: `0 critical${stale}`, short: stale, count: 0, level: stale ? 'warn' : 'ok' };
}
