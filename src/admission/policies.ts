/**
 * The rule catalogue as ValidatingAdmissionPolicies: one policy and one binding per exported rule, generated from the
 * rule objects (ids, titles, severities), for a target Kubernetes version and the same settings the judge takes.
 */
import { DEFAULTS } from '../defaults';
import { KubernetesVersion } from '../k8s/version';
import { RULE_CATALOGUE, RULES } from '../rules/catalogue';
import type { RuleInfo } from '../rules/types';
import { Severity } from '../rules/types';
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
const API_VERSION = 'admissionregistration.k8s.io/v1';

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
   * Rule ids that are switched off: no policy is generated for them, and a suppression naming one of them is a
   * suppression of an unknown rule, as in the judge.
   *
   * @default - every rule is on
   */
  readonly disabledRules?: readonly string[];
  /**
   * Severity per rule id, replacing the catalogue's. Errors are bound with `Deny`, warnings with `Warn`. Where the
   * judge raises one finding's severity itself (an httpGet `host` is an error from Kubernetes 1.34), that wins, as
   * in the judge.
   *
   * @default - the catalogue's severities
   */
  readonly severities?: Readonly<Record<string, Severity>>;
}

/** A `ValidatingAdmissionPolicy` (`admissionregistration.k8s.io/v1`), the fields this library writes. */
export interface ValidatingAdmissionPolicyJson {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'ValidatingAdmissionPolicy';
  readonly metadata: {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly spec: {
    readonly failurePolicy: 'Fail' | 'Ignore';
    readonly matchConstraints: {
      readonly matchPolicy: 'Equivalent';
      readonly namespaceSelector: Readonly<Record<string, never>>;
      readonly objectSelector: Readonly<Record<string, never>>;
      readonly resourceRules: readonly {
        readonly apiGroups: readonly string[];
        readonly apiVersions: readonly string[];
        readonly operations: readonly string[];
        readonly resources: readonly string[];
      }[];
    };
    readonly matchConditions: readonly { readonly name: string; readonly expression: string }[];
    readonly variables: readonly { readonly name: string; readonly expression: string }[];
    readonly validations: readonly { readonly expression: string; readonly messageExpression: string; readonly message: string }[];
  };
}

/** Validation actions of a binding. */
export type ValidationAction = 'Deny' | 'Warn' | 'Audit';

/** A `ValidatingAdmissionPolicyBinding` (`admissionregistration.k8s.io/v1`). */
export interface ValidatingAdmissionPolicyBindingJson {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'ValidatingAdmissionPolicyBinding';
  readonly metadata: {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly spec: { readonly policyName: string; readonly validationActions: readonly ValidationAction[] };
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

function validationOf(rule: RuleInfo): ValidatingAdmissionPolicyJson['spec']['validations'][number] {
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

/** The `CheckContext` and per-rule severities for a set of options; throws on an unknown rule id or a target before 1.30. */
function contextOf(options: AdmissionPoliciesOptions): { ctx: CheckContext; severityOf: (rule: RuleInfo) => Severity } {
  const version = options.kubernetesVersion ?? ADMISSION_POLICY_MIN_VERSION;
  if (!version.isAtLeast(ADMISSION_POLICY_MIN_VERSION)) {
    throw new Error(
      `ValidatingAdmissionPolicy (${API_VERSION}) needs Kubernetes ${ADMISSION_POLICY_MIN_VERSION} or newer, but the target is ${version}; ` +
        `give the version of the cluster the policies are for, e.g. "${ADMISSION_POLICY_MIN_VERSION}"`,
    );
  }
  const known = new Set(RULE_CATALOGUE.map((r) => r.id));
  const unknown = [...(options.disabledRules ?? []), ...Object.keys(options.severities ?? {})].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new Error(`unknown rule id ${JSON.stringify(unknown[0])} in the admission policy options; use an id of the rule catalogue`);
  }
  for (const [id, severity] of Object.entries(options.severities ?? {})) {
    if (severity !== Severity.ERROR && severity !== Severity.WARNING) {
      throw new Error(`severity ${JSON.stringify(severity)} of rule ${JSON.stringify(id)} is not "error" or "warning"`);
    }
  }
  const disabled = new Set(options.disabledRules ?? []);
  const ctx: CheckContext = {
    kubernetesVersion: version,
    requireDigest: options.requireDigest ?? DEFAULTS.requireDigest,
    ruleIds: RULES.map((r) => r.id).filter((id) => !disabled.has(id)),
  };
  return { ctx, severityOf: (rule) => options.severities?.[rule.id] ?? rule.severity };
}

/** The checks that produce a policy for the options (switched-off rules and rules that do not apply are left out). */
export function exportedChecks(options: AdmissionPoliciesOptions = {}): AdmissionCheck[] {
  const { ctx } = contextOf(options);
  const disabled = new Set(options.disabledRules ?? []);
  return ADMISSION_CHECKS.filter((c) => !disabled.has(c.rule.id) && (c.appliesTo?.(ctx) ?? true));
}

/**
 * The ValidatingAdmissionPolicies and bindings that enforce the rule catalogue at admission, for every rule whose
 * verdict depends only on the object being admitted: one policy per rule, named `<rule-id>.safe-pods.cdk8s.io` and
 * annotated `safe-pods.cdk8s.io/rules`, matching Pods and every built-in kind with a pod template. Errors are bound
 * with `Deny`, warnings with `Warn`, everything with `[Audit, Warn]` in audit mode. Plain JSON, ready to write as YAML.
 * Throws for a target before Kubernetes 1.30 and for unknown rule ids in the options.
 */
export function admissionPolicies(options: AdmissionPoliciesOptions = {}): AdmissionPolicySet {
  const { ctx, severityOf } = contextOf(options);
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
    const configured = severityOf(rule);
    const severity = check.severity?.(ctx, configured) ?? configured;
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
