// The state of a dialog over the view (scale, :run confirmation): undefined while closed.
// Listeners are told at once: a dialog follows the key that changed it.

export class DialogState<S> {
  protected state: S | undefined;
  private readonly listeners = new Set<() => void>();

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.state;

  get isOpen(): boolean {
    return this.state !== undefined;
  }

  /** Replaces the state (undefined closes the dialog) and notifies. */
  protected replace(next: S | undefined): void {
    this.state = next;
    for (const l of [...this.listeners]) l();
  }
}
