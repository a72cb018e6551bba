/**
 * FUNCTION DUMP / RESTORE payloads in Redis's format (functions.c,
 * rdb.c): for each library RDB_OPCODE_FUNCTION2 (245) and its code as an RDB
 * string (length-prefixed; rivulet writes them uncompressed and reads
 * uncompressed or LZF-compressed ones, as Redis writes them), then the RDB version as 2 bytes little-endian and
 * the CRC64 (Jones polynomial, reflected) of all preceding bytes, 8 bytes
 * little-endian — the footer DUMP/RESTORE use for keys.
 */

const RDB_OPCODE_FUNCTION2 = 245;
/** The RDB format version of Redis 7.4 (Redis refuses payloads newer than its own). */
const RDB_VERSION = 12;

let table: BigUint64Array | null = null;
function crcTable(): BigUint64Array {
  if (table) return table;
  table = new BigUint64Array(256);
  const poly = 0x95ac9329ac4bc9b5n;
  for (let i = 0; i < 256; i++) {
    let crc = BigInt(i);
    for (let j = 0; j < 8; j++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
    table[i] = crc;
  }
  return table;
}

/** CRC-64/Jones as Redis's crc64(0, ...). */
export function crc64(b: Buffer): bigint {
  const t = crcTable();
  let crc = 0n;
  for (let i = 0; i < b.length; i++) crc = t[Number((crc ^ BigInt(b[i])) & 0xffn)] ^ (crc >> 8n);
  return crc;
}

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
  crc.writeBigUInt64LE(crc64(body));
  return Buffer.concat([body, crc]);
}

/** The library codes of a payload, or null if its footer (version, checksum) or framing is wrong. */
export function decodeFunctionsDump(p: Buffer): Buffer[] | null {
  if (p.length < 10) return null;
  const footer = p.length - 10;
  const ver = p.readUInt16LE(footer);
  if (ver > RDB_VERSION) return null;
  if (crc64(p.subarray(0, p.length - 8)) !== p.readBigUInt64LE(p.length - 8)) return null;
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

/** LZF decompression (the format of Redis's lzf_d.c); null on a malformed input. */
export function lzfDecompress(src: Buffer, outLen: number): Buffer | null {
  const out = Buffer.alloc(outLen);
  let ip = 0;
  let op = 0;
  while (ip < src.length) {
    const ctrl = src[ip++];
    if (ctrl < 32) {
      const n = ctrl + 1;
      if (op + n > outLen || ip + n > src.length) return null;
      src.copy(out, op, ip, ip + n);
      ip += n;
      op += n;
    } else {
      let n = ctrl >> 5;
      if (n === 7) n += src[ip++];
      const ref = op - ((ctrl & 0x1f) << 8) - 1 - src[ip++];
      n += 2;
      if (ref < 0 || op + n > outLen) return null;
      for (let k = 0; k < n; k++) out[op++] = out[ref + k];
    }
  }
  return op === outLen ? out : null;
}
