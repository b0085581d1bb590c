/**
 * The RuntimeClass admission plugin (`k8s plugin/pkg/admission/runtimeclass/admission.go`) as a pure function:
 * what the API server does to a Pod that is created with a `runtimeClassName`.
 */
import { ResourceQuantity } from '../k8s/quantity';
import type { TolerationJson } from '../k8s/tolerations';
import { mergeTolerations } from '../k8s/tolerations';
import type { JsonObject, PodSpecJson, RuntimeClassFacts } from '../k8s/shapes';

/** Why the admission plugin refused a Pod. */
export enum AdmissionRejectionKind {
  /** `prepareObjects`: the named RuntimeClass does not exist. */
  RUNTIME_CLASS_NOT_FOUND = 'RuntimeClassNotFound',
  /** `setOverhead`/`validateOverhead`: the pod's `overhead` differs from the class's `overhead.podFixed`. */
  OVERHEAD_MISMATCH = 'OverheadMismatch',
  /** `validateOverhead`: the pod sets `overhead` but its class defines none (or it has no class). */
  OVERHEAD_WITHOUT_RUNTIME_CLASS_OVERHEAD = 'OverheadWithoutRuntimeClassOverhead',
  /** `setScheduling`: a key of the class's node selector has another value in the pod's. */
  NODE_SELECTOR_CONFLICT = 'NodeSelectorConflict',
}

/** A Forbidden admission error, with the upstream message. */
export interface AdmissionRejection {
  /** What went wrong. */
  readonly kind: AdmissionRejectionKind;
  /** The upstream message, e.g. `pod rejected: RuntimeClass "kata" not found`. */
  readonly message: string;
  /** The pod field concerned, relative to the pod spec (`runtimeClassName`, `overhead`, `nodeSelector`). */
  readonly field: string;
  /**
   * For node selector conflicts: the key.
   *
   * @default - not a node selector conflict
   */
  readonly key?: string;
}

/** The outcome of admission: the mutated pod spec, or the Forbidden error. */
export interface AdmissionResult {
  /** Whether the Pod is admitted. */
  readonly admitted: boolean;
  /**
   * The pod spec after admission (overhead, node selector and tolerations from the class), when admitted.
   *
   * @default - not admitted
   */
  readonly podSpec?: PodSpecJson;
  /**
   * The error, when not admitted.
   *
   * @default - admitted
   */
  readonly rejection?: AdmissionRejection;
}

/** Upstream message of `setOverhead`/`validateOverhead` when the overheads differ. */
export const OVERHEAD_MISMATCH_MESSAGE = "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";
/** Upstream message of `validateOverhead` when the class defines no overhead. */
export const OVERHEAD_WITHOUT_CLASS_MESSAGE = 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead';

/**
 * `apiequality.Semantic.DeepEqual` of two resource lists: same names, equal quantities (`1000m` equals `1`), and an
 * empty list equals an absent one. A value that does not parse equals nothing.
 */
export function resourceListsEqual(a: Readonly<Record<string, unknown>> | undefined, b: Readonly<Record<string, unknown>> | undefined): boolean {
  const ea = Object.entries(a ?? {});
  const eb = b ?? {};
  if (ea.length !== Object.keys(eb).length) return false;
  return ea.every(([k, v]) => {
    if (!Object.prototype.hasOwnProperty.call(eb, k)) return false;
    const qa = tryQuantity(v);
    const qb = tryQuantity(eb[k]);
    return qa !== undefined && qb !== undefined && qa.equals(qb);
  });
}

function tryQuantity(v: unknown): ResourceQuantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    return ResourceQuantity.fromJson(v);
  } catch {
    return undefined;
  }
}

/** The first node selector key whose value in the class differs from the pod's, as `setScheduling` finds it. */
export function nodeSelectorConflict(
  pod: Readonly<Record<string, string>> | undefined,
  runtimeClass: Readonly<Record<string, string>> | undefined,
): { readonly key: string; readonly runtimeClassValue: string; readonly podValue: string } | undefined {
  if (!pod || !runtimeClass) return undefined;
  for (const [key, runtimeClassValue] of Object.entries(runtimeClass)) {
    if (Object.prototype.hasOwnProperty.call(pod, key) && pod[key] !== runtimeClassValue) return { key, runtimeClassValue, podValue: pod[key] };
  }
  return undefined;
}

/** Upstream `setScheduling` conflict message. */
export function nodeSelectorConflictMessage(key: string, runtimeClassValue: string, podValue: string): string {
  return `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${runtimeClassValue}; pod.spec.nodeSelector[${key}] = ${podValue}`;
}

function reject(kind: AdmissionRejectionKind, message: string, field: string, key?: string): AdmissionResult {
  return { admitted: false, rejection: { kind, message, field, key } };
}

/**
 * What the RuntimeClass admission plugin does when a Pod is created (`Admit`, then `Validate`).
 *
 * `runtimeClass` is the class the pod's `runtimeClassName` names, or `undefined` when the cluster has no such class;
 * it is ignored when the pod names none. The first error wins, as in the API server. Admission runs on Pods only:
 * for a template, this is what happens to each Pod the controller creates from it.
 */
export function admitPod(podSpec: PodSpecJson, runtimeClass: RuntimeClassFacts | undefined): AdmissionResult {
  const name = podSpec.runtimeClassName;
  const rc = name === undefined || name === null ? undefined : runtimeClass;
  if (name !== undefined && name !== null && rc === undefined) {
    return reject(AdmissionRejectionKind.RUNTIME_CLASS_NOT_FOUND, `pod rejected: RuntimeClass ${JSON.stringify(name)} not found`, 'runtimeClassName');
  }
  let out: { -readonly [K in keyof PodSpecJson]: PodSpecJson[K] } = { ...podSpec };

  // Admit: setOverhead
  if (rc?.podFixedOverhead !== undefined) {
    if (Object.keys(podSpec.overhead ?? {}).length > 0 && !resourceListsEqual(rc.podFixedOverhead, podSpec.overhead)) {
      return reject(AdmissionRejectionKind.OVERHEAD_MISMATCH, OVERHEAD_MISMATCH_MESSAGE, 'overhead');
    }
    out.overhead = { ...rc.podFixedOverhead };
  }
  // Admit: setScheduling
  if (rc && (rc.nodeSelector !== undefined || rc.tolerations !== undefined)) {
    const conflict = nodeSelectorConflict(podSpec.nodeSelector, rc.nodeSelector);
    if (conflict) {
      return reject(
        AdmissionRejectionKind.NODE_SELECTOR_CONFLICT,
        nodeSelectorConflictMessage(conflict.key, conflict.runtimeClassValue, conflict.podValue),
        'nodeSelector',
        conflict.key,
      );
    }
    const nodeSelector = podSpec.nodeSelector === undefined ? rc.nodeSelector : { ...podSpec.nodeSelector, ...rc.nodeSelector };
    const tolerations = mergeTolerations(
      (podSpec.tolerations ?? []) as readonly TolerationJson[],
      (rc.tolerations ?? []) as readonly TolerationJson[],
    );
    out = {
      ...out,
      nodeSelector: nodeSelector as Record<string, string> | undefined,
      tolerations: tolerations.length > 0 ? (tolerations as JsonObject[]) : undefined,
    };
    if (out.nodeSelector === undefined) delete out.nodeSelector;
    if (out.tolerations === undefined) delete out.tolerations;
  }
  // Validate: validateOverhead
  if (rc?.podFixedOverhead !== undefined) {
    if (!resourceListsEqual(rc.podFixedOverhead, out.overhead))
      return reject(AdmissionRejectionKind.OVERHEAD_MISMATCH, OVERHEAD_MISMATCH_MESSAGE, 'overhead');
  } else if (podSpec.overhead !== undefined && podSpec.overhead !== null) {
    return reject(AdmissionRejectionKind.OVERHEAD_WITHOUT_RUNTIME_CLASS_OVERHEAD, OVERHEAD_WITHOUT_CLASS_MESSAGE, 'overhead');
  }
  return { admitted: true, podSpec: out };
}
