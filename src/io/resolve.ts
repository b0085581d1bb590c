/**
 * How Kubernetes reads a plain (unquoted) YAML scalar, and the `js-yaml` schema that reads documents that way.
 *
 * `kubectl` (and the API server, for YAML bodies) decodes YAML with `sigs.k8s.io/yaml`, which runs go-yaml v2 (YAML
 * 1.1 resolution) and converts the result to JSON. The rules below are go-yaml v2's `resolve()`, as vendored by
 * Kubernetes: kubernetes-sigs/yaml `goyaml.v2/resolve.go` @ 742f5e6f06b9847d2d7e4efa2fe6587f64897ad0, a fork of
 * go-yaml v2.4.0 (go-yaml/yaml `resolve.go` @ 7649d4548cb53a614db133b2a8ac1f31859dda8c). docs/yaml.md lists every
 * case with its source; test/io/resolve.test.ts pins each one.
 */
import { FAILSAFE_SCHEMA, Type } from 'js-yaml';
import type { Schema } from 'js-yaml';

/**
 * The fixed words of go-yaml v2's `resolveMap` (resolve.go `init()`): booleans, nulls, the special floats and the
 * merge key `<<`. Nothing else is case-insensitive: `tRUE` is a string.
 */
const WORDS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w): [string, unknown] => [w, true]),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w): [string, unknown] => [w, false]),
  ...['', '~', 'null', 'Null', 'NULL'].map((w): [string, unknown] => [w, null]),
  ...['.nan', '.NaN', '.NAN'].map((w): [string, unknown] => [w, NaN]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((w): [string, unknown] => [w, Infinity]),
  ...['-.inf', '-.Inf', '-.INF'].map((w): [string, unknown] => [w, -Infinity]),
]);

/** The merge key, resolved to the merge tag (resolve.go: `{"<<", yaml_MERGE_TAG, []string{"<<"}}`). */
export const MERGE_KEY = '<<';

/** resolve.go `yamlStyleFloat`: the decimal float syntax go-yaml accepts after the integer forms fail. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go `strconv.ParseFloat` on text starting with `.` (underscores only between digits, as Go's `underscoreOK`). */
const DOT_FLOAT = /^\.[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+(?:_[0-9]+)*)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const DIGITS: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };

type IntResult = { readonly value: bigint } | { readonly error: 'syntax' | 'range' };

/**
 * Go `strconv.ParseInt(s, 0, 64)` (`signed`) or `strconv.ParseUint(s, 0, 64)` on text whose underscores go-yaml has
 * already removed: an optional sign (signed only), then `0x`/`0X` hex, `0b`/`0B` binary, `0o`/`0O` or a leading `0`
 * octal, else decimal.
 */
function goParseInt(s: string, signed: boolean): IntResult {
  let i = 0;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    if (!signed) return { error: 'syntax' };
    negative = s[0] === '-';
    i = 1;
  }
  let base = 10;
  if (s[i] === '0' && s.length > i + 1) {
    const p = s[i + 1].toLowerCase();
    if (p === 'x' || p === 'b' || p === 'o') {
      base = p === 'x' ? 16 : p === 'b' ? 2 : 8;
      i += 2;
    } else {
      base = 8;
      i += 1;
    }
  }
  const digits = s.slice(i);
  if (!DIGITS[base].test(digits)) return { error: 'syntax' };
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  const magnitude = BigInt(prefix + digits);
  const value = negative ? -magnitude : magnitude;
  if (signed ? value < INT64_MIN || value > INT64_MAX : value > UINT64_MAX) return { error: 'range' };
  return { value };
}

/** A number as JSON carries it (go-yaml's int64/uint64/big.Int become a JSON number; JavaScript keeps a double). */
function toNumber(n: bigint): number {
  const x = Number(n);
  return x === 0 ? 0 : x; // no -0: Go has none
}

/** The tag go-yaml resolves a plain scalar to (resolve.go: `yaml_NULL_TAG`, `yaml_BOOL_TAG`, ...). */
export type PlainTag = 'null' | 'bool' | 'int' | 'float' | 'str' | 'merge';

/** A plain scalar as go-yaml v2 resolves it: its tag and the value JSON gets. */
export interface Resolved {
  /** The resolved tag (`str` when the text stays a string). */
  readonly tag: PlainTag;
  /** The value Kubernetes gets. */
  readonly value: unknown;
}

const WORD_TAGS: ReadonlyMap<string, PlainTag> = new Map(
  [...WORDS].map(([w, v]): [string, PlainTag] => [w, v === null ? 'null' : typeof v === 'boolean' ? 'bool' : 'float']),
);

function word(text: string): Resolved | undefined {
  const tag = WORD_TAGS.get(text);
  return tag === undefined ? undefined : { tag, value: WORDS.get(text) };
}

const str = (text: string): Resolved => ({ tag: 'str', value: text });

/**
 * go-yaml v2 `resolve("", text)` for a plain scalar: `true`/`false` for the YAML 1.1 booleans (`yes`, `No`, `ON`,
 * `y`, ...), `null` for `~`/`null`/empty, ints (`0755` octal, `0x1F`, `0o17`, `1_000`), floats (`1e3`, `.5`,
 * `.inf`, and `08`, which is not octal), the merge key `<<`, and otherwise the text itself. Timestamps such as
 * `2024-01-02` stay strings: go-yaml v2 gives them to untyped targets as text (decode.go, "for backward compatibility
 * reasons").
 */
export function resolvePlainTagged(text: string): Resolved {
  if (text === '') return { tag: 'null', value: null };
  if (text === MERGE_KEY) return { tag: 'merge', value: MERGE_KEY };
  const c = text.charCodeAt(0);
  // resolve.go resolveTable: 'M' for yYnNtTfFoO~, '.' for '.', 'D' for digits, 'S' for + and -; anything else is a string
  switch (c) {
    case 0x79 /* y */:
    case 0x59 /* Y */:
    case 0x6e /* n */:
    case 0x4e /* N */:
    case 0x74 /* t */:
    case 0x54 /* T */:
    case 0x66 /* f */:
    case 0x46 /* F */:
    case 0x6f /* o */:
    case 0x4f /* O */:
    case 0x7e /* ~ */:
      return word(text) ?? str(text);
    case 0x2e /* . */: {
      const w = word(text);
      if (w) return w;
      if (!DOT_FLOAT.test(text)) return str(text);
      const f = Number(text.replace(/_/g, ''));
      return Number.isFinite(f) ? { tag: 'float', value: f } : str(text); // ParseFloat's ErrRange: the string stays
    }
    default:
      if (!((c >= 0x30 && c <= 0x39) || c === 0x2b /* + */ || c === 0x2d) /* - */) return str(text);
  }
  const w = word(text); // +.inf, -.inf
  if (w) return w;
  // (timestamps are tried here; they stay strings, and no timestamp parses as a number below)
  const plain = text.replace(/_/g, '');
  const int = goParseInt(plain, true);
  if ('value' in int) return { tag: 'int', value: toNumber(int.value) };
  const uint = goParseInt(plain, false);
  if ('value' in uint) return { tag: 'int', value: toNumber(uint.value) };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return { tag: 'float', value: f };
  }
  // go-yaml's separate 0b/-0b branch parses only what ParseInt(…, 0, 64) above already did; a ParseUint range
  // error falls through to big.Int.SetString(plain, 0), which accepts the same syntax
  if (uint.error === 'range') return { tag: 'int', value: Number(BigInt(plain.replace(/^0(?=[0-7])/, '0o'))) };
  return str(text);
}

/** The value Kubernetes gets for a plain (unquoted, untagged) scalar; see `resolvePlainTagged`. */
export function resolvePlain(text: string): unknown {
  return resolvePlainTagged(text).value;
}

// ---- the js-yaml schema --------------------------------------------------------------------------

/** The last plain scalar resolved, so that `construct` does not resolve it a second time. */
let lastText: string | undefined;
let lastValue: unknown;

/**
 * Every plain scalar that go-yaml does not read as a string: one implicit type for all of them (js-yaml tries implicit
 * types in order on every plain scalar, so one pass through `resolvePlain` is the fast way).
 */
const goYamlPlain = new Type('tag:yaml.org,2002:go-yaml-v2-plain', {
  kind: 'scalar',
  resolve: (data: string | null) => {
    if (data === null) return false;
    const r = resolvePlainTagged(data);
    if (r.tag === 'str' || r.tag === 'merge') return false;
    lastText = data;
    lastValue = r.value;
    return true;
  },
  construct: (data: string) => (data === lastText ? lastValue : resolvePlain(data)),
});

/** `<<` in a mapping merges the mapping(s) it names (go-yaml v2 decode.go `merge`). */
const merge = new Type('tag:yaml.org,2002:merge', {
  kind: 'scalar',
  resolve: (data: string | null) => data === MERGE_KEY,
});

/**
 * An explicit core tag (`!!bool yes`, `!!int "0755"`): go-yaml resolves the text and fails when it resolves to
 * another tag (`cannot decode !!str "abc" as a !!int`), except that an int is accepted as a float.
 */
function explicit(tag: 'null' | 'bool' | 'int' | 'float'): Type {
  const accepts = (r: Resolved): boolean => r.tag === tag || (tag === 'float' && r.tag === 'int');
  return new Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (data: string | null) => accepts(resolvePlainTagged(data ?? '')),
    construct: (data: string | null) => resolvePlainTagged(data ?? '').value,
  });
}

const explicitTypes = [
  explicit('null'),
  explicit('bool'),
  explicit('int'),
  explicit('float'),
  // a timestamp tag keeps the text (go-yaml v2 gives untyped targets the string)
  new Type('tag:yaml.org,2002:timestamp', { kind: 'scalar' }),
];

/**
 * Any other tag (`!Ref x`, `!!binary ...`, `!!set`): go-yaml v2 decodes a scalar with an unknown tag as its text and
 * ignores tags on collections. (`!!binary` is base64-decoded by go-yaml; here it stays the base64 text.)
 */
const anyTag = [
  new Type('', { kind: 'scalar', multi: true, construct: (data: string | null) => data ?? '' }),
  new Type('', { kind: 'sequence', multi: true, construct: (data: unknown[] | null) => data ?? [] }),
  new Type('', { kind: 'mapping', multi: true, construct: (data: Record<string, unknown> | null) => data ?? {} }),
];

/**
 * The `js-yaml` schema that reads YAML as Kubernetes does: plain scalars resolved by go-yaml v2's rules
 * (`resolvePlain`), quoted and block scalars always strings, merge keys, and core tags with go-yaml's meaning.
 */
export const KUBERNETES_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({ implicit: [goYamlPlain, merge], explicit: [...explicitTypes, ...anyTag] });
