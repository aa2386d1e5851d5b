import { describeError } from '../errors.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { fleetComparable } from '../kube/podTemplate.js';
import type { WorkloadKind } from '../kube/rows.js';
import { placedTemplateLines, templateDiff } from '../actions/templateDiff.js';

// `i` on a fleet application whose clusters run different pod templates (DRIFT T): each
// cluster's workload is read from its own API server, and every other cluster's template is
// shown as a unified diff against the first one that has it (resources, env, probes, ...), each
// hunk headed by where it is (`@@ containers[api] resources.limits @@`). The restart stamp of
// `kubectl rollout restart` is left out, as in the fingerprint that set T.

export interface DriftCluster {
  label: string;
  session: ReadSession;
}

export interface DriftLine {
  text: string;
  /** `place`: a hunk's heading, `@@ containers[api] resources.limits @@`. */
  tone?: 'heading' | 'place' | 'ok' | 'error' | 'dim';
}

export interface TemplateDrift {
  app: { namespace: string; kind: WorkloadKind; name: string };
  state: 'loading' | 'ready';
  lines: DriftLine[];
}

type Json = Record<string, unknown>;

const diffTone = (l: string): DriftLine['tone'] => (l.startsWith('+') ? 'ok' : l.startsWith('-') ? 'error' : l.startsWith('@@') ? 'place' : undefined);

export class TemplateDriftStore {
  private listeners = new Set<() => void>();
  private snap: TemplateDrift | undefined;
  private abort: AbortController | undefined;

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.snap;

  /** Reads the application in every cluster given (those that have it) and diffs their templates. */
  open(app: TemplateDrift['app'], clusters: readonly DriftCluster[]): void {
    this.close();
    const abort = (this.abort = new AbortController());
    this.set({ app, state: 'loading', lines: [] });
    const path = `/apis/apps/v1/namespaces/${encodeURIComponent(app.namespace)}/${app.kind === 'Deployment' ? 'deployments' : 'statefulsets'}/${encodeURIComponent(app.name)}`;
    void Promise.all(
      clusters.map(async (c) => {
        try {
          const obj = await c.session.getJson<{ spec?: { template?: Json } }>(path, undefined, abort.signal);
          return { label: c.label, template: obj.spec?.template };
        } catch (err) {
          return { label: c.label, error: describeError(err) };
        }
      }),
    ).then((read) => {
      if (abort.signal.aborted) return;
      this.set({ app, state: 'ready', lines: driftLines(read) });
    });
  }

  close(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.snap = undefined;
  }

  private set(next: TemplateDrift): void {
    this.snap = next;
    for (const l of [...this.listeners]) l();
  }
}

/** Every cluster's template against the first one read: a diff, "the same", or why it could not be read. */
export function driftLines(read: ReadonlyArray<{ label: string; template?: Json; error?: string }>): DriftLine[] {
  const base = read.find((r) => r.template);
  if (!base?.template) return read.map((r) => ({ text: `${r.label}: ${r.error ?? 'no template'}`, tone: 'error' }));
  const baseLines = placedTemplateLines(fleetComparable(base.template));
  const lines: DriftLine[] = [];
  for (const r of read) {
    if (r === base) continue;
    if (!r.template) {
      lines.push({ text: `${r.label}: ${r.error ?? 'not in this cluster'}`, tone: r.error ? 'error' : 'dim' }, { text: '' });
      continue;
    }
    const diff = templateDiff(baseLines, placedTemplateLines(fleetComparable(r.template)));
    const same = diff.length === 0;
    lines.push({ text: `${base.label} -> ${r.label}${same ? ': the same template' : ` (- only in ${base.label}, + only in ${r.label})`}`, tone: 'heading' });
    for (const l of diff) lines.push({ text: l, tone: diffTone(l) });
    lines.push({ text: '' });
  }
  return lines;
}
