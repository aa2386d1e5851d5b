// Fast path for pod Table rows: the same cells printPod(podJson(pod)) produces, computed straight from the compact
// record (no full object is built). Pod Tables are the hot path at 100,000 pods; a unit test keeps both in step.
import { ageSince } from './duration.js';
import type { PodRecord } from './records.js';
import type { PrintedRow, TableRowCondition } from './tablePrinters.js';

const succeeded: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const failed: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

/** JSON timestamps have second precision; ages must be computed from what the object says. */
const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

export function podTableRow(p: PodRecord, now: number): PrintedRow {
  const total = p.template.containers.length;
  let ready = 0;
  let reason: string;
  let lastRestart = 0;
  switch (p.stage) {
    case 'Pending':
      reason = 'Pending';
      break;
    case 'ContainerCreating':
      reason = 'ContainerCreating';
      break;
    case 'ImagePullBackOff':
      reason = 'ImagePullBackOff';
      break;
    case 'Running':
      reason = 'Running';
      if (p.ready) ready = total;
      if (p.lastTerminatedAt) lastRestart = seconds(p.lastTerminatedAt);
      break;
    case 'CrashLoopBackOff':
      reason = 'CrashLoopBackOff';
      ready = total - 1;
      if (p.lastTerminatedAt) lastRestart = seconds(p.lastTerminatedAt);
      break;
    case 'Error':
      reason = 'Error';
      ready = total - 1;
      break;
    case 'Succeeded':
      reason = 'Completed';
      break;
    case 'Failed':
      reason = 'Error';
      break;
  }
  const terminal = p.stage === 'Succeeded' || p.stage === 'Failed';
  if (p.meta.deletionTs !== undefined && !terminal) reason = 'Terminating';
  const restarts = p.restarts;
  const restartsCell = restarts !== 0 && lastRestart ? `${restarts} (${ageSince(lastRestart, now)} ago)` : String(restarts);
  const row: PrintedRow = {
    cells: [p.meta.name, `${ready}/${total}`, reason, restartsCell, ageSince(seconds(p.meta.created), now), p.podIP || '<none>', p.nodeName || '<none>', '<none>', '<none>'],
  };
  if (p.stage === 'Succeeded') row.conditions = succeeded;
  else if (p.stage === 'Failed') row.conditions = failed;
  return row;
}
