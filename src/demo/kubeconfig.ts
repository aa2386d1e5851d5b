// The kubeconfig the demo writes: one cluster, an admin, a restricted and an operator user (bearer tokens), a context each.
import { chmodSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { OPERATOR_USER, RESTRICTED_USER, type Tokens } from './authz.js';

export const DEMO_CONTEXT = 'warroom-demo';
export const DEMO_RESTRICTED_CONTEXT = 'warroom-demo-restricted';
/** May scale Deployments (not StatefulSets) in a few systems: see authz.ts. */
export const DEMO_OPERATOR_CONTEXT = 'warroom-demo-operator';

/** The kubeconfig's names for one demo cluster: the single demo's, or a fleet data centre's (warroom-demo-dc1, ...). */
export interface DemoNames {
  cluster: string;
  context: string;
  restrictedContext: string;
  operatorContext: string;
  adminUser: string;
  restrictedUser: string;
  operatorUser: string;
}

export function demoNames(clusterName?: string): DemoNames {
  if (!clusterName) {
    return { cluster: 'warroom-demo', context: DEMO_CONTEXT, restrictedContext: DEMO_RESTRICTED_CONTEXT, operatorContext: DEMO_OPERATOR_CONTEXT, adminUser: 'warroom-demo-admin', restrictedUser: RESTRICTED_USER, operatorUser: OPERATOR_USER };
  }
  const base = `warroom-demo-${clusterName}`;
  return { cluster: base, context: base, restrictedContext: `${base}-restricted`, operatorContext: `${base}-operator`, adminUser: `${base}-admin`, restrictedUser: `${base}-${RESTRICTED_USER}`, operatorUser: `${base}-${OPERATOR_USER}` };
}

/** `caPem`: the CA of an https: server, which clients then verify; without it the server is plain http:. */
export function kubeconfigYaml(url: string, tokens: Tokens, names: DemoNames = demoNames(), caPem?: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    // @kubernetes/client-node refuses an http: server unless insecure-skip-tls-verify is set (there is no TLS to verify).
    clusters: [{ name: names.cluster, cluster: caPem ? { server: url, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } : { server: url, 'insecure-skip-tls-verify': true } }],
    users: [
      { name: names.adminUser, user: { token: tokens.admin } },
      { name: names.restrictedUser, user: { token: tokens.restricted } },
      ...(tokens.operator ? [{ name: names.operatorUser, user: { token: tokens.operator } }] : []),
    ],
    contexts: [
      { name: names.context, context: { cluster: names.cluster, user: names.adminUser } },
      { name: names.restrictedContext, context: { cluster: names.cluster, user: names.restrictedUser } },
      ...(tokens.operator ? [{ name: names.operatorContext, context: { cluster: names.cluster, user: names.operatorUser } }] : []),
    ],
    'current-context': names.context,
  });
}

/** Writes the kubeconfig readable by the owner only (it holds tokens). */
export function writeKubeconfig(path: string, url: string, tokens: Tokens, names?: DemoNames, caPem?: string): void {
  writeFileSync(path, kubeconfigYaml(url, tokens, names, caPem), { mode: 0o600 });
  chmodSync(path, 0o600);
}
