import { DEFAULTS } from '../defaults';
import { ManifestError } from '../k8s/errors';
import type { KubernetesVersion } from '../k8s/version';
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
  /** The target Kubernetes version. */
  readonly version: KubernetesVersion;
  /**
   * The grace period the author set.
   *
   * @default - derived from the PreStop budgets (at least 30)
   */
  readonly terminationGracePeriodSeconds?: number;
}

/** What an entry point writes for a pod's hooks. */
export interface PodHooksPlan {
  /** `lifecycle` JSON by container name (containers without hooks are absent). */
  readonly lifecycles: ReadonlyMap<string, LifecycleJson>;
  /** The annotations to add to the object (`safe-pods.cdk8s.io/hook-budgets`), empty without hooks. */
  readonly annotations: Readonly<Record<string, string>>;
  /** The grace period to write (`ok`), or why the author's value is too short. */
  readonly gracePeriod: TerminationGracePeriodPlan;
}

/**
 * Renders every container's hooks for the target version, records their budgets in the budgets annotation and
 * plans `terminationGracePeriodSeconds`. Throws `ManifestError` for a hook the target cannot run; a too-short
 * grace period is returned in `gracePeriod` (so the caller can report it with its construct path).
 */
export function planPodHooks(containers: readonly ContainerHooksInput[], options: PlanPodHooksOptions): PodHooksPlan {
  const lifecycles = new Map<string, LifecycleJson>();
  const budgets: Record<string, ContainerHookBudgets> = {};
  const preStopBudgets = [];
  for (const c of containers) {
    const reserve = c.shutdownReserveSeconds;
    if (reserve !== undefined && (!Number.isInteger(reserve) || reserve < 0)) {
      throw new ManifestError(
        `container ${JSON.stringify(c.name)}: shutdownReserveSeconds ${JSON.stringify(reserve)} is not a whole number of seconds; give e.g. 10`,
      );
    }
    let lifecycle: LifecycleJson | undefined;
    try {
      lifecycle = renderLifecycle(c.hooks, options.version);
    } catch (e) {
      if (e instanceof ManifestError) throw new ManifestError(`container ${JSON.stringify(c.name)}: ${e.message}`, e.field);
      throw e;
    }
    if (lifecycle === undefined) continue;
    lifecycles.set(c.name, lifecycle);
    // the reserve is recorded only when it differs from the default, so the rule reads the same number
    const recordedReserve = reserve !== undefined && reserve !== DEFAULTS.shutdownReserveSeconds ? reserve : undefined;
    budgets[c.name] = hookBudgetsOf(c.hooks, recordedReserve);
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
