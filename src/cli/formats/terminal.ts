/**
 * Characters that must not reach a terminal or a log as they are:
 * - C0 controls (U+0000–U+001F: newline, carriage return, ESC starting ANSI escape sequences, BEL, backspace...),
 *   DEL (U+007F) and the C1 controls (U+0080–U+009F; U+009B is a one-character CSI on some terminals);
 * - the Unicode line and paragraph separators (U+2028, U+2029);
 * - the bidirectional formatting characters (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which can make a file
 *   name display as something else ("Trojan Source", CVE-2021-42574);
 * - lone surrogates, which are not text.
 */
/* eslint-disable no-control-regex -- matching control characters is the point */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/* eslint-enable no-control-regex */
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

const NAMED: Readonly<Record<string, string>> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

/**
 * Makes a string (a file name, a kind, a message) safe to print as part of one line of terminal or log output.
 *
 * A string without unsafe characters (see above) is returned unchanged. Otherwise the whole string is returned in
 * double quotes with JSON-style escapes (`\n`, `\t`, `\u001b`, and `\\`, `\"` for the backslash and the quote), the
 * way git prints a path with special characters (`core.quotePath`). A file named `a<newline>b.yaml` prints as
 * `"a\nb.yaml"`: it cannot start a new line, move the cursor or change colours, and the quotes show that it was
 * escaped (so `"a\nb.yaml"` cannot be confused with a file whose name contains a backslash and an `n`, which prints
 * as it is).
 */
export function escapeForTerminal(s: string): string {
  if (!UNSAFE.test(s)) return s;
  const escaped = s.replace(/[\\"]/g, (c) => `\\${c}`).replace(UNSAFE_ALL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${escaped}"`;
}
