import { readFileSync } from 'node:fs';
import { FIELD_PRESETS, type FieldMapping, type FieldPreset } from '../platform/logs/fieldMapping.js';
import { DEFAULT_RING_LIMITS, type RingLimits } from '../platform/logs/logRing.js';
import * as z from 'zod';
import { ConfigError, type ConfigFile } from './configFile.js';
import { basicAuthSchema, envVarName, httpUrl, mapping, nonEmptyString, numberFrom, parseSection } from './configValues.js';

// The logs part of the config file: buffer limits for every context, and per kubeconfig
// context where its Elasticsearch is. Secrets come from environment variables named in the
// file (apiKeyEnv, basicAuth.passwordEnv), never from the file itself, and are never shown.
//
//   logs:
//     bufferLines: 50000
//     bufferMiB: 64
//   contexts:
//     prod-eu:
//       elasticsearch:
//         urls: [https://es-1.prod:9200, https://es-2.prod:9200]
//         apiKeyEnv: WARROOM_ES_API_KEY          # or basicAuth: {username, passwordEnv}
//         caFile: /etc/warroom/es-ca.pem
//         index: filebeat-*
//         fields: ecs                             # ecs | logstash | fluent-bit | {preset, <field>: <path>}
//         filter: {orchestrator.cluster.name: prod-eu}   # term filters on every query (one store, several clusters)

export type EsAuth =
  | { kind: 'none' }
  | { kind: 'apiKey'; apiKey: string; env: string }
  | { kind: 'basic'; username: string; password: string; env: string };

export interface EsConfig {
  urls: string[];
  auth: EsAuth;
  /** PEM of the CA that signed the cluster's certificate (read from caFile). */
  ca?: string;
  caFile?: string;
  index: string;
  fields: FieldMapping;
  preset: FieldPreset | 'custom';
  /**
   * Keyword field -> value that every document of this context has (e.g. the cluster's name in
   * `orchestrator.cluster.name` when several clusters ship into one Elasticsearch); sent as term
   * filters with every query.
   */
  filter?: Readonly<Record<string, string>>;
  /** How long after a line's timestamp it may still arrive (the tail's re-read window). */
  lateWindowMs: number;
  requestTimeoutMs: number;
}

export interface LogsConfig {
  configPath: string;
  limits: RingLimits;
  /** undefined: no Elasticsearch for this context (logs come from the Kubernetes API). */
  elasticsearch?: EsConfig;
  /** Why Elasticsearch is not used, when the file tried to configure it but a secret is missing. */
  problem?: string;
}

const PRESETS = Object.keys(FIELD_PRESETS) as [FieldPreset, ...FieldPreset[]];
const fieldPath = nonEmptyString('a field path (e.g. log.level)');

/** A preset name, or a preset plus per-field overrides (null: the index has no such field). */
const fieldsSchema = z.union(
  [
    z.enum(PRESETS),
    mapping({
      preset: z.enum(PRESETS, { error: `must be one of ${PRESETS.join(', ')}` }).optional(),
      timestamp: fieldPath.optional(),
      message: fieldPath.optional(),
      level: fieldPath.nullable().optional(),
      namespace: fieldPath.optional(),
      pod: fieldPath.optional(),
      container: fieldPath.optional(),
      deployment: fieldPath.nullable().optional(),
      statefulset: fieldPath.nullable().optional(),
    }),
  ],
  { error: `must be a preset name (${PRESETS.join(', ')}) or a mapping of fields` },
);

const esUrl = httpUrl('https://es.example:9200', 'apiKeyEnv or basicAuth.passwordEnv');

export const elasticsearchSchema = mapping({
  urls: z.array(esUrl, { error: 'must be a list of URLs' }).min(1, { error: 'needs at least one URL' }).optional(),
  url: esUrl.optional(),
  apiKeyEnv: envVarName.optional(),
  basicAuth: basicAuthSchema.optional(),
  caFile: nonEmptyString('a file path').optional(),
  index: nonEmptyString('an index pattern (e.g. filebeat-*)').optional(),
  fields: fieldsSchema.optional(),
  filter: z
    .record(fieldPath, nonEmptyString('a value (e.g. the cluster\'s name)'), { error: 'must be a mapping of keyword field: value (e.g. {orchestrator.cluster.name: prod-eu})' })
    .refine((f) => Object.keys(f).length > 0, { error: 'needs at least one field: value' })
    .optional(),
  lateWindowSeconds: numberFrom(0, 600).optional(),
  timeoutSeconds: numberFrom(1, 300).optional(),
})
  .refine((es) => es.urls !== undefined || es.url !== undefined, { error: 'needs urls: [https://...] (or url)' })
  .refine((es) => es.apiKeyEnv === undefined || es.basicAuth === undefined, { error: 'give either apiKeyEnv or basicAuth, not both' });

export const logsSchema = mapping({
  bufferLines: numberFrom(100, 5_000_000).optional(),
  bufferMiB: numberFrom(1, 16_384).optional(),
});

function fieldsOf(v: z.infer<typeof fieldsSchema> | undefined): { fields: FieldMapping; preset: FieldPreset | 'custom'; index: string } {
  if (v === undefined) return { fields: FIELD_PRESETS.ecs.fields, preset: 'ecs', index: FIELD_PRESETS.ecs.index };
  if (typeof v === 'string') return { fields: FIELD_PRESETS[v].fields, preset: v, index: FIELD_PRESETS[v].index };
  const { preset: base = 'ecs', ...overrides } = v;
  const fields: FieldMapping = { ...FIELD_PRESETS[base].fields };
  for (const [k, val] of Object.entries(overrides) as Array<[keyof FieldMapping, string | null | undefined]>) {
    if (val === undefined) continue;
    if (val === null) delete fields[k];
    else fields[k] = val;
  }
  return { fields, preset: 'custom', index: FIELD_PRESETS[base].index };
}

export function parseEsConfig(file: ConfigFile, keys: string[], env: NodeJS.ProcessEnv): { config?: EsConfig; problem?: string } {
  const es = parseSection(elasticsearchSchema.nullish(), file, ...keys);
  if (!es) return {};
  const key = keys.join('.');
  const urls = es.urls ?? (es.url ? [es.url] : []);
  const { fields, preset, index: presetIndex } = fieldsOf(es.fields);
  let auth: EsAuth = { kind: 'none' };
  let problem: string | undefined;
  if (es.apiKeyEnv !== undefined) {
    const name = es.apiKeyEnv;
    const value = env[name];
    if (!value) problem = `the API key variable ${name} (${key}.apiKeyEnv in ${file.path}) is not set`;
    else auth = { kind: 'apiKey', apiKey: value, env: name };
  } else if (es.basicAuth !== undefined) {
    const name = es.basicAuth.passwordEnv;
    const value = env[name];
    if (!value) problem = `the password variable ${name} (${key}.basicAuth.passwordEnv in ${file.path}) is not set`;
    else auth = { kind: 'basic', username: es.basicAuth.username, password: value, env: name };
  }
  let ca: string | undefined;
  if (es.caFile !== undefined) {
    try {
      ca = readFileSync(es.caFile, 'utf8');
    } catch (err) {
      throw new ConfigError(file.path, `${key}.caFile`, `cannot read ${es.caFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (problem) return { problem };
  return {
    config: {
      urls,
      auth,
      ca,
      caFile: es.caFile,
      index: es.index ?? presetIndex,
      fields,
      preset,
      filter: es.filter,
      lateWindowMs: es.lateWindowSeconds === undefined ? 5000 : es.lateWindowSeconds * 1000,
      requestTimeoutMs: es.timeoutSeconds === undefined ? 10_000 : es.timeoutSeconds * 1000,
    },
  };
}

export function logsConfigFrom(file: ConfigFile, contextName: string, env: NodeJS.ProcessEnv = process.env): LogsConfig {
  const logs = parseSection(logsSchema.nullish(), file, 'logs');
  const limits: RingLimits = { ...DEFAULT_RING_LIMITS };
  if (logs?.bufferLines !== undefined) limits.maxLines = Math.floor(logs.bufferLines);
  if (logs?.bufferMiB !== undefined) limits.maxBytes = logs.bufferMiB * 1024 * 1024;
  const { config, problem } = parseEsConfig(file, ['contexts', contextName, 'elasticsearch'], env);
  return { configPath: file.path, limits, elasticsearch: config, problem };
}
