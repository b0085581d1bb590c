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

/**
 * Whether `expr` needs no parentheses as an operand: it has no operator or space outside brackets and quotes (an
 * identifier, a selection, a call, an index, a literal, or already parenthesized as a whole).
 */
function isAtomic(expr: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && /[\s?:&|=!<>+\-*/%]/.test(c)) return false;
  }
  return true;
}

/** `expr`, parenthesized unless it is atomic. */
export function paren(expr: string): string {
  return isAtomic(expr) ? expr : `(${expr})`;
}

/** `a && b && ...`, each operand parenthesized where needed; `true` for no operands. */
export function and(...terms: readonly string[]): string {
  return terms.length === 0 ? 'true' : terms.map(paren).join(' && ');
}

/** `a || b || ...`, each operand parenthesized where needed; `false` for no operands. */
export function or(...terms: readonly string[]): string {
  return terms.length === 0 ? 'false' : terms.map(paren).join(' || ');
}

/** `!term`. */
export function not(term: string): string {
  return `!${paren(term)}`;
}

/** `(cond ? then : otherwise)`. */
export function ifThen(cond: string, then: string, otherwise: string): string {
  return `(${paren(cond)} ? ${paren(then)} : ${paren(otherwise)})`;
}

/** `value.matches('<RE2 pattern>')`. */
export function matches(value: string, pattern: string): string {
  return `${paren(value)}.matches(${str(pattern)})`;
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
  const x = paren(value);
  return ifThen(`${x}.contains('/')`, `${x}.substring(${x}.lastIndexOf('/') + 1)`, value);
}

/**
 * `value` quoted for a message: `"` + value + `"`. Messages are CEL strings shown to a person; they need not be
 * JSON.
 */
export function quoted(value: string): string {
  return `'"' + ${paren(value)} + '"'`;
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
