/**
 * Field errors as the API server reports them (`k8s.io/apimachinery pkg/util/validation/field`).
 */

/** `field.ErrorType`: the kind of a field error, with the upstream string value. */
export enum FieldErrorType {
  /** `field.Required`. */
  REQUIRED = 'FieldValueRequired',
  /** `field.Invalid`. */
  INVALID = 'FieldValueInvalid',
  /** `field.NotSupported`. */
  NOT_SUPPORTED = 'FieldValueNotSupported',
  /** `field.Duplicate`. */
  DUPLICATE = 'FieldValueDuplicate',
  /** `field.Forbidden`. */
  FORBIDDEN = 'FieldValueForbidden',
}

/** One API validation error: type, field path and upstream detail message. */
export interface FieldError {
  /** The kind of error. */
  readonly type: FieldErrorType;
  /** The field path, e.g. `scheduling.tolerations[0].operator`. */
  readonly field: string;
  /** The upstream detail message (may be empty for `Duplicate`). */
  readonly detail: string;
  /**
   * The offending value.
   *
   * @default - not recorded
   */
  readonly value?: unknown;
}

/** `Path.Key(k)`: `path[k]`. */
export function keyPath(path: string, key: string): string {
  return `${path}[${key}]`;
}
