import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { singleExecutable } from '../sea/singleExecutable.js';

// The folder of warroom's package.json: themes/ and dist/ sit beside it, whether the code
// runs from src/ (tests) or from a bundle in dist/ or dist/chunks/. The single executable has no
// such folder: its files are read with readPackageFile.
let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'warroom') return (cached = dir);
      } catch {
        // an unreadable package.json is not ours; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('warroom: cannot find its package folder (package.json named "warroom")');
    dir = parent;
  }
}

/**
 * A file of warroom's package (`themes/dark.yaml`) as text, or undefined: embedded in the single
 * executable, else read from the package folder.
 */
export function readPackageFile(path: string): string | undefined {
  const sea = singleExecutable();
  if (sea) return sea.readText(path);
  const file = join(packageRoot(), path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The names of the files in a folder of warroom's package (`themes`). */
export function listPackageFolder(dir: string): string[] {
  const sea = singleExecutable();
  if (sea) return sea.list(dir).map((p) => p.slice(dir.length + 1));
  const folder = join(packageRoot(), dir);
  return existsSync(folder) ? readdirSync(folder) : [];
}
