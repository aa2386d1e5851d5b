import { describe, expect, it } from 'vitest';
import { parseCli } from '../../../src/cli/args.js';
import { parseTheme, loadTheme, availableThemes } from '../../../src/config/theme.js';
import { connectionState } from '../../../src/ui/widgets/connectionState.js';

describe('command line', () => {
  it('parses the console and demo options', () => {
    expect(parseCli(['--context', 'prod', '-n', 'cart', '--readonly'])).toMatchObject({ command: 'console', context: 'prod', namespace: 'cart', readOnly: true });
    expect(parseCli(['demo', '--pods', '20000', '--no-churn'])).toMatchObject({ command: 'demo', pods: 20000, churn: false });
  });
  it('rejects unknown flags, commands and bad numbers with a usage hint', () => {
    expect(() => parseCli(['--contxt', 'x'])).toThrow(/Unknown option '--contxt'/);
    expect(() => parseCli(['deploy'])).toThrow(/unknown command 'deploy'/);
    expect(() => parseCli(['demo', '--pods', 'lots'])).toThrow(/--pods must be a whole number/);
    expect(() => parseCli(['--pods', '5'])).toThrow(/apply to `warroom demo` only/);
  });
});

describe('themes', () => {
  it('ships dark, light, high-contrast and monochrome', () => {
    expect(availableThemes()).toEqual(expect.arrayContaining(['dark', 'light', 'high-contrast', 'monochrome']));
  });
  it('falls back to monochrome when NO_COLOR is set or the terminal has no colour', () => {
    expect(loadTheme('dark', { NO_COLOR: '1' }, 24).monochrome).toBe(true);
    expect(loadTheme('dark', {}, 1).monochrome).toBe(true);
    expect(loadTheme(undefined, {}, 8)).toMatchObject({ name: 'dark', monochrome: false });
  });
  it('names the file and the problem for a broken theme, and lists themes for an unknown one', () => {
    expect(() => parseTheme('header: [', 'x.yaml')).toThrow(/theme x.yaml is not valid YAML/);
    expect(() => parseTheme('ok: 3', 'x.yaml')).toThrow(/'ok' must be a colour/);
    expect(() => loadTheme('neon', {}, 8)).toThrow(/unknown theme 'neon'/);
  });
});

describe('connection state', () => {
  it('is live when every watch is, reconnecting at first, then stale since the time it was lost', () => {
    const since = new Date(2026, 0, 1, 3, 4, 5).getTime();
    expect(connectionState([['pods', { kind: 'live' }]], since).text).toBe('● live');
    const down: Array<[string, import('../../../src/platform/kube/watchTypes.js').WatchStatus]> = [['pods', { kind: 'reconnecting', since, reason: 'connection refused', attempt: 1 }]];
    expect(connectionState(down, since + 2000).text).toContain('reconnecting');
    expect(connectionState(down, since + 60_000).text).toBe('● stale since 03:04:05');
  });
});
