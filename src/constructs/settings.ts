import type { IConstruct } from 'constructs';
import type { WarningMode } from '../defaults';
import { DEFAULTS } from '../defaults';

export { WarningMode } from '../defaults';
import type { KubernetesVersion } from '../k8s/version';
import type { RuleSetting } from '../rules/types';

const SETTINGS_SYMBOL = Symbol.for('cdk8s-safe-pods.SafePodsSettings');
const RESOLVED_SYMBOL = Symbol.for('cdk8s-safe-pods.SafePodsSettings.resolved');

/** Properties for `SafePodsSettings.set`. */
export interface SafePodsSettingsProps {
  /**
   * The Kubernetes version the manifests are written for. Rules whose upstream behaviour changed between versions
   * (the native `sleep` hook, env var names, downward API fields, sidecar init containers) follow it.
   *
   * @default KubernetesVersion.V1_27
   */
  readonly kubernetesVersion?: KubernetesVersion;

  /**
   * Require every image to be pinned by digest (strict mode).
   *
   * @default false
   */
  readonly requireDigest?: boolean;

  /**
   * What to do with warnings.
   *
   * @default WarningMode.PRINT
   */
  readonly warnings?: WarningMode;
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
}

/**
 * Library settings for an app or a chart (or any scope): set once, read by every SafePod, RuntimeClass and guard
 * below that scope. The nearest scope wins.
 *
 * @example
 * SafePodsSettings.set(app, { kubernetesVersion: KubernetesVersion.V1_30 });
 */
export class SafePodsSettings {
  /**
   * Sets the settings of `scope`. Throws when the scope already has settings (set them once, in one place).
   */
  public static set(scope: IConstruct, props: SafePodsSettingsProps): void {
    if (Object.prototype.hasOwnProperty.call(scope, SETTINGS_SYMBOL)) {
      throw new Error(`SafePodsSettings of ${JSON.stringify(scope.node.path || '<app>')} are already set; set them once per app or chart`);
    }
    Object.defineProperty(scope, SETTINGS_SYMBOL, { value: Object.freeze({ ...props }), enumerable: false });
    Object.defineProperty(scope, RESOLVED_SYMBOL, { value: resolve(props), enumerable: false });
  }

  /** The settings in force at `scope`: the nearest scope's settings, then `DEFAULTS`. */
  public static of(scope: IConstruct): ResolvedSafePodsSettings {
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      const resolved = (c as unknown as { [RESOLVED_SYMBOL]?: ResolvedSafePodsSettings })[RESOLVED_SYMBOL];
      if (resolved) return resolved;
    }
    return DEFAULT_SETTINGS;
  }

  private constructor() {}
}

function resolve(props: SafePodsSettingsProps): ResolvedSafePodsSettings {
  return Object.freeze({
    kubernetesVersion: props.kubernetesVersion ?? DEFAULTS.kubernetesVersion,
    requireDigest: props.requireDigest ?? DEFAULTS.requireDigest,
    warnings: props.warnings ?? DEFAULTS.warnings,
  });
}

const DEFAULT_SETTINGS = resolve({});
