import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCli, USAGE } from '../../../src/cli/args.js';
import { DEMO_PODS_DEFAULT, DEMO_PODS_MAX, DEMO_PODS_MIN } from '../../../src/demo/demoPodCount.js';
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

  it('--pods takes what the demo platform takes, and the help and the README say the same range', () => {
    // The demo platform itself refuses below 100 (test/unit/demo/launch.test.ts): so does the CLI.
    expect(DEMO_PODS_MIN).toBe(100);
    expect(() => parseCli(['demo', '--pods', '99'])).toThrow("--pods must be a whole number from 100 to 100000, got '99'");
    expect(() => parseCli(['demo', '--pods', '1'])).toThrow(/from 100 to 100000/);
    expect(() => parseCli(['demo', '--pods', '100001'])).toThrow(/from 100 to 100000/);
    expect(parseCli(['demo', '--pods', '100']).pods).toBe(100);
    expect(parseCli(['demo', '--pods', '100000']).pods).toBe(100_000);
    expect(parseCli(['demo']).pods).toBe(DEMO_PODS_DEFAULT);
    expect(USAGE).toContain(`--pods N            pods in the demo platform, ${DEMO_PODS_MIN} to ${DEMO_PODS_MAX} (default ${DEMO_PODS_DEFAULT})`);
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    const ranges = [...readme.matchAll(/(\d[\d,]*) to (\d[\d,]*) pods/g)].map((m) => [Number(m[1].replace(/,/g, '')), Number(m[2].replace(/,/g, ''))]);
    expect(ranges.length).toBeGreaterThan(0);
    for (const r of ranges) expect(r).toEqual([DEMO_PODS_MIN, DEMO_PODS_MAX]);
    expect(readme).toContain(`default ${DEMO_PODS_DEFAULT}`);
  });
});

describe('warroom demo --clusters', () => {
  it('is 2 (dc1 and dc2) unless asked, 1 the single demo, takes 1 to 5, and belongs to the demo only', () => {
    expect(parseCli(['demo']).clusters).toBe(2);
    expect(parseCli(['demo', '--clusters', '1']).clusters).toBe(1);
    expect(parseCli(['demo', '--clusters', '3', '--pods', '1000'])).toMatchObject({ command: 'demo', clusters: 3, pods: 1000 });
    expect(parseCli(['demo', '--clusters', '5']).clusters).toBe(5);
    expect(() => parseCli(['demo', '--clusters', '0'])).toThrow("--clusters must be a whole number from 1 to 5, got '0'");
    expect(() => parseCli(['demo', '--clusters', '6'])).toThrow("--clusters must be a whole number from 1 to 5, got '6'");
    expect(() => parseCli(['demo', '--clusters', 'two'])).toThrow(/--clusters must be a whole number/);
    expect(() => parseCli(['--clusters', '2'])).toThrow('--pods, --seed, --no-churn, --clusters and --tls apply to `warroom demo` only');
    expect(USAGE).toContain('--clusters N        data centres dc1..dcN, 1 to 5 (default 2)');
  });

  it('--fleet-prometheus asks a demo fleet for one Thanos-style Prometheus, and is refused elsewhere', () => {
    expect(parseCli(['demo', '--clusters', '3']).fleetPrometheus).toBe(false);
    expect(parseCli(['demo', '--clusters', '3', '--fleet-prometheus']).fleetPrometheus).toBe(true);
    expect(parseCli(['demo', '--fleet-prometheus'])).toMatchObject({ clusters: 2, fleetPrometheus: true });
    for (const argv of [['--fleet-prometheus'], ['demo', '--clusters', '1', '--fleet-prometheus']]) {
      expect(() => parseCli(argv)).toThrow('--fleet-prometheus applies to a demo fleet only (warroom demo, --clusters 2 or more)');
    }
  });
});

describe('warroom demo --tls', () => {
  it('--tls serves the demo over HTTPS, single or fleet, and belongs to the demo only', () => {
    expect(parseCli(['demo']).tls).toBe(false);
    expect(parseCli(['demo', '--tls'])).toMatchObject({ command: 'demo', tls: true });
    expect(parseCli(['demo', '--clusters', '1', '--tls'])).toMatchObject({ clusters: 1, tls: true });
    expect(() => parseCli(['--tls'])).toThrow('--pods, --seed, --no-churn, --clusters and --tls apply to `warroom demo` only');
    expect(USAGE).toContain('--tls               serve the demo');
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
