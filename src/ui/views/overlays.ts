import { useSyncExternalStore, type ReactNode } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { Binding } from '../keys/keymap.js';
import type { PaneProps } from './panes.js';

// A dialog over the current view (the scale dialog): while open it draws the body and takes
// every key (its own bindings, else typed text); the view under it keeps its place, marks and filter. Its state lives in a store
// outside React, so it is not on the nav stack.

export interface OverlayKeyContext {
  runtime: ConsoleRuntime;
}

export interface Overlay {
  /** Notifies when the overlay opens, closes or changes. */
  subscribe(runtime: ConsoleRuntime, listener: () => void): () => void;
  isOpen(runtime: ConsoleRuntime): boolean;
  /** Breadcrumb tail while open. */
  title(runtime: ConsoleRuntime): string;
  render(props: PaneProps): ReactNode;
  /** Section title on the `?` page. */
  helpTitle: string;
  /** The dialog's keys; it is modal: every other key is typed into its field or ignored. */
  keys: ReadonlyArray<Binding<OverlayKeyContext>>;
  /** Text typed while it is open (its input field). */
  type(runtime: ConsoleRuntime, text: string): void;
  hints(runtime: ConsoleRuntime): string;
}

const overlays: Overlay[] = [];

export function registerOverlay(o: Overlay): void {
  overlays.push(o);
}

/** Every registered dialog (the keymap checks their keys at start-up). */
export function overlayList(): readonly Overlay[] {
  return overlays;
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
