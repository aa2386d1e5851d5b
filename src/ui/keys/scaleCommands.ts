import { resolve } from 'node:path';
import { diffPlan, isFleetPlan, planContexts, readPlan, writePlan, type PlanEntry, type ScalePlan } from '../../platform/actions/scalePlanFile.js';
import type { ScaleItem } from '../../platform/actions/scaleOperation.js';
import { refKey } from '../../platform/actions/workloadRef.js';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { ContextRuntime } from '../../platform/contextRuntime.js';
import { describeError } from '../../platform/errors.js';
import { appRows } from '../../platform/stores/clusterQueries.js';
import { clusterLabels, fleetClusters } from '../views/lists/fleetClusters.js';

// `:undo` and `:plan save|apply FILE`. A plan holds the replica counts of a system (the one
// the user is in, or named); applying one opens the scale dialog on the diff. On a fleet view
// a plan holds every cluster's lines, each naming its context, and applying one changes each
// line in its own cluster (through that cluster's gate) as one previewed operation.

export const SCALE_COMMANDS = ':undo  :plan save FILE [SYSTEM]  :plan apply FILE';

function currentCounts(ctx: ContextRuntime, namespace?: string): Map<string, number> {
  return new Map(appRows(ctx.store, namespace).map((r) => [refKey({ kind: r.w.kind, namespace: r.w.namespace, name: r.w.name }), r.w.desired]));
}

/** The system's applications in one cluster, sorted by name, as plan lines (with the context on a fleet's plan). */
function planLines(ctx: ContextRuntime, namespace: string, withContext: boolean): PlanEntry[] {
  return appRows(ctx.store, namespace)
    .sort((a, b) => a.w.name.localeCompare(b.w.name))
    .map((r) => ({ ...(withContext ? { context: ctx.contextName } : {}), namespace: r.w.namespace, kind: r.w.kind, name: r.w.name, replicas: r.w.desired }));
}

/** The fleet's clusters that do not answer now: their counts are old or missing. */
function downContexts(runtime: ConsoleRuntime): Set<string> {
  return new Set(fleetClusters(runtime.contexts, Date.now()).filter((c) => c.down).map((c) => c.name));
}

/** `dc1, dc2` for contexts, as the fleet's columns name them. */
function labelled(runtime: ConsoleRuntime, contexts: readonly string[]): string {
  const all = runtime.contexts.map((c) => c.contextName);
  const labels = clusterLabels(all, 12);
  return contexts.map((c) => (all.includes(c) ? labels[all.indexOf(c)] : c)).join(', ');
}

function savePlan(runtime: ConsoleRuntime, path: string, system: string | undefined, fleetView: boolean): void {
  const nav = runtime.nav;
  const ns = system ?? nav.current.namespace ?? runtime.namespace;
  if (!ns) return nav.say('which system? open one (Enter on it) or name it: :plan save FILE SYSTEM', 'warn');
  const down = fleetView ? downContexts(runtime) : new Set<string>();
  const clusters = fleetView ? runtime.contexts.filter((c) => !down.has(c.contextName)) : [runtime.ctx];
  const applications = clusters.flatMap((c) => planLines(c, ns, fleetView));
  if (!applications.length) return nav.say(`no applications in system ${ns} to save${down.size ? ` (${labelled(runtime, [...down])} not answering)` : ''}`, 'warn');
  // At 80 columns the start of the line is what is read: where, then the file.
  const saved = [...new Set(applications.map((a) => a.context))].filter((c): c is string => c !== undefined);
  const notSaved = down.size ? `; ${labelled(runtime, [...down])} not answering: not saved` : '';
  const what = fleetView ? `the replica counts of ${ns} in ${labelled(runtime, saved)} (${applications.length} lines${notSaved})` : `the replica counts of ${applications.length} applications in ${ns}`;
  writePlan(path, { savedAt: new Date().toISOString(), context: fleetView ? '' : runtime.ctx.session.contextName, applications }).then(
    () => nav.say(`saved ${what} to ${path}`, notSaved ? 'warn' : 'info'),
    (err: unknown) => nav.say(`cannot save the plan to ${path}: ${describeError(err)}`, 'error'),
  );
}

/**
 * A plan over the fleet: each line in its context's cluster, one preview (each cluster through
 * its own gate). Lines for a context not open here, or whose cluster does not answer, are listed
 * and left out.
 */
function applyFleetPlan(runtime: ConsoleRuntime, plan: ScalePlan, file: string): void {
  const down = downContexts(runtime);
  const countsOf = (context: string) => {
    const ctx = runtime.contextNamed(context);
    return ctx && !down.has(context) ? currentCounts(ctx) : undefined;
  };
  const items = diffPlan(plan, countsOf).map((d): ScaleItem => {
    const context = d.context ?? plan.context;
    const leftOut = !runtime.contextNamed(context) ? 'not open in this console' : down.has(context) ? 'does not answer' : undefined;
    return { ref: d.ref, context, change: { kind: 'absolute', value: d.planned }, leftOut };
  });
  const contexts = planContexts(plan);
  runtime.fleetScale.openFixed(items, `Apply plan ${file} in ${contexts.length} cluster${contexts.length === 1 ? '' : 's'} (${labelled(runtime, contexts)}): ${items.length} of ${plan.applications.length} applications differ`, 'scale');
}

function applyPlan(runtime: ConsoleRuntime, plan: ScalePlan, file: string, fleetView: boolean): void {
  const nav = runtime.nav;
  if (runtime.fleet && isFleetPlan(plan)) return applyFleetPlan(runtime, plan, file);
  if (fleetView) {
    // One cluster's plan on a fleet view: in the cluster it was saved on, when that is one of the fleet's.
    if (!runtime.contextNamed(plan.context)) return nav.say(`plan ${file} is one cluster's (saved on ${plan.context || 'no context'}, not in this fleet): open a cluster with 1-9, then :plan apply there`, 'warn');
    return applyFleetPlan(runtime, plan, file);
  }
  const here = runtime.ctx.session.contextName;
  let lines = plan;
  let note = plan.context && plan.context !== here ? ` (saved on context ${plan.context})` : '';
  if (isFleetPlan(plan)) {
    // A fleet's plan in one cluster: its lines for this context; the others need their clusters open.
    const others = planContexts(plan).filter((c) => c !== here);
    lines = { ...plan, applications: plan.applications.filter((a) => a.context === here).map(({ context: _, ...a }) => a) };
    if (!lines.applications.length) return nav.say(`plan ${file} has no lines for context ${here}: it is for ${others.join(', ')} (open them together: --context ${planContexts(plan).join(',')})`, 'warn');
    note = others.length ? ` (lines for ${others.join(', ')} left out: not open here)` : '';
  }
  const items = diffPlan(lines, currentCounts(runtime.ctx)).map((d) => ({ ref: d.ref, change: { kind: 'absolute' as const, value: d.planned } }));
  runtime.ctx.scale.openFixed(items, `Apply plan ${file}${note}: ${items.length} of ${lines.applications.length} applications differ`, 'scale');
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
  const [sub, file, system] = args;
  if ((sub !== 'save' && sub !== 'apply') || !file) {
    nav.say('usage: :plan save FILE [SYSTEM]  or  :plan apply FILE (a YAML file of replica counts)', 'warn');
    return true;
  }
  const path = resolve(file.replace(/^~(?=\/)/, process.env.HOME ?? '~'));
  if (sub === 'save') {
    savePlan(runtime, path, system, fleetView);
    return true;
  }
  readPlan(path).then(
    (plan) => applyPlan(runtime, plan, file, fleetView),
    (err: unknown) => nav.say(describeError(err), 'error'),
  );
  return true;
}
