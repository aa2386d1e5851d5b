import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReadSession } from '../../../src/platform/kube/kubeSession.js';
import { WarroomFeed, type FeedEntry } from '../../../src/platform/stores/warroomFeed.js';

// The war-room feed's list + watch against a scripted API: what another console changed while
// this console's watch was being renewed (every 5 minutes, by its timeout) or was broken is
// announced, not only held in :feed; what happened before this console started is not.

type Json = Record<string, unknown>;

let rv = 100;
function event(name: string, at: string): Json {
  return {
    metadata: { name, namespace: 'cart', resourceVersion: String(++rv), annotations: { 'warroom.io/console': 'other', 'warroom.io/user': 'alice', 'warroom.io/host': 'jump-2', 'warroom.io/action': 'scale' } },
    involvedObject: { kind: 'Deployment', namespace: 'cart', name: 'cart-api' },
    source: { component: 'warroom' },
    lastTimestamp: at,
    message: `scaled by ${name}`,
  };
}

/** Answers each list and each watch in turn; records the watches' resourceVersions. */
function scripted(lists: Json[][], watches: Json[][]) {
  const watchedFrom: Array<string | undefined> = [];
  let listed = 0;
  const session = {
    getJson: async () => ({ metadata: { resourceVersion: String(rv) }, items: lists[Math.min(listed++, lists.length - 1)] }),
    openStream: async (_path: string, query: Record<string, string | undefined>) => {
      watchedFrom.push(query.resourceVersion);
      const events = watches[watchedFrom.length - 1];
      // Past the script: a watch that stays open until the feed stops.
      return events ? Readable.from(events) : new Readable({ objectMode: true, read() {} });
    },
  } as unknown as ReadSession;
  return { session, watchedFrom, lists: () => listed };
}

let feed: WarroomFeed | undefined;
afterEach(() => {
  feed?.stop();
  vi.useRealTimers();
});

function start(session: ReadSession) {
  const announced: FeedEntry[] = [];
  feed = new WarroomFeed({ session: () => session, ownConsole: () => 'mine', announce: (e) => announced.push(e) });
  feed.start();
  return announced;
}

describe('war-room feed list and watch', () => {
  it('a watch that ended by its timeout goes on from its resourceVersion: a change made meanwhile is announced', async () => {
    vi.useFakeTimers();
    const before = event('before', '2026-01-01T10:00:00Z');
    const meanwhile = event('meanwhile', '2026-01-01T10:06:00Z');
    // The first watch ends (timeoutSeconds); the next one replays what happened since.
    const api = scripted([[before], [before, meanwhile]], [[], [{ type: 'ADDED', object: meanwhile }]]);
    const announced = start(api.session);
    await vi.advanceTimersByTimeAsync(2500);
    expect(announced.map((e) => e.message)).toEqual(['scaled by meanwhile']);
    expect(feed!.getSnapshot().map((e) => e.message)).toEqual(['scaled by meanwhile', 'scaled by before']);
    expect(api.lists()).toBe(1);
    expect(api.watchedFrom[1]).toBe(api.watchedFrom[0]);
  });

  it('after a broken watch (410) the list again announces what is newer than anything held, not the past again', async () => {
    vi.useFakeTimers();
    const before = event('before', '2026-01-01T10:00:00Z');
    const meanwhile = event('meanwhile', '2026-01-01T10:06:00Z');
    const api = scripted([[before], [before, meanwhile]], [[{ type: 'ERROR', object: { kind: 'Status', code: 410 } }]]);
    const announced = start(api.session);
    await vi.advanceTimersByTimeAsync(2500);
    expect(api.lists()).toBe(2);
    expect(announced.map((e) => e.message)).toEqual(['scaled by meanwhile']);
  });

  it('a list of many Events notifies the view once', async () => {
    const many = Array.from({ length: 50 }, (_, i) => event(`e${i}`, `2026-01-01T10:${String(i).padStart(2, '0')}:00Z`));
    const api = scripted([many], []);
    const announced = start(api.session);
    let notified = 0;
    feed!.subscribe(() => notified++);
    await vi.waitFor(() => expect(feed!.getSnapshot()).toHaveLength(50));
    expect(notified).toBe(1);
    expect(announced).toEqual([]);
  });
});
