import type * as EnvRules from './env';
import type * as ImageRules from './image';
import type * as LifecycleRules from './lifecycle';
import type * as PodRules from './pod';
import type * as RuntimeClassRules from './runtime-class';
import { SUPPRESSION_RULES } from './suppressions';
import type { Rule, RuleInfo } from './types';

/**
 * Every rule of the library, in the order the README lists them. Each area contributes its rules from its own
 * file in `src/rules/`; a new rule is one entry there and shows up in every entry point.
 */
export declare const RULES: readonly Rule[];

/** Catalogue entries of every rule, including the judge's own suppression rules. */
export declare const RULE_CATALOGUE: readonly RuleInfo[];

interface Catalogue {
  readonly rules: readonly Rule[];
  readonly catalogue: readonly RuleInfo[];
}

let loaded: Catalogue | undefined;

/**
 * The rule files, loaded when the catalogue is first read rather than when the library is imported: a program that
 * builds constructs needs them at synth, and `require('cdk8s-safe-pods')` stays cheap (BENCHMARKS.md, require time).
 */
function catalogue(): Catalogue {
  if (loaded === undefined) {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see above */
    const rules: readonly Rule[] = Object.freeze([
      ...(require('./pod') as typeof PodRules).POD_RULES,
      ...(require('./image') as typeof ImageRules).IMAGE_RULES,
      ...(require('./env') as typeof EnvRules).ENV_RULES,
      ...(require('./runtime-class') as typeof RuntimeClassRules).RUNTIME_CLASS_RULES,
      ...(require('./lifecycle') as typeof LifecycleRules).LIFECYCLE_RULES,
    ]);
    /* eslint-enable @typescript-eslint/no-require-imports */
    loaded = { rules, catalogue: Object.freeze([...rules, ...SUPPRESSION_RULES]) };
  }
  return loaded;
}

// `exports` is this module's CommonJS exports: read-only getters, as the compiler writes for re-exports
Object.defineProperty(exports, 'RULES', { enumerable: true, get: () => catalogue().rules });
Object.defineProperty(exports, 'RULE_CATALOGUE', { enumerable: true, get: () => catalogue().catalogue });

/** The catalogue entry of a rule id, `undefined` for an id that is not in the catalogue. */
export function ruleInfo(id: string): RuleInfo | undefined {
  return catalogue().catalogue.find((r) => r.id === id);
}
