import type { Finding, JudgeContext, PodSubject, Rule, RuleInfo } from './types';
import { Severity } from './types';

/** Annotation prefix of suppressions: `safe-pods.cdk8s.io/suppress.<rule-id>` (whole object) or `...<rule-id>.<container>`. */
export const SUPPRESS_ANNOTATION_PREFIX = 'safe-pods.cdk8s.io/suppress.';

/** Catalogue entry of the rule that reports suppressions without a reason. */
export const SUPPRESSION_RULE: RuleInfo = Object.freeze({
  id: 'suppression-without-reason',
  severity: Severity.ERROR,
  title: 'A suppression annotation must give a reason',
  reason:
    'A finding may be silenced for one object, but a silent suppression hides the decision from reviewers; the reason is the record of why the risk was accepted.',
  fix: `Set the annotation value to a sentence, e.g. \`${SUPPRESS_ANNOTATION_PREFIX}image-mutable-tag: "local kind cluster, rebuilt on every run"\``,
});

/** Catalogue entry of the rule that reports suppressions naming no known rule. */
export const UNKNOWN_SUPPRESSION_RULE: RuleInfo = Object.freeze({
  id: 'suppression-unknown-rule',
  severity: Severity.WARNING,
  title: 'A suppression annotation names a rule that does not exist',
  reason: 'A misspelled rule id suppresses nothing, so the finding it was meant for still fails the synth.',
  fix: 'Use a rule id from the README rule catalogue',
});

interface Suppression {
  readonly rule: string;
  readonly container?: string;
  readonly reason: string;
  readonly key: string;
}

function suppressionsOf(subject: PodSubject, ruleIds: ReadonlySet<string>): { list: Suppression[]; findings: Finding[] } {
  const list: Suppression[] = [];
  const findings: Finding[] = [];
  for (const key in subject.annotations) {
    const value = subject.annotations[key];
    if (!key.startsWith(SUPPRESS_ANNOTATION_PREFIX)) continue;
    const rest = key.slice(SUPPRESS_ANNOTATION_PREFIX.length);
    // rule ids are kebab-case (no dots); a container name follows the first dot
    const dot = rest.indexOf('.');
    const rule = dot < 0 ? rest : rest.slice(0, dot);
    const container = dot < 0 ? undefined : rest.slice(dot + 1);
    const field = `metadata.annotations[${JSON.stringify(key)}]`;
    if (!ruleIds.has(rule)) {
      findings.push({
        rule: UNKNOWN_SUPPRESSION_RULE.id,
        severity: UNKNOWN_SUPPRESSION_RULE.severity,
        field,
        message: `suppression ${JSON.stringify(key)} names no known rule ${JSON.stringify(rule)}; use a rule id from the catalogue`,
      });
      continue;
    }
    if (typeof value !== 'string' || value.trim().length === 0) {
      findings.push({
        rule: SUPPRESSION_RULE.id,
        severity: SUPPRESSION_RULE.severity,
        field,
        message: `suppression ${JSON.stringify(key)} has no reason; set its value to why the finding is accepted`,
      });
      continue;
    }
    list.push({ rule, container, reason: value, key });
  }
  return { list, findings };
}

function isSuppressed(f: Finding, suppressions: readonly Suppression[]): boolean {
  return suppressions.some((s) => s.rule === f.rule && (s.container === undefined || s.container === f.container));
}

/**
 * The one judge: runs every rule over one pod subject and returns its findings (errors and warnings), after
 * suppressions. It never knows who called it: constructs, the chart guard, the validation plugin and the CLI
 * all call this function.
 */
export function judgeSubject(subject: PodSubject, ctx: JudgeContext, rules: readonly Rule[]): Finding[] {
  const { list: suppressions, findings } = suppressionsOf(subject, ruleIdsOf(rules));
  for (const rule of rules) {
    const reported = rule.check(subject, ctx);
    for (const rf of reported) {
      const f: Finding = { ...rf, rule: rule.id, severity: rf.severity ?? rule.severity };
      if (suppressions.length === 0 || !isSuppressed(f, suppressions)) findings.push(f);
    }
  }
  return findings;
}

const ruleIdCache = new WeakMap<readonly Rule[], ReadonlySet<string>>();

function ruleIdsOf(rules: readonly Rule[]): ReadonlySet<string> {
  let ids = ruleIdCache.get(rules);
  if (!ids) {
    ids = new Set(rules.map((r) => r.id));
    ruleIdCache.set(rules, ids);
  }
  return ids;
}

/** Whether any finding is an error. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === Severity.ERROR);
}

/** `error image-unpinned: <message>`, the one-line form every entry point prints. */
export function formatFinding(f: Finding): string {
  return `${f.severity} ${f.rule}: ${f.message}`;
}
