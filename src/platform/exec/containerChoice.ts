import type { KubeObject } from '../kube/objects.js';

// Which containers of a pod a shell can go into, default first. The default is the one named
// by the `kubectl.kubernetes.io/default-container` annotation (as kubectl honours it), else the
// first container of the spec.

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

export interface ContainerChoice {
  name: string;
  image: string;
  running: boolean;
  /** Why a shell cannot go in now: "waiting: CrashLoopBackOff", "terminated: Completed". */
  state: string;
  isDefault: boolean;
}

interface ContainerSpec {
  name?: string;
  image?: string;
}
interface ContainerStatus {
  name?: string;
  state?: { running?: unknown; waiting?: { reason?: string }; terminated?: { reason?: string } };
}

export function containerChoices(pod: KubeObject): ContainerChoice[] {
  const spec = (pod.spec?.containers ?? []) as ContainerSpec[];
  const statuses = (pod.status?.containerStatuses ?? []) as ContainerStatus[];
  const annotations = (pod.metadata.annotations ?? {}) as Record<string, string>;
  const named = annotations[DEFAULT_CONTAINER_ANNOTATION];
  const defaultName = named && spec.some((c) => c.name === named) ? named : spec[0]?.name;
  const choices = spec
    .filter((c): c is ContainerSpec & { name: string } => typeof c.name === 'string')
    .map((c): ContainerChoice => {
      const st = statuses.find((s) => s.name === c.name)?.state;
      const state = st?.running ? 'running' : st?.waiting ? `waiting: ${st.waiting.reason ?? '?'}` : st?.terminated ? `terminated: ${st.terminated.reason ?? '?'}` : 'not started';
      return { name: c.name, image: c.image ?? '', running: Boolean(st?.running), state, isDefault: c.name === defaultName };
    });
  return [...choices.filter((c) => c.isDefault), ...choices.filter((c) => !c.isDefault)];
}
