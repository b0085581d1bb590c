/**
 * The resources a pod is accounted for by the scheduler and by ResourceQuota: `resourcehelper.PodRequests`
 * (`k8s pkg/api/v1/resource/helpers.go`, `k8s.io/component-helpers/resource`), with the pod overhead a RuntimeClass
 * adds at admission (KEP-688).
 */
import { ResourceQuantity } from '../k8s/quantity';
import type { ContainerJson, PodSpecJson, RuntimeClassFacts } from '../k8s/shapes';

/** Resource name to quantity, e.g. `{ cpu: 250m, memory: 120Mi }`. */
export type ResourceQuantities = Readonly<Record<string, ResourceQuantity>>;

function parseList(list: Readonly<Record<string, string | number>> | undefined): Record<string, ResourceQuantity> {
  const out: Record<string, ResourceQuantity> = {};
  for (const [k, v] of Object.entries(list ?? {})) out[k] = ResourceQuantity.fromJson(v);
  return out;
}

/** A container's requests after defaulting: a limit without a request becomes the request (`SetDefaults_Pod`). */
export function containerRequests(container: ContainerJson): ResourceQuantities {
  const requests = parseList(container.resources?.requests);
  const limits = parseList(container.resources?.limits);
  for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
  return requests;
}

function addInto(list: Record<string, ResourceQuantity>, add: ResourceQuantities): void {
  for (const [k, v] of Object.entries(add)) list[k] = k in list ? list[k].plus(v) : v;
}

function maxInto(list: Record<string, ResourceQuantity>, other: ResourceQuantities): void {
  for (const [k, v] of Object.entries(other)) if (!(k in list) || v.cmp(list[k]) > 0) list[k] = v;
}

/**
 * What the scheduler and quotas count for a pod, per resource:
 * `max(sum(containers) + sum(sidecars), max over init containers i of (init_i + sidecars started before i)) + overhead`.
 *
 * Sidecars are init containers with `restartPolicy: Always` (Kubernetes 1.28+). Limits stand in for missing requests,
 * as defaulting does. The overhead is the RuntimeClass's `overhead.podFixed` when a class is given and defines one
 * (admission copies it into the pod), otherwise the pod's own `spec.overhead`. Throws `QuantityError` for a value
 * that is not a quantity.
 */
export function effectiveRequests(podSpec: PodSpecJson, runtimeClass?: RuntimeClassFacts): ResourceQuantities {
  const reqs: Record<string, ResourceQuantity> = {};
  for (const c of podSpec.containers ?? []) addInto(reqs, containerRequests(c));
  const sidecars: Record<string, ResourceQuantity> = {};
  const initMax: Record<string, ResourceQuantity> = {};
  for (const c of podSpec.initContainers ?? []) {
    const own = containerRequests(c);
    let use: ResourceQuantities;
    if (c.restartPolicy === 'Always') {
      addInto(reqs, own);
      addInto(sidecars, own);
      use = { ...sidecars };
    } else {
      const tmp: Record<string, ResourceQuantity> = {};
      addInto(tmp, own);
      addInto(tmp, sidecars);
      use = tmp;
    }
    maxInto(initMax, use);
  }
  maxInto(reqs, initMax);
  const overhead = runtimeClass?.podFixedOverhead !== undefined ? runtimeClass.podFixedOverhead : podSpec.overhead;
  if (overhead !== undefined && overhead !== null) addInto(reqs, parseList(overhead));
  return reqs;
}

/** `effectiveRequests` as canonical strings, e.g. `{ cpu: "350m", memory: "248Mi" }`. */
export function effectiveRequestStrings(podSpec: PodSpecJson, runtimeClass?: RuntimeClassFacts): Readonly<Record<string, string>> {
  return Object.fromEntries(Object.entries(effectiveRequests(podSpec, runtimeClass)).map(([k, v]) => [k, v.toString()]));
}
