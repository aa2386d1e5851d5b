import { KubeConfig } from '@kubernetes/client-node';

// Requests to a demo platform's API server as its admin, beside the console under test (to set
// up objects, change them behind the console's back, and check what the console did).

export interface ApiAnswer {
  status: number;
  // Kubernetes JSON, walked loosely in assertions.
  json: any;
}

export function demoApi(demo: () => { kubeconfigPath: string; context: string; url: string }) {
  // `headers` go after the defaults: another Content-Type (a JSON patch), an Accept, a User-Agent.
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> => {
    const { kubeconfigPath, context, url } = demo();
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    kc.setCurrentContext(context);
    const init: { headers?: Record<string, string> } = {};
    await kc.applyToFetchOptions(init as never);
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...init.headers, 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };
}
