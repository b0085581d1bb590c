/**
 * An offline ValidatingAdmissionPolicy evaluator: what the API server does with a policy and an admitted object,
 * with `@bufbuild/cel` as the CEL engine.
 *
 * 1. `admit()` turns a manifest object into what admission sees: an object of an API the server serves (group and
 *    version of `POD_KINDS`), decodable into the typed API (checked with kubernetes-models' OpenAPI schema; enum
 *    violations are left to API validation), with integers as CEL ints, and after the API server's defaulting of the
 *    fields the policies read (`SetDefaults_Container` imagePullPolicy by tag, `SetDefaults_PodSpec`
 *    terminationGracePeriodSeconds, `SetDefaults_Pod` enableServiceLinks, `SetDefaults_HTTPGetAction` path and scheme,
 *    `SetDefaults_ObjectFieldSelector` apiVersion) and with quantities in canonical form (`Quantity.String()`).
 * 2. `evaluate()` runs a policy as the validating admission plugin does: `matchConstraints`, then every
 *    `matchCondition` (false skips the policy; an error fails it under `failurePolicy: Fail`), then the `variables` in
 *    order, then each validation (false fails it, with the `messageExpression` result, or `message` when that errors
 *    or is multi-line).
 *
 * The string functions are replaced by ports of cel-go's (`ext/strings.go`): they index by code point and fail where
 * cel-go fails (`''.indexOf('x')`, `''.lastIndexOf('x')`), so an expression that would error in the API server errors
 * here too. `double(string)` parses like Go's `strconv.ParseFloat`.
 */
import type { CelFunc, CelInput, CelValue } from '@bufbuild/cel';
import { CelScalar, celEnv, celList, celMethod, celFunc, isCelError, listType, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
// the RE2 engine @bufbuild/cel itself uses for `matches` (its dependency)
import { RE2JS } from '@bufbuild/re2';
import { validateAdmissible } from './models';
import { defaultPullPolicy } from '../../src/image/pull-policy';
import type { KubernetesVersion } from '../../src/k8s/version';
import { tryParseQuantity } from '../../src/k8s/quantity';
import { POD_KINDS } from '../../src/admission/subject';
import type { ValidatingAdmissionPolicyBindingJson, ValidatingAdmissionPolicyJson } from '../../src/admission/policies';

// ---- cel-go's string functions ---------------------------------------------------------------------------------------

const { INT, STRING } = CelScalar;

function runes(s: string): string[] {
  return Array.from(s);
}

function outOfRange(i: number): Error {
  return new Error(`index out of range: ${i}`);
}

function indexOfOffset(str: string, sub: string, offset: number): bigint {
  if (sub === '') return BigInt(offset);
  const r = runes(str);
  const sr = runes(sub);
  if (offset < 0 || offset >= r.length) throw outOfRange(offset);
  for (let i = offset; i < r.length - (sr.length - 1); i++) {
    if (sr.every((c, j) => r[i + j] === c)) return BigInt(i);
  }
  return -1n;
}

function lastIndexOfOffset(str: string, sub: string, offset: number): bigint {
  if (sub === '') return BigInt(offset);
  const r = runes(str);
  const sr = runes(sub);
  if (offset < 0 || offset >= r.length) throw outOfRange(offset);
  let off = offset;
  if (off > r.length - sr.length) off = r.length - sr.length;
  for (let i = off; i >= 0; i--) {
    if (sr.every((c, j) => r[i + j] === c)) return BigInt(i);
  }
  return -1n;
}

/** Go `strconv.ParseFloat(s, 64)` for the decimal forms (`1`, `1.`, `.5`, `1e3`, `inf`, `nan`). */
function parseGoFloat(s: string): number {
  if (/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s)) {
    const n = Number(s);
    if (!Number.isFinite(n)) throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: value out of range`);
    return n;
  }
  if (/^[+-]?(?:inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
}

const CEL_GO_STRINGS: CelFunc[] = [
  celMethod('charAt', STRING, [INT], STRING, function (i) {
    const r = runes(this);
    const n = Number(i);
    if (n < 0 || n > r.length) throw outOfRange(n);
    return n === r.length ? '' : r[n];
  }),
  celMethod('indexOf', STRING, [STRING], INT, function (sub) {
    return indexOfOffset(this, sub, 0);
  }),
  celMethod('indexOf', STRING, [STRING, INT], INT, function (sub, off) {
    return indexOfOffset(this, sub, Number(off));
  }),
  celMethod('lastIndexOf', STRING, [STRING], INT, function (sub) {
    const r = runes(this);
    if (sub === '') return BigInt(r.length);
    return lastIndexOfOffset(this, sub, r.length - 1);
  }),
  celMethod('lastIndexOf', STRING, [STRING, INT], INT, function (sub, off) {
    return lastIndexOfOffset(this, sub, Number(off));
  }),
  celMethod('substring', STRING, [INT], STRING, function (start) {
    const r = runes(this);
    const s = Number(start);
    if (s < 0 || s > r.length) throw outOfRange(s);
    return r.slice(s).join('');
  }),
  celMethod('substring', STRING, [INT, INT], STRING, function (start, end) {
    const r = runes(this);
    const s = Number(start);
    const e = Number(end);
    if (s > e) throw new Error(`invalid substring range. start: ${s}, end: ${e}`);
    if (s < 0 || s > r.length) throw outOfRange(s);
    if (e < 0 || e > r.length) throw outOfRange(e);
    return r.slice(s, e).join('');
  }),
  celMethod('replace', STRING, [STRING, STRING], STRING, function (old, repl) {
    if (old === '') {
      const r = runes(this);
      return repl + r.map((c) => c + repl).join('');
    }
    return this.split(old).join(repl);
  }),
  celMethod('split', STRING, [STRING], listType(STRING), function (sep) {
    return celList(sep === '' ? runes(this) : this.split(sep));
  }),
  celFunc('double', [STRING], CelScalar.DOUBLE, (s) => parseGoFloat(s)),
];

const matchers = new Map<string, { test(text: string): boolean }>();

/**
 * The RE2 engine `@bufbuild/cel` uses for `matches` (RE2JS), with each pattern compiled once: the engine's own
 * `matches` compiles the pattern on every call, which made most of the parity tests' time.
 */
export const RE2_ENGINE = {
  compile(pattern: string): { test(text: string): boolean } {
    let m = matchers.get(pattern);
    if (m === undefined) {
      m = RE2JS.compile(pattern);
      matchers.set(pattern, m);
    }
    return m;
  },
};

const ENV = celEnv({ funcs: [...strings, ...CEL_GO_STRINGS], re2: RE2_ENGINE });

type Program = (bindings: Record<string, CelInput>) => CelValue | Error;
const programs = new Map<string, Program>();

/** Parses and plans a CEL expression once; throws when it does not parse. */
export function compile(expression: string): Program {
  let p = programs.get(expression);
  if (p === undefined) {
    const planned = plan(ENV, parse(expression));
    p = (bindings) => planned(bindings as never) as CelValue | Error;
    programs.set(expression, p);
  }
  return p;
}

/** Evaluates `expression` with `bindings`; returns the value, or the error as an `Error`. */
export function evalCel(expression: string, bindings: Record<string, CelInput>): CelValue | Error {
  try {
    const out = compile(expression)(bindings);
    return isCelError(out) ? (out as Error) : out;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

// ---- what admission sees --------------------------------------------------------------------------------------------

/** Why an object never reaches validating admission, or the object as admission sees it. */
export type Admitted = { readonly admitted: true; readonly object: Record<string, unknown> } | { readonly admitted: false; readonly reason: string };

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Deep copy with `null` members dropped (a typed decode leaves them unset) and integers as CEL ints. */
function toCel(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(toCel);
  if (isObject(x)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) if (v !== null && v !== undefined) out[k] = toCel(v);
    return out;
  }
  if (typeof x === 'number' && Number.isInteger(x)) return BigInt(x);
  return x;
}

function at(obj: Record<string, unknown>, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const k of path) cur = isObject(cur) ? cur[k] : undefined;
  return cur;
}

/** `SetDefaults_Container`'s `imagePullPolicy` of every container of a pod spec, in place: what admission sees. */
function defaultPullPolicies(spec: Record<string, unknown>, version: KubernetesVersion): void {
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const cs = spec[list];
    if (!Array.isArray(cs)) continue;
    for (const c of cs) {
      if (!isObject(c)) continue;
      if (c.imagePullPolicy === undefined || c.imagePullPolicy === '') {
        c.imagePullPolicy = defaultPullPolicy(typeof c.image === 'string' ? c.image : '', { kubernetesVersion: version });
      }
    }
  }
}

/**
 * A manifest object (plain JSON, as written) with the pull policies the API server's defaulting gives it, for the
 * judge: how the judge would see the object admission sees, in the fields one listed difference is about.
 */
export function withDefaultedPullPolicies(obj: Record<string, unknown>, version: KubernetesVersion): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(obj)) as Record<string, unknown>;
  const kind = POD_KINDS.find((k) => k.kind === copy.kind);
  const spec = kind === undefined ? undefined : at(copy, kind.spec);
  if (isObject(spec)) defaultPullPolicies(spec, version);
  return copy;
}

/** `SetDefaults_*` of the fields the policies read, in place, on a pod spec of a decoded object. */
function defaultPodSpec(spec: Record<string, unknown>, isPod: boolean, version: KubernetesVersion): void {
  if (spec.terminationGracePeriodSeconds === undefined) spec.terminationGracePeriodSeconds = 30n;
  if (isPod && spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  defaultPullPolicies(spec, version);
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const cs = spec[list];
    if (!Array.isArray(cs)) continue;
    for (const c of cs) {
      if (!isObject(c)) continue;
      for (const e of Array.isArray(c.env) ? c.env : []) {
        const fr = isObject(e) && isObject(e.valueFrom) ? e.valueFrom.fieldRef : undefined;
        if (isObject(fr) && (fr.apiVersion === undefined || fr.apiVersion === '')) fr.apiVersion = 'v1';
        const rr = isObject(e) && isObject(e.valueFrom) ? e.valueFrom.resourceFieldRef : undefined;
        if (isObject(rr) && rr.divisor !== undefined) {
          const q = tryParseQuantity(typeof rr.divisor === 'bigint' ? rr.divisor.toString() : String(rr.divisor));
          if (q !== undefined) rr.divisor = q.toString();
        }
      }
      const lifecycle = c.lifecycle;
      if (!isObject(lifecycle)) continue;
      for (const pos of ['postStart', 'preStop']) {
        const h = lifecycle[pos];
        if (!isObject(h) || !isObject(h.httpGet)) continue;
        if (h.httpGet.path === undefined || h.httpGet.path === '') h.httpGet.path = '/';
        if (h.httpGet.scheme === undefined || h.httpGet.scheme === '') h.httpGet.scheme = 'HTTP';
      }
    }
  }
}

/**
 * What validating admission sees for a manifest object on a cluster of `version`, or why it never gets there: an API
 * the cluster does not serve, or a JSON shape the API server cannot decode (wrong types, missing required fields).
 */
export function admit(obj: unknown, version: KubernetesVersion): Admitted {
  if (!isObject(obj)) return { admitted: false, reason: 'not an object' };
  const kind = POD_KINDS.find((k) => k.kind === obj.kind);
  const apiVersion = kind === undefined ? undefined : kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
  if (kind === undefined || obj.apiVersion !== apiVersion)
    return { admitted: false, reason: `${String(obj.apiVersion)} ${String(obj.kind)} is not served` };
  const problem = validateAdmissible(obj);
  if (problem !== undefined) return { admitted: false, reason: problem };
  const decoded = toCel(obj) as Record<string, unknown>;
  const spec = at(decoded, kind.spec);
  if (isObject(spec)) defaultPodSpec(spec, kind.kind === 'Pod', version);
  return { admitted: true, object: decoded };
}

// ---- the validating admission plugin --------------------------------------------------------------------------------

/** The outcome of one policy for one object. */
export interface PolicyOutcome {
  /** The policy's name. */
  readonly policy: string;
  /** `skip`: not matched (constraints or a false match condition); `pass`; `fail`: a validation is false; `error`. */
  readonly result: 'skip' | 'pass' | 'fail' | 'error';
  /** The message of a failure or error. */
  readonly message?: string;
  /** The values of the policy's variables (for debugging). */
  readonly variables?: Record<string, unknown>;
}

/** Whether the policy's `matchConstraints` select the object for the operation. */
function matchesConstraints(policy: ValidatingAdmissionPolicyJson, obj: Record<string, unknown>, operation: string): boolean {
  const [group, version] = String(obj.apiVersion).includes('/') ? String(obj.apiVersion).split('/') : ['', String(obj.apiVersion)];
  const kind = POD_KINDS.find((k) => k.kind === obj.kind);
  if (kind === undefined) return false;
  return policy.spec.matchConstraints.resourceRules.some(
    (r) => r.apiGroups.includes(group) && r.apiVersions.includes(version) && r.resources.includes(kind.resource) && r.operations.includes(operation),
  );
}

/** The request being admitted: a CREATE unless given. */
export interface RequestOptions {
  /**
   * `CREATE` or `UPDATE`.
   *
   * @default 'CREATE'
   */
  readonly operation?: 'CREATE' | 'UPDATE';
  /**
   * The object before an UPDATE (as `admit()` returns it).
   *
   * @default - none (null)
   */
  readonly oldObject?: Record<string, unknown>;
}

/** `request` for `obj`. */
function requestOf(obj: Record<string, unknown>, operation: string): Record<string, CelInput> {
  const metadata = isObject(obj.metadata) ? obj.metadata : {};
  return {
    operation,
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : 'default',
  };
}

/**
 * What a policy's variables and match conditions depend on, per expression: its text and, recursively, the texts of
 * the variables it reads. Two policies that hold an expression with the same key compute the same value for the same
 * request, so the value is computed once per admitted object (the API server computes it per policy; the result is
 * the same, only the test is faster).
 */
const expressionKeys = new WeakMap<ValidatingAdmissionPolicyJson, { conditions: string[]; variables: string[] }>();

function keysOf(policy: ValidatingAdmissionPolicyJson): { conditions: string[]; variables: string[] } {
  let keys = expressionKeys.get(policy);
  if (keys === undefined) {
    const byName = new Map<string, string>();
    const keyOf = (expression: string): string => {
      const reads = [...new Set([...expression.matchAll(/variables\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))].sort();
      return `${expression}\u0000${reads.map((r) => `${r}=${byName.get(r) ?? '?'}`).join('\u0000')}`;
    };
    const variables = policy.spec.variables.map((x) => {
      const key = keyOf(x.expression);
      byName.set(x.name, key);
      return key;
    });
    keys = { conditions: policy.spec.matchConditions.map((mc) => keyOf(mc.expression)), variables };
    expressionKeys.set(policy, keys);
  }
  return keys;
}

/** Values already computed for an admitted object (CREATE requests only), by expression key. */
const computed = new WeakMap<Record<string, unknown>, Map<string, CelValue | Error>>();

/** Runs one policy over an admitted object, as the validating admission plugin does. */
export function evaluate(policy: ValidatingAdmissionPolicyJson, obj: Record<string, unknown>, request: RequestOptions = {}): PolicyOutcome {
  const name = policy.metadata.name;
  const operation = request.operation ?? 'CREATE';
  if (!matchesConstraints(policy, obj, operation)) return { policy: name, result: 'skip' };
  const base: Record<string, CelInput> = {
    object: obj as CelInput,
    oldObject: (request.oldObject ?? null) as CelInput,
    request: requestOf(obj, operation),
    params: null,
    namespaceObject: null,
  };
  // values shared between policies, for a CREATE (an UPDATE also reads oldObject)
  let memo: Map<string, CelValue | Error> | undefined;
  if (request.oldObject === undefined && operation === 'CREATE') {
    memo = computed.get(obj);
    if (memo === undefined) computed.set(obj, (memo = new Map()));
  }
  const keys = keysOf(policy);
  const once = (key: string, compute: () => CelValue | Error): CelValue | Error => {
    if (memo === undefined) return compute();
    let value = memo.get(key);
    if (value === undefined) memo.set(key, (value = compute()));
    return value;
  };
  for (const [i, mc] of policy.spec.matchConditions.entries()) {
    const r = once(keys.conditions[i], () => evalCel(mc.expression, base));
    if (r === false) return { policy: name, result: 'skip' };
    if (r instanceof Error) return { policy: name, result: 'error', message: `match condition ${mc.name}: ${r.message}` };
  }
  const variables: Record<string, CelInput> = {};
  for (const [i, x] of policy.spec.variables.entries()) {
    const r = once(keys.variables[i], () => evalCel(x.expression, { ...base, variables }));
    if (r instanceof Error) return { policy: name, result: 'error', message: `variable ${x.name}: ${r.message}`, variables };
    variables[x.name] = r as CelInput;
  }
  for (const val of policy.spec.validations) {
    const r = evalCel(val.expression, { ...base, variables });
    if (r instanceof Error) return { policy: name, result: 'error', message: `validation: ${r.message}`, variables };
    if (r === true) continue;
    const m = evalCel(val.messageExpression, { ...base, variables });
    const message = typeof m === 'string' && !/[\r\n]/.test(m) && m.length <= 5 * 1024 ? m : val.message;
    return { policy: name, result: 'fail', message, variables };
  }
  return { policy: name, result: 'pass', variables };
}

/** What the client sees for an object: the denials and the warnings, each with its policy and message. */
export interface AdmissionResult {
  readonly denied: readonly PolicyOutcome[];
  readonly warned: readonly PolicyOutcome[];
  readonly audited: readonly PolicyOutcome[];
  readonly outcomes: readonly PolicyOutcome[];
}

/** Evaluates every policy with its binding's validation actions (a failed or erroring policy acts as its binding says). */
export function admitWithPolicies(
  set: { readonly policies: readonly ValidatingAdmissionPolicyJson[]; readonly bindings: readonly ValidatingAdmissionPolicyBindingJson[] },
  obj: Record<string, unknown>,
): AdmissionResult {
  const outcomes = set.policies.map((p) => evaluate(p, obj));
  const actionsOf = (policy: string): readonly string[] => set.bindings.find((b) => b.spec.policyName === policy)?.spec.validationActions ?? [];
  const failing = outcomes.filter((o) => o.result === 'fail' || o.result === 'error');
  return {
    denied: failing.filter((o) => actionsOf(o.policy).includes('Deny')),
    warned: failing.filter((o) => actionsOf(o.policy).includes('Warn')),
    audited: failing.filter((o) => actionsOf(o.policy).includes('Audit')),
    outcomes,
  };
}
