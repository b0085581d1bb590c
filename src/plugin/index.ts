import { DEFAULTS } from '../defaults';
import { KubernetesVersion } from '../k8s/version';
import { readManifestFile } from '../io/files';
import { ManifestSyntaxError } from '../io/manifests';
import { RULES } from '../rules/catalogue';
import { SUPPRESSION_RULE, UNKNOWN_SUPPRESSION_RULE } from '../rules/judge';
import { checkObjects } from '../rules/subjects';
import type { LocatedObject } from '../k8s/shapes';
import type { ObjectFinding } from '../rules/subjects';
import type { Rule, RuleInfo } from '../rules/types';
import { Severity } from '../rules/types';

/**
 * A resource that breaks a rule, as the cdk8s CLI's `ValidationViolatingResource` (cdk8s-cli `lib/plugins/validation`).
 * The CLI adds the construct path by looking `resourceName` up in the app's construct metadata.
 */
export interface PluginViolatingResource {
  /** `metadata.name` of the object (the key of the construct metadata cdk8s records). */
  readonly resourceName: string;
  /** One entry per finding: the field, its line, and the message. */
  readonly locations: readonly string[];
  /** The manifest file the object is in. */
  readonly manifestPath: string;
}

/** A violation of one rule, as the cdk8s CLI's `ValidationViolation`. */
export interface PluginViolation {
  /** The rule id, e.g. `image-unpinned`. */
  readonly ruleName: string;
  /** The severity and title of the rule. */
  readonly recommendation: string;
  /** How to fix it. */
  readonly fix: string;
  /** The objects breaking the rule. */
  readonly violatingResources: readonly PluginViolatingResource[];
}

/**
 * The part of the cdk8s CLI's `ValidationContext` this plugin uses (declared here so the package does not depend on
 * `cdk8s-cli` at run time; a test checks that the real class fits).
 */
export interface PluginValidationContext {
  /** Paths of the synthesized manifests. */
  readonly manifests: readonly string[];
  /** Construct metadata: `metadata.name` of each resource → its construct path. */
  readonly metadata: {
    readonly [resourceName: string]: {
      /** The construct path of the resource. */
      readonly path: string;
    };
  };
  /** The report the plugin fills. */
  readonly report: {
    /** Records one violation. */
    addViolation(violation: PluginViolation): void;
    /** Completes the report with an overall status and optional metadata. */
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
}

/** Properties of `SafePodsValidation`, as given under `properties:` in `cdk8s.yaml`. */
export interface SafePodsValidationProps {
  /**
   * The Kubernetes version the manifests are written for, e.g. `"1.30"`.
   *
   * @default "1.27"
   */
  readonly kubernetesVersion?: string;
  /**
   * Require every image to be pinned by digest.
   *
   * @default false
   */
  readonly requireDigest?: boolean;
  /**
   * RuntimeClasses that exist in the cluster but are not synthesized by the app. A pod that references a RuntimeClass
   * neither synthesized nor listed here is an error.
   *
   * @default - only the RuntimeClasses the app synthesizes
   */
  readonly runtimeClasses?: readonly string[];
}

const PROPS: readonly string[] = ['kubernetesVersion', 'requireDigest', 'runtimeClasses'];

function invalid(message: string): Error {
  return new Error(`cdk8s-safe-pods validation plugin: ${message}`);
}

/**
 * The cdk8s CLI validation plugin: judges every pod spec `cdk8s synth` writes with the rule catalogue and fails the
 * synth (exit 2) on errors; warnings are reported without failing. Findings carry the construct path (from the
 * construct metadata cdk8s records for validations), the manifest, the field and its line.
 *
 * In `cdk8s.yaml`: `validations: [{ package: ./node_modules/cdk8s-safe-pods/lib/plugin, version: <version>,
 * class: SafePodsValidation, properties: { kubernetesVersion: "1.30" } }]`.
 */
export class SafePodsValidation {
  private readonly kubernetesVersion: KubernetesVersion;
  private readonly requireDigest: boolean;
  private readonly runtimeClasses: readonly string[];

  /** Reads the `properties:` of the plugin; throws on an unknown or mistyped property. */
  constructor(
    props: SafePodsValidationProps = {},
    private readonly rules: readonly Rule[] = RULES,
  ) {
    const given = (props ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (!PROPS.includes(key)) throw invalid(`unknown property ${JSON.stringify(key)}; use ${PROPS.map((p) => JSON.stringify(p)).join(', ')}`);
    }
    const { kubernetesVersion, requireDigest, runtimeClasses } = given;
    if (typeof kubernetesVersion === 'number') {
      // YAML reads `1.30` as the number 1.3
      throw invalid(`kubernetesVersion ${kubernetesVersion} is a YAML number; quote it, e.g. "1.30"`);
    }
    if (kubernetesVersion !== undefined && typeof kubernetesVersion !== 'string') {
      throw invalid(`kubernetesVersion ${JSON.stringify(kubernetesVersion)} is not a version like "1.27"`);
    }
    try {
      this.kubernetesVersion = kubernetesVersion === undefined ? DEFAULTS.kubernetesVersion : KubernetesVersion.of(kubernetesVersion);
    } catch (e) {
      throw invalid((e as Error).message);
    }
    if (requireDigest !== undefined && typeof requireDigest !== 'boolean')
      throw invalid(`requireDigest ${JSON.stringify(requireDigest)} is not true or false`);
    this.requireDigest = requireDigest ?? DEFAULTS.requireDigest;
    if (runtimeClasses !== undefined && !(Array.isArray(runtimeClasses) && runtimeClasses.every((n) => typeof n === 'string'))) {
      throw invalid(`runtimeClasses ${JSON.stringify(runtimeClasses)} is not a list of names`);
    }
    this.runtimeClasses = runtimeClasses ?? [];
  }

  /** Checks the synthesized manifests and submits the report (failure when any finding is an error). */
  public async validate(context: PluginValidationContext): Promise<void> {
    const objects: LocatedObject[] = [];
    for (const manifest of context.manifests) {
      const read = await readManifestFile(manifest);
      if (read.errors.length > 0) throw new ManifestSyntaxError(read.errors);
      for (const o of read.objects) objects.push(o);
    }
    const findings = checkObjects(
      objects,
      { kubernetesVersion: this.kubernetesVersion, requireDigest: this.requireDigest, runtimeClasses: this.runtimeClasses },
      this.rules,
    );
    for (const violation of toViolations(findings, [...this.rules, SUPPRESSION_RULE, UNKNOWN_SUPPRESSION_RULE]))
      context.report.addViolation(violation);
    const errors = findings.filter((f) => f.severity === Severity.ERROR).length;
    context.report.submit(errors > 0 ? 'failure' : 'success', {
      Errors: String(errors),
      Warnings: String(findings.length - errors),
      'Kubernetes version': this.kubernetesVersion.toString(),
    });
  }
}

/** Groups findings into one violation per rule (and severity), one resource entry per object. */
function toViolations(findings: readonly ObjectFinding[], catalogue: readonly RuleInfo[]): PluginViolation[] {
  const info = new Map(catalogue.map((r) => [r.id, r]));
  const byRule = new Map<
    string,
    { rule: string; severity: Severity; resources: Map<string, { resourceName: string; manifestPath: string; locations: string[] }> }
  >();
  for (const f of findings) {
    const key = `${f.rule}\0${f.severity}`;
    let group = byRule.get(key);
    if (!group) byRule.set(key, (group = { rule: f.rule, severity: f.severity, resources: new Map() }));
    const manifestPath = f.source?.file ?? '';
    const resKey = `${manifestPath}\0${f.source?.document ?? ''}\0${f.source?.item ?? ''}\0${f.kind}\0${f.name}`;
    let res = group.resources.get(resKey);
    if (!res) group.resources.set(resKey, (res = { resourceName: f.name, manifestPath, locations: [] }));
    const line = f.source?.line !== undefined ? ` (line ${f.source.line})` : '';
    res.locations.push(`${f.field}${line}: ${f.kind} ${JSON.stringify(f.name)}: ${f.message}`);
  }
  return [...byRule.values()].map(({ rule, severity, resources }) => ({
    ruleName: rule,
    recommendation: `${severity}: ${info.get(rule)?.title ?? rule}`,
    fix: info.get(rule)?.fix ?? 'See the rule catalogue in the cdk8s-safe-pods README',
    violatingResources: [...resources.values()],
  }));
}
