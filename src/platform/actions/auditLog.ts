import { chmod, mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { userInfo } from 'node:os';

// The audit file: one JSON object per line, appended, readable by the owner only (0600).
// Records carry names and numbers, never request headers, tokens or kubeconfig contents:
// the writer takes only the fields of AuditRecord and strips control characters.

export interface AuditRecord {
  /** ISO time the outcome was known. */
  time: string;
  /** kubeconfig user of the context, and the local account that ran warroom. */
  user: string;
  osUser: string;
  context: string;
  /** scale, restart, hpa, exec, ... */
  action: string;
  namespace: string;
  kind: string;
  name: string;
  from?: string | number;
  to?: string | number;
  /** How it was sent, as kubectl's flags or the API's parameters: `propagationPolicy=Orphan`, `delete-emptydir-data force grace-period=0`. */
  options?: string;
  /** What the server-side dry-run said: "accepted", "rejected: <reason>", or "none" where the API has none. */
  dryRun: string;
  /** applied, failed: <reason>, conflict: <reason>, refused: <reason>, cancelled. */
  outcome: string;
  /** Groups the records of one bulk operation. */
  operation?: string;
  /** exec: the container and the command line (never what was typed into it). */
  container?: string;
  command?: string;
  /** silence: the comment given with it. */
  comment?: string;
}

export class AuditLog {
  private checked = false;

  constructor(readonly path: string) {}

  /**
   * Creates the file (and its directory, 0700) if needed and tightens its mode. Called before
   * the first mutation: if the audit cannot be written, the mutation does not happen.
   */
  async ensureWritable(): Promise<void> {
    if (this.checked) return;
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const fh = await open(this.path, 'a', 0o600);
    await fh.close();
    const st = await stat(this.path);
    if ((st.mode & 0o077) !== 0) await chmod(this.path, 0o600);
    this.checked = true;
  }

  /**
   * Appends records in call order; resolves when they are on disk (or rejects with the write
   * error). Records that arrive while a write is in flight go out together in the next one,
   * so a bulk operation with many requests in flight does not queue one write per record.
   */
  append(records: AuditRecord[]): Promise<void> {
    const lines = records.map((r) => `${JSON.stringify(clean(r))}\n`).join('');
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ lines, resolve, reject });
      if (!this.writing) void this.flush();
    });
  }

  private pending: Array<{ lines: string; resolve: () => void; reject: (err: unknown) => void }> = [];
  private writing = false;

  private async flush(): Promise<void> {
    this.writing = true;
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.ensureWritable();
        const fh = await open(this.path, 'a', 0o600);
        try {
          await fh.appendFile(batch.map((b) => b.lines).join(''), 'utf8');
        } finally {
          await fh.close();
        }
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.writing = false;
  }
}

const FIELDS: Array<keyof AuditRecord> = ['time', 'user', 'osUser', 'context', 'action', 'namespace', 'kind', 'name', 'from', 'to', 'options', 'dryRun', 'outcome', 'operation', 'container', 'command', 'comment'];

function clean(r: AuditRecord): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const k of FIELDS) {
    const v = r[k];
    if (v === undefined) continue;
    out[k] = typeof v === 'number' ? v : String(v).replace(/[\x00-\x1f\x7f]/g, ' ').slice(0, 1000);
  }
  return out;
}

export function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}
