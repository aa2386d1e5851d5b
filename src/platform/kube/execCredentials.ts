import { spawn } from 'node:child_process';
import type { Cluster, User } from '@kubernetes/client-node';

// Runs a kubeconfig `exec` credential plugin (client.authentication.k8s.io) ourselves instead of
// through client-node, which pipes all of the plugin's stdio: a plugin that prompts (MFA, device
// code, "open this URL") would hang invisibly. During the preflight, before the full-screen UI,
// the plugin gets the terminal's stdin and stderr; inside the UI it gets neither.

export interface ExecConfig {
  command: string;
  args?: string[];
  env?: Array<{ name: string; value: string }> | null;
  apiVersion?: string;
  interactiveMode?: 'Never' | 'IfAvailable' | 'Always';
  provideClusterInfo?: boolean;
}

export interface ExecCredential {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  /** Epoch ms; undefined = valid until the server rejects it. */
  expiresAt?: number;
}

export interface ExecRunOptions {
  /** May the plugin talk to the user (preflight on a terminal)? */
  interactive: boolean;
  /** Non-interactive runs are killed after this long. Default 60 s. */
  timeoutMs?: number;
}

export class ExecCredentialError extends Error {}

export function execConfigOf(user: User): ExecConfig | undefined {
  const exec = (user.exec ?? (user.authProvider as { config?: { exec?: unknown } } | undefined)?.config?.exec) as
    | ExecConfig
    | undefined;
  return exec && typeof exec.command === 'string' ? exec : undefined;
}

export function runExecPlugin(exec: ExecConfig, cluster: Cluster, opts: ExecRunOptions): Promise<ExecCredential> {
  const canPrompt = opts.interactive && process.stdin.isTTY === true;
  if (exec.interactiveMode === 'Always' && !canPrompt) {
    return Promise.reject(
      new ExecCredentialError('the plugin needs an interactive terminal (interactiveMode: Always); it can only run at startup'),
    );
  }
  const interactive = canPrompt && exec.interactiveMode !== 'Never';
  const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1';
  const info = {
    apiVersion,
    kind: 'ExecCredential',
    spec: {
      interactive,
      ...(exec.provideClusterInfo
        ? {
            cluster: {
              server: cluster.server,
              'tls-server-name': cluster.tlsServerName,
              'insecure-skip-tls-verify': cluster.skipTLSVerify,
              'certificate-authority-data': cluster.caData,
              'proxy-url': cluster.proxyUrl,
            },
          }
        : {}),
    },
  };
  const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
  for (const e of exec.env ?? []) env[e.name] = e.value;

  return new Promise((resolve, reject) => {
    const child = spawn(exec.command, exec.args ?? [], {
      env,
      stdio: [interactive ? 'inherit' : 'ignore', 'pipe', interactive ? 'inherit' : 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 4000) stderr += d;
    });
    const timer = interactive
      ? undefined
      : setTimeout(() => {
          child.kill('SIGKILL');
          reject(new ExecCredentialError(`the plugin gave no credentials within ${(opts.timeoutMs ?? 60_000) / 1000} s`));
        }, opts.timeoutMs ?? 60_000);
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      reject(
        new ExecCredentialError(err.code === 'ENOENT' ? `command not found: ${exec.command}` : err.message),
      );
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (code !== 0) {
        const said = stderr.trim().split('\n').slice(-3).join(' ');
        reject(new ExecCredentialError(`exited with code ${String(code)}${said ? `: ${said}` : ''}`));
        return;
      }
      try {
        const parsed = JSON.parse(stdout) as {
          status?: { token?: string; clientCertificateData?: string; clientKeyData?: string; expirationTimestamp?: string };
        };
        const status = parsed.status ?? {};
        if (!status.token && !(status.clientCertificateData && status.clientKeyData)) {
          reject(new ExecCredentialError('the plugin printed no token and no client certificate'));
          return;
        }
        const expiresAt = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : NaN;
        resolve({
          token: status.token,
          clientCertificateData: status.clientCertificateData,
          clientKeyData: status.clientKeyData,
          expiresAt: Number.isFinite(expiresAt) ? expiresAt : undefined,
        });
      } catch {
        reject(new ExecCredentialError('the plugin did not print an ExecCredential (JSON) on stdout'));
      }
    });
  });
}
