/**
 * Writing CEL text from TypeScript. Every expression the policies carry is built from these few helpers, so quoting
 * is done in one place and the output is in the CEL subset that both Kubernetes (cel-go with the Kubernetes base
 * environment: strings extension version 2, RE2 `matches`) and `@bufbuild/cel` accept: no optional-field syntax
 * (`.?`, `orValue`), no `cel.bind`, no two-variable comprehensions, homogeneous list and map literals.
 */

/**
 * A CEL string literal for `value`: single-quoted; backslash, quote and every character outside printable ASCII
 * escaped (`\u00a0`, `\U0001f600`), so the expression text is plain ASCII and both parsers read the same string.
 */
export function str(value: string): string {
  let out = "'";
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (cp >= 0x20 && cp <= 0x7e) out += ch;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}'`;
}

/** A CEL list literal of strings, e.g. `['a', 'b']`. */
export function strList(values: readonly string[]): string {
  return `[${values.map(str).join(', ')}]`;
}

/** `(a) && (b) && ...`; `true` for no operands. */
export function and(...terms: readonly string[]): string {
  return terms.length === 0 ? 'true' : terms.map((t) => `(${t})`).join(' && ');
}

/** `(a) || (b) || ...`; `false` for no operands. */
export function or(...terms: readonly string[]): string {
  return terms.length === 0 ? 'false' : terms.map((t) => `(${t})`).join(' || ');
}

/** `!(term)`. */
export function not(term: string): string {
  return `!(${term})`;
}

/** `(cond ? then : otherwise)`. */
export function ifThen(cond: string, then: string, otherwise: string): string {
  return `((${cond}) ? (${then}) : (${otherwise}))`;
}

/** `(value).matches('<RE2 pattern>')`. */
export function matches(value: string, pattern: string): string {
  return `(${value}).matches(${str(pattern)})`;
}

/** `variables.<name>`. */
export function v(name: string): string {
  return `variables.${name}`;
}

/**
 * The list `[0, 1, ..., n - 1]`: CEL in Kubernetes 1.30 has no index-aware comprehension, so index arithmetic
 * iterates over this literal.
 */
export function indexList(n: number): string {
  return `[${Array.from({ length: n }, (_, i) => i).join(', ')}]`;
}

/** The base name of a path as the judge computes it (`p.slice(p.lastIndexOf('/') + 1)`), safe on `''`. */
export function basename(value: string): string {
  return ifThen(`(${value}).contains('/')`, `(${value}).substring((${value}).lastIndexOf('/') + 1)`, value);
}

/**
 * `value` quoted for a message: `"` + value + `"`. Messages are CEL strings shown to a person; they need not be
 * JSON.
 */
export function quoted(value: string): string {
  return `'"' + (${value}) + '"'`;
}

/**
 * A record: a map literal whose values are wrapped in `dyn()`, so values of different types make a homogeneous
 * literal (Kubernetes checks aggregate literals for homogeneous types). Policies use records where CEL has no `let`:
 * one variable computes a list of records, the next reads their fields.
 */
export function record(fields: Readonly<Record<string, string>>): string {
  return `{${Object.entries(fields)
    .map(([k, e]) => `${str(k)}: dyn(${e})`)
    .join(', ')}}`;
}
