import { describe, expect, it } from 'vitest';
import { podJson } from '../../../src/demo/objectJson.js';
import { podTableRow } from '../../../src/demo/podTableRow.js';
import type { PodRecord, PodStage } from '../../../src/demo/records.js';
import { printPod } from '../../../src/demo/tablePrinters.js';

const template = (containers: number): PodRecord['template'] => ({
  containers: Array.from({ length: containers }, (_, i) => ({ name: i === 0 ? 'app' : `side${i}`, image: `img${i}:1` })),
  serviceAccountName: 'default',
  terminationGracePeriodSeconds: 30,
  restartPolicy: 'Always',
});

// Whole seconds, so the second-precision timestamps in the JSON give the same ages as the record.
const NOW = Math.floor(Date.now() / 1000) * 1000;

function pod(stage: PodStage, over: Partial<PodRecord> = {}): PodRecord {
  const now = NOW;
  return {
    meta: { name: `p-${stage}`, namespace: 'ns', uid: 'u', rv: 1, created: now - 3_700_123 },
    template: template(2),
    stage,
    ready: stage === 'Running',
    restarts: 0,
    nodeName: stage === 'Pending' ? undefined : 'node-1',
    podIP: stage === 'Pending' || stage === 'ContainerCreating' ? undefined : '10.0.0.9',
    hostIP: '10.1.0.1',
    scheduledAt: now - 3_600_000,
    runningSince: now - 3_500_000,
    ...over,
  };
}

describe('pod Table rows', () => {
  const now = NOW;
  const cases: [string, PodRecord, string, string, string][] = [
    ['running', pod('Running'), '2/2', 'Running', '0'],
    ['running, not ready yet', pod('Running', { ready: false }), '0/2', 'Running', '0'],
    ['pending', pod('Pending'), '0/2', 'Pending', '0'],
    ['container creating', pod('ContainerCreating'), '0/2', 'ContainerCreating', '0'],
    ['image pull back-off', pod('ImagePullBackOff'), '0/2', 'ImagePullBackOff', '0'],
    ['crash loop', pod('CrashLoopBackOff', { restarts: 7, lastTerminatedAt: now - 125_000, lastStartedAt: now - 130_000 }), '1/2', 'CrashLoopBackOff', '7 (2m5s ago)'],
    ['just crashed', pod('Error', { restarts: 2, lastTerminatedAt: now - 1000 }), '1/2', 'Error', '2'],
    ['restarted long ago', pod('Running', { restarts: 3, lastTerminatedAt: now - 3 * 86_400_000 - 7_200_000 }), '2/2', 'Running', '3 (3d2h ago)'],
    ['completed', pod('Succeeded', { template: template(1), finishedAt: now - 60_000 }), '0/1', 'Completed', '0'],
    ['failed', pod('Failed', { template: template(1), finishedAt: now - 60_000 }), '0/1', 'Error', '0'],
    ['terminating', pod('Running', { meta: { name: 't', namespace: 'ns', uid: 'u', rv: 3, created: now - 50_000, deletionTs: now + 30_000, deletionGrace: 30 } }), '2/2', 'Terminating', '0'],
    ['completed and deleted stays Completed', pod('Succeeded', { template: template(1), meta: { name: 'c', namespace: 'ns', uid: 'u', rv: 3, created: now - 50_000, deletionTs: now } }), '0/1', 'Completed', '0'],
  ];
  for (const [what, p, ready, status, restarts] of cases) {
    it(`${what}: ${ready} ${status} ${restarts}, identical to printing the full object`, () => {
      const fast = podTableRow(p, now);
      expect(fast.cells.slice(1, 4)).toEqual([ready, status, restarts]);
      expect(fast).toEqual(printPod(podJson(p), now));
    });
  }
});
