import type { AlertStore } from '../../platform/alerts/alertStore.js';
import { glyphs } from '../../terminal/glyphs.js';

// The header's alert count, on every screen: firing critical alerts (not silenced or inhibited)
// of a context, `✗ 2 critical`; `0 critical` when none fire; a `?` when the source does not
// answer (the count is the last one read). Nothing at all for a context without an alert source.

export interface AlertBadge {
  /** The header's words: `✗ 2 critical`, `0 critical`, `alerts ?`. */
  text: string;
  /** A fleet header's count of one cluster: `✗2`, '' when none fire, `✗2?` / `?` when it is not known now. */
  short: string;
  level: 'ok' | 'warn' | 'error' | 'dim';
}

export function alertBadge(store: AlertStore): AlertBadge | undefined {
  const s = store.status;
  if (s.kind === 'off') return s.problem ? { text: 'alerts ?', short: '?', level: 'warn' } : undefined;
  if (s.kind === 'loading') return { text: `alerts ${glyphs.ellipsis}`, short: '', level: 'dim' };
  const n = store.criticalFiring();
  const stale = s.kind === 'failing' ? '?' : '';
  if (n > 0) return { text: `${glyphs.cross} ${n} critical${stale}`, short: `${glyphs.cross}${n}${stale}`, level: 'error' };
  return { text: `0 critical${stale}`, short: stale, level: stale ? 'warn' : 'ok' };
}
