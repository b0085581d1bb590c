/**
 * What a safe construct tells about its pods besides the findings: the service-link variables the kubelet injects
 * (`serviceLinkEnv()`) and how its pods stop (`shutdownPlan()`). Both read the object as it would be synthesized now
 * and the app around it, the way the judge does, and compute with the domain modules; they judge nothing.
 */
import { ApiObject } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { DEFAULTS } from '../defaults';
import { HOOK_BUDGETS_ANNOTATION, parseHookBudgetAnnotation, readHookBudget } from '../hooks/budget';
import type { ContainerStopInput, PodShutdown, RolloutTerminations } from '../hooks/shutdown';
import { planPodShutdown, rolloutTerminations } from '../hooks/shutdown';
import { HookPosition } from '../hooks/types';
import { decodeLifecycle } from '../hooks/validate';
import type { JsonObject, LifecycleHandlerJson } from '../k8s/shapes';
import { judgeContextFor } from './_app-facts';
import { judgeModules } from './_judge';
import { PodSafety } from './_pod-safety';
import { serviceLinkEnv } from './service-facts';
import { SafePodsSettings } from './settings';

export type { ContainerShutdown, PodShutdown, RolloutTerminations } from '../hooks/shutdown';

/** How the pods of a safe construct stop, and how long a rollout of the workload waits on their terminations. */
export interface ShutdownPlan extends PodShutdown {
  /**
   * For a `Deployment` or a `StatefulSet`: how a rollout waits on the termination of the old pods (for a
   * StatefulSet rolling update, one pod after another: replicas × `podStopSeconds`).
   *
   * @default - no rollout figure: a Pod, a DaemonSet (replaced node by node), a Job or CronJob (no rollout), or a
   * StatefulSet whose replica count is left to an autoscaler
   */
  readonly rollout?: RolloutTerminations;
}

/**
 * The variables the kubelet injects into every container of the construct's pods (`FOO_SERVICE_HOST`,
 * `FOO_PORT=tcp://...`), given every Service of the app: those of the pod's namespace when links are on, and
 * `default/kubernetes` always. The Services are the ones the judge sees (`judgeContextFor`).
 */
export function serviceLinkEnvOf(owner: kplus.AbstractPod): Record<string, string> {
  const services = judgeContextFor(owner, SafePodsSettings.of(owner)).services ?? [];
  return serviceLinkEnv(services, {
    podNamespace: ApiObject.of(owner).metadata.namespace,
    enableServiceLinks: PodSafety.of(owner).enableServiceLinks,
  });
}

/** The handler the kubelet runs (exec, then httpGet, then sleep); `undefined` for one it fails at once (tcpSocket). */
function runnable(handler: LifecycleHandlerJson): LifecycleHandlerJson | undefined {
  if (handler.exec) return { exec: handler.exec };
  if (handler.httpGet) return { httpGet: handler.httpGet };
  if (handler.sleep) return { sleep: handler.sleep };
  return undefined;
}

function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

function at(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const key of path) cur = cur !== null && typeof cur === 'object' ? (cur as JsonObject)[key] : undefined;
  return cur;
}

/**
 * How the construct's pods stop, read from the object as it would be synthesized now: each regular container's
 * preStop budget as the judge reads it (what the hook shows, else the `safe-pods.cdk8s.io/hook-budgets` annotation,
 * else the default; a hook the target version does not run counts as none), its shutdown reserve, and the grace
 * period written; plus, for a Deployment or StatefulSet, how a rollout waits on the terminations.
 */
export function shutdownPlanOf(owner: kplus.AbstractPod): ShutdownPlan {
  const json = PodSafety.of(owner).toJson();
  const subject = judgeModules().subjectsOf(json)[0];
  if (subject === undefined) return planPodShutdown({ containers: [] });
  const version = SafePodsSettings.of(owner).kubernetesVersion;
  const declared = parseHookBudgetAnnotation(subject.annotations[HOOK_BUDGETS_ANNOTATION]).budgets;
  const containers: ContainerStopInput[] = [];
  for (const ref of subject.containers) {
    if (ref.list !== 'containers' || ref.name === undefined) continue;
    const budgets = declared.get(ref.name) ?? {};
    const preStop = decodeLifecycle(ref.container.lifecycle, version)?.preStop;
    const runs = preStop !== undefined ? runnable(preStop) : undefined;
    containers.push({
      name: ref.name,
      // a hook the kubelet has no runner for (tcpSocket) fails at once and takes no time
      ...(preStop !== undefined ? { preStopSeconds: runs ? readHookBudget(runs, HookPosition.PRE_STOP, budgets.preStop).seconds : 0 } : {}),
      shutdownReserveSeconds: budgets.shutdownReserve ?? DEFAULTS.shutdownReserveSeconds,
    });
  }
  const pod = planPodShutdown({ containers, terminationGracePeriodSeconds: num(subject.spec.terminationGracePeriodSeconds) });
  const strategy = at(json, ['spec', subject.kind === 'StatefulSet' ? 'updateStrategy' : 'strategy']);
  const rollout = rolloutTerminations(
    subject.kind,
    {
      replicas: num(at(json, ['spec', 'replicas'])),
      strategy: typeof at(strategy, ['type']) === 'string' ? (at(strategy, ['type']) as string) : undefined,
      partition: num(at(strategy, ['rollingUpdate', 'partition'])),
    },
    pod.podStopSeconds,
  );
  return rollout !== undefined ? { ...pod, rollout } : pod;
}
