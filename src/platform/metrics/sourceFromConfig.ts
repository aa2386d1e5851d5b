import type { EndpointConfig, PrometheusConfig } from '../../config/metricsConfig.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { directTransport, type DirectTransportOptions, type Transport } from './httpTransport.js';
import { kubeProxyTransport } from './kubeProxyTransport.js';
import type { MetricsSource } from './metricsSource.js';
import { PrometheusSource, type PrometheusSourceOptions } from './prometheusSource.js';

// One MetricsSource per configured Prometheus: a URL, or the Kubernetes service proxy.

/** A configured URL's connection: its credentials, CA and headers. */
export function directOptions(config: EndpointConfig): DirectTransportOptions {
  return {
    url: config.url!,
    bearerToken: config.auth.kind === 'bearer' ? config.auth.token : undefined,
    basicAuth: config.auth.kind === 'basic' ? { username: config.auth.username, password: config.auth.password } : undefined,
    caFile: config.caFile,
    headers: config.headers,
  };
}

/** The reads of an endpoint (Prometheus, Alertmanager): straight to its URL, or through the service proxy. */
export function transportFor(config: EndpointConfig, session: () => ReadSession): Transport {
  return config.proxy ? kubeProxyTransport(session, config.proxy) : directTransport(directOptions(config));
}

export function sourceFromConfig(config: PrometheusConfig, session: () => ReadSession, opts: PrometheusSourceOptions = {}): MetricsSource {
  return new PrometheusSource(transportFor(config, session), { timeoutMs: config.timeoutMs, ...opts });
}
