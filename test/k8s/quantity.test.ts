import * as fc from 'fast-check';
import { QuantityError, QuantityFormat, ResourceQuantity, parseQuantity, tryParseQuantity } from '../../src/k8s/quantity';

const F = QuantityFormat;

/** `decQuantity(unscaled, scale, format)` cases of upstream `TestQuantityParse` (apimachinery quantity_test.go). */
const PARSE_TABLE: ReadonlyArray<readonly [string, string, QuantityFormat]> = [
  ['0', '0', F.DECIMAL_SI],
  ['0n', '0', F.DECIMAL_SI],
  ['0Ki', '0', F.BINARY_SI],
  ['0M', '0', F.DECIMAL_SI],
  ['1', '1', F.DECIMAL_SI],
  ['1Ki', '1024', F.BINARY_SI],
  ['8Ki', '8192', F.BINARY_SI],
  ['7Mi', `${7 * 1024 * 1024}`, F.BINARY_SI],
  ['5Ti', `${5 * 1024 ** 4}`, F.BINARY_SI],
  ['4Pi', `${4n * 1024n ** 5n}`, F.BINARY_SI],
  ['3Ei', `${3n * 1024n ** 6n}`, F.BINARY_SI],
  ['100Ti', `${100 * 1024 ** 4}`, F.BINARY_SI],
  ['5n', '5e-9', F.DECIMAL_SI],
  ['4u', '4e-6', F.DECIMAL_SI],
  ['3m', '3e-3', F.DECIMAL_SI],
  ['8k', '8e3', F.DECIMAL_SI],
  ['50k', '5e4', F.DECIMAL_SI],
  ['300T', '3e14', F.DECIMAL_SI],
  ['1E', '1e18', F.DECIMAL_SI],
  ['12E', '12e18', F.DECIMAL_SI],
  ['1E-3', '1e-3', F.DECIMAL_EXPONENT],
  ['1e3', '1e3', F.DECIMAL_EXPONENT],
  ['1E18', '1e18', F.DECIMAL_EXPONENT],
  ['100.035k', '100035', F.DECIMAL_SI],
  ['0.001', '1e-3', F.DECIMAL_SI],
  ['0.0005k', '5e-1', F.DECIMAL_SI],
  ['0.5e-2', '5e-3', F.DECIMAL_EXPONENT],
  ['10.035M', '10035e3', F.DECIMAL_SI],
  ['1.3E+6', '13e5', F.DECIMAL_EXPONENT],
  ['1.7E18', '17e17', F.DECIMAL_EXPONENT],
  ['6.987654321G', '6987654321', F.DECIMAL_SI],
  ['1.01E', '101e16', F.DECIMAL_SI],
  ['3.001n', '4e-9', F.DECIMAL_SI],
  ['1.1E-9', '2e-9', F.DECIMAL_EXPONENT],
  ['0.0000000001', '1e-9', F.DECIMAL_SI],
  ['0.5e-9', '1e-9', F.DECIMAL_EXPONENT],
  ['0.9n', '1e-9', F.DECIMAL_SI],
  ['0.00000012345', '124e-9', F.DECIMAL_SI],
  ['9Ei', '9223372036854775807', F.BINARY_SI],
  ['9223372036854775807Ki', '9223372036854775807', F.BINARY_SI],
  ['100.035Ki', '10243584e-2', F.BINARY_SI],
  ['0.5Mi', `${0.5 * 1024 * 1024}`, F.BINARY_SI],
  ['0.025Ti', '274877906944e-1', F.BINARY_SI],
  ['0.000000000001Ki', '2e-9', F.DECIMAL_SI],
  ['.001', '1e-3', F.DECIMAL_SI],
  ['.0001k', '100e-3', F.DECIMAL_SI],
  ['1.', '1', F.DECIMAL_SI],
  ['1.G', '1e9', F.DECIMAL_SI],
];

/** Upstream `invalid` list of `TestQuantityParse`, plus the empty string. */
const INVALID = ['', '1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', ' 1', '1 '];

/** Canonical forms (upstream `TestQuantityString` and the Quantity doc comment). */
const CANONICAL: ReadonlyArray<readonly [string, string]> = [
  ['1.5', '1500m'],
  ['1.5Gi', '1536Mi'],
  ['1024Ki', '1Mi'],
  ['300M', '300M'],
  ['1234567M', '1234567M'],
  ['3k', '3k'],
  ['1.0009765625Ki', '1025'],
  ['1e9', '1e9'],
  ['1e-3', '1e-3'],
  ['80e-3', '80e-3'],
  ['300e6', '300e6'],
  ['0e0', '0'],
  ['1n', '1n'],
  ['80n', '80n'],
  ['1080n', '1080n'],
  ['1.08u', '1080n'],
  ['80u', '80u'],
  ['1000m', '1'],
  ['0.5Ki', '512'],
  ['-1.5Ki', '-1536'],
  ['1.1Ki', '1126400m'],
  ['8Ei', '9223372036854775807'],
  ['1000E', '1e21'],
  ['12345678901234567890', '12345678901234567890'],
];

describe('ResourceQuantity.parse', () => {
  test.each(PARSE_TABLE)('%p parses to %s in format %s, and with a sign as its negation', (input, value, format) => {
    const q = parseQuantity(input);
    expect(q.cmp(parseQuantity(value))).toBe(0);
    expect(q.format).toBe(format);
    expect(parseQuantity(`+${input}`).cmp(q)).toBe(0);
    expect(parseQuantity(`-${input}`).cmp(parseQuantity(value.startsWith('-') ? value.slice(1) : `-${value}`))).toBe(0);
  });

  test.each(INVALID)('%p is rejected with a QuantityError', (input) => {
    expect(() => parseQuantity(input)).toThrow(QuantityError);
    expect(tryParseQuantity(input)).toBeUndefined();
  });

  test('errors carry the upstream messages', () => {
    expect(() => parseQuantity('1.1.M')).toThrow("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    expect(() => parseQuantity('1i')).toThrow("unable to parse quantity's suffix");
    expect(() => parseQuantity('e-10')).toThrow('unable to parse numeric part of quantity');
  });

  test('reproduces the scanner quirks: a bare suffix or sign parses as zero', () => {
    for (const s of ['k', 'Mi', '-', '+', '.', '-.']) expect(parseQuantity(s).isZero()).toBe(true);
  });

  test('fromJson trims spaces and reads numbers, as Quantity.UnmarshalJSON does', () => {
    expect(ResourceQuantity.fromJson(' 250m ').toString()).toBe('250m');
    expect(ResourceQuantity.fromJson(2).toString()).toBe('2');
    expect(ResourceQuantity.fromJson(0.5).toString()).toBe('500m');
  });
});

describe('ResourceQuantity arithmetic and formatting', () => {
  test.each(CANONICAL)('%p is written canonically as %p', (input, canonical) => {
    expect(parseQuantity(input).toString()).toBe(canonical);
  });

  test('compares exactly across suffixes (upstream TestQuantityCmp)', () => {
    expect(parseQuantity('100m').cmp(parseQuantity('50m'))).toBe(1);
    expect(parseQuantity('50m').cmp(parseQuantity('100m'))).toBe(-1);
    expect(parseQuantity('10000T').cmp(parseQuantity('100Gi'))).toBe(1);
    expect(parseQuantity('1000m').equals(parseQuantity('1'))).toBe(true);
    expect(parseQuantity('1Ki').equals(parseQuantity('1024'))).toBe(true);
  });

  test('adds without drift and keeps the first non-zero format (upstream TestQuantityAddZeroPreservesSuffix)', () => {
    let sum = ResourceQuantity.ZERO;
    for (let i = 0; i < 10; i++) sum = sum.plus(parseQuantity('0.1'));
    expect(sum.toString()).toBe('1');
    expect(parseQuantity('100m').plus(ResourceQuantity.ZERO).toString()).toBe('100m');
    expect(ResourceQuantity.ZERO.plus(parseQuantity('1Gi')).toString()).toBe('1Gi');
    expect(parseQuantity('120Mi').plus(parseQuantity('128Mi')).toString()).toBe('248Mi');
    expect(parseQuantity('250m').plus(parseQuantity('1')).toString()).toBe('1250m');
  });

  test('milliValue and value round away from zero, as MilliValue and Value do', () => {
    expect(parseQuantity('1.0001').milliValue()).toBe(1001n);
    expect(parseQuantity('1500m').value()).toBe(2n);
    expect(parseQuantity('-1500m').value()).toBe(-2n);
  });

  test('isResourceQuantity recognises quantities and nothing else', () => {
    expect(ResourceQuantity.isResourceQuantity(parseQuantity('1'))).toBe(true);
    expect(ResourceQuantity.isResourceQuantity({ unscaled: 1n })).toBe(false);
  });
});

describe('ResourceQuantity properties', () => {
  const alphabet = '0123456789.+-eEinumkKMGTP '.split('');
  const quantityish = fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 14 });
  const wellFormed = fc
    .tuple(
      fc.constantFrom('', '-', '+'),
      fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 1, maxLength: 22 }),
      fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), maxLength: 12 })),
      fc.constantFrom('', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'e3', 'e-3', 'E+6', 'e-12', 'e20'),
    )
    .map(([sign, int, frac, suffix]) => `${sign}${int}${frac === null ? '' : `.${frac}`}${suffix}`);

  test('parse never throws anything but QuantityError', () => {
    fc.assert(
      fc.property(fc.oneof(quantityish, fc.string(), wellFormed), (s) => {
        try {
          parseQuantity(s);
        } catch (e) {
          expect(e).toBeInstanceOf(QuantityError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('accepted values round-trip through their canonical form, which is a fixed point once re-read', () => {
    // as upstream: a BinarySI value that is not a whole number of Ki prints without a suffix ("218.75Ki" is "224000"),
    // and "224000" read back is DecimalSI, which prints "224k"; the value never changes, and the second form is stable
    fc.assert(
      fc.property(fc.oneof(quantityish, wellFormed), (s) => {
        const q = tryParseQuantity(s);
        if (q === undefined) return;
        const again = parseQuantity(q.toString());
        expect(again.cmp(q)).toBe(0);
        const stable = parseQuantity(again.toString());
        expect(stable.cmp(q)).toBe(0);
        expect(stable.toString()).toBe(again.toString());
      }),
      { numRuns: 3000 },
    );
  });

  test('a binary value that is not a whole number of Ki prints without a suffix, and reads back as decimal (as upstream)', () => {
    expect(parseQuantity('218.75Ki').toString()).toBe('224000');
    expect(parseQuantity('224000').toString()).toBe('224k');
  });

  test('addition is exact: (a + b) compares to b as a compares to zero', () => {
    fc.assert(
      fc.property(wellFormed, wellFormed, (x, y) => {
        const a = parseQuantity(x);
        const b = parseQuantity(y);
        expect(a.plus(b).cmp(b)).toBe(a.sign);
        expect(a.plus(b).cmp(b.plus(a))).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });
});
