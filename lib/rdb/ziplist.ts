/**
 * Ziplists (ziplist.c), the compact encoding of Redis < 7, read only: RDB
 * files and DUMP payloads of Redis 6.x carry small hashes (RDB type 13),
 * sorted sets (12) and quicklist nodes (14) as ziplists, which 7.x converts
 * to listpacks on load.
 *
 *   <zlbytes u32 LE> <zltail u32 LE: offset of the last entry> <zllen u16 LE (65535 = unknown)> <entry>* <0xFF>
 *   entry = <prevlen: 1 byte < 254, or 0xFE + u32 LE> <encoding> <data>
 *
 *   00pppppp                       string of up to 63 bytes
 *   01pppppp qqqqqqqq              string of up to 16383 bytes (14-bit big endian)
 *   10000000 <u32 big endian>      longer string
 *   11000000 int16 LE | 11010000 int32 LE | 11100000 int64 LE | 11110000 int24 LE | 11111110 int8
 *   1111xxxx (xxxx 0001..1101)     the integer xxxx - 1 (0..12), no data
 *
 * Pure functions, no server state.
 */
import { RdbError, normInt } from './encoding.js';
import type { LpElement } from './listpack.js';

const ZL_HEADER = 10;

/**
 * Parses and fully validates a ziplist: zlbytes, zltail, every entry's
 * prevlen (must be the previous entry's size), encoding and length, the
 * terminator and the count. Throws RdbError. Strings are views into `zl`.
 */
export function parseZiplist(zl: Buffer): LpElement[] {
  if (zl.length < ZL_HEADER + 1) throw new RdbError('ziplist too short');
  if (zl.readUInt32LE(0) !== zl.length) throw new RdbError('ziplist total bytes mismatch');
  const tail = zl.readUInt32LE(4);
  const count = zl.readUInt16LE(8);
  const end = zl.length - 1;
  if (zl[end] !== 0xff) throw new RdbError('ziplist terminator missing');
  const out: LpElement[] = [];
  let p = ZL_HEADER;
  let prevSize = 0;
  let last = ZL_HEADER;
  while (p < end) {
    const start = p;
    let prevlen: number;
    if (zl[p] < 254) {
      prevlen = zl[p];
      p += 1;
    } else if (zl[p] === 254) {
      if (p + 5 > end) throw new RdbError('ziplist prevlen overflows');
      prevlen = zl.readUInt32LE(p + 1);
      p += 5;
    } else throw new RdbError('ziplist entry starts with 0xFF');
    if (prevlen !== prevSize) throw new RdbError('ziplist prevlen mismatch');
    if (p >= end) throw new RdbError('ziplist entry overflows');
    const b = zl[p];
    let el: LpElement;
    const need = (n: number): void => {
      if (p + n > end) throw new RdbError('ziplist entry overflows');
    };
    switch (b >>> 6) {
      case 0: {
        const n = b & 0x3f;
        need(1 + n);
        el = zl.subarray(p + 1, p + 1 + n);
        p += 1 + n;
        break;
      }
      case 1: {
        need(2);
        const n = ((b & 0x3f) << 8) | zl[p + 1];
        need(2 + n);
        el = zl.subarray(p + 2, p + 2 + n);
        p += 2 + n;
        break;
      }
      case 2: {
        if (b !== 0x80) throw new RdbError(`ziplist bad encoding byte ${b}`);
        need(5);
        const n = zl.readUInt32BE(p + 1);
        need(5 + n);
        el = zl.subarray(p + 5, p + 5 + n);
        p += 5 + n;
        break;
      }
      default:
        if (b === 0xc0) {
          need(3);
          el = zl.readInt16LE(p + 1);
          p += 3;
        } else if (b === 0xd0) {
          need(5);
          el = zl.readInt32LE(p + 1);
          p += 5;
        } else if (b === 0xe0) {
          need(9);
          el = normInt(zl.readBigInt64LE(p + 1));
          p += 9;
        } else if (b === 0xf0) {
          need(4);
          el = zl.readIntLE(p + 1, 3);
          p += 4;
        } else if (b === 0xfe) {
          need(2);
          el = zl.readInt8(p + 1);
          p += 2;
        } else if (b >= 0xf1 && b <= 0xfd) {
          el = (b & 0x0f) - 1;
          p += 1;
        } else throw new RdbError(`ziplist bad encoding byte ${b}`);
    }
    prevSize = p - start;
    last = start;
    out.push(el);
  }
  if (p !== end) throw new RdbError('ziplist entries overflow the terminator');
  if (tail !== last) throw new RdbError('ziplist tail offset mismatch');
  if (count !== 0xffff && count !== out.length) throw new RdbError('ziplist element count mismatch');
  return out;
}
