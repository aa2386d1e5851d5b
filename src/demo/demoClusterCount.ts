// How many clusters `warroom demo --clusters` may start: one range for the CLI, the usage text,
// the demo platform's --cluster-index and startDemoFleet (five data centres have a region each
// in fleetScenario.ts).

export const FLEET_MAX_CLUSTERS = 5;
