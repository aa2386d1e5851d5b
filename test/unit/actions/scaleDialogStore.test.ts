import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCALE_SETTINGS, type ActionsConfig } from '../../../src/config/actionsConfig.js';
import { ActionGate } from '../../../src/platform/actions/actionGate.js';
import { AuditLog } from '../../../src/platform/actions/auditLog.js';
import { ClusterStore } from '../../../src/platform/stores/clusterStore.js';
import { MAX_REPLICA_INPUT_LENGTH } from '../../../src/platform/actions/replicaMath.js';
import { ScaleDialogStore } from '../../../src/platform/stores/scaleDialogStore.js';
import { FakeScaleApi } from './fakeScaleApi.js';
import { scratchDir } from '../../support/scratchDir.js';

// The dialog's flows without a screen: what the user is offered after each Enter / Esc.

function setup(readOnly = false) {
  const api = new FakeScaleApi();
  api.add('cart', 'cart-api', 4);
  api.add('cart', 'cart-web', 2);
  api.hpas = [{ metadata: { name: 'cart-api' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'cart-api' }, minReplicas: 2, maxReplicas: 6 } }];
  const session = api.session();
  const gate = new ActionGate({ session: () => session, policy: { global: readOnly, contexts: new Set() }, audit: new AuditLog(join(scratchDir('warroom-dlg-'), 'a.jsonl')) });
  const config: ActionsConfig = { configPath: '', auditPath: gate.auditPath, kubernetesEvents: false, scale: { ...DEFAULT_SCALE_SETTINGS, bulkConfirmThreshold: 1 }, readOnlyContexts: new Set() };
  const said: string[] = [];
  const store = new ClusterStore();
  const dialog = new ScaleDialogStore({ gate: () => gate, config: () => config, store: () => store, say: (t) => said.push(t) });
  const settle = async (pred: () => boolean) => {
    for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
  };
  return { api, dialog, said, settle };
}

const target = (name: string, desired: number) => ({ ref: { kind: 'Deployment' as const, namespace: 'cart', name }, desired, ready: desired });

describe('scale dialog flows', () => {
  it('read-only: the dialog is not offered and the guard says why', async () => {
    const { dialog, said } = setup(true);
    await dialog.openSingle(target('cart-web', 2));
    expect(dialog.isOpen).toBe(false);
    expect(said.at(-1)).toMatch(/scale refused: context 'test-ctx' is read-only \(started with --readonly\)/);
  });

  it('an HPA-managed application: h offers the HPA limits instead, dry-run first, then Enter applies them', async () => {
    const { api, dialog, settle } = setup();
    await dialog.openSingle(target('cart-api', 4));
    dialog.type('9');
    dialog.enter();
    await settle(() => dialog.getSnapshot()?.phase === 'preview');
    expect(dialog.getSnapshot()!.preview!.rows[0].warnings[0].text).toMatch(/HPA cart-api \(min 2, max 6\) will scale it back/);
    await dialog.offerHpa();
    expect(dialog.getSnapshot()).toMatchObject({ kind: 'hpa', hpaDryRun: 'accepted', hpaChange: { min: 9, max: 9 } });
    dialog.enter();
    await settle(() => dialog.getSnapshot()?.phase === 'done');
    expect((api.hpas[0] as { spec: object }).spec).toMatchObject({ minReplicas: 9, maxReplicas: 9 });
    expect(api.objects.get('cart/cart-api')!.replicas).toBe(4);
  });

  it('a bulk change over the threshold waits for the system name; a conflict is shown and Enter previews it again', async () => {
    const { api, dialog, settle } = setup();
    dialog.openBulk([target('cart-api', 4), target('cart-web', 2)], 'Scale system cart');
    for (const ch of 'x2') dialog.type(ch);
    dialog.enter();
    await settle(() => dialog.getSnapshot()?.phase === 'preview');
    expect(dialog.getSnapshot()!.confirmWord).toBe('cart');
    dialog.enter();
    expect(dialog.getSnapshot()).toMatchObject({ phase: 'preview', note: expect.stringContaining('type cart') });
    for (const ch of 'cart') dialog.type(ch);
    api.beforePatch = (name) => {
      const o = api.objects.get(`cart/${name}`)!;
      if (name === 'cart-web' && o.replicas === 2) Object.assign(o, { replicas: 3, rv: o.rv + 1 });
    };
    dialog.enter();
    await settle(() => dialog.getSnapshot()?.phase === 'watching' || dialog.getSnapshot()?.phase === 'done');
    const outcomes = Object.fromEntries(dialog.getSnapshot()!.results!.map((r) => [r.row.ref.name, r.outcome]));
    expect(outcomes).toEqual({ 'cart-api': 'applied', 'cart-web': 'conflict' });
    dialog.escape();
    expect(dialog.isOpen).toBe(false);
    // The undo record holds only what was applied.
    expect(dialog.undo.peek()?.entries.map((e) => `${e.ref.name} ${e.before}->${e.after}`)).toEqual(['cart-api 4->8']);
  });

  it('Enter on text that is not a replica change stays in the field with the reason and sends nothing', async () => {
    const { api, dialog } = setup();
    await dialog.openSingle(target('cart-web', 2));
    const requestsBefore = api.requests.length;
    for (const text of ['abc', '1e3', '1.5', 'x-1', '--5', '']) {
      while (dialog.getSnapshot()!.input !== '') dialog.backspace();
      for (const ch of text) dialog.type(ch);
      dialog.enter();
      expect(dialog.getSnapshot(), text).toMatchObject({ phase: 'edit', input: text, inputError: expect.any(String) });
    }
    expect(dialog.getSnapshot()!.inputError).toMatch(/type a number \(5\), a step \(\+2, -1\) or a factor/);
    expect(api.requests.length).toBe(requestsBefore);
    // Typing again clears the reason; a leading sign is a step, as the help says.
    for (const ch of '-1') dialog.type(ch);
    expect(dialog.getSnapshot()!.inputError).toBeUndefined();
    dialog.enter();
    expect(dialog.getSnapshot()!.phase).toBe('previewing');
  });

  it('the field stops at its length limit and says so', async () => {
    const { dialog } = setup();
    dialog.openBulk([target('cart-api', 4), target('cart-web', 2)], 'Scale system cart');
    for (const ch of '1'.repeat(40)) dialog.type(ch);
    expect(dialog.getSnapshot()).toMatchObject({ input: '1'.repeat(MAX_REPLICA_INPUT_LENGTH), inputError: `at most ${MAX_REPLICA_INPUT_LENGTH} characters in this field` });
    dialog.backspace();
    dialog.type('x');
    expect(dialog.getSnapshot()).toMatchObject({ input: `${'1'.repeat(MAX_REPLICA_INPUT_LENGTH - 1)}x`, inputError: undefined });
  });
});
