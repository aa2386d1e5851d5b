import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directTransport } from '../../../src/platform/metrics/httpTransport.js';
import { MetricsError } from '../../../src/platform/metrics/metricsSource.js';
import { PrometheusSource } from '../../../src/platform/metrics/prometheusSource.js';

// A tiny stand-in server: each test sets how it answers.
let handler: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void = () => {};
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => handler(req, body, res));
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prom`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

const source = (opts: { timeoutMs?: number; token?: string } = {}) =>
  new PrometheusSource(directTransport({ url, bearerToken: () => opts.token }), { timeoutMs: opts.timeoutMs ?? 2000 });

async function failure(p: Promise<unknown>): Promise<MetricsError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof MetricsError) return err;
    throw err;
  }
  throw new Error('expected a MetricsError');
}

describe('PrometheusSource', () => {
  it('sends query_range with start, end and step under the base path and reads the matrix', async () => {
    let seen: URL | undefined;
    handler = (req, _b, res) => {
      seen = new URL(req.url ?? '', 'http://x');
      json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: { pod: 'a' }, values: [[100, '1.5'], [110, 'NaN']] }] }, warnings: ['w1'], infos: ['i1'] });
    };
    const answer = await source().queryRange('up', { start: 100, end: 110, step: 10 });
    expect(seen?.pathname).toBe('/prom/api/v1/query_range');
    expect(seen?.searchParams.get('query')).toBe('up');
    expect(seen?.searchParams.get('step')).toBe('10');
    expect(answer.data[0].values).toEqual([[100, '1.5'], [110, 'NaN']]);
    expect(answer.warnings).toEqual(['w1', 'i1']);
  });

  it('posts a long query as a form instead of an over-long URL', async () => {
    let method = '';
    let body = '';
    handler = (req, b, res) => {
      method = req.method ?? '';
      body = b;
      json(res, 200, { status: 'success', data: { resultType: 'vector', result: [] } });
    };
    const long = `up{pod=~"${Array.from({ length: 200 }, (_, i) => `order-api-7d9f8c6b5-${String(i).padStart(5, "0")}`).join('|')}"}`;
    await source().query(long);
    expect(method).toBe('POST');
    expect(new URLSearchParams(body).get('query')).toBe(long);
  });

  it('sends the bearer token', async () => {
    let auth = '';
    handler = (req, _b, res) => {
      auth = String(req.headers.authorization);
      json(res, 200, { status: 'success', data: [] });
    };
    await source({ token: 's3cret' }).series(['up'], 0, 10);
    expect(auth).toBe('Bearer s3cret');
  });

  it("reports Prometheus's error type and message with the URL, as permanent for bad_data", async () => {
    handler = (_r, _b, res) => json(res, 400, { status: 'error', errorType: 'bad_data', error: '1:5: parse error: unexpected end of input' });
    const err = await failure(source().query('sum('));
    expect(err.kind).toBe('prometheus');
    expect(err.message).toContain(url);
    expect(err.message).toContain('bad_data: 1:5: parse error');
    expect(err.permanent).toBe(true);
  });

  it('reports a proxy error page with its status, not a JSON crash', async () => {
    handler = (_r, _b, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
    };
    const err = await failure(source().query('up'));
    expect(err.kind).toBe('http');
    expect(err.message).toMatch(/HTTP 502.*Bad Gateway/);
    expect(err.permanent).toBe(false);
  });

  it('quotes an HTML error page by its title, without its markup', async () => {
    handler = (_r, _b, res) => {
      res.writeHead(503, { 'Content-Type': 'text/html' });
      res.end(`<html><head><title>503 Service Unavailable</title><script>${'var a = 1;'.repeat(40)}</script></head><body><h1>No server is available</h1></body></html>`);
    };
    const err = await failure(source().query('up'));
    expect(err.message).toBe(`Prometheus at ${url} answered HTTP 503: HTML page: 503 Service Unavailable`);
  });

  it('says when credentials are refused', async () => {
    handler = (_r, _b, res) => {
      res.writeHead(401);
      res.end('Unauthorized');
    };
    expect((await failure(source().query('up'))).message).toMatch(/refused the credentials \(HTTP 401\)/);
  });

  it('rejects an answer that is not the documented shape', async () => {
    handler = (_r, _b, res) => json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[1, 2]] }] } });
    expect((await failure(source().queryRange('up', { start: 0, end: 1, step: 1 }))).kind).toBe('shape');
  });

  it('times out a slow server', async () => {
    handler = () => {};
    const t0 = Date.now();
    const err = await failure(source({ timeoutMs: 300 }).query('up'));
    expect(err.kind).toBe('timeout');
    expect(err.message).toContain(url);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('stops at once when the caller aborts', async () => {
    handler = () => {};
    const ac = new AbortController();
    const p = source({ timeoutMs: 10_000 }).query('up', undefined, ac.signal);
    setTimeout(() => ac.abort(), 50);
    expect((await failure(p)).kind).toBe('aborted');
  });

  it('says nothing answered when the port is closed', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const s = new PrometheusSource(directTransport({ url: `http://127.0.0.1:${port}` }), { timeoutMs: 2000 });
    const err = await failure(s.query('up'));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toMatch(/^cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+: connection refused$/);
  });
});
