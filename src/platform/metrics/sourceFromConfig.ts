import type { PrometheusConfig } from '../../config/metricsConfig.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { directTransport } from './httpTransport.js';
import { kubeProxyTransport } from './kubeProxyTransport.js';
import type { MetricsSource } from './metricsSource.js';
import { PrometheusSource, type PrometheusSourceOptions } from './prometheusSource.js';

// One MetricsSource per configured Prometheus: a URL, or the Kubernetes service proxy.

export function sourceFromConfig(config: PrometheusConfig, session: () => ReadSession, opts: PrometheusSourceOptions = {}): MetricsSource {
  const transport = config.proxy
    ? kubeProxyTransport(session, config.proxy)
    : directTransport({
        url: config.url!,
        bearerToken: config.auth.kind === 'bearer' ? config.auth.token : undefined,
        basicAuth: config.auth.kind === 'basic' ? { username: config.auth.username, password: config.auth.password } : undefined,
        caFile: config.caFile,
        headers: config.headers,
      });
  return new PrometheusSource(transport, { timeoutMs: config.timeoutMs, ...opts });
}
