import { stringify } from 'yaml';
import type { KubeObject } from '../../platform/kube/objects.js';
import type { EventRow } from '../../platform/kube/rows.js';
import type { ObjectDetail } from '../../platform/stores/objectDetailStore.js';
import { sanitize } from '../../platform/text/sanitize.js';
import { formatAge } from '../format.js';
import type { DetailLine } from './podDetailLines.js';
import { glyphs } from '../../terminal/glyphs.js';

// Any object as lines for the YAML and describe panes. Everything from the cluster is
// sanitised here, once, before it reaches the screen; a Secret's values are never shown.

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const str = (v: unknown, max = 400): string => sanitize(v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v), { maxLength: max });

/** A Secret's data and stringData as `<hidden: 24 bytes>`: a war room shares screens. */
function withoutSecrets(o: KubeObject): KubeObject {
  if (o.kind !== 'Secret') return o;
  const hide = (m: unknown) => Object.fromEntries(Object.entries(obj(m)).map(([k, v]) => [k, `<hidden: ${typeof v === 'string' ? Buffer.from(v, 'base64').length : 0} bytes>`]));
  return { ...o, ...(o.data ? { data: hide(o.data) } : {}), ...(o.stringData ? { stringData: hide(o.stringData) } : {}) };
}

/** The state of the read, when there is nothing (yet) to show. */
function placeholder(d: ObjectDetail): DetailLine[] | undefined {
  const what = `${d.ref.kind.toLowerCase()} ${d.ref.namespace ? `${d.ref.namespace}/` : ''}${d.ref.name}`;
  if (d.state === 'loading') return [{ text: `loading ${what} ...`, style: 'dim' }];
  if (d.state === 'gone') return [{ text: `${what} no longer exists`, style: 'warn' }];
  if (d.state === 'error' && !d.object) return [{ text: `cannot read ${what}: ${str(d.error)}`, style: 'error' }];
  return undefined;
}

function staleLine(d: ObjectDetail, now: number): DetailLine[] {
  return d.state === 'error' ? [{ text: `refresh failed: ${str(d.error)} (showing what was read ${formatAge(d.loadedAt ?? now, now)} ago)`, style: 'warn' }] : [];
}

/** The object as YAML; metadata.managedFields left out unless asked for. */
export function yamlLines(d: ObjectDetail, opts: { managedFields: boolean }, now: number): DetailLine[] {
  const early = placeholder(d);
  if (early) return early;
  const o = withoutSecrets(d.object!);
  const meta = obj(o.metadata);
  const shown = opts.managedFields ? o : { ...o, metadata: { ...meta, managedFields: undefined } };
  const lines: DetailLine[] = [...staleLine(d, now)];
  if (!opts.managedFields && meta.managedFields) lines.push({ text: `# metadata.managedFields hidden (${arr(meta.managedFields).length} entries): m shows them`, style: 'dim' });
  for (const l of stringify(shown, { lineWidth: 0 }).trimEnd().split('\n')) lines.push({ text: sanitize(l) });
  return lines;
}

const LABEL_WIDTH = 16;

class Describe {
  readonly lines: DetailLine[] = [];

  field(label: string, value: string, style?: DetailLine['style'], indent = 0): void {
    this.lines.push({ text: `${' '.repeat(indent)}${`${label}:`.padEnd(LABEL_WIDTH - indent)}${value}`, style });
  }

  /** `label: k=v` then one more pair per line under it; `<none>` for none. */
  pairs(label: string, m: unknown, indent = 0): void {
    const entries = Object.entries(obj(m));
    if (!entries.length) return this.field(label, '<none>', undefined, indent);
    entries.forEach(([k, v], i) => (i === 0 ? this.field(label, `${str(k, 120)}=${str(v, 160)}`, undefined, indent) : this.text(`${' '.repeat(LABEL_WIDTH)}${str(k, 120)}=${str(v, 160)}`)));
  }

  heading(text: string): void {
    this.lines.push({ text: '' }, { text, style: 'heading' });
  }

  text(text: string, style?: DetailLine['style']): void {
    this.lines.push({ text, style });
  }

  /** A small table: the columns padded to their widest cell. */
  table(header: string[], rows: string[][], style?: (row: string[]) => DetailLine['style']): void {
    const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0))));
    const line = (r: string[]) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`;
    this.text(line(header), 'dim');
    for (const r of rows) this.text(line(r), style?.(r));
  }
}

function ago(ts: unknown, now: number): string {
  const t = typeof ts === 'string' ? Date.parse(ts) : NaN;
  return Number.isFinite(t) ? `${str(ts)} (${formatAge(t, now)} ago)` : '<unknown>';
}

/** Containers of a pod or a pod template: image, ports, requests and limits, and a pod's container states. */
function containers(x: Describe, spec: Obj, status?: Obj): void {
  const statuses = new Map(arr(status?.containerStatuses).map((s) => [String(s.name), s]));
  for (const c of arr(spec.containers)) {
    x.text(`  ${str(c.name)}:`);
    x.field('Image', str(c.image), undefined, 4);
    const ports = arr(c.ports).map((p) => `${str(p.containerPort)}/${str(p.protocol ?? 'TCP')}${p.name ? ` (${str(p.name)})` : ''}`);
    x.field('Ports', ports.join(', ') || '<none>', undefined, 4);
    const res = obj(c.resources);
    const q = (m: unknown) => Object.entries(obj(m)).map(([k, v]) => `${k}=${str(v)}`).join(' ') || '<none>';
    x.field('Requests', q(res.requests), undefined, 4);
    x.field('Limits', q(res.limits), undefined, 4);
    const s = statuses.get(String(c.name));
    if (!s) continue;
    const state = obj(s.state);
    const [name, detail] = Object.entries(state)[0] ?? ['unknown', {}];
    const d = obj(detail);
    const why = [d.reason, d.exitCode !== undefined ? `exit ${str(d.exitCode)}` : '', d.message].filter(Boolean).map((v) => str(v, 200)).join(', ');
    x.field('State', `${name[0]?.toUpperCase()}${name.slice(1)}${why ? ` (${why})` : ''}`, name === 'running' ? undefined : name === 'waiting' && /BackOff|Err/.test(String(d.reason)) ? 'error' : 'warn', 4);
    const last = obj(obj(s.lastState).terminated);
    if (last.reason) x.field('Last State', `Terminated (${str(last.reason)}, exit ${str(last.exitCode)}, finished ${str(last.finishedAt)})`, 'dim', 4);
    x.field('Ready', s.ready ? 'True' : 'False', s.ready ? undefined : 'warn', 4);
    x.field('Restarts', str(s.restartCount ?? 0), Number(s.restartCount) > 0 ? 'warn' : undefined, 4);
  }
}

/** What describe adds for the kinds an on-call engineer describes most. */
function kindSections(x: Describe, o: KubeObject, now: number): void {
  const spec = obj(o.spec);
  const status = obj(o.status);
  switch (o.kind) {
    case 'Pod':
      x.field('Node', str(spec.nodeName) || '<none>');
      x.field('Status', `${str(status.phase)}${obj(o.metadata).deletionTimestamp ? ' (Terminating)' : ''}`);
      x.field('IP', str(status.podIP) || '<none>');
      x.field('QoS Class', str(status.qosClass) || '<none>');
      x.heading('Containers');
      containers(x, spec, status);
      return;
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'DaemonSet': {
      const desired = spec.replicas ?? status.desiredNumberScheduled ?? 0;
      const unavailable = Number(status.unavailableReplicas ?? 0);
      x.field('Replicas', `${str(desired)} desired | ${str(status.updatedReplicas ?? 0)} updated | ${str(status.replicas ?? 0)} total | ${str(status.availableReplicas ?? 0)} available | ${str(status.readyReplicas ?? 0)} ready${unavailable ? ` | ${unavailable} unavailable` : ''}`, Number(status.readyReplicas ?? 0) < Number(desired) ? 'warn' : undefined);
      x.pairs('Selector', obj(spec.selector).matchLabels);
      const strategy = obj(spec.strategy ?? spec.updateStrategy);
      if (strategy.type) x.field('Strategy', `${str(strategy.type)}${strategy.rollingUpdate ? ` ${str(strategy.rollingUpdate)}` : ''}`);
      x.heading('Pod Template');
      containers(x, obj(obj(spec.template).spec));
      return;
    }
    case 'Node': {
      x.field('Unschedulable', spec.unschedulable ? 'true' : 'false', spec.unschedulable ? 'warn' : undefined);
      const taints = arr(spec.taints).map((t) => `${str(t.key)}${t.value ? `=${str(t.value)}` : ''}:${str(t.effect)}`);
      if (!taints.length) x.field('Taints', '<none>');
      taints.forEach((t, i) => (i === 0 ? x.field('Taints', t, 'warn') : x.text(`${' '.repeat(LABEL_WIDTH)}${t}`, 'warn')));
      x.field('Addresses', arr(status.addresses).map((a) => `${str(a.type)}=${str(a.address)}`).join(', ') || '<none>');
      x.heading('Capacity / Allocatable');
      const cap = obj(status.capacity);
      const alloc = obj(status.allocatable);
      x.table(['RESOURCE', 'CAPACITY', 'ALLOCATABLE'], Object.keys(cap).map((k) => [k, str(cap[k]), str(alloc[k])]));
      const info = obj(status.nodeInfo);
      x.heading('System Info');
      x.field('Kubelet', str(info.kubeletVersion), undefined, 2);
      x.field('OS Image', str(info.osImage), undefined, 2);
      x.field('Kernel', str(info.kernelVersion), undefined, 2);
      x.field('Runtime', str(info.containerRuntimeVersion), undefined, 2);
      return;
    }
    case 'Service':
      x.field('Type', str(spec.type));
      x.field('IP', str(arr(spec.clusterIPs).join(', ') || spec.clusterIP) || '<none>');
      x.field('Ports', arr(spec.ports).map((p) => `${p.name ? `${str(p.name)} ` : ''}${str(p.port)}${glyphs.to}${str(p.targetPort)}/${str(p.protocol ?? 'TCP')}`).join(', ') || '<none>');
      x.pairs('Selector', spec.selector);
      return;
    case 'Job':
      x.field('Completions', `${str(status.succeeded ?? 0)}/${str(spec.completions ?? 1)}${status.failed ? ` (${str(status.failed)} failed)` : ''}`, status.failed ? 'warn' : undefined);
      x.field('Start Time', ago(status.startTime, now));
      if (status.completionTime) x.field('Completed', ago(status.completionTime, now));
      x.heading('Pod Template');
      containers(x, obj(obj(spec.template).spec));
      return;
    case 'CronJob':
      x.field('Schedule', str(spec.schedule));
      x.field('Suspend', spec.suspend ? 'True' : 'False', spec.suspend ? 'warn' : undefined);
      x.field('Last Schedule', status.lastScheduleTime ? ago(status.lastScheduleTime, now) : '<none>');
      x.field('Active Jobs', arr(status.active).map((a) => str(a.name)).join(', ') || '<none>');
      return;
    case 'Secret':
    case 'ConfigMap': {
      if (o.type) x.field('Type', str(o.type));
      x.heading('Data');
      const data = Object.entries({ ...obj(o.data), ...obj(o.binaryData) });
      if (!data.length) x.text('  <none>', 'dim');
      // A Secret's values are already `<hidden: N bytes>`; a ConfigMap's first line is enough here (the YAML has all).
      for (const [k, v] of data) x.text(`  ${`${str(k, 60)}:`.padEnd(LABEL_WIDTH)} ${str(String(v).split('\n')[0], 200)}`);
      return;
    }
    case 'Event': {
      const io = obj(o.involvedObject);
      x.field('Object', `${str(io.kind)}/${str(io.name)}${io.namespace ? ` in ${str(io.namespace)}` : ''}`);
      x.field('Type', str(o.type), o.type === 'Warning' ? 'warn' : undefined);
      x.field('Reason', str(o.reason));
      x.field('Message', str(o.message, 1000));
      x.field('Count', str(o.count ?? 1));
      x.field('Last Seen', ago(o.lastTimestamp ?? o.eventTime, now));
      return;
    }
    default:
      generic(x, 'Spec', spec);
      generic(x, 'Status', status, ['conditions']);
  }
}

/** Any other kind's spec or status, flattened to `path: value` lines (as much as fits a screen). */
function generic(x: Describe, title: string, value: Obj, skip: string[] = []): void {
  const out: string[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (out.length >= 40) return;
    if (v && typeof v === 'object') {
      const entries = Array.isArray(v) ? v.map((e, i) => [String(i), e] as const) : Object.entries(v as Obj);
      if (depth >= 4 || !entries.length) return void out.push(`${path}: ${str(v, 160)}`);
      for (const [k, e] of entries) walk(e, path ? (Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`) : k, depth + 1);
      return;
    }
    out.push(`${path}: ${str(v, 200)}`);
  };
  for (const [k, v] of Object.entries(value)) if (!skip.includes(k)) walk(v, k, 1);
  if (!out.length) return;
  x.heading(title);
  for (const l of out) x.text(`  ${l}`);
}

/** kubectl describe's `5m (x3 over 1h)`. */
function eventAge(e: EventRow, now: number): string {
  const last = formatAge(e.lastSeen, now);
  return e.count > 1 && e.firstSeen ? `${last} (x${e.count} over ${formatAge(e.firstSeen, now)})` : last;
}

/** The object as kubectl describe shows it: metadata, what the kind's spec and status say, conditions, recent Events. */
export function describeLines(d: ObjectDetail, now: number): DetailLine[] {
  const early = placeholder(d);
  if (early) return early;
  const o = withoutSecrets(d.object!);
  const meta = obj(o.metadata);
  const x = new Describe();
  x.lines.push(...staleLine(d, now));
  x.field('Name', str(meta.name));
  if (meta.namespace) x.field('Namespace', str(meta.namespace));
  x.field('Kind', `${str(o.kind ?? d.ref.kind)} (${str(o.apiVersion ?? (d.ref.group ? `${d.ref.group}/${d.ref.version}` : d.ref.version))})`);
  x.pairs('Labels', meta.labels);
  x.pairs('Annotations', Object.fromEntries(Object.entries(obj(meta.annotations)).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration')));
  x.field('Created', ago(meta.creationTimestamp, now));
  if (meta.deletionTimestamp) x.field('Deleting Since', ago(meta.deletionTimestamp, now), 'warn');
  const owners = arr(meta.ownerReferences).map((r) => `${str(r.kind)}/${str(r.name)}${r.controller ? ' (controller)' : ''}`);
  if (owners.length) x.field('Controlled By', owners.join(', '));
  kindSections(x, o, now);
  const conditions = arr(obj(o.status).conditions);
  if (conditions.length) {
    x.heading('Conditions');
    x.table(
      ['TYPE', 'STATUS', 'REASON', 'SINCE', 'MESSAGE'],
      conditions.map((c) => [str(c.type, 40), str(c.status, 10), str(c.reason, 40), c.lastTransitionTime ? formatAge(Date.parse(String(c.lastTransitionTime)), now) : '', str(c.message, 300)]),
      // A condition whose name says trouble is bad when True; any other is bad when not True.
      (r) => ((/Pressure|Unavailable|Failed|Failure/.test(r[0]) ? r[1] === 'True' : r[1] !== 'True') ? 'warn' : undefined),
    );
  }
  x.heading('Events');
  if (d.eventsProblem) x.text(`  cannot list its events: ${str(d.eventsProblem)}`, 'warn');
  else if (!d.events.length) x.text('  <none>', 'dim');
  else x.table(['TYPE', 'REASON', 'AGE', 'FROM', 'MESSAGE'], d.events.map((e) => [str(e.type), str(e.reason), eventAge(e, now), str(e.source, 40), str(e.message, 400)]), (r) => (r[0] === 'Warning' ? 'warn' : undefined));
  return x.lines;
}
