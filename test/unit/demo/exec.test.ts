// pods/exec over WebSocket with @kubernetes/client-node's Exec, as the console uses it.
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Exec, KubeConfig, type V1Status } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONTEXT, DEMO_RESTRICTED_CONTEXT, writeKubeconfig } from '../../../src/demo/kubeconfig.js';
import { startPlatform, type RunningPlatform } from '../../../src/demo/platform.js';
import { scratchDir } from '../../support/scratchDir.js';

let platform: RunningPlatform;
let kubeconfig: string;
let pod: { namespace: string; name: string; container: string };

beforeAll(async () => {
  platform = await startPlatform({ pods: 100, seed: 3, churn: false });
  kubeconfig = join(scratchDir('warroom-exec-'), 'kubeconfig');
  writeKubeconfig(kubeconfig, platform.url, platform.tokens);
  const p = [...platform.cluster.pods.store.values()].find((x) => x.stage === 'Running' && x.meta.namespace === 'trade')!;
  pod = { namespace: p.meta.namespace, name: p.meta.name, container: p.template.containers[0].name };
});
afterAll(async () => {
  await platform?.close();
});

function kc(context: string): KubeConfig {
  const k = new KubeConfig();
  k.loadFromFile(kubeconfig);
  k.setCurrentContext(context);
  return k;
}

async function exec(context: string, command: string[], tty: boolean, input?: string): Promise<{ out: string; status: V1Status }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const stdin = input !== undefined ? new PassThrough() : null;
  const status = await new Promise<V1Status>((resolve, reject) => {
    new Exec(kc(context))
      .exec(pod.namespace, pod.name, pod.container, command, stdout, new PassThrough(), stdin, tty, (s) => resolve(s))
      .then(() => {
        if (stdin && input !== undefined) setTimeout(() => stdin.write(input), 50);
      }, reject);
  });
  return { out, status };
}

describe('exec', () => {
  it('runs a command and reports Success', async () => {
    const r = await exec(DEMO_CONTEXT, ['hostname'], false);
    expect(r.out).toBe(`${pod.name}\n`);
    expect(r.status.status).toBe('Success');
  });

  it('gives an interactive shell that reports a non-zero exit code', async () => {
    const r = await exec(DEMO_CONTEXT, ['sh'], true, 'echo hello warroom\rexit 3\r');
    expect(r.out).toContain('hello warroom');
    expect(r.status.status).toBe('Failure');
    expect(r.status.details?.causes?.[0]).toEqual({ reason: 'ExitCode', message: '3' });
  });

  it('is forbidden for the restricted user', async () => {
    await expect(exec(DEMO_RESTRICTED_CONTEXT, ['hostname'], false)).rejects.toThrow(/403/);
  });
});
