/**
 * Which downward-API paths `env[].valueFrom.fieldRef` and `resourceFieldRef` accept, per Kubernetes version.
 *
 * Ported from `k8s pkg/apis/core/validation/validation.go` (`validEnvDownwardAPIFieldPathExpressions`,
 * `validateObjectFieldSelector`, `validateContainerResourceDivisor`) and `pkg/apis/core/pods/helpers.go`
 * (`ConvertDownwardAPIFieldLabel`, where `spec.host` becomes `spec.nodeName`).
 */
import { validateQualifiedName } from '../k8s/names';
import { QuantityError, ResourceQuantity } from '../k8s/quantity';
import { goToLower } from '../k8s/text';
import { KubernetesVersion } from '../k8s/version';

/** The `fieldRef` paths every supported version accepts in `env` (1.27 and later). */
export const ENV_FIELD_PATHS: readonly string[] = Object.freeze([
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.podIP',
  'status.podIPs',
]);

/**
 * `fieldRef` paths added after 1.27, with the first version whose API server accepts them by default.
 * `status.hostIPs`: PodHostIPs alpha (off) 1.28, beta (on) 1.29, GA 1.30.
 */
export const ENV_FIELD_PATHS_SINCE: ReadonlyMap<string, KubernetesVersion> = new Map([['status.hostIPs', KubernetesVersion.V1_29]]);

/** Paths that take a `['key']` subscript in `env`. */
const SUBSCRIPTED_PATHS = ['metadata.labels', 'metadata.annotations'];

/** `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['app']` → `['metadata.labels', 'app']`. */
export function splitSubscriptedPath(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const i = s.indexOf("['");
  if (i <= 0) return undefined;
  return [s.slice(0, i), s.slice(i + 2)];
}

/** What is wrong with an `env` `fieldRef`, for a target version. */
export interface FieldRefProblem {
  /** One clause for a message, e.g. `is not supported in env; use one of ...`. */
  readonly problem: string;
  /**
   * The first version that accepts the path, when a newer version would.
   *
   * @default - no version accepts it
   */
  readonly since?: KubernetesVersion;
}

/**
 * The problems of an `env[].valueFrom.fieldRef` on a target version (empty when the API server accepts it):
 * the path, a label or annotation key, and `apiVersion` (only `v1`; absent defaults to `v1`).
 */
export function envFieldRefProblems(fieldPath: string, apiVersion: string | undefined, version: KubernetesVersion): FieldRefProblem[] {
  const out: FieldRefProblem[] = [];
  if (apiVersion !== undefined && apiVersion !== '' && apiVersion !== 'v1') {
    out.push({ problem: `has apiVersion ${JSON.stringify(apiVersion)}, but only "v1" is supported (unsupported pod version)` });
  }
  const sub = splitSubscriptedPath(fieldPath);
  if (sub) {
    const [path, key] = sub;
    if (path === 'metadata.labels' || path === 'metadata.annotations') {
      // validateObjectFieldSelector lower-cases annotation keys with Go's strings.ToLower (İ becomes i there)
      const checked = path === 'metadata.annotations' ? goToLower(key) : key;
      const errs = validateQualifiedName(checked);
      if (errs.length > 0) out.push({ problem: `has the key ${JSON.stringify(key)}, which is not a qualified name: ${errs[0]}` });
    } else {
      out.push({ problem: `is not supported in env; only ${SUBSCRIPTED_PATHS.join(' and ')} take a ['key'] subscript` });
    }
    return out;
  }
  if (ENV_FIELD_PATHS.includes(fieldPath) || fieldPath === 'spec.host') return out;
  const since = ENV_FIELD_PATHS_SINCE.get(fieldPath);
  if (since && version.isAtLeast(since)) return out;
  if (since) {
    out.push({ problem: `needs Kubernetes ${since} or newer, but the target is ${version}`, since });
    return out;
  }
  const supported = [...ENV_FIELD_PATHS, ...[...ENV_FIELD_PATHS_SINCE.keys()].filter((p) => version.isAtLeast(ENV_FIELD_PATHS_SINCE.get(p)!))];
  const hint = SUBSCRIPTED_PATHS.includes(fieldPath) ? ` (env takes one key: ${fieldPath}['<key>'])` : '';
  out.push({ problem: `is not supported in env${hint}; use one of ${supported.map((p) => JSON.stringify(p)).join(', ')}` });
  return out;
}

const CPU_DIVISORS = ['1m', '1'];
const BYTE_DIVISORS = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];

/**
 * The problems of an `env[].valueFrom.resourceFieldRef` resource and divisor (empty when accepted). The divisor is
 * compared in its canonical form, as `validateContainerResourceDivisor` compares `divisor.String()`: `1000m` and
 * `0.001k` are the accepted `1`, `1024Ki` the accepted `1Mi`; a zero divisor is unset. A divisor that is not a
 * quantity is refused while the object is decoded.
 */
export function resourceFieldRefProblems(resource: string, divisor?: string | number): string[] {
  const m = /^(limits|requests)\.(cpu|memory|ephemeral-storage|hugepages-.+)$/.exec(resource);
  if (!m) {
    return [
      `resource ${JSON.stringify(resource)} is not supported; use limits.* or requests.* of cpu, memory, ephemeral-storage or hugepages-<size>`,
    ];
  }
  if (divisor === undefined || divisor === '') return [];
  const allowed = m[2] === 'cpu' ? CPU_DIVISORS : BYTE_DIVISORS;
  const fix = `use one of ${allowed.map((d) => JSON.stringify(d)).join(', ')}`;
  let quantity: ResourceQuantity | undefined;
  try {
    quantity = ResourceQuantity.fromJson(divisor);
  } catch (e) {
    if (!(e instanceof QuantityError)) throw e;
  }
  if (quantity === undefined) {
    return [`divisor ${JSON.stringify(divisor)} is not a quantity, so the API server refuses the object when it decodes it; ${fix}`];
  }
  if (quantity.isZero()) return [];
  const canonical = quantity.toString();
  if (allowed.includes(canonical)) return [];
  const shown = canonical === String(divisor) ? JSON.stringify(divisor) : `${JSON.stringify(divisor)} (${JSON.stringify(canonical)})`;
  return [`divisor ${shown} is not supported for ${resource}; ${fix}`];
}
