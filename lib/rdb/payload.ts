/**
 * DUMP / RESTORE payloads (cluster.c createDumpPayload / verifyDumpPayload):
 *
 *   <type byte> <value as in an RDB file> <RDB version: 2 bytes LE> <CRC-64 of everything before: 8 bytes LE>
 */
import type { Value } from '../engine/keyspace.js';
import { crc64 } from './crc64.js';
import { RdbReader, RdbWriter, RdbError } from './encoding.js';
import { readValue, writeTypedValue } from './values.js';
import { DEFAULT_LIMITS, type EncodingLimits } from './limits.js';

/** The RDB format version rivulet writes (Redis 7.4's). */
export const RDB_VERSION = 12;

/** The payload DUMP returns for a value (`limits`: the server's, for quicklist node sizes). */
export function createDumpPayload(v: Value, compress: boolean, version = RDB_VERSION, limits: EncodingLimits = DEFAULT_LIMITS): Buffer {
  const w = new RdbWriter();
  writeTypedValue(w, v, { compress, rdbVersion: version, limits });
  w.byte(version & 0xff);
  w.byte(version >>> 8);
  const crc = crc64(w.result());
  w.raw(crc.bytesLE());
  return Buffer.from(w.result());
}

/** Why a payload was refused: RESTORE answers `version` with the version/checksum error, `format` with "Bad data format". */
export class PayloadError extends Error {
  constructor(
    readonly kind: 'version' | 'format',
    message: string,
  ) {
    super(message);
  }
}

/** The footer check: a version this server reads and a matching CRC. Throws PayloadError('version'). */
export function verifyDumpPayload(p: Buffer): number {
  if (p.length < 10) throw new PayloadError('version', 'payload shorter than its footer');
  const ver = p[p.length - 10] | (p[p.length - 9] << 8);
  if (ver > RDB_VERSION) throw new PayloadError('version', `RDB version ${ver} is newer than ${RDB_VERSION}`);
  if (!crc64(p, 0, p.length - 8).matchesLE(p, p.length - 8)) throw new PayloadError('version', 'CRC mismatch');
  return ver;
}

/**
 * Decodes a payload into a fresh value. Throws PayloadError: 'version' for
 * the footer, 'format' for anything malformed — including bytes left over
 * between the value and the footer (Redis ignores those; they can only come
 * from damage, so rivulet refuses them).
 */
export function parseDumpPayload(p: Buffer, limits: EncodingLimits = DEFAULT_LIMITS): Value {
  verifyDumpPayload(p);
  const r = new RdbReader(p, 0, p.length - 10);
  try {
    const type = r.byte('the type');
    const v = readValue(r, type, limits);
    if (r.remaining !== 0) throw new RdbError(`${r.remaining} bytes after the value`);
    return v;
  } catch (err) {
    if (err instanceof RdbError) throw new PayloadError('format', err.message);
    if (err instanceof RangeError) throw new PayloadError('format', err.message);
    throw err;
  }
}
