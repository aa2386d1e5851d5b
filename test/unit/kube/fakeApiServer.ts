import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { scratchDir } from '../../support/scratchDir.js';

// A tiny stand-in for a kube-apiserver: each test supplies the handler.

export interface SeenRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
}

export interface FakeApiServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void | Promise<void>;

export async function startFakeApiServer(handler: Handler): Promise<FakeApiServer> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? 'GET', url, headers: req.headers });
    Promise.resolve(handler(req, res, url)).catch((err: unknown) => {
      res.destroy(err instanceof Error ? err : new Error(String(err)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export function startWatchStream(res: http.ServerResponse): (event: unknown) => void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  return (event) => res.write(`${JSON.stringify(event)}\n`);
}

export function tempDir(): string {
  return scratchDir('warroom-kube-');
}

export interface KubeconfigContext {
  name: string;
  server: string;
  user?: string;
  token?: string;
  namespace?: string;
}

/** Writes a kubeconfig with one cluster+user per context (plain http servers need the skip flag for client-node). */
export function writeKubeconfig(
  dir: string,
  contexts: KubeconfigContext[],
  /** null: no current-context line. */
  current: string | null = contexts[0]?.name ?? null,
  file = 'config',
): string {
  const lines: string[] = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  for (const c of contexts) {
    lines.push(`- name: ${c.name}-cluster`, '  cluster:', `    server: ${c.server}`);
  }
  lines.push('users:');
  for (const c of contexts) {
    lines.push(`- name: ${c.user ?? `${c.name}-user`}`, '  user:', c.token ? `    token: ${c.token}` : '    {}');
  }
  lines.push('contexts:');
  for (const c of contexts) {
    lines.push(`- name: ${c.name}`, '  context:', `    cluster: ${c.name}-cluster`, `    user: ${c.user ?? `${c.name}-user`}`);
    if (c.namespace) lines.push(`    namespace: ${c.namespace}`);
  }
  if (current) lines.push(`current-context: ${current}`);
  const file_ = path.join(dir, file);
  fs.writeFileSync(file_, `${lines.join('\n')}\n`);
  return file_;
}

export async function until(pred: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
