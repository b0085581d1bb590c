/**
 * The image rules at admission: the reference grammar of Kubernetes 1.29+ (distribution/reference v0.6, the judge's
 * `ImageReference.parse`), pinning, floating tags (`isFloatingTag`: a conventionally moved tag, or any tag without a
 * digit), strict digests (one pinning problem per image, as `assessPinning` gives), and the pull policy of an accepted
 * mutable tag, as the API server's defaulting leaves it.
 */
import { DEFAULTS } from '../defaults';
import { IMAGE_PULL_POLICIES } from '../image/pull-policy';
import {
  IMAGE_DIGEST_REQUIRED_RULE,
  IMAGE_FLOATING_TAG_RULE,
  IMAGE_INVALID_RULE,
  IMAGE_MISSING_RULE,
  IMAGE_MUTABLE_TAG_PULL_POLICY_RULE,
  IMAGE_NOT_PINNED_RULE,
  IMAGE_PULL_POLICY_INVALID_RULE,
  IMAGE_WHITESPACE_RULE,
} from '../rules/image';
import { and, ifThen, matches, not, or, quoted, str, strList, v, record } from './cel';
import type { AdmissionCheck, AdmissionVariable } from './check';
import { EDGE_SPACE, IMAGE_DOMAIN_NAME, IMAGE_IDENTIFIER, IMAGE_PATH_MAX_LENGTH, IMAGE_REFERENCE } from './patterns';
import { suppressedFor } from './subject';

const CARRIED = ['kind', 'name', 'image', 'policy'];

function carry(r: string): Record<string, string> {
  return Object.fromEntries(CARRIED.map((k) => [k, `${r}.${k}`]));
}

/**
 * The image facts of every container with a non-empty image, in three stages (CEL in Kubernetes 1.30 has no `let`):
 * `imageDomains` splits the registry the way `splitDockerDomain` does, `imageNames` builds the normalised reference,
 * `images` holds the verdicts: `valid` (`y`/`n`), `tag` (`''` when none) and `digest` (`y`/`n`).
 */
export const IMAGE_VARIABLES: readonly AdmissionVariable[] = Object.freeze([
  {
    name: 'imageDomains',
    uses: ['containers'],
    expression: () => {
      const s = 'x.c.image';
      const first = `${s}.split('/')[0]`;
      const taken = and(
        `${s}.contains('/')`,
        or(`${first} == 'localhost'`, `${first}.contains('.')`, `${first}.contains(':')`, matches(first, '[A-Z]')),
      );
      return (
        `${v('containers')}.filter(x, has(x.c.image) && x.c.image != '').map(x, ` +
        record({
          kind: 'x.kind',
          name: 'x.name',
          image: s,
          policy: "has(x.c.imagePullPolicy) ? x.c.imagePullPolicy : ''",
          domain: ifThen(taken, ifThen(`${first} == 'index.docker.io'`, "'docker.io'", first), "'docker.io'"),
          rest: ifThen(taken, `${s}.substring(size(${first}) + 1)`, s),
        }) +
        ')'
      );
    },
  },
  {
    name: 'imageNames',
    uses: ['imageDomains'],
    expression: () => {
      const rest = ifThen("r.domain == 'docker.io' && !r.rest.contains('/')", "'library/' + r.rest", 'r.rest');
      return `${v('imageDomains')}.map(r, ${record({ ...carry('r'), full: `r.domain + '/' + ${rest}`, remote: `(${rest}).split(':')[0]` })})`;
    },
  },
  {
    name: 'images',
    uses: ['imageNames'],
    expression: () => {
      const beforeAt = "r.full.split('@')[0]";
      const last = `${beforeAt}.split('/')[size(${beforeAt}.split('/')) - 1]`;
      const tag = ifThen(`${last}.contains(':')`, `${last}.substring(${last}.indexOf(':') + 1)`, "''");
      const name = ifThen(`${last}.contains(':')`, `${beforeAt}.substring(0, size(${beforeAt}) - size(${tag}) - 1)`, beforeAt);
      const path = ifThen(matches(name, IMAGE_DOMAIN_NAME), `(${name}).substring(size((${name}).split('/')[0]) + 1)`, name);
      const valid = and(
        not(matches('r.image', IMAGE_IDENTIFIER)),
        not(matches('r.remote', '[A-Z]')),
        matches('r.full', IMAGE_REFERENCE),
        `size(${path}) <= ${IMAGE_PATH_MAX_LENGTH}`,
      );
      return `${v('imageNames')}.map(r, ${record({
        ...carry('r'),
        valid: ifThen(valid, "'y'", "'n'"),
        tag,
        digest: ifThen("r.full.contains('@')", "'y'", "'n'"),
      })})`;
    },
  },
] as AdmissionVariable[]);

const IMAGE_USES = ['containers', 'suppressed', 'imageDomains', 'imageNames', 'images'];

const FLOATING = strList([...new Set(DEFAULTS.floatingTags.map((t) => t.toLowerCase()))]);

/** A valid reference without digest and without tag, or with the tag `latest` (any case): `image-not-pinned`. */
const NOT_PINNED = "r.valid == 'y' && r.digest == 'n' && (r.tag == '' || r.tag.lowerAscii() == 'latest')";
/** One of the conventionally moved tags (`DEFAULTS.floatingTags`, any case). */
const CONVENTIONAL = `r.tag.lowerAscii() in ${FLOATING}`;
/**
 * A valid reference without digest whose tag floats (`isFloatingTag`): a conventionally moved tag, or a tag without a
 * digit (`alpine`, `stable-alpine`), which names a variant of whatever version is current.
 */
const FLOATING_TAG = `r.valid == 'y' && r.digest == 'n' && r.tag != '' && r.tag.lowerAscii() != 'latest' && (${CONVENTIONAL} || !r.tag.matches('[0-9]'))`;
/** With digests required, one problem per image: an unpinned image keeps its pinning error, any other gets the digest error. */
const DIGEST_MISSING = `r.valid == 'y' && r.digest == 'n' && r.tag != '' && r.tag.lowerAscii() != 'latest'`;

function who(r: string): string {
  return `${r}.kind + ' ' + ${quoted(`${r}.name`)}`;
}

/** `list.filter(r, <cond> && not suppressed).map(r, <description>)`, or `[]` when the rule is suppressed for the object. */
function perImage(ruleId: string, list: string, cond: string, describe: string): string {
  return `${list}.filter(r, ${and(cond, not(suppressedFor(ruleId, 'r.name')))}).map(r, ${describe})`;
}

const MISSING: AdmissionCheck = {
  rule: IMAGE_MISSING_RULE,
  uses: ['containers', 'suppressed'],
  violations: () =>
    perImage(IMAGE_MISSING_RULE.id, v('containers'), "!has(r.c.image) || r.c.image == ''", `${who('r')} + ' has no image; set a pinned image'`),
};

const WHITESPACE: AdmissionCheck = {
  rule: IMAGE_WHITESPACE_RULE,
  uses: IMAGE_USES,
  violations: () =>
    ifThen(
      "object.kind == 'Pod'",
      perImage(
        IMAGE_WHITESPACE_RULE.id,
        v('images'),
        matches('r.image', EDGE_SPACE),
        `${who('r')} + ': image ' + ${quoted('r.image')} + ' has leading or trailing whitespace, which the API server refuses for Pods'`,
      ),
      '[]',
    ),
};

const INVALID: AdmissionCheck = {
  rule: IMAGE_INVALID_RULE,
  uses: IMAGE_USES,
  violations: () =>
    perImage(
      IMAGE_INVALID_RULE.id,
      v('images'),
      and("r.valid == 'n'", not(and("object.kind == 'Pod'", matches('r.image', EDGE_SPACE)))),
      `${who('r')} + ': image ' + ${quoted('r.image')} + ' is not a valid image reference; the kubelet fails the container with InvalidImageName'`,
    ),
};

const NOT_PINNED_CHECK: AdmissionCheck = {
  rule: IMAGE_NOT_PINNED_RULE,
  uses: IMAGE_USES,
  violations: () =>
    perImage(
      IMAGE_NOT_PINNED_RULE.id,
      v('images'),
      NOT_PINNED,
      `${who('r')} + ': image ' + ${quoted('r.image')} + ` +
        `${ifThen("r.tag == ''", `' has no tag, so Kubernetes pulls the mutable tag "latest"'`, `' uses the mutable tag ' + ${quoted('r.tag')}`)} + ` +
        `'; pin a version tag or a digest'`,
    ),
};

const FLOATING_CHECK: AdmissionCheck = {
  rule: IMAGE_FLOATING_TAG_RULE,
  uses: IMAGE_USES,
  // with digests required, image-digest-required reports these images instead
  appliesTo: (ctx) => !ctx.requireDigest,
  violations: () =>
    perImage(
      IMAGE_FLOATING_TAG_RULE.id,
      v('images'),
      FLOATING_TAG,
      `${who('r')} + ': image ' + ${quoted('r.image')} + ' uses the tag ' + ${quoted('r.tag')} + ` +
        `${ifThen(CONVENTIONAL, "', which is conventionally moved to new builds'", "', which names no version (a tag without a digit moves with the current version)'")} + ` +
        `'; pin a version tag or a digest'`,
    ),
};

const DIGEST_REQUIRED: AdmissionCheck = {
  rule: IMAGE_DIGEST_REQUIRED_RULE,
  uses: IMAGE_USES,
  appliesTo: (ctx) => ctx.requireDigest,
  violations: () =>
    perImage(
      IMAGE_DIGEST_REQUIRED_RULE.id,
      v('images'),
      DIGEST_MISSING,
      `${who('r')} + ': image ' + ${quoted('r.image')} + ' has no digest, and digests are required; pin it by digest'`,
    ),
};

/**
 * `image-mutable-tag-pull-policy`: an accepted mutable tag (its `image-not-pinned` or `image-floating-tag` finding
 * suppressed for the container, with a reason) whose pull policy is `IfNotPresent` or `Never`. Admission sees the
 * policy after the API server's defaulting (`SetDefaults_Container`: `Always` for no tag or exactly `latest`, else
 * `IfNotPresent`), so an accepted floating tag without a policy is refused here, where the judge reports
 * `image-pull-policy-missing` (see `ADMISSION_DIFFERENCES`).
 */
const MUTABLE_TAG_PULL_POLICY: AdmissionCheck = {
  rule: IMAGE_MUTABLE_TAG_PULL_POLICY_RULE,
  uses: IMAGE_USES,
  violations: () =>
    perImage(
      IMAGE_MUTABLE_TAG_PULL_POLICY_RULE.id,
      v('images'),
      and(
        "r.policy in ['IfNotPresent', 'Never']",
        or(
          and(NOT_PINNED, suppressedFor(IMAGE_NOT_PINNED_RULE.id, 'r.name')),
          and(FLOATING_TAG, suppressedFor(IMAGE_FLOATING_TAG_RULE.id, 'r.name')),
        ),
      ),
      `${who('r')} + ': image ' + ${quoted('r.image')} + ' has an accepted mutable tag, but imagePullPolicy ' + ${quoted('r.policy')} + ` +
        `' keeps whichever build a node pulled first; set imagePullPolicy ' + ${quoted(str(DEFAULTS.mutableTagPullPolicy))}`,
    ),
};

const PULL_POLICY_INVALID: AdmissionCheck = {
  rule: IMAGE_PULL_POLICY_INVALID_RULE,
  uses: ['containers', 'suppressed'],
  violations: () =>
    perImage(
      IMAGE_PULL_POLICY_INVALID_RULE.id,
      v('containers'),
      `has(r.c.imagePullPolicy) && r.c.imagePullPolicy != '' && !(r.c.imagePullPolicy in ${strList(IMAGE_PULL_POLICIES)})`,
      `${who('r')} + ': imagePullPolicy ' + ${quoted('r.c.imagePullPolicy')} + ' is not one of ' + ${str(IMAGE_PULL_POLICIES.join(', '))}`,
    ),
};

/** The image checks, in catalogue order. */
export const IMAGE_CHECKS: readonly AdmissionCheck[] = Object.freeze([
  MISSING,
  WHITESPACE,
  INVALID,
  NOT_PINNED_CHECK,
  FLOATING_CHECK,
  DIGEST_REQUIRED,
  PULL_POLICY_INVALID,
  MUTABLE_TAG_PULL_POLICY,
]);
