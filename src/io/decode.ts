/**
 * Turning the bytes of a manifest into text, as `kubectl` does: UTF-8 with or without a byte order mark, or UTF-16
 * (little or big endian) with one. kubectl wraps every file in `unicode.BOMOverride(unicode.UTF8.NewDecoder())`
 * (k8s.io/cli-runtime `pkg/resource/visitor.go` `FileVisitor.Visit`, kubernetes/kubernetes @
 * 9efa0b0228c08a0be9eac268ac222025169fe6e8), and go-yaml skips a byte order mark at the start of a line (libyaml's
 * scanner, `yaml_parser_scan_to_next_token`), so a mark at the start of any document is harmless.
 *
 * Stricter than kubectl, on purpose: bytes that are not valid UTF-8 (kubectl would silently replace them with U+FFFD)
 * and NUL characters (binary data, or UTF-16 without a byte order mark) are errors, never objects.
 */
import { isUtf8 } from 'buffer';

/** Text decoded from bytes, or why it could not be. */
export type DecodeResult =
  | {
      /** The text, without byte order marks at the start of lines. */
      readonly text: string;
      /** The encoding the bytes were in. */
      readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
    }
  | {
      /** Why the bytes are not a manifest. */
      readonly error: string;
      /** Line (from 1) of the first offending byte. */
      readonly line: number;
      /** Column (from 1, in characters) of the first offending byte. */
      readonly column: number;
    };

/** Line and column (from 1) of `offset` in `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let n: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return bytes.length;
}

const BOM = '\ufeff';

/** The text without byte order marks at the start of a line (go-yaml skips them there). */
function withoutLineBoms(text: string): string {
  return text.includes(BOM) ? text.replace(/(^|\n)\ufeff+/g, '$1') : text;
}

const NUL_MESSAGE = 'contains a NUL character (binary data, or UTF-16 without a byte order mark?): not a YAML or JSON manifest';

function checkNul(text: string, encoding: 'utf-8' | 'utf-16le' | 'utf-16be'): DecodeResult {
  const nul = text.indexOf('\0');
  if (nul >= 0) return { error: 'contains a NUL character: not a YAML or JSON manifest', ...positionOf(text, nul) };
  return { text: withoutLineBoms(text), encoding };
}

/**
 * Decodes the bytes of a manifest: UTF-16 when they start with a UTF-16 byte order mark, else UTF-8 (a UTF-8 byte
 * order mark is dropped). Invalid UTF-8 and NUL characters are errors with the line and column of the first one.
 */
export function decodeManifest(bytes: Uint8Array): DecodeResult {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const encoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
    if (bytes.length % 2 !== 0) {
      const text = new TextDecoder(encoding).decode(bytes.subarray(2, bytes.length - 1));
      return { error: `${encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE'} text ends in half a character`, ...positionOf(text, text.length) };
    }
    try {
      return checkNul(new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(2)), encoding);
    } catch {
      const text = new TextDecoder(encoding).decode(bytes.subarray(2));
      const at = text.indexOf('\ufffd');
      return { error: `invalid ${encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE'} (an unpaired surrogate)`, ...positionOf(text, Math.max(0, at)) };
    }
  }
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const nul = body.indexOf(0);
  if (nul >= 0) {
    const before = Buffer.from(body.buffer, body.byteOffset, nul).toString('utf8');
    return { error: NUL_MESSAGE, ...positionOf(before, before.length) };
  }
  if (!isUtf8(body)) {
    const at = firstInvalidUtf8(body);
    const before = Buffer.from(body.buffer, body.byteOffset, at).toString('utf8');
    const hex = body[at].toString(16).toUpperCase().padStart(2, '0');
    return {
      error: `not valid UTF-8 (byte 0x${hex}): kubectl reads UTF-8, or UTF-16 with a byte order mark; is this a binary file?`,
      ...positionOf(before, before.length),
    };
  }
  return { text: withoutLineBoms(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')), encoding: 'utf-8' };
}
