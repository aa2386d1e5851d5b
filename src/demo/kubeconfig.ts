// The kubeconfig the demo writes: one cluster, an admin, a restricted and an operator user (bearer tokens), a context each.
import { chmodSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { OPERATOR_USER, RESTRICTED_USER, type Tokens } from './authz.js';

export const DEMO_CONTEXT = 'warroom-demo';
export const DEMO_RESTRICTED_CONTEXT = 'warroom-demo-restricted';
/** May scale Deployments (not StatefulSets) in a few systems: see authz.ts. */
export const DEMO_OPERATOR_CONTEXT = 'warroom-demo-operator';
const CLUSTER = 'warroom-demo';
const ADMIN_USER_ENTRY = 'warroom-demo-admin';

export function kubeconfigYaml(url: string, tokens: Tokens): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    // @kubernetes/client-node refuses an http: server unless insecure-skip-tls-verify is set (there is no TLS to verify).
    clusters: [{ name: CLUSTER, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [
      { name: ADMIN_USER_ENTRY, user: { token: tokens.admin } },
      { name: RESTRICTED_USER, user: { token: tokens.restricted } },
      ...(tokens.operator ? [{ name: OPERATOR_USER, user: { token: tokens.operator } }] : []),
    ],
    contexts: [
      { name: DEMO_CONTEXT, context: { cluster: CLUSTER, user: ADMIN_USER_ENTRY } },
      { name: DEMO_RESTRICTED_CONTEXT, context: { cluster: CLUSTER, user: RESTRICTED_USER } },
      ...(tokens.operator ? [{ name: DEMO_OPERATOR_CONTEXT, context: { cluster: CLUSTER, user: OPERATOR_USER } }] : []),
    ],
    'current-context': DEMO_CONTEXT,
  });
}

/** Writes the kubeconfig readable by the owner only (it holds tokens). */
export function writeKubeconfig(path: string, url: string, tokens: Tokens): void {
  writeFileSync(path, kubeconfigYaml(url, tokens), { mode: 0o600 });
  chmodSync(path, 0o600);
}
