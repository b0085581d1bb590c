/**
 * The JSON shapes every floor of the library speaks: pod spec, container, env, lifecycle handler, Service and
 * RuntimeClass facts, and where an object was read from. Plain data, as the API server sees it (any version of the
 * API); nothing here imports another folder of `src/`.
 */

/** A JSON object as Kubernetes sees it. */
export type JsonObject = { [key: string]: unknown };

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
  /**
   * The pod's hostname.
   *
   * @default - the pod's name
   */
  readonly hostname?: string;
  /**
   * The subdomain of the pod's FQDN (`<hostname>.<subdomain>.<namespace>.svc.<cluster-domain>`).
   *
   * @default - no FQDN
   */
  readonly subdomain?: string;
  /**
   * Whether the kernel hostname is the FQDN.
   *
   * @default false
   */
  readonly setHostnameAsFQDN?: boolean;
  /**
   * Whether the pod uses the node's network namespace (and its hostname).
   *
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * The ServiceAccount the pod runs as.
   *
   * @default - `serviceAccount`, else "default"
   */
  readonly serviceAccountName?: string;
  /**
   * The deprecated alias of `serviceAccountName`.
   *
   * @default - none
   */
  readonly serviceAccount?: string;
  /**
   * The node the pod is bound to.
   *
   * @default - chosen by the scheduler
   */
  readonly nodeName?: string;
  /** Other pod spec fields, carried as they are. */
  readonly [key: string]: unknown;
}

/** `ExecAction`. */
export interface ExecActionJson {
  /**
   * The command and its arguments, run directly (not in a shell).
   *
   * @default - none (the API server rejects an exec action without a command)
   */
  readonly command?: readonly string[];
}

/** `HTTPHeader`. */
export interface HttpHeaderJson {
  /** The header name. */
  readonly name: string;
  /** The header value. */
  readonly value: string;
}

/** `HTTPGetAction`. */
export interface HttpGetActionJson {
  /**
   * The request path.
   *
   * @default "/"
   */
  readonly path?: string;
  /**
   * The port: a number or an IANA port name of the container.
   *
   * @default - none (the API server rejects a missing port)
   */
  readonly port?: number | string;
  /**
   * The host to connect to.
   *
   * @default - the pod IP
   */
  readonly host?: string;
  /**
   * `HTTP` or `HTTPS`.
   *
   * @default "HTTP"
   */
  readonly scheme?: string;
  /**
   * Extra headers sent with the request.
   *
   * @default - no extra headers
   */
  readonly httpHeaders?: readonly HttpHeaderJson[];
}

/** `TCPSocketAction` (accepted by the API, never run by the kubelet). */
export interface TcpSocketActionJson {
  /**
   * The port: a number or an IANA port name of the container.
   *
   * @default - none (the API server rejects a missing port)
   */
  readonly port?: number | string;
  /**
   * The host to connect to.
   *
   * @default - the pod IP
   */
  readonly host?: string;
}

/** `SleepAction` (Kubernetes 1.29+). */
export interface SleepActionJson {
  /**
   * How long to sleep, in seconds.
   *
   * @default - none (read as 0, which versions before zero-sleep support reject)
   */
  readonly seconds?: number;
}

/** `LifecycleHandler`. */
export interface LifecycleHandlerJson {
  /**
   * `exec`: runs a command inside the container.
   *
   * @default - no exec action
   */
  readonly exec?: ExecActionJson;
  /**
   * `httpGet`: sends an HTTP GET request to the container.
   *
   * @default - no HTTP GET action
   */
  readonly httpGet?: HttpGetActionJson;
  /**
   * `tcpSocket`: opens a TCP connection (accepted by the API, never run by the kubelet as a hook).
   *
   * @default - no TCP socket action
   */
  readonly tcpSocket?: TcpSocketActionJson;
  /**
   * `sleep`: pauses for a number of seconds (Kubernetes 1.29+).
   *
   * @default - no sleep action
   */
  readonly sleep?: SleepActionJson;
  /** Fields of newer or older API versions, carried as they are. */
  readonly [key: string]: unknown;
}

/** `Lifecycle`: a container's `lifecycle` field. */
export interface LifecycleJson {
  /**
   * Runs right after the container is created; the container is not Running until it returns.
   *
   * @default - no PostStart hook
   */
  readonly postStart?: LifecycleHandlerJson;
  /**
   * Runs before the container is sent SIGTERM; counts against the termination grace period.
   *
   * @default - no PreStop hook
   */
  readonly preStop?: LifecycleHandlerJson;
}

/** Which hook of a container. */
export enum HookPosition {
  /** Runs right after the container is created; the container is not Running until it returns. */
  POST_START = 'postStart',
  /** Runs before the container is sent SIGTERM; counts against the termination grace period. */
  PRE_STOP = 'preStop',
}

/** The two hook positions, in the order the API lists them. */
export const HOOK_POSITIONS: readonly HookPosition[] = Object.freeze([HookPosition.POST_START, HookPosition.PRE_STOP]);

/** Which list a container is in. */
export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

/** When the kubelet pulls an image (`imagePullPolicy`). */
export enum ImagePullPolicy {
  /** Pull (resolve the tag against the registry) every time a container starts. */
  ALWAYS = 'Always',
  /** Pull only when the image is not on the node. */
  IF_NOT_PRESENT = 'IfNotPresent',
  /** Never pull; the image must already be on the node. */
  NEVER = 'Never',
}

/** The values the API server accepts for `imagePullPolicy` (`validatePullPolicy`). */
export const IMAGE_PULL_POLICIES: readonly ImagePullPolicy[] = Object.freeze([
  ImagePullPolicy.ALWAYS,
  ImagePullPolicy.IF_NOT_PRESENT,
  ImagePullPolicy.NEVER,
]);

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

/** Where an object was read from. */
export interface SourceLocation {
  /** The file (as given on the command line), or `<stdin>`. */
  readonly file: string;
  /**
   * Index of the YAML document in the file, from 0.
   *
   * @default - not known
   */
  readonly document?: number;
  /**
   * Index of the object in the `items` of a `List` document (or in a top-level array), from 0.
   *
   * @default - the document is the object itself
   */
  readonly item?: number;
  /**
   * Line of the object (from 1). In a finding, the line of the offending field when it can be found.
   *
   * @default - not known
   */
  readonly line?: number;
  /**
   * Column (from 1) on `line`. In a finding, the column of the offending field when it can be found.
   *
   * @default - not known
   */
  readonly column?: number;
}

/** Where a field is in its file: line and column, and the raw text of a plain (unquoted) scalar. */
export interface SourcePosition {
  /** Line (from 1). */
  readonly line: number;
  /** Column (from 1). */
  readonly column: number;
  /**
   * The raw text of the field's value when it is a plain (unquoted) scalar, e.g. `yes` for `value: yes`, which
   * Kubernetes reads as the boolean `true` (YAML 1.1).
   *
   * @default - the field is missing, quoted, a block scalar or a collection
   */
  readonly plain?: string;
}

/** An object to check, with where it came from. */
export interface LocatedObject {
  /** The Kubernetes object, as plain JSON. */
  readonly object: unknown;
  /**
   * Where the object was read from.
   *
   * @default - not known (objects built in memory)
   */
  readonly source?: SourceLocation;
  /**
   * Returns where a field of this object is, e.g. `spec.containers[0].image`, for precise locations: the field's own
   * position, or its deepest existing parent's when the field is missing. Call it as a method (`o.locate(field)`).
   *
   * @default - findings carry the line of the object
   */
  locate?(field: string): SourcePosition | undefined;
}
