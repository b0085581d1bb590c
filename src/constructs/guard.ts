import { ApiObject, JsonPatch } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { DEFAULTS } from '../defaults';
import { defaultPullPolicy } from '../image/pull-policy';
import { RULES } from '../rules/catalogue';
import { judgeSubject } from '../rules/judge';
import { subjectsOf } from '../rules/subjects';
import type { JsonObject } from '../k8s/shapes';
import type { Finding, PodSubject } from '../rules/types';
import { containersOf, Severity } from '../rules/types';
import { judgeContextFor } from './_app-facts';
import { synthPassOf } from './_synth-pass';
import { SafePod } from './safe-pod';
import { SafePodsSettings, WarningMode } from './settings';

const GUARDED_SYMBOL = Symbol.for('cdk8s-safe-pods.SafePodsGuard');

/** Options for `SafePodsGuard.apply`. */
export interface SafePodsGuardOptions {
  /**
   * Fill in what is safe to fill before judging: an explicit `imagePullPolicy` on every container that has none
   * (the value Kubernetes would default to, so behaviour does not change) and `enableServiceLinks: false` on every
   * pod spec that does not set it. The fills are JSON patches on the objects, visible in the YAML.
   *
   * @default false
   */
  readonly fill?: boolean;
}

/**
 * A chart-wide guard: one call on an app or chart checks every workload below it at synth time (cdk8s-plus
 * Deployments, StatefulSets, Jobs, ..., raw `ApiObject`s and `Include`d YAML) with the rule catalogue, and fails
 * the synth with every error and the construct path of each object. `SafePod`s check themselves and are skipped.
 *
 * @example
 * SafePodsGuard.apply(chart, { fill: true });
 */
export class SafePodsGuard {
  /** Guards every workload below `scope`. Calling it twice on the same scope has no further effect. */
  public static apply(scope: IConstruct, options: SafePodsGuardOptions = {}): void {
    if (Object.prototype.hasOwnProperty.call(scope, GUARDED_SYMBOL)) return;
    Object.defineProperty(scope, GUARDED_SYMBOL, { value: true, enumerable: false });
    synthPassOf(scope);
    const filled = new WeakSet<ApiObject>();
    scope.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        const settings = SafePodsSettings.of(scope);
        for (const obj of guardedObjects(scope)) {
          if (options.fill && !filled.has(obj)) {
            filled.add(obj);
            fill(obj);
          }
          const ctx = judgeContextFor(obj, SafePodsSettings.of(obj), synthPassOf(scope));
          for (const subject of subjectsOf(obj.toJson() as JsonObject)) {
            for (const f of judgeSubject(subject, ctx, RULES)) {
              const line = `${obj.kind} ${obj.node.path}: ${f.message} [${f.rule}]`;
              if (f.severity === Severity.ERROR || settings.warnings === WarningMode.FAIL) errors.push(line);
              else if (settings.warnings === WarningMode.PRINT) synthPassOf(scope).warn(`[${obj.node.path}] warning: ${f.message} [${f.rule}]`);
            }
          }
        }
        return errors;
      },
    });
  }

  /** The findings of every workload below `scope`, as the guard would judge them now. */
  public static findings(scope: IConstruct): Array<
    Finding & {
      /** The construct path of the object the finding is about. */
      readonly path: string;
    }
  > {
    const out: Array<Finding & { readonly path: string }> = [];
    for (const obj of guardedObjects(scope)) {
      const ctx = judgeContextFor(obj, SafePodsSettings.of(obj));
      for (const subject of subjectsOf(obj.toJson() as JsonObject)) {
        for (const f of judgeSubject(subject, ctx, RULES)) out.push({ ...f, path: obj.node.path });
      }
    }
    return out;
  }

  private constructor() {}
}

/** The API objects below `scope` that the guard judges: every one, except those of SafePods. */
function guardedObjects(scope: IConstruct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && !(c.node.scope && SafePod.isSafePod(c.node.scope)));
}

function pointer(path: string): string {
  // "spec.template.spec.containers[0]" -> "/spec/template/spec/containers/0"
  return (
    '/' +
    path
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .join('/')
  );
}

function fill(obj: ApiObject): void {
  for (const subject of subjectsOf(obj.toJson() as JsonObject)) {
    for (const ref of containersOf(subject as PodSubject)) {
      if (ref.container.imagePullPolicy === undefined) {
        obj.addJsonPatch(JsonPatch.add(`${pointer(ref.path)}/imagePullPolicy`, defaultPullPolicy(ref.container.image ?? '')));
      }
    }
    if (subject.podSpec.enableServiceLinks === undefined) {
      obj.addJsonPatch(JsonPatch.add(`${pointer(subject.podSpecPath)}/enableServiceLinks`, DEFAULTS.enableServiceLinks));
    }
  }
}
