import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TerminalSession } from '../../terminal/handoff.js';
import { ReadOnlyError } from '../actions/readOnlyGuard.js';
import type { ActionGate } from '../actions/actionGate.js';
import { applyEdit, conflictText, editableObject, editableText, editPatch, parseEdited, previewEdit, withErrorOnTop, type EditPreview } from '../actions/editObject.js';
import { ScaleRequestError } from '../actions/scaleClient.js';
import { editorSession, type EditorOutcome } from '../exec/editorSession.js';
import { describeError } from '../errors.js';
import type { SessionResult } from '../../terminal/handoff.js';
import { getObject, type ObjectRef } from '../kube/objects.js';
import { sanitize } from '../text/sanitize.js';
import { ownedTempDir, type OwnedTempDir } from '../ownedTempDir.js';
import { DialogState } from './dialogState.js';

// `e` on a row: the object in the user's editor (the terminal handed over), then over the view
// the server's dry-run of the edit as a diff, Enter applies it through the gate; a conflict
// (someone changed the object meanwhile) or a refusal (422) is said, and `e` edits again.

type Json = Record<string, unknown>;

export type EditPhase = 'previewing' | 'confirm' | 'applying' | 'conflict' | 'refused';

export interface EditState {
  ref: ObjectRef;
  context: string;
  phase: EditPhase;
  preview?: EditPreview;
  message?: string;
  /** First diff line shown. */
  scroll: number;
}

export interface EditDeps {
  cluster(context: string): { gate: ActionGate } | undefined;
  handoff(session: TerminalSession): boolean;
  say(text: string, level?: 'info' | 'warn' | 'error'): void;
  /** Clears the status line (the editor's "asking the server" once the preview is there). */
  clearMessage?(): void;
  /** Where the file to edit is written (default the OS temp directory); a folder 0700 of its own per edit. */
  tmpDir?: string;
}

interface Session {
  ref: ObjectRef;
  context: string;
  gate: ActionGate;
  uid?: string;
  /** The object as it was shown in the editor (its resourceVersion is the edit's precondition). */
  shown: Json;
  /** The file's text as last saved. */
  text: string;
  /** The edited file's directory: removed on close, or when the console exits with the edit open. */
  dir: OwnedTempDir;
  path: string;
}

const label = (ref: ObjectRef) => `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;

export class EditStore extends DialogState<EditState> {
  private session: Session | undefined;
  private abort: AbortController | undefined;

  constructor(private readonly deps: EditDeps) {
    super();
  }

  /** Reads the object and hands the terminal to the editor; refused at once on a read-only context. */
  async open(ref: ObjectRef, context: string): Promise<void> {
    const cluster = this.deps.cluster(context);
    if (!cluster) return this.deps.say(`context ${context} is not open any more`, 'error');
    const { gate } = cluster;
    try {
      gate.assertWritable('edit');
    } catch (err) {
      if (err instanceof ReadOnlyError) void gate.note([gate.record({ action: 'edit', target: { namespace: ref.namespace ?? '', kind: ref.kind, name: ref.name } }, `refused: read-only (${err.why === 'flag' ? '--readonly' : 'config'})`)]).catch(() => undefined);
      return this.deps.say(describeError(err), 'error');
    }
    if (ref.kind === 'Secret' && !ref.group) return this.deps.say('Secrets are not edited in warroom: their values would be written to a file and shown (use kubectl edit)', 'warn');
    await this.close();
    try {
      const access = await gate.canI({ verb: 'patch', group: ref.group, resource: ref.resource, namespace: ref.namespace ?? '', name: ref.name });
      if (!access.allowed) return this.deps.say(`edit refused: user ${gate.session.user} may not patch ${ref.resource}${ref.namespace ? ` in ${ref.namespace}` : ''}${access.reason ? ` (${sanitize(access.reason)})` : ''}`, 'error');
      const live = await getObject(gate.session, ref);
      const dir = ownedTempDir('warroom-edit-', this.deps.tmpDir);
      const path = join(dir.path, `${ref.kind.toLowerCase()}-${ref.name.replace(/[^A-Za-z0-9._-]/g, '_')}.yaml`);
      this.session = { ref, context, gate, uid: live.metadata.uid, shown: editableObject(live), text: editableText(ref, live, context), dir, path };
      await this.edit(this.session.text);
    } catch (err) {
      this.deps.say(`edit ${label(ref)}: ${sanitize(describeError(err))}`, 'error');
    }
  }

  /** Writes `text` to the file and hands the terminal to the editor. */
  private async edit(text: string): Promise<void> {
    const s = this.session!;
    await writeFile(s.path, text, { mode: 0o600 });
    this.replace(undefined);
    const session = editorSession({ path: s.path, check: (t) => parseEdited(t).error, done: (o) => this.saved(o) });
    if (!this.deps.handoff(session)) {
      this.deps.say('edit needs the full-screen console (no terminal to hand over)', 'error');
      void this.close();
    }
  }

  /** The editor closed: nothing to do, or the server's dry-run of the change. */
  private saved(outcome: EditorOutcome): SessionResult | undefined {
    const s = this.session;
    if (!s) return undefined;
    if (outcome.kind === 'cancelled') {
      void this.close();
      return undefined;
    }
    s.text = outcome.text;
    const parsed = parseEdited(outcome.text);
    const patch = parsed.object ? editPatch(s.shown, parsed.object) : undefined;
    if (!patch) {
      void this.close();
      return { line: `edit cancelled: ${parsed.empty ? 'the file is empty' : 'nothing changed'}; nothing was sent`, level: 'info' };
    }
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.replace({ ref: s.ref, context: s.context, phase: 'previewing', scroll: 0 });
    void previewEdit(s.gate, s.ref, s.shown, patch, signal).then((preview) => {
      if (signal.aborted || !this.state) return;
      const phase: EditPhase = preview.ok ? 'confirm' : preview.conflict ? 'conflict' : 'refused';
      this.deps.clearMessage?.();
      this.replace({ ...this.state, phase, preview, message: preview.reason });
    }, () => undefined);
    return undefined;
  }

  enter(): void {
    const st = this.state;
    const s = this.session;
    if (!st || !s || st.phase !== 'confirm' || !st.preview) return;
    this.replace({ ...st, phase: 'applying' });
    applyEdit(s.gate, st.preview, s.uid).then(
      () => {
        const fields = Object.keys(st.preview!.patch).filter((k) => k !== 'metadata' || Object.keys(st.preview!.patch.metadata as Json).length > 1);
        void this.close();
        this.deps.say(`edited ${label(s.ref)} (${fields.join(', ')})`);
      },
      (err: unknown) => {
        if (!this.state) return;
        const conflict = err instanceof ScaleRequestError && err.conflict;
        this.replace({ ...this.state, phase: conflict ? 'conflict' : 'refused', message: sanitize(describeError(err)) });
      },
    );
  }

  /** `e`: back to the editor — with the error on top, or after a conflict from the object as it is now. */
  async reedit(): Promise<void> {
    const st = this.state;
    const s = this.session;
    if (!st || !s || st.phase === 'previewing' || st.phase === 'applying') return;
    if (st.phase !== 'conflict') return this.edit(st.phase === 'refused' && st.message ? withErrorOnTop(s.text, st.message) : s.text);
    try {
      const live = await getObject(s.gate.session, s.ref);
      s.shown = editableObject(live);
      s.uid = live.metadata.uid;
      await this.edit(conflictText(editableText(s.ref, live, s.context), st.preview?.patch ?? {}, st.message ?? 'conflict'));
    } catch (err) {
      this.replace({ ...st, message: `cannot read it again: ${sanitize(describeError(err))}` });
    }
  }

  scrollBy(lines: number): void {
    const st = this.state;
    if (!st?.preview) return;
    this.replace({ ...st, scroll: Math.max(0, Math.min(st.preview.diff.length - 1, st.scroll + lines)) });
  }

  /** Esc: nothing is sent; the file is removed. */
  async close(): Promise<void> {
    this.abort?.abort();
    this.abort = undefined;
    const s = this.session;
    this.session = undefined;
    this.replace(undefined);
    s?.dir.remove();
  }
}
