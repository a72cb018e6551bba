/**
 * RDB files (rdb.c rdbSaveRio / rdbLoadRioWithLoadingCtx):
 *
 *   "REDIS0012"
 *   AUX (0xFA) <key> <value>         redis-ver, redis-bits, ctime, used-mem, aof-base
 *   FUNCTION2 (0xF5) <library code>  per function library
 *   per database with keys:
 *     SELECTDB (0xFE) <db>  RESIZEDB (0xFB) <keys> <keys with expiry>
 *     per key: [EXPIRETIME_MS (0xFC) <8 bytes LE>] [IDLE (0xF8) <secs>] <type> <key> <value>
 *   EOF (0xFF) <CRC-64 of everything before, 8 bytes LE; 0 when rdbchecksum is off>
 *
 * The writer is a generator of chunks so a background save can yield
 * between keys; the reader works on a whole Buffer and stops at EOF+CRC,
 * returning where it stopped (an AOF base with an RDB preamble continues
 * with RESP commands there).
 */
import type { Value } from '../engine/keyspace.js';
import { Crc64 } from './crc64.js';
import { RdbReader, RdbWriter, RdbError } from './encoding.js';
import { readValue, rdbTypeOf, writeValue, isReadableType, type WriteOptions } from './values.js';
import { RDB_VERSION } from './payload.js';
import type { I64 } from '../stream/id.js';
import type { EncodingLimits } from './limits.js';

export const OP_FUNCTION2 = 245;
export const OP_FUNCTION_PRE_GA = 246;
export const OP_MODULE_AUX = 247;
export const OP_IDLE = 248;
export const OP_FREQ = 249;
export const OP_AUX = 250;
export const OP_RESIZEDB = 251;
export const OP_EXPIRETIME_MS = 252;
export const OP_EXPIRETIME = 253;
export const OP_SELECTDB = 254;
export const OP_EOF = 255;
export const OP_SLOT_INFO = 244;

/** What the writer needs of one database: its keys with values, expiries and idle times. */
export interface RdbDb {
  id: number;
  keys: string[];
  values: Value[];
  expires: (I64 | undefined)[];
  /** Idle milliseconds per key (written as IDLE seconds when `lru`). */
  idle?: number[];
}

export interface RdbWriteOptions {
  compress: boolean;
  checksum: boolean;
  redisVersion: string;
  /** aof-base aux field: 1 for the preamble of an AOF base file. */
  aofBase: boolean;
  /** Write IDLE opcodes (maxmemory-policy is an LRU one, as Redis does). */
  lru: boolean;
  usedMem: number;
  /** Unix seconds for the ctime aux field. */
  ctime: number;
  /** The RDB version to write (default 12; 10 makes a file Redis 7.0 loads, for what 7.0 has). */
  rdbVersion?: number;
  /** The server's encoding limits (quicklist node sizes); Redis's defaults when absent. */
  limits?: EncodingLimits;
  /** Function library codes, written before the keys as RDB_OPCODE_FUNCTION2 records (as rdbSaveFunctions). */
  functions?: Buffer[];
}

/** Yields the file in chunks of roughly `chunkBytes` (at least one key each). */
export function* writeRdb(dbs: RdbDb[], o: RdbWriteOptions, chunkBytes = 1 << 20): Generator<Buffer> {
  const crc = new Crc64();
  const w = new RdbWriter(Math.min(chunkBytes * 2, 1 << 22));
  const flush = (): Buffer => {
    const out = Buffer.from(w.result());
    if (o.checksum) crc.update(out);
    w.reset();
    return out;
  };
  const version = o.rdbVersion ?? RDB_VERSION;
  w.raw(Buffer.from(`REDIS${String(version).padStart(4, '0')}`, 'latin1'));
  const aux = (k: string, v: string): void => {
    w.byte(OP_AUX);
    w.string(Buffer.from(k, 'latin1'), o.compress);
    w.string(Buffer.from(v, 'latin1'), o.compress);
  };
  aux('redis-ver', o.redisVersion);
  aux('redis-bits', '64');
  aux('ctime', String(o.ctime));
  aux('used-mem', String(o.usedMem));
  aux('aof-base', o.aofBase ? '1' : '0');
  for (const code of o.functions ?? []) {
    w.byte(OP_FUNCTION2);
    w.string(code, o.compress);
  }
  const vopts: WriteOptions = { compress: o.compress, rdbVersion: version, limits: o.limits };
  for (const db of dbs) {
    if (db.keys.length === 0) continue;
    w.byte(OP_SELECTDB);
    w.len(db.id);
    w.byte(OP_RESIZEDB);
    w.len(db.keys.length);
    let volatile = 0;
    for (const e of db.expires) if (e !== undefined) volatile++;
    w.len(volatile);
    for (let i = 0; i < db.keys.length; i++) {
      const at = db.expires[i];
      if (at !== undefined) {
        w.byte(OP_EXPIRETIME_MS);
        w.millis(at);
      }
      if (o.lru && db.idle) {
        w.byte(OP_IDLE);
        w.len(Math.floor(db.idle[i] / 1000));
      }
      const v = db.values[i];
      // Type byte, key, value (rdbSaveKeyValuePair).
      w.byte(rdbTypeOf(v, vopts));
      w.string(Buffer.from(db.keys[i], 'latin1'), o.compress);
      writeValue(w, v, vopts);
      if (w.pos >= chunkBytes) yield flush();
    }
  }
  w.byte(OP_EOF);
  const last = flush();
  const tail = o.checksum ? crc.bytesLE() : Buffer.alloc(8); // flush() already fed `last` to the CRC
  yield Buffer.concat([last, tail]);
}

export interface LoadedKey {
  db: number;
  key: string;
  value: Value;
  /** Unix ms, exact (a bigint beyond 2^53). */
  expireAt: I64 | undefined;
  idleSecs: number | undefined;
}

export interface RdbLoadOptions {
  /** Verify the CRC (rdbchecksum yes); a stored 0 means "saved without checksum" and is never checked. */
  checksum: boolean;
  /** Number of databases: a SELECTDB beyond it is an error. */
  databases: number;
  /** Called per key in file order. */
  onKey: (k: LoadedKey) => void;
  /** Called for AUX fields (informational), with the opcode's offset. */
  onAux?: (key: string, value: string, at: number) => void;
  /** Called for SELECTDB, with the opcode's offset. */
  onSelectDb?: (db: number, at: number) => void;
  /** Told about content rivulet skips. */
  onWarning?: (msg: string) => void;
  /** Called with each function library's code (RDB_OPCODE_FUNCTION2); without it they are skipped with a warning. */
  onFunction?: (code: Buffer, at: number) => void;
  /** The loading server's encoding limits (they pick each value's encoding); Redis's defaults when absent. */
  limits?: EncodingLimits;
}

export interface RdbLoadResult {
  version: number;
  /** Offset just after the EOF opcode and checksum. */
  end: number;
  keys: number;
}

/** Does this buffer start like an RDB file? */
export function looksLikeRdb(buf: Buffer): boolean {
  return buf.length >= 5 && buf.toString('latin1', 0, 5) === 'REDIS';
}

/**
 * Parses an RDB file image, handing each key to onKey. Throws RdbError for
 * anything malformed (with what and where), a CRC mismatch, an unsupported
 * version or module data.
 */
export function readRdb(buf: Buffer, o: RdbLoadOptions): RdbLoadResult {
  const r = new RdbReader(buf);
  const magic = r.raw(9, 'the RDB header').toString('latin1');
  if (!magic.startsWith('REDIS')) throw new RdbError('Wrong signature trying to load DB from file');
  const version = Number(magic.slice(5));
  if (!/^\d{4}$/.test(magic.slice(5)) || version < 1 || version > RDB_VERSION) throw new RdbError(`Can't handle RDB format version ${magic.slice(5)}`);
  let db = 0;
  let expireAt: I64 | undefined;
  let idle: number | undefined;
  let keys = 0;
  for (;;) {
    const at = r.pos;
    const type = r.byte('an opcode');
    try {
      if (type === OP_EXPIRETIME) {
        expireAt = r.raw(4, 'an expire time').readInt32LE(0) * 1000;
        continue;
      }
      if (type === OP_EXPIRETIME_MS) {
        expireAt = r.millisExact('an expire time');
        continue;
      }
      if (type === OP_FREQ) {
        r.byte('a LFU frequency');
        continue;
      }
      if (type === OP_IDLE) {
        idle = Number(r.lenAny('an idle time'));
        continue;
      }
      if (type === OP_EOF) break;
      if (type === OP_SELECTDB) {
        const n = r.lenAny('a database number');
        if (typeof n !== 'number' || n >= o.databases) throw new RdbError(`Data file was created with a Redis server configured to handle more than ${o.databases} databases`);
        db = n;
        o.onSelectDb?.(n, at);
        continue;
      }
      if (type === OP_RESIZEDB) {
        r.lenAny('a db size');
        r.lenAny('an expires size');
        continue;
      }
      if (type === OP_SLOT_INFO) {
        r.lenAny('a slot');
        r.lenAny('a slot size');
        r.lenAny('a slot expires size');
        continue;
      }
      if (type === OP_AUX) {
        const k = r.string('an AUX key').toString('latin1');
        const v = r.string('an AUX value').toString('latin1');
        o.onAux?.(k, v, at);
        continue;
      }
      if (type === OP_MODULE_AUX) throw new RdbError('The RDB file contains AUX module data rivulet cannot load');
      if (type === OP_FUNCTION2) {
        const code = Buffer.from(r.string('a function library'));
        if (o.onFunction) o.onFunction(code, at);
        else o.onWarning?.('The RDB file contains a function library, which was skipped');
        continue;
      }
      if (type === OP_FUNCTION_PRE_GA) throw new RdbError('Pre-release function format not supported');
      if (!isReadableType(type)) throw new RdbError(`Unknown RDB encoding type ${type}`);
      const key = r.string('a key').toString('latin1');
      const value = readValue(r, type, o.limits);
      o.onKey({ db, key, value, expireAt, idleSecs: idle });
      keys++;
      expireAt = undefined;
      idle = undefined;
    } catch (err) {
      if (err instanceof RdbError && !/ at offset \d+$/.test(err.message)) throw new RdbError(`${err.message} at offset ${at}`);
      throw err;
    }
  }
  if (version >= 5) {
    const stored = r.raw(8, 'the checksum');
    if (o.checksum && !stored.equals(Buffer.alloc(8))) {
      const c = new Crc64().update(buf, 0, r.pos - 8);
      if (!c.matchesLE(buf, r.pos - 8)) throw new RdbError('RDB CRC error');
    }
  }
  return { version, end: r.pos, keys };
}
