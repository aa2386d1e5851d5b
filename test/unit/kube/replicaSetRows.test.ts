import { describe, expect, it } from 'vitest';
import { mapReplicaSetRow, mapReplicationControllerRow, replicaSetWatch, replicationControllerWatch } from '../../../src/platform/kube/rowMappers.js';
import { columnIndexOf, type ObjectMeta, type TableColumnDefinition } from '../../../src/platform/kube/tableTypes.js';
import { resourcePath } from '../../../src/platform/kube/tableWatch.js';

// The printer's columns for replicasets and replicationcontrollers (same names, kubectl 1.30).
const defs: TableColumnDefinition[] = ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'].map((name) => ({ name, type: 'string' }));
const columns = columnIndexOf(defs);

function meta(name: string, extra: Partial<ObjectMeta> = {}): ObjectMeta {
  return { name, namespace: 'cart', uid: `uid-${name}`, resourceVersion: '42', creationTimestamp: '2024-05-01T10:00:00Z', ...extra };
}

describe('ReplicaSet and ReplicationController rows', () => {
  it('maps the counts by column name and keeps the controlling owner', () => {
    const row = mapReplicaSetRow(
      ['cart-api-5f7c9', 3, 3, 2, '4d', 'api', 'img', 'app=cart-api'],
      columns,
      meta('cart-api-5f7c9', {
        ownerReferences: [
          { kind: 'Something', name: 'other' },
          { kind: 'Deployment', name: 'cart-api', controller: true },
        ],
      }),
    );
    expect(row).toEqual({
      uid: 'uid-cart-api-5f7c9',
      kind: 'ReplicaSet',
      namespace: 'cart',
      name: 'cart-api-5f7c9',
      owner: 'Deployment/cart-api',
      desired: 3,
      current: 3,
      ready: 2,
      createdAt: Date.parse('2024-05-01T10:00:00Z'),
      resourceVersion: '42',
    });
  });

  it('has no owner for a bare ReplicationController, and reads counts in any column order', () => {
    const reordered = columnIndexOf(['Ready', 'Name', 'Current', 'Desired'].map((name) => ({ name, type: 'integer' })));
    const row = mapReplicationControllerRow([1, 'legacy', '2', 4], reordered, meta('legacy'));
    expect(row).toMatchObject({ kind: 'ReplicationController', owner: '', desired: 4, current: 2, ready: 1 });
  });

  it('watches apps/v1 replicasets and core v1 replicationcontrollers', () => {
    expect(resourcePath({ ...replicaSetWatch.spec, namespace: 'cart' })).toBe('/apis/apps/v1/namespaces/cart/replicasets');
    expect(resourcePath(replicationControllerWatch.spec)).toBe('/api/v1/replicationcontrollers');
  });
});
