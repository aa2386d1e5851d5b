import type { KubeRequestOptions, KubeResponse, KubeSession } from '../../../src/platform/kube/kubeSession.js';

// An in-memory scale subresource behind the KubeSession interface: enough for unit tests of
// preview/apply (dry-run, resourceVersion conflicts, forbidden names) without a server.

export interface FakeWorkload {
  replicas: number;
  rv: number;
  selector?: string;
}

export class FakeScaleApi {
  readonly objects = new Map<string, FakeWorkload>();
  readonly requests: Array<{ method: string; path: string; dryRun: boolean; body?: unknown }> = [];
  /** Names whose scale patch is 403. */
  readonly forbidden = new Set<string>();
  /** Called before answering a non-dry-run PATCH (to simulate a concurrent change). */
  beforePatch?: (name: string) => void;
  hpas: unknown[] = [];
  pdbs: unknown[] = [];

  add(ns: string, name: string, replicas: number, selector = `app=${name}`): void {
    this.objects.set(`${ns}/${name}`, { replicas, rv: 1, selector });
  }

  session(context = 'test-ctx', user = 'test-user'): KubeSession {
    const request = async (method: string, path: string, opts: KubeRequestOptions = {}): Promise<KubeResponse> => this.handle(method, path, opts);
    const postReadOnly = (_purpose: string, path: string, opts: KubeRequestOptions = {}) => request('POST', path, opts);
    return { contextName: context, clusterName: 'c', server: 'https://fake', user, request, postReadOnly } as unknown as KubeSession;
  }

  private json(status: number, body: unknown): KubeResponse {
    return { status, headers: { 'content-type': 'application/json' }, body };
  }

  private handle(method: string, path: string, opts: KubeRequestOptions): KubeResponse {
    const dryRun = opts.query?.dryRun === 'All';
    this.requests.push({ method, path, dryRun, body: opts.body });
    if (path.endsWith('/selfsubjectaccessreviews')) return this.json(201, { status: { allowed: true } });
    if (path.endsWith('/horizontalpodautoscalers')) return this.json(200, { items: this.hpas });
    if (path.endsWith('/poddisruptionbudgets')) return this.json(200, { items: this.pdbs });
    const h = /\/namespaces\/([^/]+)\/horizontalpodautoscalers\/([^/]+)$/.exec(path);
    if (h && method === 'PATCH') {
      const hpa = (this.hpas as Array<{ metadata: { name: string }; spec: { minReplicas: number; maxReplicas: number } }>).find((x) => x.metadata.name === h[2]);
      if (!hpa) return this.json(404, { message: 'not found' });
      const spec = (opts.body as { spec: { minReplicas: number; maxReplicas: number } }).spec;
      if (!dryRun) Object.assign(hpa.spec, spec);
      return this.json(200, { ...hpa, spec: { ...hpa.spec, ...spec } });
    }
    const m = /\/namespaces\/([^/]+)\/deployments\/([^/]+)\/scale$/.exec(path);
    if (!m) return this.json(404, { message: 'not found' });
    const [, ns, name] = m;
    const o = this.objects.get(`${ns}/${name}`);
    if (!o) return this.json(404, { reason: 'NotFound', message: `deployments.apps "${name}" not found` });
    const scale = () => ({ metadata: { name, namespace: ns, resourceVersion: String(o.rv), uid: `uid-${name}` }, spec: { replicas: o.replicas }, status: { replicas: o.replicas, selector: o.selector } });
    if (method === 'GET') return this.json(200, scale());
    if (this.forbidden.has(name)) return this.json(403, { reason: 'Forbidden', message: `deployments.apps "${name}" is forbidden: User "test-user" cannot patch resource "deployments/scale"` });
    const body = opts.body as { spec: { replicas: number }; metadata?: { resourceVersion?: string } };
    if (!dryRun) this.beforePatch?.(name);
    if (body.metadata?.resourceVersion && body.metadata.resourceVersion !== String(o.rv)) {
      return this.json(409, { reason: 'Conflict', message: 'the object has been modified; please apply your changes to the latest version and try again' });
    }
    if (dryRun) return this.json(200, { ...scale(), spec: { replicas: body.spec.replicas } });
    o.replicas = body.spec.replicas;
    o.rv++;
    return this.json(200, scale());
  }

  mutations(): number {
    return this.requests.filter((r) => r.method !== 'GET' && !r.dryRun && !r.path.endsWith('selfsubjectaccessreviews')).length;
  }
}
