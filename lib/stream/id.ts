/**
 * Stream IDs: two unsigned 64-bit integers, `ms-seq`, ordered as Redis's radix
 * tree orders them (by the 128-bit big-endian concatenation).
 *
 * Each half is a `U64`: a plain `number` whenever the value is a safe integer
 * (≤ 2^53-1, which covers every real clock time and sequence), and a `bigint`
 * only above that. The representation is normalised — a value that fits in a
 * number is never a bigint — so `===` is exact equality, and `<`/`>` compare
 * numbers and bigints mathematically, so no caller needs to care which it has.
 */

export type U64 = number | bigint;

export const U64_MAX = 18446744073709551615n;
const SAFE_MAX = Number.MAX_SAFE_INTEGER;

/** A stream entry ID. Immutable by convention: never mutate a shared one. */
export interface StreamId {
  readonly ms: U64;
  readonly seq: U64;
}

export const MIN_ID: StreamId = Object.freeze({ ms: 0, seq: 0 });
export const MAX_ID: StreamId = Object.freeze({ ms: U64_MAX, seq: U64_MAX });

/** Normalise a bigint into the canonical U64 form (number when safe). */
export function u64(v: bigint): U64 {
  return v <= BigInt(SAFE_MAX) ? Number(v) : v;
}

/** Parses an unsigned 64-bit decimal as Redis's string2ull does: digits only, no sign, no overflow. Returns null when invalid. */
export function parseU64(s: string): U64 | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  if (n <= 15) return Number(s); // < 10^15 < 2^53: always exact
  const big = BigInt(s);
  if (big > U64_MAX) return null;
  return u64(big);
}

/** Three-way compare of two U64 values. */
export function cmpU64(a: U64, b: U64): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Three-way compare of two IDs. O(1). */
export function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

export function idEquals(a: StreamId, b: StreamId): boolean {
  return a.ms === b.ms && a.seq === b.seq;
}

export function isZeroId(id: StreamId): boolean {
  return id.ms === 0 && id.seq === 0;
}

export function makeId(ms: U64, seq: U64): StreamId {
  return { ms, seq };
}

/** value + 1, or null when value is already 2^64-1. */
export function incU64(v: U64): U64 | null {
  if (typeof v === 'number') return v < SAFE_MAX ? v + 1 : u64(BigInt(v) + 1n);
  return v >= U64_MAX ? null : u64(v + 1n);
}

/**
 * Signed 64-bit counters (entries-added, entries-read, delivery counts) use
 * the same normalised number-or-bigint form, so that values beyond 2^53 stay
 * exact through replies, the AOF and a restart.
 */
export type I64 = number | bigint;

/** Normalise a bigint into the canonical I64 form (number when safe). */
export function i64(v: bigint): I64 {
  return v <= BigInt(SAFE_MAX) && v >= -BigInt(SAFE_MAX) ? Number(v) : v;
}

/** a + b, exact. */
export function addI64(a: I64, b: I64): I64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return i64(BigInt(a) + BigInt(b));
}

/** a - b, exact. */
export function subI64(a: I64, b: I64): I64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return i64(BigInt(a) - BigInt(b));
}

/** value - 1, or null when value is 0. */
export function decU64(v: U64): U64 | null {
  if (typeof v === 'number') return v > 0 ? v - 1 : null;
  return u64(v - 1n);
}

/** The smallest ID greater than `id`, or null when `id` is the maximum ID. */
export function nextId(id: StreamId): StreamId | null {
  const seq = incU64(id.seq);
  if (seq !== null) return { ms: id.ms, seq };
  const ms = incU64(id.ms);
  return ms === null ? null : { ms, seq: 0 };
}

/** The largest ID smaller than `id`, or null when `id` is 0-0. */
export function prevId(id: StreamId): StreamId | null {
  const seq = decU64(id.seq);
  if (seq !== null) return { ms: id.ms, seq };
  const ms = decU64(id.ms);
  return ms === null ? null : { ms, seq: U64_MAX };
}

/** `ms-seq` as Redis prints it. */
export function formatId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

/**
 * Parses `ms-seq` or `ms` (sequence defaulting to `missingSeq`).
 * Returns null for anything Redis's streamParseID would refuse. No special
 * tokens (`-`, `+`, `$`, `>`, `*`): callers handle those before calling.
 */
export function parseIdString(s: string, missingSeq: U64 = 0): StreamId | null {
  const dash = s.indexOf('-');
  if (dash === -1) {
    const ms = parseU64(s);
    return ms === null ? null : { ms, seq: missingSeq };
  }
  const ms = parseU64(s.slice(0, dash));
  const seq = parseU64(s.slice(dash + 1));
  if (ms === null || seq === null) return null;
  return { ms, seq };
}
