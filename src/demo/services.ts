// Services for the demo's applications, and their Endpoints and EndpointSlices kept in step with the pods, as the
// endpoints and endpointslice controllers do: ready pods are addresses, running pods that are not ready are
// notReadyAddresses, terminating pods leave Endpoints and stay in a slice as terminating. One Service selects
// nothing (search/legacy-search): its Endpoints have no subsets, its slice no endpoints.
import { randomUUID } from 'node:crypto';
import type { Cluster } from './cluster.js';
import { ageSince } from './duration.js';
import { ageColumn, column, defineKind, formatLabels, jsonKind, nameColumn, timestamp, type JsonRecord } from './jsonKinds.js';
import { fakeDigest, metadataJson, type Json } from './objectJson.js';
import type { PodRecord } from './records.js';
import { objectKey, type Labels, type StoredObject } from './store.js';

// Printers walk loosely typed Kubernetes JSON, as the real ones walk Go structs.
type AnyJson = Record<string, any>;

interface ServicePort {
  name: string;
  port: number;
  targetPort: number;
  protocol: 'TCP' | 'UDP';
}

/** Who a Service's endpoints point at: a pod's address and state (or a control-plane node's, for `kubernetes`). */
interface Member {
  kind: 'Pod' | 'Node';
  name: string;
  uid: string;
  ip: string;
  node?: string;
  ready: boolean;
  terminating: boolean;
}

/** Pods as endpoints: running (or starting) with an address, not finished. */
function servable(p: PodRecord): boolean {
  return Boolean(p.podIP) && p.stage !== 'Succeeded' && p.stage !== 'Failed' && p.stage !== 'Pending';
}

function member(p: PodRecord | Member): Member {
  if ('kind' in p) return p;
  return { kind: 'Pod', name: p.meta.name, uid: p.meta.uid, ip: p.podIP!, node: p.nodeName, ready: p.stage === 'Running' && p.ready, terminating: p.meta.deletionTs !== undefined };
}

// The records keep the pod records themselves (immutable: a pod's change replaces its record), sorted by name,
// and the JSON is built when served: nothing per pod is built at start-up.
export interface EndpointsRecord extends StoredObject {
  readonly ports: readonly ServicePort[];
  readonly members: ReadonlyArray<PodRecord | Member>;
}

export interface EndpointSliceRecord extends StoredObject {
  readonly service: string;
  readonly ports: readonly ServicePort[];
  readonly members: ReadonlyArray<PodRecord | Member>;
  /** Node name -> zone, shared by every slice of the cluster. */
  readonly zones: ReadonlyMap<string, string>;
}

/** getServiceExternalIP (wide) for the service types the demo has. */
function externalIP(s: AnyJson): string {
  const ips: string[] = s.spec?.externalIPs ?? [];
  switch (s.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ips.length ? ips.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = (s.status?.loadBalancer?.ingress ?? []).map((i: AnyJson) => i.ip || i.hostname).filter(Boolean);
      const all = [...new Set<string>(lb), ...ips];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return s.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

export const serviceKind = jsonKind({
  resource: 'services',
  singular: 'service',
  kind: 'Service',
  group: '',
  version: 'v1',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: ['status', 'proxy'],
  columns: [
    nameColumn(),
    column('Type', 'string', 'type determines how the Service is exposed. Defaults to ClusterIP.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn(),
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  print: (s: AnyJson, now) => {
    const ports = ((s.spec?.ports ?? []) as AnyJson[]).map((p) => (p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
    return {
      cells: [s.metadata?.name ?? '', s.spec?.type ?? '', s.spec?.clusterIPs?.[0] ?? '<none>', externalIP(s), ports || '<none>', ageSince(timestamp(s.metadata?.creationTimestamp), now), formatLabels(s.spec?.selector)],
    };
  },
  fields: { 'spec.clusterIP': (o) => String((o.body.spec as AnyJson | undefined)?.clusterIP ?? ''), 'spec.type': (o) => String((o.body.spec as AnyJson | undefined)?.type ?? '') },
});

const targetRef = (m: Member, namespace: string): Json => (m.kind === 'Pod' ? { kind: 'Pod', namespace, name: m.name, uid: m.uid } : { kind: 'Node', name: m.name, uid: m.uid });
const endpointPorts = (ports: readonly ServicePort[]): Json[] => ports.map((p) => ({ name: p.name, port: p.targetPort, protocol: p.protocol }));

export function endpointsJson(e: EndpointsRecord): Json {
  const ns = e.meta.namespace;
  const live = e.members.map(member).filter((m) => !m.terminating);
  const address = (m: Member): Json => ({ ip: m.ip, ...(m.node ? { nodeName: m.node } : {}), targetRef: targetRef(m, ns) });
  const addresses = live.filter((m) => m.ready).map(address);
  const notReady = live.filter((m) => !m.ready).map(address);
  const out: Json = { metadata: metadataJson(e.meta) };
  if (addresses.length || notReady.length) {
    out.subsets = [{ ...(addresses.length ? { addresses } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports: endpointPorts(e.ports) }];
  }
  return out;
}

export const endpointsKind = defineKind<EndpointsRecord>({
  resource: 'endpoints',
  singular: 'endpoints',
  kind: 'Endpoints',
  group: '',
  version: 'v1',
  namespaced: true,
  shortNames: ['ep'],
  columns: [nameColumn(), column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), ageColumn()],
  // formatEndpoints: the first three ip:port of the ready addresses, then "+ N more...".
  print: (e: AnyJson, now) => {
    const subsets: AnyJson[] = e.subsets ?? [];
    let text = '<none>';
    if (subsets.length) {
      const list: string[] = [];
      let count = 0;
      for (const ss of subsets) {
        const addrs: AnyJson[] = ss.addresses ?? [];
        const ports: AnyJson[] = ss.ports ?? [];
        if (!ports.length) {
          count += addrs.length;
          for (const a of addrs) if (list.length < 3) list.push(a.ip);
          continue;
        }
        for (const p of ports) {
          count += addrs.length;
          for (const a of addrs) if (list.length < 3) list.push(`${a.ip}:${p.port}`);
        }
      }
      text = count > 3 ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
    }
    return { cells: [e.metadata?.name ?? '', text, ageSince(timestamp(e.metadata?.creationTimestamp), now)] };
  },
  toJson: endpointsJson,
});

export function endpointSliceJson(s: EndpointSliceRecord): Json {
  const ns = s.meta.namespace;
  return {
    metadata: metadataJson(s.meta),
    addressType: 'IPv4',
    endpoints: s.members.map(member).map((m) => ({
      addresses: [m.ip],
      conditions: { ready: m.ready && !m.terminating, serving: m.ready, terminating: m.terminating },
      targetRef: targetRef(m, ns),
      ...(m.node ? { nodeName: m.node } : {}),
      ...(m.node && s.zones.get(m.node) ? { zone: s.zones.get(m.node) } : {}),
    })),
    ports: s.ports.map((p) => ({ name: p.name, port: p.targetPort, protocol: p.protocol })),
  };
}

/** listWithMoreString: at most three, then "+ N more...", `<unset>` when empty. */
function listWithMore(items: string[]): string {
  if (items.length > 3) return `${items.slice(0, 3).join(',')} + ${items.length - 3} more...`;
  return items.length ? items.join(',') : '<unset>';
}

export const endpointSliceKind = defineKind<EndpointSliceRecord>({
  resource: 'endpointslices',
  singular: 'endpointslice',
  kind: 'EndpointSlice',
  group: 'discovery.k8s.io',
  version: 'v1',
  namespaced: true,
  columns: [
    nameColumn(),
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn(),
  ],
  print: (s: AnyJson, now) => ({
    cells: [
      s.metadata?.name ?? '',
      s.addressType ?? '',
      listWithMore(((s.ports ?? []) as AnyJson[]).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*')))),
      listWithMore(((s.endpoints ?? []) as AnyJson[]).flatMap((e) => e.addresses ?? [])),
      ageSince(timestamp(s.metadata?.creationTimestamp), now),
    ],
  }),
  fields: { 'addressType': () => 'IPv4' },
  toJson: endpointSliceJson,
});

const SLICE_SIZE = 100;
const NAME_LABEL = 'app.kubernetes.io/name';

interface ServicePlan {
  namespace: string;
  name: string;
  selector: Labels;
  ports: ServicePort[];
  headless: boolean;
  created: number;
  labels?: Labels;
}

/** What the endpoints controllers keep per Service: its pods, by name. */
interface Tracked {
  plan: ServicePlan;
  /** The plan's selector as pairs (matched against every pod event). */
  selector: ReadonlyArray<readonly [string, string]>;
  members: Map<string, PodRecord>;
  /** The slices last written (names), to delete the ones no longer needed. */
  slices: string[];
  /** The member list last written, to skip writes that change nothing ('' before the first refresh). */
  written: string;
}

const signature = (pods: readonly PodRecord[]) => pods.map((p) => `${p.meta.name}|${p.podIP}|${p.stage === 'Running' && p.ready}|${p.meta.deletionTs !== undefined}`).join(',');

function matches(selector: ReadonlyArray<readonly [string, string]>, labels: Labels | undefined): boolean {
  for (const [k, v] of selector) if (labels?.[k] !== v) return false;
  return true;
}

/**
 * Creates the Services (part of the start-up baseline) and keeps their Endpoints and EndpointSlices in step with
 * the pods: pod events mark a Service dirty, `refresh()` rewrites the dirty ones (call it about once a second).
 */
export class ServiceEndpoints {
  private readonly tracked = new Map<string, Tracked>();
  /** namespace -> app name -> the Services selecting that application's pods. */
  private readonly byApp = new Map<string, Map<string, Tracked[]>>();
  private readonly dirty = new Set<Tracked>();
  private readonly unsubscribe: () => void;

  constructor(private readonly cluster: Cluster) {
    const plans = servicePlans(cluster);
    let ip = 10;
    for (const plan of plans) {
      const key = objectKey(plan.namespace, plan.name);
      const clusterIP = plan.headless ? 'None' : plan.name === 'kubernetes' ? '10.96.0.1' : `10.96.${(ip >> 8) & 255}.${ip++ & 255}`;
      const spec: Json = {
        ...(plan.name === 'kubernetes' ? {} : { selector: plan.selector }),
        ports: plan.ports.map((p) => ({ name: p.name, protocol: p.protocol, port: p.port, targetPort: p.targetPort })),
        clusterIP,
        clusterIPs: [clusterIP],
        type: 'ClusterIP',
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
      };
      cluster.services.store.load({ meta: { name: plan.name, namespace: plan.namespace, uid: randomUUID(), rv: 0, created: plan.created, labels: plan.labels }, body: { spec, status: { loadBalancer: {} } } } satisfies JsonRecord);
      const t: Tracked = { plan, selector: Object.entries(plan.selector), members: new Map(), slices: [], written: '' };
      this.tracked.set(key, t);
      const app = plan.selector[NAME_LABEL];
      if (app) {
        let apps = this.byApp.get(plan.namespace);
        if (!apps) this.byApp.set(plan.namespace, (apps = new Map()));
        apps.set(app, [...(apps.get(app) ?? []), t]);
      }
    }
    for (const n of cluster.nodes.store.values()) {
      const zone = n.meta.labels?.['topology.kubernetes.io/zone'];
      if (zone) this.zones.set(n.meta.name, zone);
    }
    for (const p of cluster.pods.store.values()) this.podChanged(p.meta.namespace, p, undefined);
    this.kubernetesEndpoints();
    for (const t of this.tracked.values()) this.write(t, [...t.members.values()]);
    this.dirty.clear();
    this.baseline = false;
    this.unsubscribe = cluster.pods.store.subscribe((e) => this.podChanged(e.obj.meta.namespace, e.type === 'DELETED' ? undefined : e.obj, e.prev ?? (e.type === 'DELETED' ? e.obj : undefined)));
  }

  /** Rewrites the Endpoints and slices of the Services whose pods changed. */
  refresh(): void {
    for (const t of this.dirty) {
      const pods = [...t.members.values()].sort((a, b) => (a.meta.name < b.meta.name ? -1 : a.meta.name > b.meta.name ? 1 : 0));
      const written = signature(pods.filter(servable));
      if (written !== t.written) this.write(t, pods);
      t.written = written;
    }
    this.dirty.clear();
  }

  stop(): void {
    this.unsubscribe();
  }

  private podChanged(namespace: string, next: PodRecord | undefined, previous: PodRecord | undefined): void {
    const pod = next ?? previous;
    const app = pod?.meta.labels?.[NAME_LABEL];
    if (!pod || !app) return;
    for (const t of this.byApp.get(namespace)?.get(app) ?? []) {
      const key = pod.meta.name;
      if (next && matches(t.selector, next.meta.labels)) t.members.set(key, next);
      else t.members.delete(key);
      this.dirty.add(t);
    }
  }

  private readonly zones = new Map<string, string>();
  /** Writes go into the start-up baseline (no watch events) until the constructor is done. */
  private baseline = true;

  /** Writes the Endpoints and slices of `t` from its pods; before the server listens, as part of the baseline. */
  private write(t: Tracked, sorted: readonly PodRecord[]): void {
    const baseline = this.baseline;
    const { plan } = t;
    const key = objectKey(plan.namespace, plan.name);
    if (!this.cluster.services.store.get(key)) {
      // The Service went (its namespace was deleted): so do its endpoints, and it is no longer followed.
      this.tracked.delete(key);
      const apps = this.byApp.get(plan.namespace);
      const app = plan.selector[NAME_LABEL];
      if (apps && app) apps.set(app, (apps.get(app) ?? []).filter((x) => x !== t));
      return;
    }
    const members = sorted.filter(servable);
    const meta = (name: string, labels: Labels) => ({ name, namespace: plan.namespace, uid: randomUUID(), rv: 0, created: plan.created, labels });
    const epLabels: Labels = { ...plan.labels, 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' };
    this.put(this.cluster.endpoints.store, key, baseline, (cur) => ({ meta: cur?.meta ?? meta(plan.name, epLabels), ports: plan.ports, members }));
    const chunks: PodRecord[][] = [];
    for (let i = 0; i < members.length; i += SLICE_SIZE) chunks.push(members.slice(i, i + SLICE_SIZE));
    if (!chunks.length) chunks.push([]);
    const names = chunks.map((_, i) => `${plan.name}-${fakeDigest(`${key}#${i}`).slice(0, 5)}`);
    const sliceLabels: Labels = { ...plan.labels, 'kubernetes.io/service-name': plan.name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' };
    chunks.forEach((chunk, i) => {
      this.put(this.cluster.endpointSlices.store, objectKey(plan.namespace, names[i]), baseline, (cur) => ({ meta: cur?.meta ?? meta(names[i], sliceLabels), service: plan.name, ports: plan.ports, members: chunk, zones: this.zones }));
    });
    for (const old of t.slices) if (!names.includes(old)) this.cluster.endpointSlices.store.remove(objectKey(plan.namespace, old));
    t.slices = names;
  }

  private put<T extends StoredObject>(store: Cluster['endpoints']['store'] | Cluster['endpointSlices']['store'], key: string, baseline: boolean, build: (current: T | undefined) => T): void {
    const s = store as unknown as { get(k: string): T | undefined; load(o: T): T; create(o: T): T; update(k: string, f: (c: T) => T): T | undefined };
    const current = s.get(key);
    if (baseline) s.load(build(current));
    else if (current) s.update(key, (c) => build(c));
    else s.create(build(undefined));
  }

  /** The API server's own Service: its endpoints are the control-plane nodes on 6443. */
  private kubernetesEndpoints(): void {
    const t = this.tracked.get('default/kubernetes');
    if (!t) return;
    const planes = [...this.cluster.nodes.store.values()].filter((n) => n.meta.labels?.['node-role.kubernetes.io/control-plane'] !== undefined);
    const members: Member[] = planes.map((n) => ({ kind: 'Node', name: n.meta.name, uid: n.meta.uid, ip: n.internalIP, ready: true, terminating: false }));
    this.cluster.endpoints.store.load({ meta: { name: 'kubernetes', namespace: 'default', uid: randomUUID(), rv: 0, created: t.plan.created, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, ports: t.plan.ports, members });
    this.tracked.delete('default/kubernetes');
  }
}

/** One Service per application (a StatefulSet also gets its headless `<name>-headless`), the API server's, and one that selects nothing. */
function servicePlans(cluster: Cluster): ServicePlan[] {
  const plans: ServicePlan[] = [];
  const portsOf = (containers: readonly { ports?: readonly { name?: string; containerPort: number; protocol: 'TCP' | 'UDP' }[] }[]): ServicePort[] => {
    const p = containers[0]?.ports?.[0];
    if (!p) return [];
    return [{ name: p.name ?? 'tcp', port: p.name === 'http' ? 80 : p.containerPort, targetPort: p.containerPort, protocol: p.protocol }];
  };
  const kubeNs = cluster.namespaces.store.get('default');
  plans.push({ namespace: 'default', name: 'kubernetes', selector: {}, ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }], headless: false, created: kubeNs?.meta.created ?? Date.now(), labels: { component: 'apiserver', provider: 'kubernetes' } });
  for (const d of cluster.deployments.store.values()) {
    plans.push({ namespace: d.meta.namespace, name: d.meta.name, selector: d.selector, ports: portsOf(d.template.containers), headless: false, created: d.meta.created, labels: { [NAME_LABEL]: d.meta.name, 'app.kubernetes.io/managed-by': 'Helm' } });
  }
  for (const s of cluster.statefulSets.store.values()) {
    const common = { namespace: s.meta.namespace, selector: s.selector, ports: portsOf(s.template.containers), created: s.meta.created, labels: { [NAME_LABEL]: s.meta.name, 'app.kubernetes.io/managed-by': 'Helm' } };
    plans.push({ ...common, name: s.meta.name, headless: false }, { ...common, name: s.serviceName, headless: true });
  }
  const search = cluster.namespaces.store.get('search');
  if (search) {
    // Left behind by a renamed application: it selects no pod, so it has no endpoints.
    plans.push({ namespace: 'search', name: 'legacy-search', selector: { [NAME_LABEL]: 'legacy-search' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], headless: false, created: search.meta.created + 86_400_000, labels: { [NAME_LABEL]: 'legacy-search' } });
  }
  return plans;
}
