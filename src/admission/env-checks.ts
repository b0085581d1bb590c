/**
 * The environment rules whose verdict depends on the container alone: env names (strict before 1.32, relaxed from
 * 1.32), duplicates, the shape of `valueFrom`, and the downward-API references env may make. The service-link rules
 * need the namespace's Services and are not exported (see `ADMISSION_DIFFERENCES`).
 */
import { ENV_FIELD_PATHS, ENV_FIELD_PATHS_SINCE, resourceFieldRefProblems } from '../env/field-refs';
import { KubernetesVersion } from '../k8s/version';
import { and, ifThen, matches, not, or, quoted, str, strList, v, record } from './cel';
import { catalogueRule } from './catalogue';
import type { AdmissionCheck, AdmissionVariable, CheckContext } from './check';
import { DNS1123_SUBDOMAIN, ENV_VAR_NAME, JS_LINE_TERMINATORS, QUALIFIED_NAME_PART, RELAXED_ENV_VAR_NAME, ZERO_QUANTITY } from './patterns';
import { suppressedFor } from './subject';

const NAME_INVALID = catalogueRule('env-name-invalid');
const DUPLICATE_NAME = catalogueRule('env-duplicate-name');
const VALUE_FROM_CONFLICT = catalogueRule('env-value-from-conflict');
const FIELD_REF_UNSUPPORTED = catalogueRule('env-field-ref-unsupported');

const USES = ['containers', 'suppressed'];

function who(r: string): string {
  return `${r}.kind + ' ' + ${quoted(`${r}.name`)}`;
}

/** `list.filter(r, cond && not suppressed).map(r, description)`. */
function each(ruleId: string, cond: string, describe: string): string {
  return `${v('containers')}.filter(r, ${and(cond, not(suppressedFor(ruleId, 'r.name')))}).map(r, ${describe})`;
}

/** `r.c.env`, or `[]`. */
const ENV = '(has(r.c.env) ? r.c.env : [])';
/** `r.c.envFrom`, or `[]`. */
const ENV_FROM = '(has(r.c.envFrom) ? r.c.envFrom : [])';
/** The name of env entry `e`, `''` when absent. */
function envName(e: string): string {
  return `(has(${e}.name) ? ${e}.name : '')`;
}

/** An env name (or envFrom prefix) the API server of the target refuses. */
function nameInvalid(ctx: CheckContext, n: string): string {
  if (ctx.kubernetesVersion.isAtLeast(KubernetesVersion.V1_32)) {
    return or(`${n} == ''`, not(matches(n, RELAXED_ENV_VAR_NAME)), `${n}.contains('=')`);
  }
  return or(`${n} == ''`, not(matches(n, ENV_VAR_NAME)), `${n} == '.'`, `${n}.startsWith('..')`);
}

/** The invalid env names and envFrom prefixes of container record `r`. */
function invalidNames(ctx: CheckContext): string {
  return (
    `${ENV}.map(e, ${envName('e')}).filter(n, ${nameInvalid(ctx, 'n')}) + ` +
    `${ENV_FROM}.filter(e, has(e.prefix) && e.prefix != '').map(e, e.prefix).filter(n, ${nameInvalid(ctx, 'n')})`
  );
}

const NAME_INVALID_CHECK: AdmissionCheck = {
  rule: NAME_INVALID,
  uses: USES,
  violations: (ctx) =>
    each(
      NAME_INVALID.id,
      `size(${invalidNames(ctx)}) > 0`,
      `${who('r')} + ': env name or envFrom prefix ' + ${quoted(`(${invalidNames(ctx)})[0]`)} + ' is invalid for Kubernetes ${ctx.kubernetesVersion}; rename it'`,
    ),
};

/** Every container's env names, in order: `{'kind', 'name', 'names'}`. */
export const ENV_NAME_VARIABLES: readonly AdmissionVariable[] = Object.freeze([
  {
    name: 'envNames',
    uses: ['containers'],
    expression: () => `${v('containers')}.map(r, ${record({ kind: 'r.kind', name: 'r.name', names: `${ENV}.map(e, ${envName('e')})` })})`,
  },
  {
    // the names that occur more than once, per container (quadratic in the env entries of one container; `exists_one`
    // is the cheapest count CEL has)
    name: 'envDuplicates',
    uses: ['envNames'],
    expression: () =>
      `${v('envNames')}.map(r, ${record({ kind: 'r.kind', name: 'r.name', duplicates: 'r.names.filter(n, !r.names.exists_one(m, m == n))' })})`,
  },
] as AdmissionVariable[]);

const DUPLICATE_NAME_CHECK: AdmissionCheck = {
  rule: DUPLICATE_NAME,
  uses: ['containers', 'suppressed', 'envDuplicates'],
  violations: () =>
    `${v('envDuplicates')}.filter(r, ${and('size(r.duplicates) > 0', not(suppressedFor(DUPLICATE_NAME.id, 'r.name')))}).map(r, ` +
    `${who('r')} + ': env ' + ${quoted('r.duplicates[0]')} + ' is set twice and the later entry silently wins')`,
};

/** The four sources of `valueFrom` the judge counts. */
const VALUE_FROM_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'];

/** An env entry `e` with `valueFrom` and a non-empty `value`, or with not exactly one source. */
function valueFromConflict(e: string): string {
  const count = VALUE_FROM_SOURCES.map((s) => `(has(${e}.valueFrom.${s}) ? 1 : 0)`).join(' + ');
  return and(`has(${e}.valueFrom)`, or(`has(${e}.value) && ${e}.value != ''`, `${count} != 1`));
}

const VALUE_FROM_CHECK: AdmissionCheck = {
  rule: VALUE_FROM_CONFLICT,
  uses: USES,
  violations: () =>
    each(
      VALUE_FROM_CONFLICT.id,
      `${ENV}.exists(e, ${valueFromConflict('e')})`,
      `${who('r')} + ': env ' + ${quoted(`${ENV}.filter(e, ${valueFromConflict('e')}).map(e, ${envName('e')})[0]`)} + ` +
        `' sets value and valueFrom, or valueFrom has not exactly one of ${VALUE_FROM_SOURCES.join(', ')}'`,
    ),
};

/** `IsQualifiedName` of a key already split at `/` (`[prefix/]name`). */
function qualifiedNameInvalid(parts: string): string {
  const name = `${parts}[size(${parts}) - 1]`;
  return or(
    `size(${parts}) > 2`,
    and(`size(${parts}) == 2`, or(`${parts}[0] == ''`, `size(${parts}[0]) > 253`, not(matches(`${parts}[0]`, DNS1123_SUBDOMAIN)))),
    `${name} == ''`,
    `size(${name}) > 63`,
    not(matches(name, QUALIFIED_NAME_PART)),
  );
}

/**
 * Lower case as Go's `strings.ToLower` (`validateObjectFieldSelector` lower-cases annotation keys): the two non-ASCII
 * letters whose lower case is ASCII (İ and the Kelvin sign) first, then ASCII.
 */
function goLower(s: string): string {
  return `${s}.replace(${str('\u0130')}, 'i').replace(${str('\u212a')}, 'k').lowerAscii()`;
}

/** The env `fieldRef` paths the target accepts. */
function fieldPaths(ctx: CheckContext): string[] {
  const since = [...ENV_FIELD_PATHS_SINCE].filter(([, version]) => ctx.kubernetesVersion.isAtLeast(version)).map(([p]) => p);
  return [...ENV_FIELD_PATHS, 'spec.host', ...since];
}

/** Divisors of the form `1<suffix>` that the judge accepts for a resource (read from the judge, not restated). */
function acceptedDivisors(resource: string): string[] {
  const candidates = ['1', '1n', '1u', '1m', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];
  return candidates.filter((d) => resourceFieldRefProblems(resource, d).length === 0);
}

/**
 * The downward-API references of every container's env, in stages: `envRefs` lists each env entry with `valueFrom`
 * (its name, fieldRef path and apiVersion, resource and divisor), `envRefKeys` splits a subscripted path
 * (`metadata.labels['key']`) as `splitSubscriptedPath` does, and `envRefProblems` keeps, per container, the names of
 * the entries the target refuses (`envFieldRefProblems`, `resourceFieldRefProblems`; the API server sends divisors in
 * canonical form).
 */
export const ENV_REF_VARIABLES: readonly AdmissionVariable[] = Object.freeze([
  {
    name: 'envRefs',
    uses: ['containers'],
    expression: () => {
      const fr = 'e.valueFrom.fieldRef';
      const rr = 'e.valueFrom.resourceFieldRef';
      const path = `(has(${fr}) && has(${fr}.fieldPath) ? ${fr}.fieldPath : '')`;
      const ref = record({
        env: envName('e'),
        field: `has(${fr}) ? 'y' : 'n'`,
        path,
        // the path without a trailing `']`, for splitSubscriptedPath
        inner: ifThen(`${path}.endsWith("']")`, `${path}.substring(0, size(${path}) - 2)`, "''"),
        api: `has(${fr}) && has(${fr}.apiVersion) ? ${fr}.apiVersion : ''`,
        resourceRef: `has(${rr}) ? 'y' : 'n'`,
        resource: `has(${rr}) && has(${rr}.resource) ? ${rr}.resource : ''`,
        divisor: `has(${rr}) && has(${rr}.divisor) ? string(${rr}.divisor) : ''`,
      });
      return `${v('containers')}.map(r, ${record({ kind: 'r.kind', name: 'r.name', refs: `${ENV}.filter(e, has(e.valueFrom)).map(e, ${ref})` })})`;
    },
  },
  {
    name: 'envRefKeys',
    uses: ['envRefs'],
    expression: () => {
      const carried = (keys: readonly string[]): Record<string, string> => Object.fromEntries(keys.map((k) => [k, `f.${k}`]));
      const base = ['env', 'field', 'path', 'api', 'resourceRef', 'resource', 'divisor'];
      // where `['` starts (`splitSubscriptedPath` needs it after the first character)
      const at = record({ ...carried([...base, 'inner']), at: ifThen(`f.inner.contains("['")`, `f.inner.indexOf("['")`, '-1') });
      const split = record({
        ...carried(base),
        sub: ifThen('f.at > 0', "'y'", "'n'"),
        base: ifThen('f.at > 0', 'f.inner.substring(0, f.at)', "''"),
        key: ifThen('f.at > 0', 'f.inner.substring(f.at + 2)', "''"),
      });
      // the key as the API server checks it (annotation keys lower-cased), split at `/`
      const parts = record({
        ...carried([...base, 'sub', 'base']),
        parts: `${ifThen("f.base == 'metadata.annotations'", goLower('f.key'), 'f.key')}.split('/')`,
      });
      return `${v('envRefs')}.map(r, ${record({ kind: 'r.kind', name: 'r.name', refs: `r.refs.map(f, ${at}).map(f, ${split}).map(f, ${parts})` })})`;
    },
  },
  {
    name: 'envRefProblems',
    uses: ['envRefKeys'],
    expression: (ctx: CheckContext) => {
      const fieldInvalid = or(
        "f.api != '' && f.api != 'v1'",
        ifThen(
          "f.sub == 'y'",
          ifThen("f.base in ['metadata.labels', 'metadata.annotations']", qualifiedNameInvalid('f.parts'), 'true'),
          `!(f.path in ${strList(fieldPaths(ctx))})`,
        ),
      );
      // the judge's `^(limits|requests)\.(cpu|memory|ephemeral-storage|hugepages-.+)$`, as list membership and prefixes
      const fixed = RESOURCE_PREFIXES.flatMap((p) => RESOURCE_NAMES.map((n) => `${p}.${n}`));
      const hugepages = or(
        ...RESOURCE_PREFIXES.map((p) => and(`f.resource.startsWith(${str(`${p}.hugepages-`)})`, `size(f.resource) > ${p.length + 11}`)),
      );
      const resourceValid = or(`f.resource in ${strList(fixed)}`, and(hugepages, not(matches('f.resource', `[${JS_LINE_TERMINATORS}]`))));
      const cpu = `f.resource in ${strList(RESOURCE_PREFIXES.map((p) => `${p}.cpu`))}`;
      const allowed = ifThen(cpu, strList(acceptedDivisors('limits.cpu')), strList(acceptedDivisors('limits.memory')));
      const resourceInvalid = or(not(resourceValid), and("f.divisor != ''", not(matches('f.divisor', ZERO_QUANTITY)), `!(f.divisor in ${allowed})`));
      const problem = or(and("f.field == 'y'", fieldInvalid), and("f.resourceRef == 'y'", resourceInvalid));
      return `${v('envRefKeys')}.map(r, ${record({ kind: 'r.kind', name: 'r.name', bad: `r.refs.filter(f, ${problem}).map(f, f.env)` })})`;
    },
  },
] as AdmissionVariable[]);

/** The resources `resourceFieldRef` takes, after `limits.` or `requests.` (and `hugepages-<size>`). */
const RESOURCE_PREFIXES = ['limits', 'requests'];
const RESOURCE_NAMES = ['cpu', 'memory', 'ephemeral-storage'];

const FIELD_REF_CHECK: AdmissionCheck = {
  rule: FIELD_REF_UNSUPPORTED,
  uses: ['containers', 'suppressed', 'envRefProblems'],
  violations: (ctx) =>
    `${v('envRefProblems')}.filter(r, ${and('size(r.bad) > 0', not(suppressedFor(FIELD_REF_UNSUPPORTED.id, 'r.name')))}).map(r, ` +
    `${who('r')} + ': env ' + ${quoted('r.bad[0]')} + ' reads a downward-API field or resource that Kubernetes ${ctx.kubernetesVersion} does not accept in env')`,
};

/** The environment checks, in catalogue order. */
export const ENV_CHECKS: readonly AdmissionCheck[] = Object.freeze([NAME_INVALID_CHECK, DUPLICATE_NAME_CHECK, VALUE_FROM_CHECK, FIELD_REF_CHECK]);
