/**
 * Sizes of Redis's listpack encoding, so that rivulet can decide OBJECT
 * ENCODING exactly where Redis converts (list-max-listpack-size counts the
 * bytes of the listpack, not of the raw elements).
 *
 * A listpack is a 6-byte header, the entries and a 1-byte terminator. Each
 * entry is an encoding byte(s) + data + a "backlen" holding the size of the
 * first two parts. A string that reads as a 64-bit integer (string2ll rules)
 * is stored as an integer of 7, 13, 16, 24, 32 or 64 bits.
 *
 * No imports: used by the value types in lib/types/.
 */

/** Listpack header (total bytes + count) and terminator. */
export const LP_EMPTY_BYTES = 7;

/** Bytes of the backlen field for an entry whose encoding + data take `l` bytes (lpEncodeBacklen). */
function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/**
 * The integer a string would be stored as in a listpack (lpStringToInt64:
 * string2ll rules: optional '-', no leading zeros, no '+', at most 20 bytes),
 * or null. Reads bytes [off, off+len) of buf.
 */
export function lpInteger(buf: Buffer, off: number, len: number): number | bigint | null {
  if (len === 0 || len > 20) return null;
  let i = off;
  const end = off + len;
  const neg = buf[i] === 45;
  if (neg) {
    i++;
    if (i === end) return null;
  }
  if (buf[i] === 48) return len === 1 ? 0 : null; // "0" only; "-0" and leading zeros are strings
  let v = 0;
  for (let j = i; j < end; j++) {
    const d = buf[j] - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  if (end - i <= 15) return neg ? -v : v;
  const big = BigInt((neg ? '-' : '') + buf.toString('latin1', i, end));
  if (big < -9223372036854775808n || big > 9223372036854775807n) return null;
  return big;
}

/** Bytes one element of `len` bytes at buf[off] takes in a listpack (encoding + data + backlen). */
export function lpEntrySize(buf: Buffer, off: number, len: number): number {
  // Only short strings starting with a digit or '-' can be integers.
  if (len <= 20 && len > 0) {
    const c = buf[off];
    if ((c >= 48 && c <= 57) || c === 45) {
      const n = lpInteger(buf, off, len);
      if (n !== null) return lpIntSize(n);
    }
  }
  const head = len <= 63 ? 1 : len <= 4095 ? 2 : 5;
  return head + len + backlenSize(head + len);
}

/** Bytes of an integer entry (all integer encodings have a 1-byte backlen). */
function lpIntSize(n: number | bigint): number {
  if (typeof n === 'bigint') return 10; // beyond 2^53: a 64-bit integer
  if (n >= 0 && n <= 127) return 2;
  if (n >= -4096 && n <= 4095) return 3;
  if (n >= -32768 && n <= 32767) return 4;
  if (n >= -8388608 && n <= 8388607) return 5;
  if (n >= -2147483648 && n <= 2147483647) return 6;
  return 10;
}

/** quicklist's optimization_level: the node size limits for list-max-listpack-size -1 .. -5. */
const SIZE_LEVELS = [4096, 8192, 16384, 32768, 65536];
/** SIZE_SAFETY_LIMIT: with a positive fill, a node is also limited to this many bytes. */
export const SIZE_SAFETY_LIMIT = 8192;

/** quicklistNodeLimit: the byte limit (Infinity when count-limited) and count limit for a fill value. */
export function nodeLimit(fill: number): { bytes: number; count: number } {
  if (fill >= 0) return { bytes: Infinity, count: fill === 0 ? 1 : fill };
  return { bytes: SIZE_LEVELS[Math.min(-fill - 1, SIZE_LEVELS.length - 1)], count: Infinity };
}

/** quicklistNodeExceedsLimit: would a node of `bytes` bytes and `count` entries exceed the fill? */
export function exceedsLimit(fill: number, bytes: number, count: number): boolean {
  const lim = nodeLimit(fill);
  if (lim.bytes !== Infinity) return bytes > lim.bytes;
  if (bytes > SIZE_SAFETY_LIMIT) return true;
  return count > lim.count;
}
