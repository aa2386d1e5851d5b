import { useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { listable, namesOf, qualifiedName } from '../../platform/kube/discovery.js';
import type { ListViewDescriptor, ListViewId } from './lists/listView.js';
import { listViews } from './lists/listViews.js';
import type { Pane, PaneProps } from './panes.js';
import type { DetailLine } from './podDetailLines.js';
import { scrollKeys, TextLines } from './textPane.js';
import { glyphs } from '../../terminal/glyphs.js';

// `:aliases`: every name the command line takes, in the order it resolves them: the built-in
// views, the kinds the cluster serves (plural, singular, short names, kind), the config file's.

export function aliasLines(runtime: ConsoleRuntime): DetailLine[] {
  const ctx = runtime.ctx;
  const lines: DetailLine[] = [{ text: 'Built-in views (they win over a kind of the same name)', style: 'heading' }];
  const builtIn = new Set<string>();
  for (const d of Object.values(listViews) as Array<ListViewDescriptor<ListViewId>>) {
    if (d.fleet || !d.commands.length) continue;
    d.commands.forEach((c) => builtIn.add(c));
    lines.push({ text: `  ${d.commands.map((c) => `:${c}`).join(' ').padEnd(36)} ${d.title}` });
  }
  lines.push({ text: '' });
  const state = ctx.discovery.getSnapshot();
  const kinds = ctx.discovery.resources();
  lines.push({ text: `Kinds served by context ${ctx.contextName} (${kinds.length}; :KIND lists one, :KIND -A in every system)`, style: 'heading' });
  if (state.kind === 'loading' && !kinds.length) lines.push({ text: `  reading the API server's discovery${glyphs.ellipsis}`, style: 'dim' });
  if (state.kind === 'failed') lines.push({ text: `  discovery failed: ${state.message}`, style: 'error' });
  for (const r of kinds) {
    const names = namesOf(r);
    const taken = names.filter((n) => builtIn.has(n.toLowerCase()));
    const note = !listable(r) ? '  (cannot be listed)' : taken.length ? `  (:${taken.join(' :')} is the built-in view)` : '';
    lines.push({ text: `  ${qualifiedName(r).padEnd(36)} ${names.join(' ')}${note}`, style: listable(r) ? undefined : 'dim' });
  }
  const own = Object.entries(runtime.aliases);
  lines.push({ text: '' }, { text: `Your aliases (config file: aliases:)${own.length ? '' : ` ${glyphs.dash} none`}`, style: 'heading' });
  for (const [word, expansion] of own) lines.push({ text: `  :${word.padEnd(35)} :${expansion}` });
  return lines;
}

function AliasesBody({ runtime, view, width, height }: PaneProps) {
  const discovery = runtime.ctx.discovery;
  useSyncExternalStore(discovery.subscribe, discovery.getSnapshot);
  return <TextLines lines={aliasLines(runtime)} top={view.top} width={width} height={height} />;
}

export const aliasesPane: Pane = {
  title: () => 'Aliases',
  render: (props) => <AliasesBody {...props} />,
  // Discovery may not have been read yet (or failed at start): read it now.
  open: (ctx) => {
    if (ctx.discovery.getSnapshot().kind !== 'ready') void ctx.discovery.load();
  },
  helpTitle: 'Aliases',
  keys: [...scrollKeys('aliases', ({ runtime }) => aliasLines(runtime).length)],
};
