import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoPerFile, keys, type ConsoleScreen } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// Exec as far as the console shows it without giving the terminal away, in process: refusals
// (read-only, RBAC, a container not running), :run with its preview, confirmation, results
// and report. Shells and plugins, which take the whole terminal, are tested in test/tty/exec.

const fixture = demoPerFile();
let home: string;

/** A console with a config file of its own (or none) and an audit file to read. */
function open(config: object = {}, opts: { readOnly?: boolean; context?: string } = {}): Promise<ConsoleScreen> {
  home = scratchDir('warroom-exec-ui-');
  const configPath = join(home, 'config.yaml');
  // JSON is YAML.
  writeFileSync(configPath, JSON.stringify(config));
  // Read with the config when the console is opened (this file runs in a process of its own).
  process.env.WARROOM_AUDIT_FILE = join(home, 'audit.jsonl');
  return fixture.open({ configPath, ...opts });
}

function auditLines(): Array<Record<string, unknown>> {
  const path = join(home, 'audit.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Pods view of one application with a single container, cursor moved off the first row. */
async function podsOfSingleContainerApp(c: ConsoleScreen, app: string): Promise<string> {
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

async function api<T>(path: string): Promise<T> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(fixture.demo.kubeconfigPath);
  kc.setCurrentContext(fixture.demo.context);
  const init: { headers?: Record<string, string> } = {};
  await kc.applyToFetchOptions(init as never);
  return (await fetch(`${fixture.demo.url}${path}`, { headers: init.headers })).json() as Promise<T>;
}

describe('exec: refusals', () => {
  it('is refused in read-only mode with a clear message, and the refusal is audited', async () => {
    const c = await open({}, { readOnly: true });
    const pod = await podsOfSingleContainerApp(c, 'cart-api');
    c.press('s');
    await c.waitFor(/exec refused: context 'warroom-demo' is read-only \(started with --readonly\)/);
    expect(c.ended).toBeUndefined(); // no hand-off: the console kept the terminal
    expect(c.selectedRow()).toContain(pod);
    // The audit record is appended as the refusal is shown; wait for the write, not the screen.
    await c.waitFor(() => auditLines().some((r) => r.action === 'exec' && String(r.outcome).startsWith('refused: read-only')));
  });

  it('a context marked readOnly in the config file refuses shells and :run too', async () => {
    const c = await open({ contexts: { [fixture.demo.context]: { readOnly: true } } });
    await podsOfSingleContainerApp(c, 'cart-api');
    c.press('s');
    await c.waitFor(/exec refused: context 'warroom-demo' is read-only \(readOnly: true in the config file\)/);
    const refusals = () => auditLines().filter((r) => String(r.outcome) === 'refused: read-only (config)');
    await c.waitFor(() => refusals().length === 1);
    await c.type(':run hostname');
    c.press(keys.enter);
    // The :run refusal is audited with the command; no results view opens.
    await c.waitFor(() => refusals().some((r) => r.command === 'hostname'));
    await c.waitFor("exec refused: context 'warroom-demo' is read-only");
    expect(c.screen()).not.toContain('Run on pods');
    expect(c.screen()).not.toContain(': preview');
  });

  it('a user without pods/exec learns which verb on which resource is missing before anything starts', async () => {
    const c = await open({}, { context: fixture.demo.restrictedContext });
    await podsOfSingleContainerApp(c, 'cart-api');
    c.press('s');
    await c.waitFor(/exec forbidden \(403\): user \S+ may not create pods\/exec \S+ in cart/);
    expect(c.ended).toBeUndefined(); // no hand-off: the console kept the terminal
  });

  it('a container that is not running gets one clear line and no hand-over', async () => {
    const c = await open();
    await c.waitFor('● live');
    await c.type(':pods cart');
    c.press(keys.enter);
    await c.waitFor(/POD.*READY.*STATUS/);
    await c.type('/CrashLoopBackOff');
    c.press(keys.enter);
    await c.waitFor(() => (c.selectedRow() ?? '').includes('CrashLoopBackOff'));
    c.press('s');
    await c.waitFor(/is not running \(waiting: CrashLoopBackOff\); no shell possible/);
    expect(c.raw).not.toContain('warroom exec');
    expect(c.ended).toBeUndefined(); // no hand-off: the console kept the terminal
  });
});

describe('exec: run on all pods', () => {
  it(':run runs one command in every pod of the application, failures first, and w writes the results to a file', async () => {
    type PodList = { items: Array<{ metadata: { name: string }; status: { phase: string } }> };
    const pods = (await api<PodList>('/api/v1/namespaces/cart/pods')).items.filter((p) => p.metadata.name.startsWith('cart-api-') && p.status.phase === 'Running');
    const unlucky = pods.map((p) => p.metadata.name).sort()[2];
    const resultsDir = scratchDir('warroom-run-results-');
    const c = await open({ exec: { concurrency: 4, resultsDir } });
    await c.waitFor('● live');
    await c.type(':apps cart');
    c.press(keys.enter);
    await c.waitFor(/APPLICATION.*KIND/);
    await c.type('/cart-api');
    c.press(keys.enter);
    await c.waitFor(() => (c.selectedRow() ?? '').includes('cart-api'));
    c.press('!');
    await c.waitFor(':run █');
    await c.type(`sh -c 'hostname; test "$HOSTNAME" != ${unlucky}'`);
    c.press(keys.enter);
    // Nothing runs before the preview is confirmed: it names context, system, application,
    // pod count, container and the command.
    await c.waitFor(`Run a command on ${pods.length} pods: preview`);
    const preview = c.screen();
    expect(preview).toMatch(new RegExp(`context\\s+${fixture.demo.context}`));
    expect(preview).toMatch(/system\s+cart\b/);
    expect(preview).toMatch(/target\s+Deployment\/cart-api in cart/);
    expect(preview).toMatch(new RegExp(`pods\\s+${pods.length} Running`));
    expect(preview).toMatch(/container\s+each pod's default container/);
    expect(preview).toContain(`command     sh -c 'hostname; test "$HOSTNAME" != ${unlucky}'`);
    expect(auditLines().filter((r) => r.action === 'exec')).toHaveLength(0);
    c.press(keys.enter);
    await c.waitFor(new RegExp(`${pods.length}/${pods.length} done, 1 failed`), 30_000);
    // The failed pod is listed first and selected; its output is on the right.
    const first = c.lines().find((l) => /[✗✓]/.test(l))!;
    expect(first).toMatch(new RegExp(`✗ ${unlucky}\\s+exit 1`));
    expect(c.screen()).toMatch(new RegExp(`│ ${unlucky} \\(cart-api\\)\\s+exit 1`));
    expect(c.lines().filter((l) => /✓ cart-api-\S+\s+exit 0/.test(l))).toHaveLength(Math.min(pods.length - 1, 20));
    c.press('w');
    await c.waitFor(/results written to \S+warroom-run-/);
    const file = readdirSync(resultsDir).find((f) => f.startsWith('warroom-run-'))!;
    const report = readFileSync(join(resultsDir, file), 'utf8');
    expect(report).toContain(`== cart/${unlucky} (cart-api)  exit 1`);
    expect(report.indexOf(`cart/${unlucky}`)).toBeLessThan(report.indexOf('exit 0'));
    // One record per pod, appended in batches as the runs end.
    await c.waitFor(() => auditLines().filter((r) => r.action === 'exec').length >= pods.length);
    const audit = auditLines().filter((r) => r.action === 'exec');
    expect(audit).toHaveLength(pods.length);
    expect(new Set(audit.map((r) => r.operation)).size).toBe(1);
    expect(audit.find((r) => r.name === unlucky)).toMatchObject({ outcome: 'exit 1', container: 'cart-api' });
    c.press(keys.esc);
    await c.waitFor(/APPLICATION.*KIND/);
    expect(c.selectedRow()).toContain('cart-api');
  });

  it('a run on more pods than exec.confirmThreshold starts only after the system name is typed; Esc runs nothing', async () => {
    const c = await open({ exec: { confirmThreshold: 1 } });
    await c.waitFor('● live');
    await c.type(':apps cart');
    c.press(keys.enter);
    await c.waitFor(/APPLICATION.*KIND/);
    await c.type('/cart-api');
    c.press(keys.enter);
    await c.waitFor(() => (c.selectedRow() ?? '').includes('cart-api'));
    await c.type(':run hostname');
    c.press(keys.enter);
    await c.waitFor(/Run a command on \d+ pods: preview/);
    await c.waitFor('type cart and press Enter to run');
    c.press(keys.enter);
    await c.waitFor('type cart and press Enter to apply (Esc goes back)');
    c.press(keys.esc);
    await c.waitFor((s) => !s.includes(': preview') && /APPLICATION.*KIND/.test(s));
    expect(c.screen()).not.toContain('Run on pods');
    expect(auditLines().filter((r) => r.action === 'exec')).toHaveLength(0);

    await c.type(':run hostname');
    c.press(keys.enter);
    await c.waitFor('confirm: █');
    await c.type('cart');
    await c.waitFor('confirm: cart█');
    c.press(keys.enter);
    await c.waitFor(/(\d+)\/\1 done, 0 failed/, 30_000);
    await c.waitFor(() => auditLines().filter((r) => r.action === 'exec' && r.command === 'hostname').length > 1);
  });
});
