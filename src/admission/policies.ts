/**
 * The rule catalogue as ValidatingAdmissionPolicies: one policy and one binding per exported rule, generated from the
 * rule objects (ids, titles, severities), for a target Kubernetes version and the same settings the judge takes.
 */
import { DEFAULTS } from '../defaults';
import { ManifestError } from '../k8s/errors';
import { KubernetesVersion } from '../k8s/version';
import { RULE_CATALOGUE, RULES } from '../rules/catalogue';
import { severityOf } from '../rules/judge';
import type { JudgeContext, RuleInfo, RuleSetting } from '../rules/types';
import { Origin, Severity } from '../rules/types';
import { str, v } from './cel';
import type { AdmissionCheck, AdmissionVariable, CheckContext } from './check';
import { messagePrefix } from './check';
import { ENV_CHECKS, ENV_NAME_VARIABLES, ENV_REF_VARIABLES } from './env-checks';
import { IMAGE_CHECKS, IMAGE_VARIABLES } from './image-checks';
import { HOOK_VARIABLES, LIFECYCLE_CHECKS } from './lifecycle-checks';
import { POD_CHECKS, SUPPRESSION_CHECKS } from './pod-checks';
import { matchConditions, POD_KINDS, RULES_ANNOTATION, SUBJECT_VARIABLES } from './subject';

/** The first Kubernetes version that serves `admissionregistration.k8s.io/v1` ValidatingAdmissionPolicy (GA). */
export const ADMISSION_POLICY_MIN_VERSION = KubernetesVersion.V1_30;

/** The API group of ValidatingAdmissionPolicy and its binding. */
const API_VERSION: ValidatingAdmissionPolicyJson['apiVersion'] = 'admissionregistration.k8s.io/v1';

/** Suffix of every policy and binding name: `<rule-id>.safe-pods.cdk8s.io`. */
export const POLICY_NAME_SUFFIX = '.safe-pods.cdk8s.io';

/** Label every generated object carries, so they can be listed and removed together. */
export const POLICY_LABEL = Object.freeze({ key: 'app.kubernetes.io/part-of', value: 'cdk8s-safe-pods' });

/** Options for `admissionPolicies`. */
export interface AdmissionPoliciesOptions {
  /**
   * The Kubernetes version of the cluster the policies are for: rules that changed between versions (env names, the
   * native sleep, httpGet `host`) are exported as that version's API server behaves. Must be 1.30 or newer.
   *
   * @default ADMISSION_POLICY_MIN_VERSION (1.30)
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * Require every image to be pinned by digest (exports `image-digest-required`).
   *
   * @default DEFAULTS.requireDigest (false)
   */
  readonly requireDigest?: boolean;
  /**
   * Bind every policy with `validationActions: [Audit, Warn]`, whatever its severity: nothing is refused, every
   * violation is written to the audit log and returned to the client as a warning. Use it first on a live cluster.
   *
   * @default false
   */
  readonly audit?: boolean;
  /**
   * Severity overrides by rule id (`off` switches a rule off), in the shape the judge, `SafePodsSettings` and the
   * repository's `safe-pods.config.json` (`ruleSettingsOf`) give them. A rule switched off gets no policy; a
   * suppression naming it is still a suppression of a known rule, as in the judge.
   *
   * @default - every rule at its catalogue severity
   */
  readonly ruleSettings?: ReadonlyMap<string, RuleSetting>;
  /**
   * Rule ids that are switched off (no policy is generated for them); applied over `ruleSettings`.
   *
   * @default - none beyond `ruleSettings`
   */
  readonly disabledRules?: readonly string[];
  /**
   * Severity per rule id, replacing the catalogue's; applied over `ruleSettings`. Errors are bound with `Deny`,
   * warnings with `Warn`. A rule setting (here or in `ruleSettings`) wins over the severity a rule gives a finding
   * itself (an httpGet `host` is an error from Kubernetes 1.34), as in the judge.
   *
   * @default - the catalogue's severities
   */
  readonly severities?: Readonly<Record<string, Severity>>;
}

/** The metadata of a generated policy or binding. */
export interface AdmissionObjectMetaJson {
  /** `<rule-id>.safe-pods.cdk8s.io`. */
  readonly name: string;
  /** `app.kubernetes.io/part-of: cdk8s-safe-pods`, to list and remove the generated objects together. */
  readonly labels: Readonly<Record<string, string>>;
  /** `safe-pods.cdk8s.io/rules` (the rule ids enforced), and on a policy its severity and target version. */
  readonly annotations: Readonly<Record<string, string>>;
}

/** One entry of `matchConstraints.resourceRules`: the resources of one API group and version a policy matches. */
export interface AdmissionResourceRuleJson {
  /** The API group (`""` for core). */
  readonly apiGroups: readonly string[];
  /** The API version. */
  readonly apiVersions: readonly string[];
  /** `CREATE` and `UPDATE`. */
  readonly operations: readonly string[];
  /** The resources (plural), e.g. `deployments`. */
  readonly resources: readonly string[];
}

/** The `matchConstraints` of a policy: Pods and every built-in kind with a pod template, in every namespace. */
export interface AdmissionMatchConstraintsJson {
  /** `Equivalent`: a request through another version of the same resource is matched too. */
  readonly matchPolicy: 'Equivalent';
  /** Empty: every namespace (narrow it in the binding). */
  readonly namespaceSelector: Readonly<Record<string, never>>;
  /** Empty: every object. */
  readonly objectSelector: Readonly<Record<string, never>>;
  /** The resources matched, one entry per API group and version. */
  readonly resourceRules: readonly AdmissionResourceRuleJson[];
}

/** A named CEL expression: a match condition or a variable of a policy. */
export interface AdmissionNamedExpressionJson {
  /** The name (`variables.<name>` for a variable). */
  readonly name: string;
  /** The CEL expression. */
  readonly expression: string;
}

/** The validation of a policy: it fails when the rule has violations. */
export interface AdmissionValidationJson {
  /** `size(variables.violations) == 0`. */
  readonly expression: string;
  /** The message: `[<rule-id>] ` and the first violation, naming the container. */
  readonly messageExpression: string;
  /** The static message the API server shows when `messageExpression` cannot be used: `[<rule-id>] ` and the rule's title. */
  readonly message: string;
}

/** The `spec` of a generated `ValidatingAdmissionPolicy`. */
export interface ValidatingAdmissionPolicySpecJson {
  /** `Fail`: an expression that cannot be evaluated refuses the request (under a `Deny` binding). */
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** What the policy matches. */
  readonly matchConstraints: AdmissionMatchConstraintsJson;
  /** The object has its pod spec, and on UPDATE the pod spec changed. */
  readonly matchConditions: readonly AdmissionNamedExpressionJson[];
  /** The shared facts the rule reads, then `violations`. */
  readonly variables: readonly AdmissionNamedExpressionJson[];
  /** One validation. */
  readonly validations: readonly AdmissionValidationJson[];
}

/** A `ValidatingAdmissionPolicy` (`admissionregistration.k8s.io/v1`), the fields this library writes. */
export interface ValidatingAdmissionPolicyJson {
  /** `admissionregistration.k8s.io/v1`. */
  readonly apiVersion: 'admissionregistration.k8s.io/v1';
  /** `ValidatingAdmissionPolicy`. */
  readonly kind: 'ValidatingAdmissionPolicy';
  /** Name, label and annotations. */
  readonly metadata: AdmissionObjectMetaJson;
  /** What the policy matches and checks. */
  readonly spec: ValidatingAdmissionPolicySpecJson;
}

/** Validation actions of a binding. */
export type ValidationAction = 'Deny' | 'Warn' | 'Audit';

/** The `spec` of a generated `ValidatingAdmissionPolicyBinding`. */
export interface ValidatingAdmissionPolicyBindingSpecJson {
  /** The policy bound (of the same name). */
  readonly policyName: string;
  /** `[Deny]` for an error, `[Warn]` for a warning, `[Audit, Warn]` in audit mode. */
  readonly validationActions: readonly ValidationAction[];
}

/** A `ValidatingAdmissionPolicyBinding` (`admissionregistration.k8s.io/v1`). */
export interface ValidatingAdmissionPolicyBindingJson {
  /** `admissionregistration.k8s.io/v1`. */
  readonly apiVersion: 'admissionregistration.k8s.io/v1';
  /** `ValidatingAdmissionPolicyBinding`. */
  readonly kind: 'ValidatingAdmissionPolicyBinding';
  /** Name, label and annotations. */
  readonly metadata: AdmissionObjectMetaJson;
  /** The policy and the validation actions. */
  readonly spec: ValidatingAdmissionPolicyBindingSpecJson;
}

/** What `admissionPolicies` returns. */
export interface AdmissionPolicySet {
  /** One policy per exported rule, in catalogue order. */
  readonly policies: readonly ValidatingAdmissionPolicyJson[];
  /** One binding per policy, in the same order. */
  readonly bindings: readonly ValidatingAdmissionPolicyBindingJson[];
  /** Each policy followed by its binding: the order to write them in. */
  readonly objects: readonly (ValidatingAdmissionPolicyJson | ValidatingAdmissionPolicyBindingJson)[];
}

const CATALOGUE_ORDER = new Map(RULE_CATALOGUE.map((r, i) => [r.id, i]));

/** Every admission check, in catalogue order. */
export const ADMISSION_CHECKS: readonly AdmissionCheck[] = Object.freeze(
  [...POD_CHECKS, ...IMAGE_CHECKS, ...ENV_CHECKS, ...LIFECYCLE_CHECKS, ...SUPPRESSION_CHECKS].sort(
    (a, b) => CATALOGUE_ORDER.get(a.rule.id)! - CATALOGUE_ORDER.get(b.rule.id)!,
  ),
);

/** Every variable a check may use, in an order where each reads only earlier ones. */
export const ADMISSION_VARIABLES: readonly AdmissionVariable[] = Object.freeze([
  ...SUBJECT_VARIABLES,
  ...IMAGE_VARIABLES,
  ...ENV_NAME_VARIABLES,
  ...ENV_REF_VARIABLES,
  ...HOOK_VARIABLES,
]);

const VARIABLE_ORDER = new Map(ADMISSION_VARIABLES.map((x, i) => [x.name, i]));

/** The variables `uses` names, with everything they read, in declaration order. */
function variablesFor(uses: readonly string[]): AdmissionVariable[] {
  const needed = new Set<string>();
  const visit = (name: string): void => {
    if (needed.has(name)) return;
    const variable = ADMISSION_VARIABLES.find((x) => x.name === name);
    if (variable === undefined) throw new Error(`admission variable ${JSON.stringify(name)} is not defined`);
    needed.add(name);
    variable.uses.forEach(visit);
  };
  uses.forEach(visit);
  return [...needed].sort((a, b) => VARIABLE_ORDER.get(a)! - VARIABLE_ORDER.get(b)!).map((n) => ADMISSION_VARIABLES.find((x) => x.name === n)!);
}

/** The name of the policy (and binding) of a rule. */
export function policyName(ruleId: string): string {
  return `${ruleId}${POLICY_NAME_SUFFIX}`;
}

/** The name of the variable holding a policy's violations. */
export const VIOLATIONS_VARIABLE = 'violations';

/** Longest violation text a message quotes (the API server drops a message expression result over 5 KiB). */
const MESSAGE_MAX = 1000;

function validationOf(rule: RuleInfo): AdmissionValidationJson {
  const list = v(VIOLATIONS_VARIABLE);
  const first = `${list}[0]`;
  const shown = `(size(${first}) > ${MESSAGE_MAX} ? ${first}.substring(0, ${MESSAGE_MAX}) + '...' : ${first})`;
  const more = `(size(${list}) > 1 ? ' (and ' + string(size(${list}) - 1) + ' more)' : '')`;
  return {
    expression: `size(${list}) == 0`,
    messageExpression: `${str(messagePrefix(rule))} + ${shown} + ${more}`,
    message: `${messagePrefix(rule)}${rule.title}`,
  };
}

/** The `CheckContext` and the severity of each rule (`undefined`: switched off) for a set of options; throws on bad options. */
function contextOf(options: AdmissionPoliciesOptions): { ctx: CheckContext; severityFor: (check: AdmissionCheck) => Severity | undefined } {
  const version = options.kubernetesVersion ?? ADMISSION_POLICY_MIN_VERSION;
  if (!version.isAtLeast(ADMISSION_POLICY_MIN_VERSION)) {
    throw new ManifestError(
      `ValidatingAdmissionPolicy (${API_VERSION}) needs Kubernetes ${ADMISSION_POLICY_MIN_VERSION} or newer, but the target is ${version}; ` +
        `give the version of the cluster the policies are for, e.g. "${ADMISSION_POLICY_MIN_VERSION}"`,
    );
  }
  const known = new Set(RULE_CATALOGUE.map((r) => r.id));
  const named = [...(options.ruleSettings?.keys() ?? []), ...(options.disabledRules ?? []), ...Object.keys(options.severities ?? {})];
  const unknown = named.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new ManifestError(`unknown rule id ${JSON.stringify(unknown[0])} in the admission policy options; use an id of the rule catalogue`);
  }
  const settings = new Map<string, RuleSetting>(options.ruleSettings ?? []);
  for (const [id, severity] of Object.entries(options.severities ?? {})) {
    if (severity !== Severity.ERROR && severity !== Severity.WARNING) {
      throw new ManifestError(`severity ${JSON.stringify(severity)} of rule ${JSON.stringify(id)} is not "error" or "warning"`);
    }
    settings.set(id, severity);
  }
  for (const [id, setting] of settings) {
    if (setting !== Severity.ERROR && setting !== Severity.WARNING && setting !== 'off') {
      throw new ManifestError(`rule setting ${JSON.stringify(setting)} of rule ${JSON.stringify(id)} is not "error", "warning" or "off"`);
    }
  }
  for (const id of options.disabledRules ?? []) settings.set(id, 'off');
  const ctx: CheckContext = {
    kubernetesVersion: version,
    requireDigest: options.requireDigest ?? DEFAULTS.requireDigest,
    knownRuleIds: RULES.map((r) => r.id),
  };
  // the judge's own resolution: a setting, else what the rule reports for the target, else the catalogue (manifests)
  const judgeContext: JudgeContext = {
    kubernetesVersion: ctx.kubernetesVersion,
    requireDigest: ctx.requireDigest,
    origin: Origin.MANIFEST,
    ...(settings.size > 0 ? { ruleSettings: settings } : {}),
  };
  return { ctx, severityFor: (check) => severityOf(check.rule, judgeContext, check.reportedSeverity?.(ctx)) };
}

/** The checks that produce a policy for the options (switched-off rules and rules that do not apply are left out). */
export function exportedChecks(options: AdmissionPoliciesOptions = {}): AdmissionCheck[] {
  const { ctx, severityFor } = contextOf(options);
  return ADMISSION_CHECKS.filter((c) => severityFor(c) !== undefined && (c.appliesTo?.(ctx) ?? true));
}

/**
 * The ValidatingAdmissionPolicies and bindings that enforce the rule catalogue at admission, for every rule whose
 * verdict depends only on the object being admitted: one policy per rule, named `<rule-id>.safe-pods.cdk8s.io` and
 * annotated `safe-pods.cdk8s.io/rules`, matching Pods and every built-in kind with a pod template. Errors are bound
 * with `Deny`, warnings with `Warn`, everything with `[Audit, Warn]` in audit mode. Plain JSON, ready to write as YAML.
 * Throws for a target before Kubernetes 1.30 and for unknown rule ids in the options.
 *
 * @group Checks
 */
export function admissionPolicies(options: AdmissionPoliciesOptions = {}): AdmissionPolicySet {
  const { ctx, severityFor } = contextOf(options);
  const labels = { [POLICY_LABEL.key]: POLICY_LABEL.value };
  const groups = new Map<string, { group: string; version: string; resources: string[] }>();
  for (const k of POD_KINDS) {
    const key = `${k.group}/${k.version}`;
    if (!groups.has(key)) groups.set(key, { group: k.group, version: k.version, resources: [] });
    groups.get(key)!.resources.push(k.resource);
  }
  const resourceRules = [...groups.values()].map((g) => ({
    apiGroups: [g.group],
    apiVersions: [g.version],
    operations: ['CREATE', 'UPDATE'],
    resources: g.resources,
  }));
  const policies: ValidatingAdmissionPolicyJson[] = [];
  const bindings: ValidatingAdmissionPolicyBindingJson[] = [];
  for (const check of exportedChecks(options)) {
    const rule = check.rule;
    const severity = severityFor(check)!;
    const name = policyName(rule.id);
    const annotations = {
      [RULES_ANNOTATION]: rule.id,
      'safe-pods.cdk8s.io/severity': severity,
      'safe-pods.cdk8s.io/kubernetes-version': String(ctx.kubernetesVersion),
    };
    policies.push({
      apiVersion: API_VERSION,
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels, annotations },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {}, resourceRules },
        matchConditions: matchConditions(),
        variables: [
          ...variablesFor(check.uses).map((x) => ({ name: x.name, expression: x.expression(ctx) })),
          { name: VIOLATIONS_VARIABLE, expression: check.violations(ctx) },
        ],
        validations: [validationOf(rule)],
      },
    });
    const actions: ValidationAction[] = options.audit ? ['Audit', 'Warn'] : severity === Severity.ERROR ? ['Deny'] : ['Warn'];
    bindings.push({
      apiVersion: API_VERSION,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels, annotations: { [RULES_ANNOTATION]: rule.id } },
      spec: { policyName: name, validationActions: actions },
    });
  }
  return { policies, bindings, objects: policies.flatMap((p, i) => [p, bindings[i]]) };
}
