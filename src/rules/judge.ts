import type { PodSubject } from './normalize';
import type { Suppression, SuppressionProblem } from './suppressions';
import { isSuppressed, readSuppressions, SUPPRESS_ANNOTATION_PREFIX } from './suppressions';
import type { Finding, JudgeContext, Rule, RuleInfo } from './types';
import { Origin, Severity } from './types';

const ruleIdCache = new WeakMap<readonly Rule[], ReadonlySet<string>>();

const NO_SUPPRESSIONS: readonly Suppression[] = Object.freeze([]);

/** Whether any annotation is a suppression (most objects have none, and then nothing is read). */
function hasSuppressionKey(annotations: Readonly<Record<string, string>>): boolean {
  for (const key in annotations) if (key.startsWith(SUPPRESS_ANNOTATION_PREFIX)) return true;
  return false;
}

function ruleIdsOf(rules: readonly Rule[]): ReadonlySet<string> {
  let ids = ruleIdCache.get(rules);
  if (!ids) {
    ids = new Set(rules.map((r) => r.id));
    ruleIdCache.set(rules, ids);
  }
  return ids;
}

/**
 * The severity of `rule` in `ctx` (`undefined`: switched off): the setting of the repository or app, else the
 * severity the rule gives this finding (`reported`), else the rule's severity for constructs, else its catalogue
 * severity.
 */
export function severityOf(rule: RuleInfo, ctx: JudgeContext, reported?: Severity): Severity | undefined {
  const setting = ctx.ruleSettings?.get(rule.id);
  if (setting === 'off') return undefined;
  if (setting !== undefined) return setting;
  if (reported !== undefined) return reported;
  if (ctx.origin === Origin.CONSTRUCT && rule.constructSeverity !== undefined) return rule.constructSeverity;
  return rule.severity;
}

function problemFinding(p: SuppressionProblem, ctx: JudgeContext): Finding | undefined {
  const severity = severityOf(p.rule, ctx);
  return severity === undefined ? undefined : { rule: p.rule.id, severity, field: p.field, message: p.message };
}

/**
 * The one judge: runs every rule over one pod subject (from `subjectsOf`) and returns its findings, errors and
 * warnings, after suppressions and the context's rule settings. It never knows who called it: the safe constructs,
 * the chart guard, the validation plugin and the CLI all call this function.
 */
export function judgeSubject(subject: PodSubject, ctx: JudgeContext, rules: readonly Rule[]): Finding[] {
  const findings: Finding[] = [];
  let suppressions: readonly Suppression[] = NO_SUPPRESSIONS;
  if (hasSuppressionKey(subject.annotations)) {
    const read = readSuppressions(subject, ruleIdsOf(rules));
    suppressions = read.list;
    for (const p of read.problems) {
      const f = problemFinding(p, ctx);
      if (f) findings.push(f);
    }
  }
  const settings = ctx.ruleSettings;
  // indexed loops: this runs once per rule and object, mostly before V8 has optimised it
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r];
    if (settings !== undefined && settings.get(rule.id) === 'off') continue;
    const found = rule.check(subject, ctx);
    if (found.length === 0) continue;
    for (const rf of found) {
      if (suppressions.length > 0 && isSuppressed(suppressions, rule.id, rf.container)) continue;
      const severity = severityOf(rule, ctx, rf.severity) as Severity;
      findings.push({ ...rf, rule: rule.id, severity });
    }
  }
  return findings;
}

/** Whether any finding is an error. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === Severity.ERROR);
}
