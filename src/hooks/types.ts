/**
 * Plain JSON shapes of container lifecycle hooks, as the API server sees them (any version of the API).
 * They are structural, so the rule catalogue's container types are assignable to them.
 */

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

export { FieldErrorType } from '../k8s/field-error';
export type { FieldError } from '../k8s/field-error';

/** Which list a container is in. */
export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';
