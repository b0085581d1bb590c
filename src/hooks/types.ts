/**
 * Plain JSON shapes of container lifecycle hooks, as the API server sees them (any version of the API).
 * They are structural, so the rule catalogue's container types are assignable to them.
 */

/** `ExecAction`. */
export interface ExecActionJson {
  readonly command?: readonly string[];
}

/** `HTTPHeader`. */
export interface HttpHeaderJson {
  readonly name: string;
  readonly value: string;
}

/** `HTTPGetAction`. */
export interface HttpGetActionJson {
  readonly path?: string;
  readonly port?: number | string;
  readonly host?: string;
  readonly scheme?: string;
  readonly httpHeaders?: readonly HttpHeaderJson[];
}

/** `TCPSocketAction` (accepted by the API, never run by the kubelet). */
export interface TcpSocketActionJson {
  readonly port?: number | string;
  readonly host?: string;
}

/** `SleepAction` (Kubernetes 1.29+). */
export interface SleepActionJson {
  readonly seconds?: number;
}

/** `LifecycleHandler`. */
export interface LifecycleHandlerJson {
  readonly exec?: ExecActionJson;
  readonly httpGet?: HttpGetActionJson;
  readonly tcpSocket?: TcpSocketActionJson;
  readonly sleep?: SleepActionJson;
  /** Fields of newer or older API versions, carried as they are. */
  readonly [key: string]: unknown;
}

/** `Lifecycle`: a container's `lifecycle` field. */
export interface LifecycleJson {
  readonly postStart?: LifecycleHandlerJson;
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
