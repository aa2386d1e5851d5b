// The simulated cluster's state: one versioned store and one watch hub per resource, sharing a resourceVersion clock.
import type { DeploymentRecord, EventRecord, HpaRecord, NamespaceRecord, NodeRecord, PodRecord, ReplicaSetRecord, StatefulSetRecord } from './records.js';
import { deploymentKind, eventKind, hpaKind, namespaceKind, nodeKind, podKind, replicaSetKind, statefulSetKind, type ResourceKind } from './resourceKinds.js';
import { ResourceVersionClock, VersionedStore, type StoredObject, type StoreOptions } from './store.js';
import { WatchHub } from './watchHub.js';
import { pdbKind, type PdbRecord } from './disruptionBudgets.js';

export interface Served<T extends StoredObject> {
  kind: ResourceKind<T>;
  store: VersionedStore<T>;
  hub: WatchHub<T>;
}

function serve<T extends StoredObject>(clock: ResourceVersionClock, kind: ResourceKind<T>, options: StoreOptions): Served<T> {
  const store = new VersionedStore<T>(clock, options);
  return { kind, store, hub: new WatchHub(kind, store) };
}

export class Cluster {
  readonly clock: ResourceVersionClock;
  readonly pods: Served<PodRecord>;
  readonly deployments: Served<DeploymentRecord>;
  readonly replicaSets: Served<ReplicaSetRecord>;
  readonly statefulSets: Served<StatefulSetRecord>;
  readonly namespaces: Served<NamespaceRecord>;
  readonly nodes: Served<NodeRecord>;
  readonly events: Served<EventRecord>;
  readonly hpas: Served<HpaRecord>;
  readonly pdbs: Served<PdbRecord>;
  /** By "<group>/<resource>" ("" group for core). */
  readonly byResource = new Map<string, Served<StoredObject>>();

  constructor(options: StoreOptions, firstResourceVersion = 0) {
    this.clock = new ResourceVersionClock(firstResourceVersion);
    this.pods = serve(this.clock, podKind, options);
    this.deployments = serve(this.clock, deploymentKind, options);
    this.replicaSets = serve(this.clock, replicaSetKind, options);
    this.statefulSets = serve(this.clock, statefulSetKind, options);
    this.namespaces = serve(this.clock, namespaceKind, options);
    this.nodes = serve(this.clock, nodeKind, options);
    this.events = serve(this.clock, eventKind, options);
    this.hpas = serve(this.clock, hpaKind, options);
    this.pdbs = serve(this.clock, pdbKind, options);
    for (const s of this.all()) this.byResource.set(`${s.kind.group}/${s.kind.resource}`, s);
  }

  all(): Served<StoredObject>[] {
    return [this.namespaces, this.nodes, this.deployments, this.replicaSets, this.statefulSets, this.pods, this.events, this.hpas, this.pdbs] as unknown as Served<StoredObject>[];
  }

  lookup(group: string, resource: string): Served<StoredObject> | undefined {
    return this.byResource.get(`${group}/${resource}`);
  }

  sealBaseline(): void {
    for (const s of this.all()) s.store.sealBaseline();
  }
}
