import type { MetricsTarget } from '../../platform/metrics/metricsTarget.js';
import { newView, type ViewState } from '../../platform/stores/navStore.js';

// A metrics view is a 'metrics' ViewState: its scope (namespace, app, pod) says what to
// chart, so Esc and the breadcrumb work as for any view. A free query and the console
// health page have no scope; they ride in `selectedKey`, which pane views do not otherwise
// use (it tracks the selected row of list views).

const PROMQL = 'promql:';
const HEALTH = 'health';

export function metricsViewFor(target: { namespace: string; app?: ViewState['app']; pod?: string }): Omit<ViewState, 'cursor' | 'top' | 'filter'> {
  return { kind: 'metrics', namespace: target.namespace, app: target.app, pod: target.pod };
}

export function promqlView(query: string): ViewState {
  return newView('metrics', { selectedKey: `${PROMQL}${query}` });
}

export function healthView(): ViewState {
  return newView('metrics', { selectedKey: HEALTH });
}

export function isHealthView(view: ViewState): boolean {
  return view.kind === 'metrics' && view.selectedKey === HEALTH;
}

/** What a metrics view charts; undefined for the health page or a view without scope. */
export function targetOfView(view: ViewState): MetricsTarget | undefined {
  if (view.selectedKey?.startsWith(PROMQL)) return { level: 'promql', query: view.selectedKey.slice(PROMQL.length) };
  if (!view.namespace || isHealthView(view)) return undefined;
  if (view.pod) return { level: 'pod', namespace: view.namespace, pod: view.pod };
  if (view.app) return { level: 'app', namespace: view.namespace, kind: view.app.kind, name: view.app.name, pods: [] };
  return { level: 'system', namespace: view.namespace };
}

export function metricsTitle(view: ViewState): string {
  if (isHealthView(view)) return 'Console health';
  if (view.selectedKey?.startsWith(PROMQL)) return 'PromQL';
  return 'Metrics';
}
