import type { WatchStatus } from '../kube/watchTypes.js';
import { glyphs } from '../../terminal/glyphs.js';

// Why a list view shows what it shows. A system that does not exist, a forbidden list, a list
// still loading and a list that is simply empty must not look alike (an empty table reads as
// "nothing wrong"): this decides which of them the view is in and the words for it. The view
// draws `message` in its body when no row is listed and `count` in the breadcrumb.

/** One list+watch the view's rows come from. */
export interface ListFeed {
  /** The resource as the API names it: pods, deployments, namespaces, replicasets. */
  resource: string;
  status: WatchStatus;
  /** A complete list has arrived (its rows are the cluster's, not a part of them). */
  synced: boolean;
  /** Listing it in the view's scope is forbidden: the server's reason, and where when only some systems are. */
  forbidden?: { reason: string; systems?: string[] };
  /** Items received by the paged list under way, and the total when the server said. */
  progress?: { received: number; expected?: number };
  /** It fills counts in the rows (pods for the Systems view), not the rows: while it loads the count says so, the body does not. */
  countsOnly?: boolean;
}

export interface ListStateInput {
  /** What the rows are, plural: pods, applications, systems, ReplicaSets. */
  noun: string;
  /** The kubeconfig context, for "no such system 'foo' in context X". */
  context: string;
  /** The view's system; undefined when it lists every system. */
  namespace?: string;
  /** The application whose pods the view lists. */
  app?: string;
  /** Whether the view's system is in the namespace list; undefined when that list is not known (yet). */
  systemListed?: boolean;
  feeds: readonly ListFeed[];
  /** Rows listed (after the filter) and rows before the filter. */
  shown: number;
  total: number;
  /** The filter as typed (`text`, `re:…`, `-l …`); '' for none. */
  filter: string;
  /** The server applied the filter (`-l`): `total` counts only the rows that match. */
  serverFiltered?: boolean;
  /** False while the API server has not answered anything yet (the header says whom it tries); default true. */
  answered?: boolean;
}

export type ListStateKind = 'rows' | 'connecting' | 'loading' | 'forbidden' | 'failed' | 'missing' | 'empty' | 'filtered';

export interface ListState {
  kind: ListStateKind;
  /** Why no row is listed, for the view's body; undefined when rows are listed (or while connecting). */
  message?: string;
  /** The API server's words for a forbidden or failed list (drawn after `message` unless already on screen). */
  reason?: string;
  /** The breadcrumb's count: `(340)`, `(12 of 340)`, `(loading…)`. */
  count: string;
}

const num = (n: number): string => n.toLocaleString('en-US');

export function listState(i: ListStateInput): ListState {
  const stillLoading = i.feeds.filter((f) => !f.synced && !f.forbidden && f.status.kind !== 'failed' && f.status.kind !== 'forbidden');
  const loading = stillLoading.length > 0;
  const rowFeeds = i.feeds.filter((f) => !f.countsOnly);
  const loadingFeeds = stillLoading.filter((f) => !f.countsOnly);
  const inSystem = i.namespace ? ` in ${i.namespace}` : '';
  const where = i.app ? ` of ${i.app}${inSystem}` : inSystem;

  if (i.shown > 0) {
    const count = i.shown === i.total ? num(i.total) : `${num(i.shown)} of ${num(i.total)}`;
    return { kind: 'rows', count: loading ? `(${count}, loading${glyphs.ellipsis})` : `(${count})` };
  }
  if (i.total > 0) {
    return {
      kind: 'filtered',
      message: `no ${i.noun} match /${i.filter} (${num(i.total)} hidden by the filter)`,
      count: `(0 of ${num(i.total)})`,
    };
  }
  // Nothing has answered: the header names the server being tried; the body claims nothing.
  if (i.answered === false) return { kind: 'connecting', count: `(connecting${glyphs.ellipsis})` };
  if (i.namespace && i.systemListed === false) {
    return { kind: 'missing', message: `no such system '${i.namespace}' in context ${i.context}`, count: '(0)' };
  }
  const forbidden = rowFeeds.filter((f) => f.forbidden);
  if (forbidden.length > 0) {
    const systems = i.namespace ? [i.namespace] : [...new Set(forbidden.flatMap((f) => f.forbidden?.systems ?? []))].sort();
    const scope = systems.length ? ` in ${systems.join(', ')}` : '';
    const resources = forbidden.map((f) => f.resource).join(' and ');
    return { kind: 'forbidden', message: `forbidden: list ${resources}${scope}`, reason: forbidden[0].forbidden!.reason, count: '(forbidden)' };
  }
  const failed = rowFeeds.find((f) => f.status.kind === 'failed');
  if (failed?.status.kind === 'failed') {
    return { kind: 'failed', message: `cannot list ${failed.resource}${inSystem}`, reason: failed.status.message, count: '(error)' };
  }
  if (loadingFeeds.length > 0) return { kind: 'loading', message: loadingText(i.noun, loadingFeeds), count: `(loading${glyphs.ellipsis})` };
  if (i.serverFiltered && i.filter) return { kind: 'empty', message: `no ${i.noun} match /${i.filter}${where}`, count: '(0)' };
  return { kind: 'empty', message: `no ${i.noun}${where || ` in context ${i.context}`}`, count: '(0)' };
}

/** `loading pods… 12,000 of 20,000`, `loading pods… 300 so far`, or why it waits. */
function loadingText(noun: string, feeds: readonly ListFeed[]): string {
  let received = 0;
  let expected: number | undefined = 0;
  let any = false;
  for (const f of feeds) {
    if (!f.progress) continue;
    any = true;
    received += f.progress.received;
    expected = expected === undefined || f.progress.expected === undefined ? undefined : expected + f.progress.expected;
  }
  const reconnecting = feeds.find((f) => f.status.kind === 'reconnecting')?.status;
  const waiting = reconnecting?.kind === 'reconnecting' ? ` (waiting for the server: ${reconnecting.reason})` : '';
  if (!any) return `loading ${noun}${glyphs.ellipsis}${waiting}`;
  return `loading ${noun}${glyphs.ellipsis} ${num(received)}${expected !== undefined ? ` of ${num(expected)}` : ' so far'}${waiting}`;
}

/** What tableFeed reads of a RowTable. */
export interface FeedTable {
  readonly watchStatus: WatchStatus;
  readonly synced: boolean;
  readonly forbidden: ReadonlyMap<string, string>;
  listProgress(): { received: number; expected?: number } | undefined;
}

/** The feed a RowTable keeps, as it concerns a view of `namespace` (undefined: every system). */
export function tableFeed(resource: string, table: FeedTable, namespace?: string): ListFeed {
  const status = table.watchStatus;
  let forbidden: ListFeed['forbidden'];
  // Per-system 403s are kept after a forbidden cluster-wide list fell back to one list per system.
  if (namespace && table.forbidden.has(namespace)) forbidden = { reason: table.forbidden.get(namespace)! };
  else if (status.kind === 'forbidden') forbidden = { reason: status.message };
  else if (!namespace && table.forbidden.size > 0) {
    forbidden = { reason: table.forbidden.values().next().value!, systems: [...table.forbidden.keys()] };
  }
  const progress = table.listProgress();
  return {
    resource,
    status,
    // A per-system fallback never completes the table's own list: 'live' means every part has.
    synced: table.synced || status.kind === 'live',
    ...(forbidden ? { forbidden } : {}),
    ...(progress ? { progress } : {}),
  };
}
