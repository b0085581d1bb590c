/**
 * Container image references, parsed the way Kubernetes parses them.
 *
 * Kubernetes does not parse image strings itself: `pkg/util/parsers.ParseImageName` (used by the kubelet and by
 * `SetDefaults_Container`) calls `ParseNormalizedNamed` of the vendored reference library. Which library depends on
 * the Kubernetes version (KUBERNETES.md §2.1): `github.com/docker/distribution/reference` v2.8 up to 1.28, and
 * `github.com/distribution/reference` from 1.29. This module ports all three grammars
 * (`normalize.go`, `reference.go`, `regexp.go`) plus `opencontainers/go-digest` `Digest.Validate`.
 *
 * The port splits the string at `@`, at the last `:` after the last `/`, and at the first `/`, then checks each
 * piece with a small anchored expression. This accepts exactly the language of upstream's one big regular
 * expression and yields the same captures (Go picks the leftmost-first submatch, as a backtracking engine does),
 * but it runs in linear time and can say which piece is wrong.
 */

import { ManifestError } from '../k8s/errors';
import type { KubernetesVersion } from '../k8s/version';

const IMAGE_REFERENCE_SYMBOL = Symbol.for('cdk8s-safe-pods.ImageReference');
const IMAGE_REFERENCE_ERROR_SYMBOL = Symbol.for('cdk8s-safe-pods.ImageReferenceError');

/**
 * Which upstream reference library (and so which grammar) is used to parse an image.
 *
 * @group Values
 */
export enum ReferenceGrammar {
  /** `github.com/docker/distribution/reference` v2.8, vendored by Kubernetes 1.27 and 1.28. No IPv6 hosts; the 255 limit counts the domain. */
  DOCKER_DISTRIBUTION_V2_8 = 'docker/distribution@v2.8',
  /** `github.com/distribution/reference` v0.5: IPv6 hosts, an upper-case first component is a domain; the 255 limit counts the domain. */
  DISTRIBUTION_REFERENCE_V0_5 = 'distribution/reference@v0.5',
  /** `github.com/distribution/reference` v0.6 and later: as v0.5, but the 255 limit applies to the repository path only. */
  DISTRIBUTION_REFERENCE_V0_6 = 'distribution/reference@v0.6',
}

/**
 * The grammar Kubernetes `version` parses images with: docker/distribution v2.8 up to 1.28, distribution/reference
 * from 1.29 (KUBERNETES.md §2.1). For 1.29+ the v0.6 length rule is assumed; which minor first vendors v0.6 is not
 * pinned down upstream, and the two differ only for names longer than 255 characters with their domain.
 */
export function referenceGrammarFor(version: KubernetesVersion): ReferenceGrammar {
  return version.major === 1 && version.minor <= 28 ? ReferenceGrammar.DOCKER_DISTRIBUTION_V2_8 : ReferenceGrammar.DISTRIBUTION_REFERENCE_V0_6;
}

/** Options for `ImageReference.parse()` and `ImageReference.tryParse()`. */
export interface ImageReferenceOptions {
  /**
   * The grammar to parse with. Wins over `kubernetesVersion`.
   *
   * @default - the grammar of `kubernetesVersion` when given, else `ReferenceGrammar.DISTRIBUTION_REFERENCE_V0_6` (kubelets 1.29+)
   */
  readonly grammar?: ReferenceGrammar;
  /**
   * The Kubernetes version whose parser is used (see `referenceGrammarFor`).
   *
   * @default - the current upstream grammar, `ReferenceGrammar.DISTRIBUTION_REFERENCE_V0_6`
   */
  readonly kubernetesVersion?: KubernetesVersion;
}

/**
 * Why an image reference is invalid.
 *
 * @group Values
 */
export enum ImageReferenceErrorReason {
  /** The reference is the empty string. */
  EMPTY = 'empty',
  /** The reference contains whitespace (leading, trailing or inside). */
  WHITESPACE = 'whitespace',
  /** The reference is 64 lower-case hex characters: upstream refuses it as an image id, not a name. */
  IDENTIFIER_ONLY = 'identifier-only',
  /** The repository name contains upper-case letters. */
  NAME_UPPERCASE = 'name-uppercase',
  /** The repository name (path) is empty or a path component breaks the grammar. */
  NAME_INVALID = 'name-invalid',
  /** The first component was taken as a registry host but is not a valid host[:port]. */
  REGISTRY_INVALID = 'registry-invalid',
  /** The repository name is longer than 255 characters. */
  NAME_TOO_LONG = 'name-too-long',
  /** The tag is empty, too long (over 128) or has a character outside `[A-Za-z0-9_.-]`, or starts with `.`/`-`. */
  TAG_INVALID = 'tag-invalid',
  /** The digest does not match `algorithm:hex` with at least 32 hex characters. */
  DIGEST_INVALID = 'digest-invalid',
  /** The digest algorithm is not sha256, sha384 or sha512. */
  DIGEST_ALGORITHM_UNSUPPORTED = 'digest-algorithm-unsupported',
  /** The digest's hex part has the wrong length for its algorithm, or upper-case hex. */
  DIGEST_ENCODING_INVALID = 'digest-encoding-invalid',
}

/**
 * An image reference that Kubernetes (the kubelet) would refuse with `InvalidImageName`.
 *
 * @group Values
 */
export class ImageReferenceError extends ManifestError {
  /** Whether `x` is an `ImageReferenceError` (works across copies of this package). */
  public static isImageReferenceError(x: unknown): x is ImageReferenceError {
    return x !== null && typeof x === 'object' && IMAGE_REFERENCE_ERROR_SYMBOL in x;
  }

  /** Creates the error; `parse()` throws it. */
  public constructor(
    /** The reference as given. */
    public readonly input: string,
    /** Which rule of the grammar is broken. */
    public readonly reason: ImageReferenceErrorReason,
    /** The broken rule as a clause, e.g. `the tag "-1" must start with a letter, digit or "_"`. */
    public readonly detail: string,
    /** The error text the upstream Go library gives, e.g. `invalid reference format`. */
    public readonly upstreamMessage: string,
    /** The grammar that refused it. */
    public readonly grammar: ReferenceGrammar,
  ) {
    super(`image reference ${JSON.stringify(input)} is invalid: ${detail}`, 'image');
    this.name = 'ImageReferenceError';
    Object.defineProperty(this, IMAGE_REFERENCE_ERROR_SYMBOL, { value: true });
  }
}

// ---- upstream expressions (compiled once) ---------------------------------------------------------------------

/** `anchoredIdentifierRegexp`: a bare sha256 hex id. */
const IDENTIFIER_RE = /^[a-f0-9]{64}$/;
/** `anchoredTagRegexp` (`\w` is ASCII in both Go and non-unicode JS). */
const TAG_RE = /^[\w][\w.-]{0,127}$/;
/** `anchoredDigestRegexp` of the reference grammar. */
const DIGEST_GRAMMAR_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** go-digest `DigestRegexpAnchored`, used to tell "unsupported" from "invalid format". */
const GO_DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
/**
 * `pathComponent`. Upstream v2.8 writes the separator `[-]*` and distribution/reference `[-]+`; both accept the same
 * language (an empty separator just splits a run of alphanumerics), `-+` cannot backtrack.
 */
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
/** v2.8 `DomainRegexp`: host name or IPv4, optional port. */
const DOMAIN_V2_8_RE = new RegExp(`^${DOMAIN_NAME}(?::[0-9]+)?$`);
/** distribution/reference `domainAndPort`: host name, IPv4 or `[IPv6]` (no zone), optional port. */
const DOMAIN_REFERENCE_RE = new RegExp(`^(?:${DOMAIN_NAME}|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
/** go-digest `anchoredEncodedRegexps`, by available algorithm (Kubernetes imports crypto/sha256 and crypto/sha512). */
const DIGEST_ENCODED: Readonly<Record<string, RegExp>> = Object.freeze({
  sha256: /^[a-f0-9]{64}$/,
  sha384: /^[a-f0-9]{96}$/,
  sha512: /^[a-f0-9]{128}$/,
});
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = Object.freeze({ sha256: 64, sha384: 96, sha512: 128 });
/** Go `unicode.IsSpace` (what `strings.TrimSpace` trims); unlike JS `\s` it has U+0085 and lacks U+FEFF. */
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const GO_SPACE_RE = new RegExp(`[${GO_SPACE}]`);
const GO_EDGE_SPACE_RE = new RegExp(`^[${GO_SPACE}]|[${GO_SPACE}]$`);

const NAME_TOTAL_LENGTH_MAX = 255;
const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const ERR_INVALID_FORMAT = 'invalid reference format';

/**
 * Whether `image` has leading or trailing whitespace as Go's `strings.TrimSpace` sees it: what the API server refuses
 * for Pods (`validateContainerOnlyForPod`).
 */
export function hasEdgeWhitespace(image: string): boolean {
  return GO_EDGE_SPACE_RE.test(image);
}

// ---- the port ------------------------------------------------------------------------------------------------

interface Parts {
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

interface Failure {
  readonly reason: ImageReferenceErrorReason;
  readonly detail: string;
  readonly upstream: string;
}

/** The pieces of a reference string, split the way `ReferenceRegexp` would capture them. */
interface Pieces {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly tagOk: boolean;
  readonly digestOk: boolean;
  /** `[domain, path]` when the name matches `anchoredNameRegexp`. */
  readonly split?: readonly [string, string];
}

function pathOk(path: string): boolean {
  if (path.length === 0) return false;
  for (const c of path.split('/')) {
    if (!PATH_COMPONENT_RE.test(c)) return false;
  }
  return true;
}

function splitName(name: string, grammar: ReferenceGrammar): readonly [string, string] | undefined {
  const domainRe = grammar === ReferenceGrammar.DOCKER_DISTRIBUTION_V2_8 ? DOMAIN_V2_8_RE : DOMAIN_REFERENCE_RE;
  const i = name.indexOf('/');
  // the optional `domain/` group is tried first (leftmost-first), and a domain never contains '/'
  if (i >= 0 && domainRe.test(name.slice(0, i)) && pathOk(name.slice(i + 1))) return [name.slice(0, i), name.slice(i + 1)];
  return pathOk(name) ? ['', name] : undefined;
}

function piecesOf(s: string, grammar: ReferenceGrammar): Pieces {
  // name and tag never contain '@', so a digest starts at the first '@'
  const at = s.indexOf('@');
  const digest = at >= 0 ? s.slice(at + 1) : undefined;
  const rest = at >= 0 ? s.slice(0, at) : s;
  // a ':' in the name only occurs in the domain (before a '/'), and a tag never contains '/' or ':'
  const colon = rest.indexOf(':', rest.lastIndexOf('/') + 1);
  const tag = colon >= 0 ? rest.slice(colon + 1) : undefined;
  const name = colon >= 0 ? rest.slice(0, colon) : rest;
  return {
    name,
    tag,
    digest,
    tagOk: tag === undefined || TAG_RE.test(tag),
    digestOk: digest === undefined || DIGEST_GRAMMAR_RE.test(digest),
    split: splitName(name, grammar),
  };
}

function matches(p: Pieces): boolean {
  return p.tagOk && p.digestOk && p.split !== undefined;
}

/** go-digest `Digest.Validate`. */
function validateDigest(d: string): Failure | undefined {
  const i = d.indexOf(':');
  const algorithm = d.slice(0, i);
  const encoded = d.slice(i + 1);
  const re = Object.prototype.hasOwnProperty.call(DIGEST_ENCODED, algorithm) ? DIGEST_ENCODED[algorithm] : undefined;
  if (re === undefined) {
    if (!GO_DIGEST_RE.test(d)) {
      return {
        reason: ImageReferenceErrorReason.DIGEST_ALGORITHM_UNSUPPORTED,
        detail: `the digest algorithm ${JSON.stringify(algorithm)} must be "sha256", "sha384" or "sha512" (lower case)`,
        upstream: 'invalid checksum digest format',
      };
    }
    return {
      reason: ImageReferenceErrorReason.DIGEST_ALGORITHM_UNSUPPORTED,
      detail: `the digest algorithm ${JSON.stringify(algorithm)} is not supported; use "sha256", "sha384" or "sha512"`,
      upstream: 'unsupported digest algorithm',
    };
  }
  if (re.test(encoded)) return undefined;
  const want = DIGEST_HEX_LENGTH[algorithm];
  const got = encoded.length !== want ? `${encoded.length} hex characters` : 'upper-case hex';
  return {
    reason: ImageReferenceErrorReason.DIGEST_ENCODING_INVALID,
    detail: `the ${algorithm} digest has ${got}, but must be exactly ${want} lower-case hex characters`,
    upstream: 'invalid checksum digest format',
  };
}

/** Explains why `pieces` do not match the grammar, in reading order: registry, path, tag, digest. */
function diagnose(input: string, pieces: Pieces, domainTaken: boolean, grammar: ReferenceGrammar): Failure {
  const fail = (reason: ImageReferenceErrorReason, detail: string): Failure => ({ reason, detail, upstream: ERR_INVALID_FORMAT });
  if (pieces.split === undefined) {
    const name = pieces.name;
    const slash = name.indexOf('/');
    const domain = name.slice(0, slash);
    const domainRe = grammar === ReferenceGrammar.DOCKER_DISTRIBUTION_V2_8 ? DOMAIN_V2_8_RE : DOMAIN_REFERENCE_RE;
    if (/^[:@]/.test(input)) {
      return fail(ImageReferenceErrorReason.NAME_INVALID, `the repository name before ${JSON.stringify(input[0])} is empty`);
    }
    if (domainTaken && !domainRe.test(domain)) {
      const ipv6 = domain.startsWith('[') && grammar === ReferenceGrammar.DOCKER_DISTRIBUTION_V2_8;
      return fail(
        ImageReferenceErrorReason.REGISTRY_INVALID,
        ipv6
          ? `the registry ${JSON.stringify(domain)} is an IPv6 address, which ${grammar} (Kubernetes 1.28 and older) does not accept; ` +
              'use a host name, or target Kubernetes 1.29 or newer'
          : `the registry ${JSON.stringify(domain)} must be a host name, an IPv4 address or a bracketed IPv6 address, with an optional numeric port`,
      );
    }
    const path = domainRe.test(domain) ? name.slice(slash + 1) : name;
    const bad = path.split('/').find((c) => !PATH_COMPONENT_RE.test(c)) ?? path;
    return fail(
      ImageReferenceErrorReason.NAME_INVALID,
      bad === ''
        ? 'the repository path has an empty component'
        : `the repository path component ${JSON.stringify(bad)} must be lower-case letters and digits separated by ".", "_", "__" or "-"`,
    );
  }
  if (!pieces.tagOk) {
    const tag = pieces.tag ?? '';
    return fail(
      ImageReferenceErrorReason.TAG_INVALID,
      tag === ''
        ? 'the tag after ":" is empty'
        : tag.length > 128
          ? `the tag ${JSON.stringify(tag)} has ${tag.length} characters, more than 128`
          : `the tag ${JSON.stringify(tag)} must start with a letter, digit or "_" and contain only letters, digits, "_", "." and "-"`,
    );
  }
  const digest = pieces.digest ?? '';
  return fail(
    ImageReferenceErrorReason.DIGEST_INVALID,
    digest === ''
      ? 'the digest after "@" is empty'
      : `the digest ${JSON.stringify(digest)} must be an algorithm, ":" and at least 32 hex characters, e.g. "sha256:<64 hex>"`,
  );
}

/** `reference.ParseNormalizedNamed` of `grammar`, with a diagnosis on failure. */
function parseNormalizedNamed(s: string, grammar: ReferenceGrammar): Parts | Failure {
  const v2 = grammar === ReferenceGrammar.DOCKER_DISTRIBUTION_V2_8;
  if (s.length === 0) {
    return { reason: ImageReferenceErrorReason.EMPTY, detail: 'it is empty', upstream: ERR_INVALID_FORMAT };
  }
  if (IDENTIFIER_RE.test(s)) {
    return {
      reason: ImageReferenceErrorReason.IDENTIFIER_ONLY,
      detail: 'a string of 64 hex characters is an image id, not a repository name; give the name and pin it with "@sha256:<hex>"',
      upstream: `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`,
    };
  }
  // splitDockerDomain
  let domain = DEFAULT_DOMAIN;
  let remainder = s;
  let domainTaken = false;
  const slash = s.indexOf('/');
  if (slash >= 0) {
    const first = s.slice(0, slash);
    if (first === 'localhost' || first.includes('.') || first.includes(':') || (!v2 && first.toLowerCase() !== first)) {
      domain = first === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : first;
      remainder = s.slice(slash + 1);
      domainTaken = true;
    }
  }
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;

  const whitespace = GO_SPACE_RE.test(s);
  const tagSep = remainder.indexOf(':');
  const remote = tagSep >= 0 ? remainder.slice(0, tagSep) : remainder;
  if (remote.toLowerCase() !== remote) {
    const upstream = v2
      ? 'invalid reference format: repository name must be lowercase'
      : `invalid reference format: repository name (${remote}) must be lowercase`;
    if (whitespace) return { reason: ImageReferenceErrorReason.WHITESPACE, detail: 'it contains whitespace', upstream };
    const at = remote.indexOf('@');
    if (at >= 0 && remote.slice(0, at).toLowerCase() === remote.slice(0, at)) {
      // the text before the first ':' runs into the digest algorithm: upstream reports a name error
      return {
        reason: ImageReferenceErrorReason.DIGEST_INVALID,
        detail: `the digest algorithm ${JSON.stringify(remote.slice(at + 1))} must be lower case`,
        upstream,
      };
    }
    const named = domainTaken ? remote : s.slice(0, s.length - (remainder.length - remote.length));
    const shown = named.includes('@') ? named.slice(0, named.indexOf('@')) : named;
    return {
      reason: ImageReferenceErrorReason.NAME_UPPERCASE,
      detail: `the repository name ${JSON.stringify(shown)} must be lower case`,
      upstream,
    };
  }

  // reference.Parse(domain + "/" + remainder)
  const full = `${domain}/${remainder}`;
  const pieces = piecesOf(full, grammar);
  if (!matches(pieces)) {
    const lower = full.toLowerCase();
    const upper = lower !== full && matches(piecesOf(lower, grammar));
    const failure = whitespace
      ? { reason: ImageReferenceErrorReason.WHITESPACE, detail: 'it contains whitespace', upstream: ERR_INVALID_FORMAT }
      : diagnose(s, pieces, domainTaken, grammar);
    return upper ? { ...failure, upstream: 'repository name must be lowercase' } : failure;
  }
  const [refDomain, refPath] = pieces.split!;
  const measured = grammar === ReferenceGrammar.DISTRIBUTION_REFERENCE_V0_6 ? refPath : pieces.name;
  if (measured.length > NAME_TOTAL_LENGTH_MAX) {
    return {
      reason: ImageReferenceErrorReason.NAME_TOO_LONG,
      detail:
        grammar === ReferenceGrammar.DISTRIBUTION_REFERENCE_V0_6
          ? `the repository path has ${measured.length} characters, more than ${NAME_TOTAL_LENGTH_MAX}`
          : `the repository name ${JSON.stringify(pieces.name.slice(0, 40) + '...')} has ${measured.length} characters with its registry, ` +
            `more than ${NAME_TOTAL_LENGTH_MAX} (${grammar} counts the registry, e.g. "docker.io/library/")`,
      upstream: `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
    };
  }
  if (pieces.digest !== undefined) {
    const bad = validateDigest(pieces.digest);
    if (bad) return bad;
  }
  return { domain: refDomain, path: refPath, tag: pieces.tag, digest: pieces.digest };
}

function isFailure(r: Parts | Failure): r is Failure {
  return 'reason' in r;
}

// A small memo: a synth of thousands of pods repeats a handful of images.
const CACHE_LIMIT = 2048;
const cache = new Map<string, Parts | Failure>();

function parseCached(s: string, grammar: ReferenceGrammar): Parts | Failure {
  const key = `${grammar}\u0000${s}`;
  let r = cache.get(key);
  if (r === undefined) {
    r = parseNormalizedNamed(s, grammar);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, r);
  }
  return r;
}

function grammarOf(options: ImageReferenceOptions): ReferenceGrammar {
  if (options.grammar !== undefined) return options.grammar;
  if (options.kubernetesVersion !== undefined) return referenceGrammarFor(options.kubernetesVersion);
  return ReferenceGrammar.DISTRIBUTION_REFERENCE_V0_6;
}

/**
 * A container image reference, parsed and normalised as Kubernetes does (`reference.ParseNormalizedNamed`):
 * `nginx:1.27.3` has domain `docker.io`, path `library/nginx` and tag `1.27.3`.
 *
 * @group Values
 */
export class ImageReference {
  /**
   * Parses `ref` as the kubelet would; throws `ImageReferenceError` (with a `reason`) when the kubelet would refuse
   * it with `InvalidImageName`.
   */
  public static parse(ref: string, options: ImageReferenceOptions = {}): ImageReference {
    const grammar = grammarOf(options);
    const r = parseCached(ref, grammar);
    if (isFailure(r)) throw new ImageReferenceError(ref, r.reason, r.detail, r.upstream, grammar);
    return new ImageReference(r, grammar);
  }

  /** Like `parse()`, but returns `undefined` for an invalid reference. */
  public static tryParse(ref: string, options: ImageReferenceOptions = {}): ImageReference | undefined {
    const grammar = grammarOf(options);
    const r = parseCached(ref, grammar);
    return isFailure(r) ? undefined : new ImageReference(r, grammar);
  }

  /** `repository:tag`, e.g. `ImageReference.fromTag('nginx', '1.27.3')`; throws `ImageReferenceError` when invalid. */
  public static fromTag(repository: string, tag: string, options: ImageReferenceOptions = {}): ImageReference {
    return ImageReference.parse(`${repository}:${tag}`, options);
  }

  /** `repository@digest`, e.g. `ImageReference.fromDigest('nginx', 'sha256:<64 hex>')`; throws `ImageReferenceError` when invalid. */
  public static fromDigest(repository: string, digest: string, options: ImageReferenceOptions = {}): ImageReference {
    return ImageReference.parse(`${repository}@${digest}`, options);
  }

  /** Whether `x` is an `ImageReference` (works across copies of this package). */
  public static isImageReference(x: unknown): x is ImageReference {
    return x !== null && typeof x === 'object' && IMAGE_REFERENCE_SYMBOL in x;
  }

  /** The registry host and port, e.g. `docker.io`, `localhost:5000`, `[::1]:5000`; `''` when the name has none. */
  public readonly domain: string;
  /** The repository path, e.g. `library/nginx`. */
  public readonly path: string;
  /** The tag, e.g. `1.27.3`; `undefined` when absent. */
  public readonly tag?: string;
  /** The digest, e.g. `sha256:<64 hex>`; `undefined` when absent. */
  public readonly digest?: string;
  /** The grammar the reference was parsed with. */
  public readonly grammar: ReferenceGrammar;

  private constructor(parts: Parts, grammar: ReferenceGrammar) {
    this.domain = parts.domain;
    this.path = parts.path;
    this.tag = parts.tag;
    this.digest = parts.digest;
    this.grammar = grammar;
    Object.defineProperty(this, IMAGE_REFERENCE_SYMBOL, { value: true });
  }

  /** The normalised repository name, e.g. `docker.io/library/nginx`. */
  public get name(): string {
    return this.domain === '' ? this.path : `${this.domain}/${this.path}`;
  }

  /** The repository name as `docker` prints it, e.g. `nginx` for `docker.io/library/nginx`. */
  public get familiarName(): string {
    if (this.domain !== DEFAULT_DOMAIN) return this.name;
    if (this.path.startsWith(OFFICIAL_REPO_PREFIX)) {
      const rest = this.path.slice(OFFICIAL_REPO_PREFIX.length);
      if (!rest.includes('/')) return rest;
    }
    return this.path;
  }

  /**
   * The whole reference as `docker` prints it (upstream `FamiliarString`), e.g. `nginx:1.27.3`. Like upstream's, it does
   * not always parse back to the same name: `docker.io/a.b/c` prints as `a.b/c`, which names the registry `a.b`.
   */
  public get familiar(): string {
    return this.withSuffix(this.familiarName);
  }

  /** The digest algorithm, e.g. `sha256`; `undefined` when there is no digest. */
  public get digestAlgorithm(): string | undefined {
    return this.digest?.slice(0, this.digest.indexOf(':'));
  }

  /** The normalised reference, `name[:tag][@digest]`, e.g. `docker.io/library/nginx:1.27.3`. */
  public toString(): string {
    return this.withSuffix(this.name);
  }

  private withSuffix(name: string): string {
    return `${name}${this.tag !== undefined ? `:${this.tag}` : ''}${this.digest !== undefined ? `@${this.digest}` : ''}`;
  }
}

/**
 * The tag `pkg/util/parsers.ParseImageName` returns: the tag, `latest` when the reference has neither tag nor
 * digest, and `''` when it does not parse (callers such as `SetDefaults_Container` ignore the error).
 */
export function kubernetesImageTag(image: string, grammar: ReferenceGrammar): string {
  const r = parseCached(image, grammar);
  if (isFailure(r)) return '';
  if (r.tag === undefined && r.digest === undefined) return 'latest';
  return r.tag ?? '';
}
