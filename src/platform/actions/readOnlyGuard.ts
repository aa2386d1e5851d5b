import { UserError } from '../errors.js';

// The one read-only guard. `--readonly` refuses every mutation; `contexts.<name>.readOnly`
// in the config file refuses them on that context only (and follows a `:ctx` switch).

export interface ReadOnlyPolicy {
  /** --readonly */
  global: boolean;
  contexts: ReadonlySet<string>;
}

export class ReadOnlyError extends UserError {
  constructor(
    readonly action: string,
    readonly context: string,
    readonly why: 'flag' | 'config',
  ) {
    super(
      `${action} refused: context '${context}' is read-only (${why === 'flag' ? 'started with --readonly' : 'readOnly: true in the config file'})`,
      why === 'flag' ? 'restart warroom without --readonly to make changes' : `set contexts.${context}.readOnly to false in the config file to make changes`,
    );
    this.name = 'ReadOnlyError';
  }
}

export function readOnlyReason(policy: ReadOnlyPolicy, context: string): 'flag' | 'config' | undefined {
  if (policy.global) return 'flag';
  if (policy.contexts.has(context)) return 'config';
  return undefined;
}

/** Throws ReadOnlyError when the context may not be changed. */
export function assertWritable(policy: ReadOnlyPolicy, context: string, action: string): void {
  const why = readOnlyReason(policy, context);
  if (why) throw new ReadOnlyError(action, context, why);
}
