import type { LifecycleHandlerJson } from '../hooks/types';
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

/** The fields of a lifecycle handler the rules read (any version of the API): the hooks area's JSON type. */
export type { LifecycleHandlerJson } from '../hooks/types';

/** The fields of an `env[]` entry the rules read. */
export interface EnvVarJson {
  /** The variable name. */
  readonly name: string;
  /**
   * A literal value; `$(VAR)` references are expanded by the kubelet.
   *
   * @default - empty, unless `valueFrom` is set
   */
  readonly value?: string;
  /**
   * The source of the value (`fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`).
   *
   * @default - the value comes from `value`
   */
  readonly valueFrom?: JsonObject;
}

/** The fields of a container the rules read. */
export interface ContainerJson {
  /** The container name. */
  readonly name: string;
  /**
   * The image reference.
   *
   * @default - none
   */
  readonly image?: string;
  /**
   * `Always`, `IfNotPresent` or `Never`.
   *
   * @default - derived by Kubernetes from the image: `Always` for `latest` or no tag, otherwise `IfNotPresent`
   */
  readonly imagePullPolicy?: string;
  /**
   * The entrypoint; `$(VAR)` references are expanded by the kubelet.
   *
   * @default - the image's ENTRYPOINT
   */
  readonly command?: readonly string[];
  /**
   * The arguments to the entrypoint; `$(VAR)` references are expanded by the kubelet.
   *
   * @default - the image's CMD
   */
  readonly args?: readonly string[];
  /**
   * Environment variables, in order.
   *
   * @default - none
   */
  readonly env?: readonly EnvVarJson[];
  /**
   * ConfigMaps and Secrets whose keys become environment variables (optionally with a `prefix`).
   *
   * @default - none
   */
  readonly envFrom?: readonly JsonObject[];
  /**
   * The ports the container exposes.
   *
   * @default - none
   */
  readonly ports?: ReadonlyArray<{
    /**
     * An IANA port name, referable from hooks and probes.
     *
     * @default - unnamed
     */
    readonly name?: string;
    /** The port number in the container. */
    readonly containerPort: number;
    /**
     * `TCP`, `UDP` or `SCTP`.
     *
     * @default "TCP"
     */
    readonly protocol?: string;
  }>;
  /**
   * The container's lifecycle hooks.
   *
   * @default - no hooks
   */
  readonly lifecycle?: {
    /**
     * Runs right after the container is created.
     *
     * @default - no PostStart hook
     */
    readonly postStart?: LifecycleHandlerJson;
    /**
     * Runs before the container is sent SIGTERM.
     *
     * @default - no PreStop hook
     */
    readonly preStop?: LifecycleHandlerJson;
  };
  /**
   * The container's own restart policy; `Always` on an init container makes it a sidecar (Kubernetes 1.28+).
   *
   * @default - the pod's restart policy applies
   */
  readonly restartPolicy?: string;
  /**
   * Compute resource requests and limits.
   *
   * @default - no requests or limits
   */
  readonly resources?: {
    /**
     * Minimum resources the container needs, by resource name.
     *
     * @default - none
     */
    readonly requests?: Record<string, string | number>;
    /**
     * Maximum resources the container may use, by resource name.
     *
     * @default - none
     */
    readonly limits?: Record<string, string | number>;
  };
  /** Other container fields, carried as they are. */
  readonly [key: string]: unknown;
}

/** The fields of a pod spec the rules read. */
export interface PodSpecJson {
  /**
   * The regular containers.
   *
   * @default - none (the API server requires at least one)
   */
  readonly containers?: readonly ContainerJson[];
  /**
   * Init containers, run in order before the regular containers (or alongside them as sidecars).
   *
   * @default - none
   */
  readonly initContainers?: readonly ContainerJson[];
  /**
   * Ephemeral (debug) containers.
   *
   * @default - none
   */
  readonly ephemeralContainers?: readonly ContainerJson[];
  /**
   * Whether the kubelet injects service-link variables for the Services of the pod's namespace.
   *
   * @default - true (Kubernetes' default; SafePod writes false)
   */
  readonly enableServiceLinks?: boolean;
  /**
   * The RuntimeClass the pod runs with.
   *
   * @default - the cluster's default runtime handler
   */
  readonly runtimeClassName?: string;
  /**
   * Seconds between SIGTERM and SIGKILL; PreStop hooks run inside this period.
   *
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Labels a node must have for the pod to be scheduled there.
   *
   * @default - none
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Taints the pod tolerates.
   *
   * @default - none
   */
  readonly tolerations?: readonly JsonObject[];
  /**
   * Per-pod resource overhead; set by RuntimeClass admission, not by the author.
   *
   * @default - none
   */
  readonly overhead?: Record<string, string | number>;
  /**
   * Secrets used to pull the pod's images.
   *
   * @default - none
   */
  readonly imagePullSecrets?: ReadonlyArray<{
    /**
     * The name of a Secret in the pod's namespace.
     *
     * @default - none
     */
    readonly name?: string;
  }>;
  /** Other pod spec fields, carried as they are. */
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
  readonly ports: ReadonlyArray<{
    /**
     * The port name; named ports also get `<SERVICE>_SERVICE_PORT_<NAME>` variables.
     *
     * @default - unnamed
     */
    readonly name?: string;
    /** The Service port number. */
    readonly port: number;
    /**
     * `TCP`, `UDP` or `SCTP`.
     *
     * @default "TCP"
     */
    readonly protocol?: string;
  }>;
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
