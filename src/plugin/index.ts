import type { SafePodsConfig } from '../config/config';
import { ruleSettingsOf } from '../config/config';
import { loadConfig } from '../config/load';
import { DEFAULTS } from '../defaults';
import { ManifestError } from '../k8s/errors';
import { KubernetesVersion } from '../k8s/version';
import { readManifestFile } from '../io/files';
import { formatInputError } from '../io/manifests';
import type { InputError } from '../io/manifests';
import { RULE_CATALOGUE, RULES } from '../rules/catalogue';
import { checkObjects } from '../rules/check';
import { formatFinding } from '../rules/format';
import { SUPPRESSION_RULES } from '../rules/suppressions';
import type { LocatedObject } from '../k8s/shapes';
import type { ObjectFinding } from '../rules/check';
import type { Rule, RuleInfo, RuleSetting } from '../rules/types';
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
  /** The rule id, e.g. `image-not-pinned`. */
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
  /**
   * The repository configuration file: a path (relative to the directory `cdk8s synth` runs in), or `false` to read
   * none. The properties above win over it, one by one.
   *
   * @default - the nearest `safe-pods.config.json` from the working directory up to the repository root
   */
  readonly configFile?: string | false;
}

const PROPS: readonly string[] = ['kubernetesVersion', 'requireDigest', 'runtimeClasses', 'configFile'];

function invalid(message: string): ManifestError {
  return new ManifestError(`cdk8s-safe-pods validation plugin: ${message}`);
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
  private readonly ruleSettings: ReadonlyMap<string, RuleSetting>;
  private readonly failOn: Severity;

  /** Reads the `properties:` of the plugin; throws on an unknown or mistyped property. */
  constructor(
    props: SafePodsValidationProps = {},
    private readonly rules: readonly Rule[] = RULES,
  ) {
    const given = (props ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (!PROPS.includes(key)) throw invalid(`unknown property ${JSON.stringify(key)}; use ${PROPS.map((p) => JSON.stringify(p)).join(', ')}`);
    }
    const { kubernetesVersion, requireDigest, runtimeClasses, configFile } = given;
    if (configFile !== undefined && configFile !== false && typeof configFile !== 'string') {
      throw invalid(`configFile ${JSON.stringify(configFile)} is not a path or false`);
    }
    const config: SafePodsConfig =
      configFile === false
        ? { rules: {} }
        : loadConfig({
            cwd: process.cwd(),
            ...(configFile !== undefined ? { path: configFile } : {}),
            knownRuleIds: RULE_CATALOGUE.map((r) => r.id),
          });
    this.ruleSettings = ruleSettingsOf(config);
    this.failOn = config.failOn === 'warning' ? Severity.WARNING : Severity.ERROR;
    if (typeof kubernetesVersion === 'number') {
      // YAML reads `1.30` as the number 1.3
      throw invalid(`kubernetesVersion ${kubernetesVersion} is a YAML number; quote it, e.g. "1.30"`);
    }
    if (kubernetesVersion !== undefined && typeof kubernetesVersion !== 'string') {
      throw invalid(`kubernetesVersion ${JSON.stringify(kubernetesVersion)} is not a version like "1.27"`);
    }
    try {
      this.kubernetesVersion =
        kubernetesVersion === undefined ? (config.kubernetesVersion ?? DEFAULTS.kubernetesVersion) : KubernetesVersion.of(kubernetesVersion);
    } catch (e) {
      throw invalid((e as Error).message);
    }
    if (requireDigest !== undefined && typeof requireDigest !== 'boolean')
      throw invalid(`requireDigest ${JSON.stringify(requireDigest)} is not true or false`);
    this.requireDigest = requireDigest ?? config.requireDigest ?? DEFAULTS.requireDigest;
    if (runtimeClasses !== undefined && !(Array.isArray(runtimeClasses) && runtimeClasses.every((n) => typeof n === 'string'))) {
      throw invalid(`runtimeClasses ${JSON.stringify(runtimeClasses)} is not a list of names`);
    }
    this.runtimeClasses = runtimeClasses ?? config.runtimeClasses ?? [];
  }

  /** Checks the synthesized manifests and submits the report (failure when any finding is an error). */
  public async validate(context: PluginValidationContext): Promise<void> {
    const objects: LocatedObject[] = [];
    const inputErrors: InputError[] = [];
    for (const manifest of context.manifests) {
      const read = await readManifestFile(manifest);
      inputErrors.push(...read.errors);
      for (const o of read.objects) objects.push(o);
    }
    // a manifest that cannot be read is a violation of its own, reported with the others (never a stack trace)
    if (inputErrors.length > 0) context.report.addViolation(inputViolation(inputErrors));
    const { findings } = checkObjects(
      objects,
      {
        kubernetesVersion: this.kubernetesVersion,
        requireDigest: this.requireDigest,
        runtimeClasses: this.runtimeClasses,
        ...(this.ruleSettings.size > 0 ? { ruleSettings: this.ruleSettings } : {}),
      },
      this.rules,
    );
    for (const violation of toViolations(findings, [...this.rules, ...SUPPRESSION_RULES])) context.report.addViolation(violation);
    const errors = findings.filter((f) => f.severity === Severity.ERROR).length + inputErrors.length;
    const failing = this.failOn === Severity.WARNING ? findings.length : errors;
    context.report.submit(failing > 0 ? 'failure' : 'success', {
      Errors: String(errors),
      Warnings: String(findings.length - errors),
      'Kubernetes version': this.kubernetesVersion.toString(),
    });
  }
}

/** The violation that lists the manifests that cannot be read (file, line, column, message). */
function inputViolation(errors: readonly InputError[]): PluginViolation {
  const byFile = new Map<string, string[]>();
  for (const e of errors) byFile.set(e.file, [...(byFile.get(e.file) ?? []), formatInputError(e)]);
  return {
    ruleName: 'unreadable-manifest',
    recommendation: 'error: a synthesized manifest cannot be read',
    fix: 'Fix the manifest the message names (its YAML, its encoding, or its size)',
    violatingResources: [...byFile].map(([manifestPath, locations]) => ({ resourceName: '', manifestPath, locations })),
  };
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
    res.locations.push(`${f.field}${line}: ${formatFinding(f)}`);
  }
  return [...byRule.values()].map(({ rule, severity, resources }) => ({
    ruleName: rule,
    recommendation: `${severity}: ${info.get(rule)?.title ?? rule}`,
    fix: info.get(rule)?.fix ?? 'See the rule catalogue in the cdk8s-safe-pods README',
    violatingResources: [...resources.values()],
  }));
}
