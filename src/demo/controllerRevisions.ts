// ControllerRevisions (apps/v1), as the StatefulSet controller keeps them: one per distinct pod
// template of a StatefulSet, named `<statefulset>-<hash of the template>`, `revision` numbering the
// order the templates were used in, `data` the strategic merge patch that restores the template
// (`{"spec":{"template":{"$patch":"replace", ...}}}`), owned by the StatefulSet. A template used
// again (a rollback, `kubectl rollout undo`) renumbers its existing revision as the newest, as the
// controller does, rather than creating a second one.
import { randomUUID } from 'node:crypto';
import type { Cluster } from './cluster.js';
import { ageSince } from './duration.js';
import { ageColumn, column, defineKind, nameColumn, timestamp } from './jsonKinds.js';
import { withManager, type ManagedEntry } from './managedFields.js';
import { metadataJson, templateJson, type Json } from './objectJson.js';
import type { PodTemplate, StatefulSetRecord } from './records.js';
import { objectKey, type Labels, type StoredObject } from './store.js';

export interface ControllerRevisionRecord extends StoredObject {
  readonly revision: number;
  /** The StatefulSet's pod template labels (without controller-revision-hash) and template. */
  readonly podLabels: Labels;
  readonly template: PodTemplate;
}

/** The data a revision holds: the patch that puts its template back. */
export function revisionData(podLabels: Labels, template: PodTemplate): Json {
  return { spec: { template: { $patch: 'replace', ...templateJson(podLabels, template) } } };
}

export const controllerRevisionKind = defineKind<ControllerRevisionRecord>({
  resource: 'controllerrevisions',
  singular: 'controllerrevision',
  kind: 'ControllerRevision',
  group: 'apps',
  version: 'v1',
  namespaced: true,
  columns: [
    nameColumn(),
    column('Controller', 'string', 'Controller of the object'),
    column('Revision', 'string', 'Revision indicates the revision of the state represented by Data.'),
    ageColumn(),
  ],
  // printControllerRevision: the controller as `<kind>.<group>/<name>`, `<none>` without one.
  print: (r: Record<string, any>, now) => {
    const owner = ((r.metadata?.ownerReferences ?? []) as Array<Record<string, any>>).find((o) => o.controller === true);
    const group = owner ? String(owner.apiVersion ?? '').split('/').slice(0, -1).join('/') : '';
    const controller = owner ? `${String(owner.kind).toLowerCase()}${group ? `.${group}` : ''}/${owner.name}` : '<none>';
    return { cells: [r.metadata?.name ?? '', controller, r.revision ?? 0, ageSince(timestamp(r.metadata?.creationTimestamp), now)] };
  },
  toJson: (r) => ({ metadata: metadataJson(r.meta), data: revisionData(r.podLabels, r.template), revision: r.revision }),
});

/** spec.revisionHistoryLimit, as objectJson serves it: the revisions kept besides the current and update ones. */
const REVISION_HISTORY_LIMIT = 10;

/** The StatefulSet controller's write of a revision (its managedFields entry). */
const controllerUpdate = (time: number): ManagedEntry => ({ manager: 'kube-controller-manager', operation: 'Update', time, field: 'revision' });

/** FNV-1a, 32 bits. */
export function fnv32(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** ComputeHash: the FNV-1a hash of the revision's data, its decimal digits safely encoded (rand.SafeEncodeString). */
export function templateHash(podLabels: Labels, template: PodTemplate): string {
  const h = fnv32(JSON.stringify(revisionData(podLabels, template)));
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...String(h)].map((d) => alphabet[d.charCodeAt(0) % alphabet.length]).join('');
}

/** The revisions the StatefulSet controls, oldest first. */
export function revisionsOf(cluster: Cluster, sts: StatefulSetRecord): ControllerRevisionRecord[] {
  const out: ControllerRevisionRecord[] = [];
  for (const [, r] of cluster.controllerRevisions.store.scan(`${sts.meta.namespace}/`, '')) if (r.meta.owners?.[0]?.uid === sts.meta.uid) out.push(r);
  return out.sort((a, b) => a.revision - b.revision);
}

/** A revision of `sts` with this template, created `at` (loaded into the start-up baseline when `load`). */
export function addRevision(cluster: Cluster, sts: StatefulSetRecord, hash: string, template: PodTemplate, revision: number, at: number, load: boolean): void {
  const record: ControllerRevisionRecord = {
    meta: {
      name: `${sts.meta.name}-${hash}`,
      namespace: sts.meta.namespace,
      uid: randomUUID(),
      rv: 0,
      created: at,
      labels: { ...sts.selector, 'controller-revision-hash': hash },
      owners: [{ ...sts.podOwners[0] }],
      managers: [controllerUpdate(at)],
    },
    revision,
    podLabels: sts.podLabels,
    template,
  };
  if (load) cluster.controllerRevisions.store.load(record);
  else cluster.controllerRevisions.store.create(record);
}

/**
 * The StatefulSet now runs `template`: its existing revision with that template becomes the newest
 * (renumbered), else a new one is created. Answers the revision's hash (the pods' label).
 */
export function reviseTemplate(cluster: Cluster, sts: StatefulSetRecord, template: PodTemplate, now: number): string {
  const hash = templateHash(sts.podLabels, template);
  const history = revisionsOf(cluster, sts);
  const newest = history.at(-1);
  const same = history.find((r) => r.meta.name === `${sts.meta.name}-${hash}`) ?? history.find((r) => JSON.stringify(revisionData(r.podLabels, r.template)) === JSON.stringify(revisionData(sts.podLabels, template)));
  if (same) {
    if (same !== newest) cluster.controllerRevisions.store.update(objectKey(same.meta.namespace, same.meta.name), (cur) => ({ ...cur, revision: (newest?.revision ?? 0) + 1, meta: withManager(cur.meta, controllerUpdate(now)) }));
    return same.meta.name.slice(sts.meta.name.length + 1);
  }
  addRevision(cluster, sts, hash, template, (newest?.revision ?? 0) + 1, now, false);
  // spec.revisionHistoryLimit (10): the oldest go, never the one the not yet updated pods run.
  const keep = new Set([hash, sts.current?.hash ?? sts.revisionHash].map((h) => `${sts.meta.name}-${h}`));
  const old = history.filter((r) => !keep.has(r.meta.name));
  for (const r of old.slice(0, Math.max(0, old.length - REVISION_HISTORY_LIMIT))) cluster.controllerRevisions.store.remove(objectKey(r.meta.namespace, r.meta.name));
  return hash;
}

/** The StatefulSet's fields once its template is `template` (revision `hash`): a rolling update from the revision it ran. */
export function revised(sts: StatefulSetRecord, template: PodTemplate, hash: string): Pick<StatefulSetRecord, 'template' | 'revisionHash' | 'current' | 'meta'> {
  const current = sts.current ?? { hash: sts.revisionHash, replicas: sts.status.updated };
  return { template, revisionHash: hash, current: current.hash === hash ? undefined : current, meta: { ...sts.meta, generation: (sts.meta.generation ?? 1) + 1 } };
}
