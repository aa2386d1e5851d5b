import { render } from 'ink';
import { lightBackground, loadTheme } from '../config/theme.js';
import { ConsoleRuntime } from '../platform/consoleRuntime.js';
import { describeError, UserError } from '../platform/errors.js';
import { forDisplay, sanitize } from '../platform/text/sanitize.js';
import { loadKubeSession, preflight, type KubeSession } from '../platform/kube/kubeSession.js';
import { runHandoff, type TerminalSession } from '../terminal/handoff.js';
import { chooseCharset, colorDepth, terminalProblem } from '../terminal/capabilities.js';
import { glyphs, setCharset } from '../terminal/glyphs.js';
import { enterFullScreen, installExitGuards, isFullScreen, restoreTerminal } from '../terminal/screen.js';
import { adaptedStdout } from '../terminal/terminalOutput.js';
import { App } from '../ui/App.js';
import { buildKeyStack } from '../ui/keys/buildKeyStack.js';
import { viewFeeds } from '../ui/views/lists/listViews.js';
import { followPanes } from '../ui/views/panes.js';
import '../ui/views/registerPanes.js';
import { frameRenderDuration } from '../self/selfMetrics.js';
import { ThemeContext } from '../ui/theme/ThemeContext.js';
import { TerminalSizeProvider } from '../ui/widgets/TerminalSize.js';
import type { CliOptions } from './args.js';
import { loadConsoleConfig } from './consoleConfig.js';
import { tuneHeap } from './heapTuning.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../config/packageRoot.js';
import { singleExecutable } from '../sea/singleExecutable.js';
import { decodeListsOffThread, type WorkerSource } from '../platform/kube/listDecoder.js';

// Connects (with one clear error before the screen changes), then runs the full-screen UI
// until the user quits. `warroom demo` first starts the embedded demo platform.

/** The list decoder's worker: its script beside the console's bundle, or the one the single executable carries. */
function listDecoderWorker(): WorkerSource | undefined {
  const sea = singleExecutable();
  if (sea) {
    const code = sea.readText('list-decoder.cjs');
    return code ? { code } : undefined;
  }
  const file = join(packageRoot(), 'dist', 'list-decoder.mjs');
  return existsSync(file) ? { file } : undefined;
}

export async function runConsole(opts: CliOptions): Promise<number> {
  tuneHeap();
  decodeListsOffThread(listDecoderWorker());
  const colors = colorDepth(process.env);
  const theme = loadTheme(opts.theme, process.env, colors);
  // The demo starts a platform first: an unusable terminal is refused before that.
  if (opts.command === 'demo') refuseUnusableTerminal();
  let stopDemo: (() => Promise<void>) | undefined;
  // From here on: Ctrl-C while the demo starts or a server is tried exits through process.exit,
  // so the demo's own directories are removed (their 'exit' handlers) and its platforms stopped.
  installExitGuards({
    onFatal: (reason, err) => {
      void stopDemo?.();
      if (err) process.stderr.write(`warroom: ${reason}: ${(err as Error)?.message ?? String(err)}\n${opts.debug && (err as Error)?.stack ? `${(err as Error).stack}\n` : ''}`);
    },
  });
  let stopMetrics: (() => Promise<void>) | undefined;
  let kubeconfig = opts.kubeconfig;
  let context = opts.context;
  let configPath = opts.config;
  if (opts.command === 'demo' && opts.clusters > 1) {
    // A fleet: one demo platform per data centre (dc1..dcN), one kubeconfig and config file over
    // them. The console shows them all (the config names the fleet `demo`, for --fleet / :fleet).
    const { startDemoFleet } = await import('../demo/fleet.js');
    const clusters = Array.from({ length: opts.clusters }, (_, i) => `dc${i + 1}`);
    const fleet = await startDemoFleet({ clusters, pods: opts.pods, seed: opts.seed, churn: opts.churn, fleetPrometheus: opts.fleetPrometheus, tls: opts.tls });
    stopDemo = () => fleet.close();
    kubeconfig = fleet.kubeconfigPath;
    if (!opts.fleet) context = context ?? fleet.contexts.join(',');
    configPath = opts.config ?? fleet.configPath;
  } else if (opts.command === 'demo') {
    const { startDemoPlatform } = await import('../demo/launch.js');
    const demo = await startDemoPlatform({ pods: opts.pods, seed: opts.seed, churn: opts.churn, tls: opts.tls });
    stopDemo = demo.stop;
    kubeconfig = demo.kubeconfigPath;
    context = context ?? demo.context;
    // The demo's log store and Prometheus, unless the user brought their own config file.
    configPath = opts.config ?? demo.configPath;
  }
  try {
    if (opts.metricsAddr) {
      const { startSelfMetricsEndpoint } = await import('../self/metricsEndpoint.js');
      stopMetrics = (await startSelfMetricsEndpoint(opts.metricsAddr)).close;
    }
    // The config file is read here, once, before the screen is taken; what needs it is given it.
    const config = loadConsoleConfig(configPath, (line) => process.stderr.write(forDisplay(`warroom: warning: ${sanitize(line)}\n`)));
    setCharset(chooseCharset(process.env, opts.ascii ? true : config.terminal.ascii));
    // `--context dc1,dc2` or `--fleet NAME`: a fleet, one session per context (an unknown context is an error here).
    const names = opts.fleet ? fleetContexts(config.fleets, opts.fleet) : context ? context.split(',').map((n) => n.trim()).filter(Boolean) : [undefined];
    const sessions = [...new Set(names)].map((name) => loadKubeSession({ kubeconfig, context: name, namespace: opts.namespace }));
    // The config file and the kubeconfig are checked even through a pipe (a CI job checking a
    // config file); a terminal that cannot hold the console is refused before connecting.
    refuseUnusableTerminal();
    await preflightAll(sessions);
    const runtime = new ConsoleRuntime({ sessions, readOnly: opts.readOnly, config, namespace: opts.namespace ?? undefined, viewFeeds });
    // The keymap with the user's keys, aliases and plugin keys; a conflict stops the start here, before the screen is taken.
    const keys = buildKeyStack(runtime, config);
    runtime.start();
    const stopPanes = followPanes(runtime);
    // What Ink writes, fit for this terminal: no colour it lacks, ASCII where it has no UTF-8.
    const stdout = adaptedStdout(process.stdout, { ascii: glyphs.charset === 'ascii', colors, lightBackground: lightBackground(theme) }, isFullScreen);
    // The hand-off loop (notes §2.7): render until quit or until a session asks for the whole
    // terminal; then unmount, run the session, and mount again. Where the user was lives in
    // the runtime's stores, so the remounted UI shows the same view, selection and filter.
    for (;;) {
      let handoff: TerminalSession | undefined;
      enterFullScreen();
      const instance = render(
        <ThemeContext.Provider value={theme}>
          <TerminalSizeProvider stdout={process.stdout}>
            <App runtime={runtime} keys={keys} />
          </TerminalSizeProvider>
        </ThemeContext.Provider>,
        // Only the lines that changed are written (incremental, with the build's ink#910 fix,
        // scripts/inkPatches.mjs); at most 60 frames a second, the first at once. Store ticks
        // (10 a second) decide how many frames churn makes; the cap decides how long a key waits
        // behind the last frame (at 30 a key waited ~33 ms behind a churn frame).
        { stdout, exitOnCtrlC: false, patchConsole: false, maxFps: 60, incrementalRendering: true, onRender: ({ renderTime }) => frameRenderDuration.observe(renderTime / 1000) },
      );
      runtime.onQuit(() => instance.unmount());
      runtime.onHandoff((session) => {
        handoff ??= session;
        instance.unmount();
      });
      await instance.waitUntilExit();
      runtime.onHandoff(() => undefined);
      if (!handoff) break;
      const result = await runHandoff(handoff);
      runtime.nav.say(result.line, result.level);
    }
    stopPanes();
    keys.dispose();
    const stopped = runtime.stop();
    restoreTerminal();
    await stopped;
    return 0;
  } finally {
    restoreTerminal();
    await stopMetrics?.();
    await stopDemo?.();
  }
}

/**
 * Checks every context's server at once (`/version`). The preflight may take seconds (a far or
 * unreachable server, a credential plugin): say who is being tried, on its own line so a
 * credential plugin's prompt does not run into it. One context: its failure is the error. A
 * fleet: a cluster that fails is named and shown as down (its watches keep trying); only when
 * none answers does the start fail.
 */
async function preflightAll(sessions: readonly KubeSession[]): Promise<void> {
  if (process.stderr.isTTY) for (const s of sessions) process.stderr.write(forDisplay(`warroom: connecting to ${sanitize(s.contextName)} at ${sanitize(s.server)}${glyphs.ellipsis}\n`));
  const results = await Promise.allSettled(sessions.map((s) => preflight(s)));
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ session: sessions[i], err: r.reason as unknown }] : []));
  if (failed.length === 0) return;
  if (sessions.length === 1) throw failed[0].err;
  if (failed.length === sessions.length) {
    throw new UserError(`no cluster of the fleet answers:\n${failed.map((f) => `  ${f.session.contextName}: ${describeError(f.err)}`).join('\n')}`, 'check the kubeconfig contexts and the network to their servers');
  }
  for (const f of failed) process.stderr.write(forDisplay(`warroom: ${sanitize(f.session.contextName)} does not answer, shown as down (its watches keep trying): ${sanitize(describeError(f.err))}\n`));
}

/** TERM=dumb, no TERM, or input or output not a terminal: one line and exit code 2, before the screen is taken. */
function refuseUnusableTerminal(): void {
  const problem = terminalProblem(process.env, process.stdin, process.stdout);
  if (problem) throw new UserError(problem, undefined, 2);
}

function fleetContexts(fleets: Readonly<Record<string, string[]>>, name: string): string[] {
  const contexts = fleets[name];
  if (!contexts) {
    const known = Object.keys(fleets);
    throw new UserError(`no fleet named '${name}' in the config file`, known.length ? `fleets there: ${known.join(', ')}` : 'name one under fleets: (fleets: {prod: [prod-dc1, prod-dc2]})');
  }
  return contexts;
}
