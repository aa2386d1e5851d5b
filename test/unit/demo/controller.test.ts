// The simulated control plane, driven with a fake clock: owners replace pods, scale follows, deletion is graceful.
import { beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/demo/cluster.js';
import { Controller } from '../../../src/demo/controller.js';
import type { PodRecord } from '../../../src/demo/records.js';
import { buildScenario } from '../../../src/demo/scenario.js';
import { objectKey } from '../../../src/demo/store.js';

let now: number;
let cluster: Cluster;
let controller: Controller;

function run(ms: number): void {
  for (let t = 0; t < ms; t += 100) {
    now += 100;
    controller.tick();
  }
}

const podsOf = (ownerUid: string): PodRecord[] => [...cluster.pods.store.values()].filter((p) => p.meta.owners?.[0]?.uid === ownerUid);

beforeEach(() => {
  now = Date.UTC(2026, 0, 1);
  cluster = new Cluster({ windowMs: 600_000, maxEvents: 100_000, now: () => now });
  controller = new Controller(cluster, { churn: false, seed: 7, maxEvents: 500, now: () => now });
  controller.bootstrap(buildScenario(7, 300));
});

function firstHealthyDeployment() {
  const d = [...cluster.deployments.store.values()].find((x) => x.replicas >= 3 && x.status.ready === x.replicas)!;
  const rs = [...cluster.replicaSets.store.values()].find((r) => r.meta.owners?.[0]?.uid === d.meta.uid && r.replicas > 0)!;
  return { d, rs, key: objectKey(d.meta.namespace, d.meta.name) };
}

describe('bootstrap', () => {
  it('creates exactly the requested pods and consistent workload statuses', () => {
    expect(cluster.pods.store.size).toBe(300);
    expect(cluster.deployments.store.size).toBeGreaterThan(0);
    const ofReplicaSets = [...cluster.pods.store.values()].filter((p) => p.meta.owners?.[0]?.kind === 'ReplicaSet');
    expect(ofReplicaSets.length).toBeGreaterThan(0);
    for (const d of cluster.deployments.store.values()) {
      expect(d.status.replicas).toBe(d.replicas);
      expect(d.status.ready).toBeLessThanOrEqual(d.replicas);
    }
    for (const p of cluster.pods.store.values()) {
      if (p.meta.owners?.[0]?.kind === 'ReplicaSet') expect(p.meta.name.startsWith(`${p.meta.owners[0].name}-`)).toBe(true);
      if (p.meta.owners?.[0]?.kind === 'ReplicaSet') expect(p.meta.labels?.['pod-template-hash']).toBe(p.meta.owners[0].name.split('-').pop());
    }
  });
});

describe('controller', () => {
  it('a deleted ReplicaSet pod turns Terminating, a replacement goes Pending -> ContainerCreating -> Running, the old one disappears', () => {
    const { d, rs, key } = firstHealthyDeployment();
    const victim = podsOf(rs.meta.uid)[0];
    const victimKey = objectKey(victim.meta.namespace, victim.meta.name);
    const deleted = controller.deletePod(victimKey, undefined)!;
    expect(deleted.meta.deletionTs).toBe(now + 30_000);
    expect(deleted.meta.deletionGrace).toBe(30);
    run(100);
    const replacement = podsOf(rs.meta.uid).find((p) => p.meta.deletionTs === undefined && p.stage !== 'Running')!;
    expect(replacement.stage).toBe('Pending');
    expect(replacement.meta.name).toMatch(new RegExp(`^${rs.meta.name}-[a-z0-9]{5}$`));
    expect(cluster.deployments.store.get(key)!.status.ready).toBe(d.replicas - 1);
    run(1000);
    expect(['ContainerCreating', 'Running']).toContain(cluster.pods.store.get(objectKey(replacement.meta.namespace, replacement.meta.name))!.stage);
    run(6000);
    expect(cluster.pods.store.has(victimKey)).toBe(false);
    const after = cluster.pods.store.get(objectKey(replacement.meta.namespace, replacement.meta.name))!;
    expect(after.stage).toBe('Running');
    expect(after.ready).toBe(true);
    expect(after.nodeName).toBeTruthy();
    expect(cluster.deployments.store.get(key)!.status.ready).toBe(d.replicas);
    const reasons = [...cluster.events.store.values()].filter((e) => e.involved.uid === replacement.meta.uid).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Scheduled', 'Pulled', 'Created', 'Started']));
    expect([...cluster.events.store.values()].some((e) => e.involved.uid === victim.meta.uid && e.reason === 'Killing')).toBe(true);
  });

  it('scaling a Deployment adds and removes pods and the status follows', () => {
    const { d, rs, key } = firstHealthyDeployment();
    controller.scale('deployments', key, d.replicas + 2);
    run(8000);
    expect(podsOf(rs.meta.uid).filter((p) => p.stage === 'Running' && p.ready)).toHaveLength(d.replicas + 2);
    expect(cluster.deployments.store.get(key)!.status).toMatchObject({ replicas: d.replicas + 2, ready: d.replicas + 2, available: d.replicas + 2 });
    controller.scale('deployments', key, 1);
    run(200);
    expect(podsOf(rs.meta.uid).filter((p) => p.meta.deletionTs !== undefined)).toHaveLength(d.replicas + 1);
    run(5000);
    expect(podsOf(rs.meta.uid)).toHaveLength(1);
    expect(cluster.deployments.store.get(key)!.status).toMatchObject({ replicas: 1, ready: 1 });
    expect(cluster.replicaSets.store.get(objectKey(rs.meta.namespace, rs.meta.name))!.replicas).toBe(1);
  });

  it('a StatefulSet recreates a deleted pod under the same name once the old one is gone', () => {
    const sts = [...cluster.statefulSets.store.values()][0];
    const key = objectKey(sts.meta.namespace, `${sts.meta.name}-0`);
    const uid = cluster.pods.store.get(key)!.meta.uid;
    controller.deletePod(key, undefined);
    run(500);
    expect(cluster.pods.store.get(key)!.meta.uid).toBe(uid);
    run(8000);
    const again = cluster.pods.store.get(key)!;
    expect(again.meta.uid).not.toBe(uid);
    expect(again.stage).toBe('Running');
  });

  it('deleting a Deployment removes its ReplicaSets and pods', () => {
    const { d, rs, key } = firstHealthyDeployment();
    controller.deleteDeployment(key);
    run(5000);
    expect(cluster.deployments.store.has(key)).toBe(false);
    expect(cluster.replicaSets.store.has(objectKey(rs.meta.namespace, rs.meta.name))).toBe(false);
    expect(podsOf(rs.meta.uid)).toHaveLength(0);
    expect(d.meta.uid).toBeTruthy();
  });

  it('a namespace goes Terminating and disappears with everything in it', () => {
    controller.createNamespace('scratch', undefined, undefined);
    controller.createStandalonePod({ name: 'p1', namespace: 'scratch', template: { containers: [{ name: 'c', image: 'i' }], serviceAccountName: 'default', terminationGracePeriodSeconds: 30, restartPolicy: 'Always' } });
    run(4000);
    expect(cluster.pods.store.get('scratch/p1')!.stage).toBe('Running');
    expect(controller.deleteNamespace('scratch')!.phase).toBe('Terminating');
    run(5000);
    expect(cluster.pods.store.has('scratch/p1')).toBe(false);
    expect(cluster.namespaces.store.has('scratch')).toBe(false);
  });

  it('keeps the number of Event objects bounded', () => {
    const { rs } = firstHealthyDeployment();
    for (let i = 0; i < 200; i++) {
      const p = podsOf(rs.meta.uid).find((x) => x.meta.deletionTs === undefined)!;
      controller.deletePod(objectKey(p.meta.namespace, p.meta.name), 0);
      run(300);
    }
    expect(cluster.events.store.size).toBeLessThanOrEqual(500);
  });
});
