// How many clusters `warroom demo --clusters` may start: one range for the CLI, the usage text,
// the demo platform's --cluster-index and startDemoFleet (five data centres have a region each
// in fleetScenario.ts).

export const FLEET_MAX_CLUSTERS = 5;

/** `warroom demo` without --clusters: two data centres, dc1 and dc2, the fleet a newcomer meets. */
export const DEMO_CLUSTERS_DEFAULT = 2;
