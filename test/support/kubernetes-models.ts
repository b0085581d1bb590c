import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { Deployment, DaemonSet, ReplicaSet, StatefulSet } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { RuntimeClass } from 'kubernetes-models/node.k8s.io/v1';
import { ConfigMap, Namespace, Pod, PodTemplate, ReplicationController, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';

type Validatable = { validate(): void };
type ModelCtor = new (data: never) => Validatable;

const MODELS: Record<string, ModelCtor> = {
  'v1/Pod': Pod as unknown as ModelCtor,
  'v1/PodTemplate': PodTemplate as unknown as ModelCtor,
  'v1/ReplicationController': ReplicationController as unknown as ModelCtor,
  'v1/Service': Service as unknown as ModelCtor,
  'v1/ConfigMap': ConfigMap as unknown as ModelCtor,
  'v1/Secret': Secret as unknown as ModelCtor,
  'v1/Namespace': Namespace as unknown as ModelCtor,
  'v1/ServiceAccount': ServiceAccount as unknown as ModelCtor,
  'apps/v1/Deployment': Deployment as unknown as ModelCtor,
  'apps/v1/StatefulSet': StatefulSet as unknown as ModelCtor,
  'apps/v1/DaemonSet': DaemonSet as unknown as ModelCtor,
  'apps/v1/ReplicaSet': ReplicaSet as unknown as ModelCtor,
  'batch/v1/Job': Job as unknown as ModelCtor,
  'batch/v1/CronJob': CronJob as unknown as ModelCtor,
  'node.k8s.io/v1/RuntimeClass': RuntimeClass as unknown as ModelCtor,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': ValidatingAdmissionPolicy as unknown as ModelCtor,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': ValidatingAdmissionPolicyBinding as unknown as ModelCtor,
};

/** Kinds this helper can validate. */
export const VALIDATED_KINDS = Object.keys(MODELS);

/**
 * Validates a synthesized object against the official Kubernetes OpenAPI schema with `kubernetes-models`
 * (an independent validator: types, required fields, enums). Throws the validator's error when invalid, and
 * throws when the kind has no model here, so no object is skipped silently.
 */
export function validateWithKubernetesModels(obj: { apiVersion?: unknown; kind?: unknown }): void {
  const key = `${String(obj.apiVersion)}/${String(obj.kind)}`;
  const Model = MODELS[key];
  if (!Model) throw new Error(`no kubernetes-models class for ${key}; add it to test/support/kubernetes-models.ts`);
  new Model(obj as never).validate();
}
