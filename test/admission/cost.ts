/**
 * A worst-case estimate of the runtime cost Kubernetes charges for a CEL expression, for objects within a stated
 * envelope (`ENVELOPE`). Kubernetes limits every expression evaluation to `PerCallLimit` (1,000,000) and every
 * evaluation of a policy to `RuntimeCELCostBudget` (10,000,000), k8s.io/apiserver/pkg/apis/cel/config.go; over the
 * limit the evaluation errors, and with `failurePolicy: Fail` the request is refused.
 *
 * How it estimates: the expression is parsed (`@bufbuild/cel` gives the standard CEL AST, macros expanded into
 * comprehensions) and walked once with abstract values that carry the largest size a value can have: a list its
 * length and element, a string its length, a map or record its fields. Costs follow cel-go's runtime cost model
 * (`interpreter/runtimecost.go`, `common/cost.go`, and the Kubernetes library estimator for the strings extension):
 * identifiers and selections 1, constants 0, `has()` 0 (Kubernetes sets PresenceTestHasCost(false)), most calls 1,
 * string work `ceil(0.1 * length)`, `matches` `ceil(0.1 * (1 + length)) * ceil(0.25 * pattern length)`, list literals
 * 10, map literals 30, a comprehension its range plus, per element, its condition and step. A ternary costs its
 * condition plus the dearer branch. The numbers are upper bounds for objects inside the envelope, not exact counts.
 */
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { parse } from '@bufbuild/cel';

/** Abstract values: the largest value an expression can produce. */
export type Abs =
  | { readonly t: 'str'; readonly len: number }
  | { readonly t: 'list'; readonly size: number; readonly elem: Abs }
  | { readonly t: 'map'; readonly size: number; readonly key: Abs; readonly value: Abs; readonly fields?: Readonly<Record<string, Abs>> }
  | { readonly t: 'scalar' }
  | { readonly t: 'null' };

const SCALAR: Abs = { t: 'scalar' };
const str = (len: number): Abs => ({ t: 'str', len });
const list = (size: number, elem: Abs): Abs => ({ t: 'list', size, elem });
const record = (fields: Record<string, Abs>): Abs => ({ t: 'map', size: Object.keys(fields).length, key: str(32), value: SCALAR, fields });
const map = (size: number, key: Abs, value: Abs): Abs => ({ t: 'map', size, key, value });

/** The largest object the estimates hold for. */
export const ENVELOPE = Object.freeze({
  /** Containers in each of the three lists (init, regular, ephemeral): 15 in all, each with both hooks. */
  containersPerList: 5,
  /** Env entries per container. */
  envPerContainer: 60,
  /** Length of an env name, an envFrom prefix, a container's other names. */
  nameLength: 64,
  /** envFrom entries per container. */
  envFromPerContainer: 10,
  /** Arguments of an exec hook command. */
  commandArgs: 24,
  /** Length of one command argument. */
  argLength: 256,
  /** Annotations per metadata object. */
  annotations: 32,
  /** Length of an annotation value (suppression reasons, the budgets annotation). */
  annotationValueLength: 1024,
  /** Length of an image reference. */
  imageLength: 256,
  /** Length of a downward-API field path or resource name. */
  fieldPathLength: 256,
  /** HTTP headers of an httpGet hook. */
  httpHeaders: 10,
});

function handler(): Abs {
  return record({
    exec: record({ command: list(ENVELOPE.commandArgs, str(ENVELOPE.argLength)) }),
    httpGet: record({
      port: str(15),
      host: str(253),
      scheme: str(8),
      path: str(1024),
      httpHeaders: list(ENVELOPE.httpHeaders, record({ name: str(253), value: str(1024) })),
    }),
    tcpSocket: record({ port: str(15) }),
    sleep: record({ seconds: SCALAR }),
  });
}

function container(): Abs {
  const env = record({
    name: str(ENVELOPE.nameLength),
    value: str(4096),
    valueFrom: record({
      fieldRef: record({ fieldPath: str(ENVELOPE.fieldPathLength), apiVersion: str(16) }),
      resourceFieldRef: record({ resource: str(ENVELOPE.fieldPathLength), divisor: str(32) }),
      configMapKeyRef: record({ name: str(253), key: str(253) }),
      secretKeyRef: record({ name: str(253), key: str(253) }),
    }),
  });
  return record({
    name: str(63),
    image: str(ENVELOPE.imageLength),
    imagePullPolicy: str(16),
    restartPolicy: str(16),
    env: list(ENVELOPE.envPerContainer, env),
    envFrom: list(ENVELOPE.envFromPerContainer, record({ prefix: str(ENVELOPE.nameLength) })),
    lifecycle: record({ postStart: handler(), preStop: handler() }),
  });
}

function metadata(): Abs {
  return record({ name: str(253), annotations: map(ENVELOPE.annotations, str(317), str(ENVELOPE.annotationValueLength)) });
}

/** The envelope object as an abstract value: every pod kind's fields at once. */
export function envelopeObject(): Abs {
  const podSpec = record({
    containers: list(ENVELOPE.containersPerList, container()),
    initContainers: list(ENVELOPE.containersPerList, container()),
    ephemeralContainers: list(ENVELOPE.containersPerList, container()),
    terminationGracePeriodSeconds: SCALAR,
    runtimeClassName: str(253),
  });
  const template = record({ metadata: metadata(), spec: podSpec });
  return record({
    kind: str(32),
    apiVersion: str(32),
    metadata: metadata(),
    spec: record({
      ...(podSpec as { fields: Record<string, Abs> }).fields,
      template,
      jobTemplate: record({ metadata: metadata(), spec: record({ template }) }),
    }),
    template,
  });
}

const t01 = (n: number): number => Math.ceil(0.1 * n);

function len(a: Abs): number {
  return a.t === 'str' ? a.len : a.t === 'list' ? a.size : a.t === 'map' ? a.size : 1;
}

/** The join of two abstract values (for a ternary): the larger of each. */
function join(a: Abs, b: Abs): Abs {
  if (a.t === 'null') return b;
  if (b.t === 'null') return a;
  if (a.t === 'str' && b.t === 'str') return str(Math.max(a.len, b.len));
  if (a.t === 'list' && b.t === 'list') return list(Math.max(a.size, b.size), a.size === 0 ? b.elem : b.size === 0 ? a.elem : join(a.elem, b.elem));
  if (a.t === 'map' && b.t === 'map') {
    const fields: Record<string, Abs> = { ...(a.fields ?? {}) };
    for (const [k, v] of Object.entries(b.fields ?? {})) fields[k] = k in fields ? join(fields[k], v) : v;
    return { t: 'map', size: Math.max(a.size, b.size), key: join(a.key, b.key), value: join(a.value, b.value), fields };
  }
  if (a.t === 'scalar' && b.t === 'scalar') return SCALAR;
  // a value of either shape: keep both (the estimator reads whichever the expression uses)
  return a.t === 'scalar' ? b : a;
}

function field(a: Abs, name: string): Abs {
  if (a.t !== 'map') throw new Error(`cost estimate: .${name} of a ${a.t}`);
  if (a.fields && name in a.fields) return a.fields[name];
  if (a.fields) throw new Error(`cost estimate: no field ${name}`);
  return a.value;
}

/** The result of estimating an expression: its worst-case cost and its largest value. */
export interface Estimate {
  readonly cost: number;
  readonly value: Abs;
}

type Scope = ReadonlyMap<string, Abs>;

function constValue(e: Expr): Abs {
  const k = e.exprKind.case === 'constExpr' ? e.exprKind.value.constantKind : undefined;
  if (k?.case === 'stringValue') return str(k.value.length);
  if (k?.case === 'nullValue') return { t: 'null' };
  return SCALAR;
}

function estimateExpr(e: Expr, scope: Scope): Estimate {
  switch (e.exprKind.case) {
    case 'constExpr':
      return { cost: 0, value: constValue(e) };
    case 'identExpr': {
      const v = scope.get(e.exprKind.value.name);
      if (v === undefined) throw new Error(`cost estimate: unknown identifier ${e.exprKind.value.name}`);
      return { cost: 1, value: v };
    }
    case 'selectExpr': {
      const s = e.exprKind.value;
      const operand = estimateExpr(s.operand!, scope);
      if (s.testOnly) return { cost: operand.cost, value: SCALAR };
      return { cost: operand.cost + 1, value: field(operand.value, s.field) };
    }
    case 'listExpr': {
      const elems = e.exprKind.value.elements.map((x) => estimateExpr(x, scope));
      const elem = elems.reduce<Abs>((acc, x) => join(acc, x.value), { t: 'null' });
      return { cost: 10 + elems.reduce((n, x) => n + x.cost, 0), value: list(elems.length, elem) };
    }
    case 'structExpr': {
      const fields: Record<string, Abs> = {};
      let cost = 30;
      for (const entry of e.exprKind.value.entries) {
        if (entry.keyKind.case !== 'mapKey') throw new Error('cost estimate: message literals are not used');
        const key = entry.keyKind.value;
        const k =
          key.exprKind.case === 'constExpr' && key.exprKind.value.constantKind.case === 'stringValue'
            ? key.exprKind.value.constantKind.value
            : undefined;
        const v = estimateExpr(entry.value!, scope);
        cost += v.cost;
        if (k === undefined) throw new Error('cost estimate: map literals have constant keys');
        fields[k] = v.value;
      }
      return { cost, value: record(fields) };
    }
    case 'comprehensionExpr': {
      const c = e.exprKind.value;
      const range = estimateExpr(c.iterRange!, scope);
      const init = estimateExpr(c.accuInit!, scope);
      const r = range.value;
      if (r.t !== 'list' && r.t !== 'map') throw new Error(`cost estimate: comprehension over a ${r.t}`);
      const elem = r.t === 'list' ? r.elem : r.key;
      // the accumulator at its largest: a list as long as the range (map, filter) or a scalar (all, exists, exists_one)
      const accu = init.value.t === 'list' ? list(r.size, SCALAR) : init.value;
      const inner = new Map(scope).set(c.iterVar, elem).set(c.accuVar, accu);
      const step = estimateExpr(c.loopStep!, inner);
      const cond = estimateExpr(c.loopCondition!, inner);
      const accuFinal = init.value.t === 'list' && step.value.t === 'list' ? list(r.size, step.value.elem) : step.value;
      const result = estimateExpr(c.result!, new Map(scope).set(c.accuVar, accuFinal));
      return { cost: range.cost + init.cost + r.size * (step.cost + cond.cost) + result.cost, value: result.value };
    }
    case 'callExpr':
      return estimateCall(e.exprKind.value.function, e.exprKind.value.target, e.exprKind.value.args, scope);
    default:
      throw new Error(`cost estimate: unsupported expression ${e.exprKind.case}`);
  }
}

function estimateCall(fn: string, target: Expr | undefined, argExprs: readonly Expr[], scope: Scope): Estimate {
  if (fn === '_?_:_') {
    const [c, a, b] = argExprs.map((x) => estimateExpr(x, scope));
    return { cost: c.cost + Math.max(a.cost, b.cost), value: join(a.value, b.value) };
  }
  const t = target ? estimateExpr(target, scope) : undefined;
  const args = argExprs.map((x) => estimateExpr(x, scope));
  const base = (t?.cost ?? 0) + args.reduce((n, x) => n + x.cost, 0);
  const all = t ? [t, ...args] : args;
  const v = all.map((x) => x.value);
  const out = (extra: number, value: Abs): Estimate => ({ cost: base + extra, value });
  switch (fn) {
    case '_&&_':
    case '_||_':
    case '!_':
    case '@not_strictly_false':
      return out(0, SCALAR);
    case 'dyn':
      return out(0, v[0]);
    case '_==_':
    case '_!=_':
      return out(1 + t01(Math.min(len(v[0]), len(v[1]))), SCALAR);
    case '_<_':
    case '_<=_':
    case '_>_':
    case '_>=_':
    case '_-_':
    case '_*_':
    case '-_':
    case 'size':
    case 'int':
    case 'double':
    case 'type':
      return out(1, SCALAR);
    case 'string':
      return out(1, v[0].t === 'str' ? v[0] : str(24));
    case '_+_':
      if (v[0].t === 'str' || v[1].t === 'str') return out(1 + t01(len(v[0]) + len(v[1])), str(len(v[0]) + len(v[1])));
      if (v[0].t === 'list' || v[1].t === 'list') {
        type ListAbs = Extract<Abs, { t: 'list' }>;
        const empty: ListAbs = { t: 'list', size: 0, elem: { t: 'null' } };
        const a: ListAbs = v[0].t === 'list' ? v[0] : empty;
        const b: ListAbs = v[1].t === 'list' ? v[1] : empty;
        return out(1, list(a.size + b.size, a.size === 0 ? b.elem : b.size === 0 ? a.elem : join(a.elem, b.elem)));
      }
      return out(1, SCALAR);
    case '_[_]':
      if (v[0].t === 'list') return out(1, v[0].elem);
      if (v[0].t === 'map') {
        const key = argExprs[1];
        const k =
          key.exprKind.case === 'constExpr' && key.exprKind.value.constantKind.case === 'stringValue'
            ? key.exprKind.value.constantKind.value
            : undefined;
        return out(1, k !== undefined && v[0].fields && k in v[0].fields ? v[0].fields[k] : v[0].value);
      }
      throw new Error(`cost estimate: index into a ${v[0].t}`);
    case '@in':
      return out(1 + (v[1].t === 'list' ? v[1].size * (1 + t01(Math.min(len(v[0]), len(v[1].elem)))) : 0), SCALAR);
    case 'matches':
      return out(Math.ceil(0.1 * (1 + len(v[0]))) * Math.ceil(0.25 * len(v[1])), SCALAR);
    case 'contains':
      return out(1 + t01(len(v[0])), SCALAR);
    case 'startsWith':
    case 'endsWith':
      return out(1 + t01(len(v[1])), SCALAR);
    case 'charAt':
      return out(1 + t01(len(v[0])), str(1));
    case 'indexOf':
    case 'lastIndexOf':
      return out((1 + t01(len(v[0]))) * (1 + t01(len(v[1]))), SCALAR);
    case 'lowerAscii':
    case 'upperAscii':
    case 'substring':
      return out(1 + t01(len(v[0])), str(len(v[0])));
    case 'replace':
      return out(1 + t01(len(v[0])) * (1 + t01(len(v[2]))), str(len(v[0]) * Math.max(1, len(v[2]))));
    case 'split':
      return out(1 + t01(len(v[0])), list(len(v[0]) + 1, str(len(v[0]))));
    case 'join': {
      const l = v[0];
      const total = l.t === 'list' ? l.size * len(l.elem) + (v[1] ? Math.max(0, l.size - 1) * len(v[1]) : 0) : 0;
      return out(1 + t01(total), str(total));
    }
    default:
      throw new Error(`cost estimate: no cost for function ${fn}`);
  }
}

const parsed = new Map<string, Expr>();

/** Estimates `expression` with the given variables in scope. */
export function estimate(expression: string, variables: ReadonlyMap<string, Abs>): Estimate {
  const scope = new Map<string, Abs>([
    ['object', envelopeObject()],
    ['oldObject', envelopeObject()],
    ['request', record({ operation: str(16), name: str(253), namespace: str(63) })],
    ['variables', record(Object.fromEntries(variables))],
    // type names (`type(x) == string`)
    ...['string', 'int', 'double', 'bool', 'list', 'map', 'null_type'].map((t): [string, Abs] => [t, SCALAR]),
  ]);
  let ast = parsed.get(expression);
  if (ast === undefined) parsed.set(expression, (ast = parse(expression).expr));
  return estimateExpr(ast, scope);
}

/** The estimate of every expression of a policy, in order: match conditions, variables, validations. */
export function estimatePolicy(policy: {
  readonly spec: {
    readonly matchConditions: readonly { readonly name: string; readonly expression: string }[];
    readonly variables: readonly { readonly name: string; readonly expression: string }[];
    readonly validations: readonly { readonly expression: string; readonly messageExpression: string }[];
  };
}): Array<{ readonly what: string; readonly cost: number }> {
  const out: Array<{ what: string; cost: number }> = [];
  const vars = new Map<string, Abs>();
  for (const mc of policy.spec.matchConditions) out.push({ what: `matchConditions.${mc.name}`, cost: estimate(mc.expression, vars).cost });
  for (const x of policy.spec.variables) {
    const e = estimate(x.expression, vars);
    vars.set(x.name, e.value);
    out.push({ what: `variables.${x.name}`, cost: e.cost });
  }
  policy.spec.validations.forEach((val, i) => {
    out.push({ what: `validations[${i}].expression`, cost: estimate(val.expression, vars).cost });
    out.push({ what: `validations[${i}].messageExpression`, cost: estimate(val.messageExpression, vars).cost });
  });
  return out;
}
