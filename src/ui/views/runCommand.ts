import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { splitCommandLine } from '../../platform/exec/commandLine.js';
import type { PodRow } from '../../platform/kube/rows.js';
import { appCounterKey } from '../../platform/stores/clusterStore.js';
import type { ListModel } from './lists/listView.js';
import { glyphText } from '../../terminal/glyphs.js';

// `:run [-c CONTAINER] COMMAND` and `:sh`: the command line's exec commands, applied to what the
// list shows. On applications: every pod of the selected one. On pods: every listed pod (the
// filter is the selection). Only Running pods are asked.

export interface ListContext {
  /** The list view shown (its rows as listed: the filter is the selection). */
  model?: ListModel;
  /** Index of the selected row. */
  cursor?: number;
}

export const RUN_USAGE = 'usage: :run [-c CONTAINER] COMMAND — on an application (all its pods) or a pods list (the listed pods)';

export function runCommandLine(runtime: ConsoleRuntime, args: string, list: ListContext): void {
  const nav = runtime.nav;
  const parsed = splitCommandLine(args);
  if ('error' in parsed) return nav.say(`:run: ${parsed.error}`, 'error');
  let argv = parsed.argv;
  let container: string | undefined;
  if (argv[0] === '-c') {
    container = argv[1];
    argv = argv.slice(2);
  }
  if (argv.length === 0 || container === '') return nav.say(glyphText(RUN_USAGE), 'warn');
  const view = nav.current;
  let pods: PodRow[];
  let scope: string;
  const model = list.model;
  if (model?.kind === 'apps') {
    const app = model.rows[list.cursor ?? 0];
    if (!app) return nav.say('select an application first', 'warn');
    const w = app.w;
    pods = [...(runtime.ctx.store.podsInApp.get(appCounterKey(w.namespace, `${w.kind}/${w.name}`))?.values() ?? [])];
    scope = `${w.kind}/${w.name} in ${w.namespace}`;
  } else if (model?.kind === 'pods') {
    pods = [...model.rows];
    scope = view.app ? `${view.app.kind}/${view.app.name} in ${view.namespace ?? '?'}${view.filter ? ` (filter ${view.filter})` : ''}` : `${pods.length} listed pods${view.namespace ? ` in ${view.namespace}` : ''}`;
  } else {
    return nav.say(':run works on an application (Applications view) or on listed pods (Pods view)', 'warn');
  }
  const running = pods.filter((p) => p.status === 'Running').sort((a, b) => a.name.localeCompare(b.name));
  const skipped = pods.length - running.length;
  void runtime.ctx.runs.offer({
    pods: running.map((p) => ({ namespace: p.namespace, name: p.name })),
    scope,
    skipped,
    command: argv,
    container,
  });
}

/** `:sh`: a shell in the selected pod; on an application, its pods to pick from. */
export function shellCommandLine(runtime: ConsoleRuntime, list: ListContext): void {
  const view = runtime.nav.current;
  const model = list.model;
  if (model?.kind === 'pods' && model.rows[list.cursor ?? 0]) {
    const p = model.rows[list.cursor ?? 0];
    void runtime.ctx.exec.shellInto(p.namespace, p.name);
  } else if (view.kind === 'pod' && view.namespace && view.pod) {
    void runtime.ctx.exec.shellInto(view.namespace, view.pod);
  } else if (model?.kind === 'apps' && model.rows[list.cursor ?? 0]) {
    const w = model.rows[list.cursor ?? 0].w;
    runtime.nav.push({ kind: 'pods', namespace: w.namespace, app: { kind: w.kind, name: w.name } });
    runtime.nav.say(`pick a pod of ${w.name} and press s for a shell`);
  } else runtime.nav.say(':sh works on a pod (Pods view, pod detail) or an application', 'warn');
}
