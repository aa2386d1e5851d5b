import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleUnderTest, demoPerFile } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// A conflicting key binding stops the start before the screen is taken (a real process: the
// exit code and the alternate screen never entered). The keymap on screen is tested in
// process, in test/ui/keys.

const fixture = demoPerFile();

function open(config?: string, size = { cols: 80, rows: 24 }): ConsoleUnderTest {
  const extra: string[] = [];
  if (config !== undefined) {
    const path = join(scratchDir('warroom-keys-'), 'config.yaml');
    writeFileSync(path, config);
    extra.push('--config', path);
  }
  return fixture.track(new ConsoleUnderTest(['--kubeconfig', fixture.demo.kubeconfigPath, '--context', fixture.demo.context, ...extra], size));
}

describe('keys', () => {
  it('a conflicting key in the config file stops the start naming both bindings, before the screen changes', async () => {
    const bad = open('keys:\n  list.down: [q]\n');
    expect(await bad.exited).not.toBe(0);
    expect(bad.raw.replace(/\r?\n/g, '')).toMatch(/key q is bound twice in Systems view: to list\.down \(move down\) in Lists and to quit \(quit \(Ctrl-C too\)\) in Everywhere/);
    expect(bad.raw).not.toContain('\x1b[?1049h');
  });
});
