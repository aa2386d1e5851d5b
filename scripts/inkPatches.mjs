// Build-time fixes to the pinned Ink (6.8.0), applied by esbuild when it bundles Ink.
// A patch whose text is not found stops the build: Ink was upgraded, look again.
import { readFile } from 'node:fs/promises';

const PATCHES = [
  {
    // ink#910: incremental rendering moves the cursor one line short of the frame's top when
    // the frame ends with a newline (a root shorter than the terminal, as warroom's rows - 1),
    // so every frame after the first is drawn a line too low. Upstream counts all lines.
    file: /[\\/]ink[\\/]build[\\/]log-update\.js$/,
    from: 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));',
    to: 'buffer.push(ansiEscapes.cursorUp(previousLines.length - 1));',
  },
];

export const inkPatches = {
  name: 'ink-patches',
  setup(build) {
    for (const p of PATCHES) {
      build.onLoad({ filter: p.file }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!text.includes(p.from)) throw new Error(`scripts/inkPatches.mjs: '${p.from}' is not in ${args.path} (Ink changed: check the patch)`);
        return { contents: text.replace(p.from, p.to), loader: 'js' };
      });
    }
  },
};
