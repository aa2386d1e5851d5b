// `warroom` with a wrong config file: it stops before connecting or taking the screen, with one
// line per problem on stderr and a non-zero exit; an unknown key is a warning and the start goes on.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../../support/scratchDir.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const launcher = join(repoRoot, 'bin', 'warroom');

function warroom(config: string, ...args: string[]) {
  const dir = scratchDir('warroom-config-check-');
  const path = join(dir, 'config.yaml');
  writeFileSync(path, config);
  const r = spawnSync(process.execPath, [launcher, '--config', path, '--kubeconfig', join(dir, 'no-kubeconfig'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, WARROOM_CONFIG: undefined, KUBECONFIG: undefined },
    timeout: 20_000,
  });
  return { path, status: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter(Boolean) };
}

describe('warroom with a wrong config file', () => {
  it('exits non-zero before connecting, one line per invalid value, warnings first', () => {
    const r = warroom('scale:\n  concurrency: 0\n  maxFactor: -1\n  concurency: 4\ncontexts:\n  prod:\n    elasticsearch: {urls: ["es.prod:9200"]}\n');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toEqual([
      `warroom: warning: config file ${r.path}: scale.concurency: unknown key, ignored (did you mean concurrency?)`,
      `warroom: config file ${r.path}: scale.maxFactor: must be a number above 1 and at most 1000 (e.g. 3), got -1`,
      `warroom: config file ${r.path}: scale.concurrency: must be a whole number from 1 to 512, got 0`,
      `warroom: config file ${r.path}: contexts.prod.elasticsearch.urls[0]: must be an http:// or https:// URL, got "es.prod:9200"`,
      '  fix these 3 values in the file, or point --config elsewhere (the README shows every key)',
    ]);
  });

  it('only warns about an unknown key and goes on to connect', () => {
    const r = warroom('exec:\n  timeoutSecond: 30\n');
    expect(r.stderr[0]).toBe(`warroom: warning: config file ${r.path}: exec.timeoutSecond: unknown key, ignored (did you mean timeoutSeconds?)`);
    // The next thing it does is read the kubeconfig (missing here), so the config was accepted.
    expect(r.stderr[1]).toMatch(/kubeconfig/i);
    expect(r.stderr.join('\n')).not.toContain('fix th');
  });
});
