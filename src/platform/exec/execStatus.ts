// What the status channel (3) of a pods/exec stream says when the command ends: a metav1.Status.
// Success means exit code 0; a Failure with an `ExitCode` cause carries the command's exit code;
// any other Failure means the command did not run (no such executable, container gone, ...).

export interface ExecStatus {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: Array<{ reason?: string; message?: string }> };
}

export type ExecEnd =
  /** The command ran and exited (status channel). */
  | { kind: 'exit'; code: number }
  /** The server reported a failure that is not an exit code: the command could not run. */
  | { kind: 'error'; message: string; reason?: string }
  /** The stream closed without a status: the connection dropped or the API server closed it. */
  | { kind: 'closed'; code: number; reason: string }
  /** The user detached (the console closed the stream). */
  | { kind: 'detached' };

export function endFromStatus(status: ExecStatus): ExecEnd {
  if (status.status === 'Success') return { kind: 'exit', code: 0 };
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = cause?.message !== undefined ? Number(cause.message) : NaN;
  if (Number.isInteger(code)) return { kind: 'exit', code };
  return { kind: 'error', message: (status.message ?? 'the command failed without a message').trim(), reason: status.reason };
}

/**
 * True when the failure says the executable is missing from the image, so the caller may try
 * the next shell. Container runtimes word it differently; these are the ones seen from
 * containerd, CRI-O and docker, plus the shell's own 126/127.
 */
export function isMissingExecutable(end: ExecEnd): boolean {
  if (end.kind === 'exit') return end.code === 126 || end.code === 127;
  if (end.kind !== 'error') return false;
  return /no such file or directory|executable file not found|not found in \$PATH|exit code 12[67]\b/i.test(end.message);
}
