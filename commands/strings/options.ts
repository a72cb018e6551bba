/**
 * The option grammar SET and GETEX share (Redis's
 * parseExtendedStringArgumentsOrReply), and the expire-time rules both apply.
 *
 * Options are matched case-insensitively; repeating an option is allowed,
 * conflicting ones (NX with XX, two different expiry forms, KEEPTTL or
 * PERSIST with an expiry) are a syntax error.
 */
import * as E from '../../lib/errors.js';
import { parseInt64, word } from '../../lib/args.js';
import { i64, type I64 } from '../../lib/stream/id.js';

export const NX = 1;
export const XX = 2;
export const GET = 4;
export const KEEPTTL = 8;
export const PERSIST = 16;
export const EX = 32;
export const PX = 64;
export const EXAT = 128;
export const PXAT = 256;
const ANY_EXPIRY = EX | PX | EXAT | PXAT;

export interface StringOptions {
  flags: number;
  /** The argument given to EX/PX/EXAT/PXAT, if any. */
  expire: Buffer | null;
}

/** Parses options from argv[start]; `forSet` selects SET's options, otherwise GETEX's. */
export function parseStringOptions(argv: Buffer[], start: number, forSet: boolean): StringOptions {
  let flags = 0;
  let expire: Buffer | null = null;
  for (let i = start; i < argv.length; i++) {
    const w = word(argv[i]);
    const hasNext = i + 1 < argv.length;
    let expiryFlag = 0;
    if (w === 'nx' && forSet && !(flags & XX)) flags |= NX;
    else if (w === 'xx' && forSet && !(flags & NX)) flags |= XX;
    else if (w === 'get' && forSet) flags |= GET;
    else if (w === 'keepttl' && forSet && !(flags & (PERSIST | ANY_EXPIRY))) flags |= KEEPTTL;
    else if (w === 'persist' && !forSet && !(flags & (ANY_EXPIRY | KEEPTTL))) flags |= PERSIST;
    else if (w === 'ex') expiryFlag = EX;
    else if (w === 'px') expiryFlag = PX;
    else if (w === 'exat') expiryFlag = EXAT;
    else if (w === 'pxat') expiryFlag = PXAT;
    else throw E.SYNTAX;
    if (expiryFlag !== 0) {
      // The same expiry form may repeat (the last wins); a different one may not.
      if (!hasNext || flags & (KEEPTTL | PERSIST | (ANY_EXPIRY & ~expiryFlag))) throw E.SYNTAX;
      flags |= expiryFlag;
      expire = argv[++i];
    }
  }
  return { flags, expire };
}

const INT64_MAX = 9223372036854775807n;

/**
 * The absolute expiry in unix ms for an EX/PX/EXAT/PXAT argument: an integer
 * > 0 (else `invalid expire time in '<command>' command`), made absolute for
 * EX/PX, still > 0 and within 64 bits.
 */
export function expireAtMs(arg: Buffer, flags: number, now: number, command: string): I64 {
  const raw = parseInt64(arg);
  if (raw === null) throw E.NOT_INTEGER;
  let ms = BigInt(raw);
  const seconds = (flags & (EX | EXAT)) !== 0;
  if (ms <= 0n || (seconds && ms > INT64_MAX / 1000n)) throw E.INVALID_EXPIRE(command);
  if (seconds) ms *= 1000n;
  if (flags & (EX | PX)) {
    if (ms > INT64_MAX - BigInt(now)) throw E.INVALID_EXPIRE(command);
    ms += BigInt(now);
  }
  // Exact beyond 2^53 (a bigint), as Redis's int64.
  return i64(ms);
}
