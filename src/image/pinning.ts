import { DEFAULTS } from '../defaults';
import type { ImageReference } from './reference';

/** How an image reference fixes the bytes that run. */
export enum PinnedBy {
  /** A digest: the content is fixed. */
  DIGEST = 'digest',
  /** A tag that is not conventionally moved (e.g. `1.27.3`): fixed by convention only. */
  TAG = 'tag',
  /** No tag (Kubernetes pulls `latest`), `latest`, or a conventionally floating tag: the content changes over time. */
  NOTHING = 'nothing',
}

/** What is wrong with how an image is pinned. */
export enum PinningProblemKind {
  /** No tag and no digest, or the tag `latest`: each pull may run a different build. */
  NOT_PINNED = 'not-pinned',
  /** A tag that is conventionally moved to new builds (`stable`, `main`, ...). */
  FLOATING_TAG = 'floating-tag',
  /** Strict mode: the reference has no digest. */
  DIGEST_REQUIRED = 'digest-required',
}

/** Options for `assessPinning`. */
export interface PinningOptions {
  /**
   * Require a digest on every image (strict mode).
   *
   * @default false
   */
  readonly requireDigest?: boolean;
  /**
   * Tags that are conventionally moved to new builds; compared case-insensitively.
   *
   * @default - `DEFAULTS.floatingTags`
   */
  readonly floatingTags?: readonly string[];
}

/** One pinning problem, as clauses that callers put after the image: `image "x" <explanation>; <fix>`. */
export interface PinningProblem {
  /** The kind of problem. */
  readonly kind: PinningProblemKind;
  /** What is wrong, e.g. `uses the mutable tag "latest"`. */
  readonly explanation: string;
  /** How to fix it, e.g. `pin a version tag or a digest, e.g. "nginx:<version>" or "nginx@sha256:<digest>"`. */
  readonly fix: string;
}

/** The result of `assessPinning`. */
export interface PinningAssessment {
  /** How the reference is pinned. */
  readonly pinnedBy: PinnedBy;
  /** Whether the tag is mutable (`PinnedBy.NOTHING`): Kubernetes must then pull on every start to stay current. */
  readonly mutable: boolean;
  /** The problems, in the order: not pinned or floating tag, then digest required. Empty when the image is fine. */
  readonly problems: readonly PinningProblem[];
}

const DEFAULT_FLOATING = new Set(DEFAULTS.floatingTags.map((t) => t.toLowerCase()));
const floatingSets = new WeakMap<readonly string[], ReadonlySet<string>>();

function floatingSet(tags: readonly string[] | undefined): ReadonlySet<string> {
  if (tags === undefined || tags === DEFAULTS.floatingTags) return DEFAULT_FLOATING;
  let set = floatingSets.get(tags);
  if (set === undefined) {
    set = new Set(tags.map((t) => t.toLowerCase()));
    floatingSets.set(tags, set);
  }
  return set;
}

/**
 * Whether a tag floats: one of the conventionally moved tags (`floatingTags`, any case), or a tag without a single
 * digit, which names a variant of whatever version is current (`alpine`, `stable-alpine`, `lts-slim`, `bookworm`,
 * `nonroot`) and moves with it. `latest` is not asked here: it is never pinned.
 */
export function isFloatingTag(tag: string, floatingTags?: readonly string[]): boolean {
  return floatingSet(floatingTags).has(tag.toLowerCase()) || !/[0-9]/.test(tag);
}

/**
 * Classifies how `ref` is pinned: untagged references and the tag `latest` (any case) are not pinned; a
 * conventionally floating tag is a warning; a digest pins whatever the tag says; with `requireDigest` a digest is
 * required.
 */
export function assessPinning(ref: ImageReference, options: PinningOptions = {}): PinningAssessment {
  const requireDigest = options.requireDigest ?? DEFAULTS.requireDigest;
  const name = ref.familiarName;
  const pinFix = `pin a version tag or a digest, e.g. ${JSON.stringify(`${name}:<version>`)} or ${JSON.stringify(`${name}@sha256:<digest>`)}`;
  const problems: PinningProblem[] = [];
  let pinnedBy = PinnedBy.TAG;
  if (ref.digest !== undefined) {
    pinnedBy = PinnedBy.DIGEST;
  } else if (ref.tag === undefined) {
    pinnedBy = PinnedBy.NOTHING;
    // `registry:5000/app`: the ':' belongs to the registry, the image itself has no tag
    const port = /:[0-9]+$/.test(ref.domain) ? ref.domain : undefined;
    problems.push({
      kind: PinningProblemKind.NOT_PINNED,
      explanation:
        port !== undefined
          ? `has no tag (${JSON.stringify(port)} is the registry host and port, not a tag), so Kubernetes pulls the mutable tag "latest"`
          : 'has no tag, so Kubernetes pulls the mutable tag "latest"',
      fix: pinFix,
    });
  } else if (ref.tag.toLowerCase() === 'latest') {
    pinnedBy = PinnedBy.NOTHING;
    problems.push({ kind: PinningProblemKind.NOT_PINNED, explanation: `uses the mutable tag ${JSON.stringify(ref.tag)}`, fix: pinFix });
  } else if (isFloatingTag(ref.tag, options.floatingTags)) {
    pinnedBy = PinnedBy.NOTHING;
    const variant = floatingSet(options.floatingTags).has(ref.tag.toLowerCase())
      ? 'which is conventionally moved to new builds'
      : 'which names no version (a tag without a digit is a variant of whatever version is current, and moves with it)';
    const fix = floatingSet(options.floatingTags).has(ref.tag.toLowerCase())
      ? pinFix
      : `pin a version of the variant or a digest, e.g. ${JSON.stringify(`${name}:<version>-${ref.tag}`)} or ${JSON.stringify(`${name}@sha256:<digest>`)}`;
    problems.push({ kind: PinningProblemKind.FLOATING_TAG, explanation: `uses the tag ${JSON.stringify(ref.tag)}, ${variant}`, fix });
  }
  // with digests required, one problem per image: an unpinned image gets the pinning error, any other the digest error
  if (requireDigest && ref.digest === undefined && problems[0]?.kind !== PinningProblemKind.NOT_PINNED) {
    const tagged = ref.tag !== undefined ? `${name}:${ref.tag}` : `${name}:<version>`;
    problems.length = 0;
    problems.push({
      kind: PinningProblemKind.DIGEST_REQUIRED,
      explanation: 'has no digest, and digests are required (requireDigest)',
      fix: `pin it by digest, e.g. ${JSON.stringify(`${tagged}@sha256:<digest>`)}`,
    });
  }
  return { pinnedBy, mutable: pinnedBy === PinnedBy.NOTHING, problems };
}
