import { describe, expect, it } from 'vitest';
import { alertTarget, formatDuration, matchersFor, matcherText, matchesAll, parseDuration, severityRank, targetText } from '../../../src/platform/alerts/alertModel.js';
import { AlertsShapeError, parseAlertmanagerGroups, parsePrometheusAlerts, parsePrometheusRules, parseSilences } from '../../../src/platform/alerts/alertsApi.js';
import { PrometheusAlertReads } from '../../../src/platform/alerts/alertSource.js';
import { silenceWrites } from '../../../src/platform/alerts/silenceWrites.js';
import type { AlertmanagerConfig } from '../../../src/config/alertsConfig.js';
import type { MutatingClient } from '../../../src/platform/kube/kubeSession.js';

// The alert APIs' JSON as warroom reads it: Prometheus /api/v1/alerts and /api/v1/rules,
// Alertmanager /api/v2/alerts/groups and /api/v2/silences; untrusted strings sanitised.

const amAlert = (labels: Record<string, string>, status: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  labels,
  annotations: { summary: 'Pod is crash looping.' },
  receivers: [{ name: 'pager' }],
  fingerprint: `fp-${labels.pod ?? labels.alertname}`,
  startsAt: '2026-08-21T02:59:00.000Z',
  updatedAt: '2026-08-21T03:10:00.000Z',
  endsAt: '2026-08-21T03:14:00.000Z',
  status,
  ...extra,
});

describe('Prometheus alerts and rules', () => {
  it('reads firing and pending alerts with their labels, annotations and activeAt', () => {
    const alerts = parsePrometheusAlerts({
      alerts: [
        { labels: { alertname: 'KubePodCrashLooping', severity: 'critical', namespace: 'cart', pod: 'cart-api-1' }, annotations: { summary: 'crash' }, state: 'firing', activeAt: '2026-08-21T02:00:00Z', value: '1e+00' },
        { labels: { alertname: 'KubePodNotReady', severity: 'warning' }, annotations: {}, state: 'pending', activeAt: '2026-08-21T03:00:00.123456789+02:00', value: '1e+00' },
      ],
    });
    expect(alerts.map((a) => [a.name, a.severity, a.state])).toEqual([['KubePodCrashLooping', 'critical', 'firing'], ['KubePodNotReady', 'warning', 'pending']]);
    expect(alerts[0].since).toBe(Date.parse('2026-08-21T02:00:00Z'));
    expect(alerts[1].since).toBe(Date.parse('2026-08-21T01:00:00.123Z'));
    expect(alerts[0].key).not.toBe(alerts[1].key);
  });

  it('strips control sequences from label values and annotations', () => {
    const [a] = parsePrometheusAlerts({ alerts: [{ labels: { alertname: 'X\x1b]0;owned\x07', pod: 'p\x1b[2J' }, annotations: { summary: 'a\x1b]52;c;Zm9v\x07b\r\n' }, state: 'firing', activeAt: '2026-08-21T02:00:00Z', value: '1' }] });
    expect(a.name).toBe('X');
    expect(a.labels.pod).toBe('p');
    expect(a.annotations.summary).toBe('ab');
  });

  it('names the field of an answer that is not the documented shape', () => {
    expect(() => parsePrometheusAlerts({ alerts: [{ labels: {}, state: 'inactive' }] })).toThrow(/alert 0.state is "inactive"/);
    expect(() => parsePrometheusAlerts({ nothing: true })).toThrow(AlertsShapeError);
  });

  it('reads alerting rules (not recording ones) with their group, query, for and health', () => {
    const { rules, alerts } = parsePrometheusRules({
      groups: [
        {
          name: 'kubernetes-apps',
          file: '/etc/prometheus/rules.yaml',
          interval: 30,
          rules: [
            { type: 'recording', name: 'job:up:sum', query: 'sum(up)', health: 'ok' },
            { type: 'alerting', name: 'KubePodCrashLooping', query: 'max_over_time(x[5m]) >= 1', duration: 900, labels: { severity: 'critical' }, annotations: {}, health: 'err', lastError: 'bad', state: 'firing', alerts: [{ labels: { alertname: 'KubePodCrashLooping' }, annotations: {}, state: 'firing', activeAt: '2026-08-21T02:00:00Z', value: '1e+00' }] },
          ],
        },
      ],
    });
    expect(rules).toEqual([{ group: 'kubernetes-apps', name: 'KubePodCrashLooping', query: 'max_over_time(x[5m]) >= 1', forSeconds: 900, health: 'err', lastError: 'bad' }]);
    expect(alerts.map((a) => [a.name, a.group])).toEqual([['KubePodCrashLooping', 'kubernetes-apps']]);
  });
});

describe('Alertmanager alerts, groups and silences', () => {
  it('reads groups into one row per alert: firing, silenced or inhibited, with the group and receivers', () => {
    const alerts = parseAlertmanagerGroups([
      { labels: { namespace: 'cart' }, receiver: { name: 'pager' }, alerts: [
        amAlert({ alertname: 'KubePodCrashLooping', namespace: 'cart', pod: 'a' }, { state: 'active', silencedBy: [], inhibitedBy: [] }),
        amAlert({ alertname: 'KubePodCrashLooping', namespace: 'cart', pod: 'b' }, { state: 'suppressed', silencedBy: ['s-1'], inhibitedBy: [] }),
        amAlert({ alertname: 'KubeDeploymentReplicasMismatch', namespace: 'cart', deployment: 'cart-api' }, { state: 'suppressed', silencedBy: [], inhibitedBy: ['fp-a'] }),
      ] },
      // The same alert routed to a second receiver: one row, both receivers.
      { labels: {}, receiver: { name: 'slack' }, alerts: [amAlert({ alertname: 'KubePodCrashLooping', namespace: 'cart', pod: 'a' }, { state: 'active', silencedBy: [], inhibitedBy: [] }, { receivers: [{ name: 'slack' }] })] },
    ]);
    expect(alerts.map((a) => [a.labels.pod ?? a.labels.deployment, a.state])).toEqual([['a', 'firing'], ['b', 'silenced'], ['cart-api', 'inhibited']]);
    expect(alerts[0].group).toBe('namespace=cart');
    expect(alerts[0].receivers).toEqual(['pager', 'slack']);
    expect(alerts[1].silencedBy).toEqual(['s-1']);
    expect(alerts[0].since).toBe(Date.parse('2026-08-21T02:59:00.000Z'));
  });

  it('reads silences with their state, matchers (= != =~ !~) and times', () => {
    const [s] = parseSilences([
      { id: 'abc', status: { state: 'active' }, updatedAt: '2026-08-21T03:00:00Z', startsAt: '2026-08-21T03:00:00Z', endsAt: '2026-08-21T05:00:00Z', createdBy: 'ana@jump-1', comment: 'INC-42', matchers: [{ name: 'alertname', value: 'X', isRegex: false, isEqual: true }, { name: 'pod', value: 'cart-.*', isRegex: true }, { name: 'env', value: 'dev', isRegex: false, isEqual: false }] },
    ]);
    expect(s.state).toBe('active');
    expect(s.matchers.map(matcherText)).toEqual(['alertname="X"', 'pod=~"cart-.*"', 'env!="dev"']);
    expect(s.endsAt - s.startsAt).toBe(2 * 3600_000);
  });
});

describe('the alert model', () => {
  it('ranks severities the ways teams name them, unknown words with warnings', () => {
    expect(['critical', 'page', 'P1', 'error', 'warning', 'ticket', 'info', 'none', ''].map(severityRank)).toEqual([0, 0, 0, 1, 2, 2, 3, 4, 4]);
  });

  it('finds the pod, application or system an alert names', () => {
    expect(alertTarget({ namespace: 'cart', pod: 'cart-api-1' })).toEqual({ namespace: 'cart', pod: 'cart-api-1' });
    expect(alertTarget({ namespace: 'cart', deployment: 'cart-api' })).toEqual({ namespace: 'cart', app: { kind: 'Deployment', name: 'cart-api' } });
    expect(alertTarget({ namespace: 'trade', statefulset: 'ledger-db' }).app).toEqual({ kind: 'StatefulSet', name: 'ledger-db' });
    expect(alertTarget({ alertname: 'Watchdog' })).toEqual({});
    expect(targetText({ namespace: 'cart', deployment: 'cart-api' })).toBe('cart/deploy/cart-api');
    expect(targetText({ node: 'worker-3', job: 'node' })).toBe('node=worker-3');
  });

  it('prefills matchers from every label, alertname first, and matches as Alertmanager does', () => {
    const labels = { severity: 'critical', pod: 'cart-api-1', alertname: 'KubePodCrashLooping', namespace: 'cart', job: 'kube-state-metrics' };
    const ms = matchersFor(labels);
    expect(ms.map((m) => m.name)).toEqual(['alertname', 'namespace', 'pod', 'severity', 'job']);
    expect(matchesAll(ms, labels)).toBe(true);
    expect(matchesAll(ms, { ...labels, pod: 'cart-api-2' })).toBe(false);
    // A regex matches the whole value; a missing label is the empty string.
    expect(matchesAll([{ name: 'pod', value: 'cart-.*', isRegex: true, isEqual: true }], labels)).toBe(true);
    expect(matchesAll([{ name: 'pod', value: 'cart', isRegex: true, isEqual: true }], labels)).toBe(false);
    expect(matchesAll([{ name: 'team', value: '', isRegex: false, isEqual: true }], labels)).toBe(true);
    expect(matcherText({ name: 'msg', value: 'say "hi"\\', isRegex: false, isEqual: true })).toBe('msg="say \\"hi\\"\\\\"');
  });

  it('reads and writes durations', () => {
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('2 hours')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
    expect(formatDuration(7_200_000)).toBe('2h');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(0)).toBe('0s');
    // The two largest units next to each other: an hour and some seconds is `2h`, not `2h31s`.
    expect(formatDuration(7_231_000)).toBe('2h');
    expect(formatDuration(86_400_000 + 4_000)).toBe('1d');
    expect(formatDuration(3_690_000)).toBe('1h1m');
  });
});

describe('what the servers say, as the console shows it', () => {
  const ESC = '\u001b';

  it('strips control sequences from a Prometheus error envelope, errorType included', async () => {
    const transport = {
      endpoint: 'http://prom.test',
      send: async () => ({ status: 422, json: { status: 'error', errorType: `${ESC}]0;owned${ESC}\\execution`, error: `${ESC}[2Jquery timed out` }, text: '' }),
    };
    const message = await new PrometheusAlertReads(transport, 1000).alerts().then(() => 'answered', (e: unknown) => (e as Error).message);
    expect(message).toContain('Prometheus at http://prom.test:');
    expect(message).toContain('execution');
    expect(message).not.toContain(ESC);
  });

  it('strips control sequences from the id Alertmanager gives a new silence', async () => {
    const client = {
      gateClient: 'mutating',
      contextName: 'test',
      user: 'u',
      request: async () => ({ status: 200, body: { silenceID: `abc${ESC}[31m-1` } }),
      openWebSocket: async () => undefined,
    } as unknown as MutatingClient;
    const config: AlertmanagerConfig = { proxy: { namespace: 'monitoring', service: 'alertmanager', port: 9093 }, auth: { kind: 'none' }, headers: {}, timeoutMs: 1000, refreshMs: 1000 };
    const id = await silenceWrites(config, client).create({ matchers: [{ name: 'alertname', value: 'X', isRegex: false, isEqual: true }], startsAt: new Date(0), endsAt: new Date(3_600_000), createdBy: 'me', comment: 'why' });
    expect(id).not.toContain(ESC);
    expect(id).toMatch(/^abc.*-1$/);
  });
});
