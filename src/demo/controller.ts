// The simulated control plane: ReplicaSet/StatefulSet/Deployment controllers, a scheduler, a kubelet that moves pods
// through Pending -> ContainerCreating -> Running (and crash loops), graceful deletion, namespace deletion, events.
// Work is incremental: a change marks its owner dirty and only dirty owners are reconciled on the next tick.
import { randomUUID } from 'node:crypto';
import type { Cluster } from './cluster.js';
import type {
  ContainerSpec,
  DeploymentRecord,
  EventRecord,
  HpaRecord,
  NamespaceRecord,
  NodeRecord,
  PodRecord,
  PodStage,
  PodTemplate,
  ReplicaSetRecord,
  StatefulSetRecord,
  VolumeSpec,
  WorkloadStatus,
} from './records.js';
import { Rng } from './rng.js';
import type { AppPlan, NodeLocalPlan, ScenarioPlan } from './scenario.js';
import { objectKey, type Labels, type ObjectMeta, type OwnerRef } from './store.js';
import { TimerQueue } from './timerQueue.js';
import { addRevision, fnv32, revised, reviseTemplate, templateHash } from './controllerRevisions.js';

export interface ControllerOptions {
  churn: boolean;
  seed: number;
  /** Upper bound on stored Event objects; the oldest are deleted first. */
  maxEvents: number;
  now?: () => number;
}

type OwnerKind = 'rs' | 'sts';

interface OwnerInfo {
  kind: OwnerKind;
  key: string;
}

/** Pod problems a workload keeps reproducing (the first `count` active pods). */
interface Quirk {
  crashLoops: number;
  stuck?: 'Pending' | 'ImagePullBackOff' | 'ContainerCreating';
}

const DAY = 86_400_000;

function sameStatus(a: WorkloadStatus, b: WorkloadStatus): boolean {
  return a.replicas === b.replicas && a.ready === b.ready && a.available === b.available && a.updated === b.updated && a.observedGeneration === b.observedGeneration;
}

function isActive(p: PodRecord): boolean {
  return p.meta.deletionTs === undefined && p.stage !== 'Succeeded' && p.stage !== 'Failed';
}

/** A stable 10-character name suffix (for objects added without drawing from the scenario's generator). */
function derivedSuffix(seed: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let h = 2166136261;
  let out = '';
  for (let i = 0; i < 10; i++) {
    for (const ch of `${seed}#${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += alphabet[h % alphabet.length];
  }
  return out;
}

/** The version a workload ran `back` rollouts ago: 1.7.3 -> 1.7.2 -> 1.7.1 (1.7.0 -> 1.6.9). */
export function olderVersion(version: string, back: number): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) return `${version}-prev${back}`;
  let [minor, patch] = [Number(m[2]), Number(m[3]) - back];
  while (patch < 0 && minor > 0) {
    minor--;
    patch += 10;
  }
  return `${m[1]}.${minor}.${Math.max(0, patch)}`;
}

/** The template of an earlier revision: its application container ran the older version's image. */
function olderTemplate(t: PodTemplate, back: number): PodTemplate {
  const [main, ...rest] = t.containers;
  const at = main.image.lastIndexOf(':');
  if (at < 0 || main.image.includes('@')) return { ...t, containers: [{ ...main, image: `${main.image}:prev${back}` }, ...rest] };
  return { ...t, containers: [{ ...main, image: `${main.image.slice(0, at)}:${olderVersion(main.image.slice(at + 1), back)}` }, ...rest] };
}

function isReady(p: PodRecord): boolean {
  return p.stage === 'Running' && p.ready;
}

/** The demo's staged incident (Controller.stageIncident): which application, and when what happened. */
export interface DemoIncident {
  namespace: string;
  name: string;
  pod?: string;
  rolledOut: number;
  oomAt: number;
  hpaAt: number;
  kubectlAt: number;
}

export class Controller {
  private readonly rng: Rng;
  private readonly now: () => number;
  private readonly timers = new TimerQueue();
  private readonly podsByOwner = new Map<string, Set<string>>();
  private readonly owners = new Map<string, OwnerInfo>();
  private readonly rsOfDeployment = new Map<string, string>();
  private readonly quirks = new Map<string, Quirk>();
  private readonly dirty = new Set<string>();
  private readonly dirtyDeployments = new Set<string>();
  private workerNodes: string[] = [];
  /** The nodes degradeNodes() took out of service, for their events. */
  private degraded: { lost?: string; since: number; cordoned?: string } = { since: 0 };
  /** The application of the demo's recent incident (see stageIncident), once bootstrapped. */
  incident: DemoIncident | undefined;
  private nodeCursor = 0;
  private readonly nodeIps = new Map<string, { prefix: string; next: number; hostIP: string }>();
  private readonly eventOrder: string[] = [];
  private eventHead = 0;
  private readonly eventByDedupe = new Map<string, string>();
  private eventSeq = 0;
  private interval: NodeJS.Timeout | undefined;
  private lastChurn = 0;
  private lastHpa = 0;
  private lastEvict = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly options: ControllerOptions,
  ) {
    this.rng = new Rng(options.seed ^ 0x5bd1e995);
    this.now = options.now ?? Date.now;
  }

  // ---------------------------------------------------------------- bootstrap

  /** Loads the scenario as the start-up baseline (no watch events), all statuses consistent. */
  bootstrap(plan: ScenarioPlan): void {
    const rng = new Rng(plan.totalPods * 7919 + this.options.seed);
    const now = this.now();
    const c = this.cluster;

    const infraNamespaces: [string, number][] = [['default', 900], ['kube-system', 900], ['kube-public', 900], ['kube-node-lease', 900]];
    for (const [name, age] of infraNamespaces) {
      c.namespaces.store.load({ meta: { name, namespace: '', uid: rng.uuid(), rv: 0, created: now - age * DAY, labels: { 'kubernetes.io/metadata.name': name } }, phase: 'Active' } satisfies NamespaceRecord);
    }
    for (const s of plan.systems) {
      c.namespaces.store.load({
        meta: {
          name: s.namespace,
          namespace: '',
          uid: rng.uuid(),
          rv: 0,
          created: now - s.ageDays * DAY,
          labels: { 'kubernetes.io/metadata.name': s.namespace, 'app.kubernetes.io/part-of': 'online-shop', 'shop.example/team': s.team, 'shop.example/tier': s.tier },
          annotations: { 'warroom.io/display-name': s.displayName },
        },
        phase: 'Active',
      } satisfies NamespaceRecord);
    }

    for (const n of plan.nodes) {
      const labels: Record<string, string> = {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': n.name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': n.instanceType,
        'topology.kubernetes.io/region': plan.region,
        'topology.kubernetes.io/zone': n.zone,
      };
      if (n.role === 'control-plane') labels['node-role.kubernetes.io/control-plane'] = '';
      else labels['node-role.kubernetes.io/worker'] = '';
      c.nodes.store.load({
        meta: { name: n.name, namespace: '', uid: rng.uuid(), rv: 0, created: now - n.ageDays * DAY, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
        internalIP: n.internalIP,
        ready: true,
        unschedulable: false,
        ...(n.role === 'control-plane' ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const }] } : {}),
        capacity: { cpu: n.cpu, memory: n.memory, pods: '110' },
        kubeletVersion: 'v1.34.1',
        osImage: 'Ubuntu 24.04.1 LTS',
        kernelVersion: '6.8.0-1017-aws',
        containerRuntimeVersion: 'containerd://2.0.2',
        podCIDR: n.podCIDR,
      } satisfies NodeRecord);
      const [a, b, cc] = n.podCIDR.split('.');
      this.nodeIps.set(n.name, { prefix: `${a}.${b}.${cc}.`, next: 2, hostIP: n.internalIP });
      if (n.role === 'worker') this.workerNodes.push(n.name);
    }

    for (const app of plan.apps) {
      if (app.workload === 'Deployment') this.bootstrapDeployment(app, rng, now);
      else this.bootstrapStatefulSet(app, rng, now);
    }
    for (const job of plan.jobPods) {
      const uid = rng.uuid();
      const name = `${job.jobName}-${rng.suffix(5)}`;
      const node = this.nextNode();
      const finished = now - job.hoursAgo * 3_600_000;
      const started = finished - rng.int(20, 300) * 1000;
      this.loadPod({
        meta: {
          name,
          generateName: `${job.jobName}-`,
          namespace: job.namespace,
          uid: rng.uuid(),
          rv: 0,
          created: started - 4000,
          labels: { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': job.jobName, 'controller-uid': uid, 'job-name': job.jobName },
          owners: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.jobName, uid, controller: true, blockOwnerDeletion: true }],
        },
        template: job.template,
        stage: job.outcome,
        ...this.placement(node),
        scheduledAt: started - 3000,
        runningSince: started,
        ready: false,
        restarts: 0,
        finishedAt: finished,
      });
    }
    this.bootstrapNodeLocal(plan.nodeLocal, now);
    this.degradeNodes(now);
    this.bootstrapEvents(rng, now);
    c.sealBaseline();
  }

  /**
   * The node trouble an on-call engineer meets: the last worker stopped posting status three minutes ago
   * (NotReady, tainted unreachable; its pods are not evicted yet) and, with six workers or more, the one before
   * it is cordoned for maintenance. Neither takes new pods.
   */
  private degradeNodes(now: number): void {
    const store = this.cluster.nodes.store;
    const change = (name: string | undefined, f: (n: NodeRecord) => NodeRecord) => {
      const n = name ? store.get(name) : undefined;
      if (n) store.load(f(n));
    };
    const lost = this.workerNodes[this.workerNodes.length - 1];
    const since = now - 3 * 60_000;
    change(lost, (n) => ({ ...n, ready: false, notReadySince: since, taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: since + 40_000 }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: since + 40_000 }] }));
    const cordoned = this.workerNodes.length >= 6 ? this.workerNodes[this.workerNodes.length - 2] : undefined;
    change(cordoned, (n) => ({ ...n, unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: now - 45 * 60_000 }] }));
    this.workerNodes = this.workerNodes.filter((w) => w !== lost && w !== cordoned);
    this.degraded = { lost, since, cordoned };
  }

  /** The pods a drain of the first worker must be told about (scenario.ts, NodeLocalPlan), from a generator of their own. */
  private bootstrapNodeLocal(plan: NodeLocalPlan, now: number): void {
    const rng = new Rng(this.options.seed ^ 0x7a11d2a1);
    this.bootstrapDeployment(plan.app, rng, now, plan.node);
    const { bare } = plan;
    const created = now - bare.hoursAgo * 3_600_000;
    this.loadPod({
      // Named per cluster (as each one's pods are): the fleet tells its clusters' pods apart by name.
      meta: { name: `${bare.name}-${rng.suffix(5)}`, namespace: bare.namespace, uid: rng.uuid(), rv: 0, created, labels: bare.labels },
      template: bare.template,
      stage: 'Running',
      ...this.placement(plan.node),
      scheduledAt: created + 1000,
      runningSince: created + 3000,
      ready: true,
      readySince: created + 4000,
      restarts: 0,
    });
  }

  private bootstrapDeployment(app: AppPlan, rng: Rng, now: number, node?: string): void {
    const c = this.cluster;
    const created = now - app.ageDays * DAY;
    const rolledOut = now - app.rolloutDays * DAY - rng.int(0, 20) * 3_600_000;
    const revision = rng.int(2, 14);
    const selector: Labels = { 'app.kubernetes.io/name': app.name, 'app.kubernetes.io/instance': app.name };
    const podLabels: Labels = { ...selector, 'app.kubernetes.io/part-of': app.namespace, 'app.kubernetes.io/component': app.component, 'app.kubernetes.io/version': app.version };
    const hash = rng.suffix(10);
    const deployUid = rng.uuid();
    const deployment: DeploymentRecord = {
      meta: {
        name: app.name,
        namespace: app.namespace,
        uid: deployUid,
        rv: 0,
        created,
        generation: revision,
        labels: { ...podLabels, 'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': `${app.name}-${app.version}` },
        annotations: { 'deployment.kubernetes.io/revision': String(revision), 'meta.helm.sh/release-name': app.name, 'meta.helm.sh/release-namespace': app.namespace },
      },
      replicas: app.replicas,
      selector,
      podLabels,
      template: app.template,
      templateHash: hash,
      revision,
      status: { replicas: 0, ready: 0, available: 0, updated: 0, observedGeneration: revision },
    };
    const deploymentOwner: OwnerRef[] = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app.name, uid: deployUid, controller: true, blockOwnerDeletion: true }];
    // Older, scaled-down ReplicaSets from the previous rollouts (up to two), as a real Deployment
    // keeps them: each with the image it ran then, so history, diff and rollback have something to show.
    const oldHashes = revision > 1 ? [rng.suffix(10)] : [];
    if (revision > 2) oldHashes.push(derivedSuffix(`${app.namespace}/${app.name}/${revision - 2}`));
    let daysBack = 0;
    oldHashes.forEach((oldHash, i) => {
      const back = i + 1;
      // The first one draws from the scenario's generator in the order it always has (the rest of the demo depends on it).
      const uid = i === 0 ? rng.uuid() : randomUUID();
      daysBack += i === 0 ? rng.int(5, 60) : 9 + (revision % 7);
      const at = Math.max(created, rolledOut - daysBack * DAY);
      c.replicaSets.store.load({
        meta: {
          name: `${app.name}-${oldHash}`,
          namespace: app.namespace,
          uid,
          rv: 0,
          created: at,
          generation: 2,
          labels: { ...podLabels, 'pod-template-hash': oldHash },
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(app.replicas),
            'deployment.kubernetes.io/max-replicas': String(app.replicas + Math.ceil(app.replicas / 4)),
            'deployment.kubernetes.io/revision': String(revision - back),
            'kubernetes.io/change-cause': `helm upgrade ${app.name} --version ${olderVersion(app.version, back)}`,
          },
          owners: deploymentOwner,
        },
        replicas: 0,
        selector: { ...selector, 'pod-template-hash': oldHash },
        podLabels: { ...podLabels, 'pod-template-hash': oldHash },
        template: olderTemplate(app.template, back),
        templateHash: oldHash,
        podOwners: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app.name}-${oldHash}`, uid, controller: true, blockOwnerDeletion: true }],
        status: { replicas: 0, ready: 0, available: 0, updated: 0, observedGeneration: 2 },
      } satisfies ReplicaSetRecord);
    });
    const rsName = `${app.name}-${hash}`;
    const rsUid = rng.uuid();
    const rsPodLabels: Labels = { ...podLabels, 'pod-template-hash': hash };
    const rs: ReplicaSetRecord = {
      meta: {
        name: rsName,
        namespace: app.namespace,
        uid: rsUid,
        rv: 0,
        created: Math.max(created, rolledOut),
        generation: 1,
        labels: rsPodLabels,
        annotations: { 'deployment.kubernetes.io/desired-replicas': String(app.replicas), 'deployment.kubernetes.io/max-replicas': String(app.replicas + Math.ceil(app.replicas / 4)), 'deployment.kubernetes.io/revision': String(revision) },
        owners: deploymentOwner,
      },
      replicas: app.replicas,
      selector: { ...selector, 'pod-template-hash': hash },
      podLabels: rsPodLabels,
      template: app.template,
      templateHash: hash,
      podOwners: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rsUid, controller: true, blockOwnerDeletion: true }],
      status: { replicas: 0, ready: 0, available: 0, updated: 0, observedGeneration: 1 },
    };
    const rsKey = objectKey(app.namespace, rsName);
    const deployKey = objectKey(app.namespace, app.name);
    this.owners.set(rsUid, { kind: 'rs', key: rsKey });
    this.rsOfDeployment.set(deployKey, rsKey);
    this.quirks.set(rsUid, { crashLoops: app.crashLoopPods, stuck: app.stuckPods });

    let ready = 0;
    const generateName = `${rsName}-`;
    for (let i = 0; i < app.replicas; i++) {
      const special: PodStage | 'crash' | undefined = i === 0 && app.stuckPods ? app.stuckPods : i < app.crashLoopPods + (app.stuckPods ? 1 : 0) ? 'crash' : undefined;
      let name: string;
      do name = `${rsName}-${rng.suffix(5)}`;
      while (c.pods.store.has(objectKey(app.namespace, name)));
      const pod = this.bootstrapPod(rng, now, {
        name,
        generateName,
        namespace: app.namespace,
        labels: rsPodLabels,
        owners: rs.podOwners,
        template: app.template,
        since: rs.meta.created,
        special,
        node,
      });
      if (isReady(pod)) ready++;
    }
    const status: WorkloadStatus = { replicas: app.replicas, ready, available: ready, updated: app.replicas, observedGeneration: 1 };
    c.replicaSets.store.load({ ...rs, status });
    c.deployments.store.load({ ...deployment, status: { ...status, observedGeneration: revision } });

    if (app.hpa) {
      c.hpas.store.load({
        meta: { name: app.name, namespace: app.namespace, uid: rng.uuid(), rv: 0, created: created + DAY, labels: { 'app.kubernetes.io/name': app.name, 'app.kubernetes.io/managed-by': 'Helm' } },
        target: { apiVersion: 'apps/v1', kind: 'Deployment', name: app.name },
        minReplicas: app.hpa.min,
        maxReplicas: app.hpa.max,
        cpuTargetPercent: app.hpa.cpuTarget,
        currentCpuPercent: Math.round(app.hpa.cpuTarget * (0.6 + rng.next() * 0.5)),
        currentReplicas: app.replicas,
        desiredReplicas: app.replicas,
      } satisfies HpaRecord);
    }
  }

  private bootstrapStatefulSet(app: AppPlan, rng: Rng, now: number): void {
    const c = this.cluster;
    const created = now - app.ageDays * DAY;
    const selector: Labels = { 'app.kubernetes.io/name': app.name, 'app.kubernetes.io/instance': app.name };
    const podLabels: Labels = { ...selector, 'app.kubernetes.io/part-of': app.namespace, 'app.kubernetes.io/component': app.component };
    const uid = rng.uuid();
    const revisionHash = rng.suffix(10);
    const owners: OwnerRef[] = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: app.name, uid, controller: true, blockOwnerDeletion: true }];
    const sts: StatefulSetRecord = {
      meta: { name: app.name, namespace: app.namespace, uid, rv: 0, created, generation: 1, labels: { ...podLabels, 'app.kubernetes.io/managed-by': 'Helm' }, annotations: { 'meta.helm.sh/release-name': app.name, 'meta.helm.sh/release-namespace': app.namespace } },
      replicas: app.replicas,
      selector,
      podLabels,
      template: app.template,
      serviceName: `${app.name}-headless`,
      revisionHash,
      podOwners: owners,
      status: { replicas: 0, ready: 0, available: 0, updated: 0, observedGeneration: 1 },
    };
    this.owners.set(uid, { kind: 'sts', key: objectKey(app.namespace, app.name) });
    this.quirks.set(uid, { crashLoops: 0 });
    // Its history: 1 to 3 templates (the older ones ran older images), the newest rolled out
    // rolloutDays ago; derived from the name so the scenario's generator is not drawn from.
    const revisions = 1 + (fnv32(`${app.namespace}/${app.name}`) % 3);
    const rolledOut = revisions > 1 ? Math.max(created, now - app.rolloutDays * DAY - 3 * 3_600_000) : created;
    for (let r = 1; r <= revisions; r++) {
      const back = revisions - r;
      const template = back === 0 ? app.template : olderTemplate(app.template, back);
      const at = r === 1 ? created : created + ((rolledOut - created) * (r - 1)) / (revisions - 1);
      addRevision(c, sts, back === 0 ? revisionHash : templateHash(podLabels, template), template, r, Math.round(at), true);
    }
    let ready = 0;
    for (let i = 0; i < app.replicas; i++) {
      const pod = this.bootstrapPod(rng, now, {
        name: `${app.name}-${i}`,
        namespace: app.namespace,
        labels: this.stsPodLabels(sts, i),
        owners,
        template: app.template,
        since: rolledOut,
        special: undefined,
      });
      if (isReady(pod)) ready++;
    }
    c.statefulSets.store.load({ ...sts, status: { replicas: app.replicas, ready, available: ready, updated: app.replicas, observedGeneration: 1 } });
  }

  private stsPodLabels(sts: StatefulSetRecord, ordinal: number): Labels {
    const name = `${sts.meta.name}-${ordinal}`;
    return { ...sts.podLabels, 'apps.kubernetes.io/pod-index': String(ordinal), 'controller-revision-hash': `${sts.meta.name}-${sts.revisionHash}`, 'statefulset.kubernetes.io/pod-name': name };
  }

  private bootstrapPod(
    rng: Rng,
    now: number,
    p: { name: string; generateName?: string; namespace: string; labels: Labels; owners: readonly OwnerRef[]; template: PodTemplate; since: number; special: PodStage | 'crash' | undefined; node?: string },
  ): PodRecord {
    // Most pods are as old as their ReplicaSet; some were replaced recently.
    const span = Math.max(60_000, now - p.since);
    const created = rng.chance(0.85) ? p.since + rng.int(0, Math.min(span, 600_000)) : now - rng.int(60_000, Math.min(span, 6 * 3_600_000));
    const meta: ObjectMeta = { name: p.name, generateName: p.generateName, namespace: p.namespace, uid: rng.uuid(), rv: 0, created, labels: p.labels, owners: p.owners };
    if (p.special === 'Pending') {
      return this.loadPod({ meta: { ...meta, created: now - rng.int(120, 3600) * 1000 }, template: p.template, stage: 'Pending', ready: false, restarts: 0, message: this.unschedulableMessage() });
    }
    const node = p.node ?? this.nextNode();
    const base = { meta, template: p.template, ...this.placement(node), scheduledAt: created + 1000 };
    if (p.special === 'ImagePullBackOff' || p.special === 'ContainerCreating') {
      const recent = now - rng.int(60, 1800) * 1000;
      return this.loadPod({ ...base, meta: { ...meta, created: recent }, scheduledAt: recent + 1000, podIP: p.special === 'ContainerCreating' ? undefined : base.podIP, stage: p.special, ready: false, restarts: 0 });
    }
    if (p.special === 'crash') {
      const lastTerminatedAt = now - rng.int(15, 240) * 1000;
      return this.loadPod({
        ...base,
        stage: 'CrashLoopBackOff',
        ready: false,
        restarts: rng.int(5, 60),
        crashLoops: true,
        runningSince: created + 3000,
        lastStartedAt: lastTerminatedAt - rng.int(2, 9) * 1000,
        lastTerminatedAt,
      });
    }
    const restarted = rng.chance(0.03);
    const lastTerminatedAt = restarted ? created + rng.int(1, Math.max(2, Math.floor((now - created) / 1000) - 1)) * 1000 : undefined;
    return this.loadPod({
      ...base,
      stage: 'Running',
      ready: true,
      runningSince: lastTerminatedAt ? lastTerminatedAt + 1000 : created + 3000,
      readySince: lastTerminatedAt ? lastTerminatedAt + 5000 : created + 6000,
      restarts: restarted ? rng.int(1, 3) : 0,
      lastTerminatedAt,
      lastStartedAt: lastTerminatedAt ? created + 3000 : undefined,
    });
  }

  private loadPod(p: PodRecord): PodRecord {
    const stored = this.cluster.pods.store.load(p);
    this.indexPod(stored);
    return stored;
  }

  private bootstrapEvents(rng: Rng, now: number): void {
    const c = this.cluster;
    const load = (e: Omit<EventRecord, 'meta'> & { ns: string }) => {
      const name = `${e.involved.name}.${(BigInt(e.first) * 1_000_000n + BigInt(this.eventSeq++)).toString(16)}`;
      const rec = c.events.store.load({ ...e, meta: { name, namespace: e.ns, uid: rng.uuid(), rv: 0, created: e.first } });
      this.rememberEvent(rec, `${e.involved.uid}|${e.reason}|${e.message}`);
    };
    const incident = this.incidentCandidate();
    for (const d of c.deployments.store.values()) {
      const rsKey = this.rsOfDeployment.get(objectKey(d.meta.namespace, d.meta.name));
      const rs = rsKey ? c.replicaSets.store.get(rsKey) : undefined;
      if (!rs || d === incident) continue;
      const at = now - rng.int(5, 55) * 60_000;
      load({ ns: d.meta.namespace, involved: { kind: 'Deployment', namespace: d.meta.namespace, name: d.meta.name, uid: d.meta.uid, apiVersion: 'apps/v1' }, reason: 'ScalingReplicaSet', message: `Scaled up replica set ${rs.meta.name} from ${Math.max(0, d.replicas - 1)} to ${d.replicas}`, type: 'Normal', component: 'deployment-controller', first: at, last: at, count: 1 });
    }
    this.nodeEvents(load);
    let sampled = 0;
    for (const p of c.pods.store.values()) {
      const involved = { kind: 'Pod', namespace: p.meta.namespace, name: p.meta.name, uid: p.meta.uid, apiVersion: 'v1' };
      const main = p.template.containers[0];
      if (p.stage === 'CrashLoopBackOff') {
        load({ ns: p.meta.namespace, involved: { ...involved, fieldPath: `spec.containers{${main.name}}` }, reason: 'BackOff', message: `Back-off restarting failed container ${main.name} in pod ${p.meta.name}_${p.meta.namespace}(${p.meta.uid})`, type: 'Warning', component: 'kubelet', host: p.nodeName, first: now - 50 * 60_000, last: p.lastTerminatedAt ?? now, count: p.restarts * 3 });
      } else if (p.stage === 'Pending') {
        load({ ns: p.meta.namespace, involved, reason: 'FailedScheduling', message: p.message ?? '', type: 'Warning', component: 'default-scheduler', first: p.meta.created, last: now - 30_000, count: 12 });
      } else if (p.stage === 'ImagePullBackOff') {
        load({ ns: p.meta.namespace, involved: { ...involved, fieldPath: `spec.containers{${main.name}}` }, reason: 'Failed', message: `Failed to pull image "${main.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${main.image}": not found`, type: 'Warning', component: 'kubelet', host: p.nodeName, first: p.meta.created + 3000, last: now - 20_000, count: 9 });
        load({ ns: p.meta.namespace, involved: { ...involved, fieldPath: `spec.containers{${main.name}}` }, reason: 'BackOff', message: `Back-off pulling image "${main.image}"`, type: 'Normal', component: 'kubelet', host: p.nodeName, first: p.meta.created + 5000, last: now - 10_000, count: 40 });
      } else if (p.stage === 'Running' && now - p.meta.created < 3_600_000 && sampled < 100) {
        sampled++;
        const t = p.meta.created;
        load({ ns: p.meta.namespace, involved, reason: 'Scheduled', message: `Successfully assigned ${p.meta.namespace}/${p.meta.name} to ${p.nodeName}`, type: 'Normal', component: 'default-scheduler', first: t, last: t, count: 1 });
        load({ ns: p.meta.namespace, involved: { ...involved, fieldPath: `spec.containers{${main.name}}` }, reason: 'Started', message: `Started container ${main.name}`, type: 'Normal', component: 'kubelet', host: p.nodeName, first: t + 3000, last: t + 3000, count: 1 });
      }
    }
    this.incident = incident && this.stageIncident(incident, now, load);
  }

  /** The first Deployment with an HPA, three replicas or more and every pod running well: the incident's. */
  private incidentCandidate(): DeploymentRecord | undefined {
    const c = this.cluster;
    const hpaApps = new Set([...c.hpas.store.values()].map((h) => objectKey(h.meta.namespace, h.target.name)));
    return [...c.deployments.store.values()].find((d) => {
      const key = objectKey(d.meta.namespace, d.meta.name);
      const rs = c.replicaSets.store.get(this.rsOfDeployment.get(key) ?? '');
      return hpaApps.has(key) && d.replicas >= 3 && rs !== undefined && [...this.ownedPods(rs.meta.uid)].every((p) => p.stage === 'Running' && !p.crashLoops);
    });
  }

  /**
   * A recent incident on one application with an HPA, so its timeline (`T`) has every kind of
   * entry: a rollout 45 minutes ago (a new ReplicaSet with a newer image), an OOM kill of one of
   * its pods 38 minutes ago with failing readiness probes after it, the HPA scaling it up 32
   * minutes ago (kube-controller-manager through the scale subresource, and its SuccessfulRescale
   * event) and someone with kubectl scaling it up again 18 minutes ago. The demo's Prometheus
   * dates a replicas-mismatch alert over the OOM kill (fired and resolved; main.ts) and its log
   * store an error burst then. A simulated stand-in for what a real cluster's history holds.
   */
  private stageIncident(d: DeploymentRecord, now: number, load: (e: Omit<EventRecord, 'meta'> & { ns: string }) => void): DemoIncident | undefined {
    const c = this.cluster;
    const rsKey = this.rsOfDeployment.get(objectKey(d.meta.namespace, d.meta.name));
    const rs = rsKey ? c.replicaSets.store.get(rsKey) : undefined;
    if (!rs) return undefined;
    const min = 60_000;
    const rolledOut = now - 45 * min;
    c.replicaSets.store.load({ ...rs, meta: { ...rs.meta, created: rolledOut } });
    const involved = { kind: 'Deployment', namespace: d.meta.namespace, name: d.meta.name, uid: d.meta.uid, apiVersion: 'apps/v1' };
    const hpaAt = now - 32 * min;
    const kubectlAt = now - 18 * min;
    const r = d.replicas;
    c.deployments.store.load({
      ...d,
      meta: {
        ...d.meta,
        managers: [
          { manager: 'helm', operation: 'Update', time: rolledOut, field: 'template' },
          { manager: 'kube-controller-manager', operation: 'Update', time: hpaAt, subresource: 'scale', field: 'replicas' },
          { manager: 'kubectl', operation: 'Update', time: kubectlAt, subresource: 'scale', field: 'replicas' },
        ],
      },
    });
    const scaled = (at: number, from: number, to: number) => load({ ns: d.meta.namespace, involved, reason: 'ScalingReplicaSet', message: `Scaled up replica set ${rs.meta.name} from ${from} to ${to}`, type: 'Normal', component: 'deployment-controller', first: at, last: at, count: 1 });
    scaled(hpaAt, r - 2, r - 1);
    scaled(kubectlAt, r - 1, r);
    load({ ns: d.meta.namespace, involved: { kind: 'HorizontalPodAutoscaler', namespace: d.meta.namespace, name: d.meta.name, uid: randomUUID(), apiVersion: 'autoscaling/v2' }, reason: 'SuccessfulRescale', message: `New size: ${r - 1}; reason: cpu resource utilization (percentage of request) above target`, type: 'Normal', component: 'horizontal-pod-autoscaler', first: hpaAt, last: hpaAt, count: 1 });
    const victim = [...this.ownedPods(rs.meta.uid)][0];
    const oomAt = now - 38 * min;
    if (victim) {
      const p = this.cluster.pods.store.load({ ...victim, restarts: Math.max(1, victim.restarts), lastStartedAt: rolledOut + 20_000, lastTerminatedAt: oomAt, lastReason: 'OOMKilled', runningSince: oomAt + 1000, readySince: oomAt + 60_000 });
      const main = p.template.containers[0];
      load({ ns: p.meta.namespace, involved: { kind: 'Pod', namespace: p.meta.namespace, name: p.meta.name, uid: p.meta.uid, apiVersion: 'v1', fieldPath: `spec.containers{${main.name}}` }, reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', type: 'Warning', component: 'kubelet', host: p.nodeName, first: oomAt + 5000, last: oomAt + 55_000, count: 7 });
    }
    return { namespace: d.meta.namespace, name: d.meta.name, pod: victim?.meta.name, rolledOut, oomAt, hpaAt, kubectlAt };
  }

  private nodeEvents(load: (e: Omit<EventRecord, 'meta'> & { ns: string }) => void): void {
    const node = (name: string) => {
      const n = this.cluster.nodes.store.get(name)!;
      return { kind: 'Node', namespace: '', name, uid: n.meta.uid, apiVersion: 'v1' };
    };
    const { lost, since, cordoned } = this.degraded;
    if (lost) load({ ns: 'default', involved: node(lost), reason: 'NodeNotReady', message: `Node ${lost} status is now: NodeNotReady`, type: 'Normal', component: 'node-controller', first: since + 40_000, last: since + 40_000, count: 1 });
    if (cordoned) load({ ns: 'default', involved: node(cordoned), reason: 'NodeNotSchedulable', message: `Node ${cordoned} status is now: NodeNotSchedulable`, type: 'Normal', component: 'kubelet', host: cordoned, first: this.now() - 45 * 60_000, last: this.now() - 45 * 60_000, count: 1 });
  }

  /**
   * `kubectl cordon` / `uncordon`: spec.unschedulable and the node.kubernetes.io/unschedulable
   * taint the node lifecycle controller adds; the scheduler places no new pod on a cordoned node.
   */
  setUnschedulable(name: string, unschedulable: boolean): void {
    const store = this.cluster.nodes.store;
    const n = store.get(name);
    if (!n || n.unschedulable === unschedulable) return;
    const others = (n.taints ?? []).filter((t) => t.key !== 'node.kubernetes.io/unschedulable');
    store.update(name, (cur) => ({ ...cur, unschedulable, taints: unschedulable ? [...others, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const, timeAdded: this.now() }] : others }));
    const worker = n.meta.labels?.['node-role.kubernetes.io/worker'] !== undefined;
    if (unschedulable) this.workerNodes = this.workerNodes.filter((w) => w !== name);
    else if (worker && n.ready && !this.workerNodes.includes(name)) this.workerNodes.push(name);
  }

  private unschedulableMessage(): string {
    const total = this.cluster.nodes.store.size;
    const workers = this.workerNodes.length;
    return `0/${total} nodes are available: ${total - workers} node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, ${workers} Insufficient memory. preemption: 0/${total} nodes are available: ${total - workers} Preemption is not helpful for scheduling, ${workers} No preemption victims found for incoming pod.`;
  }

  private nextNode(): string {
    const node = this.workerNodes[this.nodeCursor % this.workerNodes.length];
    this.nodeCursor++;
    return node;
  }

  private placement(node: string): { nodeName: string; hostIP: string; podIP: string } {
    const ips = this.nodeIps.get(node)!;
    const ip = `${ips.prefix}${ips.next}`;
    ips.next = ips.next >= 254 ? 2 : ips.next + 1;
    return { nodeName: node, hostIP: ips.hostIP, podIP: ip };
  }

  private indexPod(p: PodRecord): void {
    const owner = p.meta.owners?.[0];
    if (!owner) return;
    let set = this.podsByOwner.get(owner.uid);
    if (!set) this.podsByOwner.set(owner.uid, (set = new Set()));
    set.add(objectKey(p.meta.namespace, p.meta.name));
  }

  private unindexPod(p: PodRecord): void {
    const owner = p.meta.owners?.[0];
    if (owner) this.podsByOwner.get(owner.uid)?.delete(objectKey(p.meta.namespace, p.meta.name));
  }

  private markOwnerDirty(p: PodRecord): void {
    const owner = p.meta.owners?.[0];
    if (owner && this.owners.has(owner.uid)) this.dirty.add(owner.uid);
  }

  // ---------------------------------------------------------------- run loop

  start(): void {
    this.lastChurn = this.now();
    this.lastHpa = this.now();
    if (this.options.churn) this.resumeCrashLoops();
    this.interval = setInterval(() => this.tick(), 100);
    this.interval.unref();
  }

  stop(): void {
    if (this.interval) clearInterval(this.interval);
  }

  /** One step: due transitions, reconcile dirty owners, churn, evict old watch history. */
  tick(): void {
    const now = this.now();
    this.timers.runDue(now);
    this.reconcileDirty();
    if (this.options.churn) {
      if (now - this.lastChurn > 2500) {
        this.lastChurn = now;
        this.churn();
      }
      if (now - this.lastHpa > 15_000) {
        this.lastHpa = now;
        this.updateHpas();
      }
    }
    if (now - this.lastEvict > 1000) {
      this.lastEvict = now;
      for (const s of this.cluster.all()) s.store.evict();
    }
  }

  private reconcileDirty(): void {
    for (let round = 0; round < 3 && this.dirty.size > 0; round++) {
      const batch = [...this.dirty];
      this.dirty.clear();
      for (const uid of batch) {
        const info = this.owners.get(uid);
        if (!info) continue;
        if (info.kind === 'rs') this.reconcileReplicaSet(uid, info.key);
        else this.reconcileStatefulSet(uid, info.key);
      }
    }
    for (const key of this.dirtyDeployments) this.rollUpDeployment(key);
    this.dirtyDeployments.clear();
  }

  private ownedPods(uid: string): PodRecord[] {
    const out: PodRecord[] = [];
    const store = this.cluster.pods.store;
    for (const key of this.podsByOwner.get(uid) ?? []) {
      const p = store.get(key);
      if (p) out.push(p);
    }
    return out;
  }

  private reconcileReplicaSet(uid: string, key: string): void {
    const store = this.cluster.replicaSets.store;
    const rs = store.get(key);
    if (!rs || rs.meta.uid !== uid) return;
    const pods = this.ownedPods(uid);
    let active = pods.filter(isActive);
    const diff = rs.replicas - active.length;
    if (diff > 0 && rs.meta.deletionTs === undefined) {
      for (let i = 0; i < diff; i++) this.createReplicaSetPod(rs, active);
      active = this.ownedPods(uid).filter(isActive);
    } else if (diff < 0) {
      // Like the ReplicaSet controller: delete unscheduled, then not ready, then the newest pods first.
      const rank = (p: PodRecord) => (p.nodeName ? 0 : 4) + (isReady(p) ? 0 : 2);
      const victims = active.slice().sort((a, b) => rank(b) - rank(a) || b.meta.created - a.meta.created).slice(0, -diff);
      for (const v of victims) this.deletePod(objectKey(v.meta.namespace, v.meta.name), undefined);
      active = this.ownedPods(uid).filter(isActive);
    }
    const ready = active.filter(isReady).length;
    const status: WorkloadStatus = { replicas: active.length, ready, available: ready, updated: active.length, observedGeneration: rs.meta.generation ?? 1 };
    if (!sameStatus(status, rs.status)) store.update(key, (cur) => ({ ...cur, status }));
    const deployment = rs.meta.owners?.[0];
    if (deployment) this.dirtyDeployments.add(objectKey(rs.meta.namespace, deployment.name));
  }

  private createReplicaSetPod(rs: ReplicaSetRecord, active: PodRecord[]): void {
    const quirk = this.quirks.get(rs.meta.uid);
    const crashing = active.filter((p) => p.crashLoops).length;
    const stuckNow = quirk?.stuck ? active.some((p) => p.stage === quirk.stuck) : true;
    let name: string;
    do name = `${rs.meta.name}-${this.rng.suffix(5)}`;
    while (this.cluster.pods.store.has(objectKey(rs.meta.namespace, name)));
    const pod = this.createPodRecord({
      name,
      generateName: `${rs.meta.name}-`,
      namespace: rs.meta.namespace,
      labels: rs.podLabels,
      owners: rs.podOwners,
      template: rs.template,
      crashLoops: quirk !== undefined && crashing < quirk.crashLoops,
      stuck: stuckNow ? undefined : quirk?.stuck,
    });
    active.push(pod);
    this.recordEvent({ kind: 'ReplicaSet', namespace: rs.meta.namespace, name: rs.meta.name, uid: rs.meta.uid, apiVersion: 'apps/v1' }, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`, 'replicaset-controller');
  }

  private reconcileStatefulSet(uid: string, key: string): void {
    const store = this.cluster.statefulSets.store;
    const sts = store.get(key);
    if (!sts || sts.meta.uid !== uid) return;
    const pods = this.cluster.pods.store;
    const involved = { kind: 'StatefulSet', namespace: sts.meta.namespace, name: sts.meta.name, uid: sts.meta.uid, apiVersion: 'apps/v1' };
    if (sts.meta.deletionTs === undefined) {
      for (let i = 0; i < sts.replicas; i++) {
        const name = `${sts.meta.name}-${i}`;
        // A StatefulSet recreates an ordinal only after the old pod is gone.
        if (pods.has(objectKey(sts.meta.namespace, name))) continue;
        this.createPodRecord({ name, namespace: sts.meta.namespace, labels: this.stsPodLabels(sts, i), owners: sts.podOwners, template: sts.template, crashLoops: false });
        this.recordEvent(involved, 'Normal', 'SuccessfulCreate', `create Pod ${name} in StatefulSet ${sts.meta.name} successful`, 'statefulset-controller');
      }
    }
    for (const p of this.ownedPods(uid)) {
      const ordinal = Number(p.meta.name.slice(sts.meta.name.length + 1));
      if (ordinal >= sts.replicas && isActive(p)) {
        this.deletePod(objectKey(p.meta.namespace, p.meta.name), undefined);
        this.recordEvent(involved, 'Normal', 'SuccessfulDelete', `delete Pod ${p.meta.name} in StatefulSet ${sts.meta.name} successful`, 'statefulset-controller');
      }
    }
    const owned = this.ownedPods(uid).filter((p) => p.stage !== 'Succeeded' && p.stage !== 'Failed');
    const ready = owned.filter((p) => isReady(p) && p.meta.deletionTs === undefined).length;
    const revisionOf = (hash: string) => owned.filter((p) => p.meta.labels?.['controller-revision-hash'] === `${sts.meta.name}-${hash}`).length;
    const updated = revisionOf(sts.revisionHash);
    const status: WorkloadStatus = { replicas: owned.length, ready, available: ready, updated, observedGeneration: sts.meta.generation ?? 1 };
    // A rolling update completes when every replica is updated and ready: the update revision becomes the current one.
    const current = sts.current && !(updated === sts.replicas && ready === sts.replicas && owned.length === sts.replicas) ? { hash: sts.current.hash, replicas: revisionOf(sts.current.hash) } : undefined;
    if (!sameStatus(status, sts.status) || current?.hash !== sts.current?.hash || current?.replicas !== sts.current?.replicas) store.update(key, (cur) => ({ ...cur, status, current }));
  }

  private rollUpDeployment(key: string): void {
    const store = this.cluster.deployments.store;
    const d = store.get(key);
    const rsKey = this.rsOfDeployment.get(key);
    const rs = rsKey ? this.cluster.replicaSets.store.get(rsKey) : undefined;
    if (!d || !rs) return;
    const status: WorkloadStatus = { ...rs.status, observedGeneration: d.meta.generation ?? 1 };
    if (!sameStatus(status, d.status)) store.update(key, (cur) => ({ ...cur, status }));
    const hpaKey = objectKey(d.meta.namespace, d.meta.name);
    const hpa = this.cluster.hpas.store.get(hpaKey);
    if (hpa && hpa.target.name === d.meta.name && (hpa.currentReplicas !== status.replicas || hpa.desiredReplicas !== d.replicas)) {
      this.cluster.hpas.store.update(hpaKey, (cur) => ({ ...cur, currentReplicas: status.replicas, desiredReplicas: d.replicas }));
    }
  }

  // ---------------------------------------------------------------- pods

  private createPodRecord(p: {
    name: string;
    generateName?: string;
    namespace: string;
    labels?: Labels;
    annotations?: Labels;
    owners?: readonly OwnerRef[];
    template: PodTemplate;
    crashLoops: boolean;
    stuck?: 'Pending' | 'ImagePullBackOff' | 'ContainerCreating';
    nodeName?: string;
  }): PodRecord {
    const now = this.now();
    const record: PodRecord = {
      meta: { name: p.name, generateName: p.generateName, namespace: p.namespace, uid: randomUUID(), rv: 0, created: now, labels: p.labels, annotations: p.annotations, owners: p.owners },
      template: p.template,
      stage: 'Pending',
      ready: false,
      restarts: 0,
      crashLoops: p.crashLoops || undefined,
    };
    const stored = this.cluster.pods.store.create(record);
    this.indexPod(stored);
    this.markOwnerDirty(stored);
    this.runKubelet(stored, p.stuck, p.nodeName);
    return stored;
  }

  /** Schedules the pod's way to Running (or to the stuck state it is meant to show). */
  private runKubelet(pod: PodRecord, stuck: 'Pending' | 'ImagePullBackOff' | 'ContainerCreating' | undefined, fixedNode?: string): void {
    const key = objectKey(pod.meta.namespace, pod.meta.name);
    const uid = pod.meta.uid;
    const involved = { kind: 'Pod', namespace: pod.meta.namespace, name: pod.meta.name, uid, apiVersion: 'v1' };
    const main = pod.template.containers[0];
    const at = (delayMs: number, fn: (p: PodRecord) => void) =>
      this.timers.add(this.now() + delayMs, () => {
        const p = this.cluster.pods.store.get(key);
        if (p && p.meta.uid === uid && p.meta.deletionTs === undefined) fn(p);
      });
    if (stuck === 'Pending' || (!fixedNode && this.workerNodes.length === 0)) {
      at(400, () => {
        const message = this.unschedulableMessage();
        this.updatePod(key, (p) => ({ ...p, message }));
        this.recordEvent(involved, 'Warning', 'FailedScheduling', message, 'default-scheduler');
      });
      return;
    }
    at(this.rng.int(200, 800), (p) => {
      const placement = this.placement(fixedNode ?? this.nextNode());
      this.updatePod(key, () => ({ ...p, ...placement, podIP: undefined, stage: 'ContainerCreating', scheduledAt: this.now() }));
      this.recordEvent(involved, 'Normal', 'Scheduled', `Successfully assigned ${p.meta.namespace}/${p.meta.name} to ${placement.nodeName}`, 'default-scheduler');
      const host = placement.nodeName;
      const podIP = placement.podIP;
      at(this.rng.int(1000, 2500), (q) => {
        if (stuck === 'ContainerCreating') return;
        if (stuck === 'ImagePullBackOff') {
          this.updatePod(key, () => ({ ...q, podIP, stage: 'ImagePullBackOff' }));
          this.recordEvent({ ...involved, fieldPath: `spec.containers{${main.name}}` }, 'Warning', 'Failed', `Failed to pull image "${main.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${main.image}": not found`, 'kubelet', host);
          return;
        }
        const started = this.now();
        this.updatePod(key, () => ({ ...q, podIP, stage: 'Running', runningSince: started, ready: false }));
        const ref = { ...involved, fieldPath: `spec.containers{${main.name}}` };
        this.recordEvent(ref, 'Normal', 'Pulled', `Container image "${main.image}" already present on machine`, 'kubelet', host);
        this.recordEvent(ref, 'Normal', 'Created', `Created container: ${main.name}`, 'kubelet', host);
        this.recordEvent(ref, 'Normal', 'Started', `Started container ${main.name}`, 'kubelet', host);
        at(this.rng.int(500, 1500), (r) => {
          this.updatePod(key, () => ({ ...r, ready: true, readySince: this.now() }));
          if (r.crashLoops) this.scheduleCrash(key, uid, 0);
        });
      });
    });
  }

  /** Start-up crash-loopers sit in back-off; with churn they restart after it and keep crashing. */
  private resumeCrashLoops(): void {
    for (const p of this.cluster.pods.store.values()) {
      if (!p.crashLoops || p.stage !== 'CrashLoopBackOff') continue;
      const key = objectKey(p.meta.namespace, p.meta.name);
      const uid = p.meta.uid;
      this.timers.add(this.now() + this.rng.int(2000, 20_000), () => {
        const cur = this.cluster.pods.store.get(key);
        if (!cur || cur.meta.uid !== uid || cur.meta.deletionTs !== undefined || cur.stage !== 'CrashLoopBackOff') return;
        this.updatePod(key, () => ({ ...cur, stage: 'Running', restarts: cur.restarts + 1, runningSince: this.now(), ready: true, readySince: this.now(), message: undefined }));
        this.scheduleCrash(key, uid, 3);
      });
    }
  }

  /** Crash loop: Running -> Error -> CrashLoopBackOff (back-off doubles) -> Running (restarts+1) -> ... */
  private scheduleCrash(key: string, uid: string, crashes: number): void {
    const at = (delayMs: number, fn: (p: PodRecord) => void) =>
      this.timers.add(this.now() + delayMs, () => {
        const p = this.cluster.pods.store.get(key);
        if (p && p.meta.uid === uid && p.meta.deletionTs === undefined) fn(p);
      });
    at(this.rng.int(3000, 8000), (p) => {
      const now = this.now();
      this.updatePod(key, () => ({ ...p, stage: 'Error', ready: false, lastStartedAt: p.runningSince, lastTerminatedAt: now }));
      const main = p.template.containers[0];
      const backoff = Math.min(60, 10 * 2 ** crashes);
      at(1000, (q) => {
        this.updatePod(key, () => ({ ...q, stage: 'CrashLoopBackOff', message: `back-off ${backoff}s restarting failed container=${main.name} pod=${q.meta.name}_${q.meta.namespace}(${q.meta.uid})` }));
        this.recordEvent({ kind: 'Pod', namespace: q.meta.namespace, name: q.meta.name, uid, apiVersion: 'v1', fieldPath: `spec.containers{${main.name}}` }, 'Warning', 'BackOff', `Back-off restarting failed container ${main.name} in pod ${q.meta.name}_${q.meta.namespace}(${uid})`, 'kubelet', q.nodeName);
        // Without churn a crash-looping pod stays in back-off, so a test sees a stable picture.
        if (!this.options.churn) return;
        at(backoff * 1000, (r) => {
          this.updatePod(key, () => ({ ...r, stage: 'Running', restarts: r.restarts + 1, runningSince: this.now(), ready: true, readySince: this.now(), message: undefined }));
          this.scheduleCrash(key, uid, crashes + 1);
        });
      });
    });
  }

  private updatePod(key: string, change: (p: PodRecord) => PodRecord): PodRecord | undefined {
    const updated = this.cluster.pods.store.update(key, change);
    if (updated) this.markOwnerDirty(updated);
    return updated;
  }

  private removePod(key: string): PodRecord | undefined {
    const gone = this.cluster.pods.store.remove(key);
    if (gone) {
      this.unindexPod(gone);
      this.markOwnerDirty(gone);
      this.maybeFinishNamespace(gone.meta.namespace);
    }
    return gone;
  }

  /**
   * Graceful deletion like the pod registry: an unscheduled or finished pod goes at once; otherwise the pod gets
   * deletionTimestamp (Status "Terminating") and the kubelet removes it a couple of seconds later.
   */
  deletePod(key: string, gracePeriodSeconds: number | undefined): PodRecord | undefined {
    const p = this.cluster.pods.store.get(key);
    if (!p) return undefined;
    const grace = gracePeriodSeconds ?? p.template.terminationGracePeriodSeconds;
    if (!p.nodeName || p.stage === 'Succeeded' || p.stage === 'Failed' || grace === 0) return this.removePod(key);
    if (p.meta.deletionTs !== undefined) {
      if (grace * 1000 < p.meta.deletionTs - this.now()) return this.removePod(key);
      return p;
    }
    const now = this.now();
    const updated = this.updatePod(key, (cur) => ({ ...cur, meta: { ...cur.meta, deletionTs: now + grace * 1000, deletionGrace: grace } }))!;
    const main = p.template.containers[0];
    this.recordEvent({ kind: 'Pod', namespace: p.meta.namespace, name: p.meta.name, uid: p.meta.uid, apiVersion: 'v1', fieldPath: `spec.containers{${main.name}}` }, 'Normal', 'Killing', `Stopping container ${main.name}`, 'kubelet', p.nodeName);
    const uid = p.meta.uid;
    this.timers.add(now + Math.min(grace * 1000, this.rng.int(1500, 2500)), () => {
      const cur = this.cluster.pods.store.get(key);
      if (cur && cur.meta.uid === uid) this.removePod(key);
    });
    return updated;
  }

  /** A pod created through the API (no owner): validated by the caller. */
  createStandalonePod(input: { name: string; generateName?: string; namespace: string; labels?: Labels; annotations?: Labels; template: PodTemplate; nodeName?: string; owners?: OwnerRef[] }): PodRecord {
    return this.createPodRecord({ ...input, crashLoops: false });
  }

  // ---------------------------------------------------------------- other API operations

  createNamespace(name: string, labels: Labels | undefined, annotations: Labels | undefined): NamespaceRecord {
    return this.cluster.namespaces.store.create({
      meta: { name, namespace: '', uid: randomUUID(), rv: 0, created: this.now(), labels: { ...labels, 'kubernetes.io/metadata.name': name }, annotations },
      phase: 'Active',
    });
  }

  /** Namespace deletion: Terminating, contents deleted (pods gracefully), namespace removed when empty. */
  deleteNamespace(name: string): NamespaceRecord | undefined {
    const ns = this.cluster.namespaces.store.get(name);
    if (!ns) return undefined;
    if (ns.phase === 'Terminating') return ns;
    const updated = this.cluster.namespaces.store.update(name, (cur) => ({ ...cur, phase: 'Terminating', meta: { ...cur.meta, deletionTs: this.now() } }))!;
    this.timers.add(this.now() + 300, () => {
      const c = this.cluster;
      const prefix = `${name}/`;
      for (const s of c.all().filter((x) => x.kind.namespaced && x !== (c.pods as unknown))) {
        const keys: string[] = [];
        for (const [key] of s.store.scan(prefix, '')) keys.push(key);
        for (const key of keys) s.store.remove(key);
      }
      const podKeys: string[] = [];
      for (const [key] of c.pods.store.scan(prefix, '')) podKeys.push(key);
      for (const key of podKeys) this.deletePod(key, undefined);
      this.maybeFinishNamespace(name);
    });
    return updated;
  }

  private maybeFinishNamespace(name: string): void {
    const ns = this.cluster.namespaces.store.get(name);
    if (!ns || ns.phase !== 'Terminating') return;
    for (const _ of this.cluster.pods.store.scan(`${name}/`, '')) return;
    this.cluster.namespaces.store.remove(name);
  }

  /** Background cascading deletion: the Deployment goes now, its ReplicaSets and their pods follow. */
  deleteDeployment(key: string): DeploymentRecord | undefined {
    const gone = this.cluster.deployments.store.remove(key);
    if (!gone) return undefined;
    this.rsOfDeployment.delete(key);
    const rsKeys: string[] = [];
    for (const [rsKey, rs] of this.cluster.replicaSets.store.scan(`${gone.meta.namespace}/`, '')) {
      if (rs.meta.owners?.[0]?.uid === gone.meta.uid) rsKeys.push(rsKey);
    }
    this.timers.add(this.now() + 200, () => {
      for (const rsKey of rsKeys) {
        const rs = this.cluster.replicaSets.store.remove(rsKey);
        if (!rs) continue;
        this.owners.delete(rs.meta.uid);
        for (const p of this.ownedPods(rs.meta.uid)) this.deletePod(objectKey(p.meta.namespace, p.meta.name), undefined);
      }
    });
    return gone;
  }

  /** A Deployment created through the API (revision 1): its ReplicaSet now, its pods by the usual reconcile. */
  createDeployment(input: { name: string; namespace: string; labels: Labels; selector: Labels; podLabels: Labels; replicas: number; template: PodTemplate }): DeploymentRecord {
    const c = this.cluster;
    const now = this.now();
    const { name, namespace, selector, podLabels, replicas, template } = input;
    const uid = randomUUID();
    const hash = this.rng.suffix(10);
    const zero = { replicas: 0, ready: 0, available: 0, updated: 0, observedGeneration: 1 };
    const d = c.deployments.store.create({
      meta: { name, namespace, uid, rv: 0, created: now, generation: 1, labels: input.labels, annotations: { 'deployment.kubernetes.io/revision': '1' } },
      replicas,
      selector,
      podLabels,
      template,
      templateHash: hash,
      revision: 1,
      status: zero,
    });
    const rsName = `${name}-${hash}`;
    const rsUid = randomUUID();
    const rsPodLabels: Labels = { ...podLabels, 'pod-template-hash': hash };
    c.replicaSets.store.create({
      meta: {
        name: rsName,
        namespace,
        uid: rsUid,
        rv: 0,
        created: now,
        generation: 1,
        labels: rsPodLabels,
        annotations: { 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)), 'deployment.kubernetes.io/revision': '1' },
        owners: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid, controller: true, blockOwnerDeletion: true }],
      },
      replicas,
      selector: { ...selector, 'pod-template-hash': hash },
      podLabels: rsPodLabels,
      template,
      templateHash: hash,
      podOwners: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rsUid, controller: true, blockOwnerDeletion: true }],
      status: zero,
    });
    const rsKey = objectKey(namespace, rsName);
    this.owners.set(rsUid, { kind: 'rs', key: rsKey });
    this.rsOfDeployment.set(objectKey(namespace, name), rsKey);
    this.quirks.set(rsUid, { crashLoops: 0 });
    this.dirty.add(rsUid);
    this.recordEvent({ kind: 'Deployment', namespace, name, uid, apiVersion: 'apps/v1' }, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rsName} from 0 to ${replicas}`, 'deployment-controller');
    return d;
  }

  /**
   * A Deployment rolled back to the template of one of its ReplicaSets (what the Deployment
   * controller does after `kubectl rollout undo`): that ReplicaSet becomes the newest revision and
   * is scaled up, the one running now is scaled down to zero, and their pods follow.
   */
  rollback(key: string, rsKey: string, annotations: Labels): void {
    const c = this.cluster;
    const d = c.deployments.store.get(key);
    const target = c.replicaSets.store.get(rsKey);
    if (!d || !target) return;
    let newest = d.revision;
    for (const [, rs] of c.replicaSets.store.scan(`${d.meta.namespace}/`, '')) {
      if (rs.meta.owners?.[0]?.uid === d.meta.uid) newest = Math.max(newest, Number(rs.meta.annotations?.['deployment.kubernetes.io/revision'] ?? 0));
    }
    const revision = String(newest + 1);
    const previousKey = this.rsOfDeployment.get(key);
    c.deployments.store.update(key, (cur) => ({
      ...cur,
      template: target.template,
      templateHash: target.templateHash,
      revision: newest + 1,
      meta: { ...cur.meta, generation: (cur.meta.generation ?? 1) + 1, annotations: { ...annotations, 'deployment.kubernetes.io/revision': revision } },
    }));
    const involved = { kind: 'Deployment', namespace: d.meta.namespace, name: d.meta.name, uid: d.meta.uid, apiVersion: 'apps/v1' };
    c.replicaSets.store.update(rsKey, (cur) => ({
      ...cur,
      replicas: d.replicas,
      meta: { ...cur.meta, generation: (cur.meta.generation ?? 1) + 1, annotations: { ...cur.meta.annotations, 'deployment.kubernetes.io/revision': revision, 'deployment.kubernetes.io/desired-replicas': String(d.replicas) } },
    }));
    this.owners.set(target.meta.uid, { kind: 'rs', key: rsKey });
    this.rsOfDeployment.set(key, rsKey);
    this.dirty.add(target.meta.uid);
    this.recordEvent(involved, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${target.meta.name} from ${target.replicas} to ${d.replicas}`, 'deployment-controller');
    const previous = previousKey && previousKey !== rsKey ? c.replicaSets.store.get(previousKey) : undefined;
    if (previous) {
      c.replicaSets.store.update(previousKey!, (cur) => ({ ...cur, replicas: 0, meta: { ...cur.meta, generation: (cur.meta.generation ?? 1) + 1 } }));
      this.dirty.add(previous.meta.uid);
      this.recordEvent(involved, 'Normal', 'ScalingReplicaSet', `Scaled down replica set ${previous.meta.name} from ${previous.replicas} to 0`, 'deployment-controller');
    }
    this.dirtyDeployments.add(key);
  }

  /**
   * A StatefulSet's pod template changed (a rollout restart, a rollback): its ControllerRevision for
   * that template becomes the newest (created when new) and names the revision its pods get.
   */
  reviseStatefulSet(key: string, template: PodTemplate): void {
    const store = this.cluster.statefulSets.store;
    const sts = store.get(key);
    if (!sts) return;
    const revisionHash = reviseTemplate(this.cluster, sts, template, Date.now());
    store.update(key, (cur) => ({ ...cur, ...revised(cur, template, revisionHash) }));
    this.dirty.add(sts.meta.uid);
  }

  /** The scale subresource: Deployment -> its ReplicaSet, StatefulSet, or ReplicaSet directly. */
  scale(resource: 'deployments' | 'statefulsets' | 'replicasets', key: string, replicas: number): boolean {
    const c = this.cluster;
    if (resource === 'deployments') {
      const d = c.deployments.store.update(key, (cur) => ({ ...cur, replicas, meta: { ...cur.meta, generation: (cur.meta.generation ?? 1) + 1 } }));
      if (!d) return false;
      const rsKey = this.rsOfDeployment.get(key);
      const rs = rsKey ? c.replicaSets.store.get(rsKey) : undefined;
      if (rs && rs.replicas !== replicas) {
        const previous = rs.replicas;
        c.replicaSets.store.update(rsKey!, (cur) => ({
          ...cur,
          replicas,
          meta: { ...cur.meta, generation: (cur.meta.generation ?? 1) + 1, annotations: { ...cur.meta.annotations, 'deployment.kubernetes.io/desired-replicas': String(replicas) } },
        }));
        this.dirty.add(rs.meta.uid);
        this.recordEvent({ kind: 'Deployment', namespace: d.meta.namespace, name: d.meta.name, uid: d.meta.uid, apiVersion: 'apps/v1' }, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > previous ? 'up' : 'down'} replica set ${rs.meta.name} from ${previous} to ${replicas}`, 'deployment-controller');
      }
      this.dirtyDeployments.add(key);
      return true;
    }
    if (resource === 'statefulsets') {
      const s = c.statefulSets.store.update(key, (cur) => ({ ...cur, replicas, meta: { ...cur.meta, generation: (cur.meta.generation ?? 1) + 1 } }));
      if (s) this.dirty.add(s.meta.uid);
      return s !== undefined;
    }
    const r = c.replicaSets.store.update(key, (cur) => ({ ...cur, replicas, meta: { ...cur.meta, generation: (cur.meta.generation ?? 1) + 1 } }));
    if (r) this.dirty.add(r.meta.uid);
    return r !== undefined;
  }

  // ---------------------------------------------------------------- churn, HPAs, events

  private churn(): void {
    const rsUids = [...this.owners.entries()].filter(([, info]) => info.kind === 'rs').map(([uid]) => uid);
    const count = 1 + Math.floor(this.cluster.pods.store.size / 20_000);
    for (let i = 0; i < count && rsUids.length > 0; i++) {
      const uid = this.rng.pick(rsUids);
      const pods = this.ownedPods(uid).filter((p) => isActive(p) && p.stage === 'Running' && !p.crashLoops);
      if (pods.length === 0) continue;
      const victim = this.rng.pick(pods);
      this.deletePod(objectKey(victim.meta.namespace, victim.meta.name), undefined);
    }
  }

  private updateHpas(): void {
    const store = this.cluster.hpas.store;
    const keys: string[] = [];
    for (const [key] of store.scan('', '')) keys.push(key);
    for (const key of keys) {
      store.update(key, (h) => {
        const drift = this.rng.int(-8, 8);
        const current = Math.max(5, Math.min(140, (h.currentCpuPercent ?? h.cpuTargetPercent) + drift));
        return { ...h, currentCpuPercent: current };
      });
    }
  }

  private rememberEvent(e: EventRecord, dedupe: string): void {
    this.eventOrder.push(objectKey(e.meta.namespace, e.meta.name));
    this.eventByDedupe.set(dedupe, objectKey(e.meta.namespace, e.meta.name));
  }

  /** Records an Event; a repeat of the same reason/message for the same object bumps count and lastTimestamp. */
  recordEvent(involved: EventRecord['involved'], type: 'Normal' | 'Warning', reason: string, message: string, component: string, host?: string): void {
    const store = this.cluster.events.store;
    const now = this.now();
    const dedupe = `${involved.uid}|${reason}|${message}`;
    const existing = this.eventByDedupe.get(dedupe);
    if (existing && store.has(existing)) {
      store.update(existing, (e) => ({ ...e, count: e.count + 1, last: now }));
      return;
    }
    const name = `${involved.name}.${(BigInt(now) * 1_000_000n + BigInt(this.eventSeq++ % 1_000_000)).toString(16)}`;
    const rec = store.create({ meta: { name, namespace: involved.namespace, uid: randomUUID(), rv: 0, created: now }, involved, reason, message, type, component, host, first: now, last: now, count: 1 });
    this.rememberEvent(rec, dedupe);
    while (store.size > this.options.maxEvents && this.eventHead < this.eventOrder.length) {
      const key = this.eventOrder[this.eventHead++];
      store.remove(key);
    }
    if (this.eventHead > 4096 && this.eventHead * 2 > this.eventOrder.length) {
      this.eventOrder.splice(0, this.eventHead);
      this.eventHead = 0;
    }
  }

  /** For the API: the template of a pod created from a request body. */
  static templateFromSpec(spec: { containers: ContainerSpec[]; volumes?: VolumeSpec[]; serviceAccountName?: string; terminationGracePeriodSeconds?: number; restartPolicy?: PodTemplate['restartPolicy'] }): PodTemplate {
    return {
      containers: spec.containers,
      ...(spec.volumes?.length ? { volumes: spec.volumes } : {}),
      serviceAccountName: spec.serviceAccountName ?? 'default',
      terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
      restartPolicy: spec.restartPolicy ?? 'Always',
    };
  }
}
