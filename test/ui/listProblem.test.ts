import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPerFile, keys } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// A list's problem line carries text from a server (a Prometheus error, an API server's message): it
// reaches the terminal as text, never as a control sequence.

const fixture = demoPerFile();
let prometheus: Server;
let url: string;

beforeAll(async () => {
  // A hostile Prometheus: every query is an error whose message writes the window title and clears the screen.
  prometheus = createServer((_req, res) => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'boom\u001b]0;pwned\u0007\u001b[2J after' }));
  });
  await new Promise<void>((r) => prometheus.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => prometheus.close(() => r())));

describe('a list problem line', () => {
  it('shows a Prometheus error under :nodes without its escape sequences', async () => {
    const path = join(scratchDir('warroom-problem-'), 'config.yaml');
    writeFileSync(path, `contexts:\n  ${fixture.demo.context}:\n    prometheus:\n      url: ${url}\n`);
    const c = await fixture.open({ configPath: path, cols: 160, rows: 30 });
    await c.waitFor(/SYSTEM.*APPS/);
    await c.type(':nodes');
    c.press(keys.enter);
    await c.waitFor(/CPU\/MEM: .*boom.*after/, 20_000);
    expect(c.raw).not.toContain('\u001b]0;');
    expect(c.raw).not.toContain('\u001b[2J');
  });
});
