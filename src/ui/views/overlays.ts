import type { Key } from 'ink';
import { useSyncExternalStore, type ReactNode } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { PaneProps } from './panes.js';

// A dialog over the current view (the scale dialog): while open it draws the body and takes
// every key; the view under it keeps its place, marks and filter. Its state lives in a store
// outside React, so it is not on the nav stack.

export interface Overlay {
  /** Notifies when the overlay opens, closes or changes. */
  subscribe(runtime: ConsoleRuntime, listener: () => void): () => void;
  isOpen(runtime: ConsoleRuntime): boolean;
  /** Breadcrumb tail while open. */
  title(runtime: ConsoleRuntime): string;
  render(props: PaneProps): ReactNode;
  onKey(runtime: ConsoleRuntime, input: string, key: Key): void;
  hints(runtime: ConsoleRuntime): string;
}

const overlays: Overlay[] = [];

export function registerOverlay(o: Overlay): void {
  overlays.push(o);
}

export function openOverlay(runtime: ConsoleRuntime): Overlay | undefined {
  return overlays.find((o) => o.isOpen(runtime));
}

/** The open overlay, re-rendering the App when one opens or closes. */
export function useOverlay(runtime: ConsoleRuntime): Overlay | undefined {
  const index = useSyncExternalStore(
    (l) => {
      const offs = overlays.map((o) => o.subscribe(runtime, l));
      return () => offs.forEach((off) => off());
    },
    () => overlays.findIndex((o) => o.isOpen(runtime)),
  );
  return index >= 0 ? overlays[index] : undefined;
}
