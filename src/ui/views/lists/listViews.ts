import type { ViewFeedRequest } from '../../../platform/contextRuntime.js';
import { labelSelectorOf, type ViewKind, type ViewState } from '../../../platform/stores/navStore.js';
import { alertsView } from './alertsView.js';
import { appsView } from './appsView.js';
import { fleetAppsView } from './fleetAppsView.js';
import { fleetPodsView } from './fleetPodsView.js';
import { fleetSystemsView } from './fleetSystemsView.js';
import type { ListViewDescriptor, ListViewId } from './listView.js';
import { podsView } from './podsView.js';
import { replicaSetsView } from './replicaSetsView.js';
import { silencesView } from './silencesView.js';
import { eventsView } from './eventsView.js';
import { nodesView } from './nodesView.js';
import { resourcesView } from './resourcesView.js';
import { systemsView } from './systemsView.js';

// Every list view of the console, by id. A new list view is one descriptor file and one line here.

export const listViews: { readonly [K in ListViewId]: ListViewDescriptor<K> } = {
  systems: systemsView,
  apps: appsView,
  pods: podsView,
  replicasets: replicaSetsView,
  resources: resourcesView,
  nodes: nodesView,
  events: eventsView,
  'fleet-systems': fleetSystemsView,
  'fleet-apps': fleetAppsView,
  'fleet-pods': fleetPodsView,
  alerts: alertsView,
  silences: silencesView,
};

export function isListView(kind: ViewKind): kind is ListViewId {
  return Object.prototype.hasOwnProperty.call(listViews, kind);
}

/** The list+watch `view` needs beyond the cluster-wide feed (ConsoleRuntime's `viewFeeds`). */
export function viewFeeds(view: ViewState): ViewFeedRequest | undefined {
  if (!isListView(view.kind)) return undefined;
  return listViews[view.kind].feed?.(view, labelSelectorOf(view.filter));
}

/** The list view a `:` command names (`:po`, `:apps`), if any: the fleet's in a fleet. */
export function listViewByCommand(name: string, fleet = false): ListViewDescriptor<ListViewId> | undefined {
  return Object.values(listViews).find((d: ListViewDescriptor<ListViewId>) => d.commands.includes(name) && Boolean(d.fleet) === fleet)
    ?? Object.values(listViews).find((d: ListViewDescriptor<ListViewId>) => d.commands.includes(name));
}
