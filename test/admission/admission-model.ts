/**
 * What the policies must say, rule by rule, written in TypeScript from the judge and the listed differences
 * (`ADMISSION_DIFFERENCES`): for most rules exactly the judge's verdict; for a rule that differs at admission, the
 * judge's verdict changed only in the way its listed reason says. The parity tests require the CEL to equal this
 * model on every object, and count where the model (and so the CEL) departs from the judge.
 */
import { ADMISSION_DIFFERENCES, AdmissionDifferenceKind } from '../../src/admission/differences';
import { DEFAULTS } from '../../src/defaults';
import { HOOK_BUDGETS_ANNOTATION } from '../../src/hooks/budget';
import { assessPinning, PinningProblemKind } from '../../src/image/pinning';
import { ImageReference } from '../../src/image/reference';
import { tryParseQuantity } from '../../src/k8s/quantity';
import type { KubernetesVersion } from '../../src/k8s/version';
import { RULES } from '../../src/rules/catalogue';
import { SUPPRESS_ANNOTATION_PREFIX } from '../../src/rules/judge';
import { checkObjects, subjectsOf } from '../../src/rules/subjects';
import type { ObjectFinding } from '../../src/rules/subjects';
import { Severity } from '../../src/rules/types';
import type { JsonObject, PodSubject } from '../../src/rules/types';

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
const PULL_POLICY = ruleId('image-pull-policy-missing');
const BUDGET_RULES = ADMISSION_DIFFERENCES.filter((d) => d.kind === AdmissionDifferenceKind.DIFFERS && d.rule.startsWith('lifecycle-')).map(
  (d) => d.rule,
);
const FIELD_REF = ADMISSION_DIFFERENCES.find((d) => d.kind === AdmissionDifferenceKind.JUDGE_BUG)!.rule;
const NOT_PINNED = RULES.find((r) => r.id === 'image-not-pinned')!;
const FLOATING = RULES.find((r) => r.id === 'image-floating-tag')!;

function verdictOf(findings: readonly ObjectFinding[], rule: string): Verdict {
  const mine = findings.filter((f) => f.rule === rule);
  return { error: mine.some((f) => f.severity === Severity.ERROR), warning: mine.some((f) => f.severity === Severity.WARNING) };
}

function judge(obj: unknown, options: ParityOptions): ObjectFinding[] {
  return checkObjects([obj as JsonObject], options);
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

/** Whether the judge's merged annotations hold a suppression of `rule` (for the object, or for `container`) with a reason. */
function suppressed(subject: PodSubject, rule: string, container: string): boolean {
  return [`${SUPPRESS_ANNOTATION_PREFIX}${rule}`, `${SUPPRESS_ANNOTATION_PREFIX}${rule}.${container}`].some(
    (k) => typeof subject.annotations[k] === 'string' && subject.annotations[k].trim().length > 0,
  );
}

/**
 * `image-pull-policy-missing` at admission: a container whose valid image has a mutable tag (not pinned, or floating)
 * whose pinning finding is suppressed for it, and whose effective (defaulted) pull policy is not `Always`.
 */
function pullPolicyAtAdmission(raw: Record<string, unknown>, admitted: Record<string, unknown>, options: ParityOptions): Verdict {
  const [subject] = subjectsOf(raw);
  const [decoded] = subjectsOf(admitted);
  if (subject === undefined || decoded === undefined) return { error: false, warning: false };
  const lists = ['initContainers', 'containers', 'ephemeralContainers'] as const;
  let hit = false;
  for (const list of lists) {
    (decoded.podSpec[list] ?? []).forEach((c) => {
      const image: unknown = c.image;
      if (typeof image !== 'string' || image === '') return;
      const ref = ImageReference.tryParse(image, { kubernetesVersion: options.kubernetesVersion });
      if (ref === undefined) return;
      const kinds = assessPinning(ref, { requireDigest: false }).problems.map((p) => p.kind);
      const accepted =
        (kinds.includes(PinningProblemKind.NOT_PINNED) && suppressed(subject, NOT_PINNED.id, c.name)) ||
        (kinds.includes(PinningProblemKind.FLOATING_TAG) && suppressed(subject, FLOATING.id, c.name));
      if (accepted && c.imagePullPolicy !== DEFAULTS.mutableTagPullPolicy && !suppressed(subject, PULL_POLICY, c.name)) hit = true;
    });
  }
  const severity = RULES.find((r) => r.id === PULL_POLICY)!.severity;
  return { error: hit && severity === Severity.ERROR, warning: hit && severity === Severity.WARNING };
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

/** The judge on the object with its divisors in canonical form and annotation keys lower-cased as Go does. */
function fieldRefsAtAdmission(raw: Record<string, unknown>, rule: string, options: ParityOptions): Verdict {
  const fixed = clone(raw);
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (typeof x === 'object' && x !== null) {
      const o = x as Record<string, unknown>;
      if (typeof o.fieldPath === 'string' && o.fieldPath.startsWith('metadata.annotations[')) o.fieldPath = o.fieldPath.replace(/\u0130/g, 'i');
      if ((typeof o.divisor === 'string' || typeof o.divisor === 'number') && typeof o.resource === 'string') {
        const q = tryParseQuantity(String(o.divisor));
        if (q !== undefined) o.divisor = q.toString();
      }
      Object.values(o).forEach(visit);
    }
  };
  visit(fixed);
  return verdictOf(judge(fixed, options), rule);
}

/** The judge's verdict for every rule on the object as written. */
export function judgeVerdicts(raw: Record<string, unknown>, options: ParityOptions): (rule: string) => Verdict {
  const findings = judge(raw, options);
  return (rule) => verdictOf(findings, rule);
}

/** What the policy of `rule` must say about the object: the judge's verdict, changed only as the listed difference says. */
export function modelVerdict(
  rule: string,
  raw: Record<string, unknown>,
  admitted: Record<string, unknown>,
  options: ParityOptions,
  judged: (rule: string) => Verdict,
): Verdict {
  if (rule === PULL_POLICY) return pullPolicyAtAdmission(raw, admitted, options);
  if (BUDGET_RULES.includes(rule)) return budgetsAtAdmission(raw, rule, options);
  if (rule === FIELD_REF) return fieldRefsAtAdmission(raw, rule, options);
  return judged(rule);
}
