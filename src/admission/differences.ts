/**
 * Where admission and the judge part ways, rule by rule, with the reason: the rules that are not exported, the
 * exported rules whose verdict differs in listed cases, with the upstream behaviour that causes each.
 * `docs/admission.md` renders this list, and the parity tests require every difference they observe to be one of these.
 */
import { HOOK_BUDGETS_ANNOTATION } from '../hooks/budget';
import { IMAGE_FLOATING_TAG_RULE, IMAGE_NOT_PINNED_RULE, IMAGE_PULL_POLICY_MISSING_RULE } from '../rules/image';
import { catalogueRule } from './catalogue';
import { TIMEOUT_MAX_ARGS } from './lifecycle-checks';

/** How a rule behaves at admission compared with the judge. */
export enum AdmissionDifferenceKind {
  /** No policy is generated for the rule. */
  NOT_EXPORTED = 'not-exported',
  /** A policy is generated, but its verdict differs from the judge's in the cases the reason names. */
  DIFFERS = 'differs',
}

/** One difference between a rule at admission and the judge. */
export interface AdmissionDifference {
  /** The rule id (checked against the catalogue when this module loads). */
  readonly rule: string;
  /** What kind of difference. */
  readonly kind: AdmissionDifferenceKind;
  /** Why, in one or two sentences, with the upstream behaviour that causes it. */
  readonly reason: string;
}

function difference(rule: string, kind: AdmissionDifferenceKind, reason: string): AdmissionDifference {
  return Object.freeze({ rule: catalogueRule(rule).id, kind, reason });
}

const SERVICES =
  "needs the Services of the pod's namespace, and a policy sees only the object being admitted (ValidatingAdmissionPolicy has no lookups " +
  'beyond the namespace object and params).';
const RUNTIME_CLASS =
  'needs the RuntimeClass the pod names; for Pods the RuntimeClass admission plugin (on by default) already enforces this at admission.';
const BUDGETS =
  `containers named in the \`${HOOK_BUDGETS_ANNOTATION}\` annotation are not judged: its value is JSON, and Kubernetes CEL cannot ` +
  'parse JSON, so a declared budget cannot be read (the judge reads it). Containers the annotation does not name are judged as the judge ' +
  'judges them.';

const DECODED =
  'the API server decodes the object into its typed API before admission runs, and refuses it there when a field has the wrong JSON type ' +
  '(`json: cannot unmarshal ...`), so a policy never sees such an object.';

/** Every rule of the catalogue that is not exported, or that differs at admission, with the reason. */
export const ADMISSION_DIFFERENCES: readonly AdmissionDifference[] = Object.freeze([
  difference('field-type-invalid', AdmissionDifferenceKind.NOT_EXPORTED, `Not exported: ${DECODED}`),
  difference(
    'image-pull-policy-missing',
    AdmissionDifferenceKind.NOT_EXPORTED,
    'Not exported: the API server sets a missing `imagePullPolicy` (SetDefaults_Container: `Always` for no tag or exactly `latest`, else ' +
      '`IfNotPresent`) before admission runs, so "missing" cannot be seen. What can be seen, the effective policy of an accepted mutable ' +
      'tag, is `image-mutable-tag-pull-policy`.',
  ),
  difference(
    'image-mutable-tag-pull-policy',
    AdmissionDifferenceKind.DIFFERS,
    "The policy reads the pull policy after the API server's defaulting (SetDefaults_Container), where the judge reads it as written. An " +
      `accepted mutable tag (\`${IMAGE_NOT_PINNED_RULE.id}\` or \`${IMAGE_FLOATING_TAG_RULE.id}\` suppressed for the container) without a pull ` +
      'policy gets `IfNotPresent` when its tag is not exactly `latest` (a floating tag such as `stable` or `alpine`, or `Latest`): the ' +
      `policy refuses it, where the judge reports \`${IMAGE_PULL_POLICY_MISSING_RULE.id}\` instead. With no tag or \`latest\` the default is ` +
      '`Always`, and both pass.',
  ),
  difference('env-service-link-prefix', AdmissionDifferenceKind.NOT_EXPORTED, `Not exported: it ${SERVICES}`),
  difference('env-service-link-collision', AdmissionDifferenceKind.NOT_EXPORTED, `Not exported: it ${SERVICES}`),
  difference('env-service-links-too-large', AdmissionDifferenceKind.NOT_EXPORTED, `Not exported: it ${SERVICES}`),
  difference(
    'env-unresolved-reference',
    AdmissionDifferenceKind.NOT_EXPORTED,
    'Not exported: with service links on (the default for Pods) a `$(VAR)` can resolve to a variable of any Service in the namespace, ' +
      'which a policy cannot see.',
  ),
  difference('runtime-class-unknown', AdmissionDifferenceKind.NOT_EXPORTED, `Not exported: it ${RUNTIME_CLASS}`),
  difference('runtime-class-node-selector-conflict', AdmissionDifferenceKind.NOT_EXPORTED, `Not exported: it ${RUNTIME_CLASS}`),
  difference(
    'runtime-class-overhead-mismatch',
    AdmissionDifferenceKind.NOT_EXPORTED,
    `Not exported: it ${RUNTIME_CLASS} The plugin also sets \`spec.overhead\` before validating admission runs.`,
  ),
  difference(
    'lifecycle-sleep-unsupported',
    AdmissionDifferenceKind.NOT_EXPORTED,
    'Not exported: it fires only for targets before 1.30, and `admissionregistration.k8s.io/v1` ValidatingAdmissionPolicy needs 1.30, ' +
      'where the native sleep runs (export refuses older targets).',
  ),
  difference('lifecycle-prestop-exceeds-grace', AdmissionDifferenceKind.DIFFERS, `The ${BUDGETS}`),
  difference(
    'lifecycle-exec-unbounded',
    AdmissionDifferenceKind.DIFFERS,
    `The ${BUDGETS} A \`timeout\` wrapper with more than ${TIMEOUT_MAX_ARGS} arguments before its command is not recognised.`,
  ),
  difference('lifecycle-poststart-unbounded', AdmissionDifferenceKind.DIFFERS, `The ${BUDGETS}`),
  difference(
    'lifecycle-budget-annotation-invalid',
    AdmissionDifferenceKind.NOT_EXPORTED,
    `Not exported: it parses the \`${HOOK_BUDGETS_ANNOTATION}\` annotation as JSON, and Kubernetes CEL cannot parse JSON.`,
  ),
]);
