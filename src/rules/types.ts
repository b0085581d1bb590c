import type { ContainerJson, PodSpecJson, RuntimeClassFacts, ServiceFacts } from '../k8s/shapes';
import type { KubernetesVersion } from '../k8s/version';

export type { ContainerJson, EnvVarJson, JsonObject, LifecycleHandlerJson, PodSpecJson, RuntimeClassFacts, ServiceFacts } from '../k8s/shapes';

/** How bad a finding is. */
export enum Severity {
  /** The manifest is refused: synth fails, the CLI exits 1. */
  ERROR = 'error',
  /** Reported, but the manifest is still written. */
  WARNING = 'warning',
}

/**
 * One object whose pod spec is judged: a Pod, or a workload with a pod template.
 */
export interface PodSubject {
  /** `Pod`, `Deployment`, `CronJob`, ... */
  readonly kind: string;
  /** `metadata.name` of the object. */
  readonly name: string;
  /**
   * `metadata.namespace` of the object.
   *
   * @default - not set (the namespace the manifest is applied to, usually `default`)
   */
  readonly namespace?: string;
  /** `metadata.annotations` of the object (suppressions are read from here). */
  readonly annotations: Readonly<Record<string, string>>;
  /** The pod spec. */
  readonly podSpec: PodSpecJson;
  /** Where the pod spec sits in the object, e.g. `spec` or `spec.template.spec`. */
  readonly podSpecPath: string;
  /**
   * Whether the object is a Pod (true) or a template that creates Pods (false). Some API rules
   * (whitespace in images, admission) apply to Pods only.
   */
  readonly isPod: boolean;
}

/** Everything the judge knows beyond the object itself. */
export interface JudgeContext {
  /** The Kubernetes version the manifests are written for. */
  readonly kubernetesVersion: KubernetesVersion;
  /** Require every image to be pinned by digest (strict mode). */
  readonly requireDigest: boolean;
  /**
   * RuntimeClasses known to exist. `undefined` means unknown: references are then not checked.
   *
   * @default - references are not checked
   */
  readonly runtimeClasses?: ReadonlyMap<string, RuntimeClassFacts>;
  /**
   * Services known to exist (any namespace). `undefined` means unknown: service-link collisions are then
   * not checked.
   *
   * @default - collisions are not checked
   */
  readonly services?: readonly ServiceFacts[];
}

/** What a rule reports, before the judge adds the rule's id and severity. */
export interface RuleFinding {
  /** One sentence, no trailing period: subject, offending value (JSON-quoted), the rule, the fix. */
  readonly message: string;
  /** The field, as a path from the object's root, e.g. `spec.containers[0].image`. */
  readonly field: string;
  /**
   * The container concerned.
   *
   * @default - the finding concerns the pod as a whole
   */
  readonly container?: string;
  /**
   * Overrides the rule's severity for this finding.
   *
   * @default - the rule's severity
   */
  readonly severity?: Severity;
}

/** A finding as reported by every entry point. */
export interface Finding extends RuleFinding {
  /** The id of the rule, e.g. `image-unpinned`. */
  readonly rule: string;
  /** The severity. */
  readonly severity: Severity;
}

/** The catalogue entry of a rule, without its check. */
export interface RuleInfo {
  /** Stable id (kebab-case), used in suppressions and reports. */
  readonly id: string;
  /** Default severity. */
  readonly severity: Severity;
  /** One-line title. */
  readonly title: string;
  /** The upstream behaviour that makes this a problem, with its source. */
  readonly reason: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A rule: catalogue entry plus its check over one pod subject. */
export interface Rule extends RuleInfo {
  /** Returns the findings of this rule for one subject (empty when it passes). */
  check(subject: PodSubject, ctx: JudgeContext): RuleFinding[];
}

/** A container with its kind and index, as the rules iterate them. */
export interface ContainerRef {
  readonly container: ContainerJson;
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  readonly list: 'containers' | 'initContainers' | 'ephemeralContainers';
  readonly index: number;
  /** Field path of the container, e.g. `spec.containers[0]`. */
  readonly path: string;
}

const containerRefCache = new WeakMap<PodSubject, ContainerRef[]>();

/**
 * Every container of a pod spec, regular, init and ephemeral, with its field path. Computed once per subject (every
 * rule asks), so treat the result as read-only.
 */
export function containersOf(subject: PodSubject): ContainerRef[] {
  const cached = containerRefCache.get(subject);
  if (cached) return cached;
  const out: ContainerRef[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const cs = subject.podSpec[list] ?? [];
    cs.forEach((container, index) => out.push({ container, list, index, path: `${subject.podSpecPath}.${list}[${index}]` }));
  }
  containerRefCache.set(subject, out);
  return out;
}

/** `init container "x"`, `container "x"` or `ephemeral container "x"`, for messages. */
export function describeContainer(ref: ContainerRef): string {
  const kind = ref.list === 'initContainers' ? 'init container' : ref.list === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${kind} ${JSON.stringify(ref.container.name)}`;
}
