import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { listViewByCommand } from '../views/lists/listViews.js';

// Tab in the `:` line: the command's name, then its argument (contexts after `:ctx`, systems
// after `:ns` `:apps` `:pods` `:rs`, fleets after `:fleet`, plugins after `:plugin`). Systems
// Tab finds none of while a cluster still lists them are `waiting`: the prompt completes again as they arrive. Other parts
// of the console add what they know with `registerCompletionProvider`: a view of any resource
// kind from API discovery adds its kinds' names as commands, and may complete their arguments.

export interface CompletionContext {
  runtime: ConsoleRuntime;
  /** The config file's command aliases. */
  aliases: Readonly<Record<string, string>>;
}

export interface CompletionProvider {
  /** More command names for the first word (`deploy`, `svc`, a CRD's plural). */
  commands?(ctx: CompletionContext): Iterable<string>;
  /** The candidates for the argument of `command` (the first word as typed), or undefined when it is not this provider's. */
  args?(command: string, ctx: CompletionContext): Iterable<string> | undefined;
}

const providers = new Set<CompletionProvider>();

/** Adds a provider; returns the function that removes it. */
export function registerCompletionProvider(provider: CompletionProvider): () => void {
  providers.add(provider);
  return () => providers.delete(provider);
}

export interface Completion {
  /** The line after Tab (the word completed as far as every candidate agrees). */
  line: string;
  /** Every candidate for the word, sorted (one: it was completed; several: what Tab can still become). */
  candidates: string[];
  /** No candidate yet because they are still being listed (`systems` before a cluster's first list of them). */
  waiting?: string;
}

/** Completes the last word of `line`; `commandNames` are the console's own `:` names. */
export function complete(line: string, commandNames: Iterable<string>, ctx: CompletionContext): Completion {
  const words = line.replace(/^\s+/, '').split(/\s+/);
  if (words.length <= 1) {
    const names = new Set([...commandNames, ...Object.keys(ctx.aliases)]);
    for (const p of providers) for (const n of p.commands?.(ctx) ?? []) names.add(n);
    return completeWord(line, words[0] ?? '', names, ' ');
  }
  const command = words[0];
  const word = words[words.length - 1];
  // `:ctx dc1,dc2`: each name after a comma is completed on its own.
  const item = command === 'ctx' || command === 'context' ? word.slice(word.lastIndexOf(',') + 1) : word;
  if (words.length > 2 && !(command === 'ctx' || command === 'context')) return { line, candidates: [] };
  const done = completeWord(line, item, argCandidates(command, ctx), command === 'ctx' || command === 'context' ? '' : ' ');
  return done.candidates.length === 0 && takesSystem(command) && systemsListing(ctx.runtime) ? { ...done, waiting: 'systems' } : done;
}

/** `word` ends `line`: replace it with the longest prefix every candidate shares (all of it, and `after`, when one is left). */
function completeWord(line: string, word: string, pool: Iterable<string>, after: string): Completion {
  const candidates = [...new Set(pool)].filter((c) => c.startsWith(word)).sort();
  if (candidates.length === 0) return { line, candidates };
  const head = line.slice(0, line.length - word.length);
  if (candidates.length === 1) return { line: `${head}${candidates[0]}${after}`, candidates };
  return { line: `${head}${sharedPrefix(candidates)}`, candidates };
}

function sharedPrefix(words: readonly string[]): string {
  let prefix = words[0];
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** The argument's candidates: the console's own, else a provider's. */
function argCandidates(command: string, ctx: CompletionContext): Iterable<string> {
  const { runtime } = ctx;
  switch (command) {
    case 'ctx':
    case 'context':
      return runtime.ctx.session.contextNames();
    case 'fleet':
      return Object.keys(runtime.fleets);
    case 'plugin':
    case 'plugins':
      return runtime.plugins.map((p) => p.name);
  }
  if (takesSystem(command)) return systemNames(runtime);
  for (const p of providers) {
    const found = p.args?.(command, ctx);
    if (found) return found;
  }
  return [];
}

/** `:ns SYSTEM`, `:apps SYSTEM`, `:pods SYSTEM`, `:rs SYSTEM`: every list view but Systems takes a system. */
function takesSystem(command: string): boolean {
  if (command === 'ns' || command === 'namespace') return true;
  const list = listViewByCommand(command);
  return list !== undefined && list.id !== 'systems';
}

/** Whether a cluster shown is still listing its systems for the first time (not failing: that is no wait). */
function systemsListing(runtime: ConsoleRuntime): boolean {
  return runtime.contexts.some((c) => !c.store.namespaces.synced && c.store.namespaces.watchStatus.kind === 'listing');
}

/** The systems (namespaces) of every cluster shown. */
export function systemNames(runtime: ConsoleRuntime): string[] {
  const names = new Set<string>();
  for (const c of runtime.contexts) for (const ns of c.store.namespaces.rows.values()) names.add(ns.name);
  if (runtime.namespace) names.add(runtime.namespace);
  return [...names];
}
