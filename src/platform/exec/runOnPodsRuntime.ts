import type { ContextRuntime } from '../contextRuntime.js';
import type { ActionGate } from '../actions/actionGate.js';
import { ReadOnlyError } from '../actions/readOnlyGuard.js';
import { describeError } from '../errors.js';
import { RunConfirmStore, type RunPlan } from '../stores/runConfirmStore.js';
import { joinCommandLine } from './commandLine.js';
import { reviewExecAccess } from './execAccess.js';
import { failed, RunOnPods } from './runOnPods.js';
import { writeRunReport } from './runReport.js';
import { glyphs } from '../../terminal/glyphs.js';

// The console's current run-on-all-pods (one at a time; a new one cancels the old), started
// from `:run`: the read-only guard and the access review first, then the preview and its
// confirmation (runConfirmStore), then the run. The results pane reads it; `w` writes it to a file.

export type RunRequest = Omit<RunPlan, 'context' | 'systems'>;

/** The console's one run at a time and its `:run` preview (the runtime owns both). */
export class PodRuns {
  private run: RunOnPods | undefined;
  /** The preview the overlay draws; Enter there starts the run. */
  readonly confirmation: RunConfirmStore;

  constructor(private readonly runtime: ContextRuntime) {
    this.confirmation = new RunConfirmStore({
      threshold: () => runtime.execConfig().confirmThreshold,
      launch: (plan) => void startRun(runtime, plan, this),
    });
  }

  current(): RunOnPods | undefined {
    return this.run;
  }

  /** `:run`: refused on a read-only context and without pods/exec, else previewed for confirmation. */
  offer(req: RunRequest): Promise<void> {
    return offerRun(this.runtime, req, this.confirmation);
  }

  save(): Promise<void> {
    return saveRun(this.runtime, this.run);
  }

  /** A new run cancels the one before. */
  replace(run: RunOnPods): void {
    this.run?.cancel();
    this.run = run;
  }

  cancel(): void {
    this.confirmation.escape();
    this.run?.cancel();
  }
}

/** The gate, or undefined (and the refusal said and audited) on a read-only context or a bad config. */
function writableGate(runtime: ContextRuntime, req: RunRequest): ActionGate | undefined {
  let gate: ActionGate | undefined;
  try {
    gate = runtime.gate;
    gate.assertWritable('exec');
    runtime.execConfig();
    return gate;
  } catch (err) {
    if (err instanceof ReadOnlyError && gate) {
      void gate.note([gate.record({ action: 'exec', target: { namespace: req.pods[0]?.namespace ?? '', kind: 'Pod', name: `${req.pods.length} pods` }, command: req.command.join(' ') }, `refused: read-only (${err.why === 'flag' ? '--readonly' : 'config'})`)]).catch(() => undefined);
    }
    runtime.nav.say(err instanceof ReadOnlyError ? describeError(err) : `run refused: ${describeError(err)}`, 'error');
    return undefined;
  }
}

async function offerRun(runtime: ContextRuntime, req: RunRequest, confirmation: RunConfirmStore): Promise<void> {
  const nav = runtime.nav;
  const gate = writableGate(runtime, req);
  if (!gate) return;
  if (req.pods.length === 0) return nav.say(`no running pods in ${req.scope} to run the command in`, 'warn');
  const systems = [...new Set(req.pods.map((p) => p.namespace))].sort();
  nav.say(`checking exec permission in ${systems.join(', ')}${glyphs.ellipsis}`);
  for (const namespace of systems) {
    try {
      const access = await reviewExecAccess(gate, namespace);
      if (!access.allowed) {
        return nav.say(`run forbidden (403): user ${runtime.session.user || '?'} may not ${access.missing} on context ${runtime.session.contextName}${access.reason ? ` ${glyphs.dash} ${access.reason}` : ''}`, 'error');
      }
    } catch (err) {
      return nav.say(`run: access review failed: ${describeError(err)}`, 'error');
    }
  }
  nav.clearMessage();
  confirmation.open({ ...req, context: runtime.session.contextName, systems });
}

/** The confirmed run: every pod through the gate (each one audited), results pane on top. */
async function startRun(runtime: ContextRuntime, plan: RunPlan, runs: PodRuns): Promise<void> {
  const nav = runtime.nav;
  const gate = writableGate(runtime, plan);
  if (!gate) return;
  const cfg = runtime.execConfig();
  const scope = plan.skipped ? `${plan.scope}; ${plan.skipped} not Running skipped` : plan.scope;
  const run = new RunOnPods({ session: runtime.session, gate, pods: plan.pods, scope, command: plan.command, container: plan.container, concurrency: cfg.concurrency, timeoutMs: cfg.timeoutMs });
  runs.replace(run);
  nav.push({ kind: 'run-results', namespace: plan.systems.length === 1 ? plan.systems[0] : undefined });
  const snap = await run.run();
  if (runs.current() !== run) return;
  const bad = snap.results.filter(failed).length;
  nav.say(`${joinCommandLine(plan.command)}: ${snap.results.length - bad} of ${snap.results.length} pods ok, ${bad} failed ${glyphs.dash} context ${runtime.session.contextName}`, bad ? 'warn' : 'info');
}

async function saveRun(runtime: ContextRuntime, run: RunOnPods | undefined): Promise<void> {
  if (!run) return;
  try {
    const path = await writeRunReport(run.getSnapshot(), runtime.execConfig().resultsDir);
    runtime.nav.say(`results written to ${path}`);
  } catch (err) {
    runtime.nav.say(`cannot write the results: ${describeError(err)}`, 'error');
  }
}
