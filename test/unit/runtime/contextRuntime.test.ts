// The console's composition: one ContextRuntime per kubeconfig context, replaced whole on
// `:ctx NAME`, with the config the CLI read handed in (no config file is read here).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCALE_SETTINGS } from '../../../src/config/actionsConfig.js';
import { startDemoPlatform, type DemoPlatform } from '../../../src/demo/launch.js';
import { ConsoleRuntime } from '../../../src/platform/consoleRuntime.js';
import type { ConsoleConfig } from '../../../src/platform/contextRuntime.js';
import { loadKubeSession } from '../../../src/platform/kube/kubeSession.js';
import { DEFAULT_RING_LIMITS } from '../../../src/platform/logs/logRing.js';
import { followPanes } from '../../../src/ui/views/panes.js';
import '../../../src/ui/views/registerPanes.js';
import { viewFeeds } from '../../../src/ui/views/lists/listViews.js';
import { ensureDemoBundle } from '../../contract/demoBundle.js';
import { scratchDir } from '../../support/scratchDir.js';

let demo: DemoPlatform;
let home: string;
beforeAll(async () => {
  const entry = await ensureDemoBundle();
  home = scratchDir('warroom-ctx-test-');
  demo = await startDemoPlatform({ pods: 100, churn: false, stateDir: join(home, 'demo'), entry });
}, 60_000);
afterAll(async () => {
  await demo?.stop();
});

/** A config as the CLI would hand it over; `asked` records which context's sections were read. */
function config(asked: string[]): ConsoleConfig {
  return {
    actions: { configPath: join(home, 'config.yaml'), auditPath: join(home, 'audit.jsonl'), kubernetesEvents: false, scale: DEFAULT_SCALE_SETTINGS, readOnlyContexts: new Set() },
    plugins: [],
    keys: { overrides: {}, aliases: {} },
    fleets: {},
    exec: (context) => {
      asked.push(`exec:${context}`);
      return { configPath: '', concurrency: 4, timeoutMs: 10_000, confirmThreshold: 10 };
    },
    logs: (context) => {
      asked.push(`logs:${context}`);
      return { configPath: '', limits: DEFAULT_RING_LIMITS };
    },
    metrics: (context) => {
      asked.push(`metrics:${context}`);
      return { configPath: '', problem: `no Prometheus for ${context}` };
    },
    alerts: (context) => {
      asked.push(`alerts:${context}`);
      return { configPath: '' };
    },
  };
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function consoleOn(asked: string[] = []): ConsoleRuntime {
  const session = loadKubeSession({ kubeconfig: demo.kubeconfigPath, context: demo.context });
  return new ConsoleRuntime({ sessions: [session], readOnly: false, config: config(asked), viewFeeds });
}

describe('ContextRuntime and :ctx', () => {
  it('builds one runtime per context and, on :ctx, disposes it and builds the next from scratch', async () => {
    const runtime = consoleOn();
    runtime.start();
    try {
      const first = runtime.ctx;
      expect(first.contextName).toBe(demo.context);
      await until('systems from the first context', () => first.store.namespaces.rows.size > 0);
      first.marks.toggle('apps|shop', 'uid-1');
      runtime.nav.push({ kind: 'apps', namespace: 'shop' });

      runtime.switchContext([demo.restrictedContext]);

      const next = runtime.ctx;
      expect(next).not.toBe(first);
      expect(next.contextName).toBe(demo.restrictedContext);
      expect(next.session.contextName).toBe(demo.restrictedContext);
      // Nothing of the old context carries over: its own gate, dialog, stores, marks.
      for (const part of ['gate', 'scale', 'store', 'logs', 'metrics', 'sparklines', 'exec', 'runs', 'marks', 'podDetail'] as const) {
        expect(next[part], part).not.toBe(first[part]);
      }
      expect(next.marks.marked('apps|shop').size).toBe(0);
      expect(runtime.nav.current.kind).toBe('systems');
      expect(runtime.nav.getSnapshot().stack).toHaveLength(1);
      expect(runtime.nav.getSnapshot().message?.text).toBe(`switched to context ${demo.restrictedContext} (${demo.url})`);
      await until('systems from the second context', () => next.store.namespaces.rows.size > 0);
    } finally {
      runtime.stop();
    }
  });

  it('keeps the current context and says why when :ctx names no context', () => {
    const runtime = consoleOn();
    const before = runtime.ctx;
    runtime.switchContext(['no-such-context']);
    expect(runtime.ctx).toBe(before);
    expect(runtime.nav.getSnapshot().message).toMatchObject({ level: 'error', text: expect.stringContaining('no-such-context') });
    runtime.stop();
  });

  it('reads each section for the context that uses it, from the config it was given', async () => {
    const asked: string[] = [];
    const runtime = consoleOn(asked);
    runtime.start();
    const stopPanes = followPanes(runtime);
    try {
      runtime.nav.push({ kind: 'logs', namespace: 'shop' });
      runtime.nav.back();
      runtime.nav.push({ kind: 'metrics', namespace: 'shop' });
      await until('the metrics pane to ask for its source', () => asked.includes(`metrics:${demo.context}`));
      runtime.nav.back();
      runtime.switchContext([demo.restrictedContext]);
      runtime.nav.push({ kind: 'logs', namespace: 'shop' });
      expect(asked).toContain(`logs:${demo.context}`);
      expect(asked).toContain(`logs:${demo.restrictedContext}`);
    } finally {
      stopPanes();
      runtime.stop();
    }
  });

  it('opens a pane from navigation and closes it when the user leaves or switches context', async () => {
    const runtime = consoleOn();
    runtime.start();
    const stopPanes = followPanes(runtime);
    try {
      const first = runtime.ctx;
      await until('pods', () => first.store.pods.rows.size > 0);
      const pod = [...first.store.pods.rows.values()][0];
      runtime.nav.push({ kind: 'pod', namespace: pod.namespace, pod: pod.name });
      expect(first.podDetail.getSnapshot()).toMatchObject({ namespace: pod.namespace, name: pod.name });
      runtime.nav.back();
      expect(first.podDetail.getSnapshot()).toBeUndefined();
      runtime.nav.push({ kind: 'pod', namespace: pod.namespace, pod: pod.name });
      expect(first.podDetail.getSnapshot()).toBeDefined();
      runtime.switchContext([demo.restrictedContext]);
      expect(first.podDetail.getSnapshot()).toBeUndefined();
      expect(runtime.ctx.podDetail.getSnapshot()).toBeUndefined();
    } finally {
      stopPanes();
      runtime.stop();
    }
  });
});

describe('a fleet: several context runtimes under one screen', () => {
  it('routes a view to its cluster and closes a pane in the cluster it was opened in', async () => {
    const sessions = [demo.context, demo.restrictedContext].map((context) => loadKubeSession({ kubeconfig: demo.kubeconfigPath, context }));
    const runtime = new ConsoleRuntime({ sessions, readOnly: false, config: config([]), viewFeeds });
    runtime.start();
    const stopPanes = followPanes(runtime);
    try {
      expect(runtime.fleet).toBe(true);
      expect(runtime.nav.current.kind).toBe('fleet-systems');
      const [first, second] = runtime.contexts;
      expect(runtime.ctx).toBe(first);
      // A pod opened in the second cluster; the views above it stay there.
      runtime.nav.push({ kind: 'pod', context: second.contextName, namespace: 'cart', pod: 'cart-api-0' });
      expect(runtime.ctx).toBe(second);
      expect(second.podDetail.getSnapshot()).toBeDefined();
      runtime.nav.push({ kind: 'logs', namespace: 'cart', pod: 'cart-api-0' });
      expect(runtime.nav.current.context).toBe(second.contextName);
      expect(second.logs.getSnapshot().scope).toBeDefined();
      expect(first.logs.getSnapshot().scope).toBeUndefined();
      // Back to the fleet view: the second cluster's logs stop (not the first's).
      runtime.nav.back();
      runtime.nav.back();
      expect(runtime.ctx).toBe(first);
      expect(second.logs.getSnapshot().scope).toBeUndefined();
    } finally {
      stopPanes();
      runtime.stop();
    }
  });
});

