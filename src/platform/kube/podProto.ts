// A protobuf PodList (core/v1, field numbers from k8s.io/api core/v1 generated.proto) read straight into
// PodRows: only the fields a row needs are decoded, everything else (managedFields, the containers'
// specs, volumes, ...) is skipped by its length. READY / STATUS / RESTARTS are computed as the API
// server's Table printer does (kubernetes pkg/printers/internalversion printPod), so a row is the
// same whether it came from a Table or from here; the row then goes through the Table path's mapPodRow.
import { BYTES, VARINT, ProtoReader, ProtobufError, readEnvelope, readListMeta, readStrings, readTimeMs, type ListPage } from './protobuf.js';
import { mapPodRow, podWatch, type ResourceWatch } from './rowMappers.js';
import type { PodRow } from './rows.js';
import { columnIndexOf, type ObjectMeta, type OwnerReference, type TableColumnDefinition } from './tableTypes.js';

/** The pod printer's columns (a Table's columnDefinitions) up to those a PodRow reads. */
export const POD_COLUMNS: readonly TableColumnDefinition[] = ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node'].map((name) => ({
  name,
  type: 'string',
}));
const podColumns = columnIndexOf(POD_COLUMNS);

/** Pods as the cluster feed lists them: in protobuf where the server speaks it, then a Table watch. */
export const podListWatch: ResourceWatch<PodRow> = { ...podWatch, protobufList: { read: readPodList, columns: POD_COLUMNS }, offThread: 'pods' };

interface ContainerState {
  waitingReason?: string;
  running: boolean;
  terminated?: { exitCode: number; signal: number; reason: string };
}

interface ContainerStatus {
  name: string;
  state: ContainerState;
  ready: boolean;
  restartCount: number;
  started: boolean;
}

interface Condition {
  type: string;
  status: string;
  reason: string;
}

/** What printPod reads of a pod. */
export interface PodFacts {
  phase: string;
  reason: string;
  containers: number;
  /** Init containers by name: true when restartable (a sidecar: restartPolicy Always). */
  initContainers: Map<string, boolean>;
  initContainerCount: number;
  initStatuses: ContainerStatus[];
  statuses: ContainerStatus[];
  conditions: Condition[];
  deleting: boolean;
}

/** READY, STATUS and the restart count of kubectl's / the API server's pod printer (Kubernetes 1.34). */
export function printPod(p: PodFacts): { ready: number; total: number; status: string; restarts: number } {
  let restarts = 0;
  let restartableInitRestarts = 0;
  let total = p.containers;
  let ready = 0;
  let reason = p.reason || p.phase;
  for (const c of p.conditions) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  for (const restartable of p.initContainers.values()) if (restartable) total++;

  let initializing = false;
  for (let i = 0; i < p.initStatuses.length; i++) {
    const c = p.initStatuses[i];
    const restartable = p.initContainers.get(c.name) === true;
    restarts += c.restartCount;
    if (restartable) restartableInitRestarts += c.restartCount;
    const t = c.state.terminated;
    if (t && t.exitCode === 0) continue;
    if (restartable && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal !== 0 ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (c.state.waitingReason && c.state.waitingReason !== 'PodInitializing') reason = `Init:${c.state.waitingReason}`;
    else reason = `Init:${i}/${p.initContainerCount}`;
    initializing = true;
    break;
  }

  if (!initializing || p.conditions.find((c) => c.type === 'Initialized')?.status === 'True') {
    restarts = restartableInitRestarts;
    let hasRunning = false;
    for (let i = p.statuses.length - 1; i >= 0; i--) {
      const c = p.statuses[i];
      restarts += c.restartCount;
      const t = c.state.terminated;
      if (c.state.waitingReason) reason = c.state.waitingReason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal !== 0 ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
      else if (c.ready && c.state.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = p.conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  if (p.deleting && p.reason === 'NodeLost') reason = 'Unknown';
  else if (p.deleting && p.phase !== 'Failed' && p.phase !== 'Succeeded') reason = 'Terminating';
  return { ready, total, status: reason, restarts };
}

/** A `PodList` protobuf answer (with its envelope) as rows. Throws ProtobufError when it is not one. */
export function readPodList(buf: Buffer): ListPage<PodRow> {
  const env = readEnvelope(buf);
  if (env.kind !== 'PodList') throw new ProtobufError(`expected a PodList, got ${env.kind || 'no kind'}`);
  const r = env.raw;
  const page: ListPage<PodRow> = { resourceVersion: '', continue: '', rows: [], items: 0 };
  while (r.next()) {
    if (r.field === 1 && r.wire === BYTES) Object.assign(page, readListMeta(r.message()));
    else if (r.field === 2 && r.wire === BYTES) {
      page.items++;
      const row = readPod(r.message());
      if (row) page.rows.push(row);
    } else r.skip();
  }
  return page;
}

/** core/v1 Pod {metadata=1, spec=2, status=3} as a row (null when it has no uid). */
export function readPod(r: ProtoReader): PodRow | null {
  let meta: ObjectMeta | undefined;
  let podTemplateHash: string | undefined;
  const facts: PodFacts = {
    phase: '',
    reason: '',
    containers: 0,
    initContainers: new Map(),
    initContainerCount: 0,
    initStatuses: [],
    statuses: [],
    conditions: [],
    deleting: false,
  };
  let nodeName = '';
  let podIP = '';
  while (r.next()) {
    if (r.wire !== BYTES) r.skip();
    else if (r.field === 1) [meta, podTemplateHash] = readObjectMeta(r.message());
    else if (r.field === 2) nodeName = readSpec(r.message(), facts);
    else if (r.field === 3) podIP = readStatus(r.message(), facts);
    else r.skip();
  }
  if (!meta?.uid) return null;
  if (podTemplateHash !== undefined) meta.labels = { 'pod-template-hash': podTemplateHash };
  facts.deleting = meta.deletionTimestamp !== undefined;
  const printed = printPod(facts);
  const cells = [meta.name, `${printed.ready}/${printed.total}`, printed.status, printed.restarts, '', podIP || '<none>', nodeName || '<none>'];
  return mapPodRow(cells, podColumns, meta);
}

/** meta/v1 ObjectMeta: what mapPodRow reads; of the labels only pod-template-hash (the owning Deployment). */
function readObjectMeta(r: ProtoReader): [ObjectMeta, string | undefined] {
  const meta: ObjectMeta = { name: '', uid: '' };
  let hash: string | undefined;
  while (r.next()) {
    if (r.wire !== BYTES) {
      r.skip();
      continue;
    }
    switch (r.field) {
      case 1:
        meta.name = r.string();
        break;
      case 3:
        meta.namespace = r.string();
        break;
      case 5:
        meta.uid = r.string();
        break;
      case 8:
        meta.creationTimestamp = new Date(readTimeMs(r.message())).toISOString();
        break;
      case 9:
        meta.deletionTimestamp = new Date(readTimeMs(r.message())).toISOString();
        break;
      case 11: {
        // map<string, string> labels: entries {key=1, value=2}
        const [key, value] = readStrings(r.message(), 1, 2);
        if (key === 'pod-template-hash') hash = value;
        break;
      }
      case 13:
        (meta.ownerReferences ??= []).push(readOwnerReference(r.message()));
        break;
      default:
        r.skip(); // managedFields (17), annotations, finalizers, ...
    }
  }
  return [meta, hash];
}

/** meta/v1 OwnerReference {kind=1, name=3, uid=4, apiVersion=5, controller=6}. */
function readOwnerReference(r: ProtoReader): OwnerReference {
  const ref: OwnerReference = { kind: '', name: '' };
  while (r.next()) {
    if (r.field === 1 && r.wire === BYTES) ref.kind = r.string();
    else if (r.field === 3 && r.wire === BYTES) ref.name = r.string();
    else if (r.field === 4 && r.wire === BYTES) ref.uid = r.string();
    else if (r.field === 5 && r.wire === BYTES) ref.apiVersion = r.string();
    else if (r.field === 6 && r.wire === VARINT) ref.controller = r.bool();
    else r.skip();
  }
  return ref;
}

/** core/v1 PodSpec {containers=2, nodeName=10, initContainers=20}; returns the node name. */
function readSpec(r: ProtoReader, facts: PodFacts): string {
  let nodeName = '';
  while (r.next()) {
    if (r.field === 2 && r.wire === BYTES) {
      facts.containers++;
      r.skip();
    } else if (r.field === 10 && r.wire === BYTES) nodeName = r.string();
    else if (r.field === 20 && r.wire === BYTES) {
      // Container {name=1, restartPolicy=24}
      const c = r.message();
      let name = '';
      let restartPolicy = '';
      while (c.next()) {
        if (c.field === 1 && c.wire === BYTES) name = c.string();
        else if (c.field === 24 && c.wire === BYTES) restartPolicy = c.string();
        else c.skip();
      }
      facts.initContainerCount++;
      facts.initContainers.set(name, restartPolicy === 'Always');
    } else r.skip();
  }
  return nodeName;
}

/** core/v1 PodStatus {phase=1, conditions=2, reason=4, containerStatuses=8, initContainerStatuses=10, podIPs=12}; returns the first pod IP. */
function readStatus(r: ProtoReader, facts: PodFacts): string {
  let podIP: string | undefined;
  while (r.next()) {
    if (r.wire !== BYTES) {
      r.skip();
      continue;
    }
    switch (r.field) {
      case 1:
        facts.phase = r.string();
        break;
      case 2:
        facts.conditions.push(readCondition(r.message()));
        break;
      case 4:
        facts.reason = r.string();
        break;
      case 8:
        facts.statuses.push(readContainerStatus(r.message()));
        break;
      case 10:
        facts.initStatuses.push(readContainerStatus(r.message()));
        break;
      case 12: {
        // PodIP {ip=1}: the printer shows the first (every one is read past).
        const [ip] = readStrings(r.message(), 1);
        podIP ??= ip;
        break;
      }
      default:
        r.skip();
    }
  }
  return podIP ?? '';
}

/** core/v1 PodCondition {type=1, status=2, reason=5}. */
function readCondition(r: ProtoReader): Condition {
  const [type, status, reason] = readStrings(r, 1, 2, 5);
  return { type, status, reason };
}

/** core/v1 ContainerStatus {name=1, state=2, ready=4, restartCount=5, started=9}. */
function readContainerStatus(r: ProtoReader): ContainerStatus {
  const s: ContainerStatus = { name: '', state: { running: false }, ready: false, restartCount: 0, started: false };
  while (r.next()) {
    if (r.field === 1 && r.wire === BYTES) s.name = r.string();
    else if (r.field === 2 && r.wire === BYTES) s.state = readState(r.message());
    else if (r.field === 4 && r.wire === VARINT) s.ready = r.bool();
    else if (r.field === 5 && r.wire === VARINT) s.restartCount = r.int();
    else if (r.field === 9 && r.wire === VARINT) s.started = r.bool();
    else r.skip();
  }
  return s;
}

/** core/v1 ContainerState {waiting=1 {reason=1}, running=2, terminated=3 {exitCode=1, signal=2, reason=3}}. */
function readState(r: ProtoReader): ContainerState {
  const state: ContainerState = { running: false };
  while (r.next()) {
    if (r.field === 1 && r.wire === BYTES) state.waitingReason = readStrings(r.message(), 1)[0];
    else if (r.field === 2 && r.wire === BYTES) {
      r.skip();
      state.running = true;
    } else if (r.field === 3 && r.wire === BYTES) {
      const t = r.message();
      const term = { exitCode: 0, signal: 0, reason: '' };
      while (t.next()) {
        if (t.field === 1 && t.wire === VARINT) term.exitCode = t.int();
        else if (t.field === 2 && t.wire === VARINT) term.signal = t.int();
        else if (t.field === 3 && t.wire === BYTES) term.reason = t.string();
        else t.skip();
      }
      state.terminated = term;
    } else r.skip();
  }
  return state;
}
