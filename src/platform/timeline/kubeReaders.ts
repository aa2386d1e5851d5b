import { changeSummary, revisionsOf, type RolloutKind } from '../actions/rolloutHistory.js';
import { podBelongsTo } from '../logs/logScope.js';
import type { EventRow } from '../kube/rows.js';
import { groupEvents } from '../stores/eventGroups.js';
import { describeError } from '../errors.js';
import { sanitize } from '../text/sanitize.js';
import type { TimelineEntry, TimelineQuery, TimelineScope } from './timelineEntry.js';
import { arr, eventTime, ms, obj, str, type Json, type TimelineReads } from './timelineReads.js';

// The timeline's readers over the Kubernetes API: rollouts (a workload's ReplicaSets or
// ControllerRevisions created in the range), scale changes and who made them (Events,
// managedFields, HPA events, warroom audit records), container restarts and OOM kills (the
// pods' lastState) and Warning events (grouped per object and reason, with their counts).

const inRange = (t: number, q: TimelineQuery) => t >= q.from && t <= q.to;
const clean = (s: string) => sanitize(s, { maxLength: 300 });
const nameOf = (o: Json) => str(obj(o.metadata).name);

// ------------------------------------------------------------------ rollouts

/**
 * A workload's revisions that began in the range: a ReplicaSet / ControllerRevision created then,
 * or (a rollback, `kubectl rollout undo`) an older ReplicaSet scaled up from 0 again, which the
 * Deployment controller renumbers as the newest revision. Who: a warroom console's audit record
 * close to it, else the managedFields manager that set the template then, else unknown.
 */
export async function readRollouts(reads: TimelineReads, audit: () => Promise<AuditFact[]> = async () => []): Promise<{ entries: TimelineEntry[]; problem?: string }> {
  const q = reads.query;
  const workloads = await reads.workloads();
  const hasSts = workloads.some((w) => w.kind === 'StatefulSet');
  const hasDeploy = workloads.some((w) => w.kind === 'Deployment');
  let problem: string | undefined;
  const [replicaSets, revisions, events, facts] = await Promise.all([
    hasDeploy ? reads.replicaSets() : [],
    // Without ControllerRevisions the StatefulSets' rollouts are unknown; the Deployments' still show.
    hasSts ? reads.controllerRevisions().catch((err: unknown) => ((problem = `StatefulSets left out: ${describeError(err)}`), [] as Json[])) : [],
    hasDeploy ? reads.events() : [],
    audit().catch(() => [] as AuditFact[]),
  ]);
  const out: TimelineEntry[] = [];
  for (const w of workloads) {
    if (w.kind === 'StatefulSet' && problem) continue;
    const kind = w.kind as RolloutKind;
    const name = nameOf(w);
    const revs = revisionsOf(kind, w, kind === 'Deployment' ? replicaSets : revisions);
    const templateManagers = arr(obj(w.metadata).managedFields)
      .map(obj)
      .filter((f) => 'f:template' in obj(obj(f.fieldsV1)['f:spec']))
      .map((f) => ({ time: ms(f.time), label: managerLabel(clean(str(f.manager))) }));
    const who = (t: number): string => {
      const fact = facts.find((f) => f.kind === kind && f.name === name && f.namespace === q.scope.namespace && f.action !== 'scale' && near(f.time, t));
      if (fact) return `warroom (${fact.who})`;
      return templateManagers.find((m) => near(m.time, t))?.label ?? 'unknown';
    };
    // When each older ReplicaSet was scaled up from 0 again (its revision brought back).
    const revived = new Map<string, number>();
    for (const e of events) {
      if (e.reason !== 'ScalingReplicaSet' || obj(e.involvedObject).kind !== kind || str(obj(e.involvedObject).name) !== name) continue;
      const m = SCALED.exec(str(e.message));
      if (m && m[1] === 'up' && m[3] === '0') revived.set(m[2], Math.max(revived.get(m[2]) ?? 0, eventTime(e)));
    }
    // A StatefulSet's older revision renumbered as the newest (a rollback): when its controller last updated `revision`.
    if (kind === 'StatefulSet') {
      for (const cr of revisions) {
        const t = Math.max(0, ...arr(obj(cr.metadata).managedFields).map(obj).filter((f) => 'f:revision' in obj(f.fieldsV1)).map((f) => ms(f.time)));
        if (t > 0) revived.set(nameOf(cr), t);
      }
    }
    revs.forEach((r, i) => {
      const again = revived.get(r.name);
      const time = again !== undefined && again - r.created > 60_000 ? again : r.created;
      if (!inRange(time, q)) return;
      const before = revs[i + 1];
      const cause = r.changeCause ? ` (${r.changeCause})` : '';
      out.push({
        time,
        kind: 'rollout',
        text: `${name} revision ${r.revision}${before ? ` (from ${before.revision})` : ''} by ${who(time)}${time !== r.created ? ', an earlier template again' : ''}: ${changeSummary(before, r)}${cause}`,
        source: kind === 'Deployment' ? 'ReplicaSets' : 'ControllerRevisions',
        target: { kind: 'revision', namespace: q.scope.namespace, app: { kind, name }, revision: r.revision },
      });
    });
  }
  return { entries: out, problem };
}

// ------------------------------------------------------------------ scale

/** `Scaled up replica set web-7d9f from 2 to 5` (Kubernetes >= 1.28) or `... web-7d9f to 5` (before). */
const SCALED = /^Scaled (up|down) replica set (\S+) (?:from (\d+) )?to (\d+)/;
/** The HPA controller's event: `New size: 5; reason: cpu resource utilization ... above target`. */
const RESCALED = /^New size: (\d+); reason: (.*)$/;

/** Who a managedFields manager is, in the words an SRE uses. */
export function managerLabel(manager: string, subresource?: string): string {
  if (manager === 'kube-controller-manager') return subresource === 'scale' ? 'HPA (kube-controller-manager)' : 'kube-controller-manager';
  if (/^kubectl/.test(manager)) return `kubectl (${manager})`;
  if (/^warroom/.test(manager)) return 'a warroom console';
  return manager;
}

/** The managers that set spec.replicas, with the time of their last change (managedFields). */
export function replicaManagers(workload: Json): Array<{ manager: string; time: number; subresource?: string; label: string }> {
  return arr(obj(workload.metadata).managedFields)
    .map(obj)
    .filter((f) => 'f:replicas' in obj(obj(f.fieldsV1)['f:spec']))
    .map((f) => ({ manager: clean(str(f.manager)), time: ms(f.time), subresource: str(f.subresource) || undefined, label: managerLabel(clean(str(f.manager)), str(f.subresource) || undefined) }));
}

/** What a warroom console recorded (its audit file, the war-room feed), for naming who scaled. */
export interface AuditFact {
  time: number;
  action: string;
  kind: string;
  namespace: string;
  name: string;
  who: string;
}

const NEAR_BEFORE = 30_000;
const NEAR_AFTER = 5_000;
const near = (fact: number, event: number) => fact >= event - NEAR_BEFORE && fact <= event + NEAR_AFTER;

export async function readScaleChanges(reads: TimelineReads, audit: () => Promise<AuditFact[]>): Promise<TimelineEntry[]> {
  const q = reads.query;
  const [workloads, events, facts] = await Promise.all([reads.workloads(), reads.events(), audit().catch(() => [] as AuditFact[])]);
  const out: TimelineEntry[] = [];
  const hpaEvents = events.filter((e) => e.reason === 'SuccessfulRescale' && obj(e.involvedObject).kind === 'HorizontalPodAutoscaler');
  for (const w of workloads) {
    const name = nameOf(w);
    const kind = str(w.kind);
    const managers = replicaManagers(w);
    // HPAs are named after their target in nearly every chart; the event names the HPA.
    const rescales = hpaEvents
      .filter((e) => str(obj(e.involvedObject).name) === name)
      .map((e) => ({ time: eventTime(e), m: RESCALED.exec(str(e.message)), hpa: clean(str(obj(e.involvedObject).name)) }));
    const mine = events
      .filter((e) => e.reason === 'ScalingReplicaSet' && obj(e.involvedObject).kind === kind && str(obj(e.involvedObject).name) === name)
      .map((e) => ({ time: eventTime(e), m: SCALED.exec(str(e.message)) }))
      .filter((e): e is { time: number; m: RegExpExecArray } => e.m !== null);
    const used = new Set<object>();
    const who = (t: number, to: number): string => {
      const hpa = rescales.find((r) => near(r.time, t) && (!r.m || Number(r.m[1]) === to));
      if (hpa) return used.add(hpa), `HPA ${hpa.hpa}`;
      const fact = facts.find((f) => f.action === 'scale' && f.kind === kind && f.name === name && f.namespace === q.scope.namespace && near(f.time, t));
      if (fact) return `warroom (${fact.who})`;
      const m = managers.find((x) => near(x.time, t));
      if (m) return used.add(m), m.label;
      return 'unknown';
    };
    for (const e of mine) {
      const [, , rs, from, to] = e.m;
      // A rollout moves replicas from one ReplicaSet to another: up on one and down on another,
      // close together (a scale just before or after a rollout is one ReplicaSet's alone).
      const rollout = from === '0' || mine.some((o) => o.m[2] !== rs && o.m[1] !== e.m[1] && Math.abs(o.time - e.time) <= 60_000);
      if (rollout || !inRange(e.time, q)) continue;
      out.push({ time: e.time, kind: 'scale', text: `${name} scaled ${from ?? '?'} -> ${to} by ${who(e.time, Number(to))}`, source: 'Events', target: { kind: 'metrics', at: e.time } });
    }
    for (const r of rescales) {
      if (used.has(r) || !inRange(r.time, q)) continue;
      out.push({ time: r.time, kind: 'scale', text: `${name} scaled to ${r.m?.[1] ?? '?'} by HPA ${r.hpa}${r.m ? `: ${clean(r.m[2])}` : ''}`, source: 'HPA events', target: { kind: 'metrics', at: r.time } });
    }
    // A scale whose Events have expired (an hour by default) still shows in managedFields: the
    // last time each manager set the replicas through the scale subresource.
    for (const m of managers) {
      if (used.has(m) || m.subresource !== 'scale' || !inRange(m.time, q)) continue;
      if (out.some((o) => o.kind === 'scale' && Math.abs(o.time - m.time) <= NEAR_BEFORE && o.text.startsWith(`${name} `))) continue;
      out.push({ time: m.time, kind: 'scale', text: `${name} replicas set by ${m.label} (its last change in managedFields)`, source: 'managedFields', target: { kind: 'metrics', at: m.time } });
    }
  }
  return out;
}

// ------------------------------------------------------------------ restarts and OOM kills

export async function readRestarts(reads: TimelineReads): Promise<TimelineEntry[]> {
  const q = reads.query;
  const out: TimelineEntry[] = [];
  for (const p of await reads.pods()) {
    const pod = nameOf(p);
    for (const c of arr(obj(p.status).containerStatuses).map(obj)) {
      const last = obj(obj(c.lastState).terminated);
      const now = obj(obj(c.state).terminated);
      // The last run that ended (lastState), and a container that is down now after an OOM kill.
      for (const t of [last, now.reason === 'OOMKilled' ? now : {}]) {
        const at = ms(t.finishedAt);
        if (!at || !inRange(at, q)) continue;
        const oom = t.reason === 'OOMKilled';
        const reason = clean(str(t.reason)) || 'no reason';
        out.push({
          time: at,
          kind: oom ? 'oom' : 'restart',
          text: `${pod} ${clean(str(c.name))} ${oom ? 'OOM killed' : 'restarted'}: exit ${String(t.exitCode ?? '?')} (${reason}), ${Number(c.restartCount ?? 0)} restarts`,
          source: 'pod status',
          target: { kind: 'pod', namespace: q.scope.namespace, pod },
        });
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------ warning events

/** Is the event's object in the scope: the pod, the application (its workload, ReplicaSets, pods), any in the system. */
export function inScope(scope: TimelineScope, app: { kind: string; name: string } | undefined, involved: Json): boolean {
  const kind = str(involved.kind);
  const name = str(involved.name);
  if (scope.pod) return (kind === 'Pod' && name === scope.pod) || (app !== undefined && kind === app.kind && name === app.name);
  if (!scope.app) return true;
  const a = scope.app;
  if (kind === a.kind) return name === a.name;
  if (kind === 'ReplicaSet') return a.kind === 'Deployment' && name.startsWith(`${a.name}-`) && !name.slice(a.name.length + 1).includes('-');
  if (kind === 'Pod') return podBelongsTo(a, name);
  if (kind === 'HorizontalPodAutoscaler' || kind === 'PodDisruptionBudget') return name === a.name;
  return false;
}

function eventRow(e: Json): EventRow {
  const io = obj(e.involvedObject);
  const meta = obj(e.metadata);
  return {
    uid: str(meta.uid),
    name: str(meta.name),
    namespace: str(meta.namespace),
    type: str(e.type),
    reason: clean(str(e.reason)),
    message: clean(str(e.message)),
    involved: { kind: str(io.kind), name: clean(str(io.name)), namespace: str(io.namespace), uid: str(io.uid), fieldPath: str(io.fieldPath), apiVersion: str(io.apiVersion) },
    count: Number(e.count ?? obj(e.series).count ?? 1) || 1,
    firstSeen: ms(e.firstTimestamp) || ms(e.eventTime),
    lastSeen: eventTime(e),
    source: clean(str(obj(e.source).component) || str(e.reportingComponent)),
  };
}

export async function readWarnings(reads: TimelineReads): Promise<TimelineEntry[]> {
  const q = reads.query;
  const [events, app] = await Promise.all([reads.events(), reads.appName()]);
  const rows = events.filter((e) => e.type === 'Warning' && inScope(q.scope, app, obj(e.involvedObject))).map(eventRow);
  return groupEvents(rows)
    .filter((g) => inRange(g.lastSeen, q))
    .map((g) => ({
      time: g.lastSeen,
      kind: 'warning' as const,
      text: `${g.reason}${g.count > 1 ? ` x${g.count}` : ''} ${g.object}: ${g.message}`,
      source: 'Events',
      target:
        g.involved.kind === 'Pod'
          ? { kind: 'pod' as const, namespace: g.namespace, pod: g.involved.name }
          : { kind: 'events' as const, namespace: g.namespace, involved: { kind: g.involved.kind, name: g.involved.name, namespace: g.namespace, uid: g.involved.uid } },
    }));
}
