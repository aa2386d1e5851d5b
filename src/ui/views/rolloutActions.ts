import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { ContextRuntime } from '../../platform/contextRuntime.js';
import { describeError } from '../../platform/errors.js';
import { readRolloutStatus, setPaused, type RolloutRef } from '../../platform/actions/rolloutHistory.js';
import type { FleetAppRow } from '../../platform/stores/fleetQueries.js';
import { rowKey } from './lists/listView.js';
import type { ListContext } from './runCommand.js';
import { glyphs, glyphText } from '../../terminal/glyphs.js';

// `H` on an application (its revisions, diff, rollback) and `:rollout status|pause|resume|history`
// on the selected application. A fleet's application opens in the first cluster that has it
// (the breadcrumb names it; 1-9 opens another cluster's application view first).

export const ROLLOUT_USAGE = 'usage: :rollout status|pause|resume|history — on the selected application';

/** The first cluster of a fleet row that has the application. */
function fleetCluster(runtime: ConsoleRuntime, r: FleetAppRow): ContextRuntime | undefined {
  const c = r.clusters.find((x) => x.app);
  return c ? runtime.contextNamed(c.cluster) : undefined;
}

function openHistory(runtime: ConsoleRuntime, ref: RolloutRef, context?: string): void {
  runtime.nav.push({ kind: 'history', namespace: ref.namespace, app: { kind: ref.kind, name: ref.name }, context });
}

export const historyKey = rowKey<'apps'>('row.history', ['H'], 'rollout history of the application: revisions, diff, roll back (R in it)', ({ w }, { runtime, view }) => openHistory(runtime, w, view.context));

export const fleetHistoryKey = rowKey<'fleet-apps'>('row.history', ['H'], 'rollout history of the application in the first cluster that has it (open a cluster with 1-9 for another)', (r, { runtime }) => {
  const ctx = fleetCluster(runtime, r);
  if (!ctx) return runtime.nav.say(`${r.namespace}/${r.name}: no cluster that answers has it`, 'warn');
  openHistory(runtime, { kind: r.kind, namespace: r.namespace, name: r.name }, ctx.contextName);
});

/** The application the command acts on and the cluster it is in. */
function selectedApp(runtime: ConsoleRuntime, list: ListContext): { ref: RolloutRef; ctx: ContextRuntime } | undefined {
  const model = list.model;
  const cursor = list.cursor ?? 0;
  if (model?.kind === 'apps') {
    const row = model.rows[cursor];
    return row ? { ref: { kind: row.w.kind, namespace: row.w.namespace, name: row.w.name }, ctx: runtime.ctx } : undefined;
  }
  if (model?.kind === 'fleet-apps') {
    const row = model.rows[cursor];
    const ctx = row && fleetCluster(runtime, row);
    return row && ctx ? { ref: { kind: row.kind, namespace: row.namespace, name: row.name }, ctx } : undefined;
  }
  const view = runtime.nav.current;
  return view.app && view.namespace ? { ref: { kind: view.app.kind, namespace: view.namespace, name: view.app.name }, ctx: runtime.ctx } : undefined;
}

export function rolloutCommandLine(runtime: ConsoleRuntime, args: readonly string[], list: ListContext): void {
  const nav = runtime.nav;
  const [sub = ''] = args;
  const target = selectedApp(runtime, list);
  if (!['status', 'pause', 'resume', 'history'].includes(sub)) return nav.say(glyphText(ROLLOUT_USAGE), 'warn');
  if (!target) return nav.say(`:rollout ${sub}: select an application first (Applications view, or an application's pods)`, 'warn');
  const { ref, ctx } = target;
  const name = `${ref.kind} ${ref.namespace}/${ref.name}`;
  if (sub === 'history') return openHistory(runtime, ref, runtime.fleet ? ctx.contextName : nav.current.context);
  if (sub === 'status') {
    nav.say(`reading the rollout of ${name}${glyphs.ellipsis}`);
    void readRolloutStatus(ctx.session, ref).then(
      (s) => nav.say(`${name}: ${s.message}`, s.failed ? 'error' : s.done ? 'info' : 'warn'),
      (err: unknown) => nav.say(`rollout status of ${name}: ${describeError(err)}`, 'error'),
    );
    return;
  }
  const paused = sub === 'pause';
  nav.say(`${paused ? 'pausing' : 'resuming'} ${name}${glyphs.ellipsis}`);
  void setPaused(ctx.gate, ref, paused).then(
    () => nav.say(`${paused ? 'paused' : 'resumed'} ${name} (audited)${paused ? ': changes to its template wait until :rollout resume' : ''}`),
    (err: unknown) => nav.say(`:rollout ${sub} ${name}: ${describeError(err)}`, 'error'),
  );
}
