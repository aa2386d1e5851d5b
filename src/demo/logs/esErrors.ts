// Elasticsearch's error bodies, as the client and the console read them:
// { error: { root_cause: [{type, reason}], type, reason, ... }, status }.

export class EsHttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(reason);
  }

  body(): unknown {
    const cause = { type: this.type, reason: this.reason, ...this.extra };
    return { error: { root_cause: [cause], ...cause }, status: this.status };
  }
}

export const esErrors = {
  badRequest: (reason: string) => new EsHttpError(400, 'illegal_argument_exception', reason),
  parsing: (reason: string) => new EsHttpError(400, 'parsing_exception', reason, { line: 1, col: 1 }),
  validation: (reason: string) => new EsHttpError(400, 'action_request_validation_exception', `Validation Failed: 1: ${reason};`),
  /** A query that fails on the shards (query_string syntax): ES wraps it in search_phase_execution_exception. */
  queryShard(index: string, reason: string, cause: string): EsHttpError {
    const e = new EsHttpError(400, 'search_phase_execution_exception', 'all shards failed', {
      phase: 'query',
      grouped: true,
      failed_shards: [{ shard: 0, index, node: 'demo-node-0', reason: { type: 'query_shard_exception', reason, index, caused_by: { type: 'parse_exception', reason: cause } } }],
    });
    e.body = () => ({
      error: {
        root_cause: [{ type: 'query_shard_exception', reason, index }],
        type: 'search_phase_execution_exception',
        reason: 'all shards failed',
        phase: 'query',
        grouped: true,
        failed_shards: [{ shard: 0, index, node: 'demo-node-0', reason: { type: 'query_shard_exception', reason, index, caused_by: { type: 'parse_exception', reason: cause } } }],
      },
      status: 400,
    });
    return e;
  },
  indexNotFound: (name: string) => new EsHttpError(404, 'index_not_found_exception', `no such index [${name}]`, { 'resource.type': 'index_or_alias', 'resource.id': name, index: name }),
  pitMissing: (id: string) => new EsHttpError(404, 'search_context_missing_exception', `No search context found for id [${id.slice(0, 40)}]`),
  unauthenticated: (path: string) =>
    new EsHttpError(401, 'security_exception', `unable to authenticate with provided credentials and anonymous access is not allowed for this request`, { additional_unsuccessful_credentials: `request [${path}]` }, { 'WWW-Authenticate': 'Basic realm="security", charset="UTF-8", ApiKey' }),
};
