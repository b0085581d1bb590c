export { HOOK_POSITIONS, HookPosition } from '../k8s/shapes';
export type {
  ContainerKind,
  ExecActionJson,
  HttpGetActionJson,
  HttpHeaderJson,
  LifecycleHandlerJson,
  LifecycleJson,
  SleepActionJson,
  TcpSocketActionJson,
} from '../k8s/shapes';
export { FieldErrorType } from '../k8s/field-error';
export type { FieldError } from '../k8s/field-error';
