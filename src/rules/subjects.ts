import { DEFAULTS } from '../defaults';
import type { KubernetesVersion } from '../k8s/version';
import { RULES } from './catalogue';
import { judgeSubject } from './judge';
import type { LocatedObject, SourceLocation } from '../k8s/shapes';
import type { Finding, JsonObject, JudgeContext, PodSpecJson, PodSubject, Rule, RuntimeClassFacts, ServiceFacts } from './types';

/**
 * Where a pod spec sits in each workload kind, keyed by `kind`, with the API groups the kind is served from.
 * `templateMeta` lists the metadata paths whose annotations apply to the pods, outermost first.
 */
const WORKLOADS: Readonly<Record<string, { groups: readonly string[]; spec: readonly string[]; templateMeta: readonly (readonly string[])[] }>> = {
  Pod: { groups: [''], spec: ['spec'], templateMeta: [] },
  ReplicationController: { groups: [''], spec: ['spec', 'template', 'spec'], templateMeta: [['spec', 'template', 'metadata']] },
  PodTemplate: { groups: [''], spec: ['template', 'spec'], templateMeta: [['template', 'metadata']] },
  Deployment: { groups: ['apps', 'extensions'], spec: ['spec', 'template', 'spec'], templateMeta: [['spec', 'template', 'metadata']] },
  StatefulSet: { groups: ['apps'], spec: ['spec', 'template', 'spec'], templateMeta: [['spec', 'template', 'metadata']] },
  DaemonSet: { groups: ['apps', 'extensions'], spec: ['spec', 'template', 'spec'], templateMeta: [['spec', 'template', 'metadata']] },
  ReplicaSet: { groups: ['apps', 'extensions'], spec: ['spec', 'template', 'spec'], templateMeta: [['spec', 'template', 'metadata']] },
  Job: { groups: ['batch'], spec: ['spec', 'template', 'spec'], templateMeta: [['spec', 'template', 'metadata']] },
  CronJob: {
    groups: ['batch'],
    spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
    templateMeta: [
      ['spec', 'jobTemplate', 'metadata'],
      ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
    ],
  },
};

function isObject(x: unknown): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function at(obj: JsonObject, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

/** `apps` for `apps/v1`, `''` for `v1`, `undefined` when absent. */
function groupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** String-valued annotations of a metadata object (non-strings are kept as their JSON text so a bad suppression still shows). */
function annotationsAt(obj: JsonObject, metadataPath: readonly string[]): Record<string, string> {
  const ann = at(obj, [...metadataPath, 'annotations']);
  const out: Record<string, string> = {};
  if (!isObject(ann)) return out;
  for (const [k, v] of Object.entries(ann)) {
    out[k] = typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v);
  }
  return out;
}

/**
 * Turns any Kubernetes object (plain JSON, as in a manifest) into the pod subjects it contains: a Pod's `spec`, or the
 * pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job (`spec.template.spec`),
 * CronJob (`spec.jobTemplate.spec.template.spec`) or PodTemplate (`template.spec`). Any other object, an object whose
 * `apiVersion` is not of the kind's API group (`apps`, `batch`, core; `extensions` for the old workload kinds) and an
 * object without a pod spec give `[]`.
 *
 * Suppression annotations of a template are the object's `metadata.annotations` merged with those of every template
 * on the way to the pod spec (a CronJob's `spec.jobTemplate.metadata`, then the pod template's `metadata`); on the
 * same key **the innermost template wins**, since it is the most specific and is what the created Pods carry.
 */
export function subjectsOf(obj: unknown): PodSubject[] {
  if (!isObject(obj)) return [];
  const kind = str(obj.kind);
  if (kind === undefined || !Object.prototype.hasOwnProperty.call(WORKLOADS, kind)) return [];
  const shape = WORKLOADS[kind];
  const group = groupOf(obj.apiVersion);
  if (group === undefined || !shape.groups.includes(group)) return [];
  const podSpec = at(obj, shape.spec);
  if (!isObject(podSpec)) return [];
  let annotations = annotationsAt(obj, ['metadata']);
  for (const meta of shape.templateMeta) annotations = { ...annotations, ...annotationsAt(obj, meta) };
  const metadata = isObject(obj.metadata) ? obj.metadata : {};
  const namespace = str(metadata.namespace);
  return [
    {
      kind,
      name: str(metadata.name) ?? str(metadata.generateName) ?? '',
      ...(namespace !== undefined ? { namespace } : {}),
      annotations,
      podSpec: podSpec as PodSpecJson,
      podSpecPath: shape.spec.join('.'),
      isPod: kind === 'Pod',
    },
  ];
}

/** Services and RuntimeClasses found in a set of objects: what the judge may know about the cluster. */
export interface ObjectFacts {
  /** Every `v1` Service. */
  readonly services: ServiceFacts[];
  /** Every `node.k8s.io/v1` or `node.k8s.io/v1beta1` RuntimeClass, by name. */
  readonly runtimeClasses: Map<string, RuntimeClassFacts>;
}

function stringMap(x: unknown): Record<string, string> | undefined {
  if (!isObject(x)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(x)) out[k] = typeof v === 'string' ? v : String(v);
  return out;
}

function serviceFacts(obj: JsonObject, origin: string | undefined): ServiceFacts {
  const metadata = isObject(obj.metadata) ? obj.metadata : {};
  const spec = isObject(obj.spec) ? obj.spec : {};
  const ports = Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
  const namespace = str(metadata.namespace);
  const type = str(spec.type);
  const clusterIP = str(spec.clusterIP);
  return {
    name: str(metadata.name) ?? '',
    ...(namespace !== undefined ? { namespace } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(clusterIP !== undefined ? { clusterIP } : {}),
    ports: ports.map((p) => {
      const name = str(p.name);
      const protocol = str(p.protocol);
      return { port: Number(p.port), ...(name !== undefined ? { name } : {}), ...(protocol !== undefined ? { protocol } : {}) };
    }),
    ...(origin !== undefined ? { origin } : {}),
  };
}

function runtimeClassFacts(obj: JsonObject): RuntimeClassFacts {
  const metadata = isObject(obj.metadata) ? obj.metadata : {};
  const handler = str(obj.handler);
  const podFixedOverhead = stringMap(at(obj, ['overhead', 'podFixed']));
  const nodeSelector = stringMap(at(obj, ['scheduling', 'nodeSelector']));
  const tolerations = at(obj, ['scheduling', 'tolerations']);
  return {
    name: str(metadata.name) ?? '',
    ...(handler !== undefined ? { handler } : {}),
    ...(podFixedOverhead !== undefined ? { podFixedOverhead } : {}),
    ...(nodeSelector !== undefined ? { nodeSelector } : {}),
    ...(Array.isArray(tolerations) ? { tolerations: tolerations.filter(isObject) } : {}),
  };
}

/**
 * Extracts the Services (`kind: Service`, `apiVersion: v1`) and RuntimeClasses (`kind: RuntimeClass`,
 * `apiVersion: node.k8s.io/v1` or `node.k8s.io/v1beta1`) from a set of objects. When two RuntimeClasses share a name,
 * the later one wins (as a later `kubectl apply` would).
 */
export function factsOf(objects: Iterable<unknown>): ObjectFacts {
  const services: ServiceFacts[] = [];
  const runtimeClasses = new Map<string, RuntimeClassFacts>();
  for (const item of objects) {
    const { object, source } = toLocated(item);
    if (!isObject(object)) continue;
    if (object.kind === 'Service' && object.apiVersion === 'v1') {
      services.push(serviceFacts(object, source ? describeSource(source) : undefined));
    } else if (object.kind === 'RuntimeClass' && (object.apiVersion === 'node.k8s.io/v1' || object.apiVersion === 'node.k8s.io/v1beta1')) {
      const rc = runtimeClassFacts(object);
      runtimeClasses.set(rc.name, rc);
    }
  }
  return { services, runtimeClasses };
}

/** A finding about one object: the judge's finding plus the object's identity and location. */
export interface ObjectFinding extends Finding {
  /** `kind` of the object. */
  readonly kind: string;
  /** `metadata.name` of the object. */
  readonly name: string;
  /**
   * `metadata.namespace` of the object.
   *
   * @default - not set
   */
  readonly namespace?: string;
  /**
   * Where the finding is: file, document, item and the line of the field.
   *
   * @default - not known (objects built in memory)
   */
  readonly source?: SourceLocation;
}

/** Options of `checkObjects`. */
export interface CheckOptions {
  /**
   * The Kubernetes version the manifests are written for.
   *
   * @default DEFAULTS.kubernetesVersion (1.27)
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * Require every image to be pinned by digest.
   *
   * @default false
   */
  readonly requireDigest?: boolean;
  /**
   * Names of RuntimeClasses that exist in the cluster but are not among the objects (installed by the platform).
   * RuntimeClasses found among the objects are always known; a pod referencing any other one is reported.
   *
   * @default - only the RuntimeClasses among the objects
   */
  readonly runtimeClasses?: readonly string[];
  /**
   * Services that exist in the cluster but are not among the objects. Services among the objects are always known.
   *
   * @default - only the Services among the objects
   */
  readonly services?: readonly ServiceFacts[];
}

function isLocated(x: unknown): x is LocatedObject {
  // a Kubernetes object always has `kind`; a LocatedObject never does
  return isObject(x) && 'object' in x && !('kind' in x);
}

function toLocated(x: unknown): LocatedObject {
  return isLocated(x) ? x : { object: x };
}

/** `deploy.yaml:12` or `deploy.yaml (document 2)`, for messages. */
export function describeSource(source: SourceLocation): string {
  if (source.line !== undefined) return `${source.file}:${source.line}`;
  return source.document !== undefined ? `${source.file} (document ${source.document + 1})` : source.file;
}

/**
 * The context the judge gets for a set of objects: the options plus the Services and RuntimeClasses found among the
 * objects. `runtimeClasses` is always defined, so a pod that references a RuntimeClass that is neither among the
 * objects nor named in `options.runtimeClasses` is reported.
 */
export function contextFor(facts: ObjectFacts, options: CheckOptions = {}): JudgeContext {
  const runtimeClasses = new Map<string, RuntimeClassFacts>();
  for (const name of options.runtimeClasses ?? []) runtimeClasses.set(name, { name });
  for (const [name, rc] of facts.runtimeClasses) runtimeClasses.set(name, rc);
  return {
    kubernetesVersion: options.kubernetesVersion ?? DEFAULTS.kubernetesVersion,
    requireDigest: options.requireDigest ?? DEFAULTS.requireDigest,
    runtimeClasses,
    services: [...(options.services ?? []), ...facts.services],
  };
}

/**
 * Judges every pod spec in a set of objects (plain JSON objects, or `LocatedObject`s carrying their file and line)
 * with the rule catalogue, in a context built from `options` and the Services and RuntimeClasses found among the
 * same objects. Returns the findings in object order, each with the object's kind, name, namespace and location.
 * Linear in the number of objects plus Services (the rules themselves decide what they do with the Services).
 */
export function checkObjects(
  objects: ReadonlyArray<LocatedObject | JsonObject>,
  options: CheckOptions = {},
  rules: readonly Rule[] = RULES,
): ObjectFinding[] {
  const located = objects.map(toLocated);
  const ctx = contextFor(factsOf(located), options);
  const out: ObjectFinding[] = [];
  for (const o of located) {
    const { object, source } = o;
    for (const subject of subjectsOf(object)) {
      for (const f of judgeSubject(subject, ctx, rules)) {
        const at = o.locate?.(f.field);
        const line = at?.line ?? source?.line;
        const column = at ? at.column : source?.column;
        out.push({
          ...f,
          kind: subject.kind,
          name: subject.name,
          ...(subject.namespace !== undefined ? { namespace: subject.namespace } : {}),
          ...(source !== undefined
            ? { source: { ...source, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) } }
            : {}),
        });
      }
    }
  }
  return out;
}
