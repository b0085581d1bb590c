/**
 * The typed result of `explainPod`: what the kubelet will build for each container of a pod, and when each step of
 * the pod's start and stop happens. `--format json` prints exactly these objects (`docs/explain.schema.json`).
 *
 * Values that only the cluster knows are named placeholders in angle brackets (`<metadata.uid>`, `<cluster-ip>`,
 * `<secret db-creds: password>`), never guesses; `known: false` marks them.
 */
import type { KubernetesVersion } from '../k8s/version';
import type { JsonObject, RuntimeClassFacts, ServiceFacts } from '../k8s/shapes';
import type { Finding } from '../rules/types';

// ---- context ---------------------------------------------------------------------------------------------------

/** Whether a source of environment variables is a ConfigMap or a Secret. */
export enum ConfigSourceKind {
  /** A ConfigMap: keys and values are shown. */
  CONFIG_MAP = 'ConfigMap',
  /** A Secret: keys are shown, values never (they stay placeholders). */
  SECRET = 'Secret',
}

/** A ConfigMap or Secret known at synth (found among the manifests), for `envFrom` and `valueFrom` key references. */
export interface ConfigSourceFacts {
  /** ConfigMap or Secret. */
  readonly kind: ConfigSourceKind;
  /** `metadata.name`. */
  readonly name: string;
  /**
   * `metadata.namespace`.
   *
   * @default - the namespace of the pod that is explained
   */
  readonly namespace?: string;
  /** The keys of `data` (and, for a Secret, `stringData`): each becomes a variable through `envFrom`. */
  readonly keys: readonly string[];
  /**
   * The values of a ConfigMap's `data`, by key. Never set for a Secret.
   *
   * @default - values unknown (a Secret)
   */
  readonly values?: Readonly<Record<string, string>>;
}

/**
 * What `explainPod` knows besides the object: the same facts the judge gets (a `JudgeContext` is a valid
 * `ExplainContext`), plus the ConfigMaps and Secrets of the manifests and the cluster IP of `default/kubernetes`.
 */
export interface ExplainContext {
  /**
   * The Kubernetes version the manifests are written for.
   *
   * @default DEFAULTS.kubernetesVersion (1.27)
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * Require every image to be pinned by digest (passed to the judge).
   *
   * @default DEFAULTS.requireDigest (false)
   */
  readonly requireDigest?: boolean;
  /**
   * Services known to exist (any namespace). Those in the pod's namespace inject service-link variables when links are
   * on; `default/kubernetes` is added unless listed.
   *
   * @default - none known: only `default/kubernetes` is injected, and the judge does not check service-link collisions
   */
  readonly services?: readonly ServiceFacts[];
  /**
   * RuntimeClasses known to exist, by name.
   *
   * @default - unknown: the pod's RuntimeClass is shown by name only and the judge does not check the reference
   */
  readonly runtimeClasses?: ReadonlyMap<string, RuntimeClassFacts>;
  /**
   * ConfigMaps and Secrets known at synth (see `configSourcesOf`).
   *
   * @default - none known: the keys of every `envFrom` source are unknown, and `configMapKeyRef` values are placeholders
   */
  readonly configSources?: readonly ConfigSourceFacts[];
  /**
   * The cluster IP of `default/kubernetes` (`kubectl get svc -n default kubernetes`).
   *
   * @default - DEFAULTS.unallocatedClusterIP (`<cluster-ip>`)
   */
  readonly kubernetesServiceIP?: string;
}

// ---- problems --------------------------------------------------------------------------------------------------

/**
 * A part of the object the explanation could not use (not a pod-bearing object, a quantity that does not parse):
 * reported, never thrown. A field of the wrong JSON type is a `field-type-invalid` finding of the judge instead.
 */
export interface ExplainProblem {
  /** The field, as a path from the object's root, e.g. `spec.containers[0].env[2].value`. */
  readonly field: string;
  /** One sentence: what is wrong and what the explanation assumed instead. */
  readonly message: string;
}

// ---- hostname --------------------------------------------------------------------------------------------------

/** The hostname a container sees, as the kubelet sets it (`GeneratePodHostNameAndDomain`). */
export interface ExplainedHostname {
  /** The hostname (`hostname` inside the container), or a placeholder such as `<pod name>`. */
  readonly value: string;
  /** Whether `value` is known at synth. */
  readonly known: boolean;
  /** Where it comes from, e.g. `metadata.name`, `spec.hostname`, `generated pod name`. */
  readonly source: string;
  /**
   * The fully qualified name `<hostname>.<subdomain>.<namespace>.svc.<cluster-domain>`, when `spec.subdomain` is set.
   *
   * @default - no subdomain: the pod has no FQDN of its own
   */
  readonly fqdn?: string;
  /**
   * A sentence about how the name is made (generated names, truncation, `setHostnameAsFQDN`, `hostNetwork`).
   *
   * @default - nothing to add
   */
  readonly note?: string;
}

// ---- environment -----------------------------------------------------------------------------------------------

/** Where a variable of the final environment comes from. */
export enum EnvSourceKind {
  /** A literal `env[].value` (after `$(VAR)` expansion). */
  ENV = 'env',
  /** A key of an `envFrom` ConfigMap or Secret. */
  ENV_FROM = 'envFrom',
  /** `env[].valueFrom.fieldRef`: the downward API. */
  DOWNWARD_API = 'downwardAPI',
  /** `env[].valueFrom.resourceFieldRef`: a container's resource request or limit. */
  RESOURCE = 'resourceFieldRef',
  /** `env[].valueFrom.configMapKeyRef`. */
  CONFIG_MAP_KEY = 'configMapKeyRef',
  /** `env[].valueFrom.secretKeyRef`. */
  SECRET_KEY = 'secretKeyRef',
  /** A service-link variable of a Service in the pod's namespace (`enableServiceLinks`). */
  SERVICE = 'service',
  /** A variable of the `default/kubernetes` Service, injected even with service links off. */
  KUBERNETES_SERVICE = 'default/kubernetes',
}

/** An entry that sets a variable but loses to a later one with the same name. */
export interface ShadowedEnvEntry {
  /** Its value. */
  readonly value: string;
  /** Its source, e.g. `envFrom[0] configMapRef app-config`. */
  readonly source: string;
  /** The kind of its source. */
  readonly sourceKind: EnvSourceKind;
}

/** A `$(NAME)` reference in a value, and what the kubelet replaces it with. */
export interface ExplainedReference {
  /** The referenced name. */
  readonly name: string;
  /**
   * The source of the variable it resolves to (`env[0]`, `service redis`, ...).
   *
   * @default - unresolved: the kubelet leaves `$(NAME)` in the text literally
   */
  readonly resolvedFrom?: string;
}

/** One variable of a container's final environment. */
export interface ExplainedEnvVar {
  /** The variable name. */
  readonly name: string;
  /** The value the process sees; placeholders in angle brackets for what only the cluster knows. */
  readonly value: string;
  /** Whether `value` is known at synth (no placeholder in it). */
  readonly known: boolean;
  /** Where it comes from: `env[2]`, `envFrom[0] configMapRef app-config`, `service redis`, `default/kubernetes`, `downward API metadata.name`. */
  readonly source: string;
  /** The kind of `source`. */
  readonly sourceKind: EnvSourceKind;
  /**
   * The field that sets it, from the object's root, e.g. `spec.containers[0].env[2]`.
   *
   * @default - injected by the kubelet (service links)
   */
  readonly field?: string;
  /** The `$(NAME)` references of an `env[].value`, in order (empty for other sources). */
  readonly references: readonly ExplainedReference[];
  /** Earlier entries with the same name that this one overrides, in the order they were written. */
  readonly shadowed: readonly ShadowedEnvEntry[];
  /**
   * `envFrom` sources whose keys are unknown at synth and that could still change this variable (by setting it, or a
   * name it references), e.g. `envFrom[1] configMapRef app-config`. The value shown is the one without such keys.
   */
  readonly dependsOn: readonly string[];
}

/** An `envFrom` source of a container. */
export interface ExplainedEnvFromSource {
  /** `envFrom[i] configMapRef <name>` or `envFrom[i] secretRef <name>`. */
  readonly source: string;
  /** ConfigMap or Secret. */
  readonly kind: ConfigSourceKind;
  /** The ConfigMap or Secret name. */
  readonly name: string;
  /** The prefix put before every key (`""` for none). */
  readonly prefix: string;
  /** Whether the source is `optional` (a missing one gives no variables instead of failing the container). */
  readonly optional: boolean;
  /**
   * The variable names it gives, when the source is among the manifests; `undefined` when its keys are unknown at
   * synth (every key of the object in the cluster becomes a variable).
   *
   * @default - keys unknown
   */
  readonly names?: readonly string[];
}

/** The size of a container's environment block against the limit the env rules use. */
export interface ExplainedEnvSize {
  /** Bytes of the final environment (`NAME=value\0` summed; placeholders count as written, unknown envFrom keys as 0). */
  readonly bytes: number;
  /** Bytes of the service-link variables the kubelet injects (what `env-service-links-too-large` measures). */
  readonly serviceLinkBytes: number;
  /** `DEFAULTS.serviceEnvWarnBytes`: the budget of the service-link block. */
  readonly limitBytes: number;
  /** Whether `serviceLinkBytes` is over `limitBytes`. */
  readonly overLimit: boolean;
}

// ---- command, image, resources ---------------------------------------------------------------------------------

/** `command` or `args` after `$(VAR)` expansion against the final environment. */
export interface ExplainedArgv {
  /** As written. */
  readonly written: readonly string[];
  /** As the process receives it. */
  readonly expanded: readonly string[];
  /** The `$(NAME)` references, in order of first appearance. */
  readonly references: readonly ExplainedReference[];
  /** `envFrom` sources with keys unknown at synth that could define a referenced name (and so change the result). */
  readonly dependsOn: readonly string[];
}

/** How the effective `imagePullPolicy` came about. */
export enum PullPolicyOrigin {
  /** The manifest sets it. */
  WRITTEN = 'written',
  /** The API server defaulted it (`SetDefaults_Container`). */
  DEFAULTED = 'defaulted',
}

/** A container's image: the reference parts and the effective pull policy. */
export interface ExplainedImage {
  /** The reference as written (`""` when missing). */
  readonly reference: string;
  /** Whether the kubelet can parse it (else the container fails with `InvalidImageName`). */
  readonly valid: boolean;
  /**
   * The registry, e.g. `docker.io`, `ghcr.io`.
   *
   * @default - the reference does not parse
   */
  readonly domain?: string;
  /**
   * The repository path, e.g. `library/nginx`.
   *
   * @default - the reference does not parse
   */
  readonly path?: string;
  /**
   * The tag.
   *
   * @default - no tag
   */
  readonly tag?: string;
  /**
   * The digest, e.g. `sha256:<64 hex>`.
   *
   * @default - no digest
   */
  readonly digest?: string;
  /**
   * The normalised reference, e.g. `docker.io/library/nginx:1.27.3`.
   *
   * @default - the reference does not parse
   */
  readonly normalized?: string;
  /** The reference grammar of the target version (`docker/distribution@v2.8` up to 1.28). */
  readonly grammar: string;
  /** The effective `imagePullPolicy`. */
  readonly pullPolicy: string;
  /** Written in the manifest, or defaulted by the API server. */
  readonly pullPolicyOrigin: PullPolicyOrigin;
  /** Why this policy: the Kubernetes rule that gave it, or that it was written. */
  readonly pullPolicyReason: string;
}

/** What the RuntimeClass admission plugin does to the pod, and what the scheduler counts. */
export interface ExplainedRuntimeClass {
  /** `spec.runtimeClassName`. */
  readonly name: string;
  /** Whether the class is known (among the manifests, or in the context). */
  readonly known: boolean;
  /**
   * The CRI handler it selects.
   *
   * @default - the class is unknown, or sets no handler
   */
  readonly handler?: string;
  /** `overhead.podFixed` that admission copies into `spec.overhead` (empty for none). */
  readonly overhead: Readonly<Record<string, string>>;
  /** What the RuntimeClass admission plugin does with the Pod. */
  readonly admission: AdmissionOutcome;
  /**
   * The upstream message when admission refuses the Pod.
   *
   * @default - not refused
   */
  readonly rejection?: string;
}

/** What the RuntimeClass admission plugin does with a Pod. */
export enum AdmissionOutcome {
  /** The Pod is admitted (overhead, node selector and tolerations of the class added). */
  ADMITTED = 'admitted',
  /** The Pod is refused (Forbidden); templates: every Pod the controller creates from it. */
  REJECTED = 'rejected',
  /** The RuntimeClasses of the cluster are not known, so neither is the outcome. */
  UNKNOWN = 'unknown',
}

/** Pod-level scheduling after RuntimeClass admission, and the requests the scheduler counts. */
export interface ExplainedScheduling {
  /** `spec.nodeSelector` after admission (the class's selector merged in). */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** `spec.tolerations` after admission (the class's tolerations merged in). */
  readonly tolerations: readonly JsonObject[];
  /** What the scheduler and quotas count: containers, init containers and sidecars, plus the overhead (`effectiveRequestStrings`). */
  readonly effectiveRequests: Readonly<Record<string, string>>;
}

// ---- containers ------------------------------------------------------------------------------------------------

/** Which list a container is in, and whether an init container is a sidecar. */
export enum ExplainedContainerKind {
  /** `spec.containers[]`. */
  CONTAINER = 'container',
  /** `spec.initContainers[]` that runs to completion before the containers start. */
  INIT = 'init',
  /** `spec.initContainers[]` with `restartPolicy: Always` (a native sidecar, 1.29+). */
  SIDECAR = 'sidecar',
  /** `spec.ephemeralContainers[]`. */
  EPHEMERAL = 'ephemeral',
}

/** One container as the kubelet will build it. */
export interface ExplainedContainer {
  /** The container name. */
  readonly name: string;
  /** Which list it is in. */
  readonly kind: ExplainedContainerKind;
  /** Its field path, e.g. `spec.template.spec.containers[0]`. */
  readonly field: string;
  /** The image and pull policy. */
  readonly image: ExplainedImage;
  /**
   * `command` after expansion.
   *
   * @default - not set: the image's ENTRYPOINT runs
   */
  readonly command?: ExplainedArgv;
  /**
   * `args` after expansion.
   *
   * @default - not set: the image's CMD is passed
   */
  readonly args?: ExplainedArgv;
  /** The `envFrom` sources, in order. */
  readonly envFrom: readonly ExplainedEnvFromSource[];
  /**
   * The final environment, in the order the kubelet builds it: `envFrom`, then `env` in order, then service-link
   * variables (the process itself sees them in an unspecified order: the kubelet's map order).
   */
  readonly env: readonly ExplainedEnvVar[];
  /** The size of the environment block. */
  readonly envSize: ExplainedEnvSize;
  /** The container's own requests after defaulting (a limit without a request becomes the request). */
  readonly requests: Readonly<Record<string, string>>;
  /** The judge's findings for this container, by rule id. */
  readonly findings: readonly Finding[];
  /** Sentences about what the kubelet does with this container that the fields above do not say. */
  readonly notes: readonly string[];
}

// ---- timeline --------------------------------------------------------------------------------------------------

/** What a span of the timeline is. */
export enum SpanKind {
  /** Waiting for the containers before it (start: postStart blocks the next container; stop: a sidecar waits for the containers). */
  WAIT = 'wait',
  /** The postStart hook: the container is not Running until it returns. */
  POST_START = 'postStart',
  /** The preStop hook, inside the grace period. */
  PRE_STOP = 'preStop',
  /** The app's shutdown after SIGTERM (its shutdown reserve), until it is done or SIGKILL. */
  SHUTDOWN = 'shutdown',
  /** Grace period left after the app's shutdown reserve: SIGKILL comes at its end. */
  SLACK = 'slack',
  /** The kubelet's minimum 2 s between SIGTERM and SIGKILL after a preStop that used (almost) all of the grace period. */
  MINIMUM_GRACE = 'minimumGrace',
}

/** How a hook's duration is bounded. */
export enum HookBound {
  /** The hook cannot run longer: a native `sleep`, an exec `sleep N`, or a `timeout` wrapper. */
  ENFORCED = 'enforced',
  /** The author declared a budget (`safe-pods.cdk8s.io/hook-budgets`), but nothing enforces it. */
  DECLARED = 'declared',
  /** Nothing bounds it (the kubelet sets no timeout on exec or HTTP hooks); the library default is drawn. */
  UNBOUNDED = 'unbounded',
  /** The hook fails at once: the kubelet has no runner for `tcpSocket` ("invalid handler"). */
  FAILS_AT_ONCE = 'failsAtOnce',
}

/** A span of a lane, in seconds from the phase's zero. */
export interface TimelineSpan {
  /** What it is. */
  readonly kind: SpanKind;
  /** Start, in seconds. */
  readonly startSeconds: number;
  /** End, in seconds (equal to the start for a hook that fails at once). */
  readonly endSeconds: number;
  /** A short label, e.g. `preStop sleep 15 s`. */
  readonly label: string;
  /**
   * For hooks: how the duration is bounded.
   *
   * @default - not a hook
   */
  readonly bound?: HookBound;
  /**
   * Whether the span was cut short: a preStop cut at the grace deadline, or a shutdown reserve cut by SIGKILL.
   *
   * @default false
   */
  readonly cut?: boolean;
  /**
   * For an unbounded hook: the latest it can end (`null`: never; a postStart hang keeps the container out of Running).
   *
   * @default - the span ends at `endSeconds`
   */
  readonly worstCaseEndSeconds?: number | null;
}

/** What a mark on a lane is. */
export enum MarkKind {
  /** Start: the container is created and started. */
  CREATED = 'created',
  /** Start: the container is Running (its postStart returned). */
  RUNNING = 'running',
  /** Stop: the kubelet sends the stop signal (SIGTERM, or the image's STOPSIGNAL). */
  SIGTERM = 'SIGTERM',
  /** Stop: the kubelet kills the container. */
  SIGKILL = 'SIGKILL',
}

/** An instant of a lane. */
export interface TimelineMark {
  /** What it is. */
  readonly kind: MarkKind;
  /** When, in seconds. */
  readonly atSeconds: number;
  /** A short label, e.g. `SIGKILL at 32 s`. */
  readonly label: string;
}

/** One container in one phase. */
export interface TimelineLane {
  /** The container name. */
  readonly container: string;
  /** Container or sidecar. */
  readonly kind: ExplainedContainerKind;
  /** Its spans, in time order, without overlap. */
  readonly spans: readonly TimelineSpan[];
  /** Its instants, in time order. */
  readonly marks: readonly TimelineMark[];
}

/** Start or stop. */
export enum PhaseName {
  /** From the first container's creation to the last container Running. */
  START = 'start',
  /** From the deletion of the pod to the last SIGKILL. */
  STOP = 'stop',
}

/** One phase of the timeline: one time axis, one lane per container. */
export interface TimelinePhase {
  /** Start or stop. */
  readonly name: PhaseName;
  /** What time 0 is. */
  readonly zero: string;
  /** The end of the axis: the last instant of any lane, in seconds. */
  readonly endSeconds: number;
  /** One lane per regular container and sidecar, in the kubelet's start order. */
  readonly lanes: readonly TimelineLane[];
  /** Sentences about this phase (what is not drawn, upstream facts it rests on). */
  readonly notes: readonly string[];
}

/** A Warning event the kubelet records when a hook fails. */
export interface HookEvent {
  /** `FailedPostStartHook` or `FailedPreStopHook`. */
  readonly reason: string;
  /** Always `Warning`. */
  readonly type: string;
  /** The event message (`PostStartHook failed`, `PreStopHook failed`: the details stay out of the event). */
  readonly message: string;
  /** The container. */
  readonly container: string;
  /** The phase where it would appear. */
  readonly phase: PhaseName;
  /**
   * The latest time it can appear, in seconds of the phase (the hook's bound).
   *
   * @default - no bound: a hanging hook records no event at all
   */
  readonly latestSeconds?: number;
  /** When it appears and what follows. */
  readonly when: string;
}

/** The start and stop timeline of a pod. */
export interface ExplainedTimeline {
  /** `terminationGracePeriodSeconds` as the kubelet uses it. */
  readonly gracePeriodSeconds: number;
  /** Whether it was written, or defaulted to 30 by the API server. */
  readonly gracePeriodWritten: boolean;
  /** Container creation → postStart → Running. */
  readonly start: TimelinePhase;
  /** Deletion → preStop → SIGTERM → shutdown → SIGKILL. */
  readonly stop: TimelinePhase;
  /** The hook failure events, where they would appear. */
  readonly events: readonly HookEvent[];
  /** `kubectl` commands that show those events. */
  readonly eventCommands: readonly string[];
}

// ---- the pod ---------------------------------------------------------------------------------------------------

/** One pod-bearing object, explained. */
export interface ExplainedPod {
  /** `kind` of the object (`Pod`, `Deployment`, ...; `""` when unreadable). */
  readonly kind: string;
  /** `metadata.name` (or `generateName`) of the object (`""` when unreadable). */
  readonly name: string;
  /**
   * `metadata.namespace` of the object.
   *
   * @default - not set (the namespace the manifest is applied to)
   */
  readonly namespace?: string;
  /** Whether the object is a template that creates Pods (then the pod name is generated). */
  readonly template: boolean;
  /** Where the pod spec sits in the object, e.g. `spec.template.spec` (`""` when the object has none). */
  readonly podSpecField: string;
  /** The target Kubernetes version, e.g. `1.27`. */
  readonly kubernetesVersion: string;
  /** The hostname every container of the pod sees. */
  readonly hostname: ExplainedHostname;
  /** `spec.enableServiceLinks` as the kubelet reads it (absent means true). */
  readonly serviceLinks: boolean;
  /**
   * The RuntimeClass.
   *
   * @default - the pod names none: the node's default handler runs it
   */
  readonly runtimeClass?: ExplainedRuntimeClass;
  /** Node selector, tolerations and effective requests after admission. */
  readonly scheduling: ExplainedScheduling;
  /** Regular containers, sidecars, init and ephemeral containers, in the kubelet's start order. */
  readonly containers: readonly ExplainedContainer[];
  /** The start and stop timeline. */
  readonly timeline: ExplainedTimeline;
  /** The judge's findings that concern the pod as a whole (container findings are on each container). */
  readonly findings: readonly Finding[];
  /** Parts of the object the explanation could not use, and what was assumed instead (wrong JSON types are findings). */
  readonly problems: readonly ExplainProblem[];
}

/** What `cdk8s-safe-pods explain --format json` prints (`docs/explain.schema.json`). */
export interface ExplainReport {
  /** One entry per pod-bearing object explained, in file order. */
  readonly pods: readonly ExplainedPod[];
}
