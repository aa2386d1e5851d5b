import { useStdin } from 'ink';
import { useEffect } from 'react';
import { parseKeyPresses, type KeyPress } from './keyPress.js';

// Reads Ink's stdin events (escape sequences already cut and timed by Ink's reader) and hands
// each key press to `onKey` on its own, in order.

export function useKeyPresses(onKey: (key: KeyPress) => void): void {
  // Ink 6.8 (pinned exactly) publishes its stdin events on this emitter; useInput would join a
  // run of typed characters into one string, so the keys read the events themselves.
  const { setRawMode, internal_eventEmitter: events } = useStdin();
  useEffect(() => {
    setRawMode(true);
    return () => setRawMode(false);
  }, [setRawMode]);
  useEffect(() => {
    const handle = (event: string) => {
      for (const key of parseKeyPresses(event)) onKey(key);
    };
    events.on('input', handle);
    return () => {
      events.removeListener('input', handle);
    };
  }, [events, onKey]);
}
