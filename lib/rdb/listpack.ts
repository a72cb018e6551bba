/**
 * Listpacks (listpack.c), byte for byte as Redis builds them with lpAppend /
 * lpAppendInteger:
 *
 *   <total bytes u32 LE> <num elements u16 LE (65535 = unknown)> <element>* <0xFF>
 *   element = <encoding+data> <backlen: size of encoding+data, 1..5 bytes, big end first, 7 bits each>
 *
 *   0xxxxxxx                 7-bit unsigned int
 *   10xxxxxx <data>          string of up to 63 bytes
 *   110xxxxx yyyyyyyy        13-bit signed int
 *   1110xxxx yyyyyyyy <data> string of up to 4095 bytes
 *   0xF1/0xF2/0xF3/0xF4      16/24/32/64-bit signed int, little endian
 *   0xF0 <u32 LE len> <data> longer string
 *
 * A string that is a canonical decimal int64 is stored as an integer (what
 * lpAppend does), and reads back as the same digits.
 *
 * Pure functions, no server state: the stream log imports the sizing
 * helpers to cut its chunks where Redis cuts its listpack nodes.
 */
import { parseCanonicalInt, RdbError, normInt } from './encoding.js';

export const LP_HDR_SIZE = 6;
export const LP_NUMELE_UNKNOWN = 65535;

/** Bytes of the encoding+data part of an integer element. */
function intEncLen(v: number | bigint): number {
  if (typeof v === 'bigint') {
    if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) v = Number(v);
    else return 9;
  }
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

function strEncLen(n: number): number {
  return n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
}

/** lpEncodeBacklen's size for an element of `l` bytes. */
export function backlenSize(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/** Total bytes (with backlen) of an integer element. */
export function lpIntSize(v: number | bigint): number {
  const l = intEncLen(v);
  return l + backlenSize(l);
}

/** Total bytes (with backlen) of the element lpAppend makes of these bytes. */
export function lpStringSize(s: Uint8Array): number {
  const n = s.length;
  if (n <= 20) {
    const c = n === 0 ? 0 : s[0];
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
      const v = parseCanonicalInt(s);
      if (v !== null) return lpIntSize(v);
    }
  }
  const l = strEncLen(n);
  return l + backlenSize(l);
}

/** lpStringSize of buf[start, start + n), without a view for the common case. */
export function lpStringSizeAt(buf: Uint8Array, start: number, n: number): number {
  if (n <= 20 && n > 0) {
    const c = buf[start];
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) return lpStringSize(buf.subarray(start, start + n));
  }
  const l = strEncLen(n);
  return l + backlenSize(l);
}

export class ListpackWriter {
  private parts: Buffer[] = [];
  private size = LP_HDR_SIZE + 1;
  private count = 0;
  private scratch = Buffer.allocUnsafe(16);

  get elements(): number {
    return this.count;
  }

  private backlen(l: number): Buffer {
    const b = this.scratch;
    let n: number;
    if (l <= 127) {
      b[0] = l;
      n = 1;
    } else if (l < 16383) {
      b[0] = l >>> 7;
      b[1] = (l & 127) | 128;
      n = 2;
    } else if (l < 2097151) {
      b[0] = l >>> 14;
      b[1] = ((l >>> 7) & 127) | 128;
      b[2] = (l & 127) | 128;
      n = 3;
    } else if (l < 268435455) {
      b[0] = l >>> 21;
      b[1] = ((l >>> 14) & 127) | 128;
      b[2] = ((l >>> 7) & 127) | 128;
      b[3] = (l & 127) | 128;
      n = 4;
    } else {
      b[0] = Math.floor(l / 2 ** 28);
      b[1] = ((l >>> 21) & 127) | 128;
      b[2] = ((l >>> 14) & 127) | 128;
      b[3] = ((l >>> 7) & 127) | 128;
      b[4] = (l & 127) | 128;
      n = 5;
    }
    return Buffer.from(b.subarray(0, n));
  }

  private push(enc: Buffer): void {
    this.parts.push(enc, this.backlen(enc.length));
    this.size += enc.length + backlenSize(enc.length);
    this.count++;
  }

  /** lpAppendInteger. */
  int(v: number | bigint): void {
    const l = intEncLen(v);
    const b = Buffer.allocUnsafe(l);
    if (l === 1) b[0] = Number(v);
    else if (l === 2) {
      let x = Number(v);
      if (x < 0) x += 1 << 13;
      b[0] = (x >>> 8) | 0xc0;
      b[1] = x & 0xff;
    } else if (l === 3) {
      b[0] = 0xf1;
      b.writeInt16LE(Number(v), 1);
    } else if (l === 4) {
      b[0] = 0xf2;
      b.writeIntLE(Number(v), 1, 3);
    } else if (l === 5) {
      b[0] = 0xf3;
      b.writeInt32LE(Number(v), 1);
    } else {
      b[0] = 0xf4;
      b.writeBigInt64LE(BigInt(v), 1);
    }
    this.push(b);
  }

  /** lpAppend: an integer element when the bytes are a canonical int64, else a string element. */
  string(s: Uint8Array): void {
    const n = s.length;
    if (n <= 20 && n > 0 && ((s[0] >= 0x30 && s[0] <= 0x39) || s[0] === 0x2d)) {
      const v = parseCanonicalInt(s);
      if (v !== null) return this.int(v);
    }
    let b: Buffer;
    if (n < 64) {
      b = Buffer.allocUnsafe(1 + n);
      b[0] = 0x80 | n;
      b.set(s, 1);
    } else if (n < 4096) {
      b = Buffer.allocUnsafe(2 + n);
      b[0] = 0xe0 | (n >>> 8);
      b[1] = n & 0xff;
      b.set(s, 2);
    } else {
      b = Buffer.allocUnsafe(5 + n);
      b[0] = 0xf0;
      b.writeUInt32LE(n, 1);
      b.set(s, 5);
    }
    this.push(b);
  }

  /** The finished listpack. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.size);
    out.writeUInt32LE(this.size, 0);
    out.writeUInt16LE(Math.min(this.count, LP_NUMELE_UNKNOWN), 4);
    let p = LP_HDR_SIZE;
    for (const part of this.parts) {
      part.copy(out, p);
      p += part.length;
    }
    out[p] = 0xff;
    return out;
  }
}

/** One listpack element: a string (bytes) or an integer. */
export type LpElement = Buffer | number | bigint;

/** The element as bytes (an integer as its decimal digits, as lpGet gives it). */
export function lpBytes(e: LpElement): Buffer {
  return Buffer.isBuffer(e) ? e : Buffer.from(String(e), 'latin1');
}

/** The element as an integer, or null when it is a string that is not a canonical int64 (lpGetInteger's strict form). */
export function lpInt(e: LpElement): number | bigint | null {
  if (!Buffer.isBuffer(e)) return e;
  return parseCanonicalInt(e);
}

/**
 * Parses and fully validates a listpack: header total bytes, every element's
 * encoding, length and backlen, the terminator, and the element count when
 * the header knows it. Throws RdbError. Element strings are views into `lp`.
 */
export function parseListpack(lp: Buffer): LpElement[] {
  if (lp.length < LP_HDR_SIZE + 1) throw new RdbError('listpack too short');
  const total = lp.readUInt32LE(0);
  if (total !== lp.length) throw new RdbError('listpack total bytes mismatch');
  const numele = lp.readUInt16LE(4);
  const out: LpElement[] = [];
  let p = LP_HDR_SIZE;
  const end = lp.length - 1;
  while (p < end) {
    const start = p;
    const b = lp[p];
    let encLen: number;
    let el: LpElement;
    if ((b & 0x80) === 0) {
      encLen = 1;
      el = b;
    } else if ((b & 0xc0) === 0x80) {
      const n = b & 0x3f;
      encLen = 1 + n;
      if (p + encLen > end) throw new RdbError('listpack string overflows');
      el = lp.subarray(p + 1, p + 1 + n);
    } else if ((b & 0xe0) === 0xc0) {
      encLen = 2;
      if (p + 2 > end) throw new RdbError('listpack int overflows');
      let v = ((b & 0x1f) << 8) | lp[p + 1];
      if (v >= 1 << 12) v -= 1 << 13;
      el = v;
    } else if ((b & 0xf0) === 0xe0) {
      if (p + 2 > end) throw new RdbError('listpack string overflows');
      const n = ((b & 0x0f) << 8) | lp[p + 1];
      encLen = 2 + n;
      if (p + encLen > end) throw new RdbError('listpack string overflows');
      el = lp.subarray(p + 2, p + 2 + n);
    } else if (b === 0xf1) {
      encLen = 3;
      if (p + 3 > end) throw new RdbError('listpack int overflows');
      el = lp.readInt16LE(p + 1);
    } else if (b === 0xf2) {
      encLen = 4;
      if (p + 4 > end) throw new RdbError('listpack int overflows');
      el = lp.readIntLE(p + 1, 3);
    } else if (b === 0xf3) {
      encLen = 5;
      if (p + 5 > end) throw new RdbError('listpack int overflows');
      el = lp.readInt32LE(p + 1);
    } else if (b === 0xf4) {
      encLen = 9;
      if (p + 9 > end) throw new RdbError('listpack int overflows');
      el = normInt(lp.readBigInt64LE(p + 1));
    } else if (b === 0xf0) {
      if (p + 5 > end) throw new RdbError('listpack string overflows');
      const n = lp.readUInt32LE(p + 1);
      encLen = 5 + n;
      if (p + encLen > end) throw new RdbError('listpack string overflows');
      el = lp.subarray(p + 5, p + 5 + n);
    } else {
      throw new RdbError(`listpack bad encoding byte ${b}`);
    }
    p = start + encLen;
    // The backlen must encode encLen exactly as lpEncodeBacklen would.
    const bl = backlenSize(encLen);
    if (p + bl > end) throw new RdbError('listpack backlen overflows');
    let v = 0;
    for (let i = 0; i < bl; i++) {
      const x = lp[p + i];
      // Written high bits first: the first byte without the 0x80 mark, the others with it.
      if ((i === 0) === ((x & 0x80) !== 0)) throw new RdbError('listpack bad backlen');
      v = v * 128 + (x & 0x7f);
    }
    if (v !== encLen) throw new RdbError('listpack backlen mismatch');
    p += bl;
    out.push(el);
  }
  if (p !== end || lp[end] !== 0xff) throw new RdbError('listpack terminator missing');
  if (numele !== LP_NUMELE_UNKNOWN && numele !== out.length) throw new RdbError('listpack element count mismatch');
  return out;
}
