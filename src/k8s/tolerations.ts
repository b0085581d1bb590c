/**
 * Tolerations: `ValidateTolerations` (`k8s pkg/apis/core/validation/validation.go`) and `MergeTolerations` /
 * `isSuperset` (`k8s pkg/util/tolerations`, used by the RuntimeClass admission plugin).
 */
import type { FieldError } from './field-error';
import { FieldErrorType } from './field-error';
import { validateLabelValue, validateQualifiedName } from './names';

/** A toleration as it appears in JSON (`core/v1 Toleration`). */
export interface TolerationJson {
  /**
   * The taint key; empty with `Exists` matches every taint.
   *
   * @default ""
   */
  readonly key?: string;
  /**
   * `Exists` or `Equal`.
   *
   * @default "" (means `Equal`)
   */
  readonly operator?: string;
  /**
   * The taint value to match (`Equal` only).
   *
   * @default ""
   */
  readonly value?: string;
  /**
   * `NoSchedule`, `PreferNoSchedule` or `NoExecute`; empty matches every effect.
   *
   * @default ""
   */
  readonly effect?: string;
  /**
   * How long a `NoExecute` taint is tolerated after it appears.
   *
   * @default - forever
   */
  readonly tolerationSeconds?: number;
}

/** Toleration operators (`core.TolerationOperator`). */
export enum TolerationOperator {
  /** Matches any value of the key. */
  EXISTS = 'Exists',
  /** Matches the key and value. */
  EQUAL = 'Equal',
}

/** Taint effects (`core.TaintEffect`). */
export enum TaintEffect {
  /** Do not schedule new pods. */
  NO_SCHEDULE = 'NoSchedule',
  /** Avoid scheduling new pods. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** Evict running pods. */
  NO_EXECUTE = 'NoExecute',
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * `ValidateTolerations`: the API server's checks of a toleration list, as field errors under `path`
 * (e.g. `spec.tolerations`). With `unique` (RuntimeClass `scheduling.tolerations`), duplicates of
 * key/operator/value/effect are also reported, as the node API's `validateTolerations` does.
 */
export function validateTolerations(tolerations: readonly TolerationJson[], path: string, unique = false): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  tolerations.forEach((t, i) => {
    const idx = `${path}[${i}]`;
    const key = str(t.key);
    const operator = str(t.operator);
    const value = str(t.value);
    const effect = str(t.effect);
    if (key.length > 0) {
      for (const detail of validateQualifiedName(key)) errs.push({ type: FieldErrorType.INVALID, field: `${idx}.key`, detail, value: key });
    }
    if (key.length === 0 && operator !== TolerationOperator.EXISTS) {
      errs.push({
        type: FieldErrorType.INVALID,
        field: `${idx}.operator`,
        detail: 'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        value: operator,
      });
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== TaintEffect.NO_EXECUTE) {
      errs.push({
        type: FieldErrorType.INVALID,
        field: `${idx}.effect`,
        detail: "effect must be 'NoExecute' when `tolerationSeconds` is set",
        value: effect,
      });
    }
    switch (operator) {
      case TolerationOperator.EQUAL:
      case '': {
        const msgs = validateLabelValue(value);
        if (msgs.length > 0) errs.push({ type: FieldErrorType.INVALID, field: `${idx}.operator`, detail: msgs.join(';'), value });
        break;
      }
      case TolerationOperator.EXISTS:
        if (value.length > 0) {
          errs.push({ type: FieldErrorType.INVALID, field: `${idx}.operator`, detail: "value must be empty when `operator` is 'Exists'", value: t });
        }
        break;
      default:
        errs.push({ type: FieldErrorType.NOT_SUPPORTED, field: `${idx}.operator`, detail: 'supported values: "Equal", "Exists"', value: operator });
    }
    if (effect.length > 0 && !(Object.values(TaintEffect) as string[]).includes(effect)) {
      errs.push({
        type: FieldErrorType.NOT_SUPPORTED,
        field: `${idx}.effect`,
        detail: 'supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
        value: effect,
      });
    }
    if (unique) {
      const listKey = JSON.stringify([key, operator, value, effect]);
      if (seen.has(listKey)) errs.push({ type: FieldErrorType.DUPLICATE, field: idx, detail: '', value: t });
      seen.add(listKey);
    }
  });
  return errs;
}

function sameToleration(a: TolerationJson, b: TolerationJson): boolean {
  return (
    str(a.key) === str(b.key) &&
    str(a.operator) === str(b.operator) &&
    str(a.value) === str(b.value) &&
    str(a.effect) === str(b.effect) &&
    (a.tolerationSeconds ?? undefined) === (b.tolerationSeconds ?? undefined)
  );
}

/** `isSuperset`: whether `ss` tolerates every taint `t` tolerates. */
export function isTolerationSuperset(ss: TolerationJson, t: TolerationJson): boolean {
  if (sameToleration(t, ss)) return true;
  if (str(t.key) !== str(ss.key) && (str(ss.key) !== '' || str(ss.operator) !== TolerationOperator.EXISTS)) return false;
  if (str(t.effect) !== str(ss.effect) && str(ss.effect) !== '') return false;
  if (str(ss.effect) === TaintEffect.NO_EXECUTE && ss.tolerationSeconds !== undefined && ss.tolerationSeconds !== null) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null || t.tolerationSeconds > ss.tolerationSeconds) return false;
  }
  switch (str(ss.operator)) {
    case TolerationOperator.EQUAL:
    case '':
      return str(t.operator) === TolerationOperator.EQUAL && str(t.value) === str(ss.value);
    case TolerationOperator.EXISTS:
      return true;
    default:
      return false;
  }
}

/**
 * `tolerations.MergeTolerations(first, second)`: the union of both lists in order, where a toleration that another
 * one tolerates a superset of is dropped (of two equal ones, the first is kept).
 */
export function mergeTolerations(first: readonly TolerationJson[], second: readonly TolerationJson[]): TolerationJson[] {
  const all = [...first, ...second];
  const merged: TolerationJson[] = [];
  next: for (let i = 0; i < all.length; i++) {
    const t = all[i];
    for (const t2 of merged) {
      if (isTolerationSuperset(t2, t)) continue next;
    }
    for (const t2 of all.slice(i + 1)) {
      if (!sameToleration(t, t2) && isTolerationSuperset(t2, t)) continue next;
    }
    merged.push(t);
  }
  return merged;
}
