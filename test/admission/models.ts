/**
 * kubernetes-models (the official OpenAPI schemas) for the kinds admission sees: the pod kinds, to tell whether the
 * API server can decode a manifest object, and ValidatingAdmissionPolicy and its binding, to validate what the
 * generator writes.
 */
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { Pod, PodTemplate, ReplicationController } from 'kubernetes-models/v1';

type Validatable = { validate(): void };
type ModelCtor = new (data: never) => Validatable;

const MODELS: Readonly<Record<string, ModelCtor>> = {
  'v1/Pod': Pod as unknown as ModelCtor,
  'v1/PodTemplate': PodTemplate as unknown as ModelCtor,
  'v1/ReplicationController': ReplicationController as unknown as ModelCtor,
  'apps/v1/Deployment': Deployment as unknown as ModelCtor,
  'apps/v1/StatefulSet': StatefulSet as unknown as ModelCtor,
  'apps/v1/DaemonSet': DaemonSet as unknown as ModelCtor,
  'apps/v1/ReplicaSet': ReplicaSet as unknown as ModelCtor,
  'batch/v1/Job': Job as unknown as ModelCtor,
  'batch/v1/CronJob': CronJob as unknown as ModelCtor,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': ValidatingAdmissionPolicy as unknown as ModelCtor,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': ValidatingAdmissionPolicyBinding as unknown as ModelCtor,
};

interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string;
}

function modelOf(obj: { apiVersion?: unknown; kind?: unknown }): ModelCtor {
  const key = `${String(obj.apiVersion)}/${String(obj.kind)}`;
  const Model = MODELS[key];
  if (!Model) throw new Error(`no kubernetes-models class for ${key}`);
  return Model;
}

/** Validates an object with its kubernetes-models class; throws the validator's error. */
export function validateModel(obj: { apiVersion?: unknown; kind?: unknown }): void {
  new (modelOf(obj))(obj as never).validate();
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
