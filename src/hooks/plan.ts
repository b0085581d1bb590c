import { DEFAULTS } from '../defaults';
import type { ContainerHookBudgets } from './budget';
import { HOOK_BUDGETS_ANNOTATION, formatHookBudgetAnnotation } from './budget';
import type { TerminationGracePeriodPlan } from './grace';
import { planTerminationGracePeriod } from './grace';
import type { LifecycleHooks } from './hook';
import { hookBudgetsOf, renderLifecycle } from './hook';
import type { LifecycleJson } from './types';
import { HookPosition } from './types';

/** One container's hooks, as an entry point gives them to `planPodHooks`. */
export interface ContainerHooksInput {
  /** The container name. */
  readonly name: string;
  /** The container's hooks. */
  readonly hooks: LifecycleHooks;
  /**
   * Seconds the app needs after SIGTERM, inside the grace period.
   *
   * @default - DEFAULTS.shutdownReserveSeconds
   */
  readonly shutdownReserveSeconds?: number;
}

/** Options for `planPodHooks`. */
export interface PlanPodHooksOptions {
  /**
   * The grace period the author set.
   *
   * @default - derived from the preStop budgets (at least 30)
   */
  readonly terminationGracePeriodSeconds?: number;
}

/** What an entry point writes for a pod's hooks. */
export interface PodHooksPlan {
  /** `lifecycle` JSON by container name (containers without hooks are absent). */
  readonly lifecycles: ReadonlyMap<string, LifecycleJson>;
  /** The annotations to add to the object (`safe-pods.cdk8s.io/hook-budgets`), empty without hooks or reserves. */
  readonly annotations: Readonly<Record<string, string>>;
  /** The grace period to write. */
  readonly gracePeriod: TerminationGracePeriodPlan;
}

/**
 * Renders every container's hooks, records their budgets (and shutdown reserves that differ from the default) in the
 * budgets annotation, and plans `terminationGracePeriodSeconds`. It computes; the rule catalogue judges the result
 * (what the target version runs, whether the budgets fit in the grace period).
 */
export function planPodHooks(containers: readonly ContainerHooksInput[], options: PlanPodHooksOptions = {}): PodHooksPlan {
  const lifecycles = new Map<string, LifecycleJson>();
  const budgets: Record<string, ContainerHookBudgets> = {};
  const preStopBudgets = [];
  for (const c of containers) {
    const reserve = c.shutdownReserveSeconds;
    // the reserve is recorded only when it differs from the default, so the rule reads the same number
    const recordedReserve = reserve !== undefined && reserve !== DEFAULTS.shutdownReserveSeconds ? reserve : undefined;
    const lifecycle = renderLifecycle(c.hooks);
    if (lifecycle !== undefined) lifecycles.set(c.name, lifecycle);
    const declared = hookBudgetsOf(c.hooks, recordedReserve);
    if (Object.keys(declared).length > 0) budgets[c.name] = declared;
    const preStop = c.hooks.preStop?.budgetSeconds(HookPosition.PRE_STOP);
    if (preStop !== undefined) preStopBudgets.push({ container: c.name, seconds: preStop, shutdownReserveSeconds: reserve });
  }
  const annotation = formatHookBudgetAnnotation(budgets);
  return {
    lifecycles,
    annotations: annotation === undefined ? {} : { [HOOK_BUDGETS_ANNOTATION]: annotation },
    gracePeriod: planTerminationGracePeriod({ preStopBudgets, terminationGracePeriodSeconds: options.terminationGracePeriodSeconds }),
  };
}
