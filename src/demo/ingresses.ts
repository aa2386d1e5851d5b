// Ingresses (networking.k8s.io/v1): one per web application, `<name>.shop.example` over TLS through the nginx
// class, its load balancer's address in the status.
import { randomUUID } from 'node:crypto';
import type { Cluster } from './cluster.js';
import { ageSince } from './duration.js';
import { ageColumn, column, jsonKind, nameColumn, timestamp, type JsonRecord } from './jsonKinds.js';

// Printers walk loosely typed Kubernetes JSON.
type AnyJson = Record<string, any>;

export const ingressKind = jsonKind({
  resource: 'ingresses',
  singular: 'ingress',
  kind: 'Ingress',
  group: 'networking.k8s.io',
  version: 'v1',
  namespaced: true,
  shortNames: ['ing'],
  subresources: ['status'],
  columns: [
    nameColumn(),
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn(),
  ],
  print: (i: AnyJson, now) => {
    const rules: AnyJson[] = i.spec?.rules ?? [];
    const hosts = rules.map((r) => r.host).filter(Boolean);
    const hostText = hosts.length === 0 ? '*' : rules.length > 3 ? `${hosts.slice(0, 3).join(',')} + ${rules.length - 3} more...` : hosts.join(',');
    const address = [...new Set(((i.status?.loadBalancer?.ingress ?? []) as AnyJson[]).map((x) => x.ip || x.hostname).filter(Boolean))].join(',');
    return { cells: [i.metadata?.name ?? '', i.spec?.ingressClassName ?? '<none>', hostText, address, (i.spec?.tls ?? []).length ? '80, 443' : '80', ageSince(timestamp(i.metadata?.creationTimestamp), now)] };
  },
});

/** Loads the Ingresses (part of the start-up baseline). */
export function loadIngresses(cluster: Cluster): void {
  let n = 10;
  for (const d of cluster.deployments.store.values()) {
    if (d.meta.labels?.['app.kubernetes.io/component'] !== 'web') continue;
    const host = `${d.meta.name}.shop.example`;
    cluster.ingresses.store.load({
      meta: { name: d.meta.name, namespace: d.meta.namespace, uid: randomUUID(), rv: 0, created: d.meta.created, generation: 1, labels: { 'app.kubernetes.io/name': d.meta.name }, annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } },
      body: {
        spec: {
          ingressClassName: 'nginx',
          tls: [{ hosts: [host], secretName: `${d.meta.name}-tls` }],
          rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: d.meta.name, port: { number: 80 } } } }] } }],
        },
        status: { loadBalancer: { ingress: [{ ip: `203.0.113.${n++}` }] } },
      },
    } satisfies JsonRecord);
  }
}
