import { involvedSelector } from '../../../platform/kube/objects.js';
import { eventWatch } from '../../../platform/kube/rowMappers.js';
import { groupEvents, warningsFirst, type EventGroupRow } from '../../../platform/stores/eventGroups.js';
import type { ViewState } from '../../../platform/stores/navStore.js';
import { formatAge } from '../../format.js';
import { byNumber, byString, computeModel, type TableDef } from '../tableModel.js';
import { localFilter } from './listSource.js';
import { rowKey, type ListViewDescriptor } from './listView.js';

// Events of a system, of the cluster, or of one object (`E` on any row): live from a watch of
// Event objects, grouped by object and reason with their counts, Warnings first, newest first.

export function eventsTable(showSystem: boolean): TableDef<EventGroupRow> {
  return {
    key: (g) => g.key,
    defaultSort: 'type',
    tone: (g) => (g.type === 'Warning' ? 'warn' : 'normal'),
    filterText: (g) => `${g.namespace} ${g.source}`,
    columns: [
      { id: 'last', title: 'LAST', width: 6, align: 'right', sortKey: 'L', text: (g, now) => formatAge(g.lastSeen, now), compare: byNumber((g) => -g.lastSeen) },
      // Sorting by type keeps Warnings first and, within a type, the newest first.
      { id: 'type', title: 'TYPE', width: 7, sortKey: 'T', text: (g) => g.type, compare: warningsFirst },
      { id: 'reason', title: 'REASON', width: 15, sortKey: 'R', text: (g) => g.reason, compare: byString((g) => g.reason) },
      ...(showSystem ? [{ id: 'system', title: 'SYSTEM', width: 12, sortKey: 'M', text: (g: EventGroupRow) => g.namespace, minTerminalWidth: 110 }] : []),
      { id: 'object', title: 'OBJECT', width: 22, sortKey: 'O', text: (g) => g.object, compare: byString((g) => g.object) },
      { id: 'count', title: 'COUNT', width: 5, align: 'right', sortKey: 'C', text: (g) => String(g.count), compare: byNumber((g) => -g.count) },
      { id: 'message', title: 'MESSAGE', width: 'flex', text: (g) => g.message },
      { id: 'source', title: 'SOURCE', width: 22, sortKey: 'S', text: (g) => g.source, minTerminalWidth: 140 },
      { id: 'first', title: 'FIRST SEEN', width: 10, align: 'right', sortKey: 'F', text: (g, now) => formatAge(g.firstSeen, now), compare: byNumber((g) => -g.firstSeen), minTerminalWidth: 160 },
    ],
  };
}

/** `pod/cart-api-…`: the object an events view is about, for the breadcrumb. */
export function involvedTitle(view: ViewState): string | undefined {
  return view.involved ? `${view.involved.kind.toLowerCase()}/${view.involved.name}` : undefined;
}

export const eventsView: ListViewDescriptor<'events'> = {
  id: 'events',
  title: 'Events',
  commands: ['events', 'event', 'ev'],
  widestTable: () => eventsTable(true),
  model({ ctx, view, filter, filterError, now }) {
    const feed = ctx.viewTable('events');
    const def = eventsTable(!view.namespace && !view.involved);
    const all = groupEvents(feed?.rows.rows.values() ?? []);
    const rows = computeModel({ def, rows: all, filter: localFilter(filter), sort: view.sort, now });
    return { kind: 'events', descriptor: eventsView, def, rows, total: all.length, filter, filterError, problem: feed?.problem(), changedAt: () => undefined };
  },
  feed: (view, selector) => {
    const involved = view.involved;
    const fieldSelector = involved ? involvedSelector(involved) : undefined;
    // An object's events are in its namespace; a cluster-scoped object's may be in any.
    const namespace = involved ? involved.namespace : view.namespace;
    return { kind: 'table', rows: 'events', spec: { ...eventWatch.spec, ...(namespace ? { namespace } : {}), ...(fieldSelector ? { fieldSelector } : {}), ...(selector ? { labelSelector: selector } : {}) } };
  },
  drill: (g) => ({ kind: 'describe', object: { group: '', version: 'v1', resource: 'events', kind: 'Event', namespace: g.latest.namespace || undefined, name: g.latest.name, uid: g.latest.uid } }),
  drillHelp: 'the newest event of the line, described',
  // The Event object itself (the newest of the line); `E` lists the events of the object it is about.
  ref: (g) => ({ group: '', version: 'v1', resource: 'events', kind: 'Event', namespace: g.latest.namespace || undefined, name: g.latest.name, uid: g.latest.uid }),
  keys: [
    rowKey<'events'>('row.events', ['E'], 'the events of the object this line is about', (g, { runtime }) =>
      runtime.nav.push({ kind: 'events', namespace: g.involved.namespace || undefined, involved: { kind: g.involved.kind, name: g.involved.name, namespace: g.involved.namespace || undefined, uid: g.involved.uid || undefined } }),
    ),
  ],
};
