import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launcher, repoRoot } from './harness.js';

// `warroom --version` from an npm install: what a bug report needs (the single executable's is in test/sea).

describe('--version', () => {
  it('names the version, the commit the bundle was built from, the Node that runs it and the platform', () => {
    const out = execFileSync(process.execPath, [launcher, '--version'], { encoding: 'utf8' });
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(`warroom ${version}`);
    // git describe: the abbreviated commit (after the nearest tag, once there are tags).
    expect(lines[1]).toMatch(/^commit +(\S+-g)?[0-9a-f]{12}(-dirty)?$/);
    expect(lines[2]).toContain(`node     ${process.version} at ${process.execPath}`);
    if (process.versions.node.startsWith('20.')) expect(lines[2]).toContain('(end of life since 2026-04-30: use Node 22 or 24)');
    else expect(lines[2]).not.toContain('end of life');
    expect(lines[3]).toBe('flags    none (bin/warroom starts node with --max-semi-space-size=8)');
    expect(lines[4]).toMatch(new RegExp(`^platform linux-${process.arch}, glibc \\d+\\.\\d+$`));
  });

  it('bin/warroom run as a program starts node with the flags the console is measured with', () => {
    // The node on PATH is the one running this test.
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
    const out = execFileSync(launcher, ['--version'], { encoding: 'utf8', env });
    expect(out).toMatch(/^flags {4}--max-semi-space-size=8$/m);
    expect(out).toContain(`node     ${process.version} at ${process.execPath}`);
  });
});
