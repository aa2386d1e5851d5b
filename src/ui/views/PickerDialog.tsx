import { Text } from 'ink';
import { useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { sanitize } from '../../platform/text/sanitize.js';
import { systemNames } from '../keys/completion.js';
import { fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import type { Overlay } from './overlays.js';
import type { PaneProps } from './panes.js';
import { glyphs } from '../../terminal/glyphs.js';
import { displayKey } from '../keys/keyPress.js';

// The pick list over the view (`:ctx`, `:ns` with no name). Typed text filters it; its names
// come from the kubeconfig and the cluster, so they are sanitised before they are drawn.

function PickerBody({ runtime, width, height }: PaneProps) {
  const theme = useTheme();
  const picker = runtime.picker;
  const s = useSyncExternalStore(picker.subscribe, picker.getSnapshot);
  if (!s) return null;
  const room = Math.max(1, height - 3);
  const top = Math.max(0, Math.min(s.cursor - Math.floor(room / 2), s.shown.length - room));
  const nameWidth = Math.min(Math.max(12, ...s.shown.map((i) => sanitize(i.value).length)) + 2, Math.max(12, width - 24));
  const count = s.filter ? `${s.shown.length} of ${s.items.length} ${s.noun}s` : `${s.items.length} ${s.noun}s`;
  return (
    <>
      <Text bold color={toneColor(theme, 'title')}>{fit(` ${s.title}  (${count}${s.marked.size ? `, ${s.marked.size} marked` : ''})`, width)}</Text>
      <Text color={toneColor(theme, 'prompt')}>{fit(` filter: ${sanitize(s.filter)}${glyphs.caret}`, width)}</Text>
      {s.shown.length === 0 ? <Text color={toneColor(theme, 'dim')}>{fit(`   no ${s.noun} matches '${sanitize(s.filter)}'`, width)}</Text> : null}
      {s.shown.slice(top, top + room).map((item, i) => {
        const at = top + i;
        const mark = `${s.marked.has(item.value) ? '*' : ' '}${item.current ? glyphs.live : ' '}`;
        const label = ` ${at === s.cursor ? glyphs.pointer : ' '}${mark} ${sanitize(item.value).padEnd(nameWidth)}${item.current ? '(current) ' : ''}${sanitize(item.detail ?? '')}`;
        return (
          <Text key={item.value} inverse={at === s.cursor} bold={item.current} wrap="truncate">
            {fit(label, width)}
          </Text>
        );
      })}
    </>
  );
}

export const pickerOverlay: Overlay = {
  subscribe: (runtime, l) => runtime.picker.subscribe(l),
  isOpen: (runtime) => runtime.picker.isOpen,
  title: (runtime) => runtime.picker.getSnapshot()?.title ?? '',
  render: (props) => <PickerBody {...props} />,
  hints: (runtime) => `type to filter  ${displayKey('up')}/${displayKey('down')} move  ${runtime.picker.getSnapshot()?.multi ? '<space> mark several  ' : ''}<enter> pick  <esc> cancel`,
  helpTitle: 'Pick list',
  keys: [
    { action: 'picker.cancel', keys: ['escape'], help: 'leave: nothing changes', run: ({ runtime }) => runtime.picker.close() },
    { action: 'picker.pick', keys: ['enter'], help: 'pick the marked ones, else the one under the cursor', run: ({ runtime }) => runtime.picker.accept() },
    { action: 'picker.down', keys: ['down', 'ctrl+n'], help: 'move down', run: ({ runtime }) => runtime.picker.move(1) },
    { action: 'picker.up', keys: ['up', 'ctrl+p'], help: 'move up', run: ({ runtime }) => runtime.picker.move(-1) },
    { action: 'picker.page-down', keys: ['pagedown'], help: 'page down', run: ({ runtime }) => runtime.picker.move(10) },
    { action: 'picker.page-up', keys: ['pageup'], help: 'page up', run: ({ runtime }) => runtime.picker.move(-10) },
    { action: 'picker.mark', keys: ['space'], help: 'mark several (contexts: watch them as a fleet)', run: ({ runtime }) => runtime.picker.toggleMark() || undefined },
    { action: 'picker.erase', keys: ['backspace', 'delete'], help: 'erase a character of the filter', run: ({ runtime }) => runtime.picker.erase() },
    { action: 'picker.clear', keys: ['ctrl+u'], help: 'clear the filter', run: ({ runtime }) => runtime.picker.clearFilter() },
  ],
  type: (runtime, text) => runtime.picker.type(text),
};

/** `:ctx` with no name: every kubeconfig context with the fleets it is in; several marked make a fleet. */
export function openContextPicker(runtime: ConsoleRuntime): void {
  const current = runtime.contexts.map((c) => c.contextName);
  const fleetsOf = (name: string) => Object.keys(runtime.fleets).filter((f) => runtime.fleets[f].includes(name));
  runtime.picker.open({
    title: 'Switch context',
    noun: 'context',
    multi: true,
    items: runtime.ctx.session.contextNames().map((value) => {
      const fleets = fleetsOf(value);
      return { value, current: current.includes(value), detail: fleets.length ? `fleet ${fleets.join(', ')}` : undefined };
    }),
    onPick: (values) => {
      if (values.length === current.length && values.every((v) => current.includes(v))) return runtime.nav.say(`already watching ${values.join(', ')}`);
      runtime.switchContext(values);
    },
  });
}

/** `:ns` with no name: the systems of the clusters shown; Enter opens one (as `:ns NAME`). */
export function openSystemPicker(runtime: ConsoleRuntime, open: (system: string) => void): void {
  const current = runtime.nav.current.namespace;
  const display = new Map<string, string>();
  for (const c of runtime.contexts) for (const ns of c.store.namespaces.rows.values()) if (ns.displayName !== ns.name) display.set(ns.name, ns.displayName);
  runtime.picker.open({
    title: 'Open a system',
    noun: 'system',
    items: systemNames(runtime).sort().map((value) => ({ value, current: value === current, detail: display.get(value) })),
    onPick: ([value]) => open(value),
  });
}
