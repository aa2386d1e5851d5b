// Test-side writer of Kubernetes protobuf PodLists (field numbers of k8s.io/api core/v1 and apimachinery
// meta/v1 generated.proto, v0.34), as the API server sends them for `Accept: application/vnd.kubernetes.protobuf`:
// the `k8s\0` magic, a runtime.Unknown envelope, and the PodList inside. Fields the reader must skip
// (managedFields, annotations, container specs) are written too.

type Value = string | number | boolean | Buffer | undefined;

function varint(n: number): number[] {
  const out: number[] = [];
  if (n < 0) {
    // two's complement over 64 bits, 10 bytes
    let lo = n >>> 0;
    let hi = Math.floor(n / 2 ** 32) >>> 0;
    for (let i = 0; i < 9; i++) {
      out.push((lo & 0x7f) | 0x80);
      lo = (lo >>> 7) | ((hi & 0x7f) << 25);
      hi >>>= 7;
    }
    out.push(1);
    return out;
  }
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** A message from [field number, value] pairs: strings and Buffers length-delimited, numbers and booleans varints. */
export function msg(fields: Array<[number, Value]>): Buffer {
  const parts: Buffer[] = [];
  for (const [field, value] of fields) {
    if (value === undefined) continue;
    if (typeof value === 'number' || typeof value === 'boolean') {
      parts.push(Buffer.from([...varint(field * 8), ...varint(Number(value))]));
    } else {
      const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
      parts.push(Buffer.from([...varint(field * 8 + 2), ...varint(bytes.length)]), bytes);
    }
  }
  return Buffer.concat(parts);
}

export interface StateInput {
  waiting?: string;
  running?: boolean;
  terminated?: { exitCode: number; signal?: number; reason?: string };
}

export interface ContainerStatusInput extends StateInput {
  name: string;
  ready?: boolean;
  restartCount?: number;
  started?: boolean;
  last?: StateInput;
}

export interface ProtoPodInput {
  name: string;
  namespace?: string;
  uid?: string;
  rv?: string;
  createdSec?: number;
  deleting?: boolean;
  labels?: Record<string, string>;
  owner?: { kind: string; name: string };
  nodeName?: string;
  containers?: number;
  initContainers?: Array<{ name: string; restartPolicy?: string }>;
  phase?: string;
  reason?: string;
  conditions?: Array<{ type: string; status: string; reason?: string }>;
  podIPs?: string[];
  initStatuses?: ContainerStatusInput[];
  statuses?: ContainerStatusInput[];
}

const time = (sec: number) => msg([[1, sec], [2, 0]]);

function state(s: StateInput): Buffer {
  return msg([
    [1, s.waiting !== undefined ? msg([[1, s.waiting], [2, 'a message']]) : undefined],
    [2, s.running ? msg([[1, time(1_700_000_000)]]) : undefined],
    [3, s.terminated ? msg([[1, s.terminated.exitCode], [2, s.terminated.signal ?? 0], [3, s.terminated.reason ?? ''], [4, 'bye'], [6, time(1_700_000_100)], [7, 'containerd://x']]) : undefined],
  ]);
}

function containerStatus(c: ContainerStatusInput): Buffer {
  return msg([
    [1, c.name],
    [2, state(c)],
    [3, state(c.last ?? {})],
    [4, c.ready ?? false],
    [5, c.restartCount ?? 0],
    [6, 'registry.example/app:1'],
    [9, c.started],
  ]);
}

export function protoPod(p: ProtoPodInput): Buffer {
  const labels = Object.entries({ app: 'x', ...p.labels }).map(([k, v]): [number, Value] => [11, msg([[1, k], [2, v]])]);
  const meta = msg([
    [1, p.name],
    [2, ''],
    [3, p.namespace ?? 'shop'],
    [5, p.uid ?? `uid-${p.name}`],
    [6, p.rv ?? '100'],
    [7, 0],
    [8, time(p.createdSec ?? 1_700_000_000)],
    [9, p.deleting ? time(1_700_000_500) : undefined],
    ...labels,
    [12, msg([[1, 'note'], [2, 'free text']])],
    [13, p.owner ? msg([[1, p.owner.kind], [3, p.owner.name], [4, 'owner-uid'], [5, 'apps/v1'], [6, true], [7, true]]) : undefined],
    // managedFields: an entry with a FieldsV1 blob, skipped by its length
    [17, msg([[1, 'kube-controller-manager'], [2, 'Update'], [3, 'v1'], [7, msg([[1, Buffer.from('{"f:metadata":{"f:labels":{}}}'.repeat(20))]])]])],
  ]);
  const spec = msg([
    ...Array.from({ length: p.containers ?? 1 }, (_, i): [number, Value] => [2, msg([[1, `c${i}`], [2, 'registry.example/app:1'], [3, 'run']])]),
    [3, 'Always'],
    [10, p.nodeName],
    ...(p.initContainers ?? []).map((c): [number, Value] => [20, msg([[1, c.name], [2, 'init:1'], [24, c.restartPolicy]])]),
  ]);
  const status = msg([
    [1, p.phase ?? 'Running'],
    ...(p.conditions ?? []).map((c): [number, Value] => [2, msg([[1, c.type], [2, c.status], [4, time(1_700_000_000)], [5, c.reason ?? ''], [6, '']])]),
    [3, ''],
    [4, p.reason ?? ''],
    [5, '10.0.0.1'],
    [6, p.podIPs?.[0]],
    [7, time(1_700_000_000)],
    ...(p.statuses ?? []).map((c): [number, Value] => [8, containerStatus(c)]),
    [9, 'BestEffort'],
    ...(p.initStatuses ?? []).map((c): [number, Value] => [10, containerStatus(c)]),
    ...(p.podIPs ?? []).map((ip): [number, Value] => [12, msg([[1, ip]])]),
  ]);
  return msg([[1, meta], [2, spec], [3, status]]);
}

/** A whole answer: magic + runtime.Unknown{typeMeta, raw: PodList{metadata, items}}. */
export function protoPodList(pods: ProtoPodInput[], list: { rv?: string; continue?: string; remaining?: number } = {}): Buffer {
  const podList = msg([
    [1, msg([[1, ''], [2, list.rv ?? '100'], [3, list.continue ?? ''], [4, list.remaining]])],
    ...pods.map((p): [number, Value] => [2, protoPod(p)]),
  ]);
  return envelope('PodList', podList);
}

export function envelope(kind: string, raw: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), msg([[1, msg([[1, 'v1'], [2, kind]])], [2, raw], [3, ''], [4, '']])]);
}
