import type { ReadSession } from '../kube/kubeSession.js';
import { FEED_ANNOTATIONS } from '../actions/actionGate.js';
import { sanitize } from '../text/sanitize.js';
import { glyphs } from '../../terminal/glyphs.js';

// The war-room feed: with audit.kubernetesEvents every warroom console records its changes as
// Kubernetes Events (source warroom, annotations naming console, host and user); this watches
// them on one cluster, so each console sees what the others do. Its own console's Events are
// left out. A list first (what happened before this console started: listed, not announced),
// then a watch from its resourceVersion; a watch that ends by its timeout goes on from the last
// resourceVersion it saw (no change made meanwhile is missed), a broken or expired one lists again
// and announces what is newer than anything held.

export interface FeedEntry {
  key: string;
  time: number;
  /** Kubernetes user and local user of the other console: `alice (alice@jump-1)`. */
  user: string;
  osUser: string;
  host: string;
  action: string;
  namespace: string;
  kind: string;
  name: string;
  message: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const text = (v: unknown): string => (typeof v === 'string' ? sanitize(v) : '');

/** An Event as a feed entry; undefined when it is not a warroom console's, or is this console's. */
export function feedEntry(e: Json, ownConsole: string): FeedEntry | undefined {
  const meta = obj(e.metadata);
  const a = obj(meta.annotations);
  const console = a[FEED_ANNOTATIONS.console];
  if (obj(e.source).component !== 'warroom' && e.reportingComponent !== 'warroom') return undefined;
  if (console === ownConsole) return undefined;
  const involved = obj(e.involvedObject);
  const reason = text(e.reason);
  return {
    key: `${text(meta.namespace)}/${text(meta.name)}`,
    time: Date.parse(text(e.lastTimestamp) || text(e.eventTime) || text(meta.creationTimestamp)) || 0,
    user: text(a[FEED_ANNOTATIONS.user]) || '?',
    osUser: text(a[FEED_ANNOTATIONS.osUser]) || text(e.reportingInstance),
    host: text(a[FEED_ANNOTATIONS.host]) || text(obj(e.source).host) || '?',
    action: text(a[FEED_ANNOTATIONS.action]) || reason.replace(/^Warroom/, '').toLowerCase(),
    namespace: text(involved.namespace),
    kind: text(involved.kind),
    name: text(involved.name),
    message: text(e.message),
  };
}

export interface WarroomFeedOptions {
  session: () => ReadSession;
  /** This console's gate id (its own Events are not listed). */
  ownConsole: () => string;
  /** --namespace: only that system is watched. */
  namespace?: string;
  /** A change arrived live (not one listed at start). */
  announce(entry: FeedEntry): void;
  now?: () => number;
  /** Entries kept (newest). */
  limit?: number;
}

export class WarroomFeed {
  private listeners = new Set<() => void>();
  private entries: FeedEntry[] = [];
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(private readonly opts: WarroomFeedOptions) {}

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** Newest first. */
  getSnapshot = (): readonly FeedEntry[] => this.entries;

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Another console's latest change of this object within `withinMs`, for a preview's warning. */
  recentChange(ref: { namespace: string; kind: string; name: string }, withinMs = 5 * 60_000): FeedEntry | undefined {
    const now = (this.opts.now ?? Date.now)();
    return this.entries.find((e) => e.namespace === ref.namespace && e.kind === ref.kind && e.name === ref.name && now - e.time <= withinMs);
  }

  private path(): string {
    return this.opts.namespace ? `/api/v1/namespaces/${encodeURIComponent(this.opts.namespace)}/events` : '/api/v1/events';
  }

  /** Holds the entries not held yet (one notification) and announces those from `announceFrom` on. */
  private add(found: readonly FeedEntry[], announceFrom: number): void {
    const held = new Set(this.entries.map((x) => `${x.key}|${x.time}`));
    const fresh = found.filter((e) => !held.has(`${e.key}|${e.time}`));
    if (fresh.length === 0) return;
    this.entries = [...fresh, ...this.entries].sort((a, b) => b.time - a.time).slice(0, this.opts.limit ?? 500);
    for (const l of [...this.listeners]) l();
    for (const e of fresh) if (e.time >= announceFrom) this.opts.announce(e);
  }

  private async run(): Promise<void> {
    const query = { fieldSelector: 'source=warroom' };
    let listed = false;
    /** Where the next watch starts; undefined: list first. */
    let rv: string | undefined;
    while (!this.stopped) {
      const ac = new AbortController();
      this.abort = ac;
      try {
        const session = this.opts.session();
        if (rv === undefined) {
          const list = await session.getJson<{ metadata?: { resourceVersion?: string }; items?: Json[] }>(this.path(), query, ac.signal);
          const own = this.opts.ownConsole();
          const found = (list.items ?? []).map((item) => feedEntry(item, own)).filter((e): e is FeedEntry => e !== undefined);
          // The first list is the past; a later one may hold changes made while the watch was broken.
          this.add(found, listed ? (this.entries[0]?.time ?? 0) : Infinity);
          listed = true;
          rv = list.metadata?.resourceVersion;
        }
        const stream = await session.openStream(this.path(), { ...query, watch: '1', resourceVersion: rv, allowWatchBookmarks: 'true', timeoutSeconds: '300' }, 'application/json', ac.signal);
        for await (const ev of stream as AsyncIterable<Json>) {
          if (ev.type === 'ERROR') {
            rv = undefined; // 410 Gone and the like: list again
            break;
          }
          rv = text(obj(obj(ev.object).metadata).resourceVersion) || rv;
          if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') continue;
          const e = feedEntry(obj(ev.object), this.opts.ownConsole());
          if (e) this.add([e], -Infinity);
        }
      } catch {
        // Not answering, forbidden to list events: list again later; the feed is best effort.
        rv = undefined;
      }
      if (this.stopped) return;
      await new Promise<void>((resolve) => (this.timer = setTimeout(resolve, 2000)));
    }
  }
}

/** `alice (ops@jump-1)`: who made a change, and from where. */
export function feedWho(e: FeedEntry): string {
  return `${e.user} (${e.osUser ? `${e.osUser}@` : ''}${e.host})`;
}

/** One line for a preview: another console changed this application lately. */
export function recentChangeLine(e: FeedEntry, now: number): string {
  const ago = Math.max(0, Math.round((now - e.time) / 60_000));
  return `another console changed this ${ago < 1 ? 'under a minute' : `${ago} min`} ago: ${feedWho(e)} ${e.action} ${glyphs.dash} ${e.message}`;
}
