import { describe, expect, it } from 'vitest';
import { driftLines, type DriftLine } from '../../../src/platform/stores/templateDriftStore.js';
import { placeText } from '../../../src/platform/actions/templateDiff.js';

// The fleet's template-drift pane (`i` on a T row): every cluster's pod template as a diff
// against the first's, each hunk headed by where in the template it is.

const container = (name: string, o: { memory?: string; env?: Record<string, string>; readOnlyData?: boolean } = {}) => ({
  name,
  image: `registry.example/${name}:1.4.2`,
  env: Object.entries(o.env ?? { LOG_LEVEL: 'info', QUEUE: 'jobs' }).map(([n, value]) => ({ name: n, value })),
  ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
  readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10 },
  resources: { limits: { memory: o.memory ?? '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
  volumeMounts: [
    { name: 'config', mountPath: '/etc/app' },
    { name: 'data', mountPath: '/var/lib/app', ...(o.readOnlyData ? { readOnly: true } : {}) },
  ],
});

type Options = { api?: Parameters<typeof container>[1]; worker?: Parameters<typeof container>[1]; configMap?: string; grace?: number; migrate?: string[]; restartedAt?: string };

const template = (o: Options = {}) => ({
  metadata: { labels: { app: 'search-api' }, annotations: o.restartedAt ? { 'kubectl.kubernetes.io/restartedAt': o.restartedAt } : {} },
  spec: {
    initContainers: [{ name: 'migrate', image: 'registry.example/migrate:2', args: o.migrate ?? ['--to=latest'] }],
    containers: [container('api', o.api), container('worker', o.worker)],
    volumes: [
      { name: 'config', configMap: { name: o.configMap ?? 'search-config' } },
      { name: 'data', emptyDir: {} },
    ],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    terminationGracePeriodSeconds: o.grace ?? 30,
  },
});

const diff = (a: Options, b: Options): DriftLine[] => driftLines([{ label: 'dc1', template: template(a) }, { label: 'dc2', template: template(b) }]);

/** Each hunk's heading with the changed lines under it (context left out). */
function hunks(lines: readonly DriftLine[]): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = [];
  for (const l of lines) {
    if (l.tone === 'place') out.push([l.text, []]);
    else if (/^[-+] /.test(l.text)) out.at(-1)?.[1].push(l.text.replace(/\s+/g, ' '));
  }
  return out;
}

describe('template drift lines', () => {
  it('each hunk is headed by the container, env var, volume or pod spec field it is in, computed from the template', () => {
    const lines = diff({}, { api: { memory: '256Mi' }, worker: { env: { LOG_LEVEL: 'debug', QUEUE: 'jobs' } }, configMap: 'search-config-v2', grace: 60 });
    expect(lines[0]).toEqual({ text: 'dc1 -> dc2 (- only in dc1, + only in dc2)', tone: 'heading' });
    expect(hunks(lines)).toEqual([
      ['@@ containers[api] resources.limits @@', ['- memory: 128Mi', '+ memory: 256Mi']],
      ['@@ containers[worker] env[LOG_LEVEL] @@', ['- value: info', '+ value: debug']],
      ['@@ terminationGracePeriodSeconds @@', ['- terminationGracePeriodSeconds: 30', '+ terminationGracePeriodSeconds: 60']],
      ['@@ volumes[config] configMap @@', ['- name: search-config', '+ name: search-config-v2']],
    ]);
    // The heading opens its hunk, before its context, as git diff's does.
    const api = lines.findIndex((l) => l.tone === 'place');
    expect(lines[api + 1].text).toMatch(/^ {2}\s+\S/);
  });

  it('the same change in two containers gets two headings, each naming its container', () => {
    expect(hunks(diff({}, { api: { memory: '1Gi' }, worker: { memory: '1Gi' } })).map(([h]) => h)).toEqual(['@@ containers[api] resources.limits @@', '@@ containers[worker] resources.limits @@']);
  });

  it('changes in two containers that share a hunk are cut in two, the second heading before its container\'s first line', () => {
    // api's last field (its data mount) and worker's first (its env) are 5 lines apart.
    const lines = diff({}, { api: { readOnlyData: true }, worker: { env: { LOG_LEVEL: 'debug', QUEUE: 'jobs' } } });
    expect(hunks(lines)).toEqual([
      ['@@ containers[api] volumeMounts[data] @@', ['+ readOnly: true']],
      ['@@ containers[worker] env[LOG_LEVEL] @@', ['- value: info', '+ value: debug']],
    ]);
    const worker = lines.findIndex((l) => l.text === '@@ containers[worker] env[LOG_LEVEL] @@');
    expect(lines[worker - 1].text).toMatch(/^\+ +readOnly: true$/);
    expect(lines[worker + 1].text).toMatch(/^ {2}\s+- env:$/);
  });

  it('init containers and labels get their own headings; close changes within one container share one', () => {
    const a = template();
    const b = template({ migrate: ['--to=latest', '--dry-run'], api: { memory: '256Mi' } });
    b.metadata.labels.app = 'search';
    b.spec.containers[0].readinessProbe.periodSeconds = 5;
    const lines = driftLines([{ label: 'dc1', template: a }, { label: 'dc3', template: b }]);
    expect(hunks(lines)).toEqual([
      ['@@ metadata.labels @@', ['- app: search-api', '+ app: search']],
      ['@@ containers[api] @@', ['- periodSeconds: 10', '+ periodSeconds: 5', '- memory: 128Mi', '+ memory: 256Mi']],
      ['@@ initContainers[migrate] args @@', ['+ - --dry-run']],
    ]);
  });

  it('keeps what it said before: the same template (restart stamp aside), clusters without it, errors', () => {
    const lines = driftLines([
      { label: 'dc1', template: template({ restartedAt: '2026-01-01T00:00:00Z' }) },
      { label: 'dc2', template: template() },
      { label: 'dc3' },
      { label: 'dc4', error: 'cannot reach https://dc4:6443 (connection refused)' },
    ]);
    expect(lines.filter((l) => l.text)).toEqual([
      { text: 'dc1 -> dc2: the same template', tone: 'heading' },
      { text: 'dc3: not in this cluster', tone: 'dim' },
      { text: 'dc4: cannot reach https://dc4:6443 (connection refused)', tone: 'error' },
    ]);
  });

  it('cluster text is sanitised in the lines and the headings', () => {
    const evil = '\x1b]52;c;cHduZWQ=\x07api\x1b[2J';
    const a = template();
    const b = template({ api: { memory: '256Mi' } });
    a.spec.containers[0].name = evil;
    b.spec.containers[0].name = evil;
    const lines = driftLines([{ label: 'dc1', template: a }, { label: 'dc2', template: b }]);
    expect(lines.some((l) => l.text === '@@ containers[api] resources.limits @@')).toBe(true);
    expect(lines.every((l) => !/[\x00-\x1f\x7f-\x9f]/.test(l.text))).toBe(true);
  });

  it('a long place keeps the container and its most specific end within 60 columns', () => {
    const long = placeText([{ key: 'spec' }, { key: 'containers' }, { item: 'search-api-frontend-gw' }, { key: 'livenessProbe' }, { key: 'httpGet' }, { key: 'httpHeaders' }, { item: 'X-Forwarded-Authorization' }, { key: 'valueFrom' }]);
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).toMatch(/^containers\[search-api-frontend-gw\] […~]\S*Authorization\] valueFrom$/);
    expect(placeText([{ key: 'metadata' }, { key: 'annotations' }])).toBe('metadata.annotations');
  });
});
