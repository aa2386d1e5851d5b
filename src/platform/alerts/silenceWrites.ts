import type { AlertmanagerConfig } from '../../config/alertsConfig.js';
import type { MutatingClient } from '../kube/kubeSession.js';
import { directRequester, type TransportResponse } from '../metrics/httpTransport.js';
import { serviceProxyPath } from '../metrics/kubeProxyTransport.js';
import { directOptions } from '../metrics/sourceFromConfig.js';
import { sanitize } from '../text/sanitize.js';
import { quoteServerBody } from '../text/serverBody.js';
import type { Matcher } from './alertModel.js';
import { AlertsError, transportFailure } from './alertSource.js';

// The two changes warroom makes to an Alertmanager: create a silence (POST /api/v2/silences)
// and expire one (DELETE /api/v2/silence/{id}). They take the client ActionGate.perform hands
// out, so they happen only through the gate (read-only guard, audit record): through the
// Kubernetes service proxy that client is the request path; to a URL it is the proof.

export interface NewSilence {
  matchers: readonly Matcher[];
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  comment: string;
}

export interface SilenceWrites {
  /** The new silence's id. */
  create(silence: NewSilence): Promise<string>;
  /** Expires it now; an already expired silence is not an error (Alertmanager ≥ 0.27 says 200, older ones 500 "already expired"). */
  expire(id: string): Promise<void>;
}

function failure(at: string, what: string, res: TransportResponse): AlertsError {
  const quote = quoteServerBody(res.text || (typeof res.json === 'string' ? res.json : ''));
  if (res.status === 401 || res.status === 403) return new AlertsError('http', `Alertmanager at ${at} refused to ${what} (HTTP ${res.status}${quote ? `: ${quote}` : ''}); check the credentials in the config`, res.status);
  return new AlertsError('http', `Alertmanager at ${at} did not ${what}: HTTP ${res.status}${quote ? `: ${quote}` : ''}`, res.status);
}

export function silenceWrites(config: AlertmanagerConfig, client: MutatingClient): SilenceWrites {
  const timeoutMs = config.timeoutMs;
  let endpoint: string;
  let send: (method: 'POST' | 'DELETE', path: string, body?: unknown) => Promise<TransportResponse>;
  if (config.proxy) {
    const base = serviceProxyPath(config.proxy);
    endpoint = `service proxy ${config.proxy.namespace}/${config.proxy.service}:${config.proxy.port}`;
    send = async (method, path, body) => {
      const res = await client.request(method, `${base}${path}`, { body, timeoutMs });
      const raw = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : typeof res.body === 'string' ? res.body : '';
      return { status: res.status, json: Buffer.isBuffer(res.body) ? undefined : res.body, text: raw };
    };
  } else {
    const requester = directRequester(directOptions(config));
    endpoint = requester.endpoint;
    send = async (method, path, body) => {
      try {
        return await requester.send({ method, path, body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)), timeoutMs });
      } catch (err) {
        throw transportFailure('Alertmanager', endpoint, timeoutMs, err);
      }
    };
  }
  return {
    async create(s) {
      const body = { matchers: s.matchers, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), createdBy: s.createdBy, comment: s.comment };
      const res = await send('POST', '/api/v2/silences', body);
      const id = (res.json as { silenceID?: unknown } | undefined)?.silenceID;
      if (res.status < 200 || res.status >= 300) throw failure(endpoint, 'create the silence', res);
      if (typeof id !== 'string') throw new AlertsError('shape', `Alertmanager at ${endpoint} created a silence but did not say its silenceID`);
      // Shown in the status line and the list, and written to the audit file: the server's text.
      return sanitize(id, { maxLength: 64 });
    },
    async expire(id) {
      const res = await send('DELETE', `/api/v2/silence/${encodeURIComponent(id)}`);
      if (res.status >= 200 && res.status < 300) return;
      if (/already expired/i.test(res.text)) return;
      if (res.status === 404) throw new AlertsError('http', `Alertmanager at ${endpoint} has no silence ${id} (HTTP 404)`, 404);
      throw failure(endpoint, `expire silence ${id}`, res);
    },
  };
}
