import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDemoPlatform } from '../../src/demo/launch.js';
import { ConsoleUnderTest, demoPerFile, keys } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// Screen tests of exec: a shell in a demo pod with the terminal handed over and back.

const fixture = demoPerFile();
let home: string;


function open(extra: string[] = [], opts: ConstructorParameters<typeof ConsoleUnderTest>[1] = {}, config?: object): ConsoleUnderTest {
  // A config and state directory of its own: no user config, and an audit file to read.
  home = scratchDir('warroom-exec-tty-');
  if (config) {
    mkdirSync(join(home, 'config', 'warroom'), { recursive: true });
    // JSON is YAML.
    writeFileSync(join(home, 'config', 'warroom', 'config.yaml'), JSON.stringify(config));
  }
  const c = new ConsoleUnderTest(['--kubeconfig', fixture.demo.kubeconfigPath, '--context', fixture.demo.context, ...extra], {
    ...opts,
    env: { XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), WARROOM_CONFIG: undefined, WARROOM_AUDIT_FILE: undefined, ...opts.env },
  });
  fixture.track(c);
  return c;
}

function auditLines(): Array<Record<string, unknown>> {
  const path = join(home, 'state', 'warroom', 'audit.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Pods view of one application with a single container, cursor moved off the first row. */
async function podsOfSingleContainerApp(c: ConsoleUnderTest, app: string): Promise<string> {
  await c.waitFor('● live');
  await c.type(':pods cart');
  c.press(keys.enter);
  await c.waitFor(/POD.*READY.*STATUS/);
  await c.type(`/${app}`);
  c.press(keys.enter);
  await c.waitFor((s) => s.includes(`filter: ${app}`) && s.includes('Running'));
  const podRows = () => c.lines().filter((l) => l.trim().startsWith(`${app}-`));
  await c.waitFor(() => podRows().length >= 2);
  const second = podRows()[1].trim().split(/\s+/)[0];
  c.press('j');
  await c.waitFor(() => (c.selectedRow() ?? '').includes(second));
  return second;
}

describe('exec: a shell in a pod', () => {
  it('s opens a shell with a context banner; echo works; exit comes back to the same view, selection and filter', async () => {
    const c = open();
    const pod = await podsOfSingleContainerApp(c, 'cart-api');
    c.press('s');
    await c.waitFor('warroom exec', 30_000);
    expect(c.bufferType).toBe('normal');
    const banner = c.text();
    expect(banner).toContain(`context ${fixture.demo.context}`);
    expect(banner).toMatch(new RegExp(`system cart\\s+pod ${pod}\\s+container \\S+\\s+user \\S+`));
    await c.waitFor(`[${pod}]`);
    await c.type('echo hello-from-warroom\r');
    await c.waitFor(/^hello-from-warroom\s*$/m);
    await c.type('exit\r');
    await c.waitFor(/POD.*READY.*STATUS/);
    expect(c.bufferType).toBe('alternate');
    await c.waitFor(/shell \/bin\/bash ended: exit 0 — context warroom-demo · system cart · pod/);
    expect(c.text()).toContain('filter: cart-api');
    expect(c.selectedRow()).toContain(pod);
    // Keys work again after the remount.
    c.press('j');
    await c.waitFor(() => !(c.selectedRow() ?? '').includes(pod));
    const audit = auditLines().filter((r) => r.action === 'exec');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ context: fixture.demo.context, namespace: 'cart', kind: 'Pod', name: pod, command: '/bin/bash', outcome: 'applied' });
    expect(typeof audit[0].container).toBe('string');
    expect(JSON.stringify(audit)).not.toContain('hello-from-warroom');
  });

  it('a second shell after a detach starts on a clear screen with its banner alone; after q the normal screen holds no transcript', async () => {
    const c = open();
    const pod = await podsOfSingleContainerApp(c, 'cart-api');
    c.press('s');
    await c.waitFor(`[${pod}]`, 30_000);
    await c.type('echo first-shell-transcript\r');
    await c.waitFor(/^first-shell-transcript\s*$/m);
    c.press('\x1d');
    await c.waitFor(/detached/);
    expect(c.selectedRow()).toContain(pod);
    c.press('s');
    await c.waitFor(`[${pod}]`, 30_000);
    const second = c.lines().filter((l) => l.trim() !== '');
    // The banner's three lines, then the new shell's prompt: nothing of the first shell.
    expect(second[0]).toMatch(new RegExp(`^ warroom exec  context ${fixture.demo.context} \\(cluster \\S+, http://127\\.0\\.0\\.1:\\d+\\) $`));
    expect(second[1]).toMatch(new RegExp(`^  system cart  pod ${pod}  container \\S+  user \\S+$`));
    expect(second[2]).toMatch(/^ {2}\/bin\/bash {2}· {2}exit the shell or press Ctrl-] to return to warroom$/);
    expect(second.length).toBeGreaterThan(3);
    expect(second.slice(3).every((l) => l.includes(`[${pod}]`))).toBe(true);
    expect(c.text()).not.toContain('first-shell-transcript');
    await c.type('exit\r');
    await c.waitFor(/POD.*READY.*STATUS/);
    c.press('q');
    expect(await c.exited).toBe(0);
    expect(c.bufferType).toBe('normal');
    expect(c.text()).not.toContain('first-shell-transcript');
    expect(c.text()).not.toContain('warroom exec');
  });

  it('Ctrl-C goes to the remote program, not to the console', async () => {
    const c = open();
    const pod = await podsOfSingleContainerApp(c, 'cart-api');
    c.press('s');
    await c.waitFor(`[${pod}]`, 30_000);
    await c.type('sleep 30; echo not-interrupted\r');
    await new Promise((r) => setTimeout(r, 300));
    c.press(keys.ctrlC);
    await c.type('echo still-in-the-shell\r');
    await c.waitFor(/^still-in-the-shell\s*$/m);
    expect(c.text()).not.toMatch(/^not-interrupted\s*$/m);
    expect(c.exitCode).toBeUndefined();
    expect(c.bufferType).toBe('normal');
    await c.type('exit\r');
    await c.waitFor(/POD.*READY.*STATUS/);
  });

  it('Ctrl-] detaches from a running shell and the console comes back', async () => {
    const c = open();
    const pod = await podsOfSingleContainerApp(c, 'cart-api');
    c.press('s');
    await c.waitFor(`[${pod}]`, 30_000);
    c.press('\x1d');
    await c.waitFor(/POD.*READY.*STATUS/);
    await c.waitFor(/detached/);
    expect(c.selectedRow()).toContain(pod);
  });



});

async function api<T>(path: string): Promise<T> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(fixture.demo.kubeconfigPath);
  kc.setCurrentContext(fixture.demo.context);
  const init: { headers?: Record<string, string> } = {};
  await kc.applyToFetchOptions(init as never);
  return (await fetch(`${fixture.demo.url}${path}`, { headers: init.headers })).json() as Promise<T>;
}

describe('exec: containers, shells and resizes', () => {
  it('the remote terminal follows a resize during the session, and the console comes back at the new size', async () => {
    const c = open();
    const pod = await podsOfSingleContainerApp(c, 'cart-api');
    c.press('s');
    await c.waitFor(`[${pod}]`, 30_000);
    await c.type('stty size\r');
    await c.waitFor(/^30 120\s*$/m);
    c.resize(100, 24);
    await c.type('clear; stty size\r');
    await c.waitFor(/^24 100\s*$/m);
    await c.type('exit\r');
    await c.waitFor(/POD.*READY.*STATUS/);
    await c.waitFor(/shell \/bin\/bash ended: exit 0/);
    // The header's connection state sits at the right edge of the new width.
    await c.waitFor(() => c.lines()[0].trimEnd().length <= 100 && c.lines()[0].includes('● live'));
    expect(c.selectedRow()).toContain(pod);
  });

  it('a pod with several containers asks which one; a container without bash falls back to /bin/sh', async () => {
    type PodList = { items: Array<{ metadata: { name: string; namespace: string }; spec: { containers: Array<{ name: string }> }; status: { phase: string } }> };
    const pods = await api<PodList>('/api/v1/pods');
    const withEnvoy = pods.items.find((p) => p.status.phase === 'Running' && p.spec.containers.some((x) => x.name === 'envoy'));
    if (!withEnvoy) throw new Error('the demo scenario has no Running pod with an envoy sidecar');
    const pod = withEnvoy.metadata.name;
    const ns = withEnvoy.metadata.namespace;
    const c = open();
    await c.waitFor('● live');
    await c.type(`:pods ${ns}`);
    c.press(keys.enter);
    await c.waitFor(/POD.*READY.*STATUS/);
    await c.type(`/${pod}`);
    c.press(keys.enter);
    await c.waitFor(() => (c.selectedRow() ?? '').includes(pod));
    c.press('s');
    await c.waitFor(`Shell in ${ns}/${pod}: which container?`);
    const appContainer = withEnvoy.spec.containers[0].name;
    expect(c.text()).toMatch(new RegExp(`▸ ${appContainer}\\s+default\\s+running`));
    c.press('j');
    await c.waitFor(/▸ envoy/);
    c.press(keys.enter);
    await c.waitFor('/bin/bash is not in the image; trying /bin/sh', 30_000);
    await c.waitFor(`[${pod}]`);
    await c.type('echo "in $CONTAINER"\r');
    await c.waitFor(/^in envoy\s*$/m);
    await c.type('exit\r');
    await c.waitFor(`shell /bin/sh ended: exit 0 — context warroom-demo · system ${ns} · pod ${pod}`);
    expect(c.text()).toContain(`Systems › ${ns} › Pods`);
    expect(c.selectedRow()).toContain(pod);
  });
});

describe('exec: plugins', () => {
  const hello = {
    name: 'hello',
    key: 't',
    description: 'say hello',
    command: 'sh',
    args: ['-c', 'printf "plugin in %s/%s (%s) ctx %s\\n" "$1" "$2" "$3" "$4"; read line; echo "got $line"; sleep 0.3; exit 4', 'sh', '$NAMESPACE', '$POD', '$CONTAINER', '$CONTEXT'],
  };

  it('a plugin key runs the command in a local pty with the pod as variables, keys reach it, and the console comes back', async () => {
    const c = open([], {}, { plugins: [hello] });
    const pod = await podsOfSingleContainerApp(c, 'cart-api');
    c.press('?');
    await c.waitFor(/\bt\s+plugin hello: say hello/);
    c.press(keys.esc);
    await c.waitFor(/POD.*READY.*STATUS/);
    c.press('t');
    await c.waitFor(`plugin in cart/${pod} (cart-api) ctx ${fixture.demo.context}`, 30_000);
    expect(c.text()).toContain('warroom plugin hello');
    await c.type('typed-into-plugin\r');
    await c.waitFor('got typed-into-plugin');
    await c.waitFor(/plugin hello \(sh\) exited with code 4/);
    expect(c.bufferType).toBe('alternate');
    expect(c.selectedRow()).toContain(pod);
    expect(auditLines().find((r) => r.action === 'plugin')).toMatchObject({ name: pod, outcome: 'started' });
  });

  it('a plugin key that the console already uses is refused before the screen changes', async () => {
    const c = open([], {}, { plugins: [{ ...hello, key: 's' }] });
    expect(await c.exited).not.toBe(0);
    // The message names both bindings: the console's and the plugin's.
    await c.waitFor(/warroom: key s is bound twice in Pods view: to row\.shell/);
    expect(c.raw.replace(/\r?\n/g, '')).toMatch(/in Pods view and to plugin\.hello \(plugin hello: say hello\)/);
    expect(c.raw).not.toContain('\x1b[?1049h');
  });
});

describe('exec: faults', () => {

  it('SIGHUP during a shell (the SSH session dropped) leaves a restored terminal', async () => {
    const c = open();
    const pod = await podsOfSingleContainerApp(c, 'cart-api');
    c.press('s');
    await c.waitFor(`[${pod}]`, 30_000);
    await c.type("printf '\\033[?1049h\\033[?1hREMOTE-FULLSCREEN'\r");
    await c.waitFor('REMOTE-FULLSCREEN');
    c.proc.kill('SIGHUP');
    await c.exited;
    expect(c.terminalRestored()).toEqual({ cursorShown: true, normalScreen: true });
    const tail = c.raw.slice(c.raw.lastIndexOf('REMOTE-FULLSCREEN'));
    expect(tail).toContain('\x1b[?1l');
  });

  it('the API server dying mid-session (remote in full-screen mode) gives one line and a working, restored console', async () => {
    const own = await startDemoPlatform({ pods: 200, churn: false, seed: 11 });
    try {
      home = scratchDir('warroom-exec-tty-');
      const c = new ConsoleUnderTest(['--kubeconfig', own.kubeconfigPath, '--context', own.context], {
        env: { XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), WARROOM_CONFIG: undefined, WARROOM_AUDIT_FILE: undefined },
      });
      fixture.track(c);
      await c.waitFor('● live');
      await c.type(':pods trade');
      c.press(keys.enter);
      await c.waitFor(/POD.*READY.*STATUS/);
      await c.type('/order-api');
      c.press(keys.enter);
      await c.waitFor(() => (c.selectedRow() ?? '').includes('order-api'));
      const pod = c.selectedRow()!.trim().split(/\s+/)[0];
      c.press('s');
      await c.waitFor(`[${pod}]`, 30_000);
      // The remote program takes the alternate screen, application cursor keys and mouse reporting...
      await c.type("printf '\\033[?1049h\\033[?1h\\033[?1000hFULLSCREEN'\r");
      await c.waitFor('FULLSCREEN');
      // ...and then the API server goes away.
      process.kill(own.pid, 'SIGKILL');
      await c.waitFor(/POD.*READY.*STATUS/, 30_000);
      await c.waitFor(/shell \/bin\/bash ended: connection to \S+ dropped \(WebSocket 1006\)/);
      expect(c.bufferType).toBe('alternate');
      // The modes the remote switched on were switched off before the console came back.
      const back = c.raw.slice(c.raw.lastIndexOf('FULLSCREEN'));
      expect(back).toContain('\x1b[?1l');
      expect(back).toContain('\x1b[?1000l');
      // Keys still work: ? opens the help page.
      c.press('?');
      await c.waitFor(/Keys — pods view/);
      c.press(keys.ctrlC);
      await c.exited;
      expect(c.terminalRestored()).toEqual({ cursorShown: true, normalScreen: true });
    } finally {
      await own.stop();
    }
  });
});
