import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { availableThemes, loadTheme } from '../../../src/config/theme.js';
import { runAsSingleExecutable } from '../../../src/sea/singleExecutable.js';
import { scratchDir } from '../../support/scratchDir.js';

// Inside the single executable the themes are its embedded files, not a folder beside it.

const embedded: Record<string, string> = {
  'themes/dark.yaml': 'name: dark (embedded)\naccent: cyan\n',
  'themes/solar.yaml': 'name: solar\naccent: yellow\n',
};

beforeAll(() => {
  runAsSingleExecutable({
    readText: (path) => embedded[path],
    list: (dir) => Object.keys(embedded).filter((k) => k.startsWith(`${dir}/`)),
    demoPlatformArgs: ['--warroom-role=demo-platform'],
  });
});

describe('themes in the single executable', () => {
  it('a theme by name is the embedded file; the list is the embedded themes', () => {
    expect(loadTheme(undefined, {}, 8).name).toBe('dark (embedded)');
    expect(loadTheme('solar', {}, 8).accent).toBe('yellow');
    expect(availableThemes()).toEqual(['dark', 'solar']);
  });

  it('an unknown name lists the embedded themes; a path is still read from the disk', () => {
    expect(() => loadTheme('light', {}, 8)).toThrow(/unknown theme 'light'/);
    try {
      loadTheme('light', {}, 8);
    } catch (err) {
      expect((err as { hint?: string }).hint).toBe('available themes: dark, solar (or a path to a .yaml file)');
    }
    const file = join(scratchDir('warroom-theme-'), 'mine.yaml');
    writeFileSync(file, 'name: mine\naccent: green\n');
    expect(loadTheme(file, {}, 8).name).toBe('mine');
  });
});
