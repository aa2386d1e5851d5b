// The demo writes object metadata as text straight from its records (metadataText.ts); it must be byte for
// byte what JSON.stringify makes of the metadata object (metadataJson), for every object the demo serves and
// for the odd values a client can set, and it must follow a change of a shared labels map.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rfc3339 } from '../../../src/demo/duration.js';
import { jsonString, metadataText, partialObjectMetadataText } from '../../../src/demo/metadataText.js';
import { metadataJson } from '../../../src/demo/objectJson.js';
import { startPlatform, type RunningPlatform } from '../../../src/demo/platform.js';
import type { ObjectMeta } from '../../../src/demo/store.js';

const reference = (m: ObjectMeta) => JSON.stringify(metadataJson(m));
const dateBased = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

describe('metadataText', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatform({ pods: 300, seed: 3, churn: false });
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('is JSON.stringify(metadataJson(meta)) for every object of every kind the demo serves', () => {
    let objects = 0;
    for (const served of platform.cluster.all()) {
      for (const obj of served.store.values()) {
        expect(metadataText(obj.meta), `${served.kind.resource} ${obj.meta.namespace}/${obj.meta.name}`).toBe(reference(obj.meta));
        objects++;
      }
    }
    expect(objects).toBeGreaterThan(600);
  });

  it('agrees for every optional field and for names, labels and annotations that need escaping', () => {
    const base: ObjectMeta = { name: 'web-1', namespace: 'shop', uid: 'u-1', rv: 42, created: Date.UTC(2026, 2, 4, 5, 6, 7, 890) };
    const metas: ObjectMeta[] = [
      base,
      { ...base, namespace: '' },
      { ...base, generateName: 'web-', generation: 3, labels: {}, annotations: {}, owners: [], finalizers: [], managers: [] },
      { ...base, deletionTs: base.created + 30_500 },
      { ...base, deletionTs: base.created + 30_000, deletionGrace: 30 },
      { ...base, deletionTs: base.created, deletionGrace: 0, finalizers: ['foregroundDeletion', 'example.com/keep'] },
      { ...base, name: 'quote"back\\slash', uid: 'tab\there', generateName: 'nl\n', namespace: 'ctl\u0001\u001f' },
      { ...base, name: 'unicode-é-日本-\u2028', labels: { 'a"b': 'c\\d', emoji: '\ud83d\ude00', lone: '\ud800x', ctl: '\u0007' } },
      { ...base, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1"}\n' } },
      { ...base, owners: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-1', controller: true, blockOwnerDeletion: true }] },
      { ...base, generation: 1.5, deletionTs: base.created, deletionGrace: Number.NaN },
      { ...base, managers: [{ manager: 'kubectl', operation: 'Update', time: base.created + 999, subresource: 'scale', field: 'replicas' }, { manager: 'warroom', operation: 'Update', time: base.created, field: 'template' }] },
      { ...base, created: -1500 },
      { ...base, created: 0 },
      { ...base, created: Date.UTC(10000, 0, 1) },
    ];
    for (const m of metas) expect(metadataText(m)).toBe(reference(m));
    expect(partialObjectMetadataText(base, 'meta.k8s.io/v1beta1')).toBe(JSON.stringify({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1beta1', metadata: metadataJson(base) }));
  });

  it('writes the new labels after a record is replaced with other labels, the old text for the old record', () => {
    const labels = { app: 'web', tier: 'front' };
    const before: ObjectMeta = { name: 'web-1', namespace: 'shop', uid: 'u', rv: 1, created: 0, labels };
    const beforeText = metadataText(before);
    const after: ObjectMeta = { ...before, rv: 2, labels: { ...labels, tier: 'back' } };
    expect(metadataText(after)).toBe(reference(after));
    expect(metadataText(after)).toContain('"tier":"back"');
    expect(metadataText(before)).toBe(beforeText);
  });
});

describe('jsonString', () => {
  it('is JSON.stringify for plain and escaped strings', () => {
    for (const s of ['', 'plain-name', 'a"b', 'a\\b', '\u0000\u001f\u007f', '\ud800', '\udc00x', '\ud83d\ude00', '\u2028\u2029', 'é日本']) expect(jsonString(s)).toBe(JSON.stringify(s));
  });
});

describe('rfc3339', () => {
  it('is the Date-based RFC 3339 text across days, leap years, midnight and the edges of the 4-digit years', () => {
    const points = [0, 999, 1000, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2100, 2, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), -1, -86_400_001, Date.UTC(1969, 11, 31, 23, 59, 59)];
    for (let t = Date.UTC(2025, 11, 30); t < Date.UTC(2026, 0, 3); t += 3_599_777) points.push(t);
    for (const t of points) expect(rfc3339(t), String(t)).toBe(dateBased(t));
  });
});
