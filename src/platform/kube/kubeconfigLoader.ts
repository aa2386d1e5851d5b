import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, Context, User } from '@kubernetes/client-node';
import { parseDocument } from 'yaml';
import { UserError } from '../errors.js';

export interface KubeconfigSource {
  /** An explicit file (`--kubeconfig`); wins over $KUBECONFIG. */
  kubeconfig?: string;
  /** Defaults to process.env (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Defaults to os.homedir(). */
  homeDir?: string;
}

export interface LoadedKubeconfig {
  kubeConfig: KubeConfig;
  /** The files that were read, in merge order. */
  files: string[];
}

const NO_KUBECONFIG_HINT = 'set KUBECONFIG or pass --kubeconfig';

/**
 * Finds and reads the kubeconfig the way kubectl does: `--kubeconfig` alone, else every file
 * of $KUBECONFIG (separated by ':'; missing ones are skipped) merged with the first
 * occurrence of a name winning, else ~/.kube/config.
 */
export function loadKubeconfig(source: KubeconfigSource = {}): LoadedKubeconfig {
  const env = source.env ?? process.env;
  let files: string[];
  if (source.kubeconfig) {
    const file = path.resolve(source.kubeconfig);
    if (!fs.existsSync(file)) {
      throw new UserError(`no kubeconfig found: ${file} (--kubeconfig) does not exist`, NO_KUBECONFIG_HINT);
    }
    files = [file];
  } else if (env.KUBECONFIG && env.KUBECONFIG.trim() !== '') {
    const listed = env.KUBECONFIG.split(path.delimiter).filter((f) => f.trim() !== '');
    files = listed.map((f) => path.resolve(expandHome(f, source.homeDir))).filter((f) => fs.existsSync(f));
    if (files.length === 0) {
      const what = listed.length === 1 ? `$KUBECONFIG (${listed[0]})` : `none of $KUBECONFIG (${listed.join(', ')})`;
      throw new UserError(`no kubeconfig found: ${what} does not exist`, NO_KUBECONFIG_HINT);
    }
  } else {
    const file = path.join(source.homeDir ?? os.homedir(), '.kube', 'config');
    if (!fs.existsSync(file)) {
      throw new UserError(
        `no kubeconfig found: $KUBECONFIG is not set and ${file} does not exist`,
        NO_KUBECONFIG_HINT,
      );
    }
    files = [file];
  }
  const configs = files.map(readKubeconfigFile);
  return { kubeConfig: configs.length === 1 ? configs[0] : mergeFirstWins(configs), files };
}

function expandHome(file: string, homeDir: string | undefined): string {
  if (file === '~' || file.startsWith('~/')) return path.join(homeDir ?? os.homedir(), file.slice(1));
  return file;
}

export function readKubeconfigFile(file: string): KubeConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : String(code ?? err);
    throw new UserError(`cannot read kubeconfig ${file}: ${why}`, NO_KUBECONFIG_HINT);
  }

  // Parse once with `yaml` for its precise line/column; client-node re-parses with js-yaml.
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const pos = first.linePos?.[0];
    const where = pos ? `line ${pos.line}, column ${pos.col}` : 'unknown position';
    const what = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new UserError(`kubeconfig ${file} is not valid YAML (${where}): ${what}`, 'fix the file or point KUBECONFIG elsewhere');
  }
  const value: unknown = doc.toJS();
  const kc = new KubeConfig();
  if (value === null || value === undefined) return kc; // an empty file is an empty config, as for kubectl
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`kubeconfig ${file} is not a kubeconfig: expected a mapping with clusters, users and contexts`);
  }
  try {
    kc.loadFromString(text);
  } catch (err) {
    throw new UserError(`kubeconfig ${file} is invalid: ${firstLine(err)}`, 'fix the file or point KUBECONFIG elsewhere');
  }
  kc.makePathsAbsolute(path.dirname(file));
  return kc;
}

/** kubectl's merge: the first file that sets a name (or current-context) wins. */
function mergeFirstWins(configs: KubeConfig[]): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext: string | undefined;
  for (const kc of configs) {
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!currentContext && kc.getCurrentContext()) currentContext = kc.getCurrentContext();
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext,
  });
  return merged;
}

/** A KubeConfig with the same entries, switched to another current context. */
export function cloneWithContext(kc: KubeConfig, contextName: string): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: kc.getClusters(),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: contextName,
  });
  return copy;
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0];
}
