import { Text } from 'ink';
import { useSyncExternalStore } from 'react';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import type { Overlay } from './overlays.js';
import type { PaneProps } from './panes.js';
import { scaleDialogLines, type LineTone } from './scaleDialogLines.js';

// The scale / restart dialog: draws the dialog store's state, turns keys into its calls.

function ScaleDialogBody({ runtime, width, height, now }: PaneProps) {
  const theme = useTheme();
  const d = runtime.scale;
  const state = useSyncExternalStore(d.subscribe, d.getSnapshot);
  if (!state) return null;
  const lines = scaleDialogLines(state, width, now);
  const color = (t: LineTone) => (t === 'normal' ? undefined : toneColor(theme, t));
  return (
    <>
      {lines.slice(0, height).map((l, i) => (
        <Text key={i} wrap="truncate" bold={l.tone === 'title'} color={color(l.tone)}>
          {l.text}
        </Text>
      ))}
    </>
  );
}

export const scaleOverlay: Overlay = {
  subscribe: (runtime, l) => runtime.scale.subscribe(l),
  isOpen: (runtime) => runtime.scale.isOpen,
  title: (runtime) => (runtime.scale.getSnapshot()?.kind === 'restart' ? 'Restart' : 'Scale'),
  render: (props) => <ScaleDialogBody {...props} />,
  hints: (runtime) => {
    const s = runtime.scale.getSnapshot();
    if (!s) return '';
    switch (s.phase) {
      case 'edit':
        return '<enter> preview  <esc> cancel  +/- step';
      case 'preview':
        return s.confirmWord ? `type ${s.confirmWord}, <enter> apply  <esc> back` : '<enter> apply  <esc> back';
      case 'previewing':
      case 'applying':
        return '<esc> cancel what is not sent';
      case 'watching':
        return '<esc> stop watching  u undo';
      default:
        return '<enter>/<esc> close  u undo';
    }
  },
  onKey(runtime, input, key) {
    const d = runtime.scale;
    const s = d.getSnapshot();
    if (!s) return;
    if (key.escape) return d.escape();
    if (key.return) return d.enter();
    if (key.backspace || key.delete) return d.backspace();
    if (key.ctrl || key.meta || !input) return;
    const single = s.targets.length === 1 && s.kind === 'scale';
    if (s.phase === 'edit' && single && (input === '+' || input === '-') && (s.inputFresh || /^\d+$/.test(s.input))) return d.step(input === '+' ? 1 : -1);
    if (s.phase === 'preview' && !s.confirmWord && input === 'h') return void d.offerHpa();
    if ((s.phase === 'done' || s.phase === 'watching') && input === 'u') {
      d.close();
      return d.undoLast();
    }
    if (input === 'q' && s.phase !== 'edit' && !(s.phase === 'preview' && s.confirmWord)) return;
    d.type(input.replace(/[\x00-\x1f\x7f]/g, ''));
  },
};
