// `warroom demo --tls`: the demo's Kubernetes API over HTTPS with a CA made at start, trusted by the
// kubeconfig it writes, as client-go (k9s) needs to send a bearer token at all.
import { readFileSync, statSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet, request as httpsRequest, type RequestOptions } from 'node:https';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { Exec, KubeConfig, type V1Status } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet } from '../../../src/demo/fleet.js';
import { DEMO_CONTEXT, writeKubeconfig } from '../../../src/demo/kubeconfig.js';
import { startPlatform, type RunningPlatform } from '../../../src/demo/platform.js';
import { demoTlsMaterial } from '../../../src/demo/tlsCertificate.js';
import { loadKubeSession, preflight } from '../../../src/platform/kube/kubeSession.js';
import { ensureDemoBundle } from '../../contract/demoBundle.js';
import { scratchDir } from '../../support/scratchDir.js';

let platform: RunningPlatform;
let dir: string;
let kubeconfig: string;
const otherCa = demoTlsMaterial().caPem;

beforeAll(async () => {
  platform = await startPlatform({ pods: 100, seed: 3, churn: false, tls: demoTlsMaterial() });
  dir = scratchDir('warroom-tls-');
  kubeconfig = join(dir, 'kubeconfig');
  writeKubeconfig(kubeconfig, platform.url, platform.tokens, undefined, platform.caPem);
});
afterAll(async () => {
  await platform?.close();
});

/** GET over HTTPS with these TLS options: the status, or the error's code. */
function get(path: string, tls: RequestOptions): Promise<{ status?: number; code?: string }> {
  return new Promise((resolve) => {
    const req = httpsGet(`${platform.url}${path}`, { headers: { Authorization: `Bearer ${platform.tokens.admin}` }, ...tls }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ code: err.code ?? err.message }));
  });
}

function session(path = kubeconfig, context = DEMO_CONTEXT) {
  return loadKubeSession({ kubeconfig: path, context, env: {}, homeDir: dir });
}

describe('warroom demo --tls', () => {
  it('serves HTTPS on 127.0.0.1 and writes a kubeconfig trusting only its CA: the console verifies it and lists pods', async () => {
    expect(platform.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const yaml = readFileSync(kubeconfig, 'utf8');
    expect(yaml).toContain('certificate-authority-data:');
    expect(yaml).not.toContain('insecure-skip-tls-verify');
    const s = session();
    try {
      expect((await preflight(s)).gitVersion).toMatch(/warroom-demo/);
      const pods = await s.getJson<{ items: unknown[] }>('/api/v1/namespaces/trade/pods', { limit: 5 });
      expect(pods.items.length).toBeGreaterThan(0);
    } finally {
      s.close();
    }
    // The certificate names 127.0.0.1 and localhost.
    expect(await get('/version', { ca: platform.caPem })).toEqual({ status: 200 });
    expect(await get('/version', { ca: platform.caPem, servername: 'localhost', host: 'localhost' })).toEqual({ status: 200 });
  });

  it('is refused by a client trusting another CA or the system roots, under a name it does not hold, and over plain HTTP', async () => {
    expect((await get('/version', { ca: otherCa })).code).toBe('SELF_SIGNED_CERT_IN_CHAIN');
    expect((await get('/version', {})).code).toBe('SELF_SIGNED_CERT_IN_CHAIN');
    expect((await get('/version', { ca: platform.caPem, servername: 'api.example.com' })).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    // The console with a kubeconfig naming another CA: its first request fails, naming the server.
    const wrong = join(dir, 'wrong-ca');
    writeKubeconfig(wrong, platform.url, platform.tokens, undefined, otherCa);
    const s = session(wrong);
    try {
      await expect(preflight(s)).rejects.toThrow(new RegExp(platform.url.replace(/[.:/]/g, '\\$&')));
    } finally {
      s.close();
    }
    const plain = await new Promise<number | string>((resolve) => {
      httpGet(`${platform.url.replace('https:', 'http:')}/version`, (res) => resolve(res.statusCode ?? 0)).on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(plain).not.toBe(200);
  });

  it('watches over TLS: a pod deleted is seen as its watch event', async () => {
    const s = session();
    const abort = new AbortController();
    try {
      const list = await s.getJson<{ metadata: { resourceVersion: string }; items: Array<{ metadata: { name: string } }> }>('/api/v1/namespaces/trade/pods');
      const victim = list.items[0].metadata.name;
      const lines = (await s.openLineStream('/api/v1/namespaces/trade/pods', { watch: true, resourceVersion: list.metadata.resourceVersion }, 'application/json', abort.signal)) as Readable;
      const seen = new Promise<string>((resolve, reject) => {
        lines.on('error', (err) => (abort.signal.aborted ? undefined : reject(err)));
        lines.on('data', (line: string | Buffer) => {
          const ev = JSON.parse(String(line)) as { type: string; object: { metadata: { name: string; deletionTimestamp?: string } } };
          if (ev.object.metadata.name === victim) resolve(`${ev.type} ${ev.object.metadata.deletionTimestamp ? 'terminating' : ''}`.trim());
        });
      });
      const del = await s.request('DELETE', `/api/v1/namespaces/trade/pods/${victim}`);
      expect(del.status).toBe(200);
      expect(await seen).toMatch(/^(MODIFIED terminating|DELETED)/);
    } finally {
      abort.abort();
      s.close();
    }
  });

  it('execs over TLS: the WebSocket upgrade of pods/exec, with client-node as the console uses it', async () => {
    const pod = [...platform.cluster.pods.store.values()].find((x) => x.stage === 'Running' && x.meta.namespace === 'trade')!;
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    kc.setCurrentContext(DEMO_CONTEXT);
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const status = await new Promise<V1Status>((resolve, reject) => {
      new Exec(kc).exec(pod.meta.namespace, pod.meta.name, pod.template.containers[0].name, ['hostname'], stdout, new PassThrough(), null, false, resolve).catch(reject);
    });
    expect(status.status).toBe('Success');
    expect(out.trim()).toBe(pod.meta.name);
  });
});

/** Kubernetes' protobuf envelope ("k8s\0" + runtime.Unknown) around a SelfSubjectAccessReview, as client-go posts it. */
function protobufReview(attrs: Record<number, string>): Buffer {
  const varint = (n: number) => {
    const out: number[] = [];
    for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
    out.push(n);
    return Buffer.from(out);
  };
  const field = (n: number, body: Buffer) => Buffer.concat([varint((n << 3) | 2), varint(body.length), body]);
  const str = (n: number, s: string) => field(n, Buffer.from(s, 'utf8'));
  const resourceAttributes = Buffer.concat(Object.entries(attrs).map(([n, v]) => str(Number(n), v)));
  const review = Buffer.concat([field(1, Buffer.alloc(0)), field(2, field(1, resourceAttributes))]);
  const unknown = Buffer.concat([field(1, Buffer.concat([str(1, 'authorization.k8s.io/v1'), str(2, 'SelfSubjectAccessReview')])), field(2, review), str(3, ''), str(4, '')]);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

describe('a SelfSubjectAccessReview posted as protobuf (client-go typed clients, k9s)', () => {
  async function review(token: string, body: Buffer): Promise<{ status: number; json: { status?: { allowed?: boolean }; spec?: unknown; message?: string } }> {
    const res = await fetchOverTls('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', token, body);
    return { status: res.status, json: JSON.parse(res.body) as { status?: { allowed?: boolean } } };
  }

  it('is answered as the JSON one: allowed for the admin, refused where the restricted user may not list', async () => {
    // ResourceAttributes: namespace 1, verb 2, group 3, version 4, resource 5.
    const listPayment = protobufReview({ 1: 'payment', 2: 'list', 4: 'v1', 5: 'pods' });
    const admin = await review(platform.tokens.admin, listPayment);
    expect(admin.status).toBe(201);
    expect(admin.json.status?.allowed).toBe(true);
    expect(admin.json.spec).toEqual({ resourceAttributes: { namespace: 'payment', verb: 'list', version: 'v1', resource: 'pods' } });
    expect((await review(platform.tokens.restricted, listPayment)).json.status?.allowed).toBe(false);
    expect((await review(platform.tokens.restricted, protobufReview({ 1: 'trade', 2: 'list', 4: 'v1', 5: 'pods' }))).json.status?.allowed).toBe(true);
  });

  it('refuses a body without the envelope as a 400 naming it', async () => {
    const bad = await review(platform.tokens.admin, Buffer.from('{"spec":{}}'));
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/protobuf/);
  });
});

function fetchOverTls(path: string, token: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, platform.url);
    const req = httpsRequest(url, {
      method: 'POST',
      ca: platform.caPem,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/vnd.kubernetes.protobuf', Accept: 'application/vnd.kubernetes.protobuf, application/json', 'Content-Length': body.length },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('a demo fleet with tls (warroom demo --clusters 2 --tls)', () => {
  it('gives each cluster its own CA; a cluster stopped and started keeps its certificate, so the kubeconfig still verifies; the fleet Prometheus reads both over TLS', async () => {
    const fleet = await startDemoFleet({ clusters: ['dc1', 'dc2'], pods: 100, churn: false, entry: await ensureDemoBundle(), tls: true, fleetPrometheus: true });
    try {
      const doc = readFileSync(fleet.kubeconfigPath, 'utf8');
      const cas = [...doc.matchAll(/certificate-authority-data: (\S+)/g)].map((m) => m[1]);
      expect(cas).toHaveLength(2);
      expect(new Set(cas).size).toBe(2);
      const dc2 = fleet.cluster('dc2');
      expect(dc2.url).toMatch(/^https:/);
      // The serving key is kept beside the tokens, for the owner only.
      expect(statSync(join(dc2.stateDir, 'tls.json')).mode & 0o777).toBe(0o600);
      const version = async () => {
        const s = loadKubeSession({ kubeconfig: fleet.kubeconfigPath, context: dc2.context, env: {}, homeDir: dir });
        try {
          return (await preflight(s)).gitVersion;
        } finally {
          s.close();
        }
      };
      expect(await version()).toMatch(/warroom-demo/);
      await fleet.stop('dc2');
      await fleet.start('dc2');
      expect(await version()).toMatch(/warroom-demo/);
      const series = (await (await fetch(`${fleet.fleetPrometheusUrl}/api/v1/series?match[]=container_memory_working_set_bytes`)).json()) as { data: Array<{ cluster?: string }> };
      expect(new Set(series.data.map((x) => x.cluster))).toEqual(new Set(['dc1', 'dc2']));
    } finally {
      await fleet.close();
    }
  }, 120_000);
});
