import { describeError } from '../errors.js';
import { readDiscovery, resolveResource, type ApiResource, type DiscoveryResult } from '../kube/discovery.js';
import type { ReadSession } from '../kube/kubeSession.js';

// What one cluster serves, read once (in the background after the console starts) and kept;
// read again when the user names a kind it does not know (a CRD installed since), at most
// once every few seconds, so a typo does not send a discovery round per keystroke.

export type DiscoveryState =
  | { kind: 'idle' }
  | { kind: 'loading'; previous?: DiscoveryResult }
  | { kind: 'ready'; result: DiscoveryResult; at: number }
  | { kind: 'failed'; message: string; at: number; previous?: DiscoveryResult };

const REFRESH_AFTER_MS = 5_000;

export class DiscoveryStore {
  private state: DiscoveryState = { kind: 'idle' };
  private loading: Promise<void> | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly abort = new AbortController();

  constructor(
    private readonly session: () => ReadSession,
    private readonly now: () => number = Date.now,
  ) {}

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = (): DiscoveryState => this.state;

  /** The resources last read (also while a refresh runs or after one failed). */
  resources(): readonly ApiResource[] {
    const s = this.state;
    if (s.kind === 'ready') return s.result.resources;
    return (s.kind === 'loading' || s.kind === 'failed') && s.previous ? s.previous.resources : [];
  }

  /** The resource `word` names among those last read, without asking the server. */
  resolve(word: string): ApiResource | undefined {
    return resolveResource(this.resources(), word);
  }

  /** Resolves `word`, reading discovery first when it was never read, or again when the word is unknown. */
  async lookup(word: string): Promise<ApiResource | undefined> {
    const known = this.resolve(word);
    if (known) return known;
    const s = this.state;
    const fresh = (s.kind === 'ready' || s.kind === 'failed') && this.now() - s.at < REFRESH_AFTER_MS;
    if (!fresh) await this.load();
    return this.resolve(word);
  }

  /** Why discovery is not available, for the message of an unknown kind; undefined when it is. */
  problem(): string | undefined {
    return this.state.kind === 'failed' ? this.state.message : undefined;
  }

  /** Reads discovery (one read at a time; a second caller waits for the first). */
  load(): Promise<void> {
    this.loading ??= this.read().finally(() => (this.loading = undefined));
    return this.loading;
  }

  dispose(): void {
    this.abort.abort();
    this.listeners.clear();
  }

  private async read(): Promise<void> {
    const previous = this.state.kind === 'ready' ? this.state.result : this.state.kind === 'loading' || this.state.kind === 'failed' ? this.state.previous : undefined;
    this.set({ kind: 'loading', previous });
    try {
      const result = await readDiscovery(this.session(), this.abort.signal);
      this.set({ kind: 'ready', result, at: this.now() });
    } catch (err) {
      if (this.abort.signal.aborted) return;
      this.set({ kind: 'failed', message: describeError(err), at: this.now(), previous });
    }
  }

  private set(state: DiscoveryState): void {
    this.state = state;
    for (const l of [...this.listeners]) l();
  }
}
