import { failed, resultOrder, type RunPodResult, type RunSnapshot } from '../../platform/exec/runOnPods.js';
import { fit, wrapWords } from '../format.js';
import { glyphs } from '../../terminal/glyphs.js';

// The run results pane as lines, pure: the pods (failures first) with exit code and duration,
// the selected pod's name and whole status (its failure reason) on a detail line that wraps,
// and its output. Side by side when the pod names fit beside the output; stacked (the list
// above, the output below at full width) on a narrow terminal, so names are never cut.

export type RunTone = 'title' | 'warn' | 'error' | 'ok' | 'dim' | 'normal';

export interface RunLine {
  text: string;
  tone: RunTone;
  /** The selected pod's row. */
  selected?: boolean;
  bold?: boolean;
}

export interface RunResultsLayout {
  mode: 'side' | 'stacked';
  summary: RunLine;
  /** Pod rows (side: `listWidth` columns; stacked: full width). */
  list: RunLine[];
  listWidth: number;
  /** The selected pod: name, container, whole status; then its output (side: right of the list). */
  detail: RunLine[];
  output: RunLine[];
  /** Width of the detail and output column. */
  outWidth: number;
  /** The output's first line shown, after clamping to what there is. */
  outTop: number;
}

export function runStatus(r: RunPodResult): string {
  if (r.state === 'waiting') return 'waiting';
  if (r.state === 'running') return `running${glyphs.ellipsis}`;
  if (r.problem) return r.problem;
  return `exit ${r.exitCode}`;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
}

/** Mark, status and duration around the name: ` ✗ NAME status······· duration`. */
const ROW_CHROME = 26;
/** Below this the side-by-side output column is too narrow to read. */
const MIN_OUTPUT_WIDTH = 40;

export function runResultsLayout(snap: RunSnapshot, cursorIn: number, outTopIn: number, width: number, height: number, now: number): RunResultsLayout {
  const ordered = resultOrder(snap.results);
  const cursor = Math.min(cursorIn, Math.max(0, ordered.length - 1));
  const selected = ordered[cursor];
  const bad = snap.results.filter(failed).length;
  const done = snap.results.filter((r) => r.state === 'done').length;
  const elapsed = ((snap.finishedAt ?? now) - snap.startedAt) / 1000;
  const summary: RunLine = {
    // The counts lead: a long command is what gives way at the edge.
    text: fit(` ${done}/${snap.results.length} done, ${bad} failed  ${glyphs.sep}  ${elapsed.toFixed(1)}s${snap.finishedAt ? '' : ' running'}  ${glyphs.sep}  ${snap.scope}  ${glyphs.sep}  ${snap.command.join(' ')}`, width),
    tone: bad ? 'warn' : 'title',
    bold: true,
  };
  const longest = ordered.reduce((n, r) => Math.max(n, r.pod.length), 0);
  const sideList = Math.max(34, Math.min(72, Math.floor(width * 0.45), longest + ROW_CHROME));
  const side = sideList - ROW_CHROME >= longest && width - sideList - 1 >= MIN_OUTPUT_WIDTH;
  const listWidth = side ? sideList : width;
  const outWidth = side ? width - listWidth - 1 : width;
  const body = Math.max(1, height - 1);

  const detail: RunLine[] = selected
    ? wrapWords(` ${selected.pod} (${selected.container || '?'})  ${runStatus(selected)}`, outWidth, 3)
        .slice(0, 3)
        .map((text) => ({ text: fit(text, outWidth), tone: failed(selected) ? 'error' : 'normal', bold: true }))
    : [];
  // Stacked: the list takes up to ~40% of the rows, the selected pod and its output the rest.
  const listRows = side ? body : Math.max(1, Math.min(ordered.length, Math.floor(body * 0.4), body - detail.length - 1));
  const outputRows = Math.max(1, (side ? body : body - listRows) - detail.length);

  const nameWidth = listWidth - ROW_CHROME;
  const top = Math.max(0, Math.min(cursor - Math.floor(listRows / 2), ordered.length - listRows));
  const list = ordered.slice(top, top + listRows).map((r, i): RunLine => {
    const name = r.pod.length > nameWidth ? `${r.pod.slice(0, nameWidth - 1)}${glyphs.cut}` : r.pod.padEnd(nameWidth);
    const status = runStatus(r);
    const shown = status.length > 13 ? `${status.slice(0, 12)}${glyphs.cut}` : status.padEnd(13);
    const line = ` ${failed(r) ? glyphs.cross : r.state === 'done' ? glyphs.check : glyphs.finished} ${name} ${shown} ${seconds(r.durationMs).padStart(7)}`;
    return { text: fit(line, listWidth), tone: failed(r) ? 'error' : r.state === 'done' ? 'ok' : 'dim', selected: top + i === cursor };
  });

  const outLines = (selected?.output ?? '').replace(/\n$/, '').split('\n');
  if (selected?.truncated) outLines.push('[output truncated]');
  const outTop = Math.max(0, Math.min(outTopIn, outLines.length - outputRows));
  const output = outLines.slice(outTop, outTop + outputRows).map((l): RunLine => ({ text: fit(` ${l}`, outWidth), tone: 'normal' }));
  return { mode: side ? 'side' : 'stacked', summary, list, listWidth, detail, output, outWidth, outTop };
}
