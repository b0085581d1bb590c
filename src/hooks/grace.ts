import { DEFAULTS } from '../defaults';

/** `minimumGracePeriodInSeconds` of the kubelet: what is left for SIGTERM when PreStop used the whole grace period. */
const MINIMUM_GRACE_SECONDS = 2;

/** One container's PreStop budget, as the grace-period planner needs it. */
export interface PreStopBudget {
  /** The container name. */
  readonly container: string;
  /** Seconds the PreStop hook may take. */
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
  /** The PreStop budget of every container that has a PreStop hook. */
  readonly preStopBudgets: readonly PreStopBudget[];
  /**
   * The grace period the author set.
   *
   * @default - derived from the hooks
   */
  readonly terminationGracePeriodSeconds?: number;
}

/** A grace period that fits every PreStop hook: the value to write into `terminationGracePeriodSeconds`. */
export interface GracePeriodFits {
  /** Always `true`: the hook budgets fit in the grace period. */
  readonly ok: true;
  /** The value to emit. */
  readonly seconds: number;
  /** Whether the value was derived (the author set none). */
  readonly derived: boolean;
  /** The largest `budget + reserve` over the containers (0 without PreStop hooks). */
  readonly requiredSeconds: number;
}

/** A grace period that is too short for some PreStop hook. */
export interface GracePeriodTooShort {
  /** Always `false`: the hook budgets do not fit in the grace period. */
  readonly ok: false;
  /** One sentence with the numbers (no object path; entry points prefix it). */
  readonly message: string;
  /** The container that needs the most time. */
  readonly container: string;
  /** The largest `budget + reserve` over the containers. */
  readonly requiredSeconds: number;
}

/** What `planTerminationGracePeriod` decides. */
export type TerminationGracePeriodPlan = GracePeriodFits | GracePeriodTooShort;

/**
 * The sentence for a PreStop hook whose budget and shutdown reserve do not fit in the grace period.
 * `grace` undefined means the field is absent (Kubernetes then applies 30).
 */
export function preStopExceedsGraceMessage(container: string, budget: number, reserve: number, grace: number | undefined): string {
  const need = budget + reserve;
  const effective = grace ?? DEFAULTS.kubernetesTerminationGracePeriodSeconds;
  const graceText =
    grace === undefined
      ? `the ${effective} s Kubernetes applies when terminationGracePeriodSeconds is absent`
      : `terminationGracePeriodSeconds ${grace}${grace === 0 ? ' (with 0 the kubelet skips PreStop hooks altogether)' : ''}`;
  const consequence =
    budget >= effective
      ? `so the kubelet cuts the hook off at ${effective} s and leaves the app ${MINIMUM_GRACE_SECONDS} s after SIGTERM`
      : `so a hook that uses its budget leaves the app ${Math.max(MINIMUM_GRACE_SECONDS, effective - budget)} s after SIGTERM`;
  return (
    `container ${JSON.stringify(container)}: preStop budget ${budget} s + shutdown reserve ${reserve} s = ${need} s does not fit in ${graceText}, ` +
    `${consequence}; ` +
    `set terminationGracePeriodSeconds to at least ${need} or shorten the preStop hook`
  );
}

/**
 * Decides `terminationGracePeriodSeconds` for a pod: every container's PreStop budget plus its shutdown reserve
 * must fit in it (the kubelet starts the grace countdown before PreStop and cuts the hook off at the deadline).
 * When the author sets none, the value is derived as the largest `budget + reserve`, but never below the
 * Kubernetes default of 30 s, so that a hook never shortens the shutdown an app had without it; the value is
 * always meant to be written explicitly. When the author's value is too short, the plan carries the error.
 */
export function planTerminationGracePeriod(options: PlanTerminationGracePeriodOptions): TerminationGracePeriodPlan {
  let worst: { container: string; budget: number; reserve: number } | undefined;
  for (const b of options.preStopBudgets) {
    const reserve = b.shutdownReserveSeconds ?? DEFAULTS.shutdownReserveSeconds;
    if (worst === undefined || b.seconds + reserve > worst.budget + worst.reserve) worst = { container: b.container, budget: b.seconds, reserve };
  }
  const required = worst ? worst.budget + worst.reserve : 0;
  const declared = options.terminationGracePeriodSeconds;
  if (declared === undefined) {
    return { ok: true, seconds: Math.max(required, DEFAULTS.kubernetesTerminationGracePeriodSeconds), derived: true, requiredSeconds: required };
  }
  if (worst !== undefined && (required > declared || declared === 0)) {
    return {
      ok: false,
      container: worst.container,
      requiredSeconds: required,
      message: preStopExceedsGraceMessage(worst.container, worst.budget, worst.reserve, declared),
    };
  }
  return { ok: true, seconds: declared, derived: false, requiredSeconds: required };
}
