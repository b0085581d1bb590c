/**
 * RuntimeClass API validation, ported from `k8s pkg/apis/node/validation/validation.go` (`ValidateRuntimeClass`,
 * `ValidateRuntimeClassUpdate`, `validateOverhead`, `validateScheduling`) and the pod field check
 * `ValidateRuntimeClassName` (`pkg/apis/core/validation`).
 */
import type { FieldError } from '../k8s/field-error';
import { FieldErrorType } from '../k8s/field-error';
import { validateDns1123Label, validateDns1123Subdomain, validateLabelValue, validateQualifiedName } from '../k8s/names';
import { validateResourceList } from '../k8s/resources';
import type { TolerationJson } from '../k8s/tolerations';
import { validateTolerations } from '../k8s/tolerations';
import type { JsonObject, RuntimeClassFacts } from '../k8s/shapes';

/** A `node.k8s.io/v1` RuntimeClass as JSON (the fields validation reads). */
export interface RuntimeClassJson {
  /**
   * `node.k8s.io/v1`.
   *
   * @default - not checked
   */
  readonly apiVersion?: string;
  /**
   * `RuntimeClass`.
   *
   * @default - not checked
   */
  readonly kind?: string;
  /**
   * Object metadata; `name` is required.
   *
   * @default - no metadata (invalid: the name is required)
   */
  readonly metadata?: {
    /**
     * The RuntimeClass name (a DNS-1123 subdomain).
     *
     * @default - none (invalid: the name is required)
     */
    readonly name?: string;
    /**
     * Must be absent: RuntimeClass is cluster-scoped.
     *
     * @default - none
     */
    readonly namespace?: string;
    /** Other metadata fields, carried as they are. */
    readonly [key: string]: unknown;
  };
  /**
   * The CRI handler (a DNS-1123 label).
   *
   * @default - none (invalid)
   */
  readonly handler?: string;
  /**
   * `overhead.podFixed`.
   *
   * @default - no overhead
   */
  readonly overhead?: {
    /**
     * Resources added to every pod that uses this RuntimeClass, by resource name.
     *
     * @default - no overhead
     */
    readonly podFixed?: Readonly<Record<string, string | number>>;
  };
  /**
   * `scheduling.nodeSelector` and `scheduling.tolerations`.
   *
   * @default - pods may run on every node
   */
  readonly scheduling?: {
    /**
     * Labels nodes must have; merged into each pod's `nodeSelector`.
     *
     * @default - no node selector
     */
    readonly nodeSelector?: Readonly<Record<string, string>>;
    /**
     * Tolerations merged into each pod's tolerations.
     *
     * @default - no tolerations
     */
    readonly tolerations?: readonly TolerationJson[];
  };
}

/** `NameIsDNSLabel(handler)`: the messages for a RuntimeClass handler (empty when valid). */
export function validateHandler(handler: string): string[] {
  return validateDns1123Label(handler);
}

/** `ValidateRuntimeClassName`: the messages for a RuntimeClass name, in an object or in `spec.runtimeClassName`. */
export function validateRuntimeClassName(name: string): string[] {
  return validateDns1123Subdomain(name);
}

/** `ValidateLabels` over a node selector: errors are reported on the selector path, as upstream does. */
export function validateNodeSelector(selector: Readonly<Record<string, string>>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(selector)) {
    for (const detail of validateQualifiedName(k)) errs.push({ type: FieldErrorType.INVALID, field: path, detail, value: k });
    for (const detail of validateLabelValue(String(v))) errs.push({ type: FieldErrorType.INVALID, field: path, detail, value: v });
  }
  return errs;
}

/**
 * `ValidateRuntimeClass`: every error the API server reports when the object is created.
 *
 * One deliberate difference: overhead errors are reported at `overhead.podFixed[<resource>]`, where the value sits in
 * the object; the API server itself says `overhead.limits[<resource>]` because it reuses the container-limits check.
 */
export function validateRuntimeClass(rc: RuntimeClassJson): FieldError[] {
  const errs: FieldError[] = [];
  const name = rc.metadata?.name ?? '';
  if (name.length === 0) {
    errs.push({ type: FieldErrorType.REQUIRED, field: 'metadata.name', detail: 'name or generateName is required' });
  } else {
    for (const detail of validateRuntimeClassName(name)) errs.push({ type: FieldErrorType.INVALID, field: 'metadata.name', detail, value: name });
  }
  if ((rc.metadata?.namespace ?? '').length > 0) {
    errs.push({ type: FieldErrorType.FORBIDDEN, field: 'metadata.namespace', detail: 'not allowed on this type', value: rc.metadata?.namespace });
  }
  const handler = rc.handler ?? '';
  for (const detail of validateHandler(handler)) errs.push({ type: FieldErrorType.INVALID, field: 'handler', detail, value: handler });
  if (rc.overhead !== undefined && rc.overhead !== null) {
    errs.push(...validateResourceList(rc.overhead.podFixed ?? {}, 'overhead.podFixed'));
  }
  if (rc.scheduling !== undefined && rc.scheduling !== null) {
    if (rc.scheduling.nodeSelector) errs.push(...validateNodeSelector(rc.scheduling.nodeSelector, 'scheduling.nodeSelector'));
    errs.push(...validateTolerations(rc.scheduling.tolerations ?? [], 'scheduling.tolerations', true));
  }
  return errs;
}

/**
 * What the API server reports on an update: `ValidateRuntimeClass(new)` plus `ValidateRuntimeClassUpdate` (the name
 * and the handler are immutable; overhead and scheduling may change).
 */
export function validateRuntimeClassUpdate(next: RuntimeClassJson, previous: RuntimeClassJson): FieldError[] {
  const errs = validateRuntimeClass(next);
  if ((next.metadata?.name ?? '') !== (previous.metadata?.name ?? '')) {
    errs.push({ type: FieldErrorType.INVALID, field: 'metadata.name', detail: 'field is immutable', value: next.metadata?.name });
  }
  if ((next.handler ?? '') !== (previous.handler ?? '')) {
    errs.push({ type: FieldErrorType.INVALID, field: 'handler', detail: 'field is immutable', value: next.handler });
  }
  return errs;
}

/** The facts pods need about a RuntimeClass, read from its JSON. */
export function runtimeClassFactsFromJson(rc: RuntimeClassJson): RuntimeClassFacts {
  const podFixed = rc.overhead ? (rc.overhead.podFixed ?? {}) : undefined;
  return {
    name: rc.metadata?.name ?? '',
    handler: rc.handler ?? '',
    podFixedOverhead: podFixed ? Object.fromEntries(Object.entries(podFixed).map(([k, v]) => [k, String(v)])) : undefined,
    nodeSelector: rc.scheduling?.nodeSelector,
    tolerations: rc.scheduling?.tolerations as readonly JsonObject[] | undefined,
  };
}
