/**
 * The safe workloads: `SafeDeployment`, `SafeStatefulSet`, `SafeDaemonSet`, `SafeJob` and `SafeCronJob`. Each extends
 * its cdk8s-plus construct (the whole cdk8s-plus API stays) and composes `PodSafety`, the one implementation of the
 * safe pod that `SafePod` composes too: the same props, defaults, rules, messages and construct-path reporting.
 *
 * A class here only says where its kind keeps the pod template (`templateShape`) and forwards to `PodSafety` and the
 * pod views; adding a kind is one props interface and one such class.
 */
import * as kplus from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import type { PodShape, SafeContainerProps, SafePodSpecProps } from './_pod-safety';
import { PodSafety } from './_pod-safety';
import { withPodSafety } from './_safe-mixin';

/** Where a workload keeps its pod template: `spec.template`, or `spec.jobTemplate.spec.template` for a CronJob. */
function templateShape(construct: string, template: readonly string[] = ['spec', 'template']): PodShape {
  return { construct, spec: [...template, 'spec'], metadata: [...template, 'metadata'] };
}

const CRON_JOB_TEMPLATE = ['spec', 'jobTemplate', 'spec', 'template'];

// ---- Deployment -----------------------------------------------------------------------------------------------------

/** Properties for `SafeDeployment`: every cdk8s-plus `Deployment` property, with safe containers, plus the library's pod props. */
export interface SafeDeploymentProps extends kplus.DeploymentProps, SafePodSpecProps {
  /**
   * Containers of the pod template. Each gets an explicit `imagePullPolicy` and the image rules.
   *
   * @default - no containers; add them with `addContainer` (a pod needs at least one)
   */
  readonly containers?: SafeContainerProps[];

  /**
   * Init containers of the pod template, with the same rules as containers.
   *
   * @default - no init containers
   */
  readonly initContainers?: SafeContainerProps[];
}

/**
 * A cdk8s-plus `Deployment` whose pod template is built like a `SafePod`: pinned images with an explicit pull policy,
 * service links off, bounded lifecycle hooks with a derived grace period, RuntimeClass references checked, and every
 * rule of the catalogue judged at synth with this construct's path.
 *
 * @group Constructs
 */
export class SafeDeployment extends withPodSafety(kplus.Deployment) {
  constructor(scope: Construct, id: string, props: SafeDeploymentProps = {}) {
    super(scope, id, props);
    PodSafety.of(this).init(templateShape('SafeDeployment'), props);
  }
}

// ---- StatefulSet ----------------------------------------------------------------------------------------------------

/** Properties for `SafeStatefulSet`: every cdk8s-plus `StatefulSet` property, with safe containers, plus the library's pod props. */
export interface SafeStatefulSetProps extends kplus.StatefulSetProps, SafePodSpecProps {
  /**
   * Containers of the pod template. Each gets an explicit `imagePullPolicy` and the image rules. Without a `service`,
   * cdk8s-plus builds the headless Service from their ports, so at least one needs a port.
   *
   * @default - no containers; add them with `addContainer` (a pod needs at least one)
   */
  readonly containers?: SafeContainerProps[];

  /**
   * Init containers of the pod template, with the same rules as containers.
   *
   * @default - no init containers
   */
  readonly initContainers?: SafeContainerProps[];
}

/**
 * A cdk8s-plus `StatefulSet` whose pod template is built like a `SafePod` (see `SafeDeployment`). Its `shutdownPlan()`
 * includes how long a rolling update waits on terminations: the pods are replaced one after another.
 *
 * @group Constructs
 */
export class SafeStatefulSet extends withPodSafety(kplus.StatefulSet) {
  constructor(scope: Construct, id: string, props: SafeStatefulSetProps) {
    super(scope, id, props);
    PodSafety.of(this).init(templateShape('SafeStatefulSet'), props);
  }
}

// ---- DaemonSet ------------------------------------------------------------------------------------------------------

/** Properties for `SafeDaemonSet`: every cdk8s-plus `DaemonSet` property, with safe containers, plus the library's pod props. */
export interface SafeDaemonSetProps extends kplus.DaemonSetProps, SafePodSpecProps {
  /**
   * Containers of the pod template. Each gets an explicit `imagePullPolicy` and the image rules.
   *
   * @default - no containers; add them with `addContainer` (a pod needs at least one)
   */
  readonly containers?: SafeContainerProps[];

  /**
   * Init containers of the pod template, with the same rules as containers.
   *
   * @default - no init containers
   */
  readonly initContainers?: SafeContainerProps[];
}

/**
 * A cdk8s-plus `DaemonSet` whose pod template is built like a `SafePod` (see `SafeDeployment`).
 *
 * @group Constructs
 */
export class SafeDaemonSet extends withPodSafety(kplus.DaemonSet) {
  constructor(scope: Construct, id: string, props: SafeDaemonSetProps = {}) {
    super(scope, id, props);
    PodSafety.of(this).init(templateShape('SafeDaemonSet'), props);
  }
}

// ---- Job ------------------------------------------------------------------------------------------------------------

/** Properties for `SafeJob`: every cdk8s-plus `Job` property, with safe containers, plus the library's pod props. */
export interface SafeJobProps extends kplus.JobProps, SafePodSpecProps {
  /**
   * Containers of the pod template. Each gets an explicit `imagePullPolicy` and the image rules.
   *
   * @default - no containers; add them with `addContainer` (a pod needs at least one)
   */
  readonly containers?: SafeContainerProps[];

  /**
   * Init containers of the pod template, with the same rules as containers.
   *
   * @default - no init containers
   */
  readonly initContainers?: SafeContainerProps[];
}

/**
 * A cdk8s-plus `Job` whose pod template is built like a `SafePod` (see `SafeDeployment`).
 *
 * @group Constructs
 */
export class SafeJob extends withPodSafety(kplus.Job) {
  constructor(scope: Construct, id: string, props: SafeJobProps = {}) {
    super(scope, id, props);
    PodSafety.of(this).init(templateShape('SafeJob'), props);
  }
}

// ---- CronJob --------------------------------------------------------------------------------------------------------

/** Properties for `SafeCronJob`: every cdk8s-plus `CronJob` property, with safe containers, plus the library's pod props. */
export interface SafeCronJobProps extends kplus.CronJobProps, SafePodSpecProps {
  /**
   * Containers of the pod template. Each gets an explicit `imagePullPolicy` and the image rules.
   *
   * @default - no containers; add them with `addContainer` (a pod needs at least one)
   */
  readonly containers?: SafeContainerProps[];

  /**
   * Init containers of the pod template, with the same rules as containers.
   *
   * @default - no init containers
   */
  readonly initContainers?: SafeContainerProps[];
}

/**
 * A cdk8s-plus `CronJob` whose pod template (`spec.jobTemplate.spec.template`) is built like a `SafePod` (see
 * `SafeDeployment`).
 *
 * @group Constructs
 */
export class SafeCronJob extends withPodSafety(kplus.CronJob) {
  constructor(scope: Construct, id: string, props: SafeCronJobProps) {
    super(scope, id, props);
    PodSafety.of(this).init(templateShape('SafeCronJob', CRON_JOB_TEMPLATE), props);
  }
}
