import { DEFAULTS } from '../defaults';
import type { PinningAssessment, PinningProblem } from '../image/pinning';
import { PinningProblemKind, assessPinning } from '../image/pinning';
import { IMAGE_PULL_POLICIES, defaultPullPolicy, isImagePullPolicy } from '../image/pull-policy';
import type { ReferenceGrammar } from '../image/reference';
import { ImageReference, ImageReferenceError, hasEdgeWhitespace, referenceGrammarFor } from '../image/reference';
import type { JudgeContext, PodSubject, Rule, RuleFinding } from './types';
import type { ContainerRef } from './normalize';
import { hasVisibleText, suppressionKey } from './suppressions';
import { Severity } from './types';
import { describeContainer } from './normalize';

/**
 * One image string as the kubelet of one grammar reads it, with its pinning assessed on first use. An app of thousands
 * of pods repeats a handful of images: each is parsed and assessed once, not once per pod and rule.
 */
interface ParsedImage {
  /** The parsed reference; `undefined` when the kubelet refuses it. */
  readonly parsed?: ImageReference;
  readonly error?: ImageReferenceError;
  /** `assessPinning` of `parsed`, without and with `requireDigest`. */
  assessed?: PinningAssessment;
  assessedStrict?: PinningAssessment;
  /** Whether the string has leading or trailing whitespace (`hasEdgeWhitespace`). */
  edgeWhitespace?: boolean;
}

/** A container whose image is a non-empty string, with what the judge needs to say about it. */
interface ImageUse {
  readonly ref: ContainerRef;
  readonly image: string;
  readonly info: ParsedImage;
  /** The parsed reference; `undefined` when the kubelet of the target version refuses it. */
  readonly parsed?: ImageReference;
  readonly error?: ImageReferenceError;
}

function imageOf(ref: ContainerRef): string | undefined {
  const image = ref.container.image;
  return image !== undefined && image.length > 0 ? image : undefined;
}

/**
 * The containers whose written image the image rules judge: not those whose image an OpenShift ImageChange trigger
 * fills in (`PodSubject.imageFromTrigger`), since the written one (often `""`) never reaches a Pod.
 */
function judgedContainers(subject: PodSubject): readonly ContainerRef[] {
  const filled = subject.imageFromTrigger;
  return filled === undefined ? subject.containers : subject.containers.filter((ref) => ref.name === undefined || !filled.has(ref.name));
}

const PARSED_LIMIT = 4096;
const parsedImages = new Map<ReferenceGrammar, Map<string, ParsedImage>>();

function parsedImage(image: string, grammar: ReferenceGrammar): ParsedImage {
  let byImage = parsedImages.get(grammar);
  if (byImage === undefined) parsedImages.set(grammar, (byImage = new Map()));
  let info = byImage.get(image);
  if (info === undefined) {
    try {
      info = { parsed: ImageReference.parse(image, { grammar }) };
    } catch (e) {
      if (!ImageReferenceError.isImageReferenceError(e)) throw e;
      info = { error: e };
    }
    if (byImage.size >= PARSED_LIMIT) byImage.clear();
    byImage.set(image, info);
  }
  return info;
}

/** `assessPinning` of a parsed image with the default floating tags, computed once per image and `requireDigest`. */
function assessmentOf(info: ParsedImage, requireDigest: boolean): PinningAssessment | undefined {
  const parsed = info.parsed;
  if (parsed === undefined) return undefined;
  if (requireDigest) return (info.assessedStrict ??= assessPinning(parsed, { requireDigest: true, floatingTags: DEFAULTS.floatingTags }));
  return (info.assessed ??= assessPinning(parsed, { requireDigest: false, floatingTags: DEFAULTS.floatingTags }));
}

/** The last subject asked about, and its images: every image rule asks in turn about the same subject. */
let lastUses: { readonly subject: PodSubject; readonly grammar: ReferenceGrammar; readonly uses: readonly ImageUse[] } | undefined;

/** The images of a subject (every image rule asks). */
function imageUses(subject: PodSubject, ctx: JudgeContext): readonly ImageUse[] {
  const grammar = referenceGrammarFor(ctx.kubernetesVersion);
  if (lastUses !== undefined && lastUses.subject === subject && lastUses.grammar === grammar) return lastUses.uses;
  const uses: ImageUse[] = [];
  const containers = judgedContainers(subject);
  for (let ci = 0; ci < containers.length; ci++) {
    const ref = containers[ci];
    const image = imageOf(ref);
    if (image === undefined) continue;
    const info = parsedImage(image, grammar);
    uses.push(info.parsed !== undefined ? { ref, image, info, parsed: info.parsed } : { ref, image, info, error: info.error });
  }
  lastUses = { subject, grammar, uses };
  return uses;
}

/** Whether the library takes the image for mutable: no tag, `latest` in any case, or a floating tag. */
function isMutable(image: string, ctx: JudgeContext): boolean {
  return assessmentOf(parsedImage(image, referenceGrammarFor(ctx.kubernetesVersion)), DEFAULTS.requireDigest)?.mutable === true;
}

/** Whether `rule` is suppressed (with a visible reason) for `container` or the whole object. */
function suppresses(subject: PodSubject, rule: string, container: string | undefined): boolean {
  const keys = [suppressionKey(rule), ...(container !== undefined ? [suppressionKey(rule, container)] : [])];
  return keys.some((k) => subject.annotations[k] !== undefined && hasVisibleText(subject.annotations[k]));
}

/** Whether the API server refuses the image outright (leading/trailing whitespace on a Pod), so other image rules stay quiet. */
function refusedByApiServer(subject: PodSubject, image: string): boolean {
  return subject.isPod && hasEdgeWhitespace(image);
}

function pinningFindings(subject: PodSubject, ctx: JudgeContext, kind: PinningProblemKind): RuleFinding[] {
  const out: RuleFinding[] = [];
  const uses = imageUses(subject, ctx);
  for (let ui = 0; ui < uses.length; ui++) {
    const use = uses[ui];
    const problems = assessmentOf(use.info, ctx.requireDigest)?.problems;
    if (problems === undefined || problems.length === 0) continue;
    const problem: PinningProblem | undefined = problems.find((p) => p.kind === kind);
    if (problem === undefined) continue;
    out.push({
      message: `${describeContainer(use.ref)}: image ${JSON.stringify(use.image)} ${problem.explanation}; ${problem.fix}`,
      field: `${use.ref.path}.image`,
      container: use.ref.name,
    });
  }
  return out;
}

/** `image-missing`: a container without an image. */
export const IMAGE_MISSING_RULE: Rule = {
  id: 'image-missing',
  severity: Severity.ERROR,
  title: 'Every container must name an image',
  reason:
    'The API server refuses a container whose image is empty or absent (validateContainerCommon: "Required value"). Not reported for a ' +
    'container of an OpenShift DeploymentConfig that an ImageChange trigger names (spec.triggers[].imageChangeParams.containerNames): ' +
    'OpenShift fills in the image of the ImageStreamTag before the first rollout, and no image rule judges the placeholder.',
  fix: 'Set `image` to a pinned reference, e.g. "nginx:1.27.3" or "nginx@sha256:<digest>"',
  check(subject: PodSubject): RuleFinding[] {
    const out: RuleFinding[] = [];
    const containers = judgedContainers(subject);
    for (let ci = 0; ci < containers.length; ci++) {
      const ref = containers[ci];
      if (imageOf(ref) !== undefined || ref.malformed.has('image')) continue;
      const what = ref.container.image === undefined ? 'has no image' : 'has an empty image';
      out.push({
        message: `${describeContainer(ref)}: ${what} (Required value), which the API server refuses; set a pinned image, e.g. "nginx:1.27.3"`,
        field: `${ref.path}.image`,
        container: ref.name,
      });
    }
    return out;
  },
};

/** `image-whitespace`: leading or trailing whitespace in a Pod's image. */
export const IMAGE_WHITESPACE_RULE: Rule = {
  id: 'image-whitespace',
  severity: Severity.ERROR,
  title: 'A Pod image must not have leading or trailing whitespace',
  reason:
    'The API server refuses a Pod whose image has leading or trailing whitespace (validateContainerOnlyForPod); templates are not checked, ' +
    'so the Pods a workload creates are refused later instead.',
  fix: 'Remove the whitespace around the image reference',
  check(subject: PodSubject, ctx: JudgeContext): RuleFinding[] {
    if (!subject.isPod) return [];
    const out: RuleFinding[] = [];
    const uses = imageUses(subject, ctx);
    for (let ui = 0; ui < uses.length; ui++) {
      const { ref, image, info } = uses[ui];
      if (!(info.edgeWhitespace ??= hasEdgeWhitespace(image))) continue;
      out.push({
        message:
          `${describeContainer(ref)}: image ${JSON.stringify(image)} has leading or trailing whitespace, which the API server refuses for Pods; ` +
          `remove it, e.g. ${JSON.stringify(image.trim())}`,
        field: `${ref.path}.image`,
        container: ref.name,
      });
    }
    return out;
  },
};

/** `image-invalid`: the kubelet cannot parse the reference. */
export const IMAGE_INVALID_RULE: Rule = {
  id: 'image-invalid',
  severity: Severity.ERROR,
  title: 'An image must be a valid image reference',
  reason:
    'The API server does not check the reference grammar; the kubelet parses it (reference.ParseNormalizedNamed) and fails the container ' +
    'with InvalidImageName, so the Pod is created but never starts.',
  fix: 'Write the reference as [registry[:port]/]path[:tag][@sha256:<64 hex>], with a lower-case path',
  check(subject: PodSubject, ctx: JudgeContext): RuleFinding[] {
    const out: RuleFinding[] = [];
    const uses = imageUses(subject, ctx);
    for (let ui = 0; ui < uses.length; ui++) {
      const use = uses[ui];
      if (use.error === undefined || refusedByApiServer(subject, use.image)) continue;
      out.push({
        message:
          `${describeContainer(use.ref)}: image ${JSON.stringify(use.image)} ` +
          `is not a valid image reference for Kubernetes ${ctx.kubernetesVersion}: ` +
          `${use.error.detail}; the API server accepts it, but the kubelet fails the container with InvalidImageName`,
        field: `${use.ref.path}.image`,
        container: use.ref.name,
      });
    }
    return out;
  },
};

/** `image-not-pinned`: no tag, or the tag `latest`. */
export const IMAGE_NOT_PINNED_RULE: Rule = {
  id: 'image-not-pinned',
  severity: Severity.ERROR,
  title: 'An image must be pinned by a version tag or a digest',
  reason:
    'Without a tag Kubernetes pulls "latest" (pkg/util/parsers.ParseImageName), and "latest" is moved to every new build: nodes run ' +
    'whichever build they pulled, rollbacks do not roll back, and Kubernetes defaults the pull policy to Always (SetDefaults_Container).',
  fix:
    'Pin a version tag or a digest, e.g. "nginx:1.27.3" or "nginx@sha256:<digest>"; to accept a mutable tag for one container, suppress ' +
    'this rule for it with a reason and use imagePullPolicy Always',
  check(subject: PodSubject, ctx: JudgeContext): RuleFinding[] {
    return pinningFindings(subject, ctx, PinningProblemKind.NOT_PINNED);
  },
};

/** `image-floating-tag`: a tag that is conventionally moved (warning). */
export const IMAGE_FLOATING_TAG_RULE: Rule = {
  id: 'image-floating-tag',
  severity: Severity.WARNING,
  title: 'An image tag should name a version, not a moving target',
  reason:
    'Tags such as "stable", "main" or "edge" (DEFAULTS.floatingTags) are moved to new builds by convention, and so is every tag without a ' +
    'digit: "alpine", "stable-alpine", "lts-slim", "bookworm" name a variant of whatever version is current ("redis:7.2.4-alpine" names ' +
    'one). The same manifest then runs different code over time and on different nodes, and Kubernetes defaults the pull policy to ' +
    'IfNotPresent for them, so each node keeps whichever build it pulled first.',
  fix: 'Pin a version tag or a digest, e.g. "redis:7.2.4-alpine" or "redis@sha256:<digest>"; to accept the tag, suppress this rule for the container with a reason and use imagePullPolicy Always',
  check(subject: PodSubject, ctx: JudgeContext): RuleFinding[] {
    return pinningFindings(subject, ctx, PinningProblemKind.FLOATING_TAG);
  },
};

/** `image-digest-required`: strict mode requires a digest. */
export const IMAGE_DIGEST_REQUIRED_RULE: Rule = {
  id: 'image-digest-required',
  severity: Severity.ERROR,
  title: 'In strict mode an image must carry a digest',
  reason:
    'Any tag can be pushed again; only a digest (go-digest: sha256, sha384 or sha512) names fixed content. Strict mode (requireDigest) ' +
    'asks for one on every image.',
  fix: 'Add the digest, e.g. "nginx:1.27.3@sha256:<digest>" (`docker buildx imagetools inspect` or `crane digest` prints it)',
  check(subject: PodSubject, ctx: JudgeContext): RuleFinding[] {
    if (!ctx.requireDigest) return [];
    return pinningFindings(subject, ctx, PinningProblemKind.DIGEST_REQUIRED);
  },
};

/** `image-pull-policy-missing`: the container leaves `imagePullPolicy` to Kubernetes. */
export const IMAGE_PULL_POLICY_MISSING_RULE: Rule = {
  id: 'image-pull-policy-missing',
  severity: Severity.ERROR,
  title: 'Every container must set imagePullPolicy',
  reason:
    'When it is unset, the API server derives it from the tag (SetDefaults_Container: Always for no tag or "latest", else IfNotPresent), ' +
    'so editing the image silently changes when nodes pull.',
  fix: 'Set imagePullPolicy: IfNotPresent for a pinned image, Always for an accepted mutable tag',
  check(subject: PodSubject, ctx: JudgeContext): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (let ci = 0; ci < subject.containers.length; ci++) {
      const ref = subject.containers[ci];
      const policy = ref.container.imagePullPolicy;
      if ((policy !== undefined && policy !== '') || ref.malformed.has('imagePullPolicy')) continue;
      const image = imageOf(ref);
      const k8sDefault = image === undefined ? undefined : defaultPullPolicy(image, { kubernetesVersion: ctx.kubernetesVersion });
      const mutable = image === undefined ? false : isMutable(image, ctx);
      const suggested = mutable ? DEFAULTS.mutableTagPullPolicy : DEFAULTS.imagePullPolicy;
      const caseNote =
        mutable && k8sDefault === 'IfNotPresent' ? ' (Kubernetes treats only the exact tag "latest" and untagged images as mutable)' : '';
      const defaulted =
        k8sDefault === undefined
          ? 'Kubernetes derives it from the image tag'
          : `Kubernetes ${ctx.kubernetesVersion} defaults it to ${JSON.stringify(k8sDefault)} for image ${JSON.stringify(image)}${caseNote}`;
      out.push({
        message: `${describeContainer(ref)}: imagePullPolicy is not set, so ${defaulted}; set it explicitly, e.g. ${JSON.stringify(suggested)}`,
        field: `${ref.path}.imagePullPolicy`,
        container: ref.name,
      });
    }
    return out;
  },
};

/** `image-mutable-tag-pull-policy`: an accepted mutable tag that is not pulled on every start. */
export const IMAGE_MUTABLE_TAG_PULL_POLICY_RULE: Rule = {
  id: 'image-mutable-tag-pull-policy',
  severity: Severity.ERROR,
  title: 'An accepted mutable tag must be pulled on every start (imagePullPolicy Always)',
  reason:
    'When a mutable tag (no tag, "latest", or a floating tag) is accepted with a suppression, only imagePullPolicy Always makes nodes resolve ' +
    'the tag again on each container start; with IfNotPresent or Never every node keeps running whichever build it pulled first, so the ' +
    "accepted tag means different code on different nodes (the check of Kyverno's imagepullpolicy-always policy).",
  fix: 'Set imagePullPolicy: Always (SafePod does for allowMutableTag), or pin the image; for images loaded into a kind node, suppress this rule with a reason',
  check(subject: PodSubject, ctx: JudgeContext): RuleFinding[] {
    const out: RuleFinding[] = [];
    const uses = imageUses(subject, ctx);
    for (let ui = 0; ui < uses.length; ui++) {
      const use = uses[ui];
      const policy = use.ref.container.imagePullPolicy;
      if (use.parsed === undefined || (policy !== 'IfNotPresent' && policy !== 'Never')) continue;
      const problem = assessmentOf(use.info, DEFAULTS.requireDigest)!.problems[0];
      if (problem === undefined || problem.kind === PinningProblemKind.DIGEST_REQUIRED) continue;
      const rule = problem.kind === PinningProblemKind.NOT_PINNED ? IMAGE_NOT_PINNED_RULE.id : IMAGE_FLOATING_TAG_RULE.id;
      // only an accepted tag: an unaccepted one is already the finding of the pinning rule
      if (!suppresses(subject, rule, use.ref.name)) continue;
      out.push({
        message:
          `${describeContainer(use.ref)}: image ${JSON.stringify(use.image)} ${problem.explanation} and is accepted (${rule} is suppressed), ` +
          `but imagePullPolicy ${JSON.stringify(policy)} keeps whichever build a node pulled first; set imagePullPolicy "Always"`,
        field: `${use.ref.path}.imagePullPolicy`,
        container: use.ref.name,
      });
    }
    return out;
  },
};

/** `image-pull-policy-invalid`: a value the API server refuses. */
export const IMAGE_PULL_POLICY_INVALID_RULE: Rule = {
  id: 'image-pull-policy-invalid',
  severity: Severity.ERROR,
  title: 'imagePullPolicy must be Always, IfNotPresent or Never',
  reason: 'The API server accepts only "Always", "IfNotPresent" and "Never", case-sensitively (validatePullPolicy: "Unsupported value").',
  fix: 'Use one of "Always", "IfNotPresent", "Never"',
  check(subject: PodSubject): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (let ci = 0; ci < subject.containers.length; ci++) {
      const ref = subject.containers[ci];
      const policy: unknown = ref.container.imagePullPolicy;
      if (policy === undefined || policy === '' || isImagePullPolicy(policy)) continue;
      const near = typeof policy === 'string' ? IMAGE_PULL_POLICIES.find((p) => p.toLowerCase() === policy.toLowerCase()) : undefined;
      const allowed = IMAGE_PULL_POLICIES.map((p) => JSON.stringify(p)).join(', ');
      const fix = near !== undefined ? `write it as ${JSON.stringify(near)}` : `use one of ${allowed}`;
      out.push({
        message: `${describeContainer(ref)}: imagePullPolicy ${JSON.stringify(policy)} is not a value the API server accepts; ${fix}`,
        field: `${ref.path}.imagePullPolicy`,
        container: ref.name,
      });
    }
    return out;
  },
};

/** The image rules, in catalogue order. */
export const IMAGE_RULES: readonly Rule[] = Object.freeze([
  IMAGE_MISSING_RULE,
  IMAGE_WHITESPACE_RULE,
  IMAGE_INVALID_RULE,
  IMAGE_NOT_PINNED_RULE,
  IMAGE_FLOATING_TAG_RULE,
  IMAGE_DIGEST_REQUIRED_RULE,
  IMAGE_PULL_POLICY_MISSING_RULE,
  IMAGE_PULL_POLICY_INVALID_RULE,
  IMAGE_MUTABLE_TAG_PULL_POLICY_RULE,
]);
