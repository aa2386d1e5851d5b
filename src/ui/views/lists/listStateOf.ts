import type { ContextRuntime } from '../../../platform/contextRuntime.js';
import { listState, tableFeed, type ListFeed, type ListState } from '../../../platform/stores/listState.js';
import type { ViewState } from '../../../platform/stores/navStore.js';
import type { ParsedFilter } from '../tableModel.js';
import { noAlertSource, shownContexts } from './alertsView.js';
import { nodesFeed } from './nodesView.js';
import { kindTitle } from './resourcesView.js';

// Reads what listState needs for a list view from the context's stores (no I/O): the feeds
// its rows and counts come from, whether its system exists, its row counts and filter.

const nouns = { systems: 'systems', apps: 'applications', pods: 'pods', replicasets: 'ReplicaSets', alerts: 'alerts', silences: 'silences', nodes: 'nodes', events: 'events' } as const;

/** The alert stores a view of alerts or silences reads, as feeds: loading until the first answer, failed while failing with nothing listed. */
function alertFeeds(contexts: readonly ContextRuntime[], resource: string): ListFeed[] {
  return contexts.map((c): ListFeed => {
    const s = c.alerts.status;
    if (s.kind === 'loading') return { resource, status: { kind: 'listing' }, synced: false };
    if (s.kind === 'failing') return { resource, status: { kind: 'failed', message: s.message }, synced: false };
    return { resource, status: { kind: 'live' }, synced: true };
  });
}

export function listStateOf(
  ctx: ContextRuntime,
  contexts: readonly ContextRuntime[],
  view: ViewState,
  model: { rows: readonly unknown[]; total: number; filter: ParsedFilter },
): ListState {
  const store = ctx.store;
  // A cluster-scoped kind (nodes, a CRD) is not in a system, whatever system the user was in.
  const ns = view.kind === 'nodes' || (view.kind === 'resources' && !view.resource?.namespaced) ? undefined : view.namespace;
  const labels = model.filter.kind === 'labels';
  // With `/-l`, rows come from the server-filtered feed (none until the runtime starts it).
  const source = labels ? ctx.viewSelectorStore() : store;
  const notStarted = (resource: string): ListFeed => ({ resource, status: { kind: 'listing' }, synced: false });
  const feed = (resource: 'deployments' | 'statefulsets' | 'pods') => (source ? tableFeed(resource, source.tables[resource], ns) : notStarted(resource));
  let feeds: ListFeed[];
  switch (view.kind) {
    case 'systems':
      feeds = [tableFeed('namespaces', store.namespaces), { ...tableFeed('pods', store.pods), countsOnly: true }];
      break;
    case 'apps':
      feeds = [feed('deployments'), feed('statefulsets'), { ...tableFeed('pods', store.pods, ns), countsOnly: true }];
      break;
    case 'replicasets':
      feeds = ctx.viewReplicaSets()?.feeds() ?? [notStarted('replicasets')];
      break;
    case 'pods':
      feeds = [feed('pods')];
      break;
    case 'alerts':
    case 'silences':
      feeds = alertFeeds(shownContexts(ctx, contexts, view), view.kind);
      break;
    case 'resources':
      feeds = [ctx.viewTable('cells')?.feed() ?? notStarted(view.resource?.resource ?? 'resources')];
      break;
    case 'events':
      feeds = [ctx.viewTable('events')?.feed() ?? notStarted('events')];
      break;
    case 'nodes':
      feeds = [nodesFeed(ctx)];
      break;
    default:
      feeds = []; // a view not listed here: its rows' count, no loading or forbidden state
  }
  const namespaces = tableFeed('namespaces', store.namespaces);
  const namespacesKnown = namespaces.synced && !namespaces.forbidden;
  const systemListed = ns && namespacesKnown ? [...store.namespaces.rows.values()].some((n) => n.name === ns) : undefined;
  const noSource = view.kind === 'alerts' || view.kind === 'silences' ? noAlertSource(shownContexts(ctx, contexts, view)) : undefined;
  if (noSource) return { kind: 'empty', message: noSource, count: '(0)' };
  return listState({
    noun: view.kind === 'resources' && view.resource ? kindTitle(view.resource).toLowerCase() : (nouns[view.kind as keyof typeof nouns] ?? 'rows'),
    context: ctx.session.contextName,
    ...(ns ? { namespace: ns } : {}),
    ...(view.app ? { app: view.app.name } : {}),
    ...(systemListed !== undefined ? { systemListed } : {}),
    feeds,
    shown: model.rows.length,
    total: model.total,
    filter: view.filter.trim(),
    serverFiltered: labels,
    answered: store.answered(),
  });
}
