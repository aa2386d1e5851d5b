// How many pods the demo platform can be asked for: one range for `warroom demo --pods`, the
// platform's own `--pods`, the usage text and the README, so none accepts what another refuses.
// Below 100 the scenario's systems, applications and failure cases do not fit.

export const DEMO_PODS_MIN = 100;
export const DEMO_PODS_MAX = 100_000;
/** `warroom demo` without --pods. */
export const DEMO_PODS_DEFAULT = 1000;
