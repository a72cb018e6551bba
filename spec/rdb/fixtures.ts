/**
 * Hand-built RDB payloads for specs: Redis 6.x-style ziplists written from
 * the format description (ziplist.c), raw RDB strings, and payload footers
 * with a correct CRC, so damaged or old-format bodies reach the decoder.
 */
import { crc64 } from '../../lib/rdb/crc64.js';
import { RdbWriter } from '../../lib/rdb/encoding.js';
import { RDB_VERSION } from '../../lib/rdb/payload.js';

/** A payload with the given body and version, with a correct CRC (so it reaches the decoder). */
export function withFooter(b: Buffer, version = RDB_VERSION): Buffer {
  const head = Buffer.concat([b, Buffer.from([version & 0xff, version >> 8])]);
  return Buffer.concat([head, crc64(head).bytesLE()]);
}

/** An RDB string of raw bytes (length-prefixed, no integer or LZF encoding). */
export function rdbString(b: Buffer): Buffer {
  const w = new RdbWriter();
  w.len(b.length);
  w.raw(b);
  return Buffer.from(w.result());
}

/** A payload of a type byte and a value body, with a correct footer. */
export function payloadOf(type: number, value: Buffer, version: number): Buffer {
  return withFooter(Buffer.concat([Buffer.from([type]), value]), version);
}

/**
 * A ziplist as Redis < 7 builds it (ziplistPush at the tail), written here
 * from the format description so that both servers can be fed 6.x-style
 * payloads: canonical integers as the smallest integer encoding.
 */
export function ziplist(items: string[]): Buffer {
  const entries: Buffer[] = [];
  let prev = 0;
  let tail = 10;
  let off = 10;
  for (const it of items) {
    let enc: Buffer;
    const isInt = /^(0|-?[1-9][0-9]*)$/.test(it) && it.length <= 20 && BigInt(it) >= -(2n ** 63n) && BigInt(it) < 2n ** 63n;
    if (isInt) {
      const v = BigInt(it);
      if (v >= 0n && v <= 12n) enc = Buffer.from([0xf1 + Number(v)]);
      else if (v >= -128n && v <= 127n) enc = Buffer.from([0xfe, Number(v) & 0xff]);
      else if (v >= -32768n && v <= 32767n) {
        enc = Buffer.alloc(3);
        enc[0] = 0xc0;
        enc.writeInt16LE(Number(v), 1);
      } else if (v >= -(2n ** 23n) && v < 2n ** 23n) {
        enc = Buffer.alloc(4);
        enc[0] = 0xf0;
        enc.writeIntLE(Number(v), 1, 3);
      } else if (v >= -(2n ** 31n) && v < 2n ** 31n) {
        enc = Buffer.alloc(5);
        enc[0] = 0xd0;
        enc.writeInt32LE(Number(v), 1);
      } else {
        enc = Buffer.alloc(9);
        enc[0] = 0xe0;
        enc.writeBigInt64LE(v, 1);
      }
    } else {
      const d = Buffer.from(it, 'latin1');
      if (d.length <= 63) enc = Buffer.concat([Buffer.from([d.length]), d]);
      else if (d.length <= 16383) enc = Buffer.concat([Buffer.from([0x40 | (d.length >> 8), d.length & 0xff]), d]);
      else {
        const h = Buffer.alloc(5);
        h[0] = 0x80;
        h.writeUInt32BE(d.length, 1);
        enc = Buffer.concat([h, d]);
      }
    }
    let pl: Buffer;
    if (prev < 254) pl = Buffer.from([prev]);
    else {
      pl = Buffer.alloc(5);
      pl[0] = 0xfe;
      pl.writeUInt32LE(prev, 1);
    }
    const e = Buffer.concat([pl, enc]);
    tail = off;
    off += e.length;
    prev = e.length;
    entries.push(e);
  }
  const total = off + 1;
  const h = Buffer.alloc(10);
  h.writeUInt32LE(total, 0);
  h.writeUInt32LE(tail, 4);
  h.writeUInt16LE(items.length, 8);
  return Buffer.concat([h, ...entries, Buffer.from([0xff])]);
}

