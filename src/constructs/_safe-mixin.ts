/**
 * The public face every safe construct shares, written once: a mixin over a cdk8s-plus pod or workload class that
 * forwards to its `PodSafety` (containers with an explicit pull policy, the library's pod fields, `findings()`,
 * `explain()`, `serviceLinkEnv()`, `shutdownPlan()`). A safe construct is `withPodSafety(kplus.<Kind>)` plus a
 * constructor that says where its kind keeps the pod (`PodSafety.init`).
 */
import type * as kplus from 'cdk8s-plus-27';
import type { ExplainedPod } from '../explain/types';
import type { Finding } from '../rules/types';
import type { SafeContainerProps } from './_pod-safety';
import { PodSafety } from './_pod-safety';
import type { ShutdownPlan } from './_pod-views';
import { serviceLinkEnvOf, shutdownPlanOf } from './_pod-views';
import type { IRuntimeClass } from './runtime-class';

/** A cdk8s-plus class whose instances hold a pod spec (a `Pod` or a workload). */
// a mixin's base must be constructible with any arguments (TypeScript's rule for mixins)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PodClass = abstract new (...args: any[]) => kplus.AbstractPod;

/** What every safe construct offers on top of its cdk8s-plus base. */
export interface ISafePodTemplate {
  /** Whether the kubelet injects service-link variables into the containers of the pods. */
  readonly enableServiceLinks: boolean;
  /**
   * The RuntimeClass of the pods.
   *
   * @default - none: the node's default runtime handler
   */
  readonly runtimeClass?: IRuntimeClass | string;
  /** Adds a container with an explicit `imagePullPolicy` and the library's container props. */
  addContainer(cont: SafeContainerProps): kplus.Container;
  /** Adds an init container, with the same rules as `addContainer`. */
  addInitContainer(cont: SafeContainerProps): kplus.Container;
  /** Runs every rule over the object as it would be synthesized now and returns the findings (errors and warnings). */
  findings(): Finding[];
  /** What the kubelet will build for each container of the pods, and the pods' start and stop timeline. */
  explain(): ExplainedPod;
  /** The service-link variables the kubelet injects into every container of the pods, given the app's Services. */
  serviceLinkEnv(): Record<string, string>;
  /** How one pod stops (per container and overall), and how long a rollout waits on terminations. */
  shutdownPlan(): ShutdownPlan;
}

/**
 * `Base` with the safe-pod behaviour: containers added through the props or `addContainer`/`addInitContainer` get an
 * explicit `imagePullPolicy` and the library's props, the pod spec gets the library's pod fields, and the views of
 * `ISafePodTemplate` read the object as it would be synthesized now.
 */
// the declared return type keeps the base's private members out of the emitted declarations (TS4094)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withPodSafety<TBase extends PodClass>(Base: TBase): TBase & (abstract new (...args: any[]) => ISafePodTemplate) {
  abstract class SafePodTemplate extends Base implements ISafePodTemplate {
    /** Whether the kubelet injects service-link variables into the containers of the pods. */
    public get enableServiceLinks(): boolean {
      return PodSafety.of(this).enableServiceLinks;
    }

    /** The RuntimeClass of the pods, if any. */
    public get runtimeClass(): IRuntimeClass | string | undefined {
      return PodSafety.of(this).runtimeClass;
    }

    /**
     * Adds a container with an explicit `imagePullPolicy`: the author's choice, else `Always` when the container
     * allows a mutable tag, else `IfNotPresent` (safe because the image is pinned).
     */
    public override addContainer(cont: SafeContainerProps): kplus.Container {
      return super.addContainer(PodSafety.of(this).prepareContainer(cont, 'main'));
    }

    /** Adds an init container, with the same rules as `addContainer`. */
    public override addInitContainer(cont: SafeContainerProps): kplus.Container {
      return super.addInitContainer(PodSafety.of(this).prepareInitContainer(cont));
    }

    /** Runs every rule over the object as it would be synthesized now and returns the findings (errors and warnings). */
    public findings(): Finding[] {
      return PodSafety.of(this).findings();
    }

    /**
     * What the kubelet will build for each container of the pods (the final environment with its sources, the command
     * after `$(VAR)` expansion, the effective pull policy, the RuntimeClass) and the pods' start and stop timeline, with
     * the findings of the judge; `cdk8s-safe-pods/explain` prints it as text or SVG.
     */
    public explain(): ExplainedPod {
      return PodSafety.of(this).explain();
    }

    /** The service-link variables the kubelet injects into every container of the pods, given the app's Services. */
    public serviceLinkEnv(): Record<string, string> {
      return serviceLinkEnvOf(this);
    }

    /** How one pod stops (per container and overall), and how long a rollout waits on terminations. */
    public shutdownPlan(): ShutdownPlan {
      return shutdownPlanOf(this);
    }

    /** @internal */
    public override _toPodSpec(): kplus.k8s.PodSpec {
      return PodSafety.of(this).patchPodSpec(super._toPodSpec());
    }
  }
  return SafePodTemplate;
}
