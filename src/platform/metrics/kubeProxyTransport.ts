import type { ReadSession } from '../kube/kubeSession.js';
import { decode, MAX_GET_QUERY_CHARS, TransportTimeout, type Transport } from './httpTransport.js';

// A Prometheus inside the cluster, reached through the Kubernetes API's service proxy
// (as Lens does): /api/v1/namespaces/NS/services/[https:]SVC:PORT/proxy/api/v1/query...
// with the kubeconfig's credentials. Needs `get` (and `create` for long POST queries) on
// services/proxy in that namespace.

export interface ServiceProxyTarget {
  namespace: string;
  service: string;
  port: number | string;
  /** "https" when the service itself speaks TLS. */
  scheme?: 'http' | 'https';
}

/** The Kubernetes API path of a service's proxy: /api/v1/namespaces/NS/services/[https:]SVC:PORT/proxy */
export function serviceProxyPath(target: ServiceProxyTarget): string {
  const svc = `${target.scheme === 'https' ? 'https:' : ''}${encodeURIComponent(target.service)}:${encodeURIComponent(String(target.port))}`;
  return `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/services/${svc}/proxy`;
}

export function kubeProxyTransport(session: () => ReadSession, target: ServiceProxyTarget): Transport {
  const base = serviceProxyPath(target);
  return {
    get endpoint() {
      return `${session().server}${base}`;
    },
    async send(req) {
      const query = req.params.toString();
      const post = query.length > MAX_GET_QUERY_CHARS;
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), req.timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
      try {
        // A long query goes as a form POST, which reads as much as a GET does.
        const res = post
          ? await session().postReadOnly('prometheus-query', `${base}${req.path}`, {
              accept: 'application/json',
              body: query,
              contentType: 'application/x-www-form-urlencoded',
              signal,
              timeoutMs: req.timeoutMs,
            })
          : await session().request('GET', query ? `${base}${req.path}?${query}` : `${base}${req.path}`, { accept: 'application/json', signal, timeoutMs: req.timeoutMs });
        const body = res.body;
        if (Buffer.isBuffer(body) || typeof body === 'string') return decode(res.status, String(res.headers['content-type'] ?? ''), Buffer.from(body));
        return { status: res.status, json: body, text: '' };
      } catch (err) {
        if (timeout.signal.aborted && !req.signal?.aborted) throw new TransportTimeout(`no answer within ${req.timeoutMs} ms`);
        throw err;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
