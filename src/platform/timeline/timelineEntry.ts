import type { WorkloadKind } from '../kube/rows.js';

// What the timeline (`T`) lists: one entry per thing that changed or went wrong in a scope (a
// system, an application, a pod) over a range, from whichever source knows it. Readers
// (timelineReaders.ts) turn what each source says into entries; the store merges them.

export type TimelineKind = 'rollout' | 'scale' | 'restart' | 'oom' | 'warning' | 'alert-fired' | 'alert-resolved' | 'log-spike' | 'audit';

export interface TimelineScope {
  namespace: string;
  app?: { kind: WorkloadKind; name: string };
  pod?: string;
}

/** What Enter on an entry opens. */
export type TimelineTarget =
  | { kind: 'revision'; namespace: string; app: { kind: WorkloadKind; name: string }; revision: number }
  | { kind: 'pod'; namespace: string; pod: string }
  /** The scope's logs at that minute. */
  | { kind: 'logs'; at: number }
  /** The scope's charts with the cursor at that time. */
  | { kind: 'metrics'; at: number }
  | { kind: 'events'; namespace: string; involved: { kind: string; name: string; namespace?: string; uid?: string } };

export interface TimelineEntry {
  time: number;
  kind: TimelineKind;
  /** One line, already sanitised. */
  text: string;
  /** Where it was read: `ReplicaSets`, `Events`, `Prometheus ALERTS`, ... */
  source: string;
  target?: TimelineTarget;
  /** The cluster (context) it is from, in a fleet. */
  cluster?: string;
}

export interface TimelineQuery {
  scope: TimelineScope;
  from: number;
  to: number;
}

/** A source that is not set up for this context (no Prometheus, no Elasticsearch): named, not an error. */
export class SourceNotConfigured extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceNotConfigured';
  }
}

/** The ranges `T` offers (the `t` key cycles them). */
export const TIMELINE_RANGES: ReadonlyArray<{ label: string; ms: number }> = [
  { label: '15m', ms: 15 * 60_000 },
  { label: '1h', ms: 3_600_000 },
  { label: '6h', ms: 6 * 3_600_000 },
  { label: '24h', ms: 24 * 3_600_000 },
  { label: '7d', ms: 7 * 24 * 3_600_000 },
];

export const DEFAULT_TIMELINE_RANGE = '1h';

export function timelineRange(label: string): { label: string; ms: number } | undefined {
  return TIMELINE_RANGES.find((r) => r.label === label);
}

export function scopeLabel(scope: TimelineScope): string {
  if (scope.pod) return `pod ${scope.namespace}/${scope.pod}`;
  if (scope.app) return `${scope.app.kind} ${scope.namespace}/${scope.app.name}`;
  return `system ${scope.namespace}`;
}
