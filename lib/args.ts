/**
 * Argument parsing shared by every command: integers and floats parsed as
 * strictly as Redis parses them, and case-insensitive keywords.
 */
import { ReplyError, NOT_INTEGER, NOT_FLOAT } from './errors.js';

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/**
 * Parses a signed 64-bit integer as Redis's string2ll: optional '-', digits,
 * no leading zeros (except "0"), no '+', no spaces. Returns null when invalid.
 * Values beyond 2^53 come back as bigint.
 */
export function parseInt64(b: Buffer | string): number | bigint | null {
  if (typeof b !== 'string' && b.length <= 15) return parseShortInt(b);
  const s = typeof b === 'string' ? b : b.toString('latin1');
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  if (s.charCodeAt(i) === 48 && n > i + 1) return null; // leading zero
  if (s === '-0') return null;
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  if (n - i <= 15) return Number(s);
  const big = BigInt(s);
  if (big < INT64_MIN || big > INT64_MAX) return null;
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** parseInt64 of at most 15 bytes (always a safe integer), read from the bytes without building a string. */
function parseShortInt(b: Buffer): number | null {
  const n = b.length;
  if (n === 0) return null;
  const neg = b[0] === 45; // '-'
  let i = neg ? 1 : 0;
  if (i === n) return null;
  if (b[i] === 48 && (neg || n > i + 1)) return null; // leading zero, or "-0"
  let v = 0;
  for (; i < n; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

/** Like parseInt64 but only safe integers (enough for counts, indexes and times); throws `err` otherwise. */
export function intArg(b: Buffer, err: ReplyError = NOT_INTEGER): number {
  const v = parseInt64(b);
  if (v === null || typeof v === 'bigint') throw err;
  return v;
}

/** A 64-bit integer argument as bigint (INCRBY and friends). */
export function int64Arg(b: Buffer, err: ReplyError = NOT_INTEGER): bigint {
  const v = parseInt64(b);
  if (v === null) throw err;
  return BigInt(v);
}

/** Parses a double as Redis's string2ld/strtold accepts for INCRBYFLOAT and friends; NaN is refused. */
export function floatArg(b: Buffer, err: ReplyError = NOT_FLOAT): number {
  const s = b.toString('latin1');
  if (s.length === 0 || /^\s|\s$/.test(s)) throw err;
  const lower = s.toLowerCase();
  let v: number;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') v = Infinity;
  else if (lower === '-inf' || lower === '-infinity') v = -Infinity;
  else if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) v = Number(s);
  else throw err;
  if (Number.isNaN(v)) throw err;
  return v;
}

/** Lower-cased ASCII text of an argument, for keyword comparison. */
export function word(b: Buffer): string {
  return b.toString('latin1').toLowerCase();
}

/** Is argv[i] the keyword `kw` (lower-case), case-insensitively? */
export function isWord(b: Buffer | undefined, kw: string): boolean {
  return b !== undefined && b.length === kw.length && word(b) === kw;
}

export const str = (b: Buffer): string => b.toString();
