import type { AlertsConfig } from '../../config/alertsConfig.js';
import { systemClock, type Clock } from '../clock.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { backoffDelayMs } from '../metrics/backoff.js';
import { isFiringCritical, type Alert, type Silence } from './alertModel.js';
import { AlertsError, AlertSource } from './alertSource.js';

// A context's alerts, polled in the background for as long as the context is open (the header
// counts its firing critical alerts on every screen). A poll that fails keeps the last alerts,
// retries with backoff (1 s doubling to a minute) and says so once in the status line, and once
// more when the source answers again. Views read it; nothing here draws.

export type AlertFeedStatus =
  /** No alert source configured for the context (or a secret variable is missing: `problem`). */
  | { kind: 'off'; problem?: string }
  | { kind: 'loading' }
  | { kind: 'live'; at: number }
  | { kind: 'failing'; since: number; message: string; attempt: number };

export interface AlertStoreDeps {
  context: string;
  /** The context's alerts section (throws a ConfigError on a bad value: said in the alerts view). */
  config(): AlertsConfig;
  session: () => ReadSession;
  clock?: Clock;
  /** The status line: an outage and the recovery, once each. */
  say?(text: string, level: 'info' | 'warn' | 'error'): void;
  random?: () => number;
}

export class AlertStore {
  private listeners = new Set<() => void>();
  private snap = { version: 0 };
  private list: readonly Alert[] = [];
  private silenceList: readonly Silence[] | undefined;
  private problems: readonly string[] = [];
  private signature = '';
  /** The status listeners last heard of. */
  private notifiedKind: AlertFeedStatus['kind'] | undefined;
  private abort: AbortController | undefined;
  private wake: AbortController | undefined;
  private readonly clock: Clock;
  status: AlertFeedStatus = { kind: 'off' };
  /** The configured source; undefined when the context has none. */
  source: AlertSource | undefined;

  constructor(private readonly deps: AlertStoreDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.snap;

  /** The last alerts read (kept while the source fails). */
  alerts(): readonly Alert[] {
    return this.list;
  }

  /** The last silences read; undefined without an Alertmanager. */
  silences(): readonly Silence[] | undefined {
    return this.silenceList;
  }

  /** Alerting rules that fail to evaluate, pending alerts that could not be read. */
  ruleProblems(): readonly string[] {
    return this.problems;
  }

  /** Whether the context has an alert source (the header shows nothing without one). */
  configured(): boolean {
    return this.source !== undefined;
  }

  /** Firing critical alerts, not silenced or inhibited: the header's count. */
  criticalFiring(): number {
    return this.list.filter(isFiringCritical).length;
  }

  /** Starts polling (a context without an alert source stays off). */
  start(): void {
    if (this.abort) return;
    let config: AlertsConfig;
    try {
      config = this.deps.config();
    } catch (err) {
      this.setStatus({ kind: 'off', problem: (err as Error).message });
      return;
    }
    if (config.problem) return this.setStatus({ kind: 'off', problem: config.problem });
    if (!config.alertmanager && !config.prometheus) return;
    this.source = new AlertSource(config, this.deps.session);
    this.abort = new AbortController();
    this.setStatus({ kind: 'loading' });
    void this.run(this.source, this.abort.signal);
  }

  stop(): void {
    this.abort?.abort();
    this.abort = undefined;
  }

  /** Polls again now (after a silence is created or expired, or on `r`). */
  refreshNow(): void {
    this.wake?.abort();
  }

  private async run(source: AlertSource, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      const wake = (this.wake = new AbortController());
      try {
        const snap = await source.poll(this.clock.now(), signal);
        if (signal.aborted) return;
        const recovered = this.status.kind === 'failing';
        failures = 0;
        this.list = snap.alerts;
        this.silenceList = snap.silences;
        this.problems = snap.ruleProblems ?? [];
        this.status = { kind: 'live', at: this.clock.now() };
        if (recovered) this.deps.say?.(`alerts of ${this.deps.context}: ${source.endpoint} answers again`, 'info');
        this.changed();
      } catch (err) {
        if (signal.aborted || (err instanceof AlertsError && err.kind === 'aborted')) return;
        failures++;
        const message = (err as Error).message;
        const first = this.status.kind !== 'failing';
        const since = this.status.kind === 'failing' ? this.status.since : this.clock.now();
        this.setStatus({ kind: 'failing', since, message, attempt: failures });
        if (first) this.deps.say?.(`alerts of ${this.deps.context}: ${message}; retrying with backoff (the last alerts stay listed)`, 'warn');
      }
      const delay = failures ? backoffDelayMs(failures, this.deps.random) : source.refreshMs;
      await this.clock.sleep(delay, AbortSignal.any([signal, wake.signal]));
    }
  }

  private setStatus(status: AlertFeedStatus): void {
    this.status = status;
    this.notify();
  }

  /** Listeners hear of a poll only when something they show changed (the alerts, the silences, the status). */
  private changed(): void {
    const signature = JSON.stringify([
      this.list.map((a) => [a.key, a.state, a.since, a.silencedBy, a.inhibitedBy]),
      this.silenceList?.map((s) => [s.id, s.state, s.endsAt, s.updatedAt]),
      this.problems,
    ]);
    if (signature === this.signature && this.notifiedKind === this.status.kind) return;
    this.signature = signature;
    this.notify();
  }

  private notify(): void {
    this.notifiedKind = this.status.kind;
    this.snap = { version: this.snap.version + 1 };
    for (const l of [...this.listeners]) l();
  }
}
