import { describe, expect, it } from 'vitest';
import { printPod, readPodList } from '../../../src/platform/kube/podProto.js';
import { ProtobufError, readStatus } from '../../../src/platform/kube/protobuf.js';
import { envelope, msg, protoPodList, type ProtoPodInput } from './protoPods.js';

const one = (p: ProtoPodInput) => {
  const page = readPodList(protoPodList([p]));
  expect(page.rows).toHaveLength(1);
  return page.rows[0];
};
const printed = (p: Omit<ProtoPodInput, 'name'>) => {
  const r = one({ name: 'p', ...p });
  return `${r.ready}/${r.total} ${r.status} ${r.restarts}`;
};

describe('protobuf PodList reader', () => {
  it('reads list metadata and the fields of a row, skipping managedFields, annotations and container specs', () => {
    const page = readPodList(
      protoPodList(
        [
          {
            name: 'checkout-7d9f-abcde',
            namespace: 'shop',
            uid: 'u-1',
            rv: '4711',
            createdSec: 1_700_000_000,
            labels: { 'pod-template-hash': '7d9f' },
            owner: { kind: 'ReplicaSet', name: 'checkout-7d9f' },
            nodeName: 'node-3',
            podIPs: ['10.1.2.3', 'fd00::3'],
            containers: 2,
            statuses: [
              { name: 'c0', ready: true, running: true, restartCount: 1 },
              { name: 'c1', ready: true, running: true, restartCount: 2 },
            ],
          },
          { name: 'db-0', owner: { kind: 'StatefulSet', name: 'db' }, phase: 'Pending' },
        ],
        { rv: '5000', continue: 'next-token', remaining: 12_345 },
      ),
    );
    expect(page).toMatchObject({ resourceVersion: '5000', continue: 'next-token', remainingItemCount: 12_345, items: 2 });
    expect(page.rows[0]).toEqual({
      uid: 'u-1',
      namespace: 'shop',
      name: 'checkout-7d9f-abcde',
      ready: 2,
      total: 2,
      status: 'Running',
      restarts: 3,
      createdAt: 1_700_000_000_000,
      node: 'node-3',
      ip: '10.1.2.3',
      appKey: 'Deployment/checkout',
      cluster: '', // a store names it when it takes the row
    });
    expect(page.rows[1]).toMatchObject({ name: 'db-0', appKey: 'StatefulSet/db', status: 'Pending', node: '', ip: '', ready: 0, total: 1 });
  });

  // Expected values follow printPod in kubernetes pkg/printers/internalversion/printers.go (v1.34).
  it('computes READY, STATUS and RESTARTS as the server-side pod printer does', () => {
    expect(printed({ containers: 2, statuses: [{ name: 'c0', running: true, ready: true }, { name: 'c1', waiting: 'CrashLoopBackOff', restartCount: 4 }] })).toBe(
      '1/2 CrashLoopBackOff 4',
    );
    expect(printed({ phase: 'Pending' })).toBe('0/1 Pending 0');
    expect(printed({ phase: 'Failed', reason: 'Evicted' })).toBe('0/1 Evicted 0');
    expect(printed({ statuses: [{ name: 'c0', terminated: { exitCode: 137 } }] })).toBe('0/1 ExitCode:137 0');
    expect(printed({ statuses: [{ name: 'c0', terminated: { exitCode: 0, signal: 9 } }] })).toBe('0/1 Signal:9 0');
    expect(printed({ phase: 'Succeeded', statuses: [{ name: 'c0', terminated: { exitCode: 0, reason: 'Completed' } }] })).toBe('0/1 Completed 0');
    // Scheduling gates.
    expect(printed({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] })).toBe('0/1 SchedulingGated 0');
  });

  it('init containers: the first unfinished one names the status; sidecars count as containers', () => {
    const inits = [{ name: 'i0' }, { name: 'i1' }];
    expect(printed({ phase: 'Pending', initContainers: inits, initStatuses: [{ name: 'i0', terminated: { exitCode: 0 } }, { name: 'i1', waiting: 'PodInitializing' }] })).toBe(
      '0/1 Init:1/2 0',
    );
    expect(printed({ phase: 'Pending', initContainers: inits, initStatuses: [{ name: 'i0', waiting: 'ImagePullBackOff', restartCount: 2 }] })).toBe('0/1 Init:ImagePullBackOff 2');
    expect(printed({ phase: 'Pending', initContainers: inits, initStatuses: [{ name: 'i0', terminated: { exitCode: 3, reason: 'Error' } }] })).toBe('0/1 Init:Error 0');
    // A negative exit code is a 10-byte varint on the wire.
    expect(printed({ phase: 'Pending', initContainers: inits, initStatuses: [{ name: 'i0', terminated: { exitCode: -1 } }] })).toBe('0/1 Init:ExitCode:-1 0');
    expect(printed({ phase: 'Pending', initContainers: inits, initStatuses: [{ name: 'i0', terminated: { exitCode: 1, signal: 15 } }] })).toBe('0/1 Init:Signal:15 0');
    // A sidecar (restartPolicy Always) started: counted in READY and in the total, its restarts kept.
    expect(
      printed({
        initContainers: [{ name: 'proxy', restartPolicy: 'Always' }],
        initStatuses: [{ name: 'proxy', started: true, ready: true, running: true, restartCount: 2 }],
        conditions: [{ type: 'Initialized', status: 'True' }],
        statuses: [{ name: 'c0', ready: true, running: true, restartCount: 1 }],
      }),
    ).toBe('2/2 Running 3');
  });

  it('a finished container beside a running one, Terminating and NodeLost', () => {
    const statuses = [
      { name: 'c0', terminated: { exitCode: 0, reason: 'Completed' } },
      { name: 'c1', ready: true, running: true },
    ];
    expect(printed({ containers: 2, statuses, conditions: [{ type: 'Ready', status: 'True' }] })).toBe('1/2 Running 0');
    expect(printed({ containers: 2, statuses, conditions: [{ type: 'Ready', status: 'False' }] })).toBe('1/2 NotReady 0');
    expect(printed({ deleting: true, statuses: [{ name: 'c0', ready: true, running: true }] })).toBe('1/1 Terminating 0');
    // The printer says Unknown for a pod of a lost node being deleted, and keeps a finished pod's status...
    const facts = { phase: 'Running', reason: 'NodeLost', containers: 1, initContainers: new Map(), initContainerCount: 0, initStatuses: [], statuses: [], conditions: [], deleting: true };
    expect(printPod(facts).status).toBe('Unknown');
    expect(printPod({ ...facts, phase: 'Succeeded', reason: '' }).status).toBe('Succeeded');
    // ...and a row, from a Table or from protobuf alike (mapPodRow), shows any pod being deleted as Terminating.
    expect(printed({ deleting: true, reason: 'NodeLost', statuses: [{ name: 'c0', ready: true, running: true }] })).toBe('1/1 Terminating 0');
  });

  it('sanitises status text from the cluster', () => {
    expect(one({ name: 'p', statuses: [{ name: 'c0', waiting: 'Bad\x1b]0;pwned\x07Reason' }] }).status).not.toMatch(/[\x00-\x1f]/);
  });

  it('refuses what is not a PodList, and reads a protobuf Status', () => {
    expect(() => readPodList(Buffer.from('{"kind":"PodList"}'))).toThrow(ProtobufError);
    expect(() => readPodList(envelope('Table', msg([])))).toThrow(/expected a PodList, got Table/);
    const truncated = protoPodList([{ name: 'p' }]);
    expect(() => readPodList(truncated.subarray(0, truncated.length - 7))).toThrow(ProtobufError);
    const status = envelope('Status', msg([[2, 'Failure'], [3, 'the provided continue parameter is too old'], [4, 'Expired'], [6, 410]]));
    expect(readStatus(status)).toEqual({ kind: 'Status', status: 'Failure', message: 'the provided continue parameter is too old', reason: 'Expired', code: 410 });
  });
});
