import type { IConstruct } from 'constructs';
import type * as Config from '../config/config';
import type { SafePodsConfig } from '../config/config';
import type * as ConfigLoad from '../config/load';

type ConfigLoader = typeof ConfigLoad;
import { DEFAULTS, WarningMode } from '../defaults';
import { ManifestError } from '../k8s/errors';
import type { KubernetesVersion } from '../k8s/version';
import { RULE_CATALOGUE } from '../rules/catalogue';
import type { RuleSetting } from '../rules/types';

export { WarningMode } from '../defaults';

const SETTINGS_SYMBOL = Symbol.for('cdk8s-safe-pods.SafePodsSettings');
const RESOLVED_SYMBOL = Symbol.for('cdk8s-safe-pods.SafePodsSettings.resolved');

/** Properties for `SafePodsSettings.set`. Each one set here wins over the repository's `safe-pods.config.json`. */
export interface SafePodsSettingsProps {
  /**
   * The Kubernetes version the manifests are written for. Rules whose upstream behaviour changed between versions
   * (the native `sleep` hook, env var names, downward API fields, sidecar init containers) follow it.
   *
   * @default - the configuration file's `kubernetesVersion`, else KubernetesVersion.V1_27
   */
  readonly kubernetesVersion?: KubernetesVersion;

  /**
   * Require every image to be pinned by digest (strict mode).
   *
   * @default - the configuration file's `requireDigest`, else false
   */
  readonly requireDigest?: boolean;

  /**
   * What to do with warnings.
   *
   * @default - the configuration file's `warnings`, else WarningMode.PRINT
   */
  readonly warnings?: WarningMode;

  /**
   * Severity overrides by rule id (`off` switches a rule off); merged over the configuration file's `rules`.
   *
   * @default - the configuration file's `rules`, else every rule at its catalogue severity
   */
  readonly rules?: Readonly<Record<string, RuleSetting>>;

  /**
   * RuntimeClasses the cluster provides (installed by the platform, not defined in the app), added to those the
   * configuration file names.
   *
   * @default - the configuration file's `runtimeClasses`, else none
   */
  readonly runtimeClasses?: readonly string[];

  /**
   * The repository configuration file to read: a path (relative to the working directory), or `false` to read none.
   *
   * @default - the nearest `safe-pods.config.json` from the working directory up to the repository root
   */
  readonly configFile?: string | false;
}

/** Settings in force for one construct, with every default applied. */
export interface ResolvedSafePodsSettings {
  /** The Kubernetes version the manifests are written for. */
  readonly kubernetesVersion: KubernetesVersion;
  /** Whether every image must carry a digest. */
  readonly requireDigest: boolean;
  /** What to do with warnings. */
  readonly warnings: WarningMode;
  /**
   * Severity overrides by rule id (`off` switches a rule off).
   *
   * @default - every rule at its catalogue severity
   */
  readonly ruleSettings?: ReadonlyMap<string, RuleSetting>;
  /** RuntimeClasses the cluster provides. */
  readonly runtimeClasses: readonly string[];
  /**
   * The configuration file the settings were read from.
   *
   * @default - none was read
   */
  readonly configFile?: string;
}

/**
 * Library settings for an app or a chart (or any scope): set once, read by every safe construct, RuntimeClass and guard
 * below that scope. The nearest scope wins; a setting a scope leaves out comes from the repository's
 * `safe-pods.config.json` (the one the CLI and the validation plugin read too), then from `DEFAULTS`.
 *
 * @example
 * SafePodsSettings.set(app, { kubernetesVersion: KubernetesVersion.V1_30 });
 *
 * @group Constructs
 */
export class SafePodsSettings {
  /**
   * Sets the settings of `scope`. Throws when the scope already has settings (set them once, in one place).
   */
  public static set(scope: IConstruct, props: SafePodsSettingsProps): void {
    if (Object.prototype.hasOwnProperty.call(scope, SETTINGS_SYMBOL)) {
      throw new ManifestError(
        `SafePodsSettings of ${JSON.stringify(scope.node.path || '<app>')} are already set; set them once per app or chart`,
        undefined,
        {
          path: scope.node.path,
        },
      );
    }
    Object.defineProperty(scope, SETTINGS_SYMBOL, { value: Object.freeze({ ...props }), enumerable: false });
    Object.defineProperty(scope, RESOLVED_SYMBOL, { value: resolve(props), enumerable: false });
  }

  /** The settings in force at `scope`: the nearest scope's settings, then the configuration file, then `DEFAULTS`. */
  public static of(scope: IConstruct): ResolvedSafePodsSettings {
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      const resolved = (c as unknown as { [RESOLVED_SYMBOL]?: ResolvedSafePodsSettings })[RESOLVED_SYMBOL];
      if (resolved) return resolved;
    }
    return defaultSettings();
  }

  private constructor() {}
}

const configs = new Map<string, SafePodsConfig>();

/** The configuration file in force for `configFile` (cached per working directory and path: read once per process). */
function configFor(configFile: string | false | undefined): SafePodsConfig {
  if (configFile === false) return { rules: {} };
  const key = `${process.cwd()}\0${configFile ?? ''}`;
  let config = configs.get(key);
  if (!config) {
    // loaded on first use, so that importing the library reads no file and loads no file-system module
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadConfig } = require('../config/load') as ConfigLoader;
    config = loadConfig({
      cwd: process.cwd(),
      ...(configFile !== undefined ? { path: configFile } : {}),
      knownRuleIds: RULE_CATALOGUE.map((r) => r.id),
    });
    configs.set(key, config);
  }
  return config;
}

const WARNING_MODES: Readonly<Record<string, WarningMode>> = { print: WarningMode.PRINT, fail: WarningMode.FAIL, ignore: WarningMode.IGNORE };

function resolve(props: SafePodsSettingsProps): ResolvedSafePodsSettings {
  const config = configFor(props.configFile);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use: importing the library loads no config code
  const { ruleSettingsOf } = require('../config/config') as typeof Config;
  const ruleSettings = new Map<string, RuleSetting>(ruleSettingsOf(config));
  for (const [id, setting] of Object.entries(props.rules ?? {})) ruleSettings.set(id, setting);
  return Object.freeze({
    kubernetesVersion: props.kubernetesVersion ?? config.kubernetesVersion ?? DEFAULTS.kubernetesVersion,
    requireDigest: props.requireDigest ?? config.requireDigest ?? DEFAULTS.requireDigest,
    warnings: props.warnings ?? (config.warnings !== undefined ? WARNING_MODES[config.warnings] : DEFAULTS.warnings),
    ...(ruleSettings.size > 0 ? { ruleSettings } : {}),
    runtimeClasses: [...(config.runtimeClasses ?? []), ...(props.runtimeClasses ?? [])],
    ...(config.file !== undefined ? { configFile: config.file } : {}),
  });
}

let defaults: { readonly cwd: string; readonly settings: ResolvedSafePodsSettings } | undefined;

function defaultSettings(): ResolvedSafePodsSettings {
  if (!defaults || defaults.cwd !== process.cwd()) defaults = { cwd: process.cwd(), settings: resolve({}) };
  return defaults.settings;
}
