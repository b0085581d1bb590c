/**
 * `JSON.stringify` for values shown in messages, with every invisible character escaped as well (`"\u200b"` rather
 * than a zero-width space a reader cannot see): control, format, separator and private-use characters other than
 * the plain space.
 */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.replace(
    /[\p{Cc}\p{Cf}\p{Co}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Lower case as Go's `strings.ToLower` does it (what the API server applies, e.g. to an annotation key of a downward-API
 * `fieldRef`): each character on its own, by its simple Unicode mapping. JavaScript's `toLowerCase` uses the full
 * mapping instead, which differs in two ways: `İ` (U+0130) becomes `i̇` (two characters) rather than `i`, and a final
 * `Σ` becomes `ς` rather than `σ`.
 */
export function goToLower(text: string): string {
  let out = '';
  for (const ch of text) out += ch === '\u0130' ? 'i' : ch.toLowerCase();
  return out;
}
