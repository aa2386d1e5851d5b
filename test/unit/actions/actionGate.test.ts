import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionGate } from '../../../src/platform/actions/actionGate.js';
import { AuditLog } from '../../../src/platform/actions/auditLog.js';
import { applyHpaChange, hpaChangeFor } from '../../../src/platform/actions/hpaLimits.js';
import { applyRestart } from '../../../src/platform/actions/rolloutRestart.js';
import { applyScale, previewScale } from '../../../src/platform/actions/scaleOperation.js';
import { ReadOnlyError } from '../../../src/platform/actions/readOnlyGuard.js';
import { actionsConfigFrom, defaultAuditPath } from '../../../src/config/actionsConfig.js';
import { FakeScaleApi } from './fakeScaleApi.js';
import { scratchDir } from '../../support/scratchDir.js';

function setup(policy = { global: false, contexts: new Set<string>() }, context = 'test-ctx') {
  const dir = scratchDir('warroom-audit-');
  const api = new FakeScaleApi();
  api.add('cart', 'cart-api', 3);
  api.add('cart', 'cart-web', 2);
  const session = api.session(context);
  const audit = new AuditLog(join(dir, 'state', 'audit.jsonl'));
  const gate = new ActionGate({ session: () => session, policy, audit });
  const lines = () => {
    try {
      return readFileSync(audit.path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    } catch {
      return [];
    }
  };
  return { api, gate, audit, lines };
}

const opts = { concurrency: 4, maxFactor: 3, operation: 'op' };
const items = [
  { ref: { kind: 'Deployment' as const, namespace: 'cart', name: 'cart-api' }, change: { kind: 'factor' as const, factor: 2 } },
  { ref: { kind: 'Deployment' as const, namespace: 'cart', name: 'cart-web' }, change: { kind: 'factor' as const, factor: 2 } },
];

describe('read-only guard: every mutation path is refused', () => {
  it.each([
    ['--readonly', { global: true, contexts: new Set<string>() }, /started with --readonly/],
    ['config readOnly for the context', { global: false, contexts: new Set(['test-ctx']) }, /readOnly: true in the config file/],
  ])('%s refuses scale, restart, HPA limits and a raw perform, sends nothing and audits the refusal', async (_name, policy, why) => {
    const { api, gate, lines } = setup(policy);
    const preview = await previewScale(gate, items, opts);
    await expect(applyScale(gate, preview, opts)).rejects.toThrow(why);
    await expect(applyRestart(gate, { kind: 'Deployment', namespace: 'cart', name: 'cart-api' }, 'op')).rejects.toBeInstanceOf(ReadOnlyError);
    await expect(applyHpaChange(gate, hpaChangeFor('cart', { name: 'cart-api', min: 2, max: 4 }, 6), 'op')).rejects.toBeInstanceOf(ReadOnlyError);
    await expect(gate.perform({ action: 'exec', target: { namespace: 'cart', kind: 'Pod', name: 'p' }, run: async () => 'ran' })).rejects.toThrow(/exec refused: context 'test-ctx' is read-only/);
    expect(api.mutations()).toBe(0);
    expect(api.objects.get('cart/cart-api')!.replicas).toBe(3);
    const outcomes = lines().map((l) => `${l.action} ${l.name} ${l.outcome}`);
    expect(outcomes).toEqual(expect.arrayContaining(['scale cart-api refused: read-only', 'scale cart-web refused: read-only', 'exec p refused: read-only (' + (policy.global ? '--readonly' : 'config') + ')']));
  });

  it('a read-only context in the config does not make another context read-only', async () => {
    const { api, gate } = setup({ global: false, contexts: new Set(['prod']) }, 'staging');
    const preview = await previewScale(gate, items, opts);
    const results = await applyScale(gate, preview, opts);
    expect(results.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    expect(api.objects.get('cart/cart-api')!.replicas).toBe(6);
  });
});

describe('audit file', () => {
  it('appends one JSON line per application with user, context, from, to, dry-run result and outcome; mode 0600; no token', async () => {
    const { gate, audit, lines } = setup();
    const preview = await previewScale(gate, items, opts);
    await applyScale(gate, preview, opts);
    const recs = lines();
    expect(recs).toHaveLength(2);
    expect(recs[0]).toMatchObject({ user: 'test-user', context: 'test-ctx', action: 'scale', namespace: 'cart', kind: 'Deployment', dryRun: 'accepted', outcome: 'applied', operation: 'op' });
    expect(recs.map((r) => `${r.name} ${r.from}->${r.to}`).sort()).toEqual(['cart-api 3->6', 'cart-web 2->4']);
    expect(typeof recs[0].time).toBe('string');
    expect(statSync(audit.path).mode & 0o777).toBe(0o600);
    expect(readFileSync(audit.path, 'utf8')).not.toMatch(/Bearer|token/i);
  });

  it('refuses the change when the audit file cannot be written', async () => {
    const api = new FakeScaleApi();
    api.add('cart', 'cart-api', 3);
    const session = api.session();
    // A regular file where the directory should be: ENOTDIR, whoever runs the test.
    const dir = scratchDir('warroom-audit-');
    writeFileSync(join(dir, 'not-a-dir'), '');
    const gate = new ActionGate({ session: () => session, policy: { global: false, contexts: new Set() }, audit: new AuditLog(join(dir, 'not-a-dir', 'audit.jsonl')) });
    const preview = await previewScale(gate, items.slice(0, 1), opts);
    const [r] = await applyScale(gate, preview, opts);
    expect(r.outcome).toBe('failed');
    expect(r.reason).toMatch(/cannot write the audit file/);
    expect(api.mutations()).toBe(0);
  });

  it('defaults to $XDG_STATE_HOME/warroom/audit.jsonl, then ~/.local/state; the env and the flag win over the config', () => {
    expect(defaultAuditPath({ XDG_STATE_HOME: '/x' }, '/home/u')).toBe('/x/warroom/audit.jsonl');
    expect(defaultAuditPath({}, '/home/u')).toBe('/home/u/.local/state/warroom/audit.jsonl');
    const file = { path: 'c.yaml', exists: true, data: { audit: { path: '~/audit.jsonl' }, contexts: { prod: { readOnly: true }, dev: { elasticsearch: {} } } } };
    expect(actionsConfigFrom(file, { env: {}, home: '/home/u' }).auditPath).toBe('/home/u/audit.jsonl');
    expect(actionsConfigFrom(file, { env: { WARROOM_AUDIT_FILE: '/e.jsonl' }, home: '/h' }).auditPath).toBe('/e.jsonl');
    expect(actionsConfigFrom(file, { env: { WARROOM_AUDIT_FILE: '/e.jsonl' }, home: '/h', auditFile: '/f.jsonl' }).auditPath).toBe('/f.jsonl');
    expect([...actionsConfigFrom(file, { env: {}, home: '/h' }).readOnlyContexts]).toEqual(['prod']);
    expect(() => actionsConfigFrom({ ...file, data: { scale: { concurrency: 0 } } }, { env: {} })).toThrow(/scale.concurrency: must be a whole number from 1 to 512/);
  });
});

describe('dry-run and conflicts', () => {
  it('the preview dry-runs every change and changes nothing', async () => {
    const { api, gate } = setup();
    const preview = await previewScale(gate, items, opts);
    expect(preview.rows.map((r) => [r.ref.name, r.from, r.to, r.status])).toEqual([['cart-api', 3, 6, 'ok'], ['cart-web', 2, 4, 'ok']]);
    const patches = api.requests.filter((r) => r.method === 'PATCH');
    expect(patches.length).toBeGreaterThan(0);
    expect(patches.every((r) => r.dryRun)).toBe(true);
    expect(api.objects.get('cart/cart-api')!.replicas).toBe(3);
  });

  it('a change of the replicas since the preview is a conflict, and nothing is applied blind', async () => {
    const { api, gate, lines } = setup();
    const preview = await previewScale(gate, items.slice(0, 1), opts);
    api.beforePatch = () => {
      const o = api.objects.get('cart/cart-api')!;
      if (o.replicas === 3) Object.assign(o, { replicas: 10, rv: o.rv + 1 });
    };
    const [r] = await applyScale(gate, preview, opts);
    expect(r.outcome).toBe('conflict');
    expect(r.reason).toMatch(/changed since the preview: replicas are now 10 \(previewed 3\); preview again/);
    expect(api.objects.get('cart/cart-api')!.replicas).toBe(10);
    expect(lines()[0].outcome).toMatch(/^conflict: /);
  });

  it('a status-only change since the preview (same replicas, new resourceVersion) still applies the previewed change', async () => {
    const { api, gate } = setup();
    const preview = await previewScale(gate, items.slice(0, 1), opts);
    api.objects.get('cart/cart-api')!.rv += 1;
    const [r] = await applyScale(gate, preview, opts);
    expect(r.outcome).toBe('applied');
    expect(api.objects.get('cart/cart-api')!.replicas).toBe(6);
  });

  it('a forbidden application is shown in the preview and skipped; the others apply', async () => {
    const { api, gate, lines } = setup();
    api.forbidden.add('cart-web');
    const preview = await previewScale(gate, items, opts);
    expect(preview.rows.find((r) => r.ref.name === 'cart-web')).toMatchObject({ status: 'forbidden', reason: expect.stringContaining('forbidden') });
    const results = await applyScale(gate, preview, opts);
    expect(Object.fromEntries(results.map((r) => [r.row.ref.name, r.outcome]))).toEqual({ 'cart-api': 'applied', 'cart-web': 'skipped' });
    expect(lines().find((l) => l.name === 'cart-web')?.outcome).toMatch(/^skipped: /);
  });

  it('Esc (abort) stops sending: unsent applications are listed as cancelled, sent ones stay applied', async () => {
    const { api, gate } = setup();
    const preview = await previewScale(gate, items, opts);
    const ac = new AbortController();
    api.beforePatch = () => ac.abort();
    const results = await applyScale(gate, preview, { ...opts, concurrency: 1, signal: ac.signal });
    expect(results.map((r) => r.outcome)).toEqual(['applied', 'cancelled']);
    expect(api.objects.get('cart/cart-web')!.replicas).toBe(2);
  });
});

describe('preview against a busy controller', () => {
  it('a status write between the read and the dry-run (409) is read again and previewed once more', async () => {
    const { api, gate } = setup();
    let bumped = false;
    const session = api.session();
    const busy = new ActionGate({
      session: () => ({
        ...session,
        request: async (method: string, path: string, opts?: Parameters<typeof session.request>[2]) => {
          // The first dry-run finds a newer resourceVersion, as after a status update.
          if (method === 'PATCH' && !bumped) {
            bumped = true;
            api.objects.get('cart/cart-api')!.rv += 1;
          }
          return session.request(method, path, opts);
        },
      }),
      policy: { global: false, contexts: new Set() },
      audit: gate.audit,
    });
    const preview = await previewScale(busy, items.slice(0, 1), opts);
    expect(preview.rows[0]).toMatchObject({ status: 'ok', from: 3, to: 6 });
    expect(api.requests.filter((r) => r.dryRun)).toHaveLength(2);
  });
});

describe('apply against a busy controller', () => {
  it('retries while only the status moves, and gives up with a clear reason when it never settles', async () => {
    const { api, gate } = setup();
    const preview = await previewScale(gate, items, opts);
    let bumps = 0;
    api.beforePatch = (name) => {
      // cart-api: two status writes race the patch; cart-web: one on every attempt.
      const o = api.objects.get(`cart/${name}`)!;
      if (name === 'cart-web' || bumps++ < 2) o.rv += 1;
    };
    const results = await applyScale(gate, preview, opts);
    expect(Object.fromEntries(results.map((r) => [r.row.ref.name, r.outcome]))).toEqual({ 'cart-api': 'applied', 'cart-web': 'conflict' });
    expect(results.find((r) => r.row.ref.name === 'cart-web')!.reason).toMatch(/not applied: its status changed 5 times while sending \(replicas still 2\); preview again/);
    expect(api.objects.get('cart/cart-api')!.replicas).toBe(6);
    expect(api.objects.get('cart/cart-web')!.replicas).toBe(2);
  });
});
