import type { KubernetesVersion } from '../k8s/version';
import type { RuleInfo, Severity } from '../rules/types';

/** What a check needs to know to write its CEL: the target and the switched-on rules. */
export interface CheckContext {
  /** The Kubernetes version of the cluster the policies are for (1.30 or newer). */
  readonly kubernetesVersion: KubernetesVersion;
  /** Whether every image must carry a digest (strict mode). */
  readonly requireDigest: boolean;
  /**
   * Ids of the rules a suppression may name: every rule the judge runs (`RULES`), also those switched off by the rule
   * settings, as in the judge.
   */
  readonly knownRuleIds: readonly string[];
}

/** A policy variable: its name, its CEL expression for a context, and the variables it reads. */
export interface AdmissionVariable {
  /** CEL identifier (`variables.<name>`). */
  readonly name: string;
  /** Variables this one reads (declared before it). */
  readonly uses: readonly string[];
  /** The expression for a context. */
  readonly expression: (ctx: CheckContext) => string;
}

/**
 * The admission form of one catalogue rule: the CEL list of its violations, one description per offending container
 * (or one for the object), after suppressions. The policy denies or warns when the list is not empty.
 */
export interface AdmissionCheck {
  /** The catalogue entry of the rule (its id and default severity come from here, never from text). */
  readonly rule: RuleInfo;
  /** Variables the expressions read, by name (see `ADMISSION_VARIABLES`); they are declared with their own uses, in order. */
  readonly uses: readonly string[];
  /**
   * Whether the rule runs for this context (e.g. `image-digest-required` only in strict mode).
   *
   * @default - always
   */
  readonly appliesTo?: (ctx: CheckContext) => boolean;
  /**
   * The severity the rule itself gives its findings on this target, where it departs from the catalogue's (an httpGet
   * hook's `host` is an error from 1.34); the rule settings win over it, as in the judge's `severityOf`.
   *
   * @default - the catalogue's
   */
  readonly reportedSeverity?: (ctx: CheckContext) => Severity | undefined;
  /** A CEL expression: the list of violation descriptions (strings), each naming the container. */
  readonly violations: (ctx: CheckContext) => string;
}

/** `'[<rule-id>] '`, the start of every message a policy gives. */
export function messagePrefix(rule: RuleInfo): string {
  return `[${rule.id}] `;
}
