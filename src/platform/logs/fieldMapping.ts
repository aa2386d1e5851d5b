// Where each piece of a log document lives, per shipper. Term filters need keyword fields:
// Filebeat's ECS template maps the Kubernetes fields as keywords; Logstash's and Fluent
// Bit's usual templates map strings as text with a `.keyword` sub-field.

export interface FieldMapping {
  timestamp: string;
  message: string;
  /** Keyword field with the level; undefined when the shipper has none (levels are then guessed from the text). */
  level?: string;
  namespace: string;
  pod: string;
  container: string;
  /** Keyword fields naming the owning workload, when the shipper adds them. */
  deployment?: string;
  statefulset?: string;
}

export type FieldPreset = 'ecs' | 'logstash' | 'fluent-bit';

export const FIELD_PRESETS: Record<FieldPreset, { fields: FieldMapping; index: string; description: string }> = {
  ecs: {
    description: 'Filebeat / Elastic Agent (ECS)',
    index: 'filebeat-*,logs-*',
    fields: {
      timestamp: '@timestamp',
      message: 'message',
      level: 'log.level',
      namespace: 'kubernetes.namespace',
      pod: 'kubernetes.pod.name',
      container: 'kubernetes.container.name',
      deployment: 'kubernetes.deployment.name',
      statefulset: 'kubernetes.statefulset.name',
    },
  },
  logstash: {
    description: "Logstash's default logstash-* layout (strings as text + .keyword)",
    index: 'logstash-*',
    fields: {
      timestamp: '@timestamp',
      message: 'message',
      level: 'level.keyword',
      namespace: 'kubernetes.namespace.keyword',
      pod: 'kubernetes.pod.name.keyword',
      container: 'kubernetes.container.name.keyword',
      deployment: 'kubernetes.deployment.name.keyword',
      statefulset: 'kubernetes.statefulset.name.keyword',
    },
  },
  'fluent-bit': {
    description: "Fluent Bit's kubernetes filter (es output, Logstash_Format On)",
    index: 'logstash-*',
    fields: {
      timestamp: '@timestamp',
      message: 'log',
      level: 'level.keyword',
      namespace: 'kubernetes.namespace_name.keyword',
      pod: 'kubernetes.pod_name.keyword',
      container: 'kubernetes.container_name.keyword',
    },
  },
};

/** Reads a dotted field from a document's _source, whether stored nested or with dots in keys. */
export function fieldValue(source: unknown, path: string): unknown {
  const name = path.endsWith('.keyword') ? path.slice(0, -'.keyword'.length) : path;
  if (!source || typeof source !== 'object') return undefined;
  const obj = source as Record<string, unknown>;
  if (name in obj) return obj[name];
  const parts = name.split('.');
  for (let i = 1; i < parts.length; i++) {
    const head = parts.slice(0, i).join('.');
    if (head in obj) {
      const v = fieldValue(obj[head], parts.slice(i).join('.'));
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/** The _source fields a log line needs (keeps responses small). */
export function sourceFields(f: FieldMapping): string[] {
  const strip = (p: string) => (p.endsWith('.keyword') ? p.slice(0, -'.keyword'.length) : p);
  return [f.timestamp, f.message, f.level, f.namespace, f.pod, f.container].filter((x): x is string => !!x).map(strip);
}
