/**
 * How long a pod takes to stop, and how long a rollout of a workload waits on pod terminations: the arithmetic of the
 * kubelet and of the workload controllers, on numbers the caller has read (hook budgets, shutdown reserves, the grace
 * period, replicas). It computes and judges nothing; `lifecycle-prestop-exceeds-grace` judges whether the numbers fit.
 *
 * The kubelet (kuberuntime_container.go): the grace countdown starts when the pod is deleted, before preStop;
 * `executePreStopHook` waits for the hook at most the grace period; `killContainer` then sends the stop signal
 * (SIGTERM) and SIGKILL after what is left of the grace period, but never less than `minimumGracePeriodInSeconds`
 * (2 s). With a grace period of 0 the hook does not run. The containers of a pod are stopped in parallel.
 */
import { DEFAULTS } from '../defaults';
import { MINIMUM_GRACE_SECONDS } from './grace';

/** One container, as `planPodShutdown` needs it. */
export interface ContainerStopInput {
  /** The container name. */
  readonly name: string;
  /**
   * Seconds the preStop hook may take (its budget).
   *
   * @default - no preStop hook
   */
  readonly preStopSeconds?: number;
  /**
   * Seconds the app needs after SIGTERM to shut down.
   *
   * @default - DEFAULTS.shutdownReserveSeconds
   */
  readonly shutdownReserveSeconds?: number;
}

/** Options of `planPodShutdown`. */
export interface PlanPodShutdownInput {
  /** The regular containers of the pod (init containers have exited before the pod is deleted). */
  readonly containers: readonly ContainerStopInput[];
  /**
   * `terminationGracePeriodSeconds` as written.
   *
   * @default - absent: Kubernetes applies 30 s
   */
  readonly terminationGracePeriodSeconds?: number;
}

/** How one container stops, in seconds from the deletion of its pod. */
export interface ContainerShutdown {
  /** The container name. */
  readonly container: string;
  /** The budget of its preStop hook (0 without a hook). */
  readonly preStopBudgetSeconds: number;
  /** Seconds the app needs after SIGTERM (its shutdown reserve). */
  readonly shutdownReserveSeconds: number;
  /** When the kubelet sends SIGTERM: after the preStop hook, cut at the grace period (0 without a hook). */
  readonly sigtermAtSeconds: number;
  /**
   * When the kubelet sends SIGKILL: at the end of the grace period, or 2 s after SIGTERM when the hook left less
   * (`minimumGracePeriodInSeconds`).
   */
  readonly sigkillAtSeconds: number;
  /** Worst case until the container has stopped: SIGTERM plus the shutdown reserve, cut at SIGKILL. */
  readonly stopSeconds: number;
  /** Whether the grace period cuts the hook or the shutdown reserve short (`lifecycle-prestop-exceeds-grace`). */
  readonly cut: boolean;
}

/** How one pod stops: every regular container, and the pod as a whole. */
export interface PodShutdown {
  /** The grace period the kubelet counts down (`terminationGracePeriodSeconds`, 30 s when absent). */
  readonly gracePeriodSeconds: number;
  /** Every regular container, in the order of the pod spec. */
  readonly containers: readonly ContainerShutdown[];
  /** Worst-case seconds one pod takes to stop: the largest `stopSeconds` of its containers (stopped in parallel). */
  readonly podStopSeconds: number;
  /**
   * The container that takes `podStopSeconds`.
   *
   * @default - the pod has no container
   */
  readonly slowestContainer?: string;
}

/** The worst-case stop of a pod whose hook budgets and shutdown reserves are known. */
export function planPodShutdown(input: PlanPodShutdownInput): PodShutdown {
  const grace = input.terminationGracePeriodSeconds ?? DEFAULTS.kubernetesTerminationGracePeriodSeconds;
  const containers = input.containers.map((c): ContainerShutdown => {
    const budget = c.preStopSeconds ?? 0;
    const reserve = c.shutdownReserveSeconds ?? DEFAULTS.shutdownReserveSeconds;
    // with a grace period of 0 the kubelet skips preStop; otherwise it stops waiting for the hook at the deadline
    const sigterm = grace > 0 ? Math.min(budget, grace) : 0;
    const sigkill = sigterm + Math.max(MINIMUM_GRACE_SECONDS, grace - sigterm);
    return {
      container: c.name,
      preStopBudgetSeconds: budget,
      shutdownReserveSeconds: reserve,
      sigtermAtSeconds: sigterm,
      sigkillAtSeconds: sigkill,
      stopSeconds: Math.min(sigterm + reserve, sigkill),
      cut: (grace > 0 && budget > grace) || sigterm + reserve > sigkill,
    };
  });
  let slowest: ContainerShutdown | undefined;
  for (const c of containers) if (slowest === undefined || c.stopSeconds > slowest.stopSeconds) slowest = c;
  return {
    gracePeriodSeconds: grace,
    containers,
    podStopSeconds: slowest?.stopSeconds ?? 0,
    ...(slowest !== undefined ? { slowestContainer: slowest.container } : {}),
  };
}

/** What a rollout of a workload waits for while its old pods terminate. */
export interface RolloutTerminations {
  /** The kind of the workload (`Deployment`, `StatefulSet`). */
  readonly kind: string;
  /** The update strategy as written, or the Kubernetes default (`RollingUpdate`). */
  readonly strategy: string;
  /** How many pod terminations the rollout waits for, one after another. */
  readonly sequentialTerminations: number;
  /** Worst-case seconds the rollout spends waiting on terminations: `sequentialTerminations` × the pod's stop time. */
  readonly terminationWaitSeconds: number;
  /** Why, in one sentence, with the upstream code it rests on. */
  readonly basis: string;
}

/** The fields of a workload spec that decide how its rollout waits on terminations. */
export interface WorkloadRolloutSpec {
  /**
   * `spec.replicas`.
   *
   * @default - not written (an autoscaler sets it; Kubernetes defaults it to 1)
   */
  readonly replicas?: number;
  /**
   * `spec.strategy.type` (Deployment) or `spec.updateStrategy.type` (StatefulSet).
   *
   * @default RollingUpdate
   */
  readonly strategy?: string;
  /**
   * `spec.updateStrategy.rollingUpdate.partition` (StatefulSet).
   *
   * @default 0
   */
  readonly partition?: number;
}

const STATEFUL_SET_BASIS =
  'the StatefulSet controller replaces one pod at a time, from the highest ordinal down to the partition, and deletes the next only when ' +
  'the previous one has terminated and its replacement is available, with either podManagementPolicy (stateful_set_control.go ' +
  'updateStatefulSet; more at once needs maxUnavailable and the MaxUnavailableStatefulSet feature gate, off by default before 1.35)';
const ON_DELETE_BASIS = 'with OnDelete the controller replaces a pod only when you delete it: the rollout waits on nothing';
const RECREATE_BASIS =
  'with Recreate the Deployment controller scales the old ReplicaSets to 0 and creates new pods only when no old pod is left, ' +
  'so the rollout waits once for the old pods, which stop in parallel (deployment/recreate.go oldPodsRunning)';
const ROLLING_DEPLOYMENT_BASIS =
  'a Deployment rolling update does not wait for old pods to finish terminating: ReplicaSets count only pods that are not terminating ' +
  '(replica_set.go, controller.FilterActivePods), so new pods start while old ones stop';

/**
 * How a rollout of a `Deployment` or a `StatefulSet` waits on the termination of its old pods, given how long one pod
 * takes to stop; `undefined` for other kinds (a DaemonSet replaces pods node by node, a Job or CronJob has no rollout),
 * and for a StatefulSet rolling update whose replica count is not written (an autoscaler's).
 */
export function rolloutTerminations(kind: string, spec: WorkloadRolloutSpec, podStopSeconds: number): RolloutTerminations | undefined {
  const strategy = spec.strategy ?? 'RollingUpdate';
  const result = (n: number, basis: string): RolloutTerminations => ({
    kind,
    strategy,
    sequentialTerminations: n,
    terminationWaitSeconds: n * podStopSeconds,
    basis,
  });
  if (kind === 'StatefulSet') {
    if (strategy === 'OnDelete') return result(0, ON_DELETE_BASIS);
    if (spec.replicas === undefined) return undefined;
    return result(Math.max(0, spec.replicas - (spec.partition ?? 0)), STATEFUL_SET_BASIS);
  }
  if (kind === 'Deployment') {
    return strategy === 'Recreate' ? result(spec.replicas === 0 ? 0 : 1, RECREATE_BASIS) : result(0, ROLLING_DEPLOYMENT_BASIS);
  }
  return undefined;
}
