/**
 * What the policies must say, rule by rule, written in TypeScript from the judge and the listed differences
 * (`ADMISSION_DIFFERENCES`): for most rules exactly the judge's verdict; for a rule that differs at admission, the
 * judge's verdict changed only in the way its listed reason says. The parity tests require the CEL to equal this
 * model on every object, and count where the model (and so the CEL) departs from the judge.
 */
import { ADMISSION_DIFFERENCES, AdmissionDifferenceKind } from '../../src/admission/differences';
import { HOOK_BUDGETS_ANNOTATION } from '../../src/hooks/budget';
import type { JsonObject } from '../../src/k8s/shapes';
import type { KubernetesVersion } from '../../src/k8s/version';
import { checkObjects } from '../../src/rules/check';
import type { ObjectFinding } from '../../src/rules/check';
import { subjectsOf } from '../../src/rules/normalize';
import { Severity } from '../../src/rules/types';
import { withDefaultedPullPolicies } from './harness';

/** A rule's verdict on one object: whether it reports an error, a warning. */
export interface Verdict {
  readonly error: boolean;
  readonly warning: boolean;
}

/** The options both sides run with. */
export interface ParityOptions {
  readonly kubernetesVersion: KubernetesVersion;
  readonly requireDigest: boolean;
}

const ruleId = (id: string): string => ADMISSION_DIFFERENCES.find((d) => d.rule === id)!.rule;
const MUTABLE_TAG_PULL_POLICY = ruleId('image-mutable-tag-pull-policy');
const BUDGET_RULES = ADMISSION_DIFFERENCES.filter((d) => d.kind === AdmissionDifferenceKind.DIFFERS && d.rule.startsWith('lifecycle-')).map(
  (d) => d.rule,
);

function verdictOf(findings: readonly ObjectFinding[], rule: string): Verdict {
  const mine = findings.filter((f) => f.rule === rule);
  return { error: mine.some((f) => f.severity === Severity.ERROR), warning: mine.some((f) => f.severity === Severity.WARNING) };
}

function judge(obj: unknown, options: ParityOptions): ObjectFinding[] {
  return checkObjects([obj as JsonObject], options).findings;
}

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/** Every metadata object of a pod object (own, job template, pod template). */
function metadatas(obj: Record<string, unknown>): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (typeof x === 'object' && x !== null) {
      for (const [k, v] of Object.entries(x)) {
        if (k === 'metadata' && typeof v === 'object' && v !== null) out.push(v as Record<string, unknown>);
        visit(v);
      }
    }
  };
  visit(obj);
  return out;
}

/**
 * `image-mutable-tag-pull-policy` at admission: the judge on the object with the pull policies the API server's
 * defaulting sets (an accepted floating tag without a policy gets `IfNotPresent`).
 */
function mutableTagAtAdmission(raw: Record<string, unknown>, options: ParityOptions): Verdict {
  return verdictOf(judge(withDefaultedPullPolicies(raw, options.kubernetesVersion), options), MUTABLE_TAG_PULL_POLICY);
}

/** The judge without the budgets annotation, leaving out the containers the annotation names. */
function budgetsAtAdmission(raw: Record<string, unknown>, rule: string, options: ParityOptions): Verdict {
  const [subject] = subjectsOf(raw);
  const text = subject?.annotations[HOOK_BUDGETS_ANNOTATION] ?? '';
  const stripped = clone(raw);
  for (const m of metadatas(stripped)) {
    const ann = m.annotations as Record<string, unknown> | undefined;
    if (ann && HOOK_BUDGETS_ANNOTATION in ann) delete ann[HOOK_BUDGETS_ANNOTATION];
  }
  const findings = judge(stripped, options).filter((f) => f.container === undefined || !text.includes(`"${f.container}"`));
  return verdictOf(findings, rule);
}

/** The judge's verdict for every rule on the object as written. */
export function judgeVerdicts(raw: Record<string, unknown>, options: ParityOptions): (rule: string) => Verdict {
  const findings = judge(raw, options);
  return (rule) => verdictOf(findings, rule);
}

/** What the policy of `rule` must say about the object: the judge's verdict, changed only as the listed difference says. */
export function modelVerdict(rule: string, raw: Record<string, unknown>, options: ParityOptions, judged: (rule: string) => Verdict): Verdict {
  if (rule === MUTABLE_TAG_PULL_POLICY) return mutableTagAtAdmission(raw, options);
  if (BUDGET_RULES.includes(rule)) return budgetsAtAdmission(raw, rule, options);
  return judged(rule);
}
