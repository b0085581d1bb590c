/**
 * Suppressions: annotations that accept a finding for one object (`safe-pods.cdk8s.io/suppress.<rule-id>`) or one of its
 * containers (`safe-pods.cdk8s.io/suppress.<rule-id>.<container>`), with the reason as the value.
 */
import { quote } from '../k8s/text';
import type { PodSubject } from './normalize';
import type { RuleInfo } from './types';
import { Severity } from './types';

/** Annotation prefix of suppressions: `safe-pods.cdk8s.io/suppress.<rule-id>` (whole object) or `...<rule-id>.<container>`. */
export const SUPPRESS_ANNOTATION_PREFIX = 'safe-pods.cdk8s.io/suppress.';

/** The annotation key that suppresses `rule` for the whole object, or for one container. */
export function suppressionKey(rule: string, container?: string): string {
  return `${SUPPRESS_ANNOTATION_PREFIX}${rule}${container !== undefined ? `.${container}` : ''}`;
}

/** Catalogue entry of the rule that reports suppressions without a reason. */
export const SUPPRESSION_WITHOUT_REASON: RuleInfo = Object.freeze({
  id: 'suppression-without-reason',
  severity: Severity.ERROR,
  title: 'A suppression annotation must give a reason',
  reason:
    'A finding may be accepted for one object, but a silent suppression hides the decision from reviewers; the reason is the record of ' +
    'why the risk was accepted, so it must contain visible text (not only spaces or zero-width characters).',
  fix: `Set the annotation value to a sentence, e.g. \`${suppressionKey('image-not-pinned', 'app')}: "local kind cluster, rebuilt on every run"\``,
});

/** Catalogue entry of the rule that reports suppressions naming no known rule. */
export const SUPPRESSION_UNKNOWN_RULE: RuleInfo = Object.freeze({
  id: 'suppression-unknown-rule',
  severity: Severity.WARNING,
  title: 'A suppression annotation names a rule that does not exist',
  reason: 'A misspelled rule id suppresses nothing, so the finding it was meant for still fails the synth.',
  fix: 'Use a rule id from the rule catalogue (`cdk8s-safe-pods rules` lists them)',
});

/** Catalogue entry of the rule that reports suppressions naming a container the pod does not have. */
export const SUPPRESSION_UNKNOWN_CONTAINER: RuleInfo = Object.freeze({
  id: 'suppression-unknown-container',
  severity: Severity.WARNING,
  title: 'A suppression annotation names a container the pod does not have',
  reason: 'A suppression for a container that does not exist (a typo, or a renamed container) suppresses nothing.',
  fix: "Use the name of one of the pod's containers after the rule id, or drop the container part to suppress for the whole object",
});

/** The judge's own entries of the catalogue: the checks of suppressions. */
export const SUPPRESSION_RULES: readonly RuleInfo[] = Object.freeze([
  SUPPRESSION_WITHOUT_REASON,
  SUPPRESSION_UNKNOWN_RULE,
  SUPPRESSION_UNKNOWN_CONTAINER,
]);

/** One accepted finding class. */
export interface Suppression {
  /** The rule id. */
  readonly rule: string;
  /**
   * The container, when the suppression is for one container.
   *
   * @default - the whole object
   */
  readonly container?: string;
  /** The reason given. */
  readonly reason: string;
}

/** A problem with a suppression annotation, before the judge adds the rule's id and severity. */
export interface SuppressionProblem {
  /** Which check failed. */
  readonly rule: RuleInfo;
  /** The annotation field. */
  readonly field: string;
  /** One sentence. */
  readonly message: string;
}

/** Whether `text` has something a reviewer can read: a letter, digit, punctuation or symbol. */
export function hasVisibleText(text: string): boolean {
  return /[\p{L}\p{N}\p{P}\p{S}]/u.test(text);
}

/**
 * Reads the suppression annotations of a subject: the valid ones, and the problems of the others (no reason, unknown
 * rule, unknown container). Rule ids are kebab-case without dots, so a container name follows the first dot.
 */
export function readSuppressions(subject: PodSubject, ruleIds: ReadonlySet<string>): { list: Suppression[]; problems: SuppressionProblem[] } {
  const list: Suppression[] = [];
  const problems: SuppressionProblem[] = [];
  for (const key in subject.annotations) {
    if (!key.startsWith(SUPPRESS_ANNOTATION_PREFIX)) continue;
    const value = subject.annotations[key];
    const rest = key.slice(SUPPRESS_ANNOTATION_PREFIX.length);
    const dot = rest.indexOf('.');
    const rule = dot < 0 ? rest : rest.slice(0, dot);
    const container = dot < 0 ? undefined : rest.slice(dot + 1);
    const field = `metadata.annotations[${JSON.stringify(key)}]`;
    const quoted = JSON.stringify(key);
    if (!ruleIds.has(rule)) {
      problems.push({
        rule: SUPPRESSION_UNKNOWN_RULE,
        field,
        message: `suppression ${quoted} names no known rule ${JSON.stringify(rule)}; use a rule id from the catalogue`,
      });
      continue;
    }
    if (!hasVisibleText(value)) {
      problems.push({
        rule: SUPPRESSION_WITHOUT_REASON,
        field,
        message: `suppression ${quoted} has no reason (its value ${quote(value)} has no visible text); set its value to why the finding is accepted`,
      });
      continue;
    }
    if (container !== undefined && !subject.containers.some((c) => c.name === container)) {
      const names = subject.containers.map((c) => JSON.stringify(c.name)).join(', ') || 'none';
      problems.push({
        rule: SUPPRESSION_UNKNOWN_CONTAINER,
        field,
        message: `suppression ${quoted} names container ${JSON.stringify(container)}, which the pod does not have (its containers: ${names}); it suppresses nothing`,
      });
      continue;
    }
    list.push({ rule, ...(container !== undefined ? { container } : {}), reason: value });
  }
  return { list, problems };
}

/** Whether a finding of `rule` for `container` (or the whole object) is suppressed. */
export function isSuppressed(suppressions: readonly Suppression[], rule: string, container: string | undefined): boolean {
  for (const s of suppressions) if (s.rule === rule && (s.container === undefined || s.container === container)) return true;
  return false;
}
