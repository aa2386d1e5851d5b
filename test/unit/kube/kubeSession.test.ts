import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKubeSession, preflight, type KubeSession } from '../../../src/platform/kube/kubeSession.js';
import { KubeApiError, KubeUnreachableError } from '../../../src/platform/kube/kubeErrors.js';
import { UserError } from '../../../src/platform/errors.js';
import { sendJson, startFakeApiServer, status, tempDir, writeKubeconfig, type FakeApiServer } from './fakeApiServer.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.s3cr3t-payload.signature';

function loadError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

async function asyncError(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('loading a kubeconfig', () => {
  it('says where it looked when there is no kubeconfig', () => {
    const home = tempDir();
    const err = loadError(() => loadKubeSession({ env: {}, homeDir: home }));
    expect(err.message).toContain(`no kubeconfig found`);
    expect(err.message).toContain(path.join(home, '.kube', 'config'));
    expect(err.hint).toMatch(/set KUBECONFIG or pass --kubeconfig/);

    const missing = path.join(home, 'nope.yaml');
    const err2 = loadError(() => loadKubeSession({ env: { KUBECONFIG: missing }, homeDir: home }));
    expect(err2.message).toContain(`$KUBECONFIG (${missing}) does not exist`);
    expect(loadError(() => loadKubeSession({ kubeconfig: missing, env: {}, homeDir: home })).message).toContain(missing);
  });

  it('names the file and the line of malformed YAML', () => {
    const dir = tempDir();
    const file = path.join(dir, 'broken.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nclusters:\n- name: a\n  cluster:\n    server: [https://x\ncontexts: []\n');
    const err = loadError(() => loadKubeSession({ env: { KUBECONFIG: file } }));
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/line \d+, column \d+/);
  });

  it('lists the available contexts when the one asked for does not exist', () => {
    const dir = tempDir();
    const file = writeKubeconfig(dir, [
      { name: 'prod-eu', server: 'https://prod-eu.example:6443' },
      { name: 'staging', server: 'https://staging.example:6443' },
    ]);
    const err = loadError(() => loadKubeSession({ env: { KUBECONFIG: file }, context: 'prod-us' }));
    expect(err.message).toContain(`context 'prod-us' not found`);
    expect(err.message).toContain('prod-eu, staging');
  });

  it('asks for --context when there is no current-context', () => {
    const dir = tempDir();
    const file = writeKubeconfig(dir, [{ name: 'a', server: 'https://a.example' }], null);
    const err = loadError(() => loadKubeSession({ env: { KUBECONFIG: file } }));
    expect(err.message).toContain('no current-context');
    expect(err.hint).toContain('--context');
    expect(err.hint).toContain('a');
  });

  it('merges all KUBECONFIG files (first wins) and uses the context namespace', () => {
    const dir = tempDir();
    const first = writeKubeconfig(dir, [{ name: 'prod', server: 'https://prod.example:6443', namespace: 'shop' }], 'prod', 'one');
    const second = writeKubeconfig(
      dir,
      [
        { name: 'prod', server: 'https://other.example' },
        { name: 'lab', server: 'https://lab.example:6443' },
      ],
      'lab',
      'two',
    );
    const s = loadKubeSession({ env: { KUBECONFIG: `${first}${path.delimiter}${path.join(dir, 'missing')}${path.delimiter}${second}` } });
    expect(s.contextName).toBe('prod');
    expect(s.server).toBe('https://prod.example:6443');
    expect(s.namespace).toBe('shop');
    expect(s.contextNames()).toEqual(['prod', 'lab']);
    const lab = s.withContext('lab');
    expect([lab.contextName, lab.server, lab.namespace]).toEqual(['lab', 'https://lab.example:6443', undefined]);
    expect(loadKubeSession({ env: { KUBECONFIG: first }, namespace: 'billing' }).namespace).toBe('billing');
    expect(() => s.withContext('nope')).toThrow(/available contexts: prod, lab/);
  });
});

describe('talking to the server', () => {
  async function sessionFor(handler: Parameters<typeof startFakeApiServer>[0]): Promise<{ session: KubeSession; server: FakeApiServer }> {
    const server = await startFakeApiServer(handler);
    const file = writeKubeconfig(tempDir(), [{ name: 'prod-eu', server: server.url, token: TOKEN, user: 'alice' }]);
    const session = loadKubeSession({ env: { KUBECONFIG: file } });
    cleanups.push(() => session.close(), () => server.close());
    return { session, server };
  }

  it('sends the bearer token and parses JSON', async () => {
    const { session, server } = await sessionFor((_req, res) => sendJson(res, 200, { gitVersion: 'v1.34.1' }));
    expect(await preflight(session)).toMatchObject({ gitVersion: 'v1.34.1' });
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(server.requests[0].url.pathname).toBe('/version');
  });

  it('names context and URL when the server is unreachable, and never shows the token', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    const url = `http://127.0.0.1:${port}`;
    const file = writeKubeconfig(tempDir(), [{ name: 'prod-eu', server: url, token: TOKEN }]);
    const session = loadKubeSession({ env: { KUBECONFIG: file } });
    const err = await asyncError(preflight(session));
    expect(err).toBeInstanceOf(KubeUnreachableError);
    expect(err.message).toContain(`cannot reach cluster 'prod-eu' at ${url}: connection refused`);
    expect(err.message).toContain('--context');
    expect(`${err.message} ${err.hint ?? ''}`).not.toContain('s3cr3t');
  });

  it('gives up after the preflight timeout with a clear message', async () => {
    const { session } = await sessionFor(() => {
      /* never answers */
    });
    const t0 = Date.now();
    const err = await asyncError(preflight(session, 300));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(err.message).toMatch(/cannot reach cluster 'prod-eu' at http:\/\/127\.0\.0\.1:\d+: no answer within 0\.3 s/);
  });

  it('401: says whose credentials were rejected, without the token', async () => {
    const { session, server } = await sessionFor((_req, res) => sendJson(res, 401, status(401, 'Unauthorized', 'Unauthorized')));
    const err = await asyncError(preflight(session));
    expect(err.message).toBe('the credentials of user alice for context prod-eu were rejected (401)');
    expect(err).toBeInstanceOf(KubeApiError);
    expect(server.requests).toHaveLength(1); // fresh credentials are not retried
  });

  it('403: keeps the apiserver message naming verb, resource and namespace', async () => {
    const msg = 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "shop"';
    const { session } = await sessionFor((_req, res) => sendJson(res, 403, status(403, 'Forbidden', msg)));
    const err = (await asyncError(session.getJson('/api/v1/namespaces/shop/pods', { limit: 5 }))) as KubeApiError;
    expect(err.message).toContain(msg);
    expect(err.status).toBe(403);
    expect(err.reason).toBe('Forbidden');
    expect([err.verb, err.resource, err.namespace]).toEqual(['list', 'pods', 'shop']);
    expect(err.server).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it("a proxy's HTML error page is quoted by its title, not dumped", async () => {
    const page = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>${'body{margin:0}'.repeat(50)}</style></head><body><h1>Bad Gateway</h1><p>The upstream apiserver did not answer.</p></body></html>`;
    const { session } = await sessionFor((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end(page);
    });
    const err = await asyncError(preflight(session));
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err.message).toMatch(/^get \S+ on context 'prod-eu' \(http:\/\/127\.0\.0\.1:\d+\) failed: 502 Bad Gateway: HTML page: 502 Bad Gateway$/);
    expect(err.message).not.toMatch(/[<>]/);
  });

  it('404 on an object names what was asked for', async () => {
    const { session } = await sessionFor((_req, res) =>
      sendJson(res, 404, status(404, 'NotFound', 'pods "web-1" not found')),
    );
    const err = (await asyncError(session.getJson('/api/v1/namespaces/shop/pods/web-1'))) as KubeApiError;
    expect(err.message).toContain("get pods web-1 in namespace shop on context 'prod-eu'");
    expect(err.message).toContain('pods "web-1" not found');
    expect(err.status).toBe(404);
  });

  it('streams newline-delimited JSON from a chunked response', async () => {
    const { session, server } = await sessionFor((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const text = '{"type":"ADDED","object":{"n":"Zürich"}}\n{"type":"DELETED","object":{"n":"b"}}\n';
      const bytes = Buffer.from(text);
      res.write(bytes.subarray(0, 30)); // cut inside the first event and inside "ü"
      setTimeout(() => res.end(bytes.subarray(30)), 20);
    });
    const stream = await session.openStream('/api/v1/pods', { watch: 'true' }, 'application/json');
    const got: unknown[] = [];
    for await (const ev of stream) got.push(ev);
    expect(got).toEqual([
      { type: 'ADDED', object: { n: 'Zürich' } },
      { type: 'DELETED', object: { n: 'b' } },
    ]);
    expect(server.requests[0].url.searchParams.get('watch')).toBe('true');
  });
});
