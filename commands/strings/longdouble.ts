/**
 * INCRBYFLOAT arithmetic as Redis does it on x86-64: parse with strtold into
 * an 80-bit long double (64-bit significand), add, and print with "%.17Lf"
 * minus trailing zeros. JavaScript doubles would answer 0.1 + 0.2 with
 * 0.30000000000000004 where Redis answers 0.3, so the long double is modelled
 * exactly with BigInt: value = ±m·2^e with 2^63 ≤ m < 2^64 (m = 0 for zero).
 * Only INCRBYFLOAT uses this; it is not a hot path.
 */

export interface LongDouble {
  neg: boolean;
  /** Significand: 0n for zero, else 64 bits exactly. */
  m: bigint;
  e: number;
  inf: boolean;
}

const TWO63 = 1n << 63n;
const TWO64 = 1n << 64n;
/** Finite long doubles are below 2^16384. */
const MAX_BINARY_EXP = 16384;
/** The smallest positive (denormal) long double is 2^-16445. */
const MIN_BINARY_EXP = -16445;
/** Redis's MAX_LONG_DOUBLE_CHARS: longer inputs are refused. */
const MAX_CHARS = 5 * 1024;
const TEN17 = 10n ** 17n;

const ZERO: LongDouble = { neg: false, m: 0n, e: 0, inf: false };

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** num/den (both > 0) rounded to 64 significant bits, ties to even: returns m, e with value ≈ m·2^e. */
function roundRatio(num: bigint, den: bigint): { m: bigint; e: number } {
  let s = 64 - (bitLength(num) - bitLength(den));
  for (;;) {
    const n = s >= 0 ? num << BigInt(s) : num;
    const d = s >= 0 ? den : den << BigInt(-s);
    let q = n / d;
    if (q >= TWO64) {
      s--;
      continue;
    }
    if (q < TWO63) {
      s++;
      continue;
    }
    const twice = (n - q * d) * 2n;
    if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
    if (q === TWO64) return { m: TWO63, e: -s + 1 };
    return { m: q, e: -s };
  }
}

/** A long double from an exact ratio, or null when strtold would report ERANGE (overflow, or underflow to zero). */
function fromRatio(neg: boolean, num: bigint, den: bigint): LongDouble | null {
  if (num === 0n) return { ...ZERO, neg };
  const { m, e } = roundRatio(num, den);
  if (e + 64 > MAX_BINARY_EXP || e < MIN_BINARY_EXP) return null;
  return { neg, m, e, inf: false };
}

const SYNTAX =
  /^([+-]?)(?:(inf(?:inity)?)|0x([0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(?:p([+-]?\d+))?|(\d+\.?\d*|\.\d+)(?:e([+-]?\d+))?)$/i;

/**
 * Parses like Redis's string2ld: all of the input must be a number strtold
 * accepts (decimal, hex float, inf/infinity), no leading space, not NaN, no
 * overflow/underflow. Returns null when Redis would refuse the value.
 */
export function parseLongDouble(b: Buffer): LongDouble | null {
  if (b.length === 0 || b.length >= MAX_CHARS) return null;
  const m = SYNTAX.exec(b.toString('latin1'));
  if (m === null) return null;
  const neg = m[1] === '-';
  if (m[2] !== undefined) return { neg, m: 0n, e: 0, inf: true };
  if (m[3] !== undefined) {
    const [whole, frac = ''] = m[3].split('.');
    const digits = BigInt('0x' + (whole + frac || '0'));
    const p = m[4] === undefined ? 0 : Number(m[4]);
    if (digits === 0n) return { ...ZERO, neg };
    let exp2 = p - 4 * frac.length;
    // Guard absurd exponents before building huge BigInts.
    if (exp2 + bitLength(digits) > MAX_BINARY_EXP + 1) return null;
    if (exp2 + bitLength(digits) < MIN_BINARY_EXP - 1) return null;
    if (exp2 >= 0) return fromRatio(neg, digits << BigInt(exp2), 1n);
    exp2 = -exp2;
    return fromRatio(neg, digits, 1n << BigInt(exp2));
  }
  const [whole, frac = ''] = m[5].split('.');
  const digitText = (whole + frac).replace(/^0+/, '');
  if (digitText === '') return { ...ZERO, neg };
  const exp10 = (m[6] === undefined ? 0 : Number(m[6])) - frac.length;
  const magnitude = digitText.length + exp10; // value is within [10^(magnitude-1), 10^magnitude)
  if (magnitude > 4934) return null;
  if (magnitude < -4952) return null;
  const digits = BigInt(digitText);
  if (exp10 >= 0) return fromRatio(neg, digits * 10n ** BigInt(exp10), 1n);
  return fromRatio(neg, digits, 10n ** BigInt(-exp10));
}

/** a + b rounded to long double precision; an overflow comes back as infinity. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.inf || b.inf) {
    // inf + -inf is NaN: reported as infinite too, since INCRBYFLOAT refuses both alike.
    return { neg: a.inf ? a.neg : b.neg, m: 0n, e: 0, inf: true };
  }
  if (a.m === 0n) return b.m === 0n ? { ...ZERO, neg: a.neg && b.neg } : b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const av = a.m << BigInt(a.e - e);
  const bv = b.m << BigInt(b.e - e);
  const sum = (a.neg ? -av : av) + (b.neg ? -bv : bv);
  if (sum === 0n) return ZERO;
  const neg = sum < 0n;
  const r = roundRatio(neg ? -sum : sum, 1n);
  const exp = r.e + e;
  if (exp + 64 > MAX_BINARY_EXP) return { neg, m: 0n, e: 0, inf: true };
  if (exp < MIN_BINARY_EXP) return { ...ZERO, neg };
  return { neg, m: r.m, e: exp, inf: false };
}

/** "%.17Lf" (exact, ties to even) with trailing zeros and a trailing dot removed, and "-0" as "0" (Redis's LD_STR_HUMAN). */
export function formatLongDouble(v: LongDouble): string {
  let scaled: bigint;
  if (v.e >= 0) {
    scaled = (v.m << BigInt(v.e)) * TEN17;
  } else {
    const num = v.m * TEN17;
    const den = 1n << BigInt(-v.e);
    scaled = num / den;
    const twice = (num - scaled * den) * 2n;
    if (twice > den || (twice === den && (scaled & 1n) === 1n)) scaled++;
  }
  const intPart = (scaled / TEN17).toString();
  const frac = (scaled % TEN17).toString().padStart(17, '0').replace(/0+$/, '');
  const text = frac === '' ? intPart : `${intPart}.${frac}`;
  return v.neg && text !== '0' ? '-' + text : text;
}
