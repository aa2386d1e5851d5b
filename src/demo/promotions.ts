// A CustomResourceDefinition and its objects, as a platform team would add one: `promotions.shop.example`
// (kind Promotion, short name promo) with a few promotions per critical system. The CRD itself prints as the
// apiextensions server's default table (Name, Created At); its objects print their additionalPrinterColumns as
// the custom resource table convertor does (a `date` column as an age, a missing value as null).
import { randomUUID } from 'node:crypto';
import type { Cluster } from './cluster.js';
import { humanDuration, rfc3339 } from './duration.js';
import { column, CREATED_DESCRIPTION, jsonKind, nameColumn, timestamp, type JsonRecord } from './jsonKinds.js';
import type { Json } from './objectJson.js';

// Printers walk loosely typed Kubernetes JSON.
type AnyJson = Record<string, any>;

export const crdKind = jsonKind({
  resource: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  kind: 'CustomResourceDefinition',
  group: 'apiextensions.k8s.io',
  version: 'v1',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  subresources: ['status'],
  columns: [nameColumn(), column('Created At', 'date', CREATED_DESCRIPTION)],
  print: (c: AnyJson) => ({ cells: [c.metadata?.name ?? '', rfc3339(timestamp(c.metadata?.creationTimestamp) ?? 0)] }),
});

export const PROMOTION_GROUP = 'shop.example';

const PRINTER_COLUMNS = [
  { name: 'Phase', type: 'string', description: 'Where the promotion is: Scheduled, Active, Completed.', jsonPath: '.status.phase' },
  { name: 'Window', type: 'string', description: 'When the promotion runs.', jsonPath: '.spec.window' },
  { name: 'Peak', type: 'integer', description: 'Expected traffic at the peak, as a multiple of a normal day.', jsonPath: '.spec.peakFactor' },
  { name: 'Age', type: 'date', description: CREATED_DESCRIPTION, jsonPath: '.metadata.creationTimestamp' },
];

export const promotionKind = jsonKind({
  resource: 'promotions',
  singular: 'promotion',
  kind: 'Promotion',
  group: PROMOTION_GROUP,
  version: 'v1',
  namespaced: true,
  shortNames: ['promo'],
  categories: ['shop'],
  subresources: ['status'],
  columns: [nameColumn(), ...PRINTER_COLUMNS.map((c) => column(c.name, c.type, c.description))],
  // The custom resource table convertor: strings as printed, integers as numbers, dates as ages, absent as null.
  print: (p: AnyJson, now) => {
    const created = timestamp(p.metadata?.creationTimestamp);
    return { cells: [p.metadata?.name ?? '', p.status?.phase ?? null, p.spec?.window ?? null, p.spec?.peakFactor ?? null, created === undefined ? null : humanDuration(now - created)] };
  },
});

function crdJson(created: number): Json {
  const str = { type: 'string' };
  return {
    spec: {
      group: PROMOTION_GROUP,
      names: { plural: 'promotions', singular: 'promotion', kind: 'Promotion', listKind: 'PromotionList', shortNames: ['promo'], categories: ['shop'] },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { window: str, peakFactor: { type: 'integer' }, systems: { type: 'array', items: str } } }, status: { type: 'object', properties: { phase: str } } } } },
          subresources: { status: {} },
          additionalPrinterColumns: PRINTER_COLUMNS,
        },
      ],
      conversion: { strategy: 'None' },
    },
    status: {
      conditions: [
        { type: 'NamesAccepted', status: 'True', lastTransitionTime: rfc3339(created), reason: 'NoConflicts', message: 'no conflicts found' },
        { type: 'Established', status: 'True', lastTransitionTime: rfc3339(created), reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
      ],
      acceptedNames: { plural: 'promotions', singular: 'promotion', kind: 'Promotion', listKind: 'PromotionList', shortNames: ['promo'], categories: ['shop'] },
      storedVersions: ['v1'],
    },
  };
}

/** Loads the CRD and its promotions (part of the start-up baseline). */
export function loadPromotions(cluster: Cluster): void {
  const now = Date.now();
  const created = now - 120 * 86_400_000;
  cluster.crds.store.load({ meta: { name: `promotions.${PROMOTION_GROUP}`, namespace: '', uid: randomUUID(), rv: 0, created, generation: 1 }, body: crdJson(created) } satisfies JsonRecord);
  const promo = (namespace: string, name: string, window: string, peakFactor: number, phase: string, ageDays: number) => {
    if (!cluster.namespaces.store.get(namespace)) return;
    cluster.promotions.store.load({
      meta: { name, namespace, uid: randomUUID(), rv: 0, created: now - ageDays * 86_400_000, generation: 1, labels: { 'shop.example/campaign': name } },
      body: { spec: { window, peakFactor, systems: [namespace] }, status: { phase } },
    } satisfies JsonRecord);
  };
  promo('trade', 'black-friday', 'Fri 06:00-23:59 CET', 3, 'Scheduled', 14);
  promo('cart', 'black-friday', 'Fri 06:00-23:59 CET', 3, 'Scheduled', 14);
  promo('trade', 'spring-sale', 'Mar 20-27', 2, 'Completed', 230);
  promo('payment', 'black-friday', 'Fri 06:00-23:59 CET', 4, 'Scheduled', 14);
  promo('search', 'autocomplete-boost', 'every day 18:00-22:00', 2, 'Active', 3);
}
