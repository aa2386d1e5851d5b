import { describe, expect, it } from 'vitest';
import { describeEsError } from '../../../src/platform/logs/esErrors.js';

// Elasticsearch behind a proxy: the proxy's error page is quoted by its title, not dumped.

const where = { url: 'https://es.example:9200', index: 'logs-*', timeoutMs: 10_000 };
const page = '<html><head><title>503 Service Temporarily Unavailable</title><style>body{}</style></head><body><h1>503</h1>' + '<p>filler</p>'.repeat(100) + '</body></html>';

/** What @elastic/transport throws for a non-JSON error answer: the whole body is the message. */
const responseError = (statusCode: number, body: string) => Object.assign(new Error(body), { name: 'ResponseError', meta: { statusCode, body } });

describe('Elasticsearch errors', () => {
  it('an HTML page from a proxy is quoted by its title with the status and URL', () => {
    const err = describeEsError(responseError(503, page), where);
    expect(err.message).toBe('Elasticsearch at https://es.example:9200 failed (503: HTML page: 503 Service Temporarily Unavailable)');
    expect(describeEsError(responseError(403, page), where).message).toBe(
      'Elasticsearch at https://es.example:9200 denied reading logs-* (403: HTML page: 503 Service Temporarily Unavailable); the API key or user needs the read privilege on it',
    );
  });

  it("Elasticsearch's own JSON reason is still shown", () => {
    const body = { error: { type: 'search_phase_execution_exception', reason: 'all shards failed', root_cause: [{ type: 'query_shard_exception', reason: 'failed to create query' }] } };
    const err = describeEsError(Object.assign(new Error('search_phase_execution_exception'), { name: 'ResponseError', meta: { statusCode: 400, body } }), where);
    expect(err.message).toBe('query rejected: failed to create query');
  });

  it('an empty answer names the status', () => {
    expect(describeEsError(responseError(502, ''), where).message).toBe('Elasticsearch at https://es.example:9200 failed (502: HTTP 502)');
  });
});
