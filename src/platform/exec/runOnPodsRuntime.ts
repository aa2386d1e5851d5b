import { loadExecConfig } from '../../config/execConfig.js';
import type { ConsoleRuntime } from '../consoleRuntime.js';
import { ReadOnlyError } from '../actions/readOnlyGuard.js';
import { describeError } from '../errors.js';
import { reviewExecAccess } from './execAccess.js';
import { failed, RunOnPods } from './runOnPods.js';
import { writeRunReport } from './runReport.js';

// The console's current run-on-all-pods (one at a time; a new one cancels the old), started
// from `:run`. The results pane reads it; `w` writes it to a file.

export interface RunRequest {
  pods: Array<{ namespace: string; name: string }>;
  scope: string;
  command: string[];
  container?: string;
}

/** The console's one run at a time (the runtime owns it). */
export class PodRuns {
  private run: RunOnPods | undefined;

  constructor(private readonly runtime: ConsoleRuntime) {}

  current(): RunOnPods | undefined {
    return this.run;
  }

  start(req: RunRequest): Promise<void> {
    return startRun(this.runtime, req, this);
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
    this.run?.cancel();
  }
}

async function startRun(runtime: ConsoleRuntime, req: RunRequest, runs: PodRuns): Promise<void> {
  const nav = runtime.nav;
  let gate;
  let cfg;
  try {
    gate = runtime.gate;
    gate.assertWritable('exec');
    cfg = loadExecConfig(runtime.session.contextName);
  } catch (err) {
    if (err instanceof ReadOnlyError && gate) {
      void gate.note([gate.record({ action: 'exec', target: { namespace: req.pods[0]?.namespace ?? '', kind: 'Pod', name: `${req.pods.length} pods` }, command: req.command.join(' ') }, `refused: read-only (${err.why === 'flag' ? '--readonly' : 'config'})`)]).catch(() => undefined);
    }
    return nav.say(err instanceof ReadOnlyError ? describeError(err) : `run refused: ${describeError(err)}`, 'error');
  }
  if (req.pods.length === 0) return nav.say(`no running pods in ${req.scope} to run the command in`, 'warn');
  const namespaces = [...new Set(req.pods.map((p) => p.namespace))];
  nav.say(`checking exec permission in ${namespaces.join(', ')}…`);
  for (const namespace of namespaces) {
    try {
      const access = await reviewExecAccess(gate, namespace);
      if (!access.allowed) {
        return nav.say(`run forbidden (403): user ${runtime.session.user || '?'} may not ${access.missing} on context ${runtime.session.contextName}${access.reason ? ` — ${access.reason}` : ''}`, 'error');
      }
    } catch (err) {
      return nav.say(`run: access review failed: ${describeError(err)}`, 'error');
    }
  }
  const run = new RunOnPods({ session: runtime.session, gate, pods: req.pods, scope: req.scope, command: req.command, container: req.container, concurrency: cfg.concurrency, timeoutMs: cfg.timeoutMs });
  runs.replace(run);
  nav.clearMessage();
  nav.push({ kind: 'run-results', namespace: namespaces.length === 1 ? namespaces[0] : undefined });
  const snap = await run.run();
  if (runs.current() !== run) return;
  const bad = snap.results.filter(failed).length;
  nav.say(`${req.command.join(' ')}: ${snap.results.length - bad} of ${snap.results.length} pods ok, ${bad} failed — context ${runtime.session.contextName}`, bad ? 'warn' : 'info');
}

async function saveRun(runtime: ConsoleRuntime, run: RunOnPods | undefined): Promise<void> {
  if (!run) return;
  try {
    const path = await writeRunReport(run.getSnapshot(), loadExecConfig(runtime.session.contextName).resultsDir);
    runtime.nav.say(`results written to ${path}`);
  } catch (err) {
    runtime.nav.say(`cannot write the results: ${describeError(err)}`, 'error');
  }
}
