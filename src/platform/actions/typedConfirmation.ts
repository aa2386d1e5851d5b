// A large change (scale to zero, many applications, a command on many pods) is applied only
// after a word is typed: the system name, or the context when the change spans systems.
// Scale and run share the rule and the words the user reads.

/** Why Enter does not apply yet, or undefined when the typed word matches (or none is needed). */
export function typedConfirmationMissing(word: string | undefined, typed: string): string | undefined {
  if (!word || typed.trim() === word) return undefined;
  return `type ${word} and press Enter to apply (Esc goes back)`;
}

/** The word a large change must be confirmed with: its one system, else the context. */
export function confirmationWord(systems: readonly string[], contextName: string): string {
  return systems.length === 1 ? systems[0] : contextName;
}
