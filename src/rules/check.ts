/**
 * Checking a set of plain Kubernetes objects: what the CLI, the validation plugin and the chart guard do, and what a
 * program can call as `checkObjects`.
 */
import { DEFAULTS } from '../defaults';
import type { JsonObject, LocatedObject, RuntimeClassFacts, ServiceFacts, SourceLocation } from '../k8s/shapes';
import type { KubernetesVersion } from '../k8s/version';
import { RULES } from './catalogue';
import { describeSource } from './format';
import { judgeSubject } from './judge';
import type { ObjectFacts } from './normalize';
import { isJsonObject, isRuntimeClass, isService, ObjectRole, roleOf, runtimeClassFactsOf, serviceFactsOf, subjectsOf } from './normalize';
import type { Finding, JudgeContext, Origin, Rule, RuleSetting } from './types';

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
  /**
   * The construct path of the object, when cdk8s synthesized it (from the construct metadata it writes).
   *
   * @default - not known
   */
  readonly constructPath?: string;
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
  /**
   * Severity overrides by rule id (`off` switches a rule off), e.g. from the repository's config file.
   *
   * @default - every rule at its catalogue severity
   */
  readonly ruleSettings?: ReadonlyMap<string, RuleSetting>;
  /**
   * Where the objects come from.
   *
   * @default Origin.MANIFEST
   */
  readonly origin?: Origin;
}

/** What `checkObjects` found. */
export interface CheckResult {
  /** The findings, in object order. */
  readonly findings: ObjectFinding[];
  /** How many objects had a pod spec and were judged. */
  readonly judged: number;
  /**
   * Custom resources in which no pod template was found, counted by kind: nothing is skipped silently.
   * Built-in objects without a pod spec (ConfigMap, Service, Role, ...) are not counted.
   */
  readonly notJudged: Readonly<Record<string, number>>;
}

function isLocated(x: unknown): x is LocatedObject {
  // a Kubernetes object always has `kind`; a LocatedObject never does
  return isJsonObject(x) && 'object' in x && !('kind' in x);
}

function toLocated(x: unknown): LocatedObject {
  return isLocated(x) ? x : { object: x };
}

/**
 * Extracts the Services (`kind: Service`, `apiVersion: v1`) and RuntimeClasses (`kind: RuntimeClass`,
 * `apiVersion: node.k8s.io/v1` or `node.k8s.io/v1beta1`) from a set of objects (plain or `LocatedObject`s). When two
 * RuntimeClasses share a name, the later one wins (as a later `kubectl apply` would).
 */
export function factsOf(objects: Iterable<unknown>): ObjectFacts {
  const services: ServiceFacts[] = [];
  const runtimeClasses = new Map<string, RuntimeClassFacts>();
  for (const item of objects) {
    const { object, source } = toLocated(item);
    if (!isJsonObject(object)) continue;
    if (isService(object)) {
      services.push(serviceFactsOf(object, source ? describeSource(source) : undefined));
    } else if (isRuntimeClass(object)) {
      const rc = runtimeClassFactsOf(object);
      runtimeClasses.set(rc.name, rc);
    }
  }
  return { services, runtimeClasses };
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
    ...(options.ruleSettings !== undefined ? { ruleSettings: options.ruleSettings } : {}),
    ...(options.origin !== undefined ? { origin: options.origin } : {}),
  };
}

/**
 * Judges every pod spec in a set of objects (plain JSON objects, or `LocatedObject`s carrying their file and line)
 * with the rule catalogue, in a context built from `options` and the Services and RuntimeClasses found among the
 * same objects. Returns the findings in object order, each with the object's kind, name, namespace and location, and
 * counts the custom resources it found no pod template in. Never throws on malformed objects: a field of the wrong
 * type is a `field-type-invalid` finding.
 *
 * @group Checks
 */
export function checkObjects(
  objects: ReadonlyArray<LocatedObject | JsonObject>,
  options: CheckOptions = {},
  rules: readonly Rule[] = RULES,
): CheckResult {
  const located = objects.map(toLocated);
  const ctx = contextFor(factsOf(located), options);
  const findings: ObjectFinding[] = [];
  const notJudged: Record<string, number> = {};
  let judged = 0;
  for (const o of located) {
    const { object, source } = o;
    const role = roleOf(object);
    if (role === ObjectRole.NOT_JUDGED) {
      const kind = (object as JsonObject).kind as string;
      notJudged[kind] = (notJudged[kind] ?? 0) + 1;
    }
    if (role !== ObjectRole.POD) continue;
    judged++;
    for (const subject of subjectsOf(object, o.locate ? { plainAt: (field) => o.locate?.(field)?.plain } : {})) {
      for (const f of judgeSubject(subject, ctx, rules)) {
        const at = o.locate?.(f.field);
        const line = at?.line ?? source?.line;
        const column = at ? at.column : source?.column;
        findings.push({
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
  return { findings, judged, notJudged };
}
