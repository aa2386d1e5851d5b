import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../platform/errors.js';
import { collectProcessMetrics, selfRegistry } from './selfMetrics.js';

// `--metrics-addr HOST:PORT`: serves the console's own metrics at /metrics for scraping.
// Off unless asked; ":PORT" (or a bare port) means loopback, so nothing is exposed to the
// network unless the user names another address.

export interface SelfMetricsEndpoint {
  url: string;
  close(): Promise<void>;
}

export function parseMetricsAddr(addr: string): { host: string; port: number } {
  const m = /^(?:(\[[0-9a-fA-F:]+\]|[^:]*):)?(\d{1,5})$/.exec(addr.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new UserError(`--metrics-addr must be HOST:PORT or :PORT, got '${addr}'`, 'e.g. --metrics-addr 127.0.0.1:9464', 2);
  const host = m[1] ? m[1].replace(/^\[|\]$/g, '') : '127.0.0.1';
  return { host, port };
}

export async function startSelfMetricsEndpoint(addr: string): Promise<SelfMetricsEndpoint> {
  const { host, port } = parseMetricsAddr(addr);
  collectProcessMetrics();
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('warroom serves /metrics only\n');
      return;
    }
    selfRegistry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': selfRegistry.contentType }).end(text),
      (err: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new UserError(`cannot serve metrics on ${host}:${port}: ${err.code ?? err.message}`, 'pick another port with --metrics-addr', 2)));
    server.listen(port, host, () => resolve());
  });
  server.unref();
  const bound = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound.port}/metrics`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
