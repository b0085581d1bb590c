import * as kplus from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import type { PodShape, SafeContainerProps, SafePodSpecProps } from './_pod-safety';
import { PodSafety } from './_pod-safety';
import { withPodSafety } from './_safe-mixin';

export { MUTABLE_TAG_RULES } from './_pod-safety';
export type { SafeContainerProps, SafePodSpecProps } from './_pod-safety';
export type { ContainerShutdown, PodShutdown, RolloutTerminations, ShutdownPlan } from './_pod-views';
export type { ISafePodTemplate } from './_safe-mixin';

const SAFE_POD_SYMBOL = Symbol.for('cdk8s-safe-pods.SafePod');

/** Where a SafePod's object keeps its pod spec and metadata. */
const SAFE_POD_SHAPE: PodShape = Object.freeze({ construct: 'SafePod', spec: Object.freeze(['spec']), metadata: Object.freeze(['metadata']) });

/** Properties for `SafePod`: every cdk8s-plus `Pod` property, with safe containers, plus the library's pod props. */
export interface SafePodProps extends kplus.PodProps, SafePodSpecProps {
  /**
   * Containers of the pod. Each gets an explicit `imagePullPolicy` and the image rules.
   *
   * @default - no containers; add them with `addContainer` (a pod needs at least one)
   */
  readonly containers?: SafeContainerProps[];

  /**
   * Init containers of the pod, with the same rules as containers.
   *
   * @default - no init containers
   */
  readonly initContainers?: SafeContainerProps[];
}

/**
 * A cdk8s-plus `Pod` that cannot be synthesized with the classic container mistakes: every image pinned, every
 * container with an explicit `imagePullPolicy`, service links off unless asked for, and every rule of the
 * catalogue checked at synth time, with all findings reported together with this construct's path.
 *
 * It keeps the whole cdk8s-plus `Pod` API (containers, init containers, volumes, security context, scheduling);
 * containers added later with `addContainer`/`addInitContainer` get the same treatment. It is the pod-level
 * building block of the safe workloads, which share its implementation.
 */
export class SafePod extends withPodSafety(kplus.Pod) {
  /** Whether `x` is a `SafePod` (works across copies of this package). */
  public static isSafePod(x: unknown): x is SafePod {
    return x !== null && typeof x === 'object' && SAFE_POD_SYMBOL in x;
  }

  constructor(scope: Construct, id: string, props: SafePodProps = {}) {
    super(scope, id, props);
    Object.defineProperty(this, SAFE_POD_SYMBOL, { value: true });
    PodSafety.of(this).init(SAFE_POD_SHAPE, props);
  }
}
