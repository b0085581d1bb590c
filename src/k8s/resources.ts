/**
 * Compute resource names and values, ported from `k8s pkg/apis/core/validation/validation.go`
 * (`ValidateResourceRequirements` limits branch, `validateContainerResourceName`, `ValidateResourceQuantityValue`,
 * `validateResourceQuantityHugePageValue`) and `pkg/apis/core/helper` (`IsStandardContainerResourceName`,
 * `IsExtendedResourceName`, `IsHugePageResourceName`, `IsIntegerResourceName`).
 */
import type { FieldError } from './field-error';
import { FieldErrorType, keyPath } from './field-error';
import { validateQualifiedName } from './names';
import { ResourceQuantity, QuantityError } from './quantity';

/** Resource names a container (and a pod overhead) may use without a domain prefix. */
export const STANDARD_CONTAINER_RESOURCES: readonly string[] = Object.freeze(['cpu', 'memory', 'ephemeral-storage']);

const HUGEPAGES_PREFIX = 'hugepages-';

const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);
const INTEGER_RESOURCES = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);

/** `IsHugePageResourceName`. */
export function isHugePageResourceName(name: string): boolean {
  return name.startsWith(HUGEPAGES_PREFIX);
}

/** `IsNativeResource`: no domain, or a `kubernetes.io/` domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** `IsExtendedResourceName`: a domain-prefixed, non-native name such as `nvidia.com/gpu`. */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return validateQualifiedName(`requests.${name}`).length === 0;
}

function isStandardResourceName(name: string): boolean {
  return STANDARD_RESOURCES.has(name) || isHugePageResourceName(name) || name.startsWith('requests.hugepages-');
}

/** `validateResourceName`: a qualified name, and a standard resource when it has no domain. */
function validateResourceName(name: string): string[] {
  const qualified = validateQualifiedName(name);
  if (qualified.length > 0) return qualified;
  if (!name.includes('/') && !isStandardResourceName(name)) return ['must be a standard resource type or fully qualified'];
  return [];
}

/** `validateContainerResourceName`: the detail messages for a container resource name (empty when valid). */
export function validateContainerResourceName(name: string): string[] {
  const errs = validateResourceName(name);
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.includes(name) && !isHugePageResourceName(name)) errs.push('must be a standard resource for containers');
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errs.push("doesn't follow extended resource name standard");
  }
  return errs;
}

/** `IsIntegerResourceName`. */
export function isIntegerResourceName(name: string): boolean {
  return INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
}

/**
 * The rules `ValidateResourceRequirements` applies to `limits`, for a resource list (RuntimeClass
 * `overhead.podFixed` reuses them). Values are read as `Quantity.UnmarshalJSON` reads them; a value that does not
 * parse is reported as the decoder would refuse it.
 */
export function validateResourceList(list: Readonly<Record<string, unknown>>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, raw] of Object.entries(list)) {
    const field = keyPath(path, name);
    for (const detail of validateContainerResourceName(name)) errs.push({ type: FieldErrorType.INVALID, field, detail, value: name });
    let q: ResourceQuantity;
    try {
      q = ResourceQuantity.fromJson(raw as string | number);
    } catch (e) {
      if (!(e instanceof QuantityError)) throw e;
      errs.push({ type: FieldErrorType.INVALID, field, detail: e.message, value: raw });
      continue;
    }
    if (q.sign < 0) errs.push({ type: FieldErrorType.INVALID, field, detail: 'must be greater than or equal to 0', value: q.toString() });
    if (isIntegerResourceName(name) && q.milliValue() % 1000n !== 0n) {
      errs.push({ type: FieldErrorType.INVALID, field, detail: 'must be an integer', value: q.toString() });
    }
    if (isHugePageResourceName(name)) {
      hugePages = true;
      const page = ResourceQuantity.tryParse(name.slice(HUGEPAGES_PREFIX.length));
      const divisible = page !== undefined && page.sign > 0 && q.value() % page.value() === 0n;
      if (!divisible) {
        errs.push({
          type: FieldErrorType.INVALID,
          field,
          detail: `${q.toString()} is not positive integer multiple of ${name}`,
          value: q.toString(),
        });
      }
    }
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  if (hugePages && !cpuOrMemory) errs.push({ type: FieldErrorType.FORBIDDEN, field: path, detail: 'HugePages require cpu or memory' });
  return errs;
}
