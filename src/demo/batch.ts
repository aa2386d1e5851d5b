// Jobs and CronJobs (batch/v1): the Jobs of the demo's run-to-completion pods (a database migration per critical
// system that succeeded, the search system's nightly report that failed) and a few CronJobs, one of them suspended.
// Printed as pkg/printers/internalversion/printers.go prints them (Kubernetes 1.34: Status, Completions, Duration).
import { randomUUID } from 'node:crypto';
import type { Cluster } from './cluster.js';
import { ageSince, humanDuration, rfc3339 } from './duration.js';
import { ageColumn, column, containerCells, formatSelector, jsonKind, nameColumn, timestamp, type JsonRecord } from './jsonKinds.js';
import type { PodRecord } from './records.js';
import type { Labels, OwnerRef } from './store.js';

// Printers walk loosely typed Kubernetes JSON, as the real ones walk Go structs.
type AnyJson = Record<string, any>;

const TEMPLATE_DOC = 'Names of each container in the template.';
const IMAGES_DOC = 'Images referenced by each container in the template.';
const SELECTOR_DOC = 'A label query over pods that should match the pod count.';

function hasCondition(j: AnyJson, type: string): boolean {
  return ((j.status?.conditions ?? []) as AnyJson[]).some((c) => c.type === type && c.status === 'True');
}

export const jobKind = jsonKind({
  resource: 'jobs',
  singular: 'job',
  kind: 'Job',
  group: 'batch',
  version: 'v1',
  namespaced: true,
  categories: ['all'],
  subresources: ['status'],
  columns: [
    nameColumn(),
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn(),
    column('Containers', 'string', TEMPLATE_DOC, 1),
    column('Images', 'string', IMAGES_DOC, 1),
    column('Selector', 'string', SELECTOR_DOC, 1),
  ],
  print: (j: AnyJson, now) => {
    const s = j.status ?? {};
    const succeeded = s.succeeded ?? 0;
    const parallelism = j.spec?.parallelism ?? 0;
    const completions = j.spec?.completions !== undefined ? `${succeeded}/${j.spec.completions}` : parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    const start = timestamp(s.startTime);
    const end = timestamp(s.completionTime);
    const duration = start === undefined ? '' : humanDuration((end ?? now) - start);
    const status = hasCondition(j, 'Complete') ? 'Complete' : hasCondition(j, 'Failed') ? 'Failed' : j.metadata?.deletionTimestamp ? 'Terminating' : hasCondition(j, 'Suspended') ? 'Suspended' : hasCondition(j, 'FailureTarget') ? 'FailureTarget' : 'Running';
    const [names, images] = containerCells(j.spec?.template?.spec?.containers);
    return { cells: [j.metadata?.name ?? '', status, completions, duration, ageSince(timestamp(j.metadata?.creationTimestamp), now), names, images, formatSelector(j.spec?.selector)] };
  },
  fields: { 'status.successful': (o) => String((o.body.status as AnyJson | undefined)?.succeeded ?? 0) },
});

export const cronJobKind = jsonKind({
  resource: 'cronjobs',
  singular: 'cronjob',
  kind: 'CronJob',
  group: 'batch',
  version: 'v1',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  subresources: ['status'],
  columns: [
    nameColumn(),
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.'),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn(),
    column('Containers', 'string', TEMPLATE_DOC, 1),
    column('Images', 'string', IMAGES_DOC, 1),
    column('Selector', 'string', SELECTOR_DOC, 1),
  ],
  print: (c: AnyJson, now) => {
    const spec = c.spec ?? {};
    const last = timestamp(c.status?.lastScheduleTime);
    const suspend = spec.suspend === undefined ? '<unset>' : spec.suspend ? 'True' : 'False';
    const [names, images] = containerCells(spec.jobTemplate?.spec?.template?.spec?.containers);
    return {
      cells: [c.metadata?.name ?? '', spec.schedule ?? '', spec.timeZone ?? '<none>', suspend, (c.status?.active ?? []).length, last === undefined ? '<none>' : ageSince(last, now), ageSince(timestamp(c.metadata?.creationTimestamp), now), names, images, formatSelector(spec.jobTemplate?.spec?.selector)],
    };
  },
});

interface JobOwner {
  uid: string;
  name: string;
  namespace: string;
  pods: PodRecord[];
}

function templateJson(pod: PodRecord, labels: Labels): AnyJson {
  return {
    metadata: { labels },
    spec: {
      containers: pod.template.containers.map((c) => ({ name: c.name, image: c.image, resources: { ...(c.requests ? { requests: c.requests } : {}) }, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' })),
      restartPolicy: pod.template.restartPolicy,
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
    },
  };
}

/** Loads the Jobs of the pods a Job owns and the CronJobs (part of the start-up baseline). */
export function loadBatch(cluster: Cluster): void {
  const owners = new Map<string, JobOwner>();
  for (const p of cluster.pods.store.values()) {
    const o = p.meta.owners?.find((x) => x.kind === 'Job');
    if (!o) continue;
    const entry = owners.get(o.uid) ?? { uid: o.uid, name: o.name, namespace: p.meta.namespace, pods: [] };
    entry.pods.push(p);
    owners.set(o.uid, entry);
  }
  const cronJobs = new Map<string, { uid: string; created: number; lastSchedule?: number; lastSuccess?: number; template?: AnyJson }>();
  for (const job of owners.values()) {
    const pod = job.pods[0];
    const cron = /^(.*)-(\d{8})$/.exec(job.name);
    // A name ending in minutes since the epoch is how the CronJob controller names its Jobs.
    const cronName = cron && job.name.startsWith('nightly-') ? cron[1] : undefined;
    const cronKey = cronName ? `${job.namespace}/${cronName}` : undefined;
    const cronEntry = cronKey ? (cronJobs.get(cronKey) ?? { uid: randomUUID(), created: pod.meta.created - 90 * 86_400_000 }) : undefined;
    const labels: Labels = { 'batch.kubernetes.io/controller-uid': job.uid, 'batch.kubernetes.io/job-name': job.name, 'controller-uid': job.uid, 'job-name': job.name };
    const start = pod.meta.created;
    const end = pod.finishedAt ?? start;
    const succeeded = job.pods.filter((p) => p.stage === 'Succeeded').length;
    const failed = job.pods.filter((p) => p.stage === 'Failed').length;
    const conditions: AnyJson[] = succeeded
      ? [
          { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: rfc3339(end), lastTransitionTime: rfc3339(end), reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
          { type: 'Complete', status: 'True', lastProbeTime: rfc3339(end), lastTransitionTime: rfc3339(end), reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
        ]
      : [
          { type: 'FailureTarget', status: 'True', lastProbeTime: rfc3339(end), lastTransitionTime: rfc3339(end), reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
          { type: 'Failed', status: 'True', lastProbeTime: rfc3339(end), lastTransitionTime: rfc3339(end), reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
        ];
    const owner: OwnerRef[] | undefined = cronEntry ? [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cronName!, uid: cronEntry.uid, controller: true, blockOwnerDeletion: true }] : undefined;
    const template = templateJson(pod, labels);
    cluster.jobs.store.load({
      meta: { name: job.name, namespace: job.namespace, uid: job.uid, rv: 0, created: start - 1000, generation: 1, labels, owners: owner, annotations: { 'batch.kubernetes.io/job-tracking': '' } },
      body: {
        spec: { parallelism: 1, completions: 1, backoffLimit: 0, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': job.uid } }, manualSelector: false, template, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' },
        status: { conditions, startTime: rfc3339(start), ...(succeeded ? { completionTime: rfc3339(end), succeeded } : { failed }), ready: 0, terminating: 0, uncountedTerminatedPods: {} },
      },
    } satisfies JsonRecord);
    if (cronEntry && cronKey) {
      cronEntry.lastSchedule = Math.max(cronEntry.lastSchedule ?? 0, start - 1000);
      if (succeeded) cronEntry.lastSuccess = Math.max(cronEntry.lastSuccess ?? 0, end);
      cronEntry.template = template;
      cronJobs.set(cronKey, cronEntry);
    }
  }
  const cron = (namespace: string, name: string, schedule: string, opts: { uid?: string; created: number; lastSchedule?: number; lastSuccess?: number; suspend?: boolean; template: AnyJson }) => {
    if (!cluster.namespaces.store.get(namespace)) return;
    cluster.cronJobs.store.load({
      meta: { name, namespace, uid: opts.uid ?? randomUUID(), rv: 0, created: opts.created, generation: 1, labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'Helm' } },
      body: {
        spec: { schedule, concurrencyPolicy: 'Forbid', suspend: opts.suspend ?? false, jobTemplate: { metadata: {}, spec: { backoffLimit: 0, template: opts.template } }, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 },
        status: { ...(opts.lastSchedule ? { lastScheduleTime: rfc3339(opts.lastSchedule) } : {}), ...(opts.lastSuccess ? { lastSuccessfulTime: rfc3339(opts.lastSuccess) } : {}) },
      },
    } satisfies JsonRecord);
  };
  for (const [key, c] of cronJobs) {
    const [namespace, name] = key.split('/');
    cron(namespace, name, '0 2 * * *', { uid: c.uid, created: c.created, lastSchedule: c.lastSchedule, lastSuccess: c.lastSuccess, template: c.template! });
  }
  const now = Date.now();
  const simple = (name: string, image: string): AnyJson => ({ metadata: {}, spec: { containers: [{ name, image, resources: { requests: { cpu: '100m', memory: '128Mi' } } }], restartPolicy: 'OnFailure' } });
  cron('payment', 'ledger-reconcile', '*/30 * * * *', { created: now - 200 * 86_400_000, lastSchedule: now - 12 * 60_000, lastSuccess: now - 11 * 60_000, template: simple('reconcile', 'registry.shop.example/payment/ledger-reconcile:3.2.0') });
  cron('cart', 'abandoned-cart-mail', '0 * * * *', { created: now - 60 * 86_400_000, lastSchedule: now - 9 * 86_400_000, suspend: true, template: simple('mailer', 'registry.shop.example/cart/abandoned-cart-mail:1.4.2') });
}
