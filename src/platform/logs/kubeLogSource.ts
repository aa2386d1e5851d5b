import { systemClock, type Clock } from '../clock.js';
import type { Readable } from 'node:stream';
import type { ReadSession } from '../kube/kubeSession.js';
import { describeError } from '../errors.js';
import { ContainerResume } from './kubeLogResume.js';
import type { RawLogRecord } from './logLine.js';
import { lineMatches } from './logMatcher.js';
import { rangeBounds, rangeReachesNow } from './logQuery.js';
import { podBelongsTo, type LogScope } from './logScope.js';
import { isAbort, LogSourceError, type FollowSink, type LogPage, type LogSession, type LogSource, type SessionParams } from './logSource.js';

// The fallback: the Kubernetes log API (pods/log), for every pod and container of the
// scope at once, like stern. One request per container (at most MAX_STREAMS, stern's
// default), follow with timestamps, resumed after a reconnect from the last line seen
// (ContainerResume). There is no history beyond what the kubelet keeps and no server-side
// search: the query's text and level filter are applied here, line by line.

export const MAX_STREAMS = 50;
const FETCH_CONCURRENCY = 8;

interface Target {
  namespace: string;
  pod: string;
  container: string;
}

interface PodJson {
  metadata?: { name?: string };
  spec?: { containers?: Array<{ name?: string }> };
  status?: { containerStatuses?: Array<{ name?: string; restartCount?: number }> };
}

export class KubeLogSource implements LogSource {
  readonly info;

  /** Reconnects wait on it and ranges end at its now (tests pass a manual one). */
  private readonly clock: Clock;

  constructor(
    private readonly session: () => ReadSession,
    deps: { clock?: Clock } = {},
  ) {
    this.clock = deps.clock ?? systemClock;
    this.info = { kind: 'kubernetes' as const, label: `Kubernetes log API (${session().contextName})` };
  }

  open(params: SessionParams): LogSession {
    return new KubeSession_(this.session, params, this.clock);
  }

  dispose(): void {}
}

class KubeSession_ implements LogSession {
  private targets: Target[] | undefined;
  private readonly resume = new Map<string, ContainerResume>();
  /** How many containers the scope has beyond MAX_STREAMS. */
  omitted = 0;

  constructor(
    private readonly session: () => ReadSession,
    private readonly params: SessionParams,
    private readonly clock: Clock,
  ) {}

  private path(t: Target): string {
    return `/api/v1/namespaces/${encodeURIComponent(t.namespace)}/pods/${encodeURIComponent(t.pod)}/log`;
  }

  private async resolveTargets(signal: AbortSignal): Promise<Target[]> {
    if (this.targets) return this.targets;
    const scope = this.params.scope;
    const ns = scope.namespace;
    let pods: PodJson[];
    if (scope.kind === 'pod' || scope.kind === 'container') {
      pods = [await this.session().getJson<PodJson>(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(scope.pod)}`, undefined, signal)];
    } else {
      const list = await this.session().getJson<{ items?: PodJson[] }>(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, { limit: 2000 }, signal);
      pods = (list.items ?? []).filter((p) => belongs(scope, p.metadata?.name ?? ''));
    }
    const all: Target[] = [];
    for (const p of pods) {
      const name = p.metadata?.name ?? '';
      for (const c of p.spec?.containers ?? []) {
        if (!c.name) continue;
        if (scope.kind === 'container' && c.name !== scope.container) continue;
        all.push({ namespace: ns, pod: name, container: c.name });
      }
    }
    this.omitted = Math.max(0, all.length - MAX_STREAMS);
    this.targets = all.slice(0, MAX_STREAMS);
    return this.targets;
  }

  private resumeFor(t: Target): ContainerResume {
    const key = `${t.pod}/${t.container}`;
    let r = this.resume.get(key);
    if (!r) this.resume.set(key, (r = new ContainerResume()));
    return r;
  }

  private record(t: Target, line: { ts: number; text: string; key: string }): RawLogRecord {
    return { id: `${t.pod}/${t.container}/${line.key}`, ts: line.ts, namespace: t.namespace, pod: t.pod, container: t.container, message: line.text };
  }

  private fail(err: unknown, what: string): LogSourceError {
    if (err instanceof LogSourceError) return err;
    return new LogSourceError(`${what} on context '${this.session().contextName}': ${describeError(err)}`, 'other', false);
  }

  async initial(signal: AbortSignal): Promise<LogPage> {
    let targets: Target[];
    try {
      targets = await this.resolveTargets(signal);
    } catch (err) {
      throw this.fail(err, `cannot list the pods of ${this.params.scope.namespace}`);
    }
    const { from } = rangeBounds(this.params.query.range, this.clock.now());
    const perTarget = Math.max(20, Math.ceil(this.params.pageSize / Math.max(1, targets.length)));
    const records: RawLogRecord[] = [];
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < targets.length && !signal.aborted) {
        const t = targets[next++];
        try {
          // A previous container has ended: its last lines are what matter, however long ago.
          const since = this.params.previous ? {} : { sinceSeconds: Math.max(1, Math.ceil((this.clock.now() - from) / 1000)) };
          const stream = await this.open(t, { tailLines: perTarget, ...since }, false, signal);
          const resume = this.resumeFor(t);
          resume.restart();
          for await (const raw of stream) {
            const l = resume.accept(String(raw));
            if (l) records.push(this.record(t, l));
          }
        } catch (err) {
          if (isAbort(err, signal)) return;
          failures.push(`${t.pod}/${t.container}: ${describeError(err)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, targets.length) }, worker));
    if (signal.aborted) throw new LogSourceError('cancelled', 'cancelled', false);
    if (targets.length > 0 && failures.length === targets.length) throw new LogSourceError(`no container log could be read: ${failures[0]}`, 'other', false);
    records.sort((a, b) => a.ts - b.ts);
    return { records: records.filter((r) => lineMatches(r, this.params.query)), exhausted: true };
  }

  async older(): Promise<LogPage> {
    return { records: [], exhausted: true };
  }

  private open(t: Target, q: Record<string, string | number | boolean | undefined>, follow: boolean, signal: AbortSignal): Promise<Readable> {
    return this.session().openLineStream(this.path(t), { container: t.container, timestamps: true, follow: follow || undefined, previous: this.params.previous || undefined, ...q }, 'text/plain, */*', signal);
  }

  follow(sink: FollowSink, signal: AbortSignal): void {
    if (!rangeReachesNow(this.params.query.range) || this.params.previous) return;
    void this.resolveTargets(signal).then(
      (targets) => {
        for (const t of targets) void this.followOne(t, sink, signal);
      },
      (err: unknown) => {
        if (!isAbort(err, signal)) sink.error(this.fail(err, 'cannot list pods'));
      },
    );
  }

  /** One container, reconnecting with back-off until aborted; lines are batched per chunk. */
  private async followOne(t: Target, sink: FollowSink, signal: AbortSignal): Promise<void> {
    const resume = this.resumeFor(t);
    let delay = 1000;
    while (!signal.aborted) {
      try {
        const since = resume.sinceTime();
        const stream = await this.open(t, since ? { sinceTime: since } : { tailLines: 0 }, true, signal);
        resume.restart();
        delay = 1000;
        let batch: RawLogRecord[] = [];
        let flushTimer: NodeJS.Timeout | undefined;
        const flush = () => {
          flushTimer = undefined;
          if (batch.length) sink.lines(batch);
          batch = [];
        };
        for await (const raw of stream) {
          const l = resume.accept(String(raw));
          if (!l) continue;
          const r = this.record(t, l);
          if (!lineMatches(r, this.params.query)) continue;
          batch.push(r);
          if (batch.length >= 500) flush();
          else flushTimer ??= setTimeout(flush, 50);
        }
        if (flushTimer) clearTimeout(flushTimer);
        flush();
        // The stream ended: the container restarted or the pod went away. Try again later.
      } catch (err) {
        if (isAbort(err, signal)) return;
        const status = (err as { status?: number }).status;
        if (status === 404) return; // the pod is gone
        if (status !== 400) sink.error(this.fail(err, `log stream of ${t.pod}/${t.container} failed`));
      }
      await this.clock.sleep(delay, signal);
      delay = Math.min(30_000, delay * 2);
    }
  }

  close(): void {}
}

function belongs(scope: LogScope, pod: string): boolean {
  if (scope.kind !== 'application') return true;
  return podBelongsTo(scope.app, pod);
}
