import type { PodSpecJson } from '../../src/k8s/shapes';
import type { PodSubject } from '../../src/rules/normalize';
import { subjectsOf } from '../../src/rules/normalize';

/** Where the pod spec of each test kind sits. */
const SHAPES: Record<string, { apiVersion: string; wrap: (spec: unknown, meta: Record<string, unknown>) => Record<string, unknown> }> = {
  Pod: { apiVersion: 'v1', wrap: (spec) => ({ spec }) },
  Deployment: { apiVersion: 'apps/v1', wrap: (spec, meta) => ({ spec: { template: { metadata: meta, spec } } }) },
  StatefulSet: { apiVersion: 'apps/v1', wrap: (spec, meta) => ({ spec: { template: { metadata: meta, spec } } }) },
  DaemonSet: { apiVersion: 'apps/v1', wrap: (spec, meta) => ({ spec: { template: { metadata: meta, spec } } }) },
  Job: { apiVersion: 'batch/v1', wrap: (spec, meta) => ({ spec: { template: { metadata: meta, spec } } }) },
  CronJob: { apiVersion: 'batch/v1', wrap: (spec, meta) => ({ spec: { jobTemplate: { spec: { template: { metadata: meta, spec } } } } }) },
};

/** Options of `podSubject`. */
export interface PodSubjectOptions {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly annotations?: Record<string, string>;
}

/** The judge's subject for a pod spec (through `subjectsOf`, as every entry point builds it). */
export function podSubject(spec: PodSpecJson | Record<string, unknown>, options: PodSubjectOptions = {}): PodSubject {
  const kind = options.kind ?? 'Pod';
  const shape = SHAPES[kind];
  if (!shape) throw new Error(`podSubject: no shape for kind ${kind}`);
  const metadata = {
    name: options.name ?? 'web',
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    ...(options.annotations !== undefined ? { annotations: options.annotations } : {}),
  };
  const [subject] = subjectsOf({ apiVersion: shape.apiVersion, kind, metadata, ...shape.wrap(spec, {}) });
  if (!subject) throw new Error(`podSubject: ${kind} gave no subject`);
  return subject;
}
