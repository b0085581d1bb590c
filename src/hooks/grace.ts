import { DEFAULTS } from '../defaults';

/** `minimumGracePeriodInSeconds` of the kubelet: what is left for SIGTERM when preStop used the whole grace period. */
export const MINIMUM_GRACE_SECONDS = 2;

/** One container's preStop budget, as the grace-period planner needs it. */
export interface PreStopBudget {
  /** The container name. */
  readonly container: string;
  /** Seconds the preStop hook may take. */
  readonly seconds: number;
  /**
   * Seconds the app needs after SIGTERM.
   *
   * @default - DEFAULTS.shutdownReserveSeconds
   */
  readonly shutdownReserveSeconds?: number;
}

/** Options for `planTerminationGracePeriod`. */
export interface PlanTerminationGracePeriodOptions {
  /** The preStop budget of every container that has a preStop hook. */
  readonly preStopBudgets: readonly PreStopBudget[];
  /**
   * The grace period the author set.
   *
   * @default - derived from the hooks
   */
  readonly terminationGracePeriodSeconds?: number;
}

/** The grace period to write into `terminationGracePeriodSeconds`, and what it has to hold. */
export interface TerminationGracePeriodPlan {
  /** The value to write: the author's, or the derived one. */
  readonly seconds: number;
  /** Whether the value was derived (the author set none). */
  readonly derived: boolean;
  /** The largest `budget + reserve` over the containers (0 without preStop hooks). */
  readonly requiredSeconds: number;
  /**
   * The container that needs `requiredSeconds`.
   *
   * @default - no container has a preStop hook
   */
  readonly container?: string;
}

/**
 * Whether a preStop hook that needs `requiredSeconds` (its budget plus the app's shutdown reserve) does not fit in the
 * grace period `grace` (absent: the 30 s Kubernetes applies). With 0 the kubelet skips preStop hooks altogether.
 */
export function exceedsGrace(requiredSeconds: number, grace: number | undefined): boolean {
  const effective = grace ?? DEFAULTS.kubernetesTerminationGracePeriodSeconds;
  return requiredSeconds > effective || effective === 0;
}

/**
 * Computes `terminationGracePeriodSeconds` for a pod. When the author sets none, the value is derived as the largest
 * preStop `budget + reserve`, but never below the Kubernetes default of 30 s, so that a hook never shortens the
 * shutdown an app had without it; the value is always meant to be written explicitly. An author's value is kept as it
 * is: whether the hooks fit in it is for the judge to say (`lifecycle-prestop-exceeds-grace`, with `exceedsGrace`).
 */
export function planTerminationGracePeriod(options: PlanTerminationGracePeriodOptions): TerminationGracePeriodPlan {
  let worst: { container: string; required: number } | undefined;
  for (const b of options.preStopBudgets) {
    const required = b.seconds + (b.shutdownReserveSeconds ?? DEFAULTS.shutdownReserveSeconds);
    if (worst === undefined || required > worst.required) worst = { container: b.container, required };
  }
  const requiredSeconds = worst?.required ?? 0;
  const declared = options.terminationGracePeriodSeconds;
  return {
    seconds: declared ?? Math.max(requiredSeconds, DEFAULTS.kubernetesTerminationGracePeriodSeconds),
    derived: declared === undefined,
    requiredSeconds,
    ...(worst !== undefined ? { container: worst.container } : {}),
  };
}
