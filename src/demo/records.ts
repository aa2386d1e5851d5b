// Compact internal records, one per object. Large or repeated parts (labels, pod templates, owner references)
// are shared between records, which keeps 100,000 pods in well under a few hundred MB.
import type { Labels, OwnerRef, StoredObject } from './store.js';

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly ports?: readonly { name?: string; containerPort: number; protocol: 'TCP' | 'UDP' }[];
  readonly requests?: Readonly<Record<string, string>>;
  readonly limits?: Readonly<Record<string, string>>;
}

/** A pod volume; the demo keeps emptyDir ones (a drain asks --delete-emptydir-data for them). */
export interface VolumeSpec {
  readonly name: string;
  readonly emptyDir: Readonly<{ medium?: string; sizeLimit?: string }>;
}

export interface PodTemplate {
  readonly containers: readonly ContainerSpec[];
  readonly volumes?: readonly VolumeSpec[];
  readonly serviceAccountName: string;
  readonly terminationGracePeriodSeconds: number;
  readonly restartPolicy: 'Always' | 'OnFailure' | 'Never';
  readonly nodeSelector?: Labels;
  readonly priorityClassName?: string;
  /** Pod template annotations (kubectl.kubernetes.io/restartedAt after a rollout restart). */
  readonly annotations?: Labels;
}

/**
 * What the simulated kubelet is doing with the pod; the container statuses are derived from it.
 * Pending: not scheduled. ContainerCreating: scheduled, containers waiting. Running: all running.
 * CrashLoopBackOff / Error: main container crashed (waiting in back-off / just terminated), sidecars run.
 * ImagePullBackOff: image cannot be pulled. Succeeded / Failed: a finished run-to-completion pod.
 */
export type PodStage = 'Pending' | 'ContainerCreating' | 'Running' | 'CrashLoopBackOff' | 'Error' | 'ImagePullBackOff' | 'Succeeded' | 'Failed';

export interface PodRecord extends StoredObject {
  readonly template: PodTemplate;
  readonly stage: PodStage;
  readonly nodeName?: string;
  readonly hostIP?: string;
  readonly podIP?: string;
  readonly scheduledAt?: number;
  /** When containers last (re)started. */
  readonly runningSince?: number;
  readonly ready: boolean;
  readonly readySince?: number;
  readonly restarts: number;
  readonly lastTerminatedAt?: number;
  readonly lastStartedAt?: number;
  /** Why the last run ended (lastState.terminated.reason): Error (exit 1) unless OOMKilled (exit 137). */
  readonly lastReason?: 'OOMKilled';
  /** The main container keeps crashing (crash-loop demo pods). */
  readonly crashLoops?: boolean;
  /** Human message for Pending / back-off states. */
  readonly message?: string;
  readonly finishedAt?: number;
}

export interface WorkloadStatus {
  readonly replicas: number;
  readonly ready: number;
  readonly available: number;
  readonly updated: number;
  readonly observedGeneration: number;
}

export interface DeploymentRecord extends StoredObject {
  readonly replicas: number;
  readonly selector: Labels;
  readonly podLabels: Labels;
  readonly template: PodTemplate;
  readonly templateHash: string;
  readonly revision: number;
  /** spec.paused (`kubectl rollout pause`). */
  readonly paused?: boolean;
  readonly status: WorkloadStatus;
}

export interface ReplicaSetRecord extends StoredObject {
  readonly replicas: number;
  readonly selector: Labels;
  /** Pod labels including pod-template-hash. */
  readonly podLabels: Labels;
  readonly template: PodTemplate;
  readonly templateHash: string;
  /** The ownerReference every pod of this ReplicaSet carries (one shared array). */
  readonly podOwners: readonly OwnerRef[];
  readonly status: WorkloadStatus;
}

export interface StatefulSetRecord extends StoredObject {
  readonly replicas: number;
  readonly selector: Labels;
  readonly podLabels: Labels;
  readonly template: PodTemplate;
  readonly serviceName: string;
  /** The update revision's hash (status.updateRevision `<name>-<hash>`). */
  readonly revisionHash: string;
  /** During a rolling update: the revision the not yet updated pods run and their count (status.currentRevision, currentReplicas). */
  readonly current?: { readonly hash: string; readonly replicas: number };
  readonly podOwners: readonly OwnerRef[];
  readonly status: WorkloadStatus;
}

export interface HpaRecord extends StoredObject {
  readonly target: { readonly apiVersion: string; readonly kind: string; readonly name: string };
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuTargetPercent: number;
  readonly currentCpuPercent?: number;
  readonly currentReplicas: number;
  readonly desiredReplicas: number;
}

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /** When a NoExecute taint was added (epoch ms). */
  readonly timeAdded?: number;
}

export interface NodeRecord extends StoredObject {
  readonly internalIP: string;
  /** False: the kubelet stopped posting status (Ready Unknown, since `notReadySince`). */
  readonly ready: boolean;
  readonly notReadySince?: number;
  readonly unschedulable: boolean;
  readonly taints?: readonly Taint[];
  readonly capacity: { readonly cpu: string; readonly memory: string; readonly pods: string };
  readonly kubeletVersion: string;
  readonly osImage: string;
  readonly kernelVersion: string;
  readonly containerRuntimeVersion: string;
  readonly podCIDR: string;
}

export interface NamespaceRecord extends StoredObject {
  readonly phase: 'Active' | 'Terminating';
}

export interface EventRecord extends StoredObject {
  readonly involved: {
    readonly kind: string;
    readonly namespace: string;
    readonly name: string;
    readonly uid: string;
    readonly apiVersion: string;
    readonly resourceVersion?: string;
    readonly fieldPath?: string;
  };
  readonly reason: string;
  readonly message: string;
  readonly type: 'Normal' | 'Warning';
  readonly component: string;
  readonly host?: string;
  readonly first: number;
  readonly last: number;
  readonly count: number;
}
