// Server-side Table output: column definitions and cells as pkg/printers/internalversion/printers.go produces them
// (Wide: true, as the apiserver's TableConvertor always asks for every column). Printers read the full JSON object,
// so anything the API serves prints the same way.
import { ageSince } from './duration.js';
import type { Json } from './objectJson.js';
import { PDB_COLUMNS, printPdb } from './disruptionBudgets.js';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRowCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export interface PrintedRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
}

const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const CREATED_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

function col(name: string, type: string, description: string, priority = 0, format = ''): ColumnDefinition {
  return { name, type, format, description, priority };
}
const nameCol = () => col('Name', 'string', NAME_DOC, 0, 'name');
const ageCol = () => col('Age', 'string', CREATED_DOC);

export const COLUMNS: Record<string, ColumnDefinition[]> = {
  poddisruptionbudgets: PDB_COLUMNS,
  pods: [
    nameCol(),
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageCol(),
    col('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    col('Node', 'string', 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename', 1),
    col('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.', 1),
    col('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates', 1),
  ],
  deployments: [
    nameCol(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageCol(),
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
  ],
  replicasets: [
    nameCol(),
    col('Desired', 'integer', 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller'),
    col('Current', 'integer', 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller'),
    col('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    ageCol(),
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', 'Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 1),
  ],
  statefulsets: [
    nameCol(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    ageCol(),
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
  ],
  namespaces: [nameCol(), col('Status', 'string', 'The status of the namespace'), ageCol()],
  nodes: [
    nameCol(),
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    ageCol(),
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses', 1),
    col('External-IP', 'string', 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses', 1),
    col('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    col('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    col('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  events: [
    col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    col('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    col('Object', 'string', 'The object that this event is about.'),
    col('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.', 1),
    col('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    col('Message', 'string', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    col('Count', 'string', 'The number of times this event has occurred.', 1),
    { ...col('Name', 'string', NAME_DOC, 1, 'name') },
  ],
  horizontalpodautoscalers: [
    nameCol(),
    col('Reference', 'string', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    col('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond.'),
    col('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.'),
    col('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.'),
    col('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    ageCol(),
  ],
};

type AnyJson = Record<string, any>;  

function ts(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** metav1.FormatLabelSelector / LabelSelectorAsSelector(...).String() for the shapes the demo produces. */
function formatSelector(selector: AnyJson | undefined): string {
  if (!selector) return '<none>';
  const parts: string[] = [];
  const ml = (selector.matchLabels ?? {}) as Record<string, string>;
  for (const k of Object.keys(ml)) parts.push(`${k}=${ml[k]}`);
  for (const e of (selector.matchExpressions ?? []) as AnyJson[]) {
    const op = String(e.operator).toLowerCase();
    if (op === 'exists') parts.push(String(e.key));
    else if (op === 'doesnotexist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${[...(e.values ?? [])].sort().join(',')})`);
  }
  parts.sort();
  return parts.length === 0 ? '<none>' : parts.join(',');
}

function layoutContainers(containers: AnyJson[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image).join(',')];
}

const podSucceeded: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const podFailed: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

export function printPod(pod: AnyJson, now: number): PrintedRow {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const meta = pod.metadata ?? {};
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let lastRestart = 0;
  let lastRestartableInitRestart = 0;
  const phase: string = status.phase ?? '';
  let reason: string = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const row: PrintedRow = { cells: [] };
  if (phase === 'Succeeded') row.conditions = podSucceeded;
  else if (phase === 'Failed') row.conditions = podFailed;

  const initSpecs = new Map<string, AnyJson>();
  for (const c of spec.initContainers ?? []) {
    initSpecs.set(c.name, c);
    if (c.restartPolicy === 'Always') totalContainers++;
  }
  let initializing = false;
  const initStatuses: AnyJson[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    const finished = ts(c.lastState?.terminated?.finishedAt);
    if (finished && finished > lastRestart) lastRestart = finished;
    const restartable = initSpecs.get(c.name)?.restartPolicy === 'Always';
    if (restartable) {
      restartableInitRestarts += c.restartCount ?? 0;
      if (finished && finished > lastRestartableInitRestart) lastRestartableInitRestart = finished;
    }
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (restartable && c.started === true) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (term) {
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (wait && wait.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }
  const initializedTrue = (status.conditions ?? []).some((c: AnyJson) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses: AnyJson[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      const finished = ts(c.lastState?.terminated?.finishedAt);
      if (finished && finished > lastRestart) lastRestart = finished;
      const wait = c.state?.waiting;
      const term = c.state?.terminated;
      if (wait && wait.reason) reason = wait.reason;
      else if (term && term.reason) reason = term.reason;
      else if (term && !term.reason) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c: AnyJson) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  if (meta.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (meta.deletionTimestamp && !terminal) reason = 'Terminating';

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart) restartsCell = `${restarts} (${ageSince(lastRestart, now)} ago)`;

  const podIP = status.podIPs?.[0]?.ip || '<none>';
  const nodeName = spec.nodeName || '<none>';
  const nominated = status.nominatedNodeName || '<none>';
  let gates = '<none>';
  if ((spec.readinessGates ?? []).length > 0) {
    let ok = 0;
    for (const g of spec.readinessGates) {
      const c = (status.conditions ?? []).find((x: AnyJson) => x.type === g.conditionType);
      if (c && c.status === 'True') ok++;
    }
    gates = `${ok}/${spec.readinessGates.length}`;
  }
  row.cells = [meta.name ?? '', `${readyContainers}/${totalContainers}`, reason, restartsCell, ageSince(ts(meta.creationTimestamp), now), podIP, nodeName, nominated, gates];
  return row;
}

export function printDeployment(d: AnyJson, now: number): PrintedRow {
  const [names, images] = layoutContainers(d.spec?.template?.spec?.containers);
  const s = d.status ?? {};
  return {
    cells: [d.metadata?.name ?? '', `${s.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, s.updatedReplicas ?? 0, s.availableReplicas ?? 0, ageSince(ts(d.metadata?.creationTimestamp), now), names, images, d.spec?.selector ? formatSelector(d.spec.selector) : ''],
  };
}

export function printReplicaSet(r: AnyJson, now: number): PrintedRow {
  const [names, images] = layoutContainers(r.spec?.template?.spec?.containers);
  const s = r.status ?? {};
  return {
    cells: [r.metadata?.name ?? '', r.spec?.replicas ?? 0, s.replicas ?? 0, s.readyReplicas ?? 0, ageSince(ts(r.metadata?.creationTimestamp), now), names, images, formatSelector(r.spec?.selector)],
  };
}

export function printStatefulSet(s: AnyJson, now: number): PrintedRow {
  const [names, images] = layoutContainers(s.spec?.template?.spec?.containers);
  return { cells: [s.metadata?.name ?? '', `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}`, ageSince(ts(s.metadata?.creationTimestamp), now), names, images] };
}

export function printNamespace(n: AnyJson, now: number): PrintedRow {
  return { cells: [n.metadata?.name ?? '', n.status?.phase ?? '', ageSince(ts(n.metadata?.creationTimestamp), now)] };
}

export function printNode(n: AnyJson, now: number): PrintedRow {
  const status: string[] = [];
  const ready = (n.status?.conditions ?? []).find((c: AnyJson) => c.type === 'Ready');
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (n.spec?.unschedulable) status.push('SchedulingDisabled');
  const roles = new Set<string>();
  for (const [k, v] of Object.entries((n.metadata?.labels ?? {}) as Record<string, string>)) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  const info = n.status?.nodeInfo ?? {};
  const address = (type: string) => (n.status?.addresses ?? []).find((a: AnyJson) => a.type === type)?.address ?? '<none>';
  return {
    cells: [
      n.metadata?.name ?? '',
      status.join(','),
      roles.size ? [...roles].sort().join(',') : '<none>',
      ageSince(ts(n.metadata?.creationTimestamp), now),
      info.kubeletVersion ?? '',
      address('InternalIP'),
      address('ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ],
  };
}

export function printEvent(e: AnyJson, now: number): PrintedRow {
  let first = ageSince(ts(e.firstTimestamp), now);
  if (!ts(e.firstTimestamp)) first = ageSince(ts(e.eventTime), now);
  let last = ageSince(ts(e.lastTimestamp), now);
  if (!ts(e.lastTimestamp)) last = first;
  let count = e.count ?? 0;
  if (e.series) {
    last = ageSince(ts(e.series.lastObservedTime), now);
    count = e.series.count;
  } else if (count === 0) {
    count = 1;
  }
  const io = e.involvedObject ?? {};
  const target = io.name ? `${String(io.kind ?? '').toLowerCase()}/${io.name}` : String(io.kind ?? '').toLowerCase();
  const component = e.source?.component || e.reportingComponent || '';
  const host = e.source?.host || e.reportingInstance || '';
  const source = host ? `${component}, ${host}` : component;
  return { cells: [last, e.type ?? '', e.reason ?? '', target, io.fieldPath ?? '', source, String(e.message ?? '').trim(), first, count, e.metadata?.name ?? ''] };
}

export function printHpa(h: AnyJson, now: number): PrintedRow {
  const spec = h.spec ?? {};
  const specs: AnyJson[] = spec.metrics ?? [];
  const statuses: AnyJson[] = h.status?.currentMetrics ?? [];
  let targets = '<none>';
  if (specs.length > 0) {
    const list = specs.map((m, i) => {
      if (m.type === 'Resource') {
        const cur = statuses[i]?.resource?.current?.averageUtilization;
        const target = m.resource?.target?.averageUtilization;
        if (m.resource?.target?.averageValue !== undefined) {
          return `${m.resource.name}: ${statuses[i]?.resource?.current?.averageValue ?? '<unknown>'}/${m.resource.target.averageValue}`;
        }
        return `${m.resource?.name}: ${cur !== undefined ? `${cur}%` : '<unknown>'}/${target !== undefined ? `${target}%` : '<auto>'}`;
      }
      return '<unknown type>';
    });
    targets = list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
  }
  const ref = `${spec.scaleTargetRef?.kind ?? ''}/${spec.scaleTargetRef?.name ?? ''}`;
  const minPods = spec.minReplicas !== undefined ? String(spec.minReplicas) : '<unset>';
  return { cells: [h.metadata?.name ?? '', ref, targets, minPods, spec.maxReplicas ?? 0, h.status?.currentReplicas ?? 0, ageSince(ts(h.metadata?.creationTimestamp), now)] };
}

export const PRINTERS: Record<string, (obj: AnyJson, now: number) => PrintedRow> = {
  pods: printPod,
  deployments: printDeployment,
  replicasets: printReplicaSet,
  statefulsets: printStatefulSet,
  namespaces: printNamespace,
  nodes: printNode,
  events: printEvent,
  horizontalpodautoscalers: printHpa,
  poddisruptionbudgets: printPdb,
};

export type { Json };
