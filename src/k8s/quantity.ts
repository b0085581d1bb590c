/**
 * Kubernetes resource quantities, ported from `k8s.io/apimachinery pkg/api/resource/quantity.go`
 * (`ParseQuantity`, `parseQuantityString`, `CanonicalizeBytes`, `Cmp`, `Add`).
 *
 * Values are exact: a quantity is `unscaled × 10^scale` with a BigInt mantissa, never a float.
 */

const QUANTITY_SYMBOL = Symbol.for('cdk8s-safe-pods.ResourceQuantity');

/** Upstream `splitREString`, quoted by `ErrFormatWrong`. */
export const QUANTITY_REGEX = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
/** Upstream `ErrFormatWrong`. */
export const QUANTITY_ERR_FORMAT = `quantities must match the regular expression '${QUANTITY_REGEX}'`;
/** Upstream `ErrNumeric`. */
export const QUANTITY_ERR_NUMERIC = 'unable to parse numeric part of quantity';
/** Upstream `ErrSuffix`. */
export const QUANTITY_ERR_SUFFIX = "unable to parse quantity's suffix";

/**
 * The three formats a quantity remembers from its suffix (`resource.Format`).
 *
 * @group Values
 */
export enum QuantityFormat {
  /** `12e6`. */
  DECIMAL_EXPONENT = 'DecimalExponent',
  /** `12Mi` (12 × 2^20). */
  BINARY_SI = 'BinarySI',
  /** `12M` (12 × 10^6). */
  DECIMAL_SI = 'DecimalSI',
}

/** A text that `resource.ParseQuantity` rejects; the message is the upstream error. */
export class QuantityError extends Error {
  constructor(
    message: string,
    /** The text that failed to parse. */
    readonly input: string,
  ) {
    super(message);
    this.name = 'QuantityError';
  }
}

const MAX_INT64 = (1n << 63n) - 1n;
/** Upstream `maxInt64Factors`: digits that always fit an int64. */
const MAX_INT64_FACTORS = 18;
/** Upstream `Nano`. */
const NANO = -9;

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_SUFFIX_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const pow10Cache = new Map<number, bigint>();
function pow10(n: number): bigint {
  let v = pow10Cache.get(n);
  if (v === undefined) {
    v = 10n ** BigInt(n);
    if (n < 4096) pow10Cache.set(n, v);
  }
  return v;
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

function digits(v: bigint): number {
  return v === 0n ? 0 : abs(v).toString().length;
}

/** Go's `int32(x)` conversion (two's-complement wrap). */
function int32(x: number): number {
  return Number(BigInt.asIntN(32, BigInt(x)));
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

interface ScannedQuantity {
  readonly positive: boolean;
  readonly value: string;
  readonly num: string;
  readonly denom: string;
  readonly suffix: string;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** Port of `parseQuantityString`: the fast scanner (it is more lenient than `QUANTITY_REGEX`). */
function scan(str: string): ScannedQuantity {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') {
      pos++;
    }
  }
  // strip leading zeros
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[i] !== '0') break;
    pos++;
  }
  // numerator
  let num: string;
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: str.slice(0, end), num: str.slice(pos, end), denom: '', suffix: '' };
    if (!isDigit(str[i])) {
      num = str.slice(pos, i);
      pos = i;
      break;
    }
  }
  if (num.length === 0) num = '0';
  // denominator
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    for (let i = pos; ; i++) {
      if (i >= end) return { positive, value: str.slice(0, end), num, denom: str.slice(pos, end), suffix: '' };
      if (!isDigit(str[i])) {
        denom = str.slice(pos, i);
        pos = i;
        break;
      }
    }
  }
  const value = str.slice(0, pos);
  // suffix: letters, an optional sign, digits
  const suffixStart = pos;
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart, end) };
    if (!'eEinumkKMGTP'.includes(str[i])) {
      pos = i;
      break;
    }
  }
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart, end) };
    if (!isDigit(str[i])) break;
  }
  throw new QuantityError(QUANTITY_ERR_FORMAT, str);
}

interface Interpreted {
  readonly base: 2 | 10;
  readonly exponent: number;
  readonly format: QuantityFormat;
}

/** Port of `suffixHandler.interpret`. */
function interpret(suffix: string): Interpreted | undefined {
  if (hasOwn(DECIMAL_SUFFIXES, suffix)) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix], format: QuantityFormat.DECIMAL_SI };
  if (hasOwn(BINARY_SUFFIXES, suffix)) return { base: 2, exponent: BINARY_SUFFIXES[suffix], format: QuantityFormat.BINARY_SI };
  if (suffix.length > 1 && (suffix[0] === 'E' || suffix[0] === 'e')) {
    // strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range
    const m = /^([+-]?)(\d+)$/.exec(suffix.slice(1));
    if (!m) return undefined;
    const parsed = BigInt(m[1] + m[2]);
    if (parsed > MAX_INT64 || parsed < -MAX_INT64 - 1n) return undefined;
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: QuantityFormat.DECIMAL_EXPONENT };
  }
  return undefined;
}

/** `inf.Dec` rounding of `unscaled × 10^-infScale` to scale 9 (nano), away from zero. */
function roundUpToNano(unscaled: bigint, infScale: number): { unscaled: bigint; infScale: number } {
  if (infScale <= 9) return { unscaled, infScale };
  const shift = infScale - 9;
  if (digits(unscaled) <= shift) {
    // the whole value is below one nano: it rounds up to the smallest representable amount
    return { unscaled: unscaled < 0n ? -1n : 1n, infScale: 9 };
  }
  const div = pow10(shift);
  let q = unscaled / div;
  if (q * div !== unscaled) q += unscaled < 0n ? -1n : 1n;
  return { unscaled: q, infScale: 9 };
}

/** Whether `unscaled × 10^-infScale` (non-negative) exceeds 2^63-1, without expanding huge powers. */
function exceedsMaxInt64(unscaled: bigint, infScale: number): boolean {
  if (unscaled === 0n) return false;
  const magnitude = digits(unscaled) - infScale; // number of integer digits
  if (magnitude > 19) return true;
  if (magnitude < 19) return false;
  return infScale >= 0 ? unscaled > MAX_INT64 * pow10(infScale) : unscaled * pow10(-infScale) > MAX_INT64;
}

/**
 * A Kubernetes resource quantity (`resource.Quantity`): `100m`, `1.5Gi`, `2e3`, ... with exact arithmetic.
 *
 * `ResourceQuantity.parse` accepts exactly what `resource.ParseQuantity` accepts, including its quirks: a suffix alone
 * (`"k"`, `"Mi"`) or a lone sign parses as zero, values finer than `1n` round up to `1n`, and binarySI values above
 * 2^63-1 are capped (`"9Ei"`). `toString()` gives the canonical form the API server stores.
 *
 * @group Values
 */
export class ResourceQuantity {
  /** Zero (`"0"`). */
  public static readonly ZERO = new ResourceQuantity(0n, 0, QuantityFormat.DECIMAL_SI);

  /** Parses a quantity as `resource.ParseQuantity` does; throws `QuantityError` with the upstream message. */
  public static parse(text: string): ResourceQuantity {
    if (typeof text !== 'string') throw new QuantityError(QUANTITY_ERR_FORMAT, String(text));
    const str = text;
    if (str.length === 0) throw new QuantityError(QUANTITY_ERR_FORMAT, str);
    if (str === '0') return ResourceQuantity.ZERO;
    const { positive, value, num, denom, suffix } = scan(str);
    const interp = interpret(suffix);
    if (!interp) throw new QuantityError(QUANTITY_ERR_SUFFIX, str);
    const { base, exponent, format } = interp;

    let precision: number;
    let scale = 0;
    let mantissa = 1n;
    if (format === QuantityFormat.BINARY_SI) {
      if (exponent >= 0 && denom.length === 0) {
        mantissa = 1n << BigInt(exponent);
        precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
      } else {
        precision = -1;
      }
    } else {
      scale = exponent;
      precision = MAX_INT64_FACTORS - (num.length + denom.length);
    }

    // fast path: an int64 mantissa at a scale of nano or coarser
    if (precision >= 0) {
      scale = int32(scale - denom.length);
      if (scale >= NANO) {
        const result = BigInt(num + denom) * mantissa;
        if (result <= MAX_INT64) return new ResourceQuantity(positive ? result : -result, scale, format);
      }
    }

    // slow path (inf.Dec): exact value, rounded up to nano, capped at 2^63-1
    const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(value);
    if (!m || (m[2] + (m[3] ?? '')).length === 0) throw new QuantityError(QUANTITY_ERR_NUMERIC, str);
    const fraction = m[3] ?? '';
    let unscaled = BigInt(m[2] + fraction);
    let infScale = fraction.length;
    if (base === 10) {
      infScale = int32(infScale + int32(-exponent));
    } else {
      unscaled *= 1n << BigInt(exponent);
    }
    if (unscaled !== 0n) ({ unscaled, infScale } = roundUpToNano(unscaled, infScale));
    // Only binarySI is capped, as in current apimachinery. Kubernetes 1.27 capped every slow-path value, so a
    // canonical form such as "9000000000000000100k" re-parsed to 2^63-1; only values above 9.2e18 differ.
    if (format === QuantityFormat.BINARY_SI && exceedsMaxInt64(unscaled, infScale)) {
      unscaled = MAX_INT64;
      infScale = 0;
    }
    let fmt = format;
    if (fmt === QuantityFormat.BINARY_SI && unscaled > 0n && isBelowOne(unscaled, infScale)) fmt = QuantityFormat.DECIMAL_SI;
    return new ResourceQuantity(m[1] === '-' ? -unscaled : unscaled, -infScale, fmt);
  }

  /** Like `parse`, but returns `undefined` instead of throwing. */
  public static tryParse(text: string): ResourceQuantity | undefined {
    try {
      return ResourceQuantity.parse(text);
    } catch (e) {
      if (e instanceof QuantityError) return undefined;
      throw e;
    }
  }

  /**
   * Reads a quantity from JSON as `Quantity.UnmarshalJSON` does: a string or a number, surrounding spaces trimmed.
   * Throws `QuantityError`.
   */
  public static fromJson(value: string | number): ResourceQuantity {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new QuantityError(QUANTITY_ERR_FORMAT, String(value));
      return ResourceQuantity.parse(String(value));
    }
    if (typeof value !== 'string') throw new QuantityError(QUANTITY_ERR_FORMAT, String(value));
    return ResourceQuantity.parse(value.trim());
  }

  /** Whether `x` is a `ResourceQuantity` (works across copies of this package). */
  public static isResourceQuantity(x: unknown): x is ResourceQuantity {
    return x !== null && typeof x === 'object' && QUANTITY_SYMBOL in x;
  }

  private constructor(
    /** The value is `unscaled × 10^scale`. */
    private readonly unscaled: bigint,
    private readonly scale: number,
    /** The format the quantity is written in (`Quantity.Format`). */
    public readonly format: QuantityFormat,
  ) {
    Object.defineProperty(this, QUANTITY_SYMBOL, { value: true });
  }

  /** -1, 0 or 1 as the value is negative, zero or positive. */
  public get sign(): -1 | 0 | 1 {
    return this.unscaled < 0n ? -1 : this.unscaled > 0n ? 1 : 0;
  }

  /** Whether the value is zero. */
  public isZero(): boolean {
    return this.unscaled === 0n;
  }

  /** `Quantity.Cmp`: -1, 0 or 1 as this is less than, equal to or greater than `other`. */
  public cmp(other: ResourceQuantity): -1 | 0 | 1 {
    if (this.sign !== other.sign) return this.sign < other.sign ? -1 : 1;
    if (this.sign === 0) return 0;
    const ma = digits(this.unscaled) + this.scale;
    const mb = digits(other.unscaled) + other.scale;
    if (ma !== mb) {
      const bigger = ma > mb ? 1 : -1;
      return (this.sign > 0 ? bigger : -bigger) as -1 | 1;
    }
    const s = Math.min(this.scale, other.scale);
    const a = this.unscaled * pow10(this.scale - s);
    const b = other.unscaled * pow10(other.scale - s);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Whether both quantities have the same value (`apiequality.Semantic`: `1000m` equals `1`). */
  public equals(other: ResourceQuantity): boolean {
    return this.cmp(other) === 0;
  }

  /** `Quantity.Add`: the exact sum, in this quantity's format (the other's format when this one is zero). */
  public plus(other: ResourceQuantity): ResourceQuantity {
    const format = this.isZero() ? other.format : this.format;
    if (other.isZero()) return new ResourceQuantity(this.unscaled, this.scale, format);
    if (this.isZero()) return new ResourceQuantity(other.unscaled, other.scale, format);
    const s = Math.min(this.scale, other.scale);
    const sum = this.unscaled * pow10(this.scale - s) + other.unscaled * pow10(other.scale - s);
    return new ResourceQuantity(sum, s, format);
  }

  /** `Quantity.MilliValue`: the value in thousandths, rounded away from zero. */
  public milliValue(): bigint {
    return this.scaledValue(-3);
  }

  /** `Quantity.Value`: the value rounded away from zero to an integer. */
  public value(): bigint {
    return this.scaledValue(0);
  }

  /** The value as a JavaScript number (approximate; for display only). */
  public toNumber(): number {
    return Number(this.unscaled) * 10 ** this.scale;
  }

  /** The canonical form (`Quantity.String`), e.g. `1.5` gives `1500m` and `1.5Gi` gives `1536Mi`. */
  public toString(): string {
    if (this.isZero()) return '0';
    let format = this.format;
    if (format === QuantityFormat.BINARY_SI) {
      const small = this.cmp(BINARY_LOWER) > 0 && this.cmp(BINARY_UPPER) < 0;
      if (small || !this.isInteger()) format = QuantityFormat.DECIMAL_SI;
    }
    if (format === QuantityFormat.BINARY_SI) {
      let v = this.scaledValue(0); // exact: the value is an integer here
      let power = 0;
      while (abs(v) >= 1024n && v % 1024n === 0n && power < BINARY_SUFFIX_BY_POWER.length - 1) {
        v /= 1024n;
        power++;
      }
      return `${v}${BINARY_SUFFIX_BY_POWER[power]}`;
    }
    let amount = this.unscaled;
    let exponent = this.scale;
    while (amount % 10n === 0n) {
      amount /= 10n;
      exponent++;
    }
    while (exponent % 3 !== 0) {
      amount *= 10n;
      exponent--;
    }
    if (format === QuantityFormat.DECIMAL_SI) {
      const suffix = DECIMAL_SUFFIX_BY_EXPONENT.get(exponent);
      // DecimalSI has no suffix beyond E (10^18) or below n: write an exponent rather than drop it
      // (as current apimachinery does; 1.27 silently dropped it, corrupting the value).
      return suffix !== undefined ? `${amount}${suffix}` : `${amount}e${exponent}`;
    }
    return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
  }

  /** The canonical string, for `JSON.stringify`. */
  public toJSON(): string {
    return this.toString();
  }

  private isInteger(): boolean {
    if (this.scale >= 0) return true;
    return this.unscaled % pow10(-this.scale) === 0n;
  }

  private scaledValue(target: number): bigint {
    if (this.scale >= target) return this.unscaled * pow10(this.scale - target);
    const div = pow10(target - this.scale);
    let q = this.unscaled / div;
    if (q * div !== this.unscaled) q += this.unscaled < 0n ? -1n : 1n;
    return q;
  }
}

/** Whether `unscaled × 10^-infScale < 1` (for a positive `unscaled`). */
function isBelowOne(unscaled: bigint, infScale: number): boolean {
  return digits(unscaled) - infScale <= 0;
}

const BINARY_LOWER = ResourceQuantity.parse('-1024');
const BINARY_UPPER = ResourceQuantity.parse('1024');

/** `resource.ParseQuantity`: parses a quantity or throws `QuantityError` with the upstream message. */
export function parseQuantity(text: string): ResourceQuantity {
  return ResourceQuantity.parse(text);
}

/** Like `parseQuantity`, but returns `undefined` for text Kubernetes rejects. */
export function tryParseQuantity(text: string): ResourceQuantity | undefined {
  return ResourceQuantity.tryParse(text);
}
