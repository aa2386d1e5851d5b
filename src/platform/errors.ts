// A user-facing error: what failed, where, and what to try. The CLI prints `message`
// (and `hint`) without a stack trace unless --debug is given.
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
