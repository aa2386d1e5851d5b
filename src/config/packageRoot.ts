import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The folder of warroom's package.json: themes/ and dist/ sit beside it, whether the code
// runs from src/ (tests) or from a bundle in dist/ or dist/chunks/.
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
