import type { ReplicaSetRow } from '../../../platform/kube/rows.js';
import { formatAge } from '../../format.js';
import { scaleReplicaSetKey } from '../scaleRowActions.js';
import { byNumber, byString, computeModel, type TableDef, type Tone } from '../tableModel.js';
import { localFilter } from './listSource.js';
import type { ListViewDescriptor } from './listView.js';

// ReplicaSets and ReplicationControllers, to scale one directly (Esc goes to the applications).

/** `Deployment/checkout` -> `deploy/checkout`: the short kind names kubectl users know. */
function shortOwner(owner: string): string {
  if (!owner) return '-';
  const slash = owner.indexOf('/');
  const kind = owner.slice(0, slash);
  const short = kind === 'Deployment' ? 'deploy' : kind === 'StatefulSet' ? 'sts' : kind.toLowerCase();
  return `${short}${owner.slice(slash)}`;
}

function replicaSetTone(r: ReplicaSetRow): Tone {
  if (r.desired === 0 && r.current === 0) return 'dim'; // an old ReplicaSet a Deployment keeps for rollback
  if (r.desired > 0 && r.ready === 0) return 'error';
  if (r.ready < r.desired || r.current !== r.desired) return 'warn';
  return 'normal';
}

export function replicaSetsTable(showSystem: boolean): TableDef<ReplicaSetRow> {
  return {
    key: (r) => r.uid,
    defaultSort: 'name',
    tone: replicaSetTone,
    filterText: (r) => r.owner,
    columns: [
      { id: 'name', title: 'NAME', width: 'flex', sortKey: 'N', text: (r) => r.name, compare: byString((r) => r.name) },
      ...(showSystem ? [{ id: 'system', title: 'SYSTEM', width: 14, sortKey: 'M', text: (r: ReplicaSetRow) => r.namespace }] : []),
      { id: 'kind', title: 'KIND', width: 4, sortKey: 'K', text: (r) => (r.kind === 'ReplicaSet' ? 'rs' : 'rc') },
      { id: 'owner', title: 'OWNER', width: 24, sortKey: 'O', text: (r) => shortOwner(r.owner), compare: byString((r) => r.owner) },
      { id: 'desired', title: 'DESIRED', width: 7, align: 'right', sortKey: 'D', text: (r) => String(r.desired), compare: byNumber((r) => r.desired) },
      { id: 'current', title: 'CURRENT', width: 7, align: 'right', text: (r) => String(r.current) },
      { id: 'ready', title: 'READY', width: 5, align: 'right', sortKey: 'Y', text: (r) => String(r.ready), compare: byNumber((r) => r.ready - r.desired) },
      { id: 'age', title: 'AGE', width: 7, align: 'right', sortKey: 'A', text: (r, now) => formatAge(r.createdAt, now), compare: byNumber((r) => -r.createdAt) },
    ],
  };
}

export const replicaSetsView: ListViewDescriptor<'replicasets'> = {
  id: 'replicasets',
  title: 'ReplicaSets',
  commands: ['rs', 'replicasets', 'replicaset'],
  widestTable: () => replicaSetsTable(true),
  model({ ctx, view, filter, filterError, now }) {
    // Its own list+watch (started by the runtime while this view is open); a label selector goes to the server with it.
    const rsStore = ctx.viewReplicaSets();
    const def = replicaSetsTable(!view.namespace);
    const all = rsStore?.rows() ?? [];
    const rows = computeModel({ def, rows: all, filter: localFilter(filter), sort: view.sort, now });
    return { kind: 'replicasets', descriptor: replicaSetsView, def, rows, total: all.length, filter, filterError, problem: rsStore?.problem(), changedAt: () => undefined };
  },
  keys: [scaleReplicaSetKey],
  ref: (r) => (r.kind === 'ReplicaSet'
    ? { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespace: r.namespace, name: r.name, uid: r.uid }
    : { group: '', version: 'v1', resource: 'replicationcontrollers', kind: 'ReplicationController', namespace: r.namespace, name: r.name, uid: r.uid }),
  feed: (view, selector) => ({ kind: 'replicasets', namespace: view.namespace, selector }),
};
