import { DEFAULTS } from '../defaults';
import { validateHttpHeaderName, validatePortName, validatePortNumber } from '../k8s/names';
import { KubernetesVersion } from '../k8s/version';
import type { ContainerKind, FieldError, LifecycleHandlerJson, LifecycleJson } from './types';
import { FieldErrorType, HOOK_POSITIONS } from './types';

/**
 * How an API server of a given version treats `lifecycle.*.sleep`
 * (`PodLifecycleSleepAction`: alpha 1.29, beta and on 1.30; `PodLifecycleSleepActionAllowZero`: beta and on 1.33).
 */
export enum SleepSupport {
  /** Before 1.29 the field does not exist: lax decoding drops it (strict field validation rejects it). */
  UNKNOWN_FIELD = 'unknown-field',
  /** 1.29: the field exists but the gate is off, so `dropPodLifecycleSleepAction` strips it (and an emptied hook). */
  GATED_OFF = 'gated-off',
  /** 1.30–1.32: `0 < seconds <= terminationGracePeriodSeconds`. */
  POSITIVE = 'positive',
  /** 1.33+: `0 <= seconds <= terminationGracePeriodSeconds`. */
  NON_NEGATIVE = 'non-negative',
}

/** How the API server of `version` (default feature gates) treats the native `sleep` action. */
export function sleepSupport(version: KubernetesVersion): SleepSupport {
  if (version.isAtLeast(KubernetesVersion.V1_33)) return SleepSupport.NON_NEGATIVE;
  if (version.isAtLeast(KubernetesVersion.V1_30)) return SleepSupport.POSITIVE;
  if (version.isAtLeast(KubernetesVersion.V1_29)) return SleepSupport.GATED_OFF;
  return SleepSupport.UNKNOWN_FIELD;
}

/** Whether the kubelet of `version` (default gates) runs the native `sleep` action. */
export function sleepRuns(version: KubernetesVersion): boolean {
  const s = sleepSupport(version);
  return s === SleepSupport.POSITIVE || s === SleepSupport.NON_NEGATIVE;
}

/**
 * The part of a hook that runs on `version`: the hook itself, or without its native `sleep` where the version does
 * not run it; `undefined` when nothing is left (a sleep-only hook before 1.30).
 */
export function runnableHandler(handler: LifecycleHandlerJson, version: KubernetesVersion): LifecycleHandlerJson | undefined {
  if (handler.sleep === undefined || sleepRuns(version)) return handler;
  const { sleep: _sleep, ...rest } = handler;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/**
 * Whether `version` (default gates) accepts native sidecars, i.e. init containers with `restartPolicy: Always`
 * (`SidecarContainers`: alpha 1.28, on by default from 1.29).
 */
export function sidecarsSupported(version: KubernetesVersion): boolean {
  return version.isAtLeast(KubernetesVersion.V1_29);
}

/** Options for `validateLifecycle`. */
export interface ValidateLifecycleOptions {
  /** The Kubernetes version of the API server. */
  readonly version: KubernetesVersion;
  /**
   * Which list the container is in.
   *
   * @default "containers"
   */
  readonly containerKind?: ContainerKind;
  /**
   * The pod's `terminationGracePeriodSeconds`.
   *
   * @default 30 - what `SetDefaults_PodSpec` writes when it is absent
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * The container's own `restartPolicy` (only `Always` is meaningful, on init containers).
   *
   * @default - not set
   */
  readonly restartPolicy?: string;
  /**
   * Field path of the container.
   *
   * @default - `spec.<containerKind>[0]`
   */
  readonly containerPath?: string;
}

function isObject(x: unknown): x is object {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** `SetDefaults_HTTPGetAction`: an empty path becomes `/`, an empty scheme `HTTP`. */
function defaultHttpGet(h: LifecycleHandlerJson): LifecycleHandlerJson {
  if (!isObject(h.httpGet)) return h;
  return { ...h, httpGet: { ...h.httpGet, path: h.httpGet.path || '/', scheme: h.httpGet.scheme || 'HTTP' } };
}

/**
 * The hooks as the API server sees them after decoding, defaulting and dropping disabled fields
 * (`dropPodLifecycleSleepAction`): `undefined` when nothing is left.
 */
export function decodeLifecycle(lifecycle: LifecycleJson | undefined, version: KubernetesVersion): LifecycleJson | undefined {
  if (!isObject(lifecycle)) return undefined;
  const support = sleepSupport(version);
  const out: { postStart?: LifecycleHandlerJson; preStop?: LifecycleHandlerJson } = {};
  let dropped = false;
  for (const pos of HOOK_POSITIONS) {
    const raw = lifecycle[pos];
    if (!isObject(raw)) continue;
    let h: LifecycleHandlerJson = defaultHttpGet(raw);
    if (support === SleepSupport.UNKNOWN_FIELD || support === SleepSupport.GATED_OFF) {
      const { sleep, ...rest } = h;
      h = rest;
      // 1.29 drops a hook that only had `sleep`; before 1.29 lax decoding leaves an empty handler
      if (sleep !== undefined && support === SleepSupport.GATED_OFF && !rest.exec && !rest.httpGet && !rest.tcpSocket) {
        dropped = true;
        continue;
      }
    }
    out[pos] = h;
  }
  // 1.29 also drops a lifecycle that the strip left empty
  if (dropped && out.postStart === undefined && out.preStop === undefined) return undefined;
  return out;
}

function validatePortNumOrName(port: unknown, field: string): FieldError[] {
  // IntOrString: a missing port is the zero Int
  const msgs = typeof port === 'string' ? validatePortName(port) : validatePortNumber(typeof port === 'number' ? port : 0);
  return msgs.map((detail) => ({ type: FieldErrorType.INVALID, field, detail }));
}

function validateSleep(seconds: unknown, grace: number, field: string, version: KubernetesVersion): FieldError[] {
  const s = typeof seconds === 'number' ? seconds : 0;
  if (sleepSupport(version) === SleepSupport.NON_NEGATIVE) {
    if (s < 0 || s > grace) {
      return [{ type: FieldErrorType.INVALID, field, detail: `must be non-negative and less than terminationGracePeriodSeconds (${grace})` }];
    }
    return [];
  }
  if (s <= 0 || s > grace) {
    // 1.32 appends a hint about the AllowZero gate (alpha there)
    const hint = version.minor === 32 ? '. Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.' : '';
    return [{ type: FieldErrorType.INVALID, field, detail: `must be greater than 0 and less than terminationGracePeriodSeconds (${grace})${hint}` }];
  }
  return [];
}

/** `validateHandler` over one decoded `LifecycleHandler` at `path`. */
export function validateHandler(h: LifecycleHandlerJson, path: string, grace: number, version: KubernetesVersion): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  const forbidMore = (name: string): boolean => {
    if (n > 0) {
      errs.push({ type: FieldErrorType.FORBIDDEN, field: `${path}.${name}`, detail: 'may not specify more than 1 handler type' });
      return true;
    }
    n++;
    return false;
  };
  if (isObject(h.exec) && !forbidMore('exec')) {
    const cmd = h.exec.command;
    if (!Array.isArray(cmd) || cmd.length === 0) errs.push({ type: FieldErrorType.REQUIRED, field: `${path}.exec.command`, detail: '' });
  }
  if (isObject(h.httpGet) && !forbidMore('httpGet')) {
    const g = h.httpGet;
    const p = `${path}.httpGet`;
    if (!g.path) errs.push({ type: FieldErrorType.REQUIRED, field: `${p}.path`, detail: '' });
    errs.push(...validatePortNumOrName(g.port, `${p}.port`));
    if (g.scheme !== 'HTTP' && g.scheme !== 'HTTPS') {
      errs.push({ type: FieldErrorType.NOT_SUPPORTED, field: `${p}.scheme`, detail: 'supported values: "HTTP", "HTTPS"' });
    }
    for (const header of Array.isArray(g.httpHeaders) ? g.httpHeaders : []) {
      for (const detail of validateHttpHeaderName(String(header?.name ?? '')))
        errs.push({ type: FieldErrorType.INVALID, field: `${p}.httpHeaders`, detail });
    }
  }
  if (isObject(h.tcpSocket) && !forbidMore('tcpSocket')) {
    errs.push(...validatePortNumOrName(h.tcpSocket.port, `${path}.tcpSocket.port`));
  }
  if (isObject(h.sleep) && !forbidMore('sleep')) {
    errs.push(...validateSleep(h.sleep.seconds, grace, `${path}.sleep`, version));
  }
  if (n === 0) errs.push({ type: FieldErrorType.REQUIRED, field: path, detail: 'must specify a handler type' });
  return errs;
}

/**
 * Reproduces the API server's validation of one container's `lifecycle` for a target version: where hooks are
 * allowed (`validateInitContainers`, `validateEphemeralContainers`), then `validateLifecycle` / `validateHandler`
 * after defaulting (`SetDefaults_HTTPGetAction`) and dropping fields the version does not have
 * (`sleep` before 1.30). Returns the field errors in upstream order (empty when valid).
 */
export function validateLifecycle(lifecycle: LifecycleJson | undefined, options: ValidateLifecycleOptions): FieldError[] {
  const kind = options.containerKind ?? 'containers';
  const base = options.containerPath ?? `spec.${kind}[0]`;
  const path = `${base}.lifecycle`;
  const grace = options.terminationGracePeriodSeconds ?? DEFAULTS.kubernetesTerminationGracePeriodSeconds;
  const decoded = decodeLifecycle(lifecycle, options.version);
  if (decoded === undefined) return [];
  if (kind === 'ephemeralContainers') {
    return [{ type: FieldErrorType.FORBIDDEN, field: path, detail: 'cannot be set for an Ephemeral Container' }];
  }
  if (kind === 'initContainers') {
    if (!options.version.isAtLeast(KubernetesVersion.V1_28)) {
      return [{ type: FieldErrorType.FORBIDDEN, field: path, detail: 'may not be set for init containers' }];
    }
    // 1.28 drops restartPolicy on init containers (SidecarContainers off), so the hook is forbidden there too
    if (options.restartPolicy !== 'Always' || !sidecarsSupported(options.version)) {
      return [{ type: FieldErrorType.FORBIDDEN, field: path, detail: 'may not be set for init containers without restartPolicy=Always' }];
    }
  }
  const errs: FieldError[] = [];
  for (const pos of HOOK_POSITIONS) {
    const h = decoded[pos];
    if (h !== undefined) errs.push(...validateHandler(h, `${path}.${pos}`, grace, options.version));
  }
  return errs;
}
