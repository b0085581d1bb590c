import { DEFAULTS } from '../defaults';
import { IMAGE_PULL_POLICIES, ImagePullPolicy } from '../k8s/shapes';
import type { KubernetesVersion } from '../k8s/version';
import type { PinningOptions } from './pinning';
import { assessPinning } from './pinning';
import type { ImageReference, ReferenceGrammar } from './reference';
import { kubernetesImageTag, referenceGrammarFor } from './reference';

export { IMAGE_PULL_POLICIES, ImagePullPolicy } from '../k8s/shapes';

/** Whether `x` is a value the API server accepts for `imagePullPolicy` (case-sensitive). */
export function isImagePullPolicy(x: unknown): x is ImagePullPolicy {
  return typeof x === 'string' && (IMAGE_PULL_POLICIES as readonly string[]).includes(x);
}

/** Options for `defaultPullPolicy`. */
export interface DefaultPullPolicyOptions {
  /**
   * The Kubernetes version whose API server defaults the policy (its reference parser extracts the tag).
   *
   * @default - `DEFAULTS.kubernetesVersion` (1.27, the API of cdk8s-plus-27)
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * The reference grammar to extract the tag with. Wins over `kubernetesVersion`.
   *
   * @default - the grammar of `kubernetesVersion`
   */
  readonly grammar?: ReferenceGrammar;
}

/**
 * The `imagePullPolicy` Kubernetes' `SetDefaults_Container` gives a container that sets none: `Always` when the
 * reference has neither tag nor digest or its tag is exactly `latest` (also with a digest), otherwise `IfNotPresent`,
 * including for references that do not parse (the parse error is ignored and the tag is `""`).
 */
export function defaultPullPolicy(image: string, options: DefaultPullPolicyOptions = {}): ImagePullPolicy {
  const grammar = options.grammar ?? referenceGrammarFor(options.kubernetesVersion ?? DEFAULTS.kubernetesVersion);
  return kubernetesImageTag(image, grammar) === 'latest' ? ImagePullPolicy.ALWAYS : ImagePullPolicy.IF_NOT_PRESENT;
}

/**
 * The policy this library writes when the author sets none: `DEFAULTS.imagePullPolicy` (`IfNotPresent`) for a
 * pinned image, and `DEFAULTS.mutableTagPullPolicy` (`Always`) for an image whose mutable tag was explicitly allowed,
 * so every start resolves the tag again instead of running whatever build a node cached.
 */
export function recommendedPullPolicy(ref: ImageReference, options: PinningOptions = {}): ImagePullPolicy {
  const policy = assessPinning(ref, options).mutable ? DEFAULTS.mutableTagPullPolicy : DEFAULTS.imagePullPolicy;
  return policy;
}
