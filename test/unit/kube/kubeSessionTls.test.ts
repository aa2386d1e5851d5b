import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKubeSession, preflight } from '../../../src/platform/kube/kubeSession.js';
import { KubeUnreachableError } from '../../../src/platform/kube/kubeErrors.js';
import { tempDir } from './fakeApiServer.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tls');
const read = (f: string) => fs.readFileSync(path.join(dir, f));

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function httpsServer(): Promise<{ url: string; handshakes: () => number }> {
  let handshakes = 0;
  const server = https.createServer({ cert: read('server.crt'), key: read('server.key') }, (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ gitVersion: 'v1.34.3', auth: req.headers.authorization ?? null }));
  });
  server.on('secureConnection', () => (handshakes += 1));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, handshakes: () => handshakes };
}

function kubeconfig(server: string, withCa: boolean): string {
  const file = path.join(tempDir(), 'config');
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: tls',
      '  cluster:',
      `    server: ${server}`,
      ...(withCa ? [`    certificate-authority-data: ${read('ca.crt').toString('base64')}`] : []),
      'users:',
      '- name: tls-user',
      '  user:',
      '    token: tls-secret-token-0123456789',
      'contexts:',
      '- name: tls',
      '  context: {cluster: tls, user: tls-user}',
      'current-context: tls',
      '',
    ].join('\n'),
  );
  return file;
}

describe('HTTPS clusters', () => {
  it('trusts the kubeconfig CA, sends the token and reuses one TLS connection', async () => {
    const srv = await httpsServer();
    const session = loadKubeSession({ env: { KUBECONFIG: kubeconfig(srv.url, true) } });
    cleanups.push(() => session.close());
    expect(await preflight(session)).toMatchObject({ gitVersion: 'v1.34.3', auth: 'Bearer tls-secret-token-0123456789' });
    await session.getJson('/version');
    await session.getJson('/version');
    expect(srv.handshakes()).toBe(1);
  });

  it('explains an untrusted server certificate, naming context and URL', async () => {
    const srv = await httpsServer();
    const session = loadKubeSession({ env: { KUBECONFIG: kubeconfig(srv.url, false) } });
    cleanups.push(() => session.close());
    const err = await preflight(session).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KubeUnreachableError);
    const message = (err as Error).message;
    expect(message).toContain(`cannot reach cluster 'tls' at ${srv.url}: TLS handshake failed`);
    expect(message).toContain('certificate-authority');
    expect(message).not.toContain('tls-secret-token');
  });
});
