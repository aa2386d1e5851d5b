import { describeError } from '../errors.js';
import type { ActionGate } from '../actions/actionGate.js';
import type { AccessAttributes } from '../actions/accessReview.js';
import { ReadOnlyError } from '../actions/readOnlyGuard.js';
import { getPod } from '../kube/objects.js';
import type { ReadSession } from '../kube/kubeSession.js';
import type { PortForwards } from '../exec/portForwards.js';
import { DialogState } from './dialogState.js';

// Shift-F on a pod, or on a Service (a ready pod behind it, from its EndpointSlices, the Service's
// port mapped to the pod's): the ports to pick from (the containers' declared TCP ports, or the
// Service's), the pod port typed instead if it is not declared, the local port typed or left empty
// (a free one). Enter starts the forward through the gate (read-only refuses before the dialog
// opens; a missing permission is said before anything is typed).

export interface PortChoice {
  /** The pod's port the forward goes to. */
  podPort: number;
  /** `http (container api)`, `service port 80 -> 8080 (http)`. */
  label: string;
}

export interface PortForwardDialogState {
  context: string;
  namespace: string;
  /** The pod the forward goes to (once known). */
  pod?: string;
  /** `Service cart/cart-api`: how the pod was chosen. */
  via?: string;
  phase: 'loading' | 'pick' | 'starting';
  choices: PortChoice[];
  selected: number;
  field: 'pod' | 'local';
  podPort: string;
  localPort: string;
  note?: string;
}

type Json = Record<string, unknown>;
interface ServiceJson { spec?: { ports?: Array<{ name?: string; port: number; targetPort?: number | string; protocol?: string }> } }
interface SliceJson { ports?: Array<{ name?: string; port?: number; protocol?: string }>; endpoints?: Array<{ conditions?: { ready?: boolean; terminating?: boolean }; targetRef?: { kind?: string; name?: string } }> }

/** The declared TCP ports of a pod's containers. */
export function podPortChoices(pod: { spec?: Json }): PortChoice[] {
  const containers = ((pod.spec?.containers as Array<{ name: string; ports?: Array<{ name?: string; containerPort: number; protocol?: string }> }> | undefined) ?? []);
  return containers.flatMap((c) => (c.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => ({ podPort: p.containerPort, label: `${p.name ? `${p.name}, ` : ''}container ${c.name}` })));
}

/**
 * A ready pod behind a Service and the Service's ports mapped to that pod's: EndpointSlice ports
 * carry the resolved target port under the Service port's name (a named targetPort differs per pod).
 */
export function servicePortChoices(svc: ServiceJson, slices: SliceJson[]): { pod?: string; choices: PortChoice[] } {
  const ready = slices.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false && !e.conditions?.terminating && e.targetRef?.kind === 'Pod' && e.targetRef.name).map((e) => ({ pod: e.targetRef!.name!, ports: s.ports ?? [] })));
  const first = ready[0];
  if (!first) return { choices: [] };
  const choices = (svc.spec?.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').flatMap((p): PortChoice[] => {
    const slicePort = first.ports.find((sp) => (sp.name ?? '') === (p.name ?? ''));
    const target = slicePort?.port ?? (typeof p.targetPort === 'number' ? p.targetPort : typeof p.targetPort === 'string' ? undefined : p.port);
    return target ? [{ podPort: target, label: `service port ${p.port}${p.name ? ` (${p.name})` : ''} -> pod port ${target}` }] : [];
  });
  return { pod: first.pod, choices };
}

const validPort = (text: string) => /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;

export interface PortForwardDialogDeps {
  forwards: PortForwards;
  say(text: string, level?: 'info' | 'warn' | 'error'): void;
}

export class PortForwardDialogStore extends DialogState<PortForwardDialogState> {
  private gate: ActionGate | undefined;
  private generation = 0;

  constructor(private readonly deps: PortForwardDialogDeps) {
    super();
  }

  /** Read-only refuses here, audited, before any dialog; true when it may open. */
  private writable(gate: ActionGate, namespace: string, name: string, kind: string): boolean {
    try {
      gate.assertWritable('port-forward');
      return true;
    } catch (err) {
      if (err instanceof ReadOnlyError) void gate.note([gate.record({ action: 'port-forward', target: { namespace, kind, name } }, `refused: read-only (${err.why === 'flag' ? '--readonly' : 'config'})`)]).catch(() => undefined);
      this.deps.say(describeError(err), 'error');
      return false;
    }
  }

  private begin(gate: ActionGate, namespace: string, via?: string): number {
    this.gate = gate;
    this.replace({ context: gate.session.contextName, namespace, via, phase: 'loading', choices: [], selected: 0, field: 'pod', podPort: '', localPort: '' });
    return ++this.generation;
  }

  private async access(gate: ActionGate, namespace: string, pod: string): Promise<string | undefined> {
    const attrs = (verb: string): AccessAttributes => ({ verb, group: '', resource: 'pods', subresource: 'portforward', namespace, name: pod });
    // `get` up to 1.34 for a WebSocket upgrade, `create` where AuthorizePodWebsocketUpgradeCreatePermission is on: either may do.
    const [create, get] = await Promise.all([gate.canI(attrs('create')), gate.canI(attrs('get'))]);
    if (create.allowed || get.allowed) return undefined;
    return `port-forward forbidden: user ${gate.session.user || '?'} may not create pods/portforward ${pod} in ${namespace}${create.reason ? ` (${create.reason})` : ''}`;
  }

  private loaded(generation: number, pod: string, choices: PortChoice[], note?: string): void {
    const s = this.state;
    if (!s || generation !== this.generation) return;
    const first = choices[0]?.podPort;
    this.replace({ ...s, pod, phase: 'pick', choices, selected: 0, podPort: first ? String(first) : '', localPort: first && first > 1024 ? String(first) : '', note: note ?? (choices.length ? undefined : 'no declared TCP port: type the pod port') });
  }

  private failed(generation: number, err: unknown): void {
    const s = this.state;
    if (s && generation === this.generation) this.replace({ ...s, phase: 'pick', note: describeError(err) });
  }

  openPod(gate: ActionGate, namespace: string, pod: string): void {
    if (!this.writable(gate, namespace, pod, 'Pod')) return;
    const generation = this.begin(gate, namespace);
    void Promise.all([this.access(gate, namespace, pod), getPod(gate.session, namespace, pod)]).then(
      ([denied, obj]) => (denied ? this.failed(generation, new Error(denied)) : this.loaded(generation, pod, podPortChoices(obj))),
      (err: unknown) => this.failed(generation, err),
    );
  }

  openService(gate: ActionGate, namespace: string, service: string): void {
    if (!this.writable(gate, namespace, service, 'Service')) return;
    const via = `Service ${namespace}/${service}`;
    const generation = this.begin(gate, namespace, via);
    void readService(gate.session, namespace, service).then(
      async ({ pod, choices }) => {
        if (!pod) return this.failed(generation, new Error(`${via} has no ready pod behind it (its EndpointSlices list none)`));
        const denied = await this.access(gate, namespace, pod);
        if (denied) return this.failed(generation, new Error(denied));
        this.loaded(generation, pod, choices, `pod ${pod}, ready, behind ${via}`);
      },
      (err: unknown) => this.failed(generation, err),
    );
  }

  /** ↑/↓: the next declared port (fills the pod port, and the local one when it was the same). */
  move(by: number): void {
    const s = this.state;
    if (!s || s.phase !== 'pick' || s.choices.length === 0) return;
    const selected = (s.selected + by + s.choices.length) % s.choices.length;
    const port = s.choices[selected].podPort;
    const sameLocal = s.localPort === s.podPort;
    this.replace({ ...s, selected, podPort: String(port), localPort: sameLocal ? (port > 1024 ? String(port) : '') : s.localPort, note: undefined });
  }

  switchField(): void {
    const s = this.state;
    if (s?.phase === 'pick') this.replace({ ...s, field: s.field === 'pod' ? 'local' : 'pod' });
  }

  type(text: string): void {
    const s = this.state;
    if (!s || s.phase !== 'pick') return;
    const digits = text.replace(/\D/g, '');
    if (!digits) return;
    const key = s.field === 'pod' ? 'podPort' : 'localPort';
    this.replace({ ...s, [key]: (s[key] + digits).slice(0, 5), note: undefined });
  }

  backspace(): void {
    const s = this.state;
    if (!s || s.phase !== 'pick') return;
    const key = s.field === 'pod' ? 'podPort' : 'localPort';
    this.replace({ ...s, [key]: s[key].slice(0, -1), note: undefined });
  }

  enter(): void {
    const s = this.state;
    const gate = this.gate;
    if (!s || !gate || s.phase !== 'pick') return;
    if (!s.pod) return;
    if (!validPort(s.podPort)) return this.replace({ ...s, field: 'pod', note: 'type the pod port (1-65535)' });
    if (s.localPort !== '' && !validPort(s.localPort)) return this.replace({ ...s, field: 'local', note: 'the local port is 1-65535, or empty for a free one' });
    const spec = { context: s.context, namespace: s.namespace, pod: s.pod, podPort: Number(s.podPort), localPort: s.localPort ? Number(s.localPort) : 0, ...(s.via ? { via: s.via } : {}) };
    this.replace({ ...s, phase: 'starting', note: undefined });
    const generation = this.generation;
    this.deps.forwards.start(gate, spec).then(
      (row) => {
        if (generation === this.generation) this.replace(undefined);
        this.deps.say(`forwarding 127.0.0.1:${row.localPort} -> ${spec.namespace}/${spec.pod}:${spec.podPort} (audited; :pf lists and stops it)`);
      },
      (err: unknown) => {
        const cur = this.state;
        if (cur && generation === this.generation) this.replace({ ...cur, phase: 'pick', note: describeError(err) });
      },
    );
  }

  escape(): void {
    this.generation++;
    this.replace(undefined);
  }
}

async function readService(session: ReadSession, namespace: string, name: string): Promise<{ pod?: string; choices: PortChoice[] }> {
  const ns = encodeURIComponent(namespace);
  const [svc, slices] = await Promise.all([
    session.getJson<ServiceJson>(`/api/v1/namespaces/${ns}/services/${encodeURIComponent(name)}`),
    session.getJson<{ items: SliceJson[] }>(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, { labelSelector: `kubernetes.io/service-name=${name}` }),
  ]);
  return servicePortChoices(svc, slices.items);
}
