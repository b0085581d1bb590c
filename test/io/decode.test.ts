import { decodeManifest } from '../../src/io/decode';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: é\n';

function utf16(text: string, endian: 'le' | 'be', bom = true): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const bytes = endian === 'le' ? le : Buffer.from(le.map((_, i) => le[i ^ 1]));
  return bom ? Buffer.concat([Buffer.from(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), bytes]) : bytes;
}

describe('decodeManifest', () => {
  test.each([
    ['UTF-8', Buffer.from(POD), 'utf-8'],
    ['UTF-8 with a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(POD)]), 'utf-8'],
    ['UTF-16LE with a byte order mark', utf16(POD, 'le'), 'utf-16le'],
    ['UTF-16BE with a byte order mark', utf16(POD, 'be'), 'utf-16be'],
  ])('decodes %s as kubectl does', (_name, bytes, encoding) => {
    expect(decodeManifest(bytes)).toEqual({ text: POD, encoding });
  });

  test('drops byte order marks at the start of any line (a later document of concatenated files)', () => {
    const r = decodeManifest(Buffer.from(`${POD}---\n\ufeffkind: Service\n\ufeff---\n`));
    expect(r).toEqual({ text: `${POD}---\nkind: Service\n---\n`, encoding: 'utf-8' });
  });

  test('refuses invalid UTF-8 with the line and column of the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('a: 1\nb: é'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    expect(decodeManifest(bytes)).toEqual({ error: expect.stringMatching(/^not valid UTF-8 \(byte 0xC3\)/), line: 2, column: 5 });
  });

  test.each([
    ['an overlong encoding', [0xc0, 0x80]],
    ['a surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['a lone continuation byte', [0x80]],
  ])('refuses %s', (_name, bad) => {
    expect(decodeManifest(Buffer.concat([Buffer.from('x: '), Buffer.from(bad)]))).toMatchObject({ line: 1, column: 4 });
  });

  test('refuses NUL characters: binary data, or UTF-16 without a byte order mark', () => {
    expect(decodeManifest(utf16(POD, 'le', false))).toEqual({
      error: expect.stringContaining('NUL character (binary data, or UTF-16 without'),
      line: 1,
      column: 2,
    });
    expect(decodeManifest(Buffer.from('a: 1\nb: \u0000'))).toMatchObject({ line: 2, column: 4 });
  });

  test('refuses UTF-16 that ends in half a character or has an unpaired surrogate', () => {
    expect(decodeManifest(Buffer.concat([utf16('a: 1\n', 'le'), Buffer.from([0x41])]))).toMatchObject({
      error: expect.stringContaining('half a character'),
      line: 2,
    });
    expect(decodeManifest(Buffer.concat([utf16('a: ', 'le'), Buffer.from([0x00, 0xd8, 0x41, 0x00])]))).toMatchObject({
      error: expect.stringContaining('unpaired surrogate'),
      line: 1,
      column: 4,
    });
  });

  test('random bytes are never text', () => {
    let seed = 42;
    const random = Buffer.from(Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff));
    expect(decodeManifest(random)).toHaveProperty('error');
  });
});
