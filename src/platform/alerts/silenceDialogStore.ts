import { hostname } from 'node:os';
import type { AlertsConfig } from '../../config/alertsConfig.js';
import type { ActionGate } from '../actions/actionGate.js';
import { describeAccess } from '../actions/accessReview.js';
import { localUser } from '../actions/auditLog.js';
import { ReadOnlyError } from '../actions/readOnlyGuard.js';
import { confirmationWord, typedConfirmationMissing } from '../actions/typedConfirmation.js';
import { describeError } from '../errors.js';
import { DialogState } from '../stores/dialogState.js';
import { alertTarget, formatDuration, matchersFor, matchersText, matchesAll, parseDuration, type Alert, type Matcher, type Silence } from './alertModel.js';
import type { AlertStore } from './alertStore.js';
import { silenceWrites } from './silenceWrites.js';
import { glyphs } from '../../terminal/glyphs.js';

// The silence dialogs, outside React: `S` on an alert (matchers prefilled from its labels, a
// duration, a comment), previewed with what it matches now, then created through the gate;
// `x` on a silence, re-read first (someone may have changed or expired it), previewed with the
// alerts that will notify again, then expired through the gate. Read-only contexts refuse
// before anything is offered (and the refusal is audited). Alertmanager has no dry-run and no
// Kubernetes RBAC of its own: the preview says so, and asks the API server about the service
// proxy when Alertmanager is reached through it.

export type SilencePhase = 'edit' | 'previewing' | 'preview' | 'applying' | 'done';

export interface MatcherChoice {
  matcher: Matcher;
  on: boolean;
}

export interface SilencePreview {
  startsAt: number;
  endsAt: number;
  /** The alerts it matches now (as Alertmanager matched them, else counted from the last poll). */
  matching: readonly Alert[];
  /** Where `matching` comes from, when not from Alertmanager itself. */
  matchingNote?: string;
  /** Active silences with the same matchers (a second silence is seldom meant). */
  overlapping: readonly Silence[];
  /** What decides whether the user may: the Kubernetes service proxy's review, or Alertmanager's own auth. */
  access: string;
  accessDenied?: boolean;
}

export interface SilenceDialogState {
  kind: 'create' | 'expire';
  context: string;
  title: string;
  phase: SilencePhase;
  /** create: the alert it came from, its matchers (Space drops one), duration and comment as typed. */
  alert?: Alert;
  matchers: MatcherChoice[];
  duration: string;
  /** The first key typed into the duration replaces the prefilled 2h. */
  durationFresh: boolean;
  comment: string;
  /** The field the keys go to: a matcher (0..n-1), the duration (n), the comment (n+1). */
  focus: number;
  createdBy: string;
  preview?: SilencePreview;
  /** expire: the silence as listed, then as re-read. */
  silence?: Silence;
  /** expire: what changed since it was listed (someone else extended, edited or expired it). */
  conflict?: string;
  /** expire: the alerts it silences now (they notify again). */
  silencedNow?: readonly Alert[];
  confirmWord?: string;
  confirmInput: string;
  error?: string;
  note?: string;
}

export interface SilenceDialogDeps {
  context: string;
  gate(): ActionGate;
  alerts: AlertStore;
  config(): AlertsConfig;
  say(text: string, level?: 'info' | 'warn' | 'error'): void;
  now?: () => number;
}

export const DEFAULT_SILENCE_DURATION = '2h';
const MAX_DURATION_MS = 90 * 86_400_000;
const MAX_COMMENT = 500;
/** A silence matching more alerts than this is confirmed with a typed word. */
const CONFIRM_OVER = 5;

/** `user@host`: who created a silence, as Alertmanager's UI writes it. */
export function consoleUser(): string {
  return `${localUser() || 'warroom'}@${hostname()}`;
}

export class SilenceDialogStore extends DialogState<SilenceDialogState> {
  private abort: AbortController | undefined;

  constructor(private readonly deps: SilenceDialogDeps) {
    super();
  }

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private set(patch: Partial<SilenceDialogState>): void {
    if (this.state) this.replace({ ...this.state, ...patch });
  }

  /** The Alertmanager silences go to, or why there is none (said to the user). */
  private alertmanager() {
    const source = this.deps.alerts.source;
    const config = source?.alertmanager ? this.deps.config().alertmanager : undefined;
    if (!source?.alertmanager || !config) {
      this.deps.say(`silences need an Alertmanager: add contexts.${this.deps.context}.alertmanager.url (or .proxy) to the config file${source ? ` (alerts here come from ${source.endpoint})` : ''}`, 'warn');
      return undefined;
    }
    return { reads: source.alertmanager, config };
  }

  /** The guard before a dialog is offered; a refusal is said and audited. */
  private writable(action: string, target: { namespace: string; name: string }): boolean {
    const gate = this.deps.gate();
    try {
      gate.assertWritable(action);
      return true;
    } catch (err) {
      if (err instanceof ReadOnlyError) {
        void gate.note([gate.record({ action, target: { ...target, kind: 'Silence' } }, `refused: read-only (${err.why === 'flag' ? '--readonly' : 'config'})`)]).catch(() => undefined);
      }
      this.deps.say(describeError(err), 'error');
      return false;
    }
  }

  // ------------------------------------------------------------------ create

  /** `S` on an alert: matchers from every label (a silence of exactly this alert), 2h, a comment to write. */
  openCreate(alert: Alert): void {
    if (this.isOpen || !this.alertmanager()) return;
    const matchers = matchersFor(alert.labels).map((matcher) => ({ matcher, on: true }));
    if (!this.writable('silence', { namespace: alert.labels.namespace ?? '', name: matchersText(matchers.map((m) => m.matcher)) })) return;
    this.replace({
      kind: 'create',
      context: this.deps.context,
      title: `Silence ${alert.name}${alertTarget(alert.labels).namespace ? ` in ${alert.labels.namespace}` : ''}`,
      phase: 'edit',
      alert,
      matchers,
      duration: DEFAULT_SILENCE_DURATION,
      durationFresh: true,
      comment: '',
      focus: matchers.length + 1,
      createdBy: consoleUser(),
      confirmInput: '',
    });
  }

  /** Fields in order: the matchers, the duration, the comment. */
  moveFocus(by: 1 | -1): void {
    const s = this.state;
    if (!s || s.kind !== 'create' || s.phase !== 'edit') return;
    const n = s.matchers.length + 2;
    this.set({ focus: (s.focus + by + n) % n });
  }

  /** Space on a matcher: drop it from the silence (again: keep it). False when the focus is on a text field. */
  toggleMatcher(): boolean {
    const s = this.state;
    if (!s || s.kind !== 'create' || s.phase !== 'edit' || s.focus >= s.matchers.length) return false;
    this.set({ matchers: s.matchers.map((m, i) => (i === s.focus ? { ...m, on: !m.on } : m)), error: undefined });
    return true;
  }

  type(text: string): void {
    const s = this.state;
    if (!s) return;
    if (s.phase === 'preview' && s.confirmWord) return this.set({ confirmInput: (s.confirmInput + text).slice(0, 253), note: undefined });
    if (s.kind !== 'create' || s.phase !== 'edit') return;
    if (s.focus === s.matchers.length) return this.set({ duration: (s.durationFresh ? text : s.duration + text).slice(0, 12), durationFresh: false, error: undefined });
    if (s.focus === s.matchers.length + 1) return this.set({ comment: (s.comment + text).replace(/[\r\n]/g, ' ').slice(0, MAX_COMMENT), error: undefined });
  }

  backspace(): void {
    const s = this.state;
    if (!s) return;
    if (s.phase === 'preview' && s.confirmWord) return this.set({ confirmInput: s.confirmInput.slice(0, -1) });
    if (s.kind !== 'create' || s.phase !== 'edit') return;
    if (s.focus === s.matchers.length) return this.set({ duration: s.duration.slice(0, -1), durationFresh: false });
    if (s.focus === s.matchers.length + 1) this.set({ comment: s.comment.slice(0, -1) });
  }

  /** What keeps the silence from being previewed, or undefined. */
  private editProblem(s: SilenceDialogState): string | undefined {
    const on = s.matchers.filter((m) => m.on);
    if (!on.length) return 'keep at least one matcher (Space on a matcher keeps or drops it)';
    if (on.every((m) => matchesAll([m.matcher], {}))) return `every matcher kept also matches alerts without that label: keep one that names a value (alertname, namespace, ${glyphs.ellipsis})`;
    const ms = parseDuration(s.duration);
    if (ms === undefined) return `'${s.duration}' is not a duration: type e.g. 2h, 30m, 1h30m or 1d`;
    if (ms < 60_000 || ms > MAX_DURATION_MS) return 'a silence lasts from 1m to 90d';
    if (!s.comment.trim()) return 'a comment is required: why, and a ticket or incident if there is one';
    return undefined;
  }

  private async runPreview(): Promise<void> {
    const s = this.state;
    const am = this.alertmanager();
    if (!s || !am) return;
    const ac = new AbortController();
    this.abort = ac;
    const matchers = s.matchers.filter((m) => m.on).map((m) => m.matcher);
    const startsAt = this.now;
    const endsAt = startsAt + parseDuration(s.duration)!;
    this.set({ phase: 'previewing', error: undefined, note: undefined });
    let matching: readonly Alert[];
    let matchingNote: string | undefined;
    try {
      matching = await am.reads.alerts(matchers, ac.signal);
    } catch (err) {
      if (ac.signal.aborted) return;
      matching = this.deps.alerts.alerts().filter((a) => a.state !== 'pending' && matchesAll(matchers, a.labels));
      matchingNote = `counted from the last poll: ${describeError(err)}`;
    }
    const same = matchersText(matchers);
    const overlapping = (this.deps.alerts.silences() ?? []).filter((x) => x.state !== 'expired' && matchersText(x.matchers) === same);
    let access = 'Alertmanager has no Kubernetes RBAC and no dry-run: its own authentication decides (the config\'s credentials)';
    let accessDenied = false;
    if (am.config.proxy) {
      const attrs = { verb: 'create', group: '', resource: 'services', subresource: 'proxy', namespace: am.config.proxy.namespace, name: am.config.proxy.service };
      try {
        const d = await this.deps.gate().canI(attrs, ac.signal);
        accessDenied = !d.allowed;
        access = `${d.allowed ? 'allowed' : 'FORBIDDEN'}: ${describeAccess(attrs)} (the Kubernetes service proxy; Alertmanager itself has no RBAC and no dry-run)`;
      } catch (err) {
        if (ac.signal.aborted) return;
        access = `the access review for the service proxy failed: ${describeError(err)}; Alertmanager has no dry-run`;
      }
    }
    if (this.abort !== ac || this.state?.phase !== 'previewing') return;
    this.abort = undefined;
    const namespaces = [...new Set(matching.map((a) => a.labels.namespace).filter((n): n is string => !!n))];
    this.set({
      phase: 'preview',
      preview: { startsAt, endsAt, matching, matchingNote, overlapping, access, accessDenied },
      confirmWord: matching.length > CONFIRM_OVER ? confirmationWord(namespaces, this.deps.context) : undefined,
      confirmInput: '',
    });
  }

  private async runCreate(): Promise<void> {
    const s = this.state;
    const am = this.alertmanager();
    if (!s?.preview || !am) return;
    const matchers = s.matchers.filter((m) => m.on).map((m) => m.matcher);
    // The duration counts from now, not from the preview.
    const startsAt = this.now;
    const endsAt = startsAt + (s.preview.endsAt - s.preview.startsAt);
    this.set({ phase: 'applying' });
    try {
      const id = await this.deps.gate().perform({
        action: 'silence',
        target: { namespace: s.alert?.labels.namespace ?? '', kind: 'Silence', name: matchersText(matchers) },
        to: `until ${new Date(endsAt).toISOString()}`,
        dryRun: 'none (Alertmanager has no dry-run)',
        comment: s.comment.trim(),
        kubernetesEvent: false,
        run: (client) => silenceWrites(am.config, client).create({ matchers, startsAt: new Date(startsAt), endsAt: new Date(endsAt), createdBy: s.createdBy, comment: s.comment.trim() }),
        outcome: (id) => `applied: silence ${id}`,
      });
      this.replace(undefined);
      this.deps.alerts.refreshNow();
      this.deps.say(`silence ${id} created: ${s.preview.matching.length} alert${s.preview.matching.length === 1 ? '' : 's'} silenced for ${formatDuration(endsAt - startsAt)} (until ${timeOfDay(endsAt)})`);
    } catch (err) {
      this.set({ phase: 'done', error: `the silence was not created: ${describeError(err)}` });
    }
  }

  // ------------------------------------------------------------------ expire

  /** `x` on a silence: re-read it, then preview what expiring it brings back. */
  async openExpire(silence: Silence): Promise<void> {
    if (this.isOpen || !this.alertmanager()) return;
    if (silence.state === 'expired') return this.deps.say(`silence ${silence.id} has already expired`, 'warn');
    if (!this.writable('expire-silence', { namespace: silence.matchers.find((m) => m.name === 'namespace' && !m.isRegex)?.value ?? '', name: silence.id })) return;
    const am = this.alertmanager()!;
    const ac = new AbortController();
    this.abort = ac;
    this.replace({ kind: 'expire', context: this.deps.context, title: `Expire silence ${silence.id}`, phase: 'previewing', silence, matchers: [], duration: '', durationFresh: false, comment: silence.comment, focus: 0, createdBy: silence.createdBy, confirmInput: '' });
    let current: Silence;
    try {
      current = await am.reads.silence(silence.id, ac.signal);
    } catch (err) {
      if (ac.signal.aborted) return;
      return this.set({ phase: 'done', error: `cannot read silence ${silence.id} again before expiring it: ${describeError(err)}` });
    }
    if (this.abort !== ac) return;
    this.abort = undefined;
    if (current.state === 'expired') return this.set({ phase: 'done', silence: current, conflict: `it expired meanwhile (updated ${timeOfDay(current.updatedAt)}): nothing to do` });
    const changes: string[] = [];
    if (current.endsAt !== silence.endsAt) changes.push(`it now ends ${timeOfDay(current.endsAt)} (listed: ${timeOfDay(silence.endsAt)})`);
    if (current.comment !== silence.comment) changes.push(`its comment is now "${current.comment}"`);
    if (matchersText(current.matchers) !== matchersText(silence.matchers)) changes.push('its matchers changed');
    const silencedNow = this.deps.alerts.alerts().filter((a) => a.silencedBy.includes(current.id));
    this.set({ phase: 'preview', silence: current, conflict: changes.length ? `changed since listed (by someone else?): ${changes.join('; ')}` : undefined, silencedNow });
  }

  private async runExpire(): Promise<void> {
    const s = this.state;
    const am = this.alertmanager();
    const silence = s?.silence;
    if (!s || !silence || !am) return;
    this.set({ phase: 'applying' });
    try {
      await this.deps.gate().perform({
        action: 'expire-silence',
        target: { namespace: silence.matchers.find((m) => m.name === 'namespace' && !m.isRegex)?.value ?? '', kind: 'Silence', name: silence.id },
        from: `until ${new Date(silence.endsAt).toISOString()}`,
        to: 'expired',
        dryRun: 'none (Alertmanager has no dry-run)',
        comment: silence.comment,
        kubernetesEvent: false,
        run: (client) => silenceWrites(am.config, client).expire(silence.id),
      });
      this.replace(undefined);
      this.deps.alerts.refreshNow();
      const back = s.silencedNow?.length ?? 0;
      this.deps.say(`silence ${silence.id} expired${back ? `: ${back} alert${back === 1 ? '' : 's'} notify again` : ''}`);
    } catch (err) {
      this.set({ phase: 'done', error: `the silence was not expired: ${describeError(err)}` });
    }
  }

  // ------------------------------------------------------------------ enter / esc

  enter(): void {
    const s = this.state;
    if (!s) return;
    if (s.phase === 'edit') {
      const problem = this.editProblem(s);
      if (problem) return this.set({ error: problem });
      return void this.runPreview();
    }
    if (s.phase === 'preview') {
      if (s.preview?.accessDenied) return this.set({ note: 'the service proxy would refuse this: Esc goes back' });
      const missing = typedConfirmationMissing(s.confirmWord, s.confirmInput);
      if (missing) return this.set({ note: missing });
      return void (s.kind === 'create' ? this.runCreate() : this.runExpire());
    }
    if (s.phase === 'done') this.close();
  }

  escape(): void {
    const s = this.state;
    if (!s) return;
    if (s.phase === 'applying') return this.set({ note: 'the request is on its way; its outcome is shown here' });
    if (s.kind === 'create' && (s.phase === 'preview' || s.phase === 'previewing')) {
      this.abort?.abort();
      this.abort = undefined;
      return this.set({ phase: 'edit', preview: undefined, confirmWord: undefined, confirmInput: '', note: undefined });
    }
    this.close();
  }

  close(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.replace(undefined);
  }
}

/** `06:12`: a time today or soon, as the dialogs say it. */
export function timeOfDay(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes()].map((n) => String(n).padStart(2, '0')).join(':');
}
