/**
 * The image rules at admission: the reference grammar of Kubernetes 1.29+ (distribution/reference v0.6, the judge's
 * `ImageReference.parse`), pinning, floating tags, strict digests, and the pull policy an accepted mutable tag
 * gets after the API server's defaulting.
 */
import { DEFAULTS } from '../defaults';
import { IMAGE_PULL_POLICIES } from '../image/pull-policy';
import {
  IMAGE_DIGEST_REQUIRED_RULE,
  IMAGE_FLOATING_TAG_RULE,
  IMAGE_INVALID_RULE,
  IMAGE_MISSING_RULE,
  IMAGE_NOT_PINNED_RULE,
  IMAGE_PULL_POLICY_INVALID_RULE,
  IMAGE_PULL_POLICY_MISSING_RULE,
  IMAGE_WHITESPACE_RULE,
} from '../rules/image';
import { and, ifThen, matches, not, or, quoted, str, strList, v, record } from './cel';
import type { AdmissionCheck, AdmissionVariable, CheckContext } from './check';
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
/** A valid reference without digest whose tag is conventionally moved: `image-floating-tag`. */
const FLOATING_TAG = `r.valid == 'y' && r.digest == 'n' && r.tag != '' && r.tag.lowerAscii() != 'latest' && r.tag.lowerAscii() in ${FLOATING}`;

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
  violations: () =>
    perImage(
      IMAGE_FLOATING_TAG_RULE.id,
      v('images'),
      FLOATING_TAG,
      `${who('r')} + ': image ' + ${quoted('r.image')} + ' uses the tag ' + ${quoted('r.tag')} + ', which is conventionally moved to new builds; pin a version tag or a digest'`,
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
      "r.valid == 'y' && r.digest == 'n'",
      `${who('r')} + ': image ' + ${quoted('r.image')} + ' has no digest, and digests are required; pin it by digest'`,
    ),
};

/** Whether the mutable tag `kind` (not pinned / floating) is accepted for the container: its rule is off or suppressed for it. */
function accepted(ctx: CheckContext, ruleId: string): string {
  return ctx.ruleIds.includes(ruleId) ? suppressedFor(ruleId, 'r.name') : 'true';
}

/**
 * `image-pull-policy-missing` at admission. The API server sets every missing `imagePullPolicy` before admission, so a
 * missing one cannot be seen; what can be seen is the effective policy. An accepted mutable tag (its pinning finding
 * suppressed for the container, or the pinning rule switched off) must be pulled `Always`
 * (`DEFAULTS.mutableTagPullPolicy`), or nodes run whatever build they cached.
 */
const PULL_POLICY: AdmissionCheck = {
  rule: IMAGE_PULL_POLICY_MISSING_RULE,
  uses: IMAGE_USES,
  violations: (ctx) =>
    perImage(
      IMAGE_PULL_POLICY_MISSING_RULE.id,
      v('images'),
      and(
        `r.policy != ${str(DEFAULTS.mutableTagPullPolicy)}`,
        or(and(NOT_PINNED, accepted(ctx, IMAGE_NOT_PINNED_RULE.id)), and(FLOATING_TAG, accepted(ctx, IMAGE_FLOATING_TAG_RULE.id))),
      ),
      `${who('r')} + ': image ' + ${quoted('r.image')} + ' has an accepted mutable tag but imagePullPolicy ' + ${quoted('r.policy')} + ` +
        `'; set imagePullPolicy ' + ${quoted(str(DEFAULTS.mutableTagPullPolicy))} + ' so every start resolves the tag again'`,
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
  PULL_POLICY,
  PULL_POLICY_INVALID,
]);
