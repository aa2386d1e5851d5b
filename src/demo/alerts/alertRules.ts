import { createHash } from 'node:crypto';
import type { Cluster } from '../cluster.js';
import type { PodStage } from '../records.js';

// The demo's alerting rules, evaluated over the simulated cluster as Prometheus evaluates its
// rules over kube-state-metrics: a pod that crash-loops fires KubePodCrashLooping (critical),
// a Deployment / StatefulSet short of available replicas KubeDeploymentReplicasMismatch /
// KubeStatefulSetReplicasMismatch (warning), a pod stuck before Running KubePodNotReady
// (warning), and Watchdog always fires. Each alert is pending from when its condition first
// holds and fires after the rule's `for`; it resolves (disappears) when the condition stops —
// as the demo's pods crash-loop, are replaced and scaled. The names, labels and annotations
// follow kube-prometheus; the `for` durations are shorter so a demo session sees alerts go from
// pending to firing. At the first evaluation (platform start) conditions already true are
// dated back, as if Prometheus had been watching: the crash loops and mismatches fire, the
// stuck pods' alerts are still pending.
//
// Served by the demo Prometheus (/api/v1/alerts, /api/v1/rules) and, once firing, the demo
// Alertmanager (alertmanagerServer.ts).

export interface DemoAlertPod {
  namespace: string;
  name: string;
  container: string;
  stage: PodStage;
  crashLoops: boolean;
  deleting: boolean;
  created: number;
}

export interface DemoAlertWorkload {
  kind: 'Deployment' | 'StatefulSet';
  namespace: string;
  name: string;
  desired: number;
  available: number;
}

/** The narrow view of the cluster the rules read (tests hand in a fixed one). */
export interface DemoAlertWorld {
  pods(): Iterable<DemoAlertPod>;
  workloads(): Iterable<DemoAlertWorkload>;
}

export function clusterAlertWorld(cluster: Pick<Cluster, 'pods' | 'deployments' | 'statefulSets'>): DemoAlertWorld {
  return {
    *pods() {
      for (const p of cluster.pods.store.values()) {
        yield { namespace: p.meta.namespace, name: p.meta.name, container: p.template.containers[0]?.name ?? '', stage: p.stage, crashLoops: p.crashLoops === true, deleting: p.meta.deletionTs !== undefined, created: p.meta.created };
      }
    },
    *workloads() {
      for (const d of cluster.deployments.store.values()) yield { kind: 'Deployment', namespace: d.meta.namespace, name: d.meta.name, desired: d.replicas, available: d.status.available };
      for (const s of cluster.statefulSets.store.values()) yield { kind: 'StatefulSet', namespace: s.meta.namespace, name: s.meta.name, desired: s.replicas, available: s.status.ready };
    },
  };
}

type Labels = Record<string, string>;

interface RuleDef {
  name: string;
  severity: string;
  forSeconds: number;
  query: string;
  summary: string;
  description(l: Labels): string;
  /** How far back a condition true at the first evaluation is dated (ms), from a hash of its labels in [0, 1). */
  backdate(h: number): number;
  /** The label sets the condition holds for now. */
  eval(world: DemoAlertWorld, now: number): Labels[];
}

export const DEMO_RULE_GROUP = 'kubernetes-apps';
const RUNBOOK = 'https://runbooks.prometheus-operator.dev/runbooks';
const MIN = 60_000;

const RULES: RuleDef[] = [
  {
    name: 'KubePodCrashLooping',
    severity: 'critical',
    forSeconds: 120,
    query: 'max_over_time(kube_pod_container_status_waiting_reason{job="kube-state-metrics",reason="CrashLoopBackOff"}[5m]) >= 1',
    summary: 'Pod is crash looping.',
    description: (l) => `Pod ${l.namespace}/${l.pod} (${l.container}) is in waiting state (reason: "CrashLoopBackOff").`,
    backdate: (h) => 20 * MIN + h * 160 * MIN,
    eval: (world) => {
      const out: Labels[] = [];
      for (const p of world.pods()) if (p.crashLoops && !p.deleting) out.push({ container: p.container, job: 'kube-state-metrics', namespace: p.namespace, pod: p.name, reason: 'CrashLoopBackOff' });
      return out;
    },
  },
  {
    name: 'KubeDeploymentReplicasMismatch',
    severity: 'warning',
    forSeconds: 300,
    query: 'kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}',
    summary: 'Deployment has not matched the expected number of replicas.',
    description: (l) => `Deployment ${l.namespace}/${l.deployment} has not matched the expected number of replicas for longer than 5 minutes.`,
    backdate: (h) => 20 * MIN + h * 100 * MIN,
    eval: (world) => mismatches(world, 'Deployment', 'deployment'),
  },
  {
    name: 'KubeStatefulSetReplicasMismatch',
    severity: 'warning',
    forSeconds: 300,
    query: 'kube_statefulset_status_replicas_ready{job="kube-state-metrics"} != kube_statefulset_status_replicas{job="kube-state-metrics"}',
    summary: 'StatefulSet has not matched the expected number of replicas.',
    description: (l) => `StatefulSet ${l.namespace}/${l.statefulset} has not matched the expected number of replicas for longer than 5 minutes.`,
    backdate: (h) => 20 * MIN + h * 100 * MIN,
    eval: (world) => mismatches(world, 'StatefulSet', 'statefulset'),
  },
  {
    name: 'KubePodNotReady',
    severity: 'warning',
    forSeconds: 900,
    query: 'sum by (namespace, pod) (max by (namespace, pod) (kube_pod_status_phase{job="kube-state-metrics",phase=~"Pending|Unknown|Failed"})) > 0',
    summary: 'Pod has been in a non-ready state for more than 15 minutes.',
    description: (l) => `Pod ${l.namespace}/${l.pod} has been in a non-ready state for longer than 15 minutes.`,
    // Still pending at start: the stuck pods' alerts fire 15 minutes after they were first seen.
    backdate: (h) => 3 * MIN + h * 7 * MIN,
    eval: (world, now) => {
      const out: Labels[] = [];
      for (const p of world.pods()) {
        const stuck = p.stage === 'Pending' || p.stage === 'ContainerCreating' || p.stage === 'ImagePullBackOff';
        // Pods start in seconds; one still not running after a minute is stuck.
        if (stuck && !p.deleting && now - p.created > MIN) out.push({ job: 'kube-state-metrics', namespace: p.namespace, pod: p.name });
      }
      return out;
    },
  },
  {
    name: 'Watchdog',
    severity: 'none',
    forSeconds: 0,
    query: 'vector(1)',
    summary: 'An alert that should always be firing to certify that Alertmanager is working properly.',
    description: () => 'This is an alert meant to ensure that the entire alerting pipeline is functional. It is always firing.',
    backdate: () => 6 * 60 * MIN,
    eval: () => [{}],
  },
];

function mismatches(world: DemoAlertWorld, kind: DemoAlertWorkload['kind'], label: string): Labels[] {
  const out: Labels[] = [];
  for (const w of world.workloads()) if (w.kind === kind && w.desired > 0 && w.available < w.desired) out.push({ job: 'kube-state-metrics', namespace: w.namespace, [label]: w.name });
  return out;
}

/** A label set's identity, as Prometheus and Alertmanager fingerprint it (sorted names and values). */
export function fingerprint(labels: Readonly<Labels>): string {
  const text = Object.keys(labels).sort().map((k) => `${k}\u00ff${labels[k]}`).join('\u00ff');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export interface DemoAlert {
  rule: string;
  labels: Labels;
  annotations: Labels;
  state: 'pending' | 'firing';
  /** When the condition started to hold (Prometheus' activeAt), and when it fired (Alertmanager's startsAt). */
  activeAt: number;
  firedAt?: number;
  fingerprint: string;
}

/** An alerting rule as /api/v1/rules shows it. */
export interface DemoRuleView {
  name: string;
  query: string;
  forSeconds: number;
  labels: Labels;
  annotations: Labels;
  state: 'inactive' | 'pending' | 'firing';
  alerts: DemoAlert[];
  lastEvaluation: number;
}

/** An alert that fired, from when to when (undefined: firing now); what Prometheus' ALERTS series records. */
export interface DemoAlertInterval {
  labels: Labels;
  firedAt: number;
  resolvedAt?: number;
}

const HISTORY_LIMIT = 5000;

export class DemoAlertRules {
  private active = new Map<string, DemoAlert>();
  /** Alerts that fired and resolved since the start (and any dated before it: seedHistory). */
  private resolved: DemoAlertInterval[] = [];
  private evaluatedAt = -Infinity;
  private first = true;

  constructor(
    private readonly world: DemoAlertWorld,
    private readonly now: () => number = Date.now,
  ) {}

  /** Evaluates every rule (at most once a second: a cluster may hold 100,000 pods). */
  evaluate(): void {
    const now = this.now();
    if (now - this.evaluatedAt < 1000) return;
    this.evaluatedAt = now;
    const seen = new Map<string, DemoAlert>();
    for (const rule of RULES) {
      for (const extra of rule.eval(this.world, now)) {
        const labels: Labels = { alertname: rule.name, ...extra, severity: rule.severity };
        const fp = fingerprint(labels);
        const before = this.active.get(fp);
        const activeAt = before?.activeAt ?? (this.first ? now - rule.backdate(parseInt(fp.slice(0, 8), 16) / 0x100000000) : now);
        const firing = now - activeAt >= rule.forSeconds * 1000;
        seen.set(fp, {
          rule: rule.name,
          labels,
          annotations: { description: rule.description(labels), runbook_url: `${RUNBOOK}/${rule.name.startsWith('Kube') ? 'kubernetes' : 'general'}/${rule.name.toLowerCase()}`, summary: rule.summary },
          state: firing ? 'firing' : 'pending',
          activeAt,
          firedAt: firing ? (before?.firedAt ?? activeAt + rule.forSeconds * 1000) : undefined,
          fingerprint: fp,
        });
      }
    }
    for (const [fp, a] of this.active) {
      if (!seen.has(fp) && a.state === 'firing' && a.firedAt !== undefined) this.resolved.push({ labels: a.labels, firedAt: a.firedAt, resolvedAt: now });
    }
    if (this.resolved.length > HISTORY_LIMIT) this.resolved.splice(0, this.resolved.length - HISTORY_LIMIT);
    this.active = seen;
    this.first = false;
  }

  /** Alerts that fired and resolved before the platform started, as a Prometheus watching then would have recorded. */
  seedHistory(intervals: readonly DemoAlertInterval[]): void {
    this.resolved.unshift(...intervals);
  }

  /** Every firing that overlaps [from, to] (ms): the resolved ones and those firing now. */
  firings(from: number, to: number): DemoAlertInterval[] {
    const now = this.alerts()
      .filter((a) => a.state === 'firing' && a.firedAt !== undefined)
      .map((a): DemoAlertInterval => ({ labels: a.labels, firedAt: a.firedAt! }));
    return [...this.resolved, ...now].filter((i) => i.firedAt <= to && (i.resolvedAt ?? Infinity) >= from);
  }

  /** Pending and firing alerts now. */
  alerts(): DemoAlert[] {
    this.evaluate();
    return [...this.active.values()];
  }

  rules(): DemoRuleView[] {
    const alerts = this.alerts();
    return RULES.map((r) => {
      const mine = alerts.filter((a) => a.rule === r.name);
      return {
        name: r.name,
        query: r.query,
        forSeconds: r.forSeconds,
        labels: { severity: r.severity },
        annotations: { summary: r.summary },
        state: mine.some((a) => a.state === 'firing') ? 'firing' : mine.length ? 'pending' : 'inactive',
        alerts: mine,
        lastEvaluation: this.evaluatedAt,
      };
    });
  }
}
