/**
 * The judge, loaded at first use. The constructs judge when the app synthesizes (and when asked for `findings()`),
 * never at import: `require('cdk8s-safe-pods')` loads neither the normaliser nor the judge (BENCHMARKS.md, require
 * time). This is the one place the constructs reach `rules/normalize`, `rules/judge` and `rules/check` for values;
 * type-only imports of them are free.
 */
import type * as Check from '../rules/check';
import type { CheckOptions, CheckResult } from '../rules/check';
import type * as Judge from '../rules/judge';
import type * as Normalize from '../rules/normalize';
import type { JsonObject, LocatedObject } from '../k8s/shapes';
import { RULES } from '../rules/catalogue';
import type { Rule } from '../rules/types';

/** What the constructs use of the judge. */
export interface JudgeModules {
  readonly subjectsOf: typeof Normalize.subjectsOf;
  readonly isService: typeof Normalize.isService;
  readonly isRuntimeClass: typeof Normalize.isRuntimeClass;
  readonly serviceFactsOf: typeof Normalize.serviceFactsOf;
  readonly runtimeClassFactsOf: typeof Normalize.runtimeClassFactsOf;
  readonly judgeSubject: typeof Judge.judgeSubject;
  readonly contextFor: typeof Check.contextFor;
  readonly checkObjects: typeof Check.checkObjects;
}

let loaded: JudgeModules | undefined;

/** The judge's functions, loading the modules on the first call. */
export function judgeModules(): JudgeModules {
  if (loaded === undefined) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const normalize = require('../rules/normalize') as typeof Normalize;
    const judge = require('../rules/judge') as typeof Judge;
    const check = require('../rules/check') as typeof Check;
    /* eslint-enable @typescript-eslint/no-require-imports */
    loaded = {
      subjectsOf: normalize.subjectsOf,
      isService: normalize.isService,
      isRuntimeClass: normalize.isRuntimeClass,
      serviceFactsOf: normalize.serviceFactsOf,
      runtimeClassFactsOf: normalize.runtimeClassFactsOf,
      judgeSubject: judge.judgeSubject,
      contextFor: check.contextFor,
      checkObjects: check.checkObjects,
    };
  }
  return loaded;
}

/**
 * Judges every pod spec in a set of objects (plain JSON objects, or `LocatedObject`s carrying their file and line)
 * with the rule catalogue, in a context built from `options` and the Services and RuntimeClasses found among the
 * same objects. Returns the findings in object order, each with the object's kind, name, namespace and location, and
 * counts the custom resources it found no pod template in. Never throws on malformed objects: a field of the wrong
 * type is a `field-type-invalid` finding.
 *
 * @param objects the objects to judge, in order
 * @param options the context: target version, settings, Services and RuntimeClasses known besides the objects
 * @param rules the rules to run (default: the catalogue, `RULES`)
 * @group Checks
 */
export function checkObjects(
  objects: ReadonlyArray<LocatedObject | JsonObject>,
  options: CheckOptions = {},
  rules: readonly Rule[] = RULES,
): CheckResult {
  return judgeModules().checkObjects(objects, options, rules);
}
