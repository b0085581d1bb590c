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
