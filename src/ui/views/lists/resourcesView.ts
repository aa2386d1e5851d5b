import type { ResourceRow } from '../../../platform/kube/rows.js';
import type { TableColumnDefinition } from '../../../platform/kube/tableTypes.js';
import type { KindRef, ViewState } from '../../../platform/stores/navStore.js';
import { SortedRowIndex } from '../../../platform/stores/sortedRowIndex.js';
import { formatAge, listedName } from '../../format.js';
import { listScope, objectKeys } from '../../keys/listKeys.js';
import { byNumber, rowComparator, rowMatcher, type Column, type ParsedFilter, type TableDef, type Tone } from '../tableModel.js';
import { localFilter } from './listSource.js';
import { resourcePortForwardKey } from '../portForwardRowActions.js';
import type { ListViewDescriptor, ViewInit } from './listView.js';

// Any resource kind the cluster serves (`:deploy`, `:svc`, `:cm`, a CRD's plural), listed and
// watched as the API server prints it: its own columns (server-side Table rows), paged, with
// bookmarks and a relist on 410, as the spine watches pods. Priority-0 columns fit 80 columns;
// the wide ones (priority 1) come with a wider terminal. Only the cells are kept, never objects.

/** `Deployments`, `Ingresses`, `CustomResourceDefinitions`: the kind, pluralised the way the API does. */
export function kindTitle(r: Pick<KindRef, 'kind' | 'resource'>): string {
  return r.kind && r.resource.startsWith(r.kind.toLowerCase()) ? r.kind + r.resource.slice(r.kind.length) : r.resource;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const byCell = (i: number) => (a: ResourceRow, b: ResourceRow) => collator.compare(a.cells[i] ?? '', b.cells[i] ?? '');

const ERROR = /Fail|Error|BackOff|CrashLoop|Lost|Evicted|OOMKilled|Invalid|Unhealthy/i;
const WARN = /Pending|NotReady|Unknown|Terminating|Suspended|Creating|Progressing|Degraded/i;
const DONE = /^(Completed|Complete|Succeeded)$/;

/** A row's state from its Status/Phase cell and its Ready `n/m` cell, whatever the kind. */
function toneOf(statusAt: number, readyAt: number): (r: ResourceRow) => Tone {
  return (r) => {
    // As in Applications: an object being deleted (a Foreground delete waits for what it owns).
    if (r.deleting) return 'dim';
    const status = statusAt >= 0 ? r.cells[statusAt] ?? '' : '';
    if (ERROR.test(status)) return 'error';
    if (DONE.test(status)) return 'dim';
    if (WARN.test(status)) return 'warn';
    const m = readyAt >= 0 ? /^(\d+)\/(\d+)$/.exec(r.cells[readyAt] ?? '') : null;
    if (m && Number(m[1]) < Number(m[2])) return Number(m[1]) === 0 ? 'error' : 'warn';
    return 'normal';
  };
}

/** Letters taken by keys of every list (G: last row) and of the object's (E: events): sorts cannot have them. */
const RESERVED = new Set([...listScope.bindings, ...objectKeys].flatMap((b) => b.keys).filter((k) => /^[A-Z]$/.test(k)));

/** Shift+letter per column: N name, A age, M system, then each column's first free letter of its title. */
function sortLetters(titles: readonly string[]): string[] {
  const used = new Set(RESERVED);
  const out = titles.map(() => '');
  const take = (i: number, candidates: string) => {
    for (const ch of candidates.toUpperCase()) {
      if (/[A-Z]/.test(ch) && !used.has(ch)) {
        used.add(ch);
        out[i] = ch;
        return;
      }
    }
  };
  const fixed: Record<string, string> = { NAME: 'N', AGE: 'A', SYSTEM: 'M' };
  titles.forEach((t, i) => fixed[t] && take(i, fixed[t]));
  titles.forEach((t, i) => !out[i] && !fixed[t] && take(i, t));
  return out;
}

const WIDE = 120;
const MAX_CELL = 40;

/** Where growWidths keeps the longest name (the flex column's). */
const NAMES = -1;

/** Grows each cell's width (by its position) to the longest among `rows`, at most MAX_CELL; the names' too. */
function growWidths(widths: Map<number, number>, rows: readonly ResourceRow[]): void {
  for (const r of rows) {
    if (r.name.length > (widths.get(NAMES) ?? 0)) widths.set(NAMES, r.name.length);
    r.cells.forEach((c, i) => {
      if (c.length > (widths.get(i) ?? 0)) widths.set(i, Math.min(MAX_CELL, c.length));
    });
  }
}

/** The table of one kind from the server's column definitions; `widths` by cell position (the title's when unknown). */
export function resourcesTable(defs: readonly TableColumnDefinition[], showSystem: boolean, widths: ReadonlyMap<number, number> = new Map()): TableDef<ResourceRow> {
  const widthOf = (i: number, title: string) => Math.max(title.length, widths.get(i) ?? 0);
  const nameAt = Math.max(0, defs.findIndex((d) => d.format === 'name' || d.name === 'Name'));
  const statusAt = defs.findIndex((d) => d.name === 'Status' || d.name === 'Phase');
  const readyAt = defs.findIndex((d) => d.name === 'Ready');
  const specs: Array<{ id: string; title: string; build: () => Omit<Column<ResourceRow>, 'id' | 'title' | 'sortKey'> }> = [];
  specs.push({ id: 'name', title: 'NAME', build: () => ({ width: 'flex', text: (r) => listedName(r.name, r.deleting), compare: (a, b) => collator.compare(a.name, b.name) }) });
  if (showSystem) specs.push({ id: 'system', title: 'SYSTEM', build: () => ({ width: 14, text: (r) => r.namespace, compare: (a, b) => collator.compare(a.namespace, b.namespace), minTerminalWidth: 2 }) });
  defs.forEach((d, i) => {
    if (i === nameAt) return;
    const title = d.name.toUpperCase();
    // Later columns give way first at a narrow width; the server's wide columns (priority 1) need a wide terminal.
    const minTerminalWidth = (d.priority ?? 0) > 0 ? WIDE + i : 3 + i;
    if (d.name === 'Age') {
      // The age stays when others give way (as the system column does): it says whether a row is new.
      specs.push({ id: 'age', title, build: () => ({ width: 7, align: 'right', text: (r, now) => formatAge(r.createdAt, now), compare: byNumber((r) => -r.createdAt), minTerminalWidth: 2 }) });
      return;
    }
    const numeric = d.type === 'integer' || d.type === 'number';
    specs.push({ id: `c${i}`, title, build: () => ({ width: widthOf(i, title), align: numeric ? 'right' : 'left', text: (r) => r.cells[i] ?? '', compare: byCell(i), minTerminalWidth }) });
  });
  const letters = sortLetters(specs.map((s) => s.title));
  return {
    key: (r) => r.uid,
    defaultSort: 'name',
    // Short names (a CRD's objects) leave room for more of the server's columns.
    flexMin: Math.max(12, Math.min(30, (widths.get(NAMES) ?? 30) + 1)),
    tone: toneOf(statusAt, readyAt),
    filterText: (r) => r.namespace,
    columns: specs.map((s, i) => ({ id: s.id, title: s.title, ...(letters[i] ? { sortKey: letters[i] } : {}), ...s.build() })),
  };
}

/** What Enter opens: a workload's pods, a system's applications, a node's pods; anything else its description. */
function drill(r: ResourceRow, view: ViewState): ViewInit | undefined {
  const res = view.resource;
  if (!res) return undefined;
  if (res.group === 'apps' && (res.resource === 'deployments' || res.resource === 'statefulsets')) {
    return { kind: 'pods', namespace: r.namespace, app: { kind: res.resource === 'deployments' ? 'Deployment' : 'StatefulSet', name: r.name } };
  }
  if (res.group === '' && res.resource === 'namespaces') return { kind: 'apps', namespace: r.name };
  if (res.group === '' && res.resource === 'nodes') return { kind: 'pods', node: r.name };
  if (res.group === '' && res.resource === 'pods') return { kind: 'pod', namespace: r.namespace, pod: r.name };
  return { kind: 'describe', object: refOf(r, res) };
}

function refOf(r: ResourceRow, res: KindRef) {
  return { group: res.group, version: res.version, resource: res.resource, kind: res.kind, namespace: r.namespace || undefined, name: r.name, uid: r.uid };
}

function index(rows: Iterable<ResourceRow>, def: TableDef<ResourceRow>, view: ViewState, filter: ParsedFilter, now: number) {
  const matches = rowMatcher(def, filter, now);
  return new SortedRowIndex<ResourceRow>({ key: (r) => r.uid, compare: rowComparator(def, view.sort, now), matches: (r) => !matches || matches(r) }, rows);
}

export const resourcesView: ListViewDescriptor<'resources'> = {
  id: 'resources',
  title: 'Resources',
  // Reached by any kind's names through discovery (see keys/kindCommand.ts), not by a fixed word.
  commands: [],
  widestTable: () => resourcesTable([{ name: 'Name', type: 'string', format: 'name' }, { name: 'Age', type: 'string' }], true),
  model({ ctx, view, filter, filterError, now, keep }) {
    const feed = ctx.viewTable('cells');
    const showSystem = Boolean(view.resource?.namespaced && !view.namespace);
    const all = feed?.rows.rows ?? new Map<string, ResourceRow>();
    const columns = feed?.columns ?? [];
    // Kept while the feed, its columns, the filter and the sort stay: the rows in order (a tick costs
    // the rows that changed) and the columns' widths, which only grow (columns do not jump as rows change).
    const scopeKey = `${JSON.stringify(feed?.spec ?? null)}|${columns.map((c) => c.name).join(',')}|${view.filter}|${view.sort ? `${view.sort.column}${view.sort.descending ? '-' : '+'}` : ''}`;
    const state = keep(scopeKey, () => {
      const ix = index(all.values(), resourcesTable(columns, showSystem), view, localFilter(filter), now);
      const stop = feed?.onRowChange((previous, next) => ix.change(previous, next)) ?? (() => {});
      return { ix, widths: new Map<number, number>(), stop };
    });
    const rows = state.ix.rows();
    growWidths(state.widths, rows.slice(0, 1000));
    const def = resourcesTable(columns, showSystem, state.widths);
    return {
      kind: 'resources', descriptor: resourcesView, def, rows, total: all.size, filter, filterError,
      problem: feed?.problem(),
      changedAt: (r) => feed?.rows.changedAt.get(r.uid),
    };
  },
  drill,
  drillHelp: "a Deployment's or StatefulSet's pods, a system's applications, a node's pods; any other kind: its description",
  keys: [resourcePortForwardKey],
  feed: (view, selector) => {
    const r = view.resource;
    if (!r) return undefined;
    const groupVersionPath = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    return { kind: 'table', rows: 'cells', spec: { groupVersionPath, resource: r.resource, ...(r.namespaced && view.namespace ? { namespace: view.namespace } : {}), ...(selector ? { labelSelector: selector } : {}) } };
  },
  ref: (r, view) => (view.resource ? refOf(r, view.resource) : undefined),
};
