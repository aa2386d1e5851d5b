import { readFileSync } from 'node:fs';
import { FIELD_PRESETS, type FieldMapping, type FieldPreset } from '../platform/logs/fieldMapping.js';
import { DEFAULT_RING_LIMITS, type RingLimits } from '../platform/logs/logRing.js';
import { ConfigError, section, type ConfigFile } from './configFile.js';
import { httpUrl, num, str } from './configValues.js';

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

const FIELD_KEYS: Array<keyof FieldMapping> = ['timestamp', 'message', 'level', 'namespace', 'pod', 'container', 'deployment', 'statefulset'];



function fieldsOf(file: string, key: string, v: unknown): { fields: FieldMapping; preset: FieldPreset | 'custom'; index: string } {
  const presets = Object.keys(FIELD_PRESETS).join(', ');
  if (v === undefined) return { fields: FIELD_PRESETS.ecs.fields, preset: 'ecs', index: FIELD_PRESETS.ecs.index };
  if (typeof v === 'string') {
    if (!(v in FIELD_PRESETS)) throw new ConfigError(file, key, `unknown preset '${v}'; use one of ${presets} or a mapping`);
    const p = FIELD_PRESETS[v as FieldPreset];
    return { fields: p.fields, preset: v as FieldPreset, index: p.index };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(file, key, `must be a preset name (${presets}) or a mapping of fields`);
  const m = v as Record<string, unknown>;
  const base = m.preset === undefined ? 'ecs' : str(file, `${key}.preset`, m.preset);
  if (!(base in FIELD_PRESETS)) throw new ConfigError(file, `${key}.preset`, `unknown preset '${base}'; use one of ${presets}`);
  const fields: FieldMapping = { ...FIELD_PRESETS[base as FieldPreset].fields };
  for (const [k, val] of Object.entries(m)) {
    if (k === 'preset') continue;
    if (!FIELD_KEYS.includes(k as keyof FieldMapping)) throw new ConfigError(file, `${key}.${k}`, `unknown field; known: preset, ${FIELD_KEYS.join(', ')}`);
    if (val === null && (k === 'level' || k === 'deployment' || k === 'statefulset')) delete fields[k];
    else fields[k as keyof FieldMapping] = str(file, `${key}.${k}`, val);
  }
  return { fields, preset: 'custom', index: FIELD_PRESETS[base as FieldPreset].index };
}

function parseUrl(file: string, key: string, v: unknown): string {
  return httpUrl(file, key, v, 'https://es.example:9200', 'apiKeyEnv or basicAuth.passwordEnv');
}

export function parseEsConfig(file: string, key: string, raw: unknown, env: NodeJS.ProcessEnv): { config?: EsConfig; problem?: string } {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(file, key, 'must be a mapping');
  const es = raw as Record<string, unknown>;
  const known = ['urls', 'url', 'apiKeyEnv', 'basicAuth', 'caFile', 'index', 'fields', 'lateWindowSeconds', 'timeoutSeconds'];
  for (const k of Object.keys(es)) if (!known.includes(k)) throw new ConfigError(file, `${key}.${k}`, `unknown key; known: ${known.join(', ')}`);
  const urlList = es.urls ?? es.url;
  const urls = (Array.isArray(urlList) ? urlList : [urlList]).map((u, i) => parseUrl(file, `${key}.urls[${i}]`, u));
  if (urls.length === 0) throw new ConfigError(file, `${key}.urls`, 'needs at least one URL');
  const { fields, preset, index: presetIndex } = fieldsOf(file, `${key}.fields`, es.fields);
  let auth: EsAuth = { kind: 'none' };
  let problem: string | undefined;
  if (es.apiKeyEnv !== undefined && es.basicAuth !== undefined) throw new ConfigError(file, key, 'give either apiKeyEnv or basicAuth, not both');
  if (es.apiKeyEnv !== undefined) {
    const name = str(file, `${key}.apiKeyEnv`, es.apiKeyEnv);
    const value = env[name];
    if (!value) problem = `the API key variable ${name} (${key}.apiKeyEnv in ${file}) is not set`;
    else auth = { kind: 'apiKey', apiKey: value, env: name };
  } else if (es.basicAuth !== undefined) {
    const b = es.basicAuth as Record<string, unknown>;
    if (!b || typeof b !== 'object') throw new ConfigError(file, `${key}.basicAuth`, 'must be a mapping with username and passwordEnv');
    if ('password' in b) throw new ConfigError(file, `${key}.basicAuth.password`, 'passwords do not go into the file; name an environment variable with passwordEnv');
    const username = str(file, `${key}.basicAuth.username`, b.username);
    const name = str(file, `${key}.basicAuth.passwordEnv`, b.passwordEnv);
    const value = env[name];
    if (!value) problem = `the password variable ${name} (${key}.basicAuth.passwordEnv in ${file}) is not set`;
    else auth = { kind: 'basic', username, password: value, env: name };
  }
  let ca: string | undefined;
  let caFile: string | undefined;
  if (es.caFile !== undefined) {
    caFile = str(file, `${key}.caFile`, es.caFile);
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (err) {
      throw new ConfigError(file, `${key}.caFile`, `cannot read ${caFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (problem) return { problem };
  return {
    config: {
      urls,
      auth,
      ca,
      caFile,
      index: es.index === undefined ? presetIndex : str(file, `${key}.index`, es.index),
      fields,
      preset,
      lateWindowMs: es.lateWindowSeconds === undefined ? 5000 : num(file, `${key}.lateWindowSeconds`, es.lateWindowSeconds, 0, 600) * 1000,
      requestTimeoutMs: es.timeoutSeconds === undefined ? 10_000 : num(file, `${key}.timeoutSeconds`, es.timeoutSeconds, 1, 300) * 1000,
    },
  };
}

export function logsConfigFrom(file: ConfigFile, contextName: string, env: NodeJS.ProcessEnv = process.env): LogsConfig {
  const logs = section(file.data, 'logs') as Record<string, unknown> | undefined;
  const limits: RingLimits = { ...DEFAULT_RING_LIMITS };
  if (logs !== undefined) {
    if (!logs || typeof logs !== 'object' || Array.isArray(logs)) throw new ConfigError(file.path, 'logs', 'must be a mapping');
    for (const k of Object.keys(logs)) if (k !== 'bufferLines' && k !== 'bufferMiB') throw new ConfigError(file.path, `logs.${k}`, 'unknown key; known: bufferLines, bufferMiB');
    if (logs.bufferLines !== undefined) limits.maxLines = Math.floor(num(file.path, 'logs.bufferLines', logs.bufferLines, 100, 5_000_000));
    if (logs.bufferMiB !== undefined) limits.maxBytes = num(file.path, 'logs.bufferMiB', logs.bufferMiB, 1, 16_384) * 1024 * 1024;
  }
  const key = `contexts.${contextName}.elasticsearch`;
  const { config, problem } = parseEsConfig(file.path, key, section(file.data, 'contexts', contextName, 'elasticsearch'), env);
  return { configPath: file.path, limits, elasticsearch: config, problem };
}

