import type { ContextRuntime } from '../contextRuntime.js';
import { describeError } from '../errors.js';
import { getPod } from '../kube/objects.js';
import { ReadOnlyError } from '../actions/readOnlyGuard.js';
import { containerChoices, type ContainerChoice } from './containerChoice.js';
import { reviewExecAccess } from './execAccess.js';
import { DEFAULT_SHELLS, shellSession } from './shellSession.js';
import type { ActionGate } from '../actions/actionGate.js';
import { glyphs } from '../../terminal/glyphs.js';

// `s` on a pod: read-only guard, "may I?" (SelfSubjectAccessReview for create pods/exec), the
// pod's containers (a picker when there are several), then the terminal hand-off. The UI
// calls these methods and draws the picker from `picker`; it does no I/O itself.

export interface PickerState {
  namespace: string;
  pod: string;
  choices: ContainerChoice[];
}

export class ExecLauncher {
  private listeners = new Set<() => void>();
  private pickerState: PickerState | undefined;
  /** Bumped per request so a slow answer for an earlier `s` does not start a shell late. */
  private generation = 0;

  constructor(private readonly runtime: ContextRuntime) {}

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getPicker = (): PickerState | undefined => this.pickerState;

  /** Forgets the picker and any answer still on its way (the context is going away). */
  cancel(): void {
    this.generation++;
    this.pickerState = undefined;
  }

  private setPicker(p: PickerState | undefined): void {
    this.pickerState = p;
    for (const l of [...this.listeners]) l();
  }

  private gate(): ActionGate {
    return this.runtime.gate;
  }

  /** Refuses in read-only mode (and audits the refusal); true when exec may be offered. */
  private writable(gate: ActionGate, namespace: string, pod: string): boolean {
    try {
      gate.assertWritable('exec');
      return true;
    } catch (err) {
      if (err instanceof ReadOnlyError) {
        void gate.note([gate.record({ action: 'exec', target: { namespace, kind: 'Pod', name: pod } }, `refused: read-only (${err.why === 'flag' ? '--readonly' : 'config'})`)]).catch(() => undefined);
      }
      this.runtime.nav.say(describeError(err), 'error');
      return false;
    }
  }

  async shellInto(namespace: string, pod: string): Promise<void> {
    const nav = this.runtime.nav;
    const gate = this.gate();
    if (!gate || !this.writable(gate, namespace, pod)) return;
    const generation = ++this.generation;
    nav.say(`checking exec permission for ${namespace}/${pod}${glyphs.ellipsis}`);
    let choices: ContainerChoice[];
    try {
      const [access, obj] = await Promise.all([reviewExecAccess(gate, namespace, pod), getPod(this.runtime.session, namespace, pod)]);
      if (generation !== this.generation) return;
      if (!access.allowed) {
        nav.say(`exec forbidden (403): user ${this.runtime.session.user || '?'} may not ${access.missing} on context ${this.runtime.session.contextName}${access.reason ? ` ${glyphs.dash} ${access.reason}` : ''}`, 'error');
        return;
      }
      choices = containerChoices(obj);
    } catch (err) {
      if (generation === this.generation) nav.say(`exec into ${namespace}/${pod}: ${describeError(err)}`, 'error');
      return;
    }
    nav.clearMessage();
    if (choices.length === 0) return nav.say(`pod ${namespace}/${pod} has no containers`, 'error');
    if (choices.length === 1) return this.launch(namespace, pod, choices[0]);
    this.setPicker({ namespace, pod, choices });
    nav.push({ kind: 'exec-pick', namespace, pod });
  }

  /** The picker's Enter: leaves the picker first, so the console comes back to the list. */
  pick(choice: ContainerChoice): void {
    const p = this.pickerState;
    if (!p) return;
    if (this.runtime.nav.current.kind === 'exec-pick') this.runtime.nav.back();
    this.setPicker(undefined);
    this.launch(p.namespace, p.pod, choice);
  }

  private launch(namespace: string, pod: string, choice: ContainerChoice): void {
    const nav = this.runtime.nav;
    if (!choice.running) return nav.say(`container ${choice.name} of ${namespace}/${pod} is not running (${choice.state}); no shell possible`, 'error');
    const gate = this.gate();
    if (!gate || !this.writable(gate, namespace, pod)) return;
    let commands = DEFAULT_SHELLS;
    try {
      const cfg = this.runtime.execConfig();
      if (cfg.shell) commands = [cfg.shell];
    } catch (err) {
      return nav.say(describeError(err), 'error');
    }
    const session = shellSession({ session: this.runtime.session, gate, target: { namespace, pod, container: choice.name }, commands });
    if (!this.runtime.requestHandoff(session)) nav.say('exec needs the full-screen console (no terminal to hand over)', 'error');
  }
}
