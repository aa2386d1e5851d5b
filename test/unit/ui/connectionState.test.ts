import { describe, expect, it } from 'vitest';
import type { WatchStatus } from '../../../src/platform/kube/watchTypes.js';
import { connectionState } from '../../../src/ui/widgets/connectionState.js';

// The header's connection word while a cluster has not answered yet (start-up, :ctx).

const target = { context: 'prod-eu', server: 'https://api.prod-eu.example:6443', answered: false };

describe('connection state before the server answers', () => {
  it('says which context and URL are being tried, not "loading"', () => {
    const listing: Array<[string, WatchStatus]> = [['namespaces', { kind: 'listing' }], ['pods', { kind: 'listing' }]];
    expect(connectionState(listing, 0, target)).toEqual({ text: '◌ connecting to prod-eu at https://api.prod-eu.example:6443…', level: 'warn' });
    expect(connectionState(listing, 0, { ...target, answered: true }).text).toBe('◌ loading');
  });

  it('adds the short cause of a failed attempt, without the hint, even after the stale threshold', () => {
    const reason = "cannot reach cluster 'prod-eu' at https://api.prod-eu.example:6443: connection refused; check the VPN or jump host, or `--context`";
    const down: Array<[string, WatchStatus]> = [['pods', { kind: 'reconnecting', since: 0, reason, attempt: 3 }]];
    expect(connectionState(down, 60_000, target).text).toBe('◌ connecting to prod-eu at https://api.prod-eu.example:6443… (connection refused)');
    // Once it has answered, a lost connection is a reconnect, then stale.
    expect(connectionState(down, 60_000, { ...target, answered: true }).text).toMatch(/^● stale since/);
  });

  it('a failure the server reported is an error, not a connection attempt', () => {
    expect(connectionState([['pods', { kind: 'failed', message: '401' }]], 0, target).text).toBe('✖ error');
  });
});
