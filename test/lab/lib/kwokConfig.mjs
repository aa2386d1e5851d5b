// kwok's --config: plain kwok has no built-in stages, so the file carries kwokctl's default stage set
// (copied from the kwok module in GOMODCACHE at the pinned version), a restart stage of our own, and the
// simulated logs, exec, resource usage and metrics.
import fs from 'node:fs';
import path from 'node:path';
import { CACHE_DIR, HOST, VERSIONS, WORK_DIR } from './settings.mjs';
import { LabError } from './proc.mjs';
import { SYSTEMS } from './scenario.mjs';

/** Where every cluster's kwok runs exec'd commands (as the lab user); each cluster tells its own by env. */
export const EXEC_DIR = path.join(WORK_DIR, 'exec');
export const podLogDir = (cluster) => path.join(cluster.dir, 'pod-logs');

const STAGE_FILES = [
  'stage/node/fast/node-initialize.yaml',
  'stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
  'stage/pod/fast/pod-ready.yaml',
  'stage/pod/fast/pod-complete.yaml',
  'stage/pod/fast/pod-delete.yaml',
];

/** One CRI-format log file per cluster and system: what `kubectl logs` returns for that system's containers. */
export const podLogFile = (cluster, ns) => path.join(podLogDir(cluster), `${ns}.log`);

// Pods annotated lab.warroom.io/restarts=periodic get a container restart every ~2-4 minutes; a pod annotated
// lab.warroom.io/restart=now (tests) restarts once within a second. Both bump restartCount and set lastState.
const RESTART_STAGE = (name, selectorExpr, delayMs, jitterMs) => `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: ${name}
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.phase'
      operator: 'In'
      values: ['Running']
    - key: '${selectorExpr.key}'
      operator: 'In'
      values: ['${selectorExpr.value}']
  delay:
    durationMilliseconds: ${delayMs}
    jitterDurationMilliseconds: ${jitterMs}
  next:
    # The annotation goes first: the status patch's own update event must no longer match this stage.
    patches:
    - root: metadata
      type: merge
      template: |
        annotations:
          lab.warroom.io/last-restart: {{ Now | Quote }}
          lab.warroom.io/restart: null
    - subresource: status
      root: status
      type: merge
      template: |
        {{ $now := Now }}
        containerStatuses:
        {{ range $i, $c := .status.containerStatuses }}
        - name: {{ $c.name | Quote }}
          image: {{ $c.image | Quote }}
          imageID: {{ or $c.imageID "" | Quote }}
          containerID: {{ printf "kwok://%s-%d" $c.name (add (or $c.restartCount 0) 1) | Quote }}
          ready: true
          started: true
          restartCount: {{ add (or $c.restartCount 0) 1 }}
          lastState:
            terminated:
              exitCode: 137
              reason: Error
              startedAt: {{ with $c.state.running }}{{ .startedAt | Quote }}{{ else }}{{ $now | Quote }}{{ end }}
              finishedAt: {{ $now | Quote }}
          state:
            running:
              startedAt: {{ $now | Quote }}
        {{ end }}
`;

const containerLabels = `
    labels:
    - name: container
      value: 'container.name'
    - name: image
      value: 'container.image'
    - name: namespace
      value: 'pod.metadata.namespace'
    - name: pod
      value: 'pod.metadata.name'`;

// What Prometheus scrapes in a real cluster is the kubelet's cAdvisor endpoint (with the image label that
// dashboards filter on: container!="", image!=""), not /metrics/resource (that one is for metrics-server).
const CADVISOR_METRIC = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Metric
metadata:
  name: metrics-cadvisor
spec:
  path: "/metrics/nodes/{nodeName}/metrics/cadvisor"
  metrics:
  - name: container_cpu_usage_seconds_total
    help: Cumulative cpu time consumed by the container in core-seconds
    kind: counter
    dimension: container${containerLabels}
    value: 'pod.CumulativeUsage("cpu", container.name)'
  - name: container_memory_working_set_bytes
    help: Current working set of the container in bytes
    kind: gauge
    dimension: container${containerLabels}
    value: 'pod.Usage("memory", container.name)'
  - name: container_start_time_seconds
    help: Start time of the container since unix epoch in seconds
    kind: gauge
    dimension: container${containerLabels}
    value: 'pod.SinceSecond()'
`;

// The kube-state-metrics series that charts draw as reference lines (every seeded container has requests);
// Prometheus adds the node label from the target.
const ksmLabels = (resource, unit) => `
    labels:
    - name: namespace
      value: 'pod.metadata.namespace'
    - name: pod
      value: 'pod.metadata.name'
    - name: container
      value: 'container.name'
    - name: resource
      value: '"${resource}"'
    - name: unit
      value: '"${unit}"'`;
const podLabels = `
    labels:
    - name: namespace
      value: 'pod.metadata.namespace'
    - name: pod
      value: 'pod.metadata.name'`;
const KUBE_STATE_METRIC = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Metric
metadata:
  name: metrics-kube-state
spec:
  path: "/metrics/nodes/{nodeName}/metrics/kube-state"
  metrics:
  - name: kube_pod_container_resource_requests
    help: The number of requested request resource by a container.
    kind: gauge
    dimension: container${ksmLabels('cpu', 'core')}
    value: 'container.resources.requests["cpu"]'
  - name: kube_pod_container_resource_requests
    help: The number of requested request resource by a container.
    kind: gauge
    dimension: container${ksmLabels('memory', 'byte')}
    value: 'container.resources.requests["memory"]'
  # kwok's CEL knows a pod's phase but not its containerStatuses or conditions (their element types are not
  # registered), so these two stand in for kube-state-metrics' restart counter and Ready condition: a pod kwok
  # restarts on purpose (lab.warroom.io/restarts=periodic) and a pod not Running.
  - name: lab_pod_restarting
    help: 1 for a pod kwok restarts every few minutes (the lab's stand-in for a growing kube_pod_container_status_restarts_total).
    kind: gauge
    dimension: pod${podLabels}
    value: '"lab.warroom.io/restarts" in pod.metadata.annotations ? 1.0 : 0.0'
  - name: kube_pod_status_ready
    help: Describes whether the pod is ready to serve requests (the lab's stand-in; Running counts as ready).
    kind: gauge
    dimension: pod${podLabels}
    - name: condition
      value: '"true"'
    value: 'pod.status.phase == "Running" ? 1.0 : 0.0'
`;

/** The cluster's kwok --config (in its own work dir); returns its path. */
export function writeKwokConfig(cluster, { execUid, execGid }) {
  const kustomize = path.join(CACHE_DIR, 'gomodcache', 'sigs.k8s.io', `kwok@${VERSIONS.kwok}`, 'kustomize');
  if (!fs.existsSync(kustomize)) {
    throw new LabError(`kwok's stage files are missing (${kustomize}); run test/lab/k8s/build.sh kwok`);
  }
  fs.mkdirSync(podLogDir(cluster), { recursive: true });
  fs.mkdirSync(EXEC_DIR, { recursive: true });
  fs.chownSync(EXEC_DIR, execUid, execGid);
  for (const s of SYSTEMS) {
    if (!fs.existsSync(podLogFile(cluster, s.name))) fs.writeFileSync(podLogFile(cluster, s.name), '');
  }
  const docs = [
    `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options:
  cidr: 10.244.0.0/16
  nodeIP: 127.0.0.1
  nodePort: ${cluster.ports.kwok}
  serverAddress: ${HOST}:${cluster.ports.kwok}
  nodeLeaseDurationSeconds: 40
  manageNodesWithAnnotationSelector: kwok.x-k8s.io/node=fake
  # A config file without these gets zeros, not the documented defaults (kwok exits on parallelism 0).
  enableDebuggingHandlers: true
  enableProfilingHandler: false
  enableContentionProfiling: false
  podPlayStageParallelism: 4
  nodePlayStageParallelism: 4
  nodeLeaseParallelism: 4
  podsOnNodeSyncParallelism: 1
  enablePodsOnNodeSyncListPager: true
  enablePodsOnNodeSyncStreamWatch: false
`,
    ...STAGE_FILES.map((f) => fs.readFileSync(path.join(kustomize, f), 'utf8')),
    // The periodic restart waits longer than the seed's readiness wait, so seeded pods start Running.
    RESTART_STAGE('pod-container-restart-periodic', { key: '.metadata.annotations["lab.warroom.io/restarts"]', value: 'periodic' }, 120000, 240000),
    RESTART_STAGE('pod-container-restart-now', { key: '.metadata.annotations["lab.warroom.io/restart"]', value: 'now' }, 200, 800),
    ...SYSTEMS.map(
      (s) => `apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: logs-${s.name}
spec:
  selector:
    matchNamespaces: [${s.name}]
  logs:
  - logsFile: ${podLogFile(cluster, s.name)}
    previousLogsFile: ${podLogFile(cluster, s.name)}
    follow: true
`,
    ),
    `apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterExec
metadata:
  name: exec-as-lab-user
spec:
  execs:
  - local:
      workDir: ${EXEC_DIR}
      envs:
      - name: WARROOM_LAB
        value: "1"
      - name: WARROOM_LAB_CLUSTER
        value: ${cluster.name}
      - name: HOME
        value: ${EXEC_DIR}
      - name: PATH
        value: /usr/local/bin:/usr/bin:/bin
      securityContext:
        runAsUser: ${execUid}
        runAsGroup: ${execGid}
`,
    fs.readFileSync(path.join(kustomize, 'metrics/usage/usage-from-annotation.yaml'), 'utf8'),
    fs.readFileSync(path.join(kustomize, 'metrics/resource/metrics-resource.yaml'), 'utf8'),
    CADVISOR_METRIC,
    KUBE_STATE_METRIC,
  ];
  const file = path.join(cluster.dir, 'kwok.yaml');
  fs.writeFileSync(file, docs.map((d) => d.trimEnd() + '\n').join('---\n'));
  return file;
}
