import { Writable } from 'node:stream';
import type { ActionGate } from '../actions/actionGate.js';
import { runBounded } from '../actions/boundedPool.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { getPod } from '../kube/objects.js';
import { CoalescingNotifier } from '../stores/coalescingNotifier.js';
import { sanitize } from '../text/sanitize.js';
import { containerChoices } from './containerChoice.js';
import { describeEnd, describeStartFailure } from './execOutcome.js';
import { startExec } from './execSession.js';

// One non-interactive command in every pod of an application (or the listed pods), at most
// `concurrency` at a time, each with a timeout. Results are kept per pod: exit code, duration,
// output (sanitised on arrival, capped), and shown failures first. Every pod's exec is audited
// under one operation id; the output never is.

export const OUTPUT_CAP_BYTES = 256 * 1024;

export interface RunPodResult {
  namespace: string;
  pod: string;
  container: string;
  state: 'waiting' | 'running' | 'done';
  /** Exit code, when the command ran to the end. */
  exitCode?: number;
  /** Why there is no exit code (forbidden, pod gone, timeout, dropped connection). */
  problem?: string;
  startedAt?: number;
  durationMs?: number;
  /** stdout and stderr as they arrived, control sequences stripped. */
  output: string;
  truncated: boolean;
}

export interface RunSnapshot {
  version: number;
  /** "Deployment/cart-api in cart", or "12 listed pods". */
  scope: string;
  command: string[];
  startedAt: number;
  finishedAt?: number;
  results: RunPodResult[];
}

export interface RunOptions {
  session: ReadSession;
  gate: ActionGate;
  pods: Array<{ namespace: string; name: string }>;
  scope: string;
  command: string[];
  /** Container for every pod; default: each pod's default container. */
  container?: string;
  concurrency: number;
  timeoutMs: number;
}

export function failed(r: RunPodResult): boolean {
  return r.state === 'done' && (r.problem !== undefined || r.exitCode !== 0);
}

/** Failures first, then still running, then successes; slowest first within each group. */
export function resultOrder(results: RunPodResult[]): RunPodResult[] {
  const rank = (r: RunPodResult) => (failed(r) ? 0 : r.state !== 'done' ? 1 : 2);
  return [...results].sort((a, b) => rank(a) - rank(b) || (b.durationMs ?? 0) - (a.durationMs ?? 0) || a.pod.localeCompare(b.pod));
}

export class RunOnPods {
  private readonly notifier = new CoalescingNotifier(100);
  private snap: RunSnapshot;
  private readonly abort = new AbortController();

  constructor(private readonly o: RunOptions) {
    this.snap = {
      version: 0,
      scope: o.scope,
      command: o.command,
      startedAt: Date.now(),
      results: o.pods.map((p) => ({ namespace: p.namespace, pod: p.name, container: o.container ?? '', state: 'waiting', output: '', truncated: false })),
    };
  }

  subscribe = this.notifier.subscribe;
  getSnapshot = (): RunSnapshot => this.snap;

  private update(i: number, patch: Partial<RunPodResult>): void {
    const results = this.snap.results.slice();
    results[i] = { ...results[i], ...patch };
    this.snap = { ...this.snap, version: this.snap.version + 1, results };
    this.notifier.changed();
  }

  cancel(): void {
    this.abort.abort();
  }

  async run(): Promise<RunSnapshot> {
    const operation = this.o.gate.newOperationId();
    await runBounded(this.o.pods, this.o.concurrency, (pod, i) => this.runOne(pod, i, operation), this.abort.signal);
    const results = this.snap.results.map((r): RunPodResult => (r.state === 'done' ? r : { ...r, state: 'done', problem: 'cancelled' }));
    this.snap = { ...this.snap, version: this.snap.version + 1, results, finishedAt: Date.now() };
    this.notifier.flushNow();
    return this.snap;
  }

  private async runOne({ namespace, name: pod }: { namespace: string; name: string }, i: number, operation: string): Promise<void> {
    const startedAt = Date.now();
    this.update(i, { state: 'running', startedAt });
    let container = this.o.container;
    const done = (patch: Partial<RunPodResult>) => this.update(i, { state: 'done', durationMs: Date.now() - startedAt, ...patch });
    try {
      if (!container) {
        const choices = containerChoices(await getPod(this.o.session, namespace, pod, this.abort.signal));
        container = choices[0]?.name;
        if (!container) return done({ problem: 'the pod has no containers' });
        this.update(i, { container });
      }
      const target = { namespace, pod, container };
      const text = { value: '', truncated: false };
      const sink = new Writable({
        write: (chunk: Buffer, _e, cb) => {
          if (text.value.length < OUTPUT_CAP_BYTES) {
            text.value += chunk.toString('utf8');
            if (text.value.length > OUTPUT_CAP_BYTES) {
              text.value = text.value.slice(0, OUTPUT_CAP_BYTES);
              text.truncated = true;
            }
          } else text.truncated = true;
          cb();
        },
      });
      const end = await this.o.gate.perform({
        action: 'exec',
        target: { namespace, kind: 'Pod', name: pod, apiVersion: 'v1' },
        container,
        command: this.o.command.join(' '),
        dryRun: 'none',
        operation,
        run: async (client) => {
          const h = await startExec(client, { target, command: this.o.command, tty: false, stdout: sink, stderr: sink });
          const timer = setTimeout(() => h.close(), this.o.timeoutMs);
          const onAbort = () => h.close();
          this.abort.signal.addEventListener('abort', onAbort);
          try {
            return await h.ended;
          } finally {
            clearTimeout(timer);
            this.abort.signal.removeEventListener('abort', onAbort);
          }
        },
        outcome: (e) => (e.kind === 'exit' ? `exit ${e.code}` : `ended: ${describeEnd(e, this.o.session.server)}`),
        outcomeOfError: (err) => `failed: ${describeStartFailure(err)}`,
      });
      const output = sanitizeOutput(text.value);
      if (end.kind === 'exit') return done({ exitCode: end.code, output, truncated: text.truncated });
      const problem = end.kind === 'detached' ? (this.abort.signal.aborted ? 'cancelled' : `timed out after ${Math.round(this.o.timeoutMs / 1000)} s`) : describeEnd(end, this.o.session.server);
      return done({ problem, output, truncated: text.truncated });
    } catch (err) {
      return done({ problem: describeStartFailure(err) });
    }
  }
}

/** Output is untrusted: no control sequences reach the console; line structure is kept. */
export function sanitizeOutput(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => sanitize(line.replace(/\r/g, '')))
    .join('\n');
}
