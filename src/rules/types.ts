import type { RuntimeClassFacts, ServiceFacts } from '../k8s/shapes';
import type { KubernetesVersion } from '../k8s/version';
import type { PodSubject } from './normalize';

export type { PodSubject } from './normalize';

import type { Severity } from '../defaults';

export { Severity } from '../defaults';

/** Where the judged pod spec comes from: it decides the severity of the rules that are stricter for constructs. */
export enum Origin {
  /** A manifest read from a file, a raw `ApiObject`, or a workload judged by the chart guard. */
  MANIFEST = 'manifest',
  /** A pod built by a safe construct (`SafePod`), whose author can always do better: see `Rule.constructSeverity`. */
  CONSTRUCT = 'construct',
}

/** What a repository or app says about one rule: its severity, or `off`. */
export type RuleSetting = Severity | 'off';

/** Everything the judge knows beyond the object itself. */
export interface JudgeContext {
  /** The Kubernetes version the manifests are written for. */
  readonly kubernetesVersion: KubernetesVersion;
  /** Require every image to be pinned by digest (strict mode). */
  readonly requireDigest: boolean;
  /**
   * RuntimeClasses known to exist. `undefined` means unknown: references are then not checked.
   *
   * @default - references are not checked
   */
  readonly runtimeClasses?: ReadonlyMap<string, RuntimeClassFacts>;
  /**
   * Services known to exist (any namespace). `undefined` means unknown: service-link collisions are then
   * not checked.
   *
   * @default - collisions are not checked
   */
  readonly services?: readonly ServiceFacts[];
  /**
   * Where the pod spec comes from.
   *
   * @default Origin.MANIFEST
   */
  readonly origin?: Origin;
  /**
   * Severity overrides by rule id (`off` switches a rule off), e.g. from the repository's config file.
   *
   * @default - every rule at its catalogue severity
   */
  readonly ruleSettings?: ReadonlyMap<string, RuleSetting>;
}

/** What a rule reports, before the judge adds the rule's id and severity. */
export interface RuleFinding {
  /** One sentence, no trailing period: the container, the offending value (JSON-quoted), the rule, the fix. */
  readonly message: string;
  /** The field, as a path from the object's root, e.g. `spec.containers[0].image`. */
  readonly field: string;
  /**
   * The container concerned.
   *
   * @default - the finding concerns the pod as a whole
   */
  readonly container?: string;
  /**
   * Overrides the rule's severity for this finding (a rule whose severity depends on the target version).
   *
   * @default - the rule's severity
   */
  readonly severity?: Severity;
}

/** A finding as reported by every entry point. */
export interface Finding extends RuleFinding {
  /** The id of the rule, e.g. `image-not-pinned`. */
  readonly rule: string;
  /** The severity. */
  readonly severity: Severity;
}

/** The catalogue entry of a rule, without its check. */
export interface RuleInfo {
  /** Stable id (kebab-case), used in suppressions, settings and reports. */
  readonly id: string;
  /** Default severity. */
  readonly severity: Severity;
  /**
   * The severity for pods built by a safe construct (`SafePod`), when it is stricter than `severity`: a construct's
   * author can always write the safe form, a manifest's reader may not be able to change it.
   *
   * @default - the same as `severity`
   */
  readonly constructSeverity?: Severity;
  /** One-line title. */
  readonly title: string;
  /** The upstream behaviour that makes this a problem, with its source. */
  readonly reason: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A rule: catalogue entry plus its check over one pod subject. */
export interface Rule extends RuleInfo {
  /** Returns the findings of this rule for one subject (empty when it passes). Never throws. */
  check(subject: PodSubject, ctx: JudgeContext): RuleFinding[];
}
