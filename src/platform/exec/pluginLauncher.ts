import { expandArgs, type PluginConfig, type PluginVariables } from '../../config/pluginsConfig.js';
import { DETACH_KEY_NAME } from '../../terminal/handoff.js';
import type { ContextRuntime } from '../contextRuntime.js';
import { ReadOnlyError } from '../actions/readOnlyGuard.js';
import { describeError } from '../errors.js';
import { getPod } from '../kube/objects.js';
import { containerChoices } from './containerChoice.js';
import { pluginSession } from './pluginSession.js';
import { glyphs } from '../../terminal/glyphs.js';
import { forDisplay } from '../text/sanitize.js';

// Starts a configured plugin for the selected pod or application: variables filled in, the
// run audited (a `dangerous` plugin is refused in read-only mode, as exec is), then the
// terminal handed over.

export interface PluginTarget {
  namespace: string;
  pod?: string;
  app?: string;
}

export async function launchPlugin(runtime: ContextRuntime, plugin: PluginConfig, target: PluginTarget): Promise<void> {
  const nav = runtime.nav;
  const s = runtime.session;
  let gate;
  try {
    gate = runtime.gate;
    if (plugin.dangerous) gate.assertWritable(`plugin ${plugin.name}`);
  } catch (err) {
    if (err instanceof ReadOnlyError && gate) {
      void gate.note([gate.record({ action: 'plugin', target: { namespace: target.namespace, kind: target.pod ? 'Pod' : 'Workload', name: target.pod ?? target.app ?? '' }, command: plugin.name }, 'refused: read-only')]).catch(() => undefined);
    }
    return nav.say(describeError(err), 'error');
  }
  let container = '';
  if (target.pod) {
    try {
      container = containerChoices(await getPod(s, target.namespace, target.pod))[0]?.name ?? '';
    } catch (err) {
      return nav.say(`plugin ${plugin.name}: ${describeError(err)}`, 'error');
    }
  }
  const vars: PluginVariables = {
    NAMESPACE: target.namespace,
    POD: target.pod ?? '',
    CONTAINER: container,
    APP: target.app ?? '',
    CONTEXT: s.contextName,
    CLUSTER: s.clusterName,
    USER: s.user,
    SERVER: s.server,
  };
  const args = expandArgs(plugin.args, vars);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(vars)) env[`WARROOM_${k}`] = v;
  try {
    await gate.note([gate.record({ action: 'plugin', target: { namespace: target.namespace, kind: target.pod ? 'Pod' : 'Workload', name: target.pod ?? target.app ?? '' }, container, command: [plugin.command, ...args].join(' ') }, 'started')]);
  } catch (err) {
    return nav.say(`plugin ${plugin.name} refused: cannot write the audit file: ${describeError(err)}`, 'error');
  }
  const sep = ` ${glyphs.sep} `;
  const where = `context ${s.contextName}${sep}system ${target.namespace}${target.pod ? `${sep}pod ${target.pod}` : ''}${target.app ? `${sep}application ${target.app}` : ''}`;
  const clean = (text: string) => forDisplay(text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?'));
  const banner = `\r\n\x1b[7m\x1b[1m warroom plugin ${plugin.name}  ${clean(where)} \x1b[0m\r\n\x1b[2m  ${clean([plugin.command, ...args].join(' '))}  ${glyphs.sep}  ${DETACH_KEY_NAME} returns to warroom\x1b[0m\r\n\r\n`;
  const session = pluginSession({ name: plugin.name, file: plugin.command, args, env, banner });
  if (!runtime.requestHandoff(session)) nav.say('plugins need the full-screen console (no terminal to hand over)', 'error');
}
