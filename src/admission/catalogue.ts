import { RULE_CATALOGUE } from '../rules/catalogue';
import type { RuleInfo } from '../rules/types';

/**
 * The catalogue entry of `id`. Rules whose objects `src/rules` does not export are looked up here; an id that is
 * not in the catalogue throws at load time, so a renamed rule cannot leave a policy behind.
 */
export function catalogueRule(id: string): RuleInfo {
  const rule = RULE_CATALOGUE.find((r) => r.id === id);
  if (rule === undefined) throw new Error(`rule ${JSON.stringify(id)} is not in the catalogue; the admission checks need updating`);
  return rule;
}
