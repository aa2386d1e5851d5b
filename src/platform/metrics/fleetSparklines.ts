import type { SparkData, SparklineStore, SparkRow } from './sparklineStore.js';

// The CPU and MEM sparklines of the fleet's tables. Each cluster's own store fetches the rows it
// has on screen from its own Prometheus (one query per cluster, as in a one-cluster table); a
// fleet row is the sum of its clusters' rows (an application's pods in every cluster), point by
// point in time, and one scale spans every row on screen, whichever cluster it comes from.

export interface FleetSparkRow {
  /** The fleet table's row key. */
  key: string;
  /** What each cluster sums for it: its own row (its pods there). */
  parts: ReadonlyArray<{ context: string; row: SparkRow }>;
}

/** What a cluster's sparkline store offers the fleet's. */
export type ClusterSparklines = Pick<SparklineStore, 'subscribe' | 'getSnapshot' | 'get' | 'want' | 'enabled'>;

export interface FleetSparkMember {
  contextName: string;
  sparklines: ClusterSparklines;
}

export class FleetSparklines {
  private listeners = new Set<() => void>();
  private attached: { stores: readonly ClusterSparklines[]; off: Array<() => void> } | undefined;
  private snap = { version: '' };
  private rows: readonly FleetSparkRow[] = [];
  private sums: { version: string; data: Map<string, SparkData> } | undefined;

  /** `members`: the console's clusters now (they change on `:ctx`). */
  constructor(private readonly members: () => readonly FleetSparkMember[]) {}

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    this.attach();
    return () => {
      this.listeners.delete(l);
      if (!this.listeners.size) this.detach();
    };
  };

  getSnapshot = () => {
    const version = this.version();
    if (version !== this.snap.version) this.snap = { version };
    return this.snap;
  };

  /** True when any cluster has a Prometheus: the fleet tables then show CPU and MEM. */
  enabled(): boolean {
    return this.members().some((m) => m.sparklines.enabled());
  }

  /** The fleet rows on screen: each cluster is asked for its parts of them. */
  want(rows: readonly FleetSparkRow[]): void {
    this.attach();
    this.rows = rows;
    this.sums = undefined;
    for (const m of this.members()) m.sparklines.want(rows.flatMap((r) => r.parts.filter((p) => p.context === m.contextName).map((p) => p.row)));
  }

  /** A row's samples, summed over its clusters; undefined before any cluster answered for it. */
  get(key: string): SparkData | undefined {
    const version = this.version();
    if (this.sums?.version !== version) this.sums = { version, data: this.sum() };
    return this.sums.data.get(key);
  }

  private version(): string {
    return this.members().map((m) => m.sparklines.getSnapshot().version).join(',');
  }

  private sum(): Map<string, SparkData> {
    const stores = new Map(this.members().map((m) => [m.contextName, m.sparklines]));
    const out = new Map<string, SparkData>();
    const scale = { cpu: 0, memory: 0 };
    for (const r of this.rows) {
      const got = r.parts.flatMap((p) => stores.get(p.context)?.get(p.row.key) ?? []);
      if (!got.length) continue;
      // On the newest window: a cluster that refreshed a step earlier has its points shifted by one.
      const base = got.reduce((a, b) => (b.start > a.start ? b : a));
      const d: SparkData = { cpu: sumAt(base, got, 'cpu'), memory: sumAt(base, got, 'memory'), scale, start: base.start, step: base.step };
      for (const v of d.cpu) if (v > scale.cpu) scale.cpu = v;
      for (const v of d.memory) if (v > scale.memory) scale.memory = v;
      out.set(r.key, d);
    }
    return out;
  }

  private attach(): void {
    const stores = this.members().map((m) => m.sparklines);
    const same = this.attached && this.attached.stores.length === stores.length && stores.every((s, i) => this.attached?.stores[i] === s);
    if (same || !this.listeners.size) return;
    this.detach();
    const notify = () => {
      for (const l of [...this.listeners]) l();
    };
    this.attached = { stores, off: stores.map((s) => s.subscribe(notify)) };
  }

  private detach(): void {
    for (const off of this.attached?.off ?? []) off();
    this.attached = undefined;
  }
}

/** `which` of every part at `base`'s points in time (NaN where no cluster has a sample). */
function sumAt(base: SparkData, parts: readonly SparkData[], which: 'cpu' | 'memory'): Float64Array {
  const out = new Float64Array(base[which].length).fill(NaN);
  for (const p of parts) {
    for (let i = 0; i < out.length; i++) {
      const at = Math.round((base.start + i * base.step - p.start) / p.step);
      const v = at >= 0 && at < p[which].length ? p[which][at] : NaN;
      if (Number.isFinite(v)) out[i] = (Number.isFinite(out[i]) ? out[i] : 0) + v;
    }
  }
  return out;
}
