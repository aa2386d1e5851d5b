import { useSyncExternalStore } from 'react';
import type { ContextRuntime } from '../../platform/contextRuntime.js';
import type { ViewState } from '../../platform/stores/navStore.js';
import type { Binding } from '../keys/keymap.js';
import { describeLines, yamlLines } from './objectLines.js';
import type { Pane, PaneKeyContext, PaneProps } from './panes.js';
import type { DetailLine } from './podDetailLines.js';
import { scrollKeys, TextLines } from './textPane.js';
import { objectPaneKeys } from '../keys/mutationKeys.js';

// The YAML (`y`) and the description (`d`) of the object behind any row: read from the server
// when opened and every few seconds after, in the row's cluster, scrollable. From either, `y`
// and `d` switch to the other and `E` lists the object's events.

type Mode = 'yaml' | 'describe';

function linesOf(ctx: ContextRuntime, mode: Mode, now: number): DetailLine[] {
  const d = ctx.objects.getSnapshot();
  if (!d) return [];
  return mode === 'yaml' ? yamlLines(d, { managedFields: ctx.objects.managedFields }, now) : describeLines(d, now);
}

function ObjectBody({ runtime, view, width, height, now, mode }: PaneProps & { mode: Mode }) {
  const objects = runtime.ctx.objects;
  useSyncExternalStore(objects.subscribe, objects.getSnapshot);
  return <TextLines lines={linesOf(runtime.ctx, mode, now)} top={view.top} width={width} height={height} />;
}

/** `deployment cart/cart-api`: what the breadcrumb says the pane shows. */
function objectTitle(view: ViewState, what: string): string {
  const o = view.object;
  return o ? `${o.kind.toLowerCase()} ${o.namespace ? `${o.namespace}/` : ''}${o.name} (${what})` : what;
}

const switchTo = (kind: Mode) => ({ runtime, view }: PaneKeyContext) => {
  if (view.kind === kind) return false;
  runtime.nav.updateCurrent({ kind, top: 0 });
};

const eventsKey: Binding<PaneKeyContext> = {
  action: 'row.events',
  keys: ['E'],
  help: "the object's events, live",
  hint: 'events',
  run: ({ runtime, view: { object } }) => {
    if (!object) return false;
    runtime.nav.push({ kind: 'events', namespace: object.namespace, involved: { kind: object.kind, name: object.name, namespace: object.namespace, uid: object.uid } });
  },
};

function objectPane(mode: Mode): Pane {
  const other: Mode = mode === 'yaml' ? 'describe' : 'yaml';
  return {
    title: (view) => objectTitle(view, mode === 'yaml' ? 'YAML' : 'describe'),
    render: (props) => <ObjectBody {...props} mode={mode} />,
    open: (ctx, view) => {
      if (view.object) ctx.objects.open(view.object);
    },
    // Switching between the YAML and the description of one object keeps what was read.
    close: (ctx, view, runtime) => {
      const next = runtime.nav.current;
      const o = next.object;
      if ((next.kind === 'yaml' || next.kind === 'describe') && o && view.object && o.name === view.object.name && o.resource === view.object.resource && o.namespace === view.object.namespace && next.context === view.context) return;
      ctx.objects.close();
    },
    helpTitle: mode === 'yaml' ? 'YAML' : 'Describe',
    keys: [
      ...scrollKeys(mode, ({ runtime }) => linesOf(runtime.ctx, mode, Date.now()).length),
      { action: `row.${other}`, keys: [other === 'yaml' ? 'y' : 'd'], help: other === 'yaml' ? 'the YAML instead' : 'the description instead', hint: other, run: switchTo(other) },
      eventsKey,
      ...objectPaneKeys,
      ...(mode === 'yaml' ? [{ action: 'yaml.managed-fields', keys: ['m'], help: 'show / hide metadata.managedFields', hint: 'managedFields', run: ({ runtime }: PaneKeyContext) => runtime.ctx.objects.toggleManagedFields() }] : []),
    ],
  };
}

export const yamlPane = objectPane('yaml');
export const describePane = objectPane('describe');
