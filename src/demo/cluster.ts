// The simulated cluster's state: one versioned store and one watch hub per resource, sharing a resourceVersion clock.
import type { DeploymentRecord, EventRecord, HpaRecord, NamespaceRecord, NodeRecord, PodRecord, ReplicaSetRecord, StatefulSetRecord } from './records.js';
import { deploymentKind, eventKind, hpaKind, namespaceKind, nodeKind, podKind, replicaSetKind, statefulSetKind, type ResourceKind } from './resourceKinds.js';
import { ResourceVersionClock, VersionedStore, type StoredObject, type StoreOptions } from './store.js';
import { WatchHub } from './watchHub.js';
import { pdbKind, type PdbRecord } from './disruptionBudgets.js';
import { cronJobKind, jobKind } from './batch.js';
import { configMapKind } from './configMaps.js';
import { controllerRevisionKind, type ControllerRevisionRecord } from './controllerRevisions.js';
import { ingressKind } from './ingresses.js';
import type { JsonRecord } from './jsonKinds.js';
import { crdKind, promotionKind } from './promotions.js';
import { endpointSliceKind, endpointsKind, serviceKind, type EndpointSliceRecord, type EndpointsRecord } from './services.js';

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
  readonly controllerRevisions: Served<ControllerRevisionRecord>;
  readonly namespaces: Served<NamespaceRecord>;
  readonly nodes: Served<NodeRecord>;
  readonly events: Served<EventRecord>;
  readonly hpas: Served<HpaRecord>;
  readonly pdbs: Served<PdbRecord>;
  readonly services: Served<JsonRecord>;
  readonly endpoints: Served<EndpointsRecord>;
  readonly endpointSlices: Served<EndpointSliceRecord>;
  readonly configMaps: Served<JsonRecord>;
  readonly jobs: Served<JsonRecord>;
  readonly cronJobs: Served<JsonRecord>;
  readonly ingresses: Served<JsonRecord>;
  /** CustomResourceDefinitions and the objects of the one the demo defines (promotions.shop.example). */
  readonly crds: Served<JsonRecord>;
  readonly promotions: Served<JsonRecord>;
  /** By "<group>/<resource>" ("" group for core). */
  readonly byResource = new Map<string, Served<StoredObject>>();

  constructor(options: StoreOptions, firstResourceVersion = 0) {
    this.clock = new ResourceVersionClock(firstResourceVersion);
    this.pods = serve(this.clock, podKind, options);
    this.deployments = serve(this.clock, deploymentKind, options);
    this.replicaSets = serve(this.clock, replicaSetKind, options);
    this.statefulSets = serve(this.clock, statefulSetKind, options);
    this.controllerRevisions = serve(this.clock, controllerRevisionKind, options);
    this.namespaces = serve(this.clock, namespaceKind, options);
    this.nodes = serve(this.clock, nodeKind, options);
    this.events = serve(this.clock, eventKind, options);
    this.hpas = serve(this.clock, hpaKind, options);
    this.pdbs = serve(this.clock, pdbKind, options);
    this.services = serve(this.clock, serviceKind, options);
    this.endpoints = serve(this.clock, endpointsKind, options);
    this.endpointSlices = serve(this.clock, endpointSliceKind, options);
    this.configMaps = serve(this.clock, configMapKind, options);
    this.jobs = serve(this.clock, jobKind, options);
    this.cronJobs = serve(this.clock, cronJobKind, options);
    this.ingresses = serve(this.clock, ingressKind, options);
    this.crds = serve(this.clock, crdKind, options);
    this.promotions = serve(this.clock, promotionKind, options);
    for (const s of this.all()) this.byResource.set(`${s.kind.group}/${s.kind.resource}`, s);
  }

  all(): Served<StoredObject>[] {
    return [
      this.namespaces, this.nodes, this.deployments, this.replicaSets, this.statefulSets, this.controllerRevisions, this.pods, this.events, this.hpas, this.pdbs,
      this.services, this.endpoints, this.endpointSlices, this.configMaps, this.jobs, this.cronJobs, this.ingresses, this.crds, this.promotions,
    ] as unknown as Served<StoredObject>[];
  }

  lookup(group: string, resource: string): Served<StoredObject> | undefined {
    return this.byResource.get(`${group}/${resource}`);
  }

  sealBaseline(): void {
    for (const s of this.all()) s.store.sealBaseline();
  }
}
