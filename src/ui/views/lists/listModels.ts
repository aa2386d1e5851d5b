import type { ConsoleRuntime } from '../../../platform/consoleRuntime.js';
import { describeError } from '../../../platform/errors.js';
import type { ViewState } from '../../../platform/stores/navStore.js';
import { listModelDuration } from '../../../self/selfMetrics.js';
import { parseFilter, type ParsedFilter } from '../tableModel.js';
import { noFilter } from './listSource.js';
import { listStateOf } from './listStateOf.js';
import type { ListModel, ListViewId, SparkLookup } from './listView.js';
import { isListView, listViews } from './listViews.js';

// The rows the current list view shows, outside React: computed at most once per store change
// (or filter / sort change) and read by both the render and the keys. A key that arrives in the
// same tick as a view change (Esc Esc Enter typed fast) acts on the new view's rows, because it
// asks for them here instead of waiting for a render.

/** How often a fleet view is recomputed with no row change (to see a cluster go stale). */
const FLEET_RECHECK_MS = 2000;

export class ListModels {
  private cached: { key: string; version: string; model: ListModel } | undefined;
  private readonly kept = new Map<ListViewId, { key: string; value: { stop(): void } }>();

  /** The console's clusters these models were made for (new models after `:ctx`). */
  readonly contexts: ConsoleRuntime['contexts'];

  constructor(private readonly runtime: ConsoleRuntime) {
    this.contexts = runtime.contexts;
  }

  /** The model of `view`; undefined for a view that is not a list (a pane). */
  get(view: ViewState): ListModel | undefined {
    if (!isListView(view.kind)) return undefined;
    const ctx = this.runtime.contextNamed(view.context) ?? this.contexts[0];
    const descriptor = listViews[view.kind];
    // A fleet view's rows sum (or pick) their clusters' samples.
    const sparks = descriptor.fleet ? this.runtime.fleetSparklines : ctx.sparklines;
    const spark: SparkLookup | undefined = sparks.enabled() ? (key) => sparks.get(key) : undefined;
    // The cursor and scroll are not part of it: moving never recomputes.
    const key = `${ctx.contextName}|${view.kind}|${view.namespace ?? ''}|${view.app ? `${view.app.kind}/${view.app.name}` : ''}|${view.filter}|${view.sort ? `${view.sort.column}${view.sort.descending ? '-' : '+'}` : ''}|${spark ? 'spark' : ''}|${view.resource ? `${view.resource.group}/${view.resource.resource}` : ''}|${view.node ?? ''}|${view.involved ? `${view.involved.kind}/${view.involved.name}/${view.involved.uid ?? ''}` : ''}`;
    // A fleet view changes with any cluster's rows (each store's version only grows), and with
    // time: a quiet cluster turns "down" once its watches are stale, so it is looked at again
    // every couple of seconds even when no row changes.
    const clusters = descriptor.fleet
      ? `${this.contexts.map((c) => c.store.getSnapshot().version).join(',')}@${Math.floor(Date.now() / FLEET_RECHECK_MS)}`
      : String(ctx.store.getSnapshot().version);
    // Rows from stores of the view's own (the alerts) change without the cluster's.
    const version = `${clusters}|${descriptor.version?.(ctx, this.contexts) ?? ''}`;
    if (this.cached?.key === key && this.cached.version === version) return this.cached.model;
    const started = performance.now();
    let filter: ParsedFilter = noFilter;
    let filterError: string | undefined;
    try {
      filter = parseFilter(view.filter);
    } catch (err) {
      filterError = describeError(err);
    }
    const id = view.kind;
    const base = descriptor.model({
      ctx, contexts: this.contexts, view, filter, filterError, spark, now: Date.now(),
      keep: (keptKey, build) => this.keep(id, `${ctx.contextName}|${keptKey}`, build),
    });
    const model = { ...base, state: listStateOf(ctx, this.contexts, view, base) } as ListModel;
    // A view's kept state (its sorted index) is dropped when another view is shown.
    for (const other of [...this.kept.keys()]) if (other !== id) this.drop(other);
    listModelDuration.observe({ view: id }, (performance.now() - started) / 1000);
    this.cached = { key, version, model };
    return model;
  }

  dispose(): void {
    for (const id of [...this.kept.keys()]) this.drop(id);
    this.cached = undefined;
  }

  private keep<T extends { stop(): void }>(id: ListViewId, key: string, build: () => T): T {
    const current = this.kept.get(id);
    if (current?.key === key) return current.value as T;
    current?.value.stop();
    const value = build();
    this.kept.set(id, { key, value });
    return value;
  }

  private drop(id: ListViewId): void {
    this.kept.get(id)?.value.stop();
    this.kept.delete(id);
  }
}
