import type { EventRow } from '../kube/rows.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { ObjectDetailStore, type ObjectDetail } from './objectDetailStore.js';

// The full pod object and its recent events, read on demand for the pod detail view (the
// tables keep only compact rows) and re-read every few seconds while it is open: the object
// detail of one pod, in the shape the pod detail page reads.

export interface PodDetail {
  namespace: string;
  name: string;
  state: 'loading' | 'ready' | 'gone' | 'error';
  pod?: Record<string, unknown>;
  events: EventRow[];
  error?: string;
  loadedAt?: number;
}

export class PodDetailStore {
  private readonly objects: ObjectDetailStore;
  private cache: { from: ObjectDetail; detail: PodDetail } | undefined;

  constructor(session: () => ReadSession, refreshMs = 5000) {
    this.objects = new ObjectDetailStore(session, refreshMs);
  }

  subscribe = (l: () => void) => this.objects.subscribe(l);

  getSnapshot = (): PodDetail | undefined => {
    const d = this.objects.getSnapshot();
    if (!d) return undefined;
    if (this.cache?.from !== d) {
      this.cache = { from: d, detail: { namespace: d.ref.namespace ?? '', name: d.ref.name, state: d.state, pod: d.object, events: d.events, error: d.error, loadedAt: d.loadedAt } };
    }
    return this.cache.detail;
  };

  open(namespace: string, name: string): void {
    this.objects.open({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespace, name });
  }

  close(): void {
    this.objects.close();
  }
}
