/**
 * The stream command grammars, one parser each, shared by every command that
 * uses them:
 *
 * - stream IDs as arguments: strict (`XDEL`, `XSETID`, `MINID`, XREAD IDs),
 *   XADD's (`ms-seq`, `ms-*`), and range bounds (`-`, `+`, `ms`, `(ms-seq`);
 * - trim options `[KEEPREF|DELREF|ACKED] MAXLEN|MINID [=|~] threshold [LIMIT count]`
 *   (XADD, XTRIM; the reference policies are Redis 8.2's);
 * - the `IDS numids id [id ...]` block (XDELEX, XACKDEL, XNACK: Redis 8.2/8.8);
 * - read options `[COUNT n] [MAXCOUNT n] [MAXSIZE bytes] [BLOCK ms] [CLAIM min-idle] [NOACK] [GROUP g c]
 *   STREAMS key... id...` (MAXCOUNT/MAXSIZE: Redis 8.10)
 *   (XREAD, XREADGROUP; CLAIM is XREADGROUP's, Redis 8.4) and the special read IDs `$`, `+`, `>`.
 *
 * Every parser throws a ReplyError with Redis's exact text and mutates
 * nothing. The numbers are read the way Redis reads them, quirks included:
 * an ID half is parsed by string2ull (strict string2ll first, then C's
 * strtoull, which accepts leading blanks, a sign and leading zeros — so
 * `1--1` is `1-18446744073709551615` in Redis, and here), and C-string
 * comparisons stop at the first NUL byte.
 */
import * as E from '../../lib/errors.js';
import { packedOf, packedWithHead } from '../../lib/resp/packed.js';
import { parseInt64 } from '../../lib/args.js';
import { type StreamId, type U64, U64_MAX, nextId, prevId, u64 } from '../../lib/stream/id.js';
import { type TrimSpec, TrimStrategy, RefPolicy } from '../../lib/stream/stream.js';

// ---------------------------------------------------------------------------
// C-string helpers

/** The argument as C code sees it: latin1 text up to the first NUL byte. */
export function cstr(b: Buffer): string {
  const nul = b.indexOf(0);
  return (nul === -1 ? b : b.subarray(0, nul)).toString('latin1');
}

/** strcasecmp(arg, kw) === 0 for a lower-case keyword (C-string comparison: stops at a NUL byte). */
export function isKw(b: Buffer, kw: string): boolean {
  const n = kw.length;
  if (b.length < n || (b.length > n && b[n] !== 0)) return false;
  // Compared byte by byte, ASCII letters folded to lower case (no string is built).
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if ((c >= 65 && c <= 90 ? c | 0x20 : c) !== kw.charCodeAt(i)) return false;
  }
  return true;
}

/** Is the argument exactly the one-character token `ch` (as `p[0]==ch && p[1]=='\0'`)? */
function isChar(b: Buffer, code: number): boolean {
  return b.length >= 1 && b[0] === code && (b.length === 1 || b[1] === 0);
}

const CH_STAR = 42;
const CH_PLUS = 43;
const CH_MINUS = 45;
const CH_EQ = 61;
const CH_TILDE = 126;

// ---------------------------------------------------------------------------
// Numbers

const TWO64 = 18446744073709551616n;

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Redis's string2ull: a strict signed 64-bit integer (no sign games, no
 * leading zeros) that must not be negative; failing that, C's strtoull in
 * base 10 over the whole string (leading blanks, `+`/`-`, leading zeros; a
 * `-` negates modulo 2^64; overflow is an error). Returns null when invalid.
 */
export function parseULL(s: string): U64 | null {
  const strict = parseInt64(s);
  if (strict !== null) return strict < 0 ? null : strict;
  const n = s.length;
  let i = 0;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (i < n && (s.charCodeAt(i) === CH_PLUS || s.charCodeAt(i) === CH_MINUS)) {
    neg = s.charCodeAt(i) === CH_MINUS;
    i++;
  }
  const start = i;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    i++;
  }
  if (i === start) return null;
  let v = BigInt(s.slice(start));
  if (v > U64_MAX) return null; // ERANGE
  if (neg && v !== 0n) v = TWO64 - v;
  return u64(v);
}

// ---------------------------------------------------------------------------
// Stream IDs

export interface ParsedId {
  id: StreamId;
  /** False for XADD's `ms-*` form (sequence to be chosen by the server). */
  seqGiven: boolean;
}

/**
 * Redis's streamGenericParseIDOrReply. `strict` refuses `-` and `+`;
 * `allowSeqStar` accepts `ms-*` (XADD). Missing sequence → `missingSeq`.
 * Returns null when invalid. O(length).
 */
export function parseStreamId(b: Buffer, missingSeq: U64, strict: boolean, allowSeqStar: boolean): ParsedId | null {
  if (b.length > 127) return null;
  const plain = plainId(b, missingSeq);
  if (plain !== null) return { id: plain, seqGiven: true };
  const s = cstr(b);
  if (s === '-' || s === '+') {
    if (strict) return null;
    return { id: s === '-' ? { ms: 0, seq: 0 } : { ms: U64_MAX, seq: U64_MAX }, seqGiven: true };
  }
  const dash = s.indexOf('-');
  const ms = parseULL(dash === -1 ? s : s.slice(0, dash));
  if (ms === null) return null;
  if (dash === -1) return { id: { ms, seq: missingSeq }, seqGiven: true };
  const rest = s.slice(dash + 1);
  if (allowSeqStar && rest === '*') return { id: { ms, seq: 0 }, seqGiven: false };
  const seq = parseULL(rest);
  if (seq === null) return null;
  return { id: { ms, seq }, seqGiven: true };
}

/**
 * parseStreamId's fast path for the usual shapes, `<ms>` and `<ms>-<seq>` with
 * each half 1 to 15 plain digits (always a safe integer; leading zeros mean
 * what strtoull makes of them), read from the bytes without building a
 * string. Returns null for any other shape, which the full parser handles.
 */
function plainId(b: Buffer, missingSeq: U64): StreamId | null {
  const n = b.length;
  let i = 0;
  let ms = 0;
  for (; i < n && i < 16; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) break;
    ms = ms * 10 + d;
  }
  if (i === 0 || i > 15) return null;
  if (i === n) return { ms, seq: missingSeq };
  if (b[i] !== CH_MINUS) return null;
  const from = ++i;
  let seq = 0;
  for (; i < n && i - from < 16; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return null;
    seq = seq * 10 + d;
  }
  if (i !== n || i === from || i - from > 15) return null;
  return { ms, seq };
}

/** A strict ID argument (no `-`/`+`); missing sequence → `missingSeq`. Throws "Invalid stream ID". */
export function strictIdArg(b: Buffer, missingSeq: U64 = 0): StreamId {
  // The usual shape first, with no ParsedId wrapper (XACK parses a hundred of these per call).
  const plain = plainId(b, missingSeq);
  if (plain !== null) return plain;
  const p = parseStreamId(b, missingSeq, true, false);
  if (p === null) throw E.INVALID_STREAM_ID;
  return p.id;
}

/** An ID argument where `-` and `+` mean the smallest and largest ID (XGROUP SETID). */
export function idArg(b: Buffer, missingSeq: U64 = 0): StreamId {
  const p = parseStreamId(b, missingSeq, false, false);
  if (p === null) throw E.INVALID_STREAM_ID;
  return p.id;
}

/** XADD's ID argument: explicit `ms-seq`, `ms` (seq 0) or `ms-*`. Throws "Invalid stream ID". */
export function xaddIdArg(b: Buffer): ParsedId {
  const p = parseStreamId(b, 0, true, true);
  if (p === null) throw E.INVALID_STREAM_ID;
  return p;
}

/**
 * One bound of an interval (XRANGE, XREVRANGE, XPENDING, XAUTOCLAIM):
 * `-`, `+`, `ms` (seq 0 for a start, 2^64-1 for an end), `ms-seq`, or
 * `(ms[-seq]` for an exclusive bound (strict: `(-` and `(+` are invalid).
 * Returns the inclusive ID. Throws "Invalid stream ID", or "invalid start/end
 * ID for the interval" when an exclusive bound has no successor/predecessor.
 */
export function rangeStartArg(b: Buffer): StreamId {
  return rangeBound(b, true);
}

export function rangeEndArg(b: Buffer): StreamId {
  return rangeBound(b, false);
}

function rangeBound(b: Buffer, isStart: boolean): StreamId {
  const missing: U64 = isStart ? 0 : U64_MAX;
  const exclusive = b.length > 1 && b[0] === 40; /* '(' */
  if (!exclusive) {
    const p = parseStreamId(b, missing, false, false);
    if (p === null) throw E.INVALID_STREAM_ID;
    return p.id;
  }
  const p = parseStreamId(b.subarray(1), missing, true, false);
  if (p === null) throw E.INVALID_STREAM_ID;
  const moved = isStart ? nextId(p.id) : prevId(p.id);
  if (moved === null) throw isStart ? E.INVALID_START_ID : E.INVALID_END_ID;
  return moved;
}

// ---------------------------------------------------------------------------
// Trim options (XADD, XTRIM)


/** The policy a KEEPREF/DELREF/ACKED token names, or null when the argument is none of them. */
export function refPolicyArg(b: Buffer): RefPolicy | null {
  if (isKw(b, 'keepref')) return RefPolicy.KeepRef;
  if (isKw(b, 'delref')) return RefPolicy.DelRef;
  if (isKw(b, 'acked')) return RefPolicy.Acked;
  return null;
}

/**
 * `IDS numids id [id ...]` at argv[at] (argv[at] is the IDS token): the IDs
 * (strict, missing sequence 0) and the index after the block. numids must be
 * a positive integer ("Number of IDs must be a positive integer") not larger
 * than the arguments left ("The `numids` parameter must match ..."); callers
 * that allow nothing after the block check `next === argv.length` themselves.
 */
export function idsBlockArg(
  argv: Buffer[],
  at: number,
  mismatch: E.ReplyError = E.NUMIDS_MISMATCH,
  notPositive: E.ReplyError = E.NUMIDS_NOT_POSITIVE,
): { ids: StreamId[]; next: number } {
  const span = idsBlockSpan(argv, at, mismatch, notPositive);
  return { ids: strictIdArgs(argv, span.first, span.n), next: span.first + span.n };
}

/** As idsBlockArg, without reading the IDs: where they start and how many (Redis parses them later). */
export function idsBlockSpan(
  argv: Buffer[],
  at: number,
  mismatch: E.ReplyError = E.NUMIDS_MISMATCH,
  notPositive: E.ReplyError = E.NUMIDS_NOT_POSITIVE,
): { first: number; n: number } {
  if (at + 1 >= argv.length) throw E.SYNTAX;
  const v = parseInt64(argv[at + 1]);
  if (v === null || v <= 0) throw notPositive;
  const first = at + 2;
  if (BigInt(v) > BigInt(argv.length - first)) throw mismatch;
  return { first, n: Number(v) };
}

/** argv[first .. first+n) as strict IDs (missing sequence 0); throws at the first bad one. */
export function strictIdArgs(argv: Buffer[], first: number, n: number): StreamId[] {
  const ids = new Array<StreamId>(n);
  for (let i = 0; i < n; i++) ids[i] = strictIdArg(argv[first + i]);
  return ids;
}

/** XADD/XTRIM options: the trim (TrimSpec) plus where each option sat in argv, and XADD's own. */
export interface AddTrimArgs extends TrimSpec {
  /** argv index of the threshold (its `~`/`=` if any is just before it). */
  thresholdIndex: number;
  /** argv index of the LIMIT keyword, -1 when not given (dropped when the trim is propagated as exact). */
  limitIndex: number;
  /** XADD only. */
  noMkStream: boolean;
  /** XADD IDMP/IDMPAUTO (Redis 8.6): the producer ID, null when neither was given. */
  idmpPid: Buffer | null;
  /** IDMP's idempotent ID; null with IDMPAUTO (computed from the fields). */
  idmpIid: Buffer | null;
  /** argv index of the IDMP/IDMPAUTO token and how many arguments the option spans (dropped when propagated). */
  idmpIndex: number;
  idmpArgc: number;
  idGiven: boolean;
  /** False for `ms-*`. */
  seqGiven: boolean;
  id: StreamId;
  /** XADD: argv index of the ID argument (`*` or explicit); argv.length when options ran out. */
  idIndex: number;
}

/**
 * Redis's streamParseAddOrTrimArgsOrReply for XADD (`xadd` true: options,
 * then `*` or an ID) and XTRIM (options only). `nodeMaxEntries` is the
 * current stream-node-max-entries, which sets `~`'s default LIMIT;
 * `fromLoader` (AOF replay) lifts every limit, as Redis does for its master
 * and AOF clients. Throws the first error Redis would report.
 */
export function parseAddTrimArgs(argv: Buffer[], xadd: boolean, nodeMaxEntries: number, fromLoader = false): AddTrimArgs {
  const a: AddTrimArgs = {
    strategy: TrimStrategy.None,
    refPolicy: RefPolicy.KeepRef,
    approx: false,
    maxLen: 0,
    minId: { ms: 0, seq: 0 },
    limit: 0,
    thresholdIndex: 0,
    limitIndex: -1,
    noMkStream: false,
    idmpPid: null,
    idmpIid: null,
    idmpIndex: -1,
    idmpArgc: 0,
    idGiven: false,
    seqGiven: true,
    id: { ms: 0, seq: 0 },
    idIndex: argv.length,
  };
  let limitGiven = false;
  let policyGiven = false;
  const argc = argv.length;
  let i = 2;
  for (; i < argc; i++) {
    const more = argc - 1 - i;
    const opt = argv[i];
    if (xadd && isChar(opt, CH_STAR)) {
      break; // auto ID
    } else if (more >= 1 && (isKw(opt, 'maxlen') || isKw(opt, 'minid'))) {
      if (a.strategy !== TrimStrategy.None) throw E.TRIM_STRATEGIES_CONFLICT;
      const isMaxLen = isKw(opt, 'maxlen');
      a.approx = false;
      const next = argv[i + 1];
      if (more >= 2 && isChar(next, CH_TILDE)) {
        a.approx = true;
        i++;
      } else if (more >= 2 && isChar(next, CH_EQ)) {
        i++;
      }
      if (isMaxLen) {
        const v = parseInt64(argv[i + 1]);
        if (v === null) throw E.NOT_INTEGER;
        if (v < 0) throw E.MAXLEN_NEGATIVE;
        a.maxLen = Number(v);
        a.strategy = TrimStrategy.MaxLen;
      } else {
        a.minId = strictIdArg(argv[i + 1]);
        a.strategy = TrimStrategy.MinId;
      }
      i++;
      a.thresholdIndex = i;
    } else if (more >= 1 && isKw(opt, 'limit')) {
      const v = parseInt64(argv[i + 1]);
      if (v === null) throw E.NOT_INTEGER;
      if (v < 0) throw E.LIMIT_NEGATIVE;
      a.limit = Number(v);
      a.limitIndex = i;
      limitGiven = true;
      i++;
    } else if (xadd && isKw(opt, 'nomkstream')) {
      a.noMkStream = true;
    } else if (xadd && more >= 2 && isKw(opt, 'idmp')) {
      // Checked where Redis checks them, option by option (its parser replies at the first problem).
      if (a.idmpPid !== null) throw E.IDMP_TWICE;
      if (argv[i + 1].length === 0) throw E.IDMP_EMPTY_PID;
      if (argv[i + 2].length === 0) throw E.IDMP_EMPTY_IID;
      a.idmpPid = argv[i + 1];
      a.idmpIid = argv[i + 2];
      a.idmpIndex = i;
      a.idmpArgc = 3;
      i += 2;
    } else if (xadd && more >= 1 && isKw(opt, 'idmpauto')) {
      if (a.idmpPid !== null) throw E.IDMP_TWICE;
      if (argv[i + 1].length === 0) throw E.IDMPAUTO_EMPTY_PID;
      a.idmpPid = argv[i + 1];
      a.idmpIndex = i;
      a.idmpArgc = 2;
      i++;
    } else if (!policyGiven && refPolicyArg(opt) !== null) {
      // Once only: a second policy word is what Redis's parser makes of any other word
      // (XTRIM: a syntax error; XADD: the ID, so "Invalid stream ID").
      a.refPolicy = refPolicyArg(opt)!;
      policyGiven = true;
    } else if (xadd) {
      const p = xaddIdArg(opt);
      // "Both modes can only be specified when the entry ID is `*`" — except when replaying an AOF
      // (Redis logs an IDMP XADD with the ID it chose: mustObeyClient lets that through).
      if (a.idmpPid !== null && !fromLoader) throw E.IDMP_NEEDS_AUTO_ID;
      a.id = p.id;
      a.seqGiven = p.seqGiven;
      a.idGiven = true;
      break;
    } else {
      throw E.SYNTAX;
    }
  }
  a.idIndex = i;
  if (a.limit !== 0 && a.strategy === TrimStrategy.None) throw E.LIMIT_WITHOUT_STRATEGY;
  if (!xadd && a.strategy === TrimStrategy.None) throw E.XTRIM_NEEDS_STRATEGY;
  if (fromLoader) {
    a.limit = 0;
  } else if (limitGiven) {
    if (!a.approx) throw E.LIMIT_WITHOUT_APPROX;
  } else if (a.approx) {
    // Bound the work of one `~` trim to about 100 chunks, clamped as Redis clamps it.
    let limit = 100 * nodeMaxEntries;
    if (limit <= 0) limit = 10000;
    if (limit > 1000000) limit = 1000000;
    a.limit = limit;
  } else {
    a.limit = 0;
  }
  return a;
}

// ---------------------------------------------------------------------------
// Read options (XREAD, XREADGROUP)

export interface ReadArgs {
  /** Max entries per stream; 0 = no limit. */
  count: number;
  /** -1 = no BLOCK; 0 = block forever; otherwise the absolute unix ms deadline. */
  blockUntil: number;
  noAck: boolean;
  /** MAXCOUNT (Redis 8.10): entries in the whole reply; 0 when not given. */
  maxCount: number;
  /** MAXSIZE (Redis 8.10): soft cap on the reply's bytes; 0 when not given. */
  maxSize: number;
  /** XREADGROUP CLAIM min-idle-time (Redis 8.4), in ms; -1 when not given. */
  claimMinIdle: number;
  group: Buffer | null;
  consumer: Buffer | null;
  /** argv index of the first key; keys are argv[keysAt .. keysAt+numStreams), IDs follow. */
  keysAt: number;
  numStreams: number;
}

/**
 * Redis's xreadCommand option loop, shared by XREAD (`xreadgroup` false) and
 * XREADGROUP. `now` is the command's time snapshot (BLOCK is relative to it).
 * Checks everything that does not need the keyspace; IDs are resolved by the
 * caller per key with `readIdArg`, after its type (and group) checks, in
 * Redis's order. Throws on the first error.
 */
export function parseReadArgs(argv: Buffer[], xreadgroup: boolean, now: number): ReadArgs {
  const r: ReadArgs = { count: 0, blockUntil: -1, noAck: false, maxCount: 0, maxSize: 0, claimMinIdle: -1, group: null, consumer: null, keysAt: 0, numStreams: 0 };
  const argc = argv.length;
  for (let i = 1; i < argc; i++) {
    const more = argc - i - 1;
    const o = argv[i];
    if (more >= 1 && isKw(o, 'block')) {
      i++;
      r.blockUntil = timeoutArg(argv[i], now);
    } else if (more >= 1 && isKw(o, 'count')) {
      i++;
      const v = parseInt64(argv[i]);
      if (v === null) throw E.NOT_INTEGER;
      r.count = v < 0 ? 0 : Number(v);
    } else if (more >= 1 && isKw(o, 'streams')) {
      r.keysAt = i + 1;
      const n = argc - r.keysAt;
      if (n % 2 !== 0) throw E.unbalancedStreams(xreadgroup);
      r.numStreams = n / 2;
      break;
    } else if (more >= 2 && isKw(o, 'group')) {
      if (!xreadgroup) throw E.GROUP_ONLY_IN_XREADGROUP;
      r.group = argv[i + 1];
      r.consumer = argv[i + 2];
      i += 2;
    } else if (more >= 1 && isKw(o, 'maxcount')) {
      const v = parseInt64(argv[++i]);
      if (v === null || v <= 0) throw E.MAXCOUNT_NOT_POSITIVE;
      r.maxCount = Number(v);
    } else if (more >= 1 && isKw(o, 'maxsize')) {
      const v = parseInt64(argv[++i]);
      if (v === null || v <= 0) throw E.MAXSIZE_NOT_POSITIVE;
      r.maxSize = Number(v);
    } else if (more >= 1 && isKw(o, 'claim')) {
      if (!xreadgroup) throw E.CLAIM_ONLY_IN_XREADGROUP;
      i++;
      const v = parseInt64(argv[i]);
      if (v === null) throw E.CLAIM_MIN_IDLE_NOT_INTEGER;
      if (v < 0) throw E.CLAIM_MIN_IDLE_NEGATIVE;
      r.claimMinIdle = Number(v);
    } else if (isKw(o, 'noack')) {
      if (!xreadgroup) throw E.NOACK_ONLY_IN_XREADGROUP;
      r.noAck = true;
    } else {
      throw E.SYNTAX;
    }
  }
  if (r.keysAt === 0) throw E.SYNTAX;
  if (xreadgroup && r.group === null) throw E.XREADGROUP_MISSING_GROUP;
  if (r.maxCount > 0 && r.count > r.maxCount) throw E.MAXCOUNT_BELOW_COUNT;
  return r;
}

const LLONG_MAX = 9223372036854775807n;

/**
 * A BLOCK timeout in milliseconds (Redis's getTimeoutFromObjectOrReply):
 * returns 0 for "forever", else now + ms. Throws the timeout errors.
 */
export function timeoutArg(b: Buffer, now: number): number {
  const v = parseInt64(b);
  if (v === null) throw E.TIMEOUT_NOT_INTEGER;
  if (v < 0) throw E.TIMEOUT_NEGATIVE;
  if (v === 0) return 0;
  if (BigInt(v) > LLONG_MAX - BigInt(now)) throw E.TIMEOUT_OUT_OF_RANGE;
  return now + Number(v);
}

/** A read ID: `$` (XREAD: the stream's last ID), `+` (XREAD, 7.4: the last entry), `>` (XREADGROUP: new entries), or an explicit ID. */
export type ReadId = '$' | '+' | '>' | StreamId;

/**
 * Parses one ID of the STREAMS list, refusing the special IDs the command
 * does not accept, with Redis's messages. Explicit IDs are strict
 * (missing sequence → 0).
 */
export function readIdArg(b: Buffer, xreadgroup: boolean): ReadId {
  // Redis compares these with strcmp on the C string.
  if (b.length >= 1 && (b.length === 1 || b[1] === 0)) {
    const ch = b[0];
    if (ch === 36 /* $ */) {
      if (xreadgroup) throw E.DOLLAR_ID_IN_XREADGROUP;
      return '$';
    }
    if (ch === CH_PLUS) {
      if (xreadgroup) throw E.PLUS_ID_IN_XREADGROUP;
      return '+';
    }
    if (ch === 62 /* > */) {
      if (!xreadgroup) throw E.GT_ID_OUTSIDE_XREADGROUP;
      return '>';
    }
  }
  return strictIdArg(b);
}

/**
 * The argv to propagate for an XADD/XTRIM whose effect is not deterministic
 * from its arguments: a `~` trim becomes exact (`= <achieved threshold>`:
 * the resulting length for MAXLEN, the first remaining entry for MINID —
 * or the maximum ID when nothing remains — as Redis rewrites it) with its
 * LIMIT dropped (LIMIT is refused without `~`), and XADD's `*`/`ms-*`
 * becomes the ID chosen. Replaying the result gives the same stream.
 */
export function rewriteForPropagation(
  argv: Buffer[],
  a: AddTrimArgs,
  threshold: string | null,
  chosenId: string | null,
): Buffer[] {
  const out: Buffer[] = [];
  // Everything rewritten comes before the fields; a request kept packed keeps its fields packed (no object per field).
  const packed = a.idIndex + 1 < argv.length ? packedOf(argv) : null;
  const rewritten = packed === null ? argv.length : a.idIndex + 1;
  for (let i = 0; i < rewritten; i++) {
    // IDMP/IDMPAUTO are not logged on XADD (they need `*`): XIDMPRECORD follows it instead.
    if (a.idmpIndex >= 0 && i >= a.idmpIndex && i < a.idmpIndex + a.idmpArgc) continue;
    if (threshold !== null) {
      if (a.limitIndex >= 0 && (i === a.limitIndex || i === a.limitIndex + 1)) continue;
      if (i === a.thresholdIndex - 1 && a.approx) {
        out.push(Buffer.from('='));
        continue;
      }
      // DELREF/ACKED: the achieved threshold is always a MINID (Stream.achievedThreshold).
      if (i === a.thresholdIndex - 2 && a.approx && a.refPolicy !== RefPolicy.KeepRef) {
        out.push(Buffer.from('MINID'));
        continue;
      }
      if (i === a.thresholdIndex) {
        out.push(Buffer.from(threshold, 'latin1'));
        continue;
      }
    }
    if (chosenId !== null && i === a.idIndex) {
      out.push(Buffer.from(chosenId, 'latin1'));
      continue;
    }
    out.push(argv[i]);
  }
  return packed === null ? out : packedWithHead(out, packed, rewritten);
}
