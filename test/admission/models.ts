/**
 * kubernetes-models (the official OpenAPI schemas) for the kinds admission sees: the pod kinds, to tell whether the
 * API server can decode a manifest object, and ValidatingAdmissionPolicy and its binding, to validate what the
 * generator writes.
 */
import { validateWithKubernetesModels } from '../support/kubernetes-models';

interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string;
}

/** Validates an object with its kubernetes-models class; throws the validator's error. */
export function validateModel(obj: { apiVersion?: unknown; kind?: unknown }): void {
  validateWithKubernetesModels(obj);
}

/**
 * `undefined` when the API server can decode the object into its typed API (types, formats and required fields of
 * the schema hold; a value outside an enum is left to API validation), else the schema errors.
 */
export function validateAdmissible(obj: { apiVersion?: unknown; kind?: unknown }): string | undefined {
  try {
    validateModel(obj);
    return undefined;
  } catch (e) {
    const errors = ((e as { errors?: SchemaError[] }).errors ?? []).filter((x) => x.keyword !== 'enum');
    if ((e as { errors?: unknown }).errors === undefined) throw e;
    return errors.length === 0 ? undefined : errors.map((x) => `${x.instancePath} ${x.message ?? x.keyword}`).join(', ');
  }
}
