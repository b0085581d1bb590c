import { DEFAULTS } from '../defaults';
import type { LifecycleHandlerJson } from './types';
import { HookPosition } from './types';

/**
 * Annotation in which the library records each hook's time budget, for budgets that the hook JSON cannot carry
 * (an `httpGet` hook, an exec hook marked unbounded) and for the shutdown reserve. The value is JSON:
 * `{"<container>": {"postStart": <s>, "preStop": <s>, "shutdownReserve": <s>}}`, every key optional.
 * The rule catalogue reads it from the object's `metadata.annotations`, so any manifest can declare budgets.
 */
export const HOOK_BUDGETS_ANNOTATION = 'safe-pods.cdk8s.io/hook-budgets';

/** Budgets declared for one container (seconds). */
export interface ContainerHookBudgets {
  /**
   * Budget of the `postStart` hook.
   *
   * @default - none declared
   */
  readonly postStart?: number;
  /**
   * Budget of the `preStop` hook.
   *
   * @default - none declared
   */
  readonly preStop?: number;
  /**
   * Seconds the app needs after SIGTERM, inside the grace period.
   *
   * @default - DEFAULTS.shutdownReserveSeconds
   */
  readonly shutdownReserve?: number;
}

const BUDGET_KEYS = ['postStart', 'preStop', 'shutdownReserve'] as const;

/** The annotation value for the given containers' budgets (keys in a stable order), or `undefined` when there is nothing to record. */
export function formatHookBudgetAnnotation(byContainer: Readonly<Record<string, ContainerHookBudgets>>): string | undefined {
  const out: Record<string, Record<string, number>> = {};
  for (const name of Object.keys(byContainer).sort()) {
    const b = byContainer[name];
    const entry: Record<string, number> = {};
    for (const k of BUDGET_KEYS) if (b[k] !== undefined) entry[k] = b[k] as number;
    if (Object.keys(entry).length > 0) out[name] = entry;
  }
  return Object.keys(out).length > 0 ? JSON.stringify(out) : undefined;
}

/** The result of reading the budgets annotation: the budgets by container, or why the value is unreadable. */
export interface ParsedHookBudgets {
  /** Budgets by container name (empty when the annotation is absent or unreadable). */
  readonly budgets: ReadonlyMap<string, ContainerHookBudgets>;
  /**
   * Why the value cannot be read.
   *
   * @default - the value was read
   */
  readonly error?: string;
}

/** Reads the value of the `safe-pods.cdk8s.io/hook-budgets` annotation (`undefined`: no annotation). */
export function parseHookBudgetAnnotation(text: string | undefined): ParsedHookBudgets {
  const budgets = new Map<string, ContainerHookBudgets>();
  if (text === undefined) return { budgets };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { budgets, error: 'is not JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { budgets, error: 'is not a JSON object of container names' };
  }
  for (const [name, entry] of Object.entries(parsed as Record<string, unknown>)) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      return { budgets: new Map(), error: `has no object for container ${JSON.stringify(name)}` };
    }
    const b: Record<string, number> = {};
    for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
      if (!(BUDGET_KEYS as readonly string[]).includes(k)) {
        return {
          budgets: new Map(),
          error: `has an unknown key ${JSON.stringify(k)} for container ${JSON.stringify(name)} (known: ` + `${BUDGET_KEYS.join(', ')})`,
        };
      }
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        return { budgets: new Map(), error: `has ${JSON.stringify(v)} for ${name}.${k}, which is not a whole number of seconds` };
      }
      b[k] = v;
    }
    budgets.set(name, b);
  }
  return { budgets };
}

const DURATION_RE = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** A `timeout` duration (`10`, `1.5`, `2m`) in seconds, `undefined` when unreadable. */
function parseDuration(text: string): number | undefined {
  const m = DURATION_RE.exec(text);
  return m ? Number(m[1]) * UNIT_SECONDS[m[2]] : undefined;
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** How an exec command is bounded by a `timeout` wrapper. */
export interface TimeoutWrapper {
  /** Seconds after which the command is killed for sure (duration, plus `-k` when given), rounded up. */
  readonly seconds: number;
  /** The signal sent at the deadline, e.g. `KILL` or `TERM`. */
  readonly signal: string;
}

/**
 * Reads a `timeout` wrapper (GNU coreutils or busybox/toybox `timeout`) at the start of an exec command:
 * `timeout [-s SIG] [-k DUR] [--preserve-status] [--foreground] [-v] DUR CMD...`, also as `busybox timeout ...`
 * and in the old busybox form `timeout -t SECS CMD...`. `undefined` when the command is not wrapped, or when the
 * duration is 0 (which disables the timeout).
 */
export function parseTimeoutWrapper(command: readonly string[]): TimeoutWrapper | undefined {
  let i = 0;
  if (command.length > 1 && ['busybox', 'toybox'].includes(basename(command[0])) && command[1] === 'timeout') i = 2;
  else if (command.length > 0 && basename(command[0]) === 'timeout') i = 1;
  else return undefined;
  let signal = 'TERM';
  let killAfter = 0;
  let duration: number | undefined;
  const value = (inline: string): string | undefined => (inline.length > 0 ? inline : command[++i]);
  for (; i < command.length; i++) {
    const a = command[i];
    if (a === '--') {
      i++;
      break;
    }
    let m: RegExpExecArray | null;
    if ((m = /^(?:-s|--signal=?)(.*)$/.exec(a))) {
      signal = (value(m[1]) ?? '').replace(/^SIG/i, '').toUpperCase();
    } else if ((m = /^(?:-k|--kill-after=?)(.*)$/.exec(a))) {
      const d = parseDuration(value(m[1]) ?? '');
      if (d === undefined) return undefined;
      killAfter = d;
    } else if ((m = /^-t(.*)$/.exec(a))) {
      duration = parseDuration(value(m[1]) ?? '');
      if (duration === undefined) return undefined;
    } else if (['--preserve-status', '--foreground', '-v', '--verbose', '-f', '-p'].includes(a)) {
      continue;
    } else if (a.startsWith('-') && a.length > 1) {
      return undefined; // an option we do not know: do not guess
    } else {
      break;
    }
  }
  if (duration === undefined) {
    duration = parseDuration(command[i] ?? '');
    i++;
  }
  if (duration === undefined || duration === 0 || i >= command.length) return undefined;
  const kill = signal === 'KILL' || signal === '9' ? 0 : killAfter;
  return { seconds: Math.ceil(duration + kill), signal };
}

const SHELLS = ['sh', 'bash', 'ash', 'dash'];

/** Seconds of an exec `sleep N` hook (`["sleep", "N"]` or `["sh", "-c", "sleep N"]`), `undefined` otherwise. */
export function parseExecSleep(command: readonly string[]): number | undefined {
  let text: string | undefined;
  if (command.length === 2 && basename(command[0]) === 'sleep') text = command[1];
  else if (command.length === 3 && SHELLS.includes(basename(command[0])) && command[1] === '-c') {
    text = /^\s*(?:exec\s+)?sleep\s+(\S+)\s*$/.exec(command[2])?.[1];
  }
  const d = text === undefined ? undefined : parseDuration(text);
  return d === undefined ? undefined : Math.ceil(d);
}

/** Where a hook's budget was read from. */
export enum BudgetSource {
  /** The native `sleep` action's seconds. */
  SLEEP = 'sleep',
  /** A `timeout` wrapper around an exec command. */
  TIMEOUT = 'timeout',
  /** An exec `sleep N` command. */
  EXEC_SLEEP = 'exec-sleep',
  /** The `safe-pods.cdk8s.io/hook-budgets` annotation. */
  DECLARED = 'declared',
  /** Nothing: the library default for the hook position was assumed. */
  DEFAULT = 'default',
}

/** A hook's time budget as read from a manifest. */
export interface HookBudget {
  /** Seconds the hook may take. */
  readonly seconds: number;
  /** Where the number comes from. */
  readonly source: BudgetSource;
}

/** The library default budget for a hook position. */
export function defaultBudgetSeconds(position: HookPosition): number {
  return position === HookPosition.POST_START ? DEFAULTS.postStartBudgetSeconds : DEFAULTS.preStopBudgetSeconds;
}

/**
 * A hook's budget from the manifest: from the JSON itself where it bounds the hook (sleep seconds, a `timeout`
 * wrapper, an exec `sleep N`), else the declared budget (annotation), else the default for the position.
 */
export function readHookBudget(handler: LifecycleHandlerJson, position: HookPosition, declared?: number): HookBudget {
  if (handler.sleep && typeof handler.sleep.seconds === 'number') return { seconds: handler.sleep.seconds, source: BudgetSource.SLEEP };
  const command = handler.exec?.command;
  if (Array.isArray(command)) {
    const wrapper = parseTimeoutWrapper(command);
    if (wrapper) return { seconds: wrapper.seconds, source: BudgetSource.TIMEOUT };
    const sleep = parseExecSleep(command);
    if (sleep !== undefined) return { seconds: sleep, source: BudgetSource.EXEC_SLEEP };
  }
  if (declared !== undefined) return { seconds: declared, source: BudgetSource.DECLARED };
  return { seconds: defaultBudgetSeconds(position), source: BudgetSource.DEFAULT };
}
