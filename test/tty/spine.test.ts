import { describe, expect, it } from 'vitest';
import { ConsoleUnderTest, demoPerFile, keys } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// What only a real process shows: the terminal restored on every exit path (Ctrl-C, q,
// SIGHUP, SIGTERM) and errors before the screen changes. Views, keys and filters are
// tested in process, in test/ui/spine.test.ts.

const fixture = demoPerFile();

function open(extra: string[] = [], opts: ConstructorParameters<typeof ConsoleUnderTest>[1] = {}): ConsoleUnderTest {
  const c = new ConsoleUnderTest(['--kubeconfig', fixture.demo.kubeconfigPath, '--context', fixture.demo.context, ...extra], opts);
  fixture.track(c);
  return c;
}

/** A kubeconfig whose one context, dead-ctx, points at a port nothing listens on. */
async function deadKubeconfig(current: boolean): Promise<string> {
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const file = join(scratchDir('warroom-test-'), 'config');
  writeFileSync(file, `apiVersion: v1
kind: Config
clusters: [{name: dead, cluster: {server: "http://127.0.0.1:9"}}]
users: [{name: u, user: {token: s3cr3t-token}}]
contexts: [{name: dead-ctx, context: {cluster: dead, user: u}}]
${current ? 'current-context: dead-ctx\n' : ''}`);
  return file;
}

describe('the terminal is restored on every exit path', () => {
  it('Ctrl-C leaves the alternate screen with the cursor shown', async () => {
    const c = open();
    await c.waitFor('● live');
    expect(c.bufferType).toBe('alternate');
    c.press(keys.ctrlC);
    expect(await c.exited).toBe(0);
    expect(c.terminalRestored()).toEqual({ cursorShown: true, normalScreen: true });
  });

  it('q quits and SIGHUP (a dropped SSH session) restores the terminal too', async () => {
    const q = open();
    await q.waitFor('● live');
    q.press('q');
    expect(await q.exited).toBe(0);
    expect(q.terminalRestored()).toEqual({ cursorShown: true, normalScreen: true });
    const h = open();
    await h.waitFor('● live');
    h.proc.kill('SIGHUP');
    await h.exited;
    expect(h.terminalRestored()).toEqual({ cursorShown: true, normalScreen: true });
  });

  it('SIGTERM restores the terminal too', async () => {
    const c = open();
    await c.waitFor('● live');
    c.proc.kill('SIGTERM');
    await c.exited;
    expect(c.terminalRestored()).toEqual({ cursorShown: true, normalScreen: true });
  });

});

describe('errors before the screen changes', () => {
  it('names a missing kubeconfig without a stack trace', async () => {
    const c = new ConsoleUnderTest(['--kubeconfig', '/nonexistent/kubeconfig']);
    fixture.track(c);
    expect(await c.exited).not.toBe(0);
    const out = await c.waitFor(/warroom:/);
    expect(out).toMatch(/warroom: .*\/nonexistent\/kubeconfig/);
    expect(out).not.toMatch(/\s+at\s+\S+ \(/);
    expect(c.raw).not.toContain('\x1b[?1049h');
  });

  it('lists the contexts for an unknown one', async () => {
    const c = new ConsoleUnderTest(['--kubeconfig', fixture.demo.kubeconfigPath, '--context', 'prod']);
    fixture.track(c);
    expect(await c.exited).not.toBe(0);
    await c.waitFor(/warroom:/);
    expect(c.text()).toMatch(/prod/);
    expect(c.text()).toMatch(/warroom-demo/);
  });

  it('says which user and context were rejected for a bad token (401), without the token', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = join(scratchDir('warroom-test-'), 'config');
    writeFileSync(file, readFileSync(fixture.demo.kubeconfigPath, 'utf8').replace(/token: .*/g, 'token: not-the-token-42'));
    const c = new ConsoleUnderTest(['--kubeconfig', file]);
    fixture.track(c);
    expect(await c.exited).not.toBe(0);
    await c.waitFor(/warroom:/);
    expect(c.text()).toMatch(/credentials of user .* for context warroom-demo were rejected \(401\)/);
    expect(c.text()).not.toContain('not-the-token-42');
  });

  it('names the context and URL of an unreachable server', async () => {
    const file = await deadKubeconfig(true);
    const c = new ConsoleUnderTest(['--kubeconfig', file]);
    fixture.track(c);
    expect(await c.exited).not.toBe(0);
    await c.waitFor(/warroom:/);
    expect(c.text()).toMatch(/dead-ctx/);
    expect(c.text()).toMatch(/127\.0\.0\.1:9/);
    expect(c.text()).not.toContain('s3cr3t-token');
    // While the connection was tried, the terminal said which one, on a line of its own.
    expect(c.lines().map((l) => l.trimEnd())).toContain('warroom: connecting to dead-ctx at http://127.0.0.1:9…');
  });

  it(':ctx to a server that does not answer says "connecting to CONTEXT at URL…" (with the cause), not "loading"', async () => {
    const dead = await deadKubeconfig(false);
    const c = new ConsoleUnderTest(['--context', fixture.demo.context], { env: { KUBECONFIG: `${fixture.demo.kubeconfigPath}:${dead}` } });
    fixture.track(c);
    await c.waitFor('● live', 30_000);
    await c.type(':ctx dead-ctx');
    c.press(keys.enter);
    await c.waitFor('◌ connecting to dead-ctx at http://127.0.0.1:9…');
    await c.waitFor('◌ connecting to dead-ctx at http://127.0.0.1:9… (connection refused)', 15_000);
    expect(c.text()).not.toContain('loading');
    await c.type(`:ctx ${fixture.demo.context}`);
    c.press(keys.enter);
    await c.waitFor('● live', 30_000);
  });
});
