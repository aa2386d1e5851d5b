import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKubeSession, preflight } from '../../../src/platform/kube/kubeSession.js';
import { sendJson, startFakeApiServer, status, tempDir } from './fakeApiServer.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A credential plugin written in JS: counts its runs in `runs`, prints the given token or fails. */
function plugin(dir: string, body: string): string {
  const file = path.join(dir, 'plugin.cjs');
  fs.writeFileSync(
    file,
    `const fs = require('fs');
fs.appendFileSync(${JSON.stringify(path.join(dir, 'runs'))}, 'x');
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO || '{}');
${body}
`,
  );
  return file;
}

function kubeconfig(dir: string, server: string, script: string): string {
  const file = path.join(dir, 'config');
  fs.writeFileSync(
    file,
    `apiVersion: v1
clusters:
- name: c
  cluster: {server: "${server}"}
users:
- name: sso-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ${JSON.stringify(process.execPath)}
      args: [${JSON.stringify(script)}]
      interactiveMode: IfAvailable
contexts:
- name: corp
  context: {cluster: c, user: sso-user}
current-context: corp
`,
  );
  return file;
}

const runs = (dir: string): number => (fs.existsSync(path.join(dir, 'runs')) ? fs.readFileSync(path.join(dir, 'runs'), 'utf8').length : 0);

describe('exec credential plugins', () => {
  it('runs the plugin once, sends its token, and tells it the API version', async () => {
    const server = await startFakeApiServer((req, res) => sendJson(res, 200, { gitVersion: 'v1.34.3', auth: req.headers.authorization }));
    cleanups.push(() => server.close());
    const dir = tempDir();
    const script = plugin(
      dir,
      `process.stdout.write(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential',
        status: { token: 'exec-token-' + info.apiVersion.split('/')[1], expirationTimestamp: new Date(Date.now() + 3600e3).toISOString() } }));`,
    );
    const session = loadKubeSession({ env: { KUBECONFIG: kubeconfig(dir, server.url, script) } });
    cleanups.push(() => session.close());
    expect(await preflight(session)).toMatchObject({ auth: 'Bearer exec-token-v1' });
    await Promise.all([session.getJson('/version'), session.getJson('/version'), session.getJson('/version')]);
    expect(runs(dir)).toBe(1);
  });

  it('runs the plugin again after a 401 and retries the request once', async () => {
    let n = 0;
    const server = await startFakeApiServer((req, res) => {
      n += 1;
      if (req.headers.authorization === 'Bearer old') return sendJson(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      sendJson(res, 200, { ok: true });
    });
    cleanups.push(() => server.close());
    const dir = tempDir();
    // first run prints "old" (no expiry), later runs "new"
    const script = plugin(
      dir,
      `const count = fs.readFileSync(${JSON.stringify(path.join(dir, 'runs'))}, 'utf8').length;
       process.stdout.write(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential', status: { token: count === 1 ? 'old' : 'new' } }));`,
    );
    const session = loadKubeSession({ env: { KUBECONFIG: kubeconfig(dir, server.url, script) } });
    cleanups.push(() => session.close());
    // a credential the plugin has just printed and the server rejects is final
    await expect(session.getJson('/version')).rejects.toThrow('the credentials of user sso-user for context corp were rejected (401)');
    // a cached one may have been revoked since: the plugin runs again and the request is retried once
    await expect(session.getJson('/version')).resolves.toEqual({ ok: true });
    expect(runs(dir)).toBe(2);
    expect(n).toBe(3);
  });

  it('a failing plugin: names the user, context and command, shows what it said', async () => {
    const server = await startFakeApiServer((_req, res) => sendJson(res, 200, {}));
    cleanups.push(() => server.close());
    const dir = tempDir();
    const script = plugin(dir, `process.stderr.write('error: refresh token expired, run: corp-login --sso'); process.exit(3);`);
    const session = loadKubeSession({ env: { KUBECONFIG: kubeconfig(dir, server.url, script) } });
    cleanups.push(() => session.close());
    const err = await preflight(session).then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).toContain(`cannot get credentials of user sso-user for context 'corp' from the exec plugin`);
    expect(err?.message).toContain('exited with code 3: error: refresh token expired, run: corp-login --sso');
    expect(server.requests).toHaveLength(0);
  });
});
