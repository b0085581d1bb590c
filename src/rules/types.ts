import type { KubernetesVersion } from '../k8s/version';

/** How bad a finding is. */
export enum Severity {
  /** The manifest is refused: synth fails, the CLI exits 1. */
  ERROR = 'error',
  /** Reported, but the manifest is still written. */
  WARNING = 'warning',
}

/** A JSON object as Kubernetes sees it. */
export type JsonObject = { [key: string]: unknown };

/** The fields of a lifecycle handler the rules read (any version of the API). */
export interface LifecycleHandlerJson {
  readonly exec?: { readonly command?: readonly string[] };
  readonly httpGet?: {
    readonly path?: string;
    readonly port?: number | string;
    readonly host?: string;
    readonly scheme?: string;
    readonly httpHeaders?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  };
  readonly tcpSocket?: { readonly port?: number | string; readonly host?: string };
  readonly sleep?: { readonly seconds?: number };
  readonly [key: string]: unknown;
}

/** The fields of an `env[]` entry the rules read. */
export interface EnvVarJson {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: JsonObject;
}

/** The fields of a container the rules read. */
export interface ContainerJson {
  readonly name: string;
  readonly image?: string;
  readonly imagePullPolicy?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVarJson[];
  readonly envFrom?: readonly JsonObject[];
  readonly ports?: ReadonlyArray<{ readonly name?: string; readonly containerPort: number; readonly protocol?: string }>;
  readonly lifecycle?: { readonly postStart?: LifecycleHandlerJson; readonly preStop?: LifecycleHandlerJson };
  readonly restartPolicy?: string;
  readonly resources?: { readonly requests?: Record<string, string | number>; readonly limits?: Record<string, string | number> };
  readonly [key: string]: unknown;
}

/** The fields of a pod spec the rules read. */
export interface PodSpecJson {
  readonly containers?: readonly ContainerJson[];
  readonly initContainers?: readonly ContainerJson[];
  readonly ephemeralContainers?: readonly ContainerJson[];
  readonly enableServiceLinks?: boolean;
  readonly runtimeClassName?: string;
  readonly terminationGracePeriodSeconds?: number;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: readonly JsonObject[];
  readonly overhead?: Record<string, string | number>;
  readonly imagePullSecrets?: ReadonlyArray<{ readonly name?: string }>;
  readonly [key: string]: unknown;
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

/** A Service as far as service-link variables are concerned. */
export interface ServiceFacts {
  /** `metadata.name`. */
  readonly name: string;
  /**
   * `metadata.namespace`.
   *
   * @default - the namespace of the pod that is judged
   */
  readonly namespace?: string;
  /**
   * `spec.type`.
   *
   * @default "ClusterIP"
   */
  readonly type?: string;
  /**
   * `spec.clusterIP`: an IP, `None` (headless), or absent when the API server will allocate one.
   *
   * @default - allocated by the API server at creation time
   */
  readonly clusterIP?: string;
  /** `spec.ports`. */
  readonly ports: ReadonlyArray<{ readonly name?: string; readonly port: number; readonly protocol?: string }>;
  /**
   * Where the Service was defined (construct path or file), for messages.
   *
   * @default - the Service's name
   */
  readonly origin?: string;
}

/** A RuntimeClass as far as pods that reference it are concerned. */
export interface RuntimeClassFacts {
  /** `metadata.name`. */
  readonly name: string;
  /** `handler`. */
  readonly handler?: string;
  /**
   * `overhead.podFixed`.
   *
   * @default - no overhead
   */
  readonly podFixedOverhead?: Readonly<Record<string, string>>;
  /**
   * `scheduling.nodeSelector`.
   *
   * @default - none
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * `scheduling.tolerations`.
   *
   * @default - none
   */
  readonly tolerations?: readonly JsonObject[];
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
