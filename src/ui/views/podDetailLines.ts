import { stringify } from 'yaml';
import type { PodDetail } from '../../platform/stores/podDetailStore.js';
import { sanitize } from '../../platform/text/sanitize.js';
import { formatAge } from '../format.js';

// The pod detail page as plain lines: summary, containers, conditions, recent events,
// then the YAML. Every string from the cluster is sanitised before it reaches the screen.

export interface DetailLine {
  text: string;
  style?: 'heading' | 'accent' | 'ok' | 'warn' | 'error' | 'dim';
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const str = (v: unknown): string => sanitize(v === undefined || v === null ? '' : String(v), { maxLength: 400 });

function containerState(status: Obj): { text: string; style?: DetailLine['style'] } {
  const state = obj(status.state);
  if (state.running) return { text: `Running since ${str(obj(state.running).startedAt)}` };
  if (state.waiting) {
    const w = obj(state.waiting);
    return { text: `Waiting: ${str(w.reason)}${w.message ? ` (${str(w.message)})` : ''}`, style: /BackOff|Err/.test(String(w.reason)) ? 'error' : 'warn' };
  }
  if (state.terminated) {
    const t = obj(state.terminated);
    return { text: `Terminated: ${str(t.reason)} exit ${str(t.exitCode)}`, style: t.exitCode === 0 ? 'dim' : 'error' };
  }
  return { text: 'unknown', style: 'dim' };
}

export function podDetailLines(detail: PodDetail, now: number): DetailLine[] {
  const lines: DetailLine[] = [];
  const push = (text: string, style?: DetailLine['style']) => lines.push({ text, style });
  if (detail.state === 'loading') return [{ text: `loading pod ${detail.namespace}/${detail.name} ...`, style: 'dim' }];
  if (detail.state === 'gone') return [{ text: `pod ${detail.namespace}/${detail.name} no longer exists`, style: 'warn' }];
  if (detail.state === 'error' && !detail.pod) return [{ text: `cannot read pod ${detail.namespace}/${detail.name}: ${str(detail.error)}`, style: 'error' }];
  const pod = obj(detail.pod);
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  if (detail.state === 'error') push(`refresh failed: ${str(detail.error)} (showing data from ${formatAge(detail.loadedAt ?? now, now)} ago)`, 'warn');
  push('Pod', 'heading');
  push(`  name       ${str(meta.name)}`);
  push(`  system     ${str(meta.namespace)}`);
  push(`  phase      ${str(status.phase)}${meta.deletionTimestamp ? '  (Terminating)' : ''}`);
  push(`  node       ${str(spec.nodeName) || '<none>'}`);
  push(`  pod IP     ${str(status.podIP) || '<none>'}`);
  push(`  created    ${str(meta.creationTimestamp)}`);
  const owners = arr(meta.ownerReferences).map((o) => `${str(o.kind)}/${str(o.name)}`);
  if (owners.length) push(`  owner      ${owners.join(', ')}`);
  push('');
  push('Containers', 'heading');
  const statuses = new Map(arr(status.containerStatuses).map((s) => [String(s.name), s]));
  for (const c of arr(spec.containers)) {
    const s = statuses.get(String(c.name)) ?? {};
    const st = containerState(s);
    push(`  ${str(c.name)}`);
    push(`    image     ${str(c.image)}`);
    push(`    state     ${st.text}`, st.style);
    push(`    ready     ${s.ready === true ? 'yes' : 'no'}    restarts ${str(s.restartCount ?? 0)}`);
    const res = obj(c.resources);
    const fmt = (o: unknown) => Object.entries(obj(o)).map(([k, v]) => `${k}=${str(v)}`).join(' ') || '-';
    push(`    requests  ${fmt(res.requests)}    limits ${fmt(res.limits)}`);
  }
  push('');
  push('Conditions', 'heading');
  for (const c of arr(status.conditions)) push(`  ${str(c.type).padEnd(26)} ${str(c.status)}`, c.status === 'True' ? undefined : 'warn');
  push('');
  push('Events (newest first)', 'heading');
  if (!detail.events.length) push('  <none>', 'dim');
  for (const e of detail.events) {
    const age = e.lastSeen ? formatAge(e.lastSeen, now) : '?';
    const count = e.count > 1 ? ` x${e.count}` : '';
    push(`  ${age.padStart(6)}  ${str(e.type).padEnd(7)} ${str(e.reason).padEnd(16)} ${str(e.message)}${count}`, e.type === 'Warning' ? 'warn' : undefined);
  }
  push('');
  push('YAML', 'heading');
  const clean = { ...pod, metadata: { ...meta, managedFields: undefined } };
  for (const l of stringify(clean, { lineWidth: 0 }).split('\n')) push(`  ${sanitize(l)}`);
  return lines;
}
