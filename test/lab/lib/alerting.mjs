// The lab's alerting: Prometheus rules over the kwok pods' series (the kube-state-metrics stand-in in
// kwokConfig.mjs) and Debian's Alertmanager routing and inhibiting what fires, in the shapes kube-prometheus
// uses, with `for` durations short enough for a test run. Watchdog always fires, so the alerts contract has an
// alert to read the moment Prometheus has evaluated once.

const RUNBOOK = 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes';

export const ALERT_RULES = {
  groups: [
    {
      name: 'warroom-lab',
      interval: '5s',
      rules: [
        {
          alert: 'Watchdog',
          expr: 'vector(1)',
          labels: { severity: 'none' },
          annotations: { summary: 'An alert that should always be firing to certify that Alertmanager is working properly.' },
        },
        {
          alert: 'KubePodCrashLooping',
          // The pods kwok restarts every few minutes (lab.warroom.io/restarts=periodic): kwok's metrics cannot read
          // restartCount, so lab_pod_restarting (kwokConfig.mjs) stands in for increase(restarts_total[10m]) > 0.
          expr: 'lab_pod_restarting == 1',
          for: '10s',
          labels: { severity: 'critical' },
          annotations: { summary: 'Pod is crash looping.', description: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is restarting.', runbook_url: `${RUNBOOK}/kubepodcrashlooping` },
        },
        {
          alert: 'KubePodNotReady',
          expr: 'kube_pod_status_ready{condition="true"} == 0',
          for: '30s',
          labels: { severity: 'warning' },
          annotations: { summary: 'Pod has been in a non-ready state for more than 30 seconds.', description: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} is not ready.', runbook_url: `${RUNBOOK}/kubepodnotready` },
        },
      ],
    },
  ],
};

export const ALERTMANAGER_CONFIG = {
  route: {
    receiver: 'default',
    group_by: ['cluster', 'namespace'],
    group_wait: '1s',
    group_interval: '5s',
    repeat_interval: '4h',
    routes: [{ matchers: ['severity="critical"'], receiver: 'pager', group_by: ['cluster', 'namespace', 'alertname'] }],
  },
  // A crash-looping pod mutes its own not-ready alert.
  inhibit_rules: [{ source_matchers: ['alertname="KubePodCrashLooping"'], target_matchers: ['alertname="KubePodNotReady"'], equal: ['cluster', 'namespace', 'pod'] }],
  // No notifier is configured: the lab has nothing to page; the routes still group and name receivers.
  receivers: [{ name: 'default' }, { name: 'pager' }],
};
