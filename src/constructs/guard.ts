import { ApiObject, JsonPatch } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { DEFAULTS } from '../defaults';
import { defaultPullPolicy } from '../image/pull-policy';
import type { JsonObject } from '../k8s/shapes';
import { RULES } from '../rules/catalogue';
import { formatFinding } from '../rules/format';
import type { Finding } from '../rules/types';
import { Severity } from '../rules/types';
import { judgeContextFor } from './_app-facts';
import { judgeModules } from './_judge';
import { PodSafety } from './_pod-safety';
import { synthPassOf } from './_synth-pass';
import type { ResolvedSafePodsSettings } from './settings';
import { SafePodsSettings, WarningMode } from './settings';

const GUARDED_SYMBOL = Symbol.for('cdk8s-safe-pods.SafePodsGuard');

/** Options for `SafePodsGuard.apply`. */
export interface SafePodsGuardOptions {
  /**
   * Fill in what is safe to fill before judging: an explicit `imagePullPolicy` on every container that has none
   * (the value Kubernetes of the target version would default to, so behaviour does not change) and
   * `enableServiceLinks: false` on every pod spec that does not set it. The fills are JSON patches on the objects,
   * visible in the YAML.
   *
   * @default false
   */
  readonly fill?: boolean;
}

/** A finding of the chart guard, with the construct path of the object it is about. */
export interface GuardFinding extends Finding {
  /** The construct path of the object the finding is about. */
  readonly path: string;
}

/**
 * A chart-wide guard: one call on an app or chart checks every workload below it at synth time (cdk8s-plus
 * Deployments, StatefulSets, Jobs, ..., raw `ApiObject`s and `Include`d YAML) with the rule catalogue, and fails
 * the synth with every error and the construct path of each object. Safe constructs check themselves and are skipped.
 *
 * @example
 * SafePodsGuard.apply(chart, { fill: true });
 *
 * @group Constructs
 */
export class SafePodsGuard {
  /** Guards every workload below `scope`. Calling it twice on the same scope has no further effect. */
  public static apply(scope: IConstruct, options: SafePodsGuardOptions = {}): void {
    if (Object.prototype.hasOwnProperty.call(scope, GUARDED_SYMBOL)) return;
    Object.defineProperty(scope, GUARDED_SYMBOL, { value: true, enumerable: false });
    const pass = synthPassOf(scope);
    const filled = new WeakSet<ApiObject>();
    scope.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        for (const obj of guardedObjects(scope)) {
          const settings = SafePodsSettings.of(obj);
          if (options.fill && !filled.has(obj)) {
            filled.add(obj);
            fill(obj, settings);
          }
          for (const f of judgeObject(obj, settings, true)) {
            const line = formatFinding({ ...f, kind: obj.kind, name: obj.name, ...namespaceOf(obj) });
            if (f.severity === Severity.ERROR || settings.warnings === WarningMode.FAIL) errors.push(`${obj.node.path}: ${line}`);
            else if (settings.warnings === WarningMode.PRINT) pass.warn(`[${obj.node.path}] ${line}`);
          }
        }
        return errors;
      },
    });
  }

  /** The findings of every workload below `scope`, as the guard would judge them now. */
  public static findings(scope: IConstruct): GuardFinding[] {
    const out: GuardFinding[] = [];
    for (const obj of guardedObjects(scope)) {
      for (const f of judgeObject(obj, SafePodsSettings.of(obj), false)) out.push({ ...f, path: obj.node.path });
    }
    return out;
  }

  private constructor() {}
}

function namespaceOf(obj: ApiObject): { namespace?: string } {
  return obj.metadata.namespace !== undefined ? { namespace: obj.metadata.namespace } : {};
}

function judgeObject(obj: ApiObject, settings: ResolvedSafePodsSettings, inSynth: boolean): Finding[] {
  const ctx = judgeContextFor(obj, settings, inSynth ? synthPassOf(obj) : undefined);
  const { subjectsOf, judgeSubject } = judgeModules();
  const out: Finding[] = [];
  for (const subject of subjectsOf(obj.toJson())) out.push(...judgeSubject(subject, ctx, RULES));
  return out;
}

/** The API objects below `scope` that the guard judges: every one, except those of the safe constructs. */
function guardedObjects(scope: IConstruct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && !(c.node.scope && PodSafety.has(c.node.scope)));
}

/** A JSON pointer (`/spec/containers/0`) for a field path (`spec.containers[0]`). */
function pointer(path: string): string {
  return `/${path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .join('/')}`;
}

function fill(obj: ApiObject, settings: ResolvedSafePodsSettings): void {
  for (const subject of judgeModules().subjectsOf(obj.toJson() as JsonObject)) {
    for (const ref of subject.containers) {
      if (ref.container.imagePullPolicy === undefined && !ref.malformed.has('imagePullPolicy')) {
        const policy = defaultPullPolicy(ref.container.image ?? '', { kubernetesVersion: settings.kubernetesVersion });
        obj.addJsonPatch(JsonPatch.add(`${pointer(ref.path)}/imagePullPolicy`, policy));
      }
    }
    if (subject.spec.enableServiceLinks === undefined) {
      obj.addJsonPatch(JsonPatch.add(`${pointer(subject.podSpecPath)}/enableServiceLinks`, DEFAULTS.enableServiceLinks));
    }
  }
}
