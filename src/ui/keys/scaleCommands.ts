import { resolve } from 'node:path';
import { diffPlan, readPlan, writePlan, type PlanEntry } from '../../platform/actions/scalePlanFile.js';
import { refKey } from '../../platform/actions/workloadRef.js';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { describeError } from '../../platform/errors.js';
import { appRows } from '../../platform/stores/clusterQueries.js';

// `:undo` and `:plan save|apply FILE`. A plan holds the replica counts of a system (the one
// the user is in, or named); applying one opens the scale dialog on the diff.

export const SCALE_COMMANDS = ':undo  :plan save FILE [SYSTEM]  :plan apply FILE';

function currentCounts(runtime: ConsoleRuntime, namespace?: string): Map<string, number> {
  return new Map(appRows(runtime.ctx.store, namespace).map((r) => [refKey({ kind: r.w.kind, namespace: r.w.namespace, name: r.w.name }), r.w.desired]));
}

export function runScaleCommand(runtime: ConsoleRuntime, cmd: string, args: string[]): boolean {
  const nav = runtime.nav;
  // On a fleet view (not routed to one cluster) the last scale is the fleet's.
  const fleetView = runtime.fleet && runtime.nav.current.context === undefined;
  if (cmd === 'undo') {
    if (fleetView) runtime.fleetScale.undoLast();
    else runtime.ctx.scale.undoLast();
    return true;
  }
  if (cmd !== 'plan') return false;
  if (fleetView) {
    nav.say(':plan works on one cluster: open it with 1-9 on a fleet row (or :ctx NAME), then :plan save|apply', 'warn');
    return true;
  }
  const [sub, file, system] = args;
  if ((sub !== 'save' && sub !== 'apply') || !file) {
    nav.say('usage: :plan save FILE [SYSTEM]  or  :plan apply FILE (a YAML file of replica counts)', 'warn');
    return true;
  }
  const path = resolve(file.replace(/^~(?=\/)/, process.env.HOME ?? '~'));
  if (sub === 'save') {
    const ns = system ?? nav.current.namespace ?? runtime.namespace;
    if (!ns) {
      nav.say('which system? open one (Enter on it) or name it: :plan save FILE SYSTEM', 'warn');
      return true;
    }
    const rows = appRows(runtime.ctx.store, ns).sort((a, b) => a.w.name.localeCompare(b.w.name));
    if (!rows.length) {
      nav.say(`no applications in system ${ns} to save`, 'warn');
      return true;
    }
    const applications: PlanEntry[] = rows.map((r) => ({ namespace: r.w.namespace, kind: r.w.kind, name: r.w.name, replicas: r.w.desired }));
    writePlan(path, { savedAt: new Date().toISOString(), context: runtime.ctx.session.contextName, applications }).then(
      () => nav.say(`saved the replica counts of ${applications.length} applications in ${ns} to ${path}`),
      (err: unknown) => nav.say(`cannot save the plan to ${path}: ${describeError(err)}`, 'error'),
    );
    return true;
  }
  readPlan(path).then(
    (plan) => {
      const diff = diffPlan(plan, currentCounts(runtime));
      const items = diff.map((d) => ({ ref: d.ref, change: { kind: 'absolute' as const, value: d.planned } }));
      const other = plan.context && plan.context !== runtime.ctx.session.contextName ? ` (saved on context ${plan.context})` : '';
      runtime.ctx.scale.openFixed(items, `Apply plan ${file}${other}: ${items.length} of ${plan.applications.length} applications differ`, 'scale');
    },
    (err: unknown) => nav.say(describeError(err), 'error'),
  );
  return true;
}
