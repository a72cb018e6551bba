/**
 * Doubles as Redis 7.2+ reads and writes them for sorted-set scores.
 *
 * Output (`formatScore`) follows Redis's d2string: `nan`, `inf`, `-inf`,
 * `0`/`-0`, integers within ±2^62 as plain integers, and everything else
 * through Grisu2 (Loitsch 2010, "Printing floating-point numbers quickly and
 * accurately") with the cached powers of ten every 8 decades and the output
 * layout of the fpconv library Redis bundles. Grisu2 does not always find
 * the shortest digits, and where it does not, Redis prints the longer form,
 * so it is reimplemented here rather than using JavaScript's shortest
 * round-trip formatting (the two differ on values such as 1e23 or 5e-324's
 * neighbours). 64-bit arithmetic uses BigInt; integers take a fast path.
 *
 * Input: `parseScore` and `parseRangeDouble` read scores, weights and
 * range bounds as Redis 7.4 does.
 *
 * No network or command imports.
 */

const M64 = (1n << 64n) - 1n;
const TWO63 = 1n << 63n;

interface Fp {
  f: bigint;
  e: number;
}

/** Normalized 64-bit approximations of 10^k for k = -348, -340, ..., 340: f·2^e ≈ 10^k, 2^63 ≤ f < 2^64, rounded to nearest. */
const POWERS: Fp[] = [];
for (let k = -348; k <= 340; k += 8) {
  // 10^k = num/den exactly; find e with 2^63 ≤ 10^k / 2^e < 2^64.
  const num = k >= 0 ? 10n ** BigInt(k) : 1n;
  const den = k >= 0 ? 1n : 10n ** BigInt(-k);
  let e = Math.floor(k * 3.321928094887362) - 63;
  for (;;) {
    const n = e >= 0 ? num : num << BigInt(-e);
    const d = e >= 0 ? den << BigInt(e) : den;
    const q = n / d;
    if (q < TWO63) {
      e--;
      continue;
    }
    if (q > M64) {
      e++;
      continue;
    }
    let f = q;
    if ((n - q * d) * 2n >= d) f++;
    if (f > M64) {
      e++;
      continue;
    }
    POWERS.push({ f, e });
    break;
  }
}

/** Exposed for the unit test of the power table. */
export const cachedPowers = POWERS;

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

function mul(a: Fp, b: Fp): Fp {
  return { f: (a.f * b.f + TWO63) >> 64n, e: a.e + b.e + 64 };
}

const TENS: bigint[] = [];
for (let i = 19; i >= 0; i--) TENS.push(10n ** BigInt(i)); // TENS[j] = 10^(19-j)

/** Digits and decimal exponent K (value ≈ digits·10^K) of a finite positive double, by Grisu2. */
function grisu2(d: number): { digits: number[]; K: number } {
  f64[0] = d;
  const bits = u64[0];
  const hidden = 1n << 52n;
  let frac = bits & (hidden - 1n);
  const bexp = Number((bits >> 52n) & 0x7ffn);
  let exp: number;
  if (bexp !== 0) {
    frac += hidden;
    exp = bexp - 1075;
  } else {
    exp = -1074;
  }
  // Boundaries m+ and m- of the rounding interval, sharing m+'s exponent.
  let uf = (frac << 1n) + 1n;
  let ue = exp - 1;
  while ((uf & (hidden << 1n)) === 0n) {
    uf <<= 1n;
    ue--;
  }
  uf <<= 10n;
  ue -= 10;
  const lshift = frac === hidden ? 2 : 1;
  let lf = (frac << BigInt(lshift)) - 1n;
  const le = exp - lshift;
  lf <<= BigInt(le - ue);
  // w normalized to 64 bits.
  let wf = frac;
  let we = exp;
  while ((wf & hidden) === 0n) {
    wf <<= 1n;
    we--;
  }
  wf <<= 11n;
  we -= 11;
  // Cached power bringing m+'s exponent into [-60, -32].
  const approx = Math.trunc(-(ue + 87) * 0.30102999566398114);
  let idx = Math.trunc((approx + 348) / 8);
  for (;;) {
    const cur = ue + POWERS[idx].e + 64;
    if (cur < -60) idx++;
    else if (cur > -32) idx--;
    else break;
  }
  const cp = POWERS[idx];
  const k = -348 + idx * 8;
  const w = mul({ f: wf, e: we }, cp);
  const up = mul({ f: uf, e: ue }, cp);
  const lo = mul({ f: lf, e: ue }, cp);
  lo.f += 1n;
  up.f -= 1n;
  let K = -k;
  // Digit generation.
  const wfrac = up.f - w.f;
  let delta = up.f - lo.f;
  const shift = BigInt(-up.e);
  const one = 1n << shift;
  let part1 = up.f >> shift;
  let part2 = up.f & (one - 1n);
  const digits: number[] = [];
  for (let kappa = 10, j = 10; kappa > 0; j++) {
    const div = TENS[j];
    const digit = part1 / div;
    if (digit !== 0n || digits.length > 0) digits.push(Number(digit));
    part1 -= digit * div;
    kappa--;
    const tmp = (((part1 << shift) & M64) + part2) & M64;
    if (tmp <= delta) {
      K += kappa;
      roundDigit(digits, delta, tmp, (div << shift) & M64, wfrac);
      return { digits, K };
    }
  }
  let kappa = 0;
  let unit = 18;
  for (;;) {
    part2 = (part2 * 10n) & M64;
    delta = (delta * 10n) & M64;
    kappa--;
    const digit = part2 >> shift;
    if (digit !== 0n || digits.length > 0) digits.push(Number(digit));
    part2 &= one - 1n;
    if (part2 < delta) {
      K += kappa;
      roundDigit(digits, delta, part2, one, (wfrac * TENS[unit]) & M64);
      return { digits, K };
    }
    unit--;
  }
}

/** Grisu's "weeding": moves the last digit down while that brings the result closer to w and stays inside the interval. */
function roundDigit(digits: number[], delta: bigint, rem: bigint, kappa: bigint, frac: bigint): void {
  const last = digits.length - 1;
  while (rem < frac && delta - rem >= kappa && (rem + kappa < frac || frac - rem > rem + kappa - frac)) {
    digits[last]--;
    rem += kappa;
  }
}

/** fpconv's layout of digits·10^K: plain integer, plain decimal, or d.ddde±x. */
function layout(digits: number[], K: number, neg: boolean): string {
  let nd = digits.length;
  let exp = Math.abs(K + nd - 1);
  const ds = digits.join('');
  if (K >= 0 && exp < nd + 7) return ds + '0'.repeat(K);
  if (K < 0 && (K > -7 || exp < 4)) {
    const offset = nd - Math.abs(K);
    if (offset <= 0) return '0.' + '0'.repeat(-offset) + ds;
    return ds.slice(0, offset) + '.' + ds.slice(offset);
  }
  nd = Math.min(nd, 18 - (neg ? 1 : 0));
  let out = ds[0];
  if (nd > 1) out += '.' + ds.slice(1, nd);
  out += 'e' + (K + nd - 1 < 0 ? '-' : '+');
  let cent = 0;
  if (exp > 99) {
    cent = Math.floor(exp / 100);
    out += String(cent);
    exp -= cent * 100;
  }
  if (exp > 9) {
    const dec = Math.floor(exp / 10);
    out += String(dec);
    exp -= dec * 10;
  } else if (cent) {
    out += '0';
  }
  return out + String(exp % 10);
}

/** ±2^62 (LLONG_MAX/2 as a double): integers within print as integers (Redis's double2ll). */
const LL_HALF = 4611686018427387904;

/** A score as Redis 7.2+ prints it in replies (d2string). */
export function formatScore(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  if (d >= -LL_HALF && d <= LL_HALF && Number.isInteger(d)) {
    return Number.isSafeInteger(d) ? String(d) : BigInt(d).toString();
  }
  const neg = d < 0;
  const { digits, K } = grisu2(neg ? -d : d);
  return (neg ? '-' : '') + layout(digits, K, neg);
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITE = /^([+-]?)(?:inf|infinity)$/i;

/**
 * Redis 7.4's score parser (string2d, a fast_float-style parse of the whole
 * string): decimal with optional sign, fraction and exponent, or inf /
 * infinity in any case; no whitespace, no hex, no NaN. An overflowing value
 * reads as ±inf and an underflowing one as 0 (Debian's 7.0, on strtod,
 * refused both and accepted hex). Returns null when Redis refuses it.
 */
export function parseScore(b: Buffer | string): number | null {
  const s = typeof b === 'string' ? b : b.toString('latin1');
  if (DECIMAL.test(s)) return Number(s);
  const m = INFINITE.exec(s);
  if (m !== null) return m[1] === '-' ? -Infinity : Infinity;
  return null;
}

/** A ZRANGEBYSCORE-style bound after its optional `(`: like parseScore, except that "" reads as 0. */
export function parseRangeDouble(s: string): number | null {
  return s === '' ? 0 : parseScore(s);
}
