/**
 * The primitive encodings of the RDB format (rdb.c), shared by DUMP payloads
 * and RDB files:
 *
 *   length    00xxxxxx                      6-bit
 *             01xxxxxx xxxxxxxx             14-bit, big endian
 *             10000000 <4 bytes BE>         32-bit
 *             10000001 <8 bytes BE>         64-bit
 *             11xxxxxx                      "encoded" string follows, xxxxxx:
 *                                           0 int8, 1 int16 LE, 2 int32 LE, 3 LZF
 *   string    <length><bytes> | 11000000..2 <int> | 11000011 <clen><len><lzf bytes>
 *   ms time   8 bytes little endian (signed)
 *   double    8 bytes IEEE 754 little endian (RDB >= 8), or the old
 *             <u8 len><ascii> form (253 nan, 254 +inf, 255 -inf)
 *
 * RdbWriter appends to a growing buffer; RdbReader reads a bounded slice and
 * throws RdbError on anything malformed or short (never reads past its end).
 */
import { lzfCompress, lzfDecompress } from './lzf.js';
import { i64, type I64 } from '../stream/id.js';

export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

/** A malformed or truncated RDB input. The message says what and is meant for logs. */
export class RdbError extends Error {}

const U64_MAX = 0xffffffffffffffffn;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/**
 * Parses a strictly canonical signed 64-bit decimal (Redis's string2ll /
 * lpStringToInt64): no sign other than a leading '-', no leading zeros, no
 * "-0", no spaces. Returns null when the bytes are not such a number.
 */
export function parseCanonicalInt(b: Uint8Array, start = 0, end = b.length): number | bigint | null {
  const n = end - start;
  if (n === 0 || n > 20) return null;
  let p = start;
  let neg = false;
  if (b[p] === 0x2d) {
    neg = true;
    p++;
    if (p === end) return null;
  }
  const c0 = b[p];
  if (c0 === 0x30) return n === 1 ? 0 : null;
  if (c0 < 0x31 || c0 > 0x39) return null;
  if (end - p <= 15) {
    let v = 0;
    for (; p < end; p++) {
      const c = b[p];
      if (c < 0x30 || c > 0x39) return null;
      v = v * 10 + (c - 0x30);
    }
    return neg ? -v : v;
  }
  let v = 0n;
  for (; p < end; p++) {
    const c = b[p];
    if (c < 0x30 || c > 0x39) return null;
    v = v * 10n + BigInt(c - 0x30);
  }
  if (neg) v = -v;
  if (v < I64_MIN || v > I64_MAX) return null;
  return normInt(v);
}

/** A bigint as a number when it is a safe integer. */
export function normInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

export class RdbWriter {
  private buf: Buffer;
  pos = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const nb = Buffer.allocUnsafe(Math.max(this.pos + n, this.buf.length * 2));
    this.buf.copy(nb, 0, 0, this.pos);
    this.buf = nb;
  }

  /** The bytes written so far (a view; copy it if the writer is reused). */
  result(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** Bytes written since `from` (a view). */
  since(from: number): Buffer {
    return this.buf.subarray(from, this.pos);
  }

  /** Forgets everything written (keeps the allocation). */
  reset(): void {
    this.pos = 0;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b & 0xff;
  }

  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** rdbSaveLen: an unsigned length/number up to 2^64-1. */
  len(v: number | bigint): void {
    if (typeof v === 'number') {
      if (v < 0x40) return this.byte(v);
      if (v < 0x4000) {
        this.ensure(2);
        this.buf[this.pos++] = 0x40 | (v >>> 8);
        this.buf[this.pos++] = v & 0xff;
        return;
      }
      if (v <= 0xffffffff) {
        this.ensure(5);
        this.buf[this.pos++] = 0x80;
        this.buf.writeUInt32BE(v, this.pos);
        this.pos += 4;
        return;
      }
      v = BigInt(v);
    }
    if (v < 0n || v > U64_MAX) throw new RangeError(`length ${v} out of range`);
    if (v <= 0xffffffffn) return this.len(Number(v));
    this.ensure(9);
    this.buf[this.pos++] = 0x81;
    this.buf.writeBigUInt64BE(v, this.pos);
    this.pos += 8;
  }

  /** A signed 64-bit value as rdbSaveLen writes it (two's complement: -1 is 2^64-1). */
  lenSigned(v: number | bigint): void {
    const b = BigInt(v);
    this.len(b < 0n ? normU64(BigInt.asUintN(64, b)) : v);
  }

  /** rdbSaveMillisecondTime: signed 64-bit little endian. */
  millis(t: number | bigint): void {
    this.ensure(8);
    let v = typeof t === "number" ? BigInt(Math.trunc(t)) : t;
    // Times are doubles: 2^63 (a TTL at the end of time) is written as LLONG_MAX, as Redis holds it.
    if (v > I64_MAX) v = I64_MAX;
    else if (v < I64_MIN) v = I64_MIN;
    this.buf.writeBigInt64LE(v, this.pos);
    this.pos += 8;
  }

  /** rdbSaveBinaryDoubleValue. */
  binaryDouble(d: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(d, this.pos);
    this.pos += 8;
  }

  /** An integer in the int8/16/32 string encodings, when it fits (returns false otherwise). */
  private encodedInt(v: number): boolean {
    if (v >= -128 && v <= 127) {
      this.ensure(2);
      this.buf[this.pos++] = 0xc0 | RDB_ENC_INT8;
      this.buf[this.pos++] = v & 0xff;
      return true;
    }
    if (v >= -32768 && v <= 32767) {
      this.ensure(3);
      this.buf[this.pos++] = 0xc0 | RDB_ENC_INT16;
      this.buf.writeInt16LE(v, this.pos);
      this.pos += 2;
      return true;
    }
    if (v >= -2147483648 && v <= 2147483647) {
      this.ensure(5);
      this.buf[this.pos++] = 0xc0 | RDB_ENC_INT32;
      this.buf.writeInt32LE(v, this.pos);
      this.pos += 4;
      return true;
    }
    return false;
  }

  /**
   * rdbSaveRawString: an integer encoding when the bytes are a canonical
   * 32-bit integer (11 bytes at most), else LZF when `compress` and it
   * saves at least 4 bytes of a string longer than 20, else verbatim.
   */
  string(s: Uint8Array, compress: boolean): void {
    const n = s.length;
    if (n <= 11) {
      const v = parseCanonicalInt(s);
      if (typeof v === 'number' && this.encodedInt(v)) return;
    }
    if (compress && n > 20) {
      const c = lzfCompress(s, n - 4);
      if (c !== null) {
        this.byte(0xc0 | RDB_ENC_LZF);
        this.len(c.length);
        this.len(n);
        this.raw(c);
        return;
      }
    }
    this.len(n);
    this.raw(s);
  }

  /** rdbSaveLongLongAsStringObject: an int encoding, or the decimal digits verbatim. */
  intString(v: number | bigint): void {
    if (typeof v === 'number' && this.encodedInt(v)) return;
    const digits = Buffer.from(String(v), 'latin1');
    this.len(digits.length);
    this.raw(digits);
  }
}

/** A u64 bigint as a number when safe. */
export function normU64(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

export class RdbReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) throw new RdbError(`Unexpected EOF reading ${what}`);
  }

  byte(what = 'a byte'): number {
    this.need(1, what);
    return this.buf[this.pos++];
  }

  raw(n: number, what = 'raw bytes'): Buffer {
    this.need(n, what);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** rdbLoadLenByRef: { encoded, value }; value is a bigint only above 2^53. */
  lenOrEncoding(what: string): { encoded: boolean; value: number | bigint } {
    const b = this.byte(what);
    const type = b >>> 6;
    if (type === 3) return { encoded: true, value: b & 0x3f };
    if (type === 0) return { encoded: false, value: b & 0x3f };
    if (type === 1) return { encoded: false, value: ((b & 0x3f) << 8) | this.byte(what) };
    if (b === 0x80) {
      this.need(4, what);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return { encoded: false, value: v };
    }
    if (b === 0x81) {
      this.need(8, what);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return { encoded: false, value: normU64(v) };
    }
    throw new RdbError(`Unknown length encoding ${type} in rdbLoadLen() reading ${what}`);
  }

  /** A plain length (u64; bigint above 2^53). */
  lenAny(what: string): number | bigint {
    const r = this.lenOrEncoding(what);
    if (r.encoded) throw new RdbError(`Unexpected string encoding reading ${what}`);
    return r.value;
  }

  /** A plain length that must be a safe integer no greater than `max`. */
  len(what: string, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.lenAny(what);
    if (typeof v !== 'number' || v > max) throw new RdbError(`${what} out of range: ${v}`);
    return v;
  }

  /** A length read as a signed 64-bit value (2^64-1 is -1), as Redis casts it. */
  lenSigned(what: string): number | bigint {
    const v = this.lenAny(what);
    if (typeof v === 'number') return v;
    return normInt(BigInt.asIntN(64, v));
  }

  millis(what: string): number {
    this.need(8, what);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return Number(v);
  }

  /** A key's expire time: int64 ms, exact (a bigint beyond 2^53). */
  millisExact(what: string): I64 {
    this.need(8, what);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return i64(v);
  }

  binaryDouble(what: string): number {
    this.need(8, what);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** rdbLoadDoubleValue (the old ASCII form). */
  asciiDouble(what: string): number {
    const n = this.byte(what);
    if (n === 255) return -Infinity;
    if (n === 254) return Infinity;
    if (n === 253) return NaN;
    const s = this.raw(n, what).toString('latin1');
    const v = Number(s.trim());
    if (Number.isNaN(v) && !/^\s*[-+]?nan/i.test(s)) {
      const f = parseFloat(s);
      if (Number.isNaN(f)) throw new RdbError(`Bad double value reading ${what}`);
      return f;
    }
    return v;
  }

  /** rdbGenericLoadStringObject: the bytes of a string in any of its encodings. */
  string(what: string): Buffer {
    const r = this.lenOrEncoding(what);
    if (!r.encoded) {
      const n = r.value;
      if (typeof n !== 'number') throw new RdbError(`String too long reading ${what}`);
      return this.raw(n, what);
    }
    switch (r.value) {
      case RDB_ENC_INT8: {
        this.need(1, what);
        const v = this.buf.readInt8(this.pos);
        this.pos += 1;
        return Buffer.from(String(v), 'latin1');
      }
      case RDB_ENC_INT16: {
        this.need(2, what);
        const v = this.buf.readInt16LE(this.pos);
        this.pos += 2;
        return Buffer.from(String(v), 'latin1');
      }
      case RDB_ENC_INT32: {
        this.need(4, what);
        const v = this.buf.readInt32LE(this.pos);
        this.pos += 4;
        return Buffer.from(String(v), 'latin1');
      }
      case RDB_ENC_LZF: {
        const clen = this.len(what);
        const len = this.len(what);
        const c = this.raw(clen, what);
        // LZF expands at most ~88x (a 3-byte reference copies up to 264 bytes): refuse absurd lengths before allocating.
        if (len > clen * 90 + 64) throw new RdbError(`Invalid LZF compressed string reading ${what}`);
        const out = lzfDecompress(c, len);
        if (out === null) throw new RdbError(`Invalid LZF compressed string reading ${what}`);
        return out;
      }
      default:
        throw new RdbError(`Unknown RDB string encoding type ${r.value} reading ${what}`);
    }
  }
}
