import type { ReadSession } from '../kube/kubeSession.js';
import type { TableColumnDefinition, RowMapper } from '../kube/tableTypes.js';
import { watchTable } from '../kube/tableWatch.js';
import type { WatchHandle, WatchSpec } from '../kube/watchTypes.js';
import { tableFeed, type ListFeed } from './listState.js';
import { RowTable } from './rowTable.js';

// The rows of one list+watch a view opened beyond the cluster-wide feed (any resource kind, the
// events of a scope, nodes with a selector), only while that view is open: the spine's paged
// Table watch (bookmarks, relist on 410) into a RowTable, plus the columns the server defined.

export class ViewTable<Row extends { uid: string }> {
  readonly rows: RowTable<Row>;
  /** The server's column definitions, once the first page arrived. */
  columns: readonly TableColumnDefinition[] = [];
  private readonly handle: WatchHandle;
  private readonly rowListeners = new Set<(previous: Row | undefined, next: Row | undefined) => void>();

  constructor(session: ReadSession, readonly spec: WatchSpec, map: RowMapper<Row>, changed: () => void) {
    this.rows = new RowTable<Row>((previous, next) => {
      for (const l of this.rowListeners) l(previous, next);
      changed();
    }, changed);
    const rows = this.rows;
    this.handle = watchTable(session, spec, map, {
      listPage: (page, generation, done, progress) => rows.listPage(page, generation, done, progress),
      upsert: (row) => rows.upsert(row),
      remove: (uid) => rows.remove(uid),
      status: (status) => rows.status(status),
      columns: (definitions) => {
        this.columns = definitions;
        changed();
      },
    });
  }

  /** Every row change as it happens (before the coalesced notification), for a view's sorted index. */
  onRowChange(listener: (previous: Row | undefined, next: Row | undefined) => void): () => void {
    this.rowListeners.add(listener);
    return () => this.rowListeners.delete(listener);
  }

  /** The feed as a view's list state reads it (loading, forbidden, failed). */
  feed(): ListFeed {
    return tableFeed(this.spec.resource, this.rows, this.spec.namespace);
  }

  /** What went wrong with the watch, for the view's problem line; undefined when fine. */
  problem(): string | undefined {
    const st = this.rows.watchStatus;
    if (st.kind === 'failed' || st.kind === 'forbidden') return `${this.spec.resource}: ${st.message}`;
    if (st.kind === 'reconnecting') return `${this.spec.resource}: reconnecting (${st.reason})`;
    return undefined;
  }

  stop(): void {
    this.handle.stop();
  }
}
