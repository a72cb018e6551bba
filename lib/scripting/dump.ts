/**
 * FUNCTION DUMP / RESTORE payloads in Redis's format (functions.c,
 * rdb.c): for each library RDB_OPCODE_FUNCTION2 (245) and its code as an RDB
 * string (length-prefixed; rivulet writes them uncompressed and reads
 * uncompressed or LZF-compressed ones, as Redis writes them), then the RDB version as 2 bytes little-endian and
 * the CRC64 (Jones polynomial, reflected) of all preceding bytes, 8 bytes
 * little-endian — the footer DUMP/RESTORE use for keys.
 */

import { crc64 } from '../rdb/crc64.js';
import { lzfDecompress } from '../rdb/lzf.js';

const RDB_OPCODE_FUNCTION2 = 245;
/** The RDB format version of Redis 7.4 (Redis refuses payloads newer than its own). */
const RDB_VERSION = 12;

function rdbLen(n: number): Buffer {
  if (n < 64) return Buffer.from([n]);
  if (n < 16384) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 0x80;
  b.writeUInt32BE(n, 1);
  return b;
}

export function encodeFunctionsDump(codes: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const c of codes) parts.push(Buffer.from([RDB_OPCODE_FUNCTION2]), rdbLen(c.length), c);
  const ver = Buffer.alloc(2);
  ver.writeUInt16LE(RDB_VERSION);
  parts.push(ver);
  const body = Buffer.concat(parts);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(body).value());
  return Buffer.concat([body, crc]);
}

/** The library codes of a payload, or null if its footer (version, checksum) or framing is wrong. */
export function decodeFunctionsDump(p: Buffer): Buffer[] | null {
  if (p.length < 10) return null;
  const footer = p.length - 10;
  const ver = p.readUInt16LE(footer);
  if (ver > RDB_VERSION) return null;
  if (!crc64(p, 0, p.length - 8).matchesLE(p, p.length - 8)) return null;
  const codes: Buffer[] = [];
  const pos = { i: 0 };
  const len = (): number | null => {
    const i = pos.i;
    const t = p[i] >> 6;
    if (t === 0) {
      pos.i += 1;
      return p[i] & 0x3f;
    }
    if (t === 1) {
      pos.i += 2;
      return ((p[i] & 0x3f) << 8) | p[i + 1];
    }
    if (p[i] === 0x80) {
      pos.i += 5;
      return p.readUInt32BE(i + 1);
    }
    return null;
  };
  while (pos.i < footer) {
    if (p[pos.i] !== RDB_OPCODE_FUNCTION2) return null;
    pos.i++;
    if (p[pos.i] === 0xc3) {
      // RDB_ENC_LZF: compressed length, original length, data.
      pos.i++;
      const clen = len();
      const ulen = len();
      if (clen === null || ulen === null || pos.i + clen > footer) return null;
      const out = lzfDecompress(p.subarray(pos.i, pos.i + clen), ulen);
      if (out === null) return null;
      codes.push(out);
      pos.i += clen;
      continue;
    }
    const n = len();
    if (n === null || pos.i + n > footer) return null;
    codes.push(p.subarray(pos.i, pos.i + n));
    pos.i += n;
  }
  return codes;
}
