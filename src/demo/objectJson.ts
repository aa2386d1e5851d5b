// Full Kubernetes JSON objects built on demand from compact records (field order as Go marshals them).
import { rfc3339 } from './duration.js';
import type {
  ContainerSpec,
  DeploymentRecord,
  EventRecord,
  HpaRecord,
  NamespaceRecord,
  NodeRecord,
  PodRecord,
  PodTemplate,
  ReplicaSetRecord,
  StatefulSetRecord,
} from './records.js';
import type { Labels, ObjectMeta } from './store.js';

import { managedFieldsJson } from './managedFields.js';

export type Json = Record<string, unknown>;

export function metadataJson(m: ObjectMeta): Json {
  const out: Json = { name: m.name };
  if (m.generateName) out.generateName = m.generateName;
  if (m.namespace) out.namespace = m.namespace;
  out.uid = m.uid;
  out.resourceVersion = String(m.rv);
  if (m.generation !== undefined) out.generation = m.generation;
  out.creationTimestamp = rfc3339(m.created);
  if (m.deletionTs !== undefined) {
    out.deletionTimestamp = rfc3339(m.deletionTs);
    if (m.deletionGrace !== undefined) out.deletionGracePeriodSeconds = m.deletionGrace;
  }
  if (m.labels && Object.keys(m.labels).length > 0) out.labels = m.labels;
  if (m.annotations && Object.keys(m.annotations).length > 0) out.annotations = m.annotations;
  if (m.owners && m.owners.length > 0) out.ownerReferences = m.owners;
  if (m.finalizers && m.finalizers.length > 0) out.finalizers = m.finalizers;
  if (m.managers && m.managers.length > 0) out.managedFields = managedFieldsJson(m.managers);
  return out;
}

function containerJson(c: ContainerSpec): Json {
  const out: Json = { name: c.name, image: c.image };
  if (c.ports && c.ports.length > 0) out.ports = c.ports;
  const resources: Json = {};
  if (c.limits) resources.limits = c.limits;
  if (c.requests) resources.requests = c.requests;
  out.resources = resources;
  out.terminationMessagePath = '/dev/termination-log';
  out.terminationMessagePolicy = 'File';
  out.imagePullPolicy = 'IfNotPresent';
  return out;
}

function podSpecJson(t: PodTemplate, nodeName?: string): Json {
  const spec: Json = {
    containers: t.containers.map(containerJson),
    restartPolicy: t.restartPolicy,
    terminationGracePeriodSeconds: t.terminationGracePeriodSeconds,
    dnsPolicy: 'ClusterFirst',
  };
  if (t.nodeSelector) spec.nodeSelector = t.nodeSelector;
  if (t.volumes?.length) spec.volumes = t.volumes.map((v) => ({ name: v.name, emptyDir: { ...v.emptyDir } }));
  spec.serviceAccountName = t.serviceAccountName;
  spec.serviceAccount = t.serviceAccountName;
  if (nodeName) spec.nodeName = nodeName;
  spec.securityContext = {};
  spec.schedulerName = 'default-scheduler';
  spec.tolerations = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ];
  if (t.priorityClassName) spec.priorityClassName = t.priorityClassName;
  spec.priority = 0;
  spec.enableServiceLinks = true;
  spec.preemptionPolicy = 'PreemptLowerPriority';
  return spec;
}

export function templateJson(labels: Labels, t: PodTemplate): Json {
  return { metadata: t.annotations ? { labels, annotations: { ...t.annotations } } : { labels }, spec: podSpecJson(t) };
}

function condition(type: string, status: boolean, at: number | undefined, reason?: string, message?: string): Json {
  const c: Json = { type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at ? rfc3339(at) : null };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** Container statuses derived from the simulated stage. containers[0] is the app; others are sidecars. */
function containerStatuses(p: PodRecord): Json[] {
  const main = p.template.containers[0];
  return p.template.containers.map((c, index) => {
    const isMain = c === main;
    const status: Json = { name: c.name };
    const imageID = `${c.image.split(':')[0]}@sha256:${fakeDigest(c.image)}`;
    const running = (since: number | undefined): Json => ({ running: { startedAt: rfc3339(since ?? p.meta.created) } });
    const lastTerminated = (): Json | undefined =>
      p.lastTerminatedAt
        ? {
            terminated: {
              exitCode: p.lastReason === 'OOMKilled' ? 137 : 1,
              reason: p.lastReason ?? 'Error',
              startedAt: rfc3339(p.lastStartedAt ?? p.meta.created),
              finishedAt: rfc3339(p.lastTerminatedAt),
              containerID: `containerd://${fakeDigest(p.meta.uid + 'last' + index)}`,
            },
          }
        : undefined;
    let state: Json;
    let ready = false;
    let started = false;
    let lastState: Json = {};
    switch (p.stage) {
      case 'Pending':
      case 'ContainerCreating':
        state = { waiting: { reason: 'ContainerCreating' } };
        break;
      case 'ImagePullBackOff':
        state = isMain
          ? { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } }
          : { waiting: { reason: 'PodInitializing' } };
        break;
      case 'Running':
        state = running(p.runningSince);
        ready = p.ready;
        started = true;
        if (isMain) lastState = lastTerminated() ?? {};
        break;
      case 'CrashLoopBackOff':
        if (isMain) {
          state = { waiting: { reason: 'CrashLoopBackOff', message: p.message ?? `back-off 5m0s restarting failed container=${c.name} pod=${p.meta.name}_${p.meta.namespace}(${p.meta.uid})` } };
          lastState = lastTerminated() ?? {};
        } else {
          state = running(p.runningSince);
          ready = true;
          started = true;
        }
        break;
      case 'Error':
        if (isMain) {
          state = {
            terminated: {
              exitCode: 1,
              reason: 'Error',
              startedAt: rfc3339(p.lastStartedAt ?? p.meta.created),
              finishedAt: rfc3339(p.lastTerminatedAt ?? p.meta.created),
              containerID: `containerd://${fakeDigest(p.meta.uid + index)}`,
            },
          };
        } else {
          state = running(p.runningSince);
          ready = true;
          started = true;
        }
        break;
      case 'Succeeded':
      case 'Failed':
        state = {
          terminated: {
            exitCode: p.stage === 'Succeeded' ? 0 : 1,
            reason: p.stage === 'Succeeded' ? 'Completed' : 'Error',
            startedAt: rfc3339(p.runningSince ?? p.meta.created),
            finishedAt: rfc3339(p.finishedAt ?? p.meta.created),
            containerID: `containerd://${fakeDigest(p.meta.uid + index)}`,
          },
        };
        break;
    }
    status.state = state;
    status.lastState = lastState;
    status.ready = ready;
    status.restartCount = isMain ? p.restarts : 0;
    status.image = c.image;
    status.imageID = p.stage === 'Pending' || p.stage === 'ContainerCreating' || p.stage === 'ImagePullBackOff' ? '' : imageID;
    if (p.stage !== 'Pending' && p.stage !== 'ContainerCreating' && p.stage !== 'ImagePullBackOff') {
      status.containerID = `containerd://${fakeDigest(p.meta.uid + c.name)}`;
    }
    status.started = started;
    return status;
  });
}

/** Stable hex digest-looking string (not cryptographic; only for realistic IDs). */
export function fakeDigest(input: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < input.length; i++) {
    h1 = Math.imul(h1 ^ input.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ input.charCodeAt(i), 2246822519) >>> 0;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    out += ((h1 ^ Math.imul(h2, i + 1)) >>> 0).toString(16).padStart(8, '0');
    h1 = Math.imul(h1 ^ (h1 >>> 13), 3266489917) >>> 0;
  }
  return out.slice(0, 64);
}

export function qosClass(t: PodTemplate): string {
  let guaranteed = true;
  let any = false;
  for (const c of t.containers) {
    if (c.requests || c.limits) any = true;
    if (!c.limits || !c.requests || c.limits.cpu !== c.requests.cpu || c.limits.memory !== c.requests.memory) guaranteed = false;
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function podPhase(p: PodRecord): string {
  switch (p.stage) {
    case 'Pending':
    case 'ContainerCreating':
    case 'ImagePullBackOff':
      return 'Pending';
    case 'Succeeded':
      return 'Succeeded';
    case 'Failed':
      return 'Failed';
    default:
      return 'Running';
  }
}

export function podJson(p: PodRecord): Json {
  const status: Json = { phase: podPhase(p) };
  const conditions: Json[] = [];
  if (p.stage === 'Pending') {
    // A pod the scheduler has not looked at yet has no conditions; an unschedulable one says why.
    if (p.message) conditions.push(condition('PodScheduled', false, p.meta.created, 'Unschedulable', p.message));
  } else {
    const started = p.stage !== 'ContainerCreating' && p.stage !== 'ImagePullBackOff';
    const allReady = p.stage === 'Running' && p.ready;
    const finished = p.stage === 'Succeeded' || p.stage === 'Failed';
    conditions.push(condition('PodReadyToStartContainers', started || finished, p.scheduledAt));
    conditions.push(condition('Initialized', true, p.scheduledAt));
    conditions.push(condition('Ready', allReady, p.readySince ?? p.scheduledAt, allReady ? undefined : finished ? 'PodCompleted' : 'ContainersNotReady', allReady || finished ? undefined : `containers with unready status: [${p.template.containers[0].name}]`));
    conditions.push(condition('ContainersReady', allReady, p.readySince ?? p.scheduledAt, allReady ? undefined : finished ? 'PodCompleted' : 'ContainersNotReady', allReady || finished ? undefined : `containers with unready status: [${p.template.containers[0].name}]`));
    conditions.push(condition('PodScheduled', true, p.scheduledAt));
  }
  if (conditions.length > 0) status.conditions = conditions;
  if (p.hostIP) {
    status.hostIP = p.hostIP;
    status.hostIPs = [{ ip: p.hostIP }];
  }
  if (p.podIP) {
    status.podIP = p.podIP;
    status.podIPs = [{ ip: p.podIP }];
  }
  if (p.scheduledAt) status.startTime = rfc3339(p.scheduledAt);
  if (p.stage !== 'Pending') status.containerStatuses = containerStatuses(p);
  status.qosClass = qosClass(p.template);
  return { metadata: metadataJson(p.meta), spec: podSpecJson(p.template, p.nodeName), status };
}

function selectorJson(matchLabels: Labels): Json {
  return { matchLabels };
}

export function deploymentJson(d: DeploymentRecord): Json {
  const s = d.status;
  const status: Json = { observedGeneration: s.observedGeneration };
  if (s.replicas) status.replicas = s.replicas;
  if (s.updated) status.updatedReplicas = s.updated;
  if (s.ready) status.readyReplicas = s.ready;
  if (s.available) status.availableReplicas = s.available;
  if (s.replicas - s.available > 0) status.unavailableReplicas = s.replicas - s.available;
  const available = s.available >= Math.max(0, d.replicas - Math.floor(d.replicas / 4));
  status.conditions = [
    {
      type: 'Available',
      status: available ? 'True' : 'False',
      lastUpdateTime: rfc3339(d.meta.created),
      lastTransitionTime: rfc3339(d.meta.created),
      reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      message: available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
    },
    {
      type: 'Progressing',
      lastUpdateTime: rfc3339(d.meta.created),
      lastTransitionTime: rfc3339(d.meta.created),
      ...(d.paused
        ? { status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }
        : { status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${d.meta.name}-${d.templateHash}" has successfully progressed.` }),
    },
  ];
  return {
    metadata: metadataJson(d.meta),
    spec: {
      replicas: d.replicas,
      selector: selectorJson(d.selector),
      template: templateJson(d.podLabels, d.template),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...(d.paused ? { paused: true } : {}),
    },
    status,
  };
}

export function replicaSetJson(r: ReplicaSetRecord): Json {
  const s = r.status;
  const status: Json = { replicas: s.replicas };
  if (s.replicas) status.fullyLabeledReplicas = s.replicas;
  if (s.ready) status.readyReplicas = s.ready;
  if (s.available) status.availableReplicas = s.available;
  status.observedGeneration = s.observedGeneration;
  return {
    metadata: metadataJson(r.meta),
    spec: { replicas: r.replicas, selector: selectorJson(r.selector), template: templateJson(r.podLabels, r.template) },
    status,
  };
}

export function statefulSetJson(s: StatefulSetRecord): Json {
  const st = s.status;
  const status: Json = { observedGeneration: st.observedGeneration, replicas: st.replicas };
  if (st.ready) status.readyReplicas = st.ready;
  status.currentReplicas = s.current?.replicas ?? st.updated;
  status.updatedReplicas = st.updated;
  status.currentRevision = `${s.meta.name}-${s.current?.hash ?? s.revisionHash}`;
  status.updateRevision = `${s.meta.name}-${s.revisionHash}`;
  status.collisionCount = 0;
  status.availableReplicas = st.available;
  return {
    metadata: metadataJson(s.meta),
    spec: {
      replicas: s.replicas,
      selector: selectorJson(s.selector),
      template: templateJson(s.podLabels, s.template),
      serviceName: s.serviceName,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    },
    status,
  };
}

export function hpaJson(h: HpaRecord): Json {
  const status: Json = {};
  if (h.currentCpuPercent !== undefined) {
    status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: `${h.currentCpuPercent * 2}m`, averageUtilization: h.currentCpuPercent } } }];
  }
  status.currentReplicas = h.currentReplicas;
  status.desiredReplicas = h.desiredReplicas;
  status.conditions = [
    { type: 'AbleToScale', status: 'True', lastTransitionTime: rfc3339(h.meta.created), reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
    { type: 'ScalingActive', status: 'True', lastTransitionTime: rfc3339(h.meta.created), reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' },
    { type: 'ScalingLimited', status: 'False', lastTransitionTime: rfc3339(h.meta.created), reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' },
  ];
  return {
    metadata: metadataJson(h.meta),
    spec: {
      scaleTargetRef: h.target,
      minReplicas: h.minReplicas,
      maxReplicas: h.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: h.cpuTargetPercent } } }],
    },
    status,
  };
}

export function nodeJson(n: NodeRecord): Json {
  const now = n.meta.created;
  const cond = (type: string, ok: boolean, reason: string, message: string) => ({
    type,
    status: ok ? 'True' : 'False',
    lastHeartbeatTime: rfc3339(Date.now() - 20_000),
    lastTransitionTime: rfc3339(now),
    reason,
    message,
  });
  const spec: Json = { podCIDR: n.podCIDR, podCIDRs: [n.podCIDR] };
  if (n.unschedulable) spec.unschedulable = true;
  if (n.taints?.length) spec.taints = n.taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect, ...(t.timeAdded ? { timeAdded: rfc3339(t.timeAdded) } : {}) }));
  // The node lifecycle controller's words when the kubelet stops posting: every condition Unknown.
  const lost = (type: string) => ({ type, status: 'Unknown', lastHeartbeatTime: rfc3339(n.notReadySince ?? now), lastTransitionTime: rfc3339((n.notReadySince ?? now) + 40_000), reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
  return {
    metadata: metadataJson(n.meta),
    spec,
    status: {
      capacity: { cpu: n.capacity.cpu, 'ephemeral-storage': '101430960Ki', memory: n.capacity.memory, pods: n.capacity.pods },
      allocatable: { cpu: n.capacity.cpu, 'ephemeral-storage': '93478772582', memory: n.capacity.memory, pods: n.capacity.pods },
      conditions: n.ready
        ? [
            cond('MemoryPressure', false, 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
            cond('DiskPressure', false, 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
            cond('PIDPressure', false, 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
            cond('Ready', true, 'KubeletReady', 'kubelet is posting ready status'),
          ]
        : ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map(lost),
      addresses: [
        { type: 'InternalIP', address: n.internalIP },
        { type: 'Hostname', address: n.meta.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: fakeDigest(n.meta.name).slice(0, 32),
        systemUUID: n.meta.uid,
        bootID: n.meta.uid,
        kernelVersion: n.kernelVersion,
        osImage: n.osImage,
        containerRuntimeVersion: n.containerRuntimeVersion,
        kubeletVersion: n.kubeletVersion,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

export function namespaceJson(n: NamespaceRecord): Json {
  const out: Json = { metadata: metadataJson(n.meta), spec: { finalizers: ['kubernetes'] }, status: { phase: n.phase } };
  return out;
}

export function eventJson(e: EventRecord): Json {
  const involved: Json = { kind: e.involved.kind, namespace: e.involved.namespace, name: e.involved.name, uid: e.involved.uid, apiVersion: e.involved.apiVersion };
  if (e.involved.resourceVersion) involved.resourceVersion = e.involved.resourceVersion;
  if (e.involved.fieldPath) involved.fieldPath = e.involved.fieldPath;
  const source: Json = { component: e.component };
  if (e.host) source.host = e.host;
  return {
    metadata: metadataJson(e.meta),
    involvedObject: involved,
    reason: e.reason,
    message: e.message,
    source,
    firstTimestamp: rfc3339(e.first),
    lastTimestamp: rfc3339(e.last),
    count: e.count,
    type: e.type,
    eventTime: null,
    reportingComponent: e.component,
    reportingInstance: e.host ?? '',
  };
}

