/**
 * Number formatting and the PRNG, as Redis's Lua sees them.
 */

/**
 * C's printf("%.<prec>g", n): what Lua 5.1's tostring and cjson print.
 * Rounds the exact binary value half-to-even, as glibc does (JS's
 * toPrecision rounds ties up: 123456789012345 would give ...35e+14).
 */
export function formatG(n: number, prec: number): string {
  if (Number.isNaN(n)) return '-nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const neg = n < 0;
  let { digits, exp } = exactDecimal(Math.abs(n));
  if (digits.length > prec) {
    const head = digits.slice(0, prec);
    const first = digits.charCodeAt(prec) - 48;
    const rest = digits.slice(prec + 1);
    const tie = first === 5 && /^0*$/.test(rest);
    const up = first > 5 || (first === 5 && !tie) || (tie && (head.charCodeAt(prec - 1) - 48) % 2 === 1);
    digits = head;
    if (up) {
      const bumped = (BigInt(head) + 1n).toString();
      if (bumped.length > head.length) exp++;
      digits = bumped.slice(0, prec);
    }
  }
  digits = digits.replace(/0+$/, '') || '0';
  let out: string;
  if (exp < -4 || exp >= prec) {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const ax = Math.abs(exp);
    out = mant + 'e' + (exp < 0 ? '-' : '+') + (ax < 10 ? '0' + ax : String(ax));
  } else if (exp < 0) {
    out = '0.' + '0'.repeat(-exp - 1) + digits;
  } else if (digits.length <= exp + 1) {
    out = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  }
  return neg ? '-' + out : out;
}

/** The exact decimal expansion of a finite positive double: significant digits and the power of ten of the first. */
function exactDecimal(x: number): { digits: string; exp: number } {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const be = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (be === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = be - 1075;
  }
  let digits: string;
  let exp: number;
  if (e >= 0) {
    digits = (mant << BigInt(e)).toString();
    exp = digits.length - 1;
  } else {
    digits = (mant * 5n ** BigInt(-e)).toString();
    exp = digits.length - 1 + e;
  }
  digits = digits.replace(/0+$/, '');
  return { digits, exp };
}

/**
 * How redis.call turns a Lua number into an argument (Redis 7.2+): an
 * integral value within ±2^62 (double2ll's range, LLONG_MAX/2) is printed as
 * an integer, anything else by fpconv_dtoa: the shortest digits that read
 * back the same, written plain while the exponent is small and as `1e+20`
 * style otherwise. (Redis 7.0 printed every number with %.17g.)
 */
export function numberArg(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) <= 4611686018427387904) {
    return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
  }
  const neg = n < 0 || Object.is(n, -0);
  const sign = neg ? '-' : '';
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return sign + 'inf';
  const [m, e] = Math.abs(n).toExponential().split('e');
  let digits = m.replace('.', '');
  let nd = digits.length;
  const K = Number(e) - (nd - 1);
  const exp = Math.abs(K + nd - 1);
  if (K >= 0 && exp < nd + 7) return sign + digits + '0'.repeat(K);
  if (K < 0 && (K > -7 || exp < 4)) {
    const offset = nd + K;
    if (offset <= 0) return sign + '0.' + '0'.repeat(-offset) + digits;
    return sign + digits.slice(0, offset) + '.' + digits.slice(offset);
  }
  nd = Math.min(nd, 18 - (neg ? 1 : 0));
  digits = digits.slice(0, nd);
  const expSign = K + nd - 1 < 0 ? '-' : '+';
  return sign + digits[0] + (nd > 1 ? '.' + digits.slice(1) : '') + 'e' + expSign + String(exp);
}

/**
 * (long long)lua_Number for a reply: truncation; NaN and out-of-range values
 * give LLONG_MIN, as the x86-64 conversion does for Redis.
 */
export function replyInteger(n: number): bigint | number {
  if (Number.isNaN(n) || n >= 9223372036854775808 || n < -9223372036854775808) return -9223372036854775808n;
  const t = Math.trunc(n);
  return Number.isSafeInteger(t) ? (Object.is(t, -0) ? 0 : t) : BigInt(t);
}

/**
 * redisLrand48/redisSrand48 (src/rand.c): the 48-bit linear congruential
 * generator behind Redis's math.random, whose state carries over from
 * script to script and is reset only by math.randomseed.
 */
export class Rand48 {
  private x = 0x1234abcd330en;

  seed(v: number): void {
    const s = BigInt.asUintN(32, BigInt(Math.trunc(v)));
    this.x = (s << 16n) | 0x330en;
  }

  next(): number {
    this.x = (0x5deece66dn * this.x + 0xbn) & 0xffffffffffffn;
    return Number(this.x >> 17n);
  }

  /** Lua 5.1's math.random over redisLrand48 (args already counted by the caller). */
  random(): number {
    return (this.next() % 2147483647) / 2147483647;
  }
}
