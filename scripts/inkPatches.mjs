// Build-time fixes to the pinned Ink (6.8.0) and its tokenizer, applied by esbuild when it bundles them.
// A patch whose text is not found stops the build: Ink was upgraded, look again.
import { readFile } from 'node:fs/promises';

// Ink's Output (output.js) paints every frame from nothing: each <Text> line is tokenized into
// styled characters, laid into a grid of cells, and each grid row turned back into a string.
// Its caches live for one frame only. With 50 rows of 160 cells at up to 60 frames a second
// that is most of a busy console's CPU (a 150,000-pod fleet: ~10 of 40 s, and much of the GC).
// Patched: the caches outlive the frame, and each row of the frame is kept by what was written
// into it (where, and which text, in order): a row written as in an earlier frame is that
// frame's string, with no cell built. Both are bounded (the older half is dropped).
const OUTPUT_HELPERS = `
// Rows kept: a few screens' worth. A line's styled characters (~50 bytes a cell) are needed
// only for a row not kept, so few of them are.
const warroomLimit = 2000;
const warroomCharsLimit = 300;
let warroomCaches;
function warroomSharedCaches() {
    if (!warroomCaches || warroomCaches.styledChars.size > warroomCharsLimit || warroomCaches.widths.size > warroomLimit) warroomCaches = new OutputCaches();
    return warroomCaches;
}
let warroomRowsNow = new Map();
let warroomRowsBefore = new Map();
function warroomBlank() {
    return { type: 'char', value: ' ', fullWidth: false, styles: [] };
}
/** One row of the frame from its writes ([x, line, x, line, ...] in order), kept across frames. */
function warroomRow(output, writes) {
    if (writes.length === 0) return '';
    const key = output.width + '\\u0000' + writes.join('\\u0000');
    let text = warroomRowsNow.get(key) ?? warroomRowsBefore.get(key);
    if (text !== undefined) return text;
    const cells = [];
    for (let x = 0; x < output.width; x++) cells.push(warroomBlank());
    for (let w = 0; w < writes.length; w += 2) {
        let offsetX = writes[w];
        for (const character of output.caches.getStyledChars(writes[w + 1])) {
            cells[offsetX] = character;
            // As Ink: a wide character's following cells are emptied, in its style.
            const characterWidth = Math.max(1, output.caches.getStringWidth(character.value));
            for (let index = 1; index < characterWidth; index++) cells[offsetX + index] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
            offsetX += characterWidth;
        }
    }
    text = styledCharsToString(cells.filter((item) => item !== undefined)).trimEnd();
    if (warroomRowsNow.size >= warroomLimit) {
        warroomRowsBefore = warroomRowsNow;
        warroomRowsNow = new Map();
    }
    warroomRowsNow.set(key, text);
    return text;
}
export default class Output {`;

const PATCHES = [
  {
    // ink#910: incremental rendering moves the cursor one line short of the frame's top when
    // the frame ends with a newline (a root shorter than the terminal, as warroom's rows - 1),
    // so every frame after the first is drawn a line too low. Upstream counts all lines.
    file: /[\\/]ink[\\/]build[\\/]log-update\.js$/,
    replace: [['buffer.push(ansiEscapes.cursorUp(previousVisible - 1));', 'buffer.push(ansiEscapes.cursorUp(previousLines.length - 1));']],
  },
  {
    file: /[\\/]ink[\\/]build[\\/]output\.js$/,
    replace: [
      ['export default class Output {', OUTPUT_HELPERS],
      ['caches = new OutputCaches();', 'caches = warroomSharedCaches();'],
      // Rows start empty: only what is written into them is kept (for the row's key).
      [`        for (let y = 0; y < this.height; y++) {
            const row = [];
            for (let x = 0; x < this.width; x++) {
                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });
            }
            output.push(row);
        }`, `        for (let y = 0; y < this.height; y++) output.push([]);`],
      // A write is recorded in its row; the cells are laid in warroomRow, for a row not seen before.
      [`                    const characters = this.caches.getStyledChars(line);
                    let offsetX = x;
                    for (const character of characters) {
                        currentLine[offsetX] = character;
                        // Determine printed width using string-width to align with measurement
                        const characterWidth = Math.max(1, this.caches.getStringWidth(character.value));
                        // For multi-column characters, clear following cells to avoid stray spaces/artifacts
                        if (characterWidth > 1) {
                            for (let index = 1; index < characterWidth; index++) {
                                currentLine[offsetX + index] = {
                                    type: 'char',
                                    value: '',
                                    fullWidth: false,
                                    styles: character.styles,
                                };
                            }
                        }
                        offsetX += characterWidth;
                    }`, '                    currentLine.push(x, line);'],
      [`            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })`, '            .map((writes) => warroomRow(this, writes))'],
    ],
  },
  {
    // A line's styled characters, which the patched Output caches (up to 300 lines, ~48,000
    // characters at 160 columns): ansi-tokenize made each with an object spread, which on Node
    // 20's V8 gives each character its own hidden class and descriptors (~200 bytes; Node 24's
    // shares them), and each a copy of its style list.
    // A 150,000-pod fleet's console held 32,848 of them: 7 MB of hidden classes. Written as one
    // literal, they share one class, and a run of characters in one style shares its list (the
    // lists are never changed: reduceAnsiCodesIncremental makes a new one).
    file: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/,
    replace: [[`            ret.push({
                ...token,
                styles: [...codes],
            });`, '            ret.push({ type: token.type, value: token.value, fullWidth: token.fullWidth, styles: codes });']],
  },
];

/** The text of an Ink file with the patches for it applied (exported for the tests). */
export function patchedInkSource(path, text) {
  for (const p of PATCHES) {
    if (!p.file.test(path)) continue;
    for (const [from, to] of p.replace) {
      if (!text.includes(from)) throw new Error(`scripts/inkPatches.mjs: '${from.split('\n')[0].trim()}' is not in ${path} (Ink changed: check the patch)`);
      text = text.replace(from, to);
    }
  }
  return text;
}

export const inkPatches = {
  name: 'ink-patches',
  setup(build) {
    for (const p of PATCHES) {
      build.onLoad({ filter: p.file }, async (args) => ({ contents: patchedInkSource(args.path, await readFile(args.path, 'utf8')), loader: 'js' }));
    }
  },
};
