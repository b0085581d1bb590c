import { ManifestError } from '../k8s/errors';
import { validateHttpHeaderName, validatePortName, validatePortNumber } from '../k8s/names';
import type { ContainerHookBudgets } from './budget';
import { defaultBudgetSeconds } from './budget';
import type { LifecycleHandlerJson, LifecycleJson } from './types';
import { HOOK_POSITIONS, HookPosition } from './types';

const HOOK_SYMBOL = Symbol.for('cdk8s-safe-pods.LifecycleHook');
const TIMEOUT_SYMBOL = Symbol.for('cdk8s-safe-pods.ExecTimeout');

/**
 * The scheme of an `httpGet` hook (the API server accepts these two, case-sensitively).
 *
 * @group Values
 */
export enum HttpScheme {
  /** Plain HTTP. */
  HTTP = 'HTTP',
  /** HTTPS; the kubelet does not verify the certificate. */
  HTTPS = 'HTTPS',
}

/**
 * Which action a hook runs.
 *
 * @group Values
 */
export enum LifecycleHookKind {
  /** A command in the container. */
  EXEC = 'exec',
  /** An HTTP GET against the pod. */
  HTTP_GET = 'httpGet',
  /** The kubelet's native sleep (Kubernetes 1.30+). */
  SLEEP = 'sleep',
}

/**
 * How an exec hook is bounded. Kubernetes puts no timeout on exec hooks, so the library wraps the command in
 * `timeout -s KILL <budget>`; the image must then contain `timeout` (GNU coreutils, or busybox 1.30+/toybox).
 *
 * @group Values
 */
export class ExecTimeout {
  /** Wrap the command in `timeout` found on the image's PATH (coreutils or busybox). */
  public static readonly TIMEOUT = new ExecTimeout(['timeout']);

  /**
   * Wrap the command in a `timeout` at another place, e.g. `['/busybox/timeout']` or `['/bin/busybox', 'timeout']`.
   * The argv must run a `timeout` that accepts `-s KILL <seconds> <command...>`.
   */
  public static command(argv: readonly string[]): ExecTimeout {
    if (argv.length === 0 || argv.some((a) => typeof a !== 'string' || a.length === 0)) {
      throw new ManifestError(`exec timeout command ${JSON.stringify(argv)} is empty; give the path of a timeout binary, e.g. ["/busybox/timeout"]`);
    }
    return new ExecTimeout([...argv]);
  }

  /**
   * Do not wrap the command: the image has no `timeout` (e.g. distroless) or the command bounds itself. The budget
   * is then only declared (written to the `safe-pods.cdk8s.io/hook-budgets` annotation); a hanging PostStart keeps
   * the container out of Running, and a hanging PreStop runs until the grace period ends.
   */
  public static unbounded(): ExecTimeout {
    return new ExecTimeout(undefined);
  }

  /** Whether `x` is an `ExecTimeout` (works across copies of this package). */
  public static isExecTimeout(x: unknown): x is ExecTimeout {
    return x !== null && typeof x === 'object' && TIMEOUT_SYMBOL in x;
  }

  private constructor(
    /** The argv prefix that runs `timeout`; `undefined` when the hook is not wrapped. */
    public readonly argv: readonly string[] | undefined,
  ) {
    Object.defineProperty(this, TIMEOUT_SYMBOL, { value: true });
  }
}

/** Options for `LifecycleHook.exec`. */
export interface ExecHookOptions {
  /**
   * Seconds the command may run; the emitted command is `timeout -s KILL <budgetSeconds> <command...>`.
   *
   * @default - DEFAULTS.postStartBudgetSeconds for a postStart hook, DEFAULTS.preStopBudgetSeconds for a preStop hook
   */
  readonly budgetSeconds?: number;
  /**
   * How the command is bounded.
   *
   * @default ExecTimeout.TIMEOUT
   */
  readonly timeout?: ExecTimeout;
}

/** Options for `LifecycleHook.httpGet`. */
export interface HttpGetHookOptions {
  /** The port: a number (1–65535) or the name of a container port (IANA service name, e.g. `http`). */
  readonly port: number | string;
  /**
   * The scheme.
   *
   * @default HttpScheme.HTTP
   */
  readonly scheme?: HttpScheme;
  /**
   * Extra request headers (`Host` sets the request's host).
   *
   * @default - none; the kubelet sends `User-Agent: kube-lifecycle/<version>` and `Accept: *\/*`
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Seconds the endpoint may take. The kubelet's HTTP client has no timeout, so this is a declaration (written to
   * the `safe-pods.cdk8s.io/hook-budgets` annotation), not a bound: a PreStop request is cut off by the grace
   * period, a PostStart request is not cut off at all, which is why a postStart httpGet hook must set it.
   *
   * @default - DEFAULTS.preStopBudgetSeconds for a preStop hook; required for a postStart hook
   */
  readonly budgetSeconds?: number;
}

function checkBudget(seconds: number | undefined, what: string): void {
  if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < 1)) {
    // `timeout 0` disables the timeout, so a budget is at least one second
    throw new ManifestError(
      `${what} budgetSeconds ${JSON.stringify(seconds)} is not a whole number of seconds of at least 1; give e.g. 10`,
      'budgetSeconds',
    );
  }
}

interface HookData {
  readonly kind: LifecycleHookKind;
  readonly command?: readonly string[];
  readonly timeout?: ExecTimeout;
  readonly selfBounded?: boolean;
  readonly path?: string;
  readonly port?: number | string;
  readonly scheme?: HttpScheme;
  readonly headers?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly seconds?: number;
  readonly budgetSeconds?: number;
}

/**
 * A container lifecycle hook (PostStart or PreStop) with a time budget: `exec` (bounded with `timeout`),
 * `execSleep`, `httpGet` (budget declared) or the native `sleep` (Kubernetes 1.30+). There is no `tcpSocket`
 * (the kubelet never runs it) and no `httpGet` host (Pod Security "baseline" forbids it from 1.34).
 *
 * @group Values
 */
export class LifecycleHook {
  /**
   * Runs `command` in the container, bounded: the emitted command is `timeout -s KILL <budget> <command...>`
   * unless `options.timeout` says otherwise. The image must contain `timeout` (coreutils or busybox).
   */
  public static exec(command: readonly string[], options: ExecHookOptions = {}): LifecycleHook {
    if (!Array.isArray(command) || command.length === 0) {
      throw new ManifestError(
        'exec hook has an empty command, which the API server rejects (Required value); give the command, e.g. ["/app/drain"]',
        'exec.command',
      );
    }
    if (command.some((a) => typeof a !== 'string')) {
      throw new ManifestError(`exec hook command ${JSON.stringify(command)} has a non-string element; give strings only`, 'exec.command');
    }
    checkBudget(options.budgetSeconds, 'exec hook');
    const timeout = options.timeout ?? ExecTimeout.TIMEOUT;
    if (!ExecTimeout.isExecTimeout(timeout)) {
      throw new ManifestError('exec hook timeout is not an ExecTimeout; use ExecTimeout.TIMEOUT, ExecTimeout.command() or ExecTimeout.unbounded()');
    }
    return new LifecycleHook({ kind: LifecycleHookKind.EXEC, command: [...command], timeout, budgetSeconds: options.budgetSeconds });
  }

  /**
   * Runs `sleep <seconds>` in the container: the exec alternative to the native `sleep` on targets before 1.30.
   * The image must contain a `sleep` binary (distroless images do not). Its budget is `seconds`.
   */
  public static execSleep(seconds: number): LifecycleHook {
    if (!Number.isInteger(seconds) || seconds < 1) {
      throw new ManifestError(`exec sleep of ${JSON.stringify(seconds)} seconds is not a whole number of at least 1; give e.g. 5`, 'exec.command');
    }
    return new LifecycleHook({ kind: LifecycleHookKind.EXEC, command: ['sleep', String(seconds)], selfBounded: true, budgetSeconds: seconds });
  }

  /**
   * Sends `GET <path>` to the pod IP on `options.port`. The kubelet's client has no timeout: see `budgetSeconds`.
   */
  public static httpGet(path: string, options: HttpGetHookOptions): LifecycleHook {
    if (typeof path !== 'string') {
      throw new ManifestError(`httpGet hook path ${JSON.stringify(path)} is not a string; give e.g. "/shutdown"`, 'httpGet.path');
    }
    const port = options.port;
    const portErrors =
      typeof port === 'string'
        ? validatePortName(port)
        : typeof port === 'number'
          ? validatePortNumber(port)
          : ['must be a ' + 'number or a port name'];
    if (portErrors.length > 0) {
      throw new ManifestError(
        `httpGet hook port ${JSON.stringify(port)} is invalid (${portErrors.join('; ')}); give a port number 1-65535 or a container port name ` +
          `like "http"`,
        'httpGet.port',
      );
    }
    const scheme = options.scheme ?? HttpScheme.HTTP;
    if (scheme !== HttpScheme.HTTP && scheme !== HttpScheme.HTTPS) {
      throw new ManifestError(
        `httpGet hook scheme ${JSON.stringify(scheme)} is not supported (supported values: "HTTP", "HTTPS", case-sensitive); use HttpScheme.HTTPS`,
        'httpGet.scheme',
      );
    }
    const headers = Object.entries(options.headers ?? {}).map(([name, value]) => ({ name, value }));
    for (const h of headers) {
      const errs = validateHttpHeaderName(h.name);
      if (errs.length > 0) {
        throw new ManifestError(
          `httpGet hook header name ${JSON.stringify(h.name)} is invalid: ${errs[0]}; use letters, digits and "-"`,
          'httpGet.httpHeaders',
        );
      }
      if (typeof h.value !== 'string') {
        throw new ManifestError(`httpGet hook header ${JSON.stringify(h.name)} has a non-string value; give a string`, 'httpGet.httpHeaders');
      }
    }
    checkBudget(options.budgetSeconds, 'httpGet hook');
    return new LifecycleHook({ kind: LifecycleHookKind.HTTP_GET, path: path || '/', port, scheme, headers, budgetSeconds: options.budgetSeconds });
  }

  /**
   * The kubelet's native sleep (no binary needed in the image). Runs on Kubernetes 1.30+ only (0 seconds: 1.33+);
   * `seconds` must not exceed `terminationGracePeriodSeconds`. Its budget is `seconds`.
   */
  public static sleep(seconds: number): LifecycleHook {
    if (!Number.isInteger(seconds) || seconds < 0) {
      throw new ManifestError(
        `sleep hook of ${JSON.stringify(seconds)} seconds is invalid: the API server requires a non-negative whole number; give e.g. 5`,
        'sleep.seconds',
      );
    }
    return new LifecycleHook({ kind: LifecycleHookKind.SLEEP, seconds, budgetSeconds: seconds });
  }

  /** Whether `x` is a `LifecycleHook` (works across copies of this package). */
  public static isLifecycleHook(x: unknown): x is LifecycleHook {
    return x !== null && typeof x === 'object' && HOOK_SYMBOL in x;
  }

  /** The action the hook runs. */
  public readonly kind: LifecycleHookKind;

  private constructor(private readonly data: HookData) {
    this.kind = data.kind;
    Object.defineProperty(this, HOOK_SYMBOL, { value: true });
  }

  /** Whether the hook cannot outlive its budget by construction (sleep, exec sleep, exec wrapped in `timeout`). */
  public get bounded(): boolean {
    const d = this.data;
    return d.kind === LifecycleHookKind.SLEEP || d.selfBounded === true || (d.kind === LifecycleHookKind.EXEC && d.timeout?.argv !== undefined);
  }

  /**
   * The hook's budget in seconds at `position`: declared, or the default for the position; `undefined` for a
   * postStart httpGet hook without a declared budget (which cannot be rendered).
   */
  public budgetSeconds(position: HookPosition): number | undefined {
    if (this.data.budgetSeconds !== undefined) return this.data.budgetSeconds;
    if (this.data.kind === LifecycleHookKind.HTTP_GET && position === HookPosition.POST_START) return undefined;
    return defaultBudgetSeconds(position);
  }

  /**
   * The `LifecycleHandler` JSON at `position`. What the target version can run is for the judge to say
   * (`lifecycle-sleep-unsupported`, `lifecycle-handler-invalid`, `lifecycle-poststart-unbounded`).
   *
   * @internal
   */
  public _toJson(position: HookPosition): LifecycleHandlerJson {
    const d = this.data;
    switch (d.kind) {
      case LifecycleHookKind.SLEEP:
        return { sleep: { seconds: d.seconds } };
      case LifecycleHookKind.HTTP_GET: {
        return {
          httpGet: {
            path: d.path,
            port: d.port,
            scheme: d.scheme,
            ...(d.headers && d.headers.length > 0 ? { httpHeaders: d.headers.map((h) => ({ ...h })) } : {}),
          },
        };
      }
      case LifecycleHookKind.EXEC: {
        const command = d.command as readonly string[];
        const argv = d.selfBounded ? undefined : d.timeout?.argv;
        if (argv === undefined) return { exec: { command: [...command] } };
        return { exec: { command: [...argv, '-s', 'KILL', String(this.budgetSeconds(position)), ...command] } };
      }
    }
  }
}

/** A container's hooks. */
export interface LifecycleHooks {
  /**
   * Runs right after the container is created; the container does not reach Running (and the next container of
   * the pod does not start) until it returns, and a failure kills the container.
   *
   * @default - no postStart hook
   */
  readonly postStart?: LifecycleHook;
  /**
   * Runs before SIGTERM when the container is stopped; it counts against `terminationGracePeriodSeconds`.
   *
   * @default - no preStop hook
   */
  readonly preStop?: LifecycleHook;
}

/**
 * The Kubernetes JSON of a container's `lifecycle` (`undefined` without hooks). It is meant to be written after the
 * cdk8s-plus-27 L1 `toJson`, which drops fields unknown to 1.27 such as `sleep`. Throws `ManifestError` when a hook is
 * not a `LifecycleHook`; what the target version cannot run is judged from the JSON by the rule catalogue.
 */
export function renderLifecycle(hooks: LifecycleHooks): LifecycleJson | undefined {
  const out: { postStart?: LifecycleHandlerJson; preStop?: LifecycleHandlerJson } = {};
  for (const position of HOOK_POSITIONS) {
    const hook = hooks[position];
    if (hook === undefined) continue;
    if (!LifecycleHook.isLifecycleHook(hook)) {
      throw new ManifestError(
        `${position} is not a LifecycleHook; build it with LifecycleHook.exec(), httpGet() or sleep()`,
        `lifecycle.${position}`,
      );
    }
    out[position] = hook._toJson(position);
  }
  return out.postStart || out.preStop ? out : undefined;
}

/**
 * The budgets of a container's hooks, as written to the `safe-pods.cdk8s.io/hook-budgets` annotation, plus the
 * container's shutdown reserve when given.
 */
export function hookBudgetsOf(hooks: LifecycleHooks, shutdownReserveSeconds?: number): ContainerHookBudgets {
  const postStart = hooks.postStart?.budgetSeconds(HookPosition.POST_START);
  return {
    ...(postStart !== undefined ? { postStart } : {}),
    ...(hooks.preStop ? { preStop: hooks.preStop.budgetSeconds(HookPosition.PRE_STOP) } : {}),
    ...(shutdownReserveSeconds !== undefined ? { shutdownReserve: shutdownReserveSeconds } : {}),
  };
}
