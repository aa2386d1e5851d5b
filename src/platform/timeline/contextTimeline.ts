import type { AlertStore } from '../alerts/alertStore.js';
import type { LogsConfig } from '../../config/logsConfig.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { EsLogSource } from '../logs/esLogSource.js';
import { sanitize } from '../text/sanitize.js';
import type { Histogram } from '../logs/logSource.js';
import type { LogScope } from '../logs/logScope.js';
import type { MetricsPaneDeps } from '../metrics/contextCharts.js';
import type { ChangeMarkers } from '../metrics/metricsPaneStore.js';
import type { WarroomFeed } from '../stores/warroomFeed.js';
import { auditEntries, readAuditFacts } from './auditReader.js';
import { readRestarts, readRollouts, readScaleChanges, readWarnings } from './kubeReaders.js';
import { readAlerts, readLogSpikes } from './signalReaders.js';
import { SourceNotConfigured, type TimelineEntry, type TimelineQuery, type TimelineScope } from './timelineEntry.js';
import { TimelineReads } from './timelineReads.js';

// One context's timeline sources, built from what the context runtime owns: its read session,
// Prometheus, alerts store, Elasticsearch settings, war-room feed and audit file. Each source
// reads in parallel with the others; the Kubernetes ones share one read of each list.

export interface TimelineSource {
  /** `rollouts`, `scale`, ... as the source line names it. */
  name: string;
  /** The entries, where they were read (`source`), and what could not be read (`problem`: the rest still shows). */
  read(): Promise<{ entries: TimelineEntry[]; source?: string; problem?: string }>;
}

export interface TimelineContextDeps {
  context: string;
  session: ReadSession;
  metrics: MetricsPaneDeps;
  alerts: AlertStore;
  logsConfig(): LogsConfig;
  feed: WarroomFeed;
  /** audit.kubernetesEvents: the feed is read. */
  feedOn(): boolean;
  auditPath(): string;
}

export function logScopeOf(scope: TimelineScope): LogScope {
  if (scope.pod) return { kind: 'pod', namespace: scope.namespace, pod: scope.pod };
  if (scope.app) return { kind: 'application', namespace: scope.namespace, app: scope.app };
  return { kind: 'system', namespace: scope.namespace };
}

/** The error histogram of the scope over the query's range, from the context's Elasticsearch. */
async function esHistogram(deps: TimelineContextDeps, q: TimelineQuery, signal?: AbortSignal): Promise<Histogram> {
  const cfg = deps.logsConfig();
  if (!cfg.elasticsearch) throw new SourceNotConfigured(cfg.problem ?? `no Elasticsearch configured for context ${deps.context}`);
  const source = new EsLogSource(cfg.elasticsearch);
  const session = source.open({ scope: logScopeOf(q.scope), query: { text: '', levels: 'all', range: { kind: 'absolute', from: q.from, to: q.to } }, pageSize: 1 });
  try {
    return await session.histogram!(60, signal ?? new AbortController().signal);
  } finally {
    session.close();
    source.dispose();
  }
}

function prometheusOf(deps: TimelineContextDeps) {
  const got = deps.metrics.source();
  return 'source' in got ? { source: got.source, matchers: got.matchers ?? '' } : { problem: got.problem };
}

export class ContextTimeline {
  constructor(private readonly deps: TimelineContextDeps) {}

  get context(): string {
    return this.deps.context;
  }

  /** Every source of the timeline for one load. */
  sources(q: TimelineQuery, signal?: AbortSignal): TimelineSource[] {
    const d = this.deps;
    const reads = new TimelineReads(d.session, q, signal);
    let facts: ReturnType<typeof readAuditFacts> | undefined;
    const audit = () => (facts ??= readAuditFacts(q, { context: d.context, feed: () => (d.feedOn() ? d.feed.getSnapshot() : undefined), auditPath: d.auditPath() }));
    const kube = (name: string, read: () => Promise<TimelineEntry[]>): TimelineSource => ({ name, read: async () => ({ entries: await read() }) });
    return [
      {
        name: 'rollouts',
        read: async () => {
          const got = await readRollouts(reads, audit);
          return { entries: got.entries, problem: got.problem && sanitize(got.problem, { maxLength: 200 }) };
        },
      },
      kube('scale', () => readScaleChanges(reads, audit)),
      kube('restarts', () => readRestarts(reads)),
      kube('warnings', () => readWarnings(reads)),
      { name: 'alerts', read: () => readAlerts(q, { prometheus: () => prometheusOf(d), current: () => (d.alerts.configured() ? d.alerts.alerts() : undefined) }, signal) },
      kube('log spikes', () => readLogSpikes(q, (qq, s) => esHistogram(d, qq, s), signal)),
      {
        name: 'audit',
        read: async () => ({ entries: auditEntries(q, await audit()), source: d.feedOn() ? 'war-room feed and audit log' : 'audit log (war-room feed off: audit.kubernetesEvents)' }),
      },
    ];
  }

  /** The times (ms) of the scope's rollouts and scale changes in [from, to]: the timeline's own readers. */
  async markers(q: TimelineQuery, signal?: AbortSignal): Promise<number[]> {
    const reads = new TimelineReads(this.deps.session, q, signal);
    const [rollouts, scales] = await Promise.all([readRollouts(reads), readScaleChanges(reads, async () => [])]);
    return [...rollouts.entries, ...scales].map((e) => e.time);
  }

  /** The metrics pane's markers: a chart target's changes, in unix seconds. */
  readonly chartMarkers: ChangeMarkers = async (target, from, to, signal) => {
    if (target.level === 'promql') return [];
    const scope: TimelineScope = target.level === 'system' ? { namespace: target.namespace } : target.level === 'app' ? { namespace: target.namespace, app: { kind: target.kind, name: target.name } } : { namespace: target.namespace, pod: target.pod };
    return (await this.markers({ scope, from: from * 1000, to: to * 1000 }, signal)).map((t) => t / 1000);
  };

  /** The logs strip's markers: a log scope's changes, in ms. */
  readonly logMarkers = (scope: LogScope, from: number, to: number, signal: AbortSignal): Promise<number[]> => {
    const s: TimelineScope = scope.kind === 'system' ? { namespace: scope.namespace } : scope.kind === 'application' ? { namespace: scope.namespace, app: scope.app } : { namespace: scope.namespace, pod: scope.pod };
    return this.markers({ scope: s, from, to }, signal);
  };
}
