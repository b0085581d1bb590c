/**
 * RE2 patterns (the syntax of CEL `matches` in Kubernetes and of `@bufbuild/re2`) for the grammars the judge checks.
 * Each mirrors the expression the judge uses; where the judge uses a JavaScript class whose meaning differs in RE2
 * (`\s`, `.`), the class is written out, so a pattern accepts exactly the strings the judge's accepts. The parity
 * tests compare them string by string.
 */

/**
 * Characters JavaScript's `\s` and `String.prototype.trim` treat as white space (WhiteSpace + LineTerminator), as an
 * RE2 class body. The characters are written as themselves, not as `\x{...}` escapes: Kubernetes charges `matches`
 * by the length of the pattern, and `str()` escapes them in the expression text anyway.
 */
const JS_SPACE = '\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** Every character JavaScript's `\s` matches, one string each (for `replace`, which has no character classes). */
export const JS_SPACE_CHARS: readonly string[] = Object.freeze([
  '\t',
  '\n',
  '\v',
  '\f',
  '\r',
  ' ',
  '\u00a0',
  '\u1680',
  ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)),
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
]);

/** What JavaScript's `.` does not match (line terminators), as an RE2 class body: `[^...]` is the JavaScript `.`. */
export const JS_LINE_TERMINATORS = '\n\r\u2028\u2029';

/**
 * Text a reviewer can read, as the judge's `hasVisibleText` asks (`/[\p{L}\p{N}\p{P}\p{S}]/u`): a letter, digit,
 * punctuation or symbol; white space, zero-width and other format characters are not a reason. RE2 and JavaScript
 * read the same Unicode classes (the parity tests compare them code point by code point).
 */
export const VISIBLE_TEXT = '[\\pL\\pN\\pP\\pS]';

/** Go `unicode.IsSpace` (what `strings.TrimSpace` trims, `validateContainerOnlyForPod`), as an RE2 class body. */
const GO_SPACE = '\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000';

/** An image with leading or trailing Go white space (what the API server refuses for Pods). */
export const EDGE_SPACE = `^[${GO_SPACE}]|[${GO_SPACE}]$`;

// ---- image references (distribution/reference v0.6, what Kubernetes 1.29+ parses with) ------------------------------

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
/** `domainAndPort`: host name, IPv4 or `[IPv6]` (no zone), optional numeric port. */
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}';
/**
 * A digest that also passes go-digest `Digest.Validate` with the algorithms Kubernetes links (sha256, sha384,
 * sha512; lower-case hex of the exact length). Any other digest the grammar accepts fails that validation, so the
 * grammar's looser digest is not needed.
 */
const DIGEST = '(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})';

/** A normalised reference (`domain/remainder` after `splitDockerDomain`) that parses: name, optional tag, optional digest. */
export const IMAGE_REFERENCE = `^(?:${DOMAIN}/)?${PATH}(?::${TAG})?(?:@${DIGEST})?$`;

/** A repository name whose first component is a registry (`domain/path`): the path then excludes the domain. */
export const IMAGE_DOMAIN_NAME = `^${DOMAIN}/${PATH}$`;

/** A reference that is only an image id (64 lower-case hex): `ParseNormalizedNamed` refuses it. */
export const IMAGE_IDENTIFIER = '^[a-f0-9]{64}$';

/** `NameTotalLengthMax` as distribution/reference v0.6 applies it: to the repository path, without the domain. */
export const IMAGE_PATH_MAX_LENGTH = 255;

// ---- Kubernetes names ------------------------------------------------------------------------------------------------

/** `IsDNS1123Label` (length checked apart, at most 63). */
export const DNS1123_LABEL = '^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$';

/** `IsDNS1123Subdomain` (length checked apart, at most 253). */
export const DNS1123_SUBDOMAIN = '^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$';

/** The name part of `IsQualifiedName` (length checked apart, at most 63). */
export const QUALIFIED_NAME_PART = '^(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$';

/** `IsEnvVarName` (Kubernetes up to 1.31): letters, digits, `_`, `-`, `.`, not starting with a digit. */
export const ENV_VAR_NAME = '^[-._a-zA-Z][-._a-zA-Z0-9]*$';

/** `IsRelaxedEnvVarName` (1.32+): printable ASCII (`=` is excluded apart). */
export const RELAXED_ENV_VAR_NAME = '^[ -~]+$';

/** `IsValidPortName` characters. */
export const PORT_NAME_CHARS = '^[-a-z0-9]+$';

/** `IsHTTPHeaderName`. */
export const HTTP_HEADER_NAME = '^[-A-Za-z0-9]+$';

/** A divisor the judge treats as unset (zero). */
export const ZERO_QUANTITY = '^0+(?:\\.0*)?[a-zA-Z]*$';

// ---- hook commands -----------------------------------------------------------------------------------------------

/** A duration of `timeout` or `sleep`: the judge's `DURATION_RE` (`\d` is ASCII there). */
export const DURATION = '^(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)[smhd]?$';

/** `sh -c "sleep N"` as the judge's `parseExecSleep` reads it, with the duration inlined. */
export const SHELL_SLEEP = `^[${JS_SPACE}]*(?:exec[${JS_SPACE}]+)?sleep[${JS_SPACE}]+(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)[smhd]?[${JS_SPACE}]*$`;
