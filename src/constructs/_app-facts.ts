import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import type { JsonObject, RuntimeClassFacts, ServiceFacts } from '../k8s/shapes';
import type { ObjectFacts } from '../rules/normalize';
import type { JudgeContext } from '../rules/types';
import { Origin } from '../rules/types';
import { judgeModules } from './_judge';
import type { SynthPass } from './_synth-pass';
import type { ResolvedSafePodsSettings } from './settings';

/** The Services and RuntimeClasses defined anywhere in the app of `scope`, with construct paths as origins. */
function appFacts(scope: IConstruct): ObjectFacts {
  const services: ServiceFacts[] = [];
  const runtimeClasses = new Map<string, RuntimeClassFacts>();
  const { isService, isRuntimeClass, serviceFactsOf, runtimeClassFactsOf } = judgeModules();
  for (const c of scope.node.root.node.findAll()) {
    if (!ApiObject.isApiObject(c) || (c.kind !== 'Service' && c.kind !== 'RuntimeClass')) continue;
    const json = c.toJson() as JsonObject;
    if (isService(json)) services.push(serviceFactsOf(json, `Service ${c.node.path}`));
    else if (isRuntimeClass(json)) {
      const rc = runtimeClassFactsOf(json);
      runtimeClasses.set(rc.name, rc);
    }
  }
  return { services, runtimeClasses };
}

/**
 * The judge context for a construct (`declaredRuntimeClasses`: classes the construct declares to exist in the
 * cluster, i.e. `RuntimeClass.fromName`): its settings plus the facts of the whole app (Services, RuntimeClasses),
 * computed once per synth pass (or afresh when called outside a synth).
 */
export function judgeContextFor(
  scope: IConstruct,
  settings: ResolvedSafePodsSettings,
  pass?: SynthPass,
  declaredRuntimeClasses: readonly RuntimeClassFacts[] = [],
  origin: Origin = Origin.MANIFEST,
): JudgeContext {
  const build = (facts: ObjectFacts): JudgeContext => {
    const ctx = judgeModules().contextFor(facts, {
      kubernetesVersion: settings.kubernetesVersion,
      requireDigest: settings.requireDigest,
      runtimeClasses: settings.runtimeClasses,
      origin,
      ...(settings.ruleSettings !== undefined ? { ruleSettings: settings.ruleSettings } : {}),
    });
    if (declaredRuntimeClasses.length === 0) return ctx;
    const runtimeClasses = new Map(ctx.runtimeClasses);
    for (const rc of declaredRuntimeClasses) if (!runtimeClasses.has(rc.name)) runtimeClasses.set(rc.name, rc);
    return { ...ctx, runtimeClasses };
  };
  if (!pass) return build(appFacts(scope));
  // one context object per settings object, origin and declared classes in a synth: rules cache per-namespace work keyed by it
  const state = pass.memo('judge-contexts', () => ({
    facts: appFacts(scope),
    contexts: new WeakMap<ResolvedSafePodsSettings, Map<string, JudgeContext>>(),
  }));
  let bySettings = state.contexts.get(settings);
  if (!bySettings) {
    bySettings = new Map();
    state.contexts.set(settings, bySettings);
  }
  const key = declaredRuntimeClasses.length === 0 ? origin : `${origin}:${declaredRuntimeClasses.map((r) => r.name).join(',')}`;
  let ctx = bySettings.get(key);
  if (!ctx) {
    ctx = build(state.facts);
    bySettings.set(key, ctx);
  }
  return ctx;
}
