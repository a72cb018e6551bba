/**
 * CRC-64 as Redis computes it (crc64.c): the Jones polynomial, reflected
 * (0x95ac9329ac4bc9b5), initial value 0, no final xor. crc64("123456789")
 * is 0xe9c6d914c4b8d9ca. Used by DUMP payloads and RDB files.
 *
 * The 64-bit register is kept as two unsigned 32-bit halves (no BigInt on the
 * hot path); a byte-at-a-time table of 256 entries per half.
 */

const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

const T_HI = new Uint32Array(256);
const T_LO = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let hi = 0;
  let lo = n;
  for (let k = 0; k < 8; k++) {
    const lsb = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (lsb) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  T_HI[n] = hi;
  T_LO[n] = lo;
}

/** A running CRC-64: feed bytes with update(), read with value()/bytesLE(). */
export class Crc64 {
  hi = 0;
  lo = 0;

  update(buf: Uint8Array, start = 0, end = buf.length): this {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = start; i < end; i++) {
      const idx = (lo ^ buf[i]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ T_LO[idx];
      hi = (hi >>> 8) ^ T_HI[idx];
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** The 8 bytes as Redis writes them (little endian). */
  bytesLE(): Buffer {
    const b = Buffer.allocUnsafe(8);
    b.writeUInt32LE(this.lo, 0);
    b.writeUInt32LE(this.hi, 4);
    return b;
  }

  /** True when the 8 little-endian bytes at buf[off] equal this CRC. */
  matchesLE(buf: Uint8Array, off: number): boolean {
    const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    return b.readUInt32LE(off) === this.lo && b.readUInt32LE(off + 4) === this.hi;
  }
}

/** CRC-64 of buf[start, end). */
export function crc64(buf: Uint8Array, start = 0, end = buf.length): Crc64 {
  return new Crc64().update(buf, start, end);
}
