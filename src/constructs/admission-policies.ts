import { ManifestError } from '../k8s/errors';
import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';
import type * as Policies from '../admission/policies';
import type { AdmissionPoliciesOptions, AdmissionPolicySet } from '../admission/policies';
import type { KubernetesVersion } from '../k8s/version';
import type { Severity } from '../rules/types';
import { SafePodsSettings } from './settings';

const POLICIES_SYMBOL = Symbol.for('cdk8s-safe-pods.SafePodsAdmissionPolicies');

/** The admission module, loaded at first use: importing the library loads none of it (BENCHMARKS.md, require time). */
function policiesModule(): typeof Policies {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../admission/policies') as typeof Policies;
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
  return policiesModule().admissionPolicies(options);
}

/** Properties for `SafePodsAdmissionPolicies`. */
export interface SafePodsAdmissionPoliciesProps {
  /**
   * The Kubernetes version of the cluster the policies are for; 1.30 or newer (ValidatingAdmissionPolicy v1).
   *
   * @default - the `kubernetesVersion` of `SafePodsSettings` in force here, when it is 1.30 or newer; else an error
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * Require every image to be pinned by digest.
   *
   * @default - the `requireDigest` of `SafePodsSettings` in force here
   */
  readonly requireDigest?: boolean;
  /**
   * Bind every policy with `[Audit, Warn]`: nothing is refused; use it first on a live cluster.
   *
   * @default false
   */
  readonly audit?: boolean;
  /**
   * Rule ids that are switched off (no policy is generated for them), over the rule settings of `SafePodsSettings`.
   *
   * @default - the rules `SafePodsSettings` (or the repository's `safe-pods.config.json`) switches off
   */
  readonly disabledRules?: readonly string[];
  /**
   * Severity per rule id (errors are bound with `Deny`, warnings with `Warn`), over the rule settings of
   * `SafePodsSettings`.
   *
   * @default - the severities `SafePodsSettings` (or the repository's `safe-pods.config.json`) sets, else the catalogue's
   */
  readonly severities?: Readonly<Record<string, Severity>>;
}

/** A cluster-scoped object: no `metadata.namespace`, even in a chart with a namespace. */
class ClusterScopedApiObject extends ApiObject {
  public override toJson(): { [key: string]: unknown } {
    const json = super.toJson() as { metadata?: { namespace?: string } };
    if (json.metadata) delete json.metadata.namespace;
    return json;
  }
}

/**
 * The rule catalogue as ValidatingAdmissionPolicies and their bindings (`admissionregistration.k8s.io/v1`), e.g. in a
 * cluster-bootstrap chart: the objects `cdk8s-safe-pods export admission-policies` writes, for the same settings. The
 * target version, strict mode and rule settings come from `SafePodsSettings` in force (and so from the repository's
 * `safe-pods.config.json`) where the props do not give them.
 *
 * @example
 * new SafePodsAdmissionPolicies(chart, 'safe-pods', { kubernetesVersion: KubernetesVersion.V1_31, audit: true });
 *
 * @group Constructs
 */
export class SafePodsAdmissionPolicies extends Construct {
  /** Whether `x` is a `SafePodsAdmissionPolicies` (works across copies of this package). */
  public static isSafePodsAdmissionPolicies(x: unknown): x is SafePodsAdmissionPolicies {
    return x !== null && typeof x === 'object' && POLICIES_SYMBOL in x;
  }

  /** The policies, one per exported rule, in catalogue order. */
  public readonly policies: readonly ApiObject[];
  /** The bindings, one per policy, in the same order. */
  public readonly bindings: readonly ApiObject[];

  public constructor(scope: IConstruct, id: string, props: SafePodsAdmissionPoliciesProps = {}) {
    super(scope, id);
    Object.defineProperty(this, POLICIES_SYMBOL, { value: true });
    const { ADMISSION_POLICY_MIN_VERSION } = policiesModule();
    const settings = SafePodsSettings.of(this);
    const kubernetesVersion = props.kubernetesVersion ?? settings.kubernetesVersion;
    if (props.kubernetesVersion === undefined && !kubernetesVersion.isAtLeast(ADMISSION_POLICY_MIN_VERSION)) {
      throw new ManifestError(
        `SafePodsAdmissionPolicies ${JSON.stringify(this.node.path)}: the Kubernetes version in force is ${kubernetesVersion}, but ` +
          `ValidatingAdmissionPolicy needs ${ADMISSION_POLICY_MIN_VERSION} or newer; set kubernetesVersion to the version of the cluster, e.g. ` +
          `KubernetesVersion.V1_30`,
      );
    }
    const options: AdmissionPoliciesOptions = {
      kubernetesVersion,
      requireDigest: props.requireDigest ?? settings.requireDigest,
      audit: props.audit ?? false,
      ...(settings.ruleSettings !== undefined ? { ruleSettings: settings.ruleSettings } : {}),
      ...(props.disabledRules !== undefined ? { disabledRules: props.disabledRules } : {}),
      ...(props.severities !== undefined ? { severities: props.severities } : {}),
    };
    const policies: ApiObject[] = [];
    const bindings: ApiObject[] = [];
    // each policy followed by its binding, as the CLI writes them
    for (const o of admissionPolicies(options).objects) {
      const obj = new ClusterScopedApiObject(this, `${o.kind}-${o.metadata.name}`, o as unknown as ConstructorParameters<typeof ApiObject>[2]);
      (o.kind === 'ValidatingAdmissionPolicy' ? policies : bindings).push(obj);
    }
    this.policies = policies;
    this.bindings = bindings;
  }
}
