/**
 * Rules over `spec.runtimeClassName` and what the RuntimeClass admission plugin does with it.
 *
 * Admission runs on Pods only. A workload template (Deployment, Job, ...) naming a missing class is accepted, and then
 * every Pod its controller creates is rejected (FailedCreate events, no Pods). That is the same mistake found later,
 * so these rules judge templates as they judge Pods; only the wording differs.
 */
import {
  nodeSelectorConflictMessage,
  OVERHEAD_MISMATCH_MESSAGE,
  OVERHEAD_WITHOUT_CLASS_MESSAGE,
  resourceListsEqual,
} from '../runtime-class/admission';
import { invalidRuntimeClassNameMessage, unknownRuntimeClassMessage } from '../runtime-class/resolve';
import type { RuntimeClassFacts } from '../k8s/shapes';
import type { PodSubject, Rule, RuleFinding } from './types';
import { Severity } from './types';

function consequence(subject: PodSubject): string {
  return subject.isPod ? 'the API server rejects the Pod' : `the API server accepts the ${subject.kind} but rejects every Pod it creates`;
}

function nameOf(subject: PodSubject): string | undefined {
  const n = subject.spec.runtimeClassName;
  return typeof n === 'string' ? n : undefined;
}

/** The known class the pod names, when the judge knows the app's classes and the class's spec. */
function knownClass(subject: PodSubject, classes: ReadonlyMap<string, RuntimeClassFacts> | undefined): RuntimeClassFacts | undefined {
  const name = nameOf(subject);
  if (name === undefined || classes === undefined) return undefined;
  const facts = classes.get(name);
  // facts without a handler come from RuntimeClass.fromName: the class exists, its spec is unknown
  return facts && facts.handler !== undefined ? facts : undefined;
}

/** `runtime-class-name-invalid`. */
export const RUNTIME_CLASS_NAME_INVALID: Rule = {
  id: 'runtime-class-name-invalid',
  severity: Severity.ERROR,
  title: 'spec.runtimeClassName must be a RuntimeClass name (a DNS subdomain, never "")',
  reason:
    'ValidatePodSpec checks a present runtimeClassName with ValidateRuntimeClassName (NameIsDNSSubdomain), so "" and names with upper case ' +
    'or "_" are invalid (k8s pkg/apis/core/validation/validation.go); the kubelet treats an absent name as the default handler.',
  fix: 'Omit runtimeClassName for the default runtime, or use the metadata.name of a RuntimeClass',
  check(subject: PodSubject): RuleFinding[] {
    const name = nameOf(subject);
    if (name === undefined) return [];
    const msg = invalidRuntimeClassNameMessage('runtimeClassName', name);
    return msg ? [{ field: `${subject.podSpecPath}.runtimeClassName`, message: msg }] : [];
  },
};

/** `runtime-class-unknown`. */
export const RUNTIME_CLASS_UNKNOWN: Rule = {
  id: 'runtime-class-unknown',
  severity: Severity.ERROR,
  title: 'spec.runtimeClassName must name a RuntimeClass that exists',
  reason:
    'The RuntimeClass admission plugin rejects a Pod whose class does not exist: Forbidden \'pod rejected: RuntimeClass "x" not found\' ' +
    '(k8s plugin/pkg/admission/runtimeclass/admission.go). Templates are not checked, so their controllers fail to create Pods instead. ' +
    'A handler name (runsc, kata-qemu) where the class name belongs is the usual cause.',
  fix: 'Name a RuntimeClass defined in the app, or declare one the cluster provides with RuntimeClass.fromName(name)',
  check(subject: PodSubject, ctx): RuleFinding[] {
    const name = nameOf(subject);
    if (name === undefined || ctx.runtimeClasses === undefined || invalidRuntimeClassNameMessage('x', name) !== undefined) return [];
    if (ctx.runtimeClasses.has(name)) return [];
    const message = unknownRuntimeClassMessage('runtimeClassName', name, ctx.runtimeClasses, consequence(subject));
    return [{ field: `${subject.podSpecPath}.runtimeClassName`, message }];
  },
};

/** `runtime-class-node-selector-conflict`. */
export const RUNTIME_CLASS_NODE_SELECTOR_CONFLICT: Rule = {
  id: 'runtime-class-node-selector-conflict',
  severity: Severity.ERROR,
  title: "The pod's nodeSelector must not contradict its RuntimeClass's scheduling.nodeSelector",
  reason:
    "Admission merges the class's scheduling.nodeSelector into the pod's; a key with another value is Forbidden: 'conflict: " +
    "runtimeClass.scheduling.nodeSelector[k] = a; pod.spec.nodeSelector[k] = b' (k8s plugin/pkg/admission/runtimeclass/admission.go setScheduling).",
  fix: "Remove the key from the pod's nodeSelector (admission adds the class's value) or give it the class's value",
  check(subject: PodSubject, ctx): RuleFinding[] {
    const rc = knownClass(subject, ctx.runtimeClasses);
    const pod = subject.spec.nodeSelector;
    if (!rc || !rc.nodeSelector || !pod) return [];
    const out: RuleFinding[] = [];
    for (const [key, want] of Object.entries(rc.nodeSelector)) {
      if (!Object.prototype.hasOwnProperty.call(pod, key) || pod[key] === want) continue;
      out.push({
        field: `${subject.podSpecPath}.nodeSelector[${JSON.stringify(key)}]`,
        message:
          `nodeSelector[${JSON.stringify(key)}] is ${JSON.stringify(pod[key])} but RuntimeClass ${JSON.stringify(rc.name)} requires ${JSON.stringify(want)}, ` +
          `so ${consequence(subject)} ('${nodeSelectorConflictMessage(key, want, pod[key])}'); remove the key or set it to ${JSON.stringify(want)}`,
      });
    }
    return out;
  },
};

/** `runtime-class-overhead-mismatch`. */
export const RUNTIME_CLASS_OVERHEAD_MISMATCH: Rule = {
  id: 'runtime-class-overhead-mismatch',
  severity: Severity.ERROR,
  title: 'spec.overhead is set by admission from the RuntimeClass; a pod must not set another one',
  reason:
    'The RuntimeClass admission plugin copies overhead.podFixed into spec.overhead and rejects a pod whose own overhead differs ("Pod\'s Overhead ' +
    'doesn\'t match RuntimeClass\'s defined Overhead") or that sets one without a class overhead ("Pod Overhead set without corresponding ' +
    'RuntimeClass defined Overhead"), k8s plugin/pkg/admission/runtimeclass/admission.go setOverhead/validateOverhead.',
  fix: 'Remove spec.overhead; put the overhead on the RuntimeClass (overhead.podFixed)',
  check(subject: PodSubject, ctx): RuleFinding[] {
    const overhead = subject.spec.overhead;
    if (overhead === undefined || overhead === null) return [];
    const field = `${subject.podSpecPath}.overhead`;
    const shown = JSON.stringify(overhead);
    const name = nameOf(subject);
    if (name === undefined) {
      return [
        {
          field,
          message: `overhead ${shown} is set without a runtimeClassName, so ${consequence(subject)} ('${OVERHEAD_WITHOUT_CLASS_MESSAGE}'); remove spec.overhead`,
        },
      ];
    }
    const rc = knownClass(subject, ctx.runtimeClasses);
    if (!rc) return [];
    if (rc.podFixedOverhead === undefined) {
      return [
        {
          field,
          message: `overhead ${shown} is set but RuntimeClass ${JSON.stringify(rc.name)} defines no overhead, so ${consequence(subject)} ('${OVERHEAD_WITHOUT_CLASS_MESSAGE}'); remove spec.overhead or set overhead.podFixed on the RuntimeClass`,
        },
      ];
    }
    if (Object.keys(overhead).length > 0 && !resourceListsEqual(rc.podFixedOverhead, overhead)) {
      return [
        {
          field,
          message: `overhead ${shown} differs from RuntimeClass ${JSON.stringify(rc.name)} overhead.podFixed ${JSON.stringify(rc.podFixedOverhead)}, so ${consequence(subject)} ('${OVERHEAD_MISMATCH_MESSAGE}'); remove spec.overhead, admission copies the class's`,
        },
      ];
    }
    return [];
  },
};

/** The RuntimeClass rules, in catalogue order. */
export const RUNTIME_CLASS_RULES: readonly Rule[] = Object.freeze([
  RUNTIME_CLASS_NAME_INVALID,
  RUNTIME_CLASS_UNKNOWN,
  RUNTIME_CLASS_NODE_SELECTOR_CONFLICT,
  RUNTIME_CLASS_OVERHEAD_MISMATCH,
]);
