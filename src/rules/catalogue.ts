import { ENV_RULES } from './env';
import { IMAGE_RULES } from './image';
import { LIFECYCLE_RULES } from './lifecycle';
import { POD_RULES } from './pod';
import { RUNTIME_CLASS_RULES } from './runtime-class';
import { SUPPRESSION_RULES } from './suppressions';
import type { Rule, RuleInfo } from './types';

/**
 * Every rule of the library, in the order the README lists them. Each area contributes its rules from its own
 * file in `src/rules/`; a new rule is one entry there and shows up in every entry point.
 */
export const RULES: readonly Rule[] = Object.freeze([...POD_RULES, ...IMAGE_RULES, ...ENV_RULES, ...RUNTIME_CLASS_RULES, ...LIFECYCLE_RULES]);

/** Catalogue entries of every rule, including the judge's own suppression rules. */
export const RULE_CATALOGUE: readonly RuleInfo[] = Object.freeze([...RULES, ...SUPPRESSION_RULES]);

/** The catalogue entry of a rule id, `undefined` for an id that is not in the catalogue. */
export function ruleInfo(id: string): RuleInfo | undefined {
  return RULE_CATALOGUE.find((r) => r.id === id);
}
