// ConfigMaps: `kube-root-ca.crt` in every namespace (as the root-ca-cert-publisher puts it there) and one
// `<application>-config` per application, with a few settings.
import { randomUUID } from 'node:crypto';
import type { Cluster } from './cluster.js';
import { ageSince } from './duration.js';
import { ageColumn, column, jsonKind, nameColumn, timestamp, type JsonRecord } from './jsonKinds.js';

export const configMapKind = jsonKind({
  resource: 'configmaps',
  singular: 'configmap',
  kind: 'ConfigMap',
  group: '',
  version: 'v1',
  namespaced: true,
  shortNames: ['cm'],
  columns: [nameColumn(), column('Data', 'string', 'Data contains the configuration data.'), ageColumn()],
  // Printers walk loosely typed Kubernetes JSON.
  print: (c: Record<string, any>, now) => ({
    cells: [c.metadata?.name ?? '', Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length, ageSince(timestamp(c.metadata?.creationTimestamp), now)],
  }),
});

const CA = '-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIWarroomDemoCAwDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE\nAxMKa3ViZXJuZXRlczAeFw0yNTAxMDEwMDAwMDBaFw0zNTAxMDEwMDAwMDBaMBUx\n-----END CERTIFICATE-----\n';

/** Loads the ConfigMaps (part of the start-up baseline). */
export function loadConfigMaps(cluster: Cluster): void {
  const load = (namespace: string, name: string, created: number, data: Record<string, string>, labels?: Record<string, string>) =>
    cluster.configMaps.store.load({ meta: { name, namespace, uid: randomUUID(), rv: 0, created, labels }, body: { data } } satisfies JsonRecord);
  for (const ns of cluster.namespaces.store.values()) load(ns.meta.name, 'kube-root-ca.crt', ns.meta.created + 60_000, { 'ca.crt': CA });
  const apps = [...cluster.deployments.store.values(), ...cluster.statefulSets.store.values()];
  for (const a of apps) {
    const component = a.meta.labels?.['app.kubernetes.io/component'] ?? 'app';
    load(a.meta.namespace, `${a.meta.name}-config`, a.meta.created, {
      LOG_LEVEL: 'info',
      OTEL_SERVICE_NAME: a.meta.name,
      [`${component.toUpperCase()}_TIMEOUT`]: component === 'database' ? '30s' : '5s',
    }, { 'app.kubernetes.io/name': a.meta.name, 'app.kubernetes.io/managed-by': 'Helm' });
  }
}
