// What the Deployment and StatefulSet controllers do after a rollout restart, at a realistic pace: replace
// the pods started before the restart one at a time (maxUnavailable 1, maxSurge 0), the next one only once
// every desired replica is ready again. The owning controller recreates each deleted pod. A StatefulSet's
// rollback (a new template, objectPatch.ts) is rolled out the same way.
import type { Cluster } from './cluster.js';
import type { Controller } from './controller.js';
import { objectKey } from './store.js';

interface Restart {
  resource: 'deployments' | 'statefulsets';
  key: string;
  at: number;
}

export class RolloutRestarter {
  private readonly active = new Map<string, Restart>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cluster: Cluster,
    private readonly controller: Controller,
  ) {}

  restart(resource: 'deployments' | 'statefulsets', key: string, at: string): void {
    this.active.set(`${resource}/${key}`, { resource, key, at: Date.parse(at) || Date.now() });
    if (!this.timer) {
      this.timer = setInterval(() => this.step(), 500);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private step(): void {
    for (const [id, r] of this.active) {
      const w = r.resource === 'deployments' ? this.cluster.deployments.store.get(r.key) : this.cluster.statefulSets.store.get(r.key);
      if (!w) {
        this.active.delete(id);
        continue;
      }
      const pods = [...this.cluster.pods.store.values()].filter((p) => p.meta.namespace === w.meta.namespace && p.meta.labels?.['app.kubernetes.io/name'] === w.meta.name && p.meta.owners?.length);
      if (pods.some((p) => p.meta.deletionTs !== undefined)) continue;
      // A StatefulSet's rolling update goes from the highest ordinal down; a Deployment's oldest pod first.
      const ordinal = (name: string) => Number(name.slice(w.meta.name.length + 1));
      const old = pods.filter((p) => p.meta.created < r.at).sort((a, b) => (r.resource === 'statefulsets' ? ordinal(b.meta.name) - ordinal(a.meta.name) : a.meta.created - b.meta.created));
      if (old.length === 0) {
        this.active.delete(id);
        continue;
      }
      if (w.status.ready < w.replicas) continue;
      this.controller.deletePod(objectKey(old[0].meta.namespace, old[0].meta.name), undefined);
    }
    if (this.active.size === 0) this.stop();
  }
}
