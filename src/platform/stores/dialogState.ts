import { CoalescingNotifier } from './coalescingNotifier.js';

// The state of a dialog over the view (scale, :run confirmation): undefined while closed.
// Listeners are told at once of what a key changed (a dialog follows the key); progress that
// comes with every request of a long operation (2,000 dry-runs over a fleet) is told at most
// ten times a second, so it does not cost a render per request.

export class DialogState<S> {
  protected state: S | undefined;
  private readonly notifier = new CoalescingNotifier(100);

  subscribe = (l: () => void) => this.notifier.subscribe(l);

  getSnapshot = () => this.state;

  get isOpen(): boolean {
    return this.state !== undefined;
  }

  /** Replaces the state (undefined closes the dialog) and notifies at once. */
  protected replace(next: S | undefined): void {
    this.state = next;
    this.notifier.flushNow();
  }

  /** Replaces the state with progress: listeners are told with the next coalesced notification. */
  protected progress(next: S): void {
    this.state = next;
    this.notifier.changed();
  }
}
