import { describe, expect, it } from 'vitest';
import { splitCommandLine } from '../../../src/platform/exec/commandLine.js';
import { containerChoices } from '../../../src/platform/exec/containerChoice.js';
import { endFromStatus, isMissingExecutable } from '../../../src/platform/exec/execStatus.js';
import { resultOrder, sanitizeOutput, type RunPodResult } from '../../../src/platform/exec/runOnPods.js';
import { bannerText } from '../../../src/platform/exec/shellBanner.js';

describe(':run command lines', () => {
  it('keeps quoted words together as a shell would', () => {
    expect(splitCommandLine(`sh -c 'curl -s localhost:8080/health || exit 3'`)).toEqual({ argv: ['sh', '-c', 'curl -s localhost:8080/health || exit 3'] });
    expect(splitCommandLine(`echo "a \\"b\\"  c" d\\ e`)).toEqual({ argv: ['echo', 'a "b"  c', 'd e'] });
    expect(splitCommandLine(`echo ''`)).toEqual({ argv: ['echo', ''] });
  });
  it('says when a quote is not closed', () => {
    expect(splitCommandLine(`sh -c 'oops`)).toEqual({ error: 'unbalanced single quote' });
  });
});

describe('exec status', () => {
  it('reads the exit code from the status channel', () => {
    expect(endFromStatus({ status: 'Success' })).toEqual({ kind: 'exit', code: 0 });
    expect(endFromStatus({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '42' }] } })).toEqual({ kind: 'exit', code: 42 });
  });
  it('tells a missing shell from a failing command', () => {
    const missing = endFromStatus({ status: 'Failure', reason: 'InternalError', message: 'OCI runtime exec failed: exec: "/bin/bash": stat /bin/bash: no such file or directory: unknown' });
    expect(missing.kind).toBe('error');
    expect(isMissingExecutable(missing)).toBe(true);
    expect(isMissingExecutable({ kind: 'exit', code: 1 })).toBe(false);
    expect(isMissingExecutable({ kind: 'closed', code: 1006, reason: '' })).toBe(false);
  });
});

describe('container choice', () => {
  const pod = (annotations: Record<string, string> = {}) => ({
    metadata: { name: 'p', annotations },
    spec: { containers: [{ name: 'envoy', image: 'envoy' }, { name: 'app', image: 'app:1' }] },
    status: { containerStatuses: [{ name: 'envoy', state: { running: {} } }, { name: 'app', state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
  });
  it('puts the default-container annotation first', () => {
    const c = containerChoices(pod({ 'kubectl.kubernetes.io/default-container': 'app' }) as never);
    expect(c.map((x) => [x.name, x.isDefault, x.running, x.state])).toEqual([
      ['app', true, false, 'waiting: CrashLoopBackOff'],
      ['envoy', false, true, 'running'],
    ]);
  });
  it('without the annotation the first container is the default', () => {
    expect(containerChoices(pod() as never)[0]).toMatchObject({ name: 'envoy', isDefault: true });
  });
});

describe('run-on-all-pods results', () => {
  const r = (pod: string, patch: Partial<RunPodResult>): RunPodResult => ({ namespace: 'ns', pod, container: 'c', state: 'done', output: '', truncated: false, ...patch });
  it('lists failures first, then running, then successes, slowest first', () => {
    const order = resultOrder([
      r('ok-fast', { exitCode: 0, durationMs: 10 }),
      r('ok-slow', { exitCode: 0, durationMs: 900 }),
      r('busy', { state: 'running' }),
      r('gone', { problem: 'pod gone', durationMs: 5 }),
      r('bad', { exitCode: 2, durationMs: 50 }),
    ]).map((x) => x.pod);
    expect(order).toEqual(['bad', 'gone', 'busy', 'ok-slow', 'ok-fast']);
  });
  it('strips control sequences from output but keeps its lines', () => {
    expect(sanitizeOutput('ok\r\n\x1b]52;c;aGk=\x07\x1b[2Jdone\n')).toBe('ok\ndone\n');
  });
});

describe('context banner', () => {
  it('names context, cluster, system, pod, container and user, without control characters from cluster data', () => {
    const text = bannerText({ context: 'prod-eu', cluster: 'eu-1', server: 'https://k8s', user: 'ops', namespace: 'cart', pod: 'web-1\x1b]0;x\x07', container: 'web' }, ['/bin/bash']);
    expect(text).toContain('context prod-eu (cluster eu-1, https://k8s)');
    expect(text).toMatch(/system cart\s+pod web-1\?\]0;x\?\s+container web\s+user ops/);
    expect(text).toContain('Ctrl-]');
  });
});
