// One data centre of the demo fleet: the same retail scenario as every other cluster (the same
// seed gives the same systems and applications), with what tells data centres apart on promotion
// day. The differences hang on the cluster's position in the fleet, so any names work:
//
// - its own region and zones on the nodes (1st eu-central-1, 2nd eu-west-1, 3rd eu-north-1, ...);
// - the 2nd cluster runs a newer payment-api image than the others (image drift), and some of
//   those pods crash-loop;
// - the 2nd cluster gives search-api twice the memory limit, same image (template drift);
// - cart's wishlist-api runs in the 1st and 2nd clusters only (not rolled out further yet);
// - the 3rd cluster runs cart-sync-worker with about half the replicas, with no HPA to explain it;
// - the applications whose pods crash-loop differ per cluster.
//
// Each cluster keeps exactly --pods pods: replicas an application gains or loses are given to or
// taken from the largest application with an HPA (a difference an HPA explains). Pod names and
// UIDs come from a seed of each cluster's own, so no two clusters share them.
import type { AppPlan, ScenarioPlan, Site } from './scenario.js';
import { buildScenario } from './scenario.js';
import { Rng } from './rng.js';

export { FLEET_MAX_CLUSTERS } from './demoClusterCount.js';

/** Regions by position in the fleet. */
export const FLEET_SITES: readonly Site[] = [
  { region: 'eu-central-1', zones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'] },
  { region: 'eu-west-1', zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
  { region: 'eu-north-1', zones: ['eu-north-1a', 'eu-north-1b', 'eu-north-1c'] },
  { region: 'eu-south-1', zones: ['eu-south-1a', 'eu-south-1b', 'eu-south-1c'] },
  { region: 'eu-west-3', zones: ['eu-west-3a', 'eu-west-3b', 'eu-west-3c'] },
];

/** A cluster of the fleet: its name (dc1) and its position (1-based). */
export interface FleetMember {
  name: string;
  index: number;
}

/** The applications the fleet story is about (present in every seed's scenario). */
export const FLEET_STORY = {
  /** Runs a newer image in the 2nd cluster. */
  drifted: { namespace: 'payment', name: 'payment-api' },
  /** Twice the memory limit in the 2nd cluster, same image. */
  reconfigured: { namespace: 'search', name: 'search-api' },
  /** Exists in the 1st and 2nd clusters only. */
  partial: { namespace: 'cart', name: 'wishlist-api' },
  /** Fewer replicas in the 3rd cluster, no HPA. */
  rescaled: { namespace: 'cart', name: 'cart-sync-worker' },
} as const;

/** A cluster name is a DNS label: it becomes part of context names (warroom-demo-dc1). */
export const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/;

export function siteOf(index: number): Site {
  return FLEET_SITES[(index - 1) % FLEET_SITES.length];
}

/** The seed of a cluster's own pods (names, UIDs, churn): the same for the same fleet seed and position. */
export function memberPodSeed(seed: number, index: number): number {
  return (seed ^ Math.imul(index, 0x9e3779b1)) >>> 0;
}

/** `256Mi` -> `512Mi`: the reconfigured application's memory limit in the 2nd cluster. */
export function doubledMemory(quantity: string): string {
  const m = /^(\d+)(\D*)$/.exec(quantity);
  return m ? `${Number(m[1]) * 2}${m[2]}` : quantity;
}

/** The image of the drifted application in the 2nd cluster: the next minor version. */
export function driftedImage(image: string): string {
  const m = /^(.*):(\d+)\.(\d+)\.(\d+)$/.exec(image);
  return m ? `${m[1]}:${m[2]}.${Number(m[3]) + 1}.0` : `${image}-canary`;
}

export function fleetScenario(seed: number, totalPods: number, member: FleetMember): ScenarioPlan {
  const plan = buildScenario(seed, totalPods, siteOf(member.index));
  const find = (ref: { namespace: string; name: string }) => plan.apps.find((a) => a.namespace === ref.namespace && a.name === ref.name);
  const drifted = find(FLEET_STORY.drifted);
  const partial = find(FLEET_STORY.partial);
  const rescaled = find(FLEET_STORY.rescaled);
  const reconfigured = find(FLEET_STORY.reconfigured);
  const story = new Set([drifted, partial, rescaled]);
  const absorber = plan.apps
    .filter((a) => a.workload === 'Deployment' && a.hpa && !story.has(a))
    .sort((a, b) => b.replicas - a.replicas || a.name.localeCompare(b.name))[0];
  let spare = 0;

  if (drifted && member.index === 2) {
    const image = driftedImage(drifted.template.containers[0].image);
    drifted.version = image.slice(image.lastIndexOf(':') + 1);
    drifted.template = { ...drifted.template, containers: drifted.template.containers.map((c, i) => (i === 0 ? { ...c, image } : c)) };
    drifted.rolloutDays = 0;
  }
  if (reconfigured && member.index === 2) {
    reconfigured.template = {
      ...reconfigured.template,
      containers: reconfigured.template.containers.map((c, i) => (i === 0 && c.limits?.memory ? { ...c, limits: { ...c.limits, memory: doubledMemory(c.limits.memory) } } : c)),
    };
  }
  if (partial && member.index >= 3) {
    spare += partial.replicas;
    plan.apps.splice(plan.apps.indexOf(partial), 1);
  }
  if (rescaled && member.index === 3) {
    const to = rescaled.replicas >= 2 ? Math.ceil(rescaled.replicas / 2) : 2;
    spare += rescaled.replicas - to;
    rescaled.replicas = to;
  }
  if (absorber && spare !== 0) {
    absorber.replicas += spare;
    const hpa = absorber.hpa!;
    absorber.hpa = { ...hpa, min: Math.min(hpa.min, absorber.replicas), max: Math.max(hpa.max, absorber.replicas) };
  }
  assignCrashLoops(plan, seed, member, drifted);
  return plan;
}

/** Which applications crash-loop, chosen per cluster from one shuffled list so neighbours differ. */
function assignCrashLoops(plan: ScenarioPlan, seed: number, member: FleetMember, drifted: AppPlan | undefined): void {
  for (const a of plan.apps) a.crashLoopPods = 0;
  const candidates = new Rng(seed ^ 0x0f1ee7).shuffle(
    plan.apps.filter((a) => a.workload === 'Deployment' && !a.stuckPods && a.replicas >= 2 && a !== drifted).sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)),
  );
  const targets: AppPlan[] = [];
  for (let k = 0; k < Math.min(3, candidates.length); k++) targets.push(candidates[((member.index - 1) * 3 + k) % candidates.length]);
  let remaining = Math.max(2, Math.round(plan.totalPods * 0.003));
  targets.forEach((a, i) => {
    a.crashLoopPods = Math.min(a.replicas - 1, Math.ceil(remaining / (targets.length - i)));
    remaining -= a.crashLoopPods;
  });
  // The new image in the 2nd cluster does not start on every pod.
  if (drifted && member.index === 2 && drifted.replicas >= 2) drifted.crashLoopPods = Math.max(1, Math.floor(drifted.replicas / 4));
}
