/**
 * The request parser: turns a client's byte stream into argument vectors.
 *
 * Written by hand rather than on top of redis-parser because requests need
 * what a reply parser does not give: inline commands mixed freely with
 * multibulk ones, Redis's exact `Protocol error: ...` texts, and the
 * `proto-max-bulk-len` / multibulk / inline-size limits enforced *before* the
 * bytes are buffered.
 */
import { ReplyError, protocolError } from '../errors.js';
import { PackedBuilder, packedArgv } from './packed.js';

/** Longest inline request or `*`/`$` header line Redis accepts (PROTO_INLINE_MAX_SIZE). */
const INLINE_MAX = 64 * 1024;
/** Multibulk counts above this are refused (Redis: 1024*1024 for unauthenticated, INT_MAX otherwise). */
const MULTIBULK_MAX = 2147483647;
/**
 * A bulk argument at least this large that has not fully arrived gets its own
 * buffer of the announced size, and later chunks are copied straight into it
 * (Redis's PROTO_MBULK_BIG_ARG): the query buffer is never re-concatenated per
 * chunk, so a big argument costs time linear in its size.
 */
const BIG_ARG = 32 * 1024;
/**
 * A command with at least this many arguments is collected packed (one
 * buffer and an offset table, lib/resp/packed.ts) rather than as one Buffer
 * per argument: hundreds of thousands of live Buffers make every young
 * generation collection during the request copy them all.
 */
const MANY_ARGS = 4096;
const CR = 13;
const LF = 10;

/** Limits, read on every use (the connection passes getters over the live config). */
export interface ParserLimits {
  /** proto-max-bulk-len */
  readonly maxBulkLen: number;
  /** client-query-buffer-limit */
  readonly maxQueryBuffer: number;
  /**
   * Whether the connection has authenticated (or needs no password). Until it
   * has, Redis refuses multibulk counts above 10 and bulks above 16 KiB, so an
   * unauthenticated client cannot make the server buffer much.
   */
  authenticated?: () => boolean;
}

/** Limits for connections that still have to AUTH (Redis 7's authRequired checks). */
const UNAUTH_MULTIBULK_MAX = 10;
const UNAUTH_BULK_MAX = 16384;

const EMPTY = Buffer.alloc(0);

export class RequestParser {
  private buf: Buffer = EMPTY;
  /** Whether buf is the parser's own (false: a view of the caller's chunk; see release()). */
  private owned = true;
  private pos = 0;
  /** Multibulk state: arguments still expected for the command being read, -1 when between commands. */
  private remaining = -1;
  private argv: Buffer[] = [];
  /** The arguments of a command with at least MANY_ARGS of them, collected packed instead of in argv. */
  private packed: PackedBuilder | null = null;
  private bulkLen = -1;
  /** A big bulk argument being filled in place (see BIG_ARG), with how many of its bytes have arrived. */
  private big: Buffer | null = null;
  private bigFilled = 0;
  /** Trailing CRLF bytes of the big argument still to skip. */
  private bigSkip = 0;
  /** Where the command most recently returned by next() started, and its length (CLIENT LIST qbuf). */
  private lastCommandBytes = 0;
  private commandStart = 0;

  constructor(private readonly limits: ParserLimits) {}

  /** Bytes received but not yet consumed (the query buffer). */
  get pending(): number {
    return this.buf.length - this.pos + (this.big !== null ? this.bigFilled : 0);
  }

  /** The query buffer as CLIENT LIST's qbuf counts it: the command being executed plus what follows it. */
  get queryBufferBytes(): number {
    return this.lastCommandBytes + this.pending;
  }

  /** The command returned by next() has finished executing. */
  commandDone(): void {
    this.lastCommandBytes = 0;
  }

  /**
   * Adds bytes read from the socket. The parser may keep a view of `chunk`
   * until release() is called: a caller that reuses its read buffer calls
   * release() once it has taken every command it can (see Connection.onRead).
   */
  feed(chunk: Buffer): void {
    if (this.big !== null) chunk = this.fillBig(chunk);
    if (chunk.length > 0) {
      if (this.pos >= this.buf.length) {
        this.buf = chunk;
        this.owned = false;
      } else {
        this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
        this.owned = true;
      }
      this.pos = 0;
      this.commandStart = 0;
    }
    this.checkLimit();
  }

  private checkLimit(): void {
    if (this.pending > this.limits.maxQueryBuffer) {
      throw new QueryBufferOverflow();
    }
  }

  /**
   * Where the socket may read the next bytes straight into, with no copy: the
   * unfilled rest of a big argument being received (Redis reads the rest of
   * a big bulk into the argument itself), or null when there is none.
   */
  directTarget(): Buffer | null {
    const big = this.big;
    if (big === null || this.bigFilled >= big.length) return null;
    return big.subarray(this.bigFilled);
  }

  /** `n` bytes were read into the buffer directTarget() returned. */
  filledDirect(n: number): void {
    this.bigFilled += n;
    this.checkLimit();
  }

  /**
   * Stops referring to the bytes passed to feed(): what is still unparsed is
   * copied into a buffer of the parser's own, so the caller may overwrite its
   * read buffer. Cheap when everything was consumed (the usual case).
   */
  release(): void {
    const buf = this.buf;
    if (this.pos >= buf.length) {
      this.buf = EMPTY;
    } else if (!this.owned) {
      this.buf = Buffer.from(buf.subarray(this.pos));
    } else {
      return;
    }
    this.owned = true;
    this.pos = 0;
    this.commandStart = 0; // as feed() does: the partial command's earlier bytes are no longer counted
  }

  /** Copies what belongs to the big argument into it; returns the rest of the chunk. */
  private fillBig(chunk: Buffer): Buffer {
    const big = this.big!;
    let used = 0;
    if (this.bigFilled < big.length) {
      used = Math.min(big.length - this.bigFilled, chunk.length);
      chunk.copy(big, this.bigFilled, 0, used);
      this.bigFilled += used;
    }
    if (this.bigFilled === big.length && used < chunk.length && this.bigSkip > 0) {
      const skip = Math.min(this.bigSkip, chunk.length - used);
      this.bigSkip -= skip;
      used += skip;
    }
    return used === 0 ? chunk : chunk.subarray(used);
  }

  /**
   * The next complete command, or null when more bytes are needed.
   * Empty commands (blank inline lines, `*0`) are skipped.
   * Throws a ReplyError (`ERR Protocol error: ...`) on malformed input; the
   * connection must then be closed.
   */
  next(): Buffer[] | null {
    // Read once per command, not per bulk header: the limit is a getter over the live config, and
    // a CONFIG SET runs between two next() calls, so it still applies from the next command on.
    const maxBulkLen = this.limits.maxBulkLen;
    for (;;) {
      if (this.remaining === -1) {
        if (this.pos >= this.buf.length) return null;
        if (this.buf[this.pos] === 42 /* '*' */) {
          const n = this.readHeader('mbulk count');
          if (n === null) return null;
          if (n > MULTIBULK_MAX) throw protocolError('invalid multibulk length');
          if (n > UNAUTH_MULTIBULK_MAX && this.limits.authenticated?.() === false) throw protocolError('unauthenticated multibulk length');
          if (n <= 0) continue;
          this.remaining = n;
          this.argv = [];
          this.packed = n >= MANY_ARGS ? new PackedBuilder(n) : null;
        } else {
          const argv = this.readInline();
          if (argv === null) return null;
          if (argv.length === 0) continue;
          this.noteCommandEnd();
          return argv;
        }
      }
      while (this.remaining > 0) {
        if (this.packed !== null && this.bulkLen === -1 && this.big === null) {
          this.takePacked(maxBulkLen);
          if (this.remaining === 0) break;
        }
        if (this.big !== null) {
          // Complete once all its bytes and the CRLF after them have arrived (Redis does not check the CRLF's value).
          if (this.bigFilled < this.big.length || this.bigSkip > 0) return null;
          if (this.packed !== null) this.packed.add(this.big, 0, this.big.length);
          else this.argv.push(this.big);
          this.big = null;
          this.bulkLen = -1;
          this.remaining--;
          continue;
        }
        if (this.bulkLen === -1) {
          if (this.pos >= this.buf.length) return null;
          const c = this.buf[this.pos];
          if (c !== 36 /* '$' */) {
            throw protocolError(`expected '$', got '${String.fromCharCode(c)}'`);
          }
          const len = this.readHeader('bulk count');
          if (len === null) return null;
          if (len < 0 || len > maxBulkLen) throw protocolError('invalid bulk length');
          if (len > UNAUTH_BULK_MAX && this.limits.authenticated?.() === false) throw protocolError('unauthenticated bulk length');
          this.bulkLen = len;
        }
        if (this.buf.length - this.pos < this.bulkLen + 2) {
          if (this.bulkLen >= BIG_ARG) this.startBig();
          return null;
        }
        const end = this.pos + this.bulkLen;
        if (this.packed === null) this.argv.push(copyArg(this.buf, this.pos, end));
        else this.packed.add(this.buf, this.pos, end);
        this.pos = end + 2; // Redis does not check that \r\n follows the payload
        this.bulkLen = -1;
        this.remaining--;
      }
      this.remaining = -1;
      let argv = this.argv;
      this.argv = [];
      if (this.packed !== null) {
        argv = packedArgv(this.packed.finish());
        this.packed = null;
      }
      this.noteCommandEnd();
      return argv;
    }
  }

  /**
   * The packed path's inner loop: takes every complete, ordinary bulk
   * (`$<len>\r\n<payload>\r\n`, len at most 16 KiB and proto-max-bulk-len,
   * canonical digits) at pos, without a call per header. It stops at the
   * first thing it does not handle (an incomplete or big bulk, or anything
   * malformed), which the general loop then takes, so replies and errors are
   * the same as for any other command.
   */
  private takePacked(maxBulkLen: number): void {
    const buf = this.buf;
    const packed = this.packed!;
    const limit = Math.min(maxBulkLen, UNAUTH_BULK_MAX);
    const n = buf.length;
    let pos = this.pos;
    let remaining = this.remaining;
    while (remaining > 0 && pos + 4 <= n && buf[pos] === 36 /* '$' */) {
      let p = pos + 1;
      let len = buf[p] - 48;
      if (!(len >= 0 && len <= 9)) break;
      p++;
      let c = buf[p];
      if (len === 0 && c !== CR) break; // a leading zero: the general path refuses it
      while (c >= 48 && c <= 57 && len <= limit) {
        len = len * 10 + (c - 48);
        c = buf[++p];
      }
      // p at the CR (Redis does not check the LF after it, nor the CRLF after the payload).
      if (c !== CR || len > limit || p + 2 + len + 2 > n) break;
      const start = p + 2;
      packed.add(buf, start, start + len);
      pos = start + len + 2;
      remaining--;
    }
    this.pos = pos;
    this.remaining = remaining;
  }

  /** Moves the partial big argument out of the query buffer into a buffer of its announced size. */
  private startBig(): void {
    const big = Buffer.allocUnsafe(this.bulkLen);
    const have = Math.min(this.buf.length - this.pos, this.bulkLen);
    this.buf.copy(big, 0, this.pos, this.pos + have);
    this.big = big;
    this.bigFilled = have;
    this.bigSkip = 2 - Math.min(2, this.buf.length - this.pos - have);
    this.buf = EMPTY;
    this.owned = true;
    this.pos = 0;
    this.commandStart = 0;
  }

  /** Records the size of the command just parsed (qbuf) and where the next one starts. */
  private noteCommandEnd(): void {
    this.lastCommandBytes = this.pos - this.commandStart;
    this.commandStart = this.pos;
  }

  /** Reads `*<n>\r\n` or `$<n>\r\n` at pos; null when incomplete. */
  private readHeader(what: string): number | null {
    const buf = this.buf;
    const nl = buf.indexOf(CR, this.pos);
    if (nl === -1 || nl + 1 >= buf.length) {
      if (buf.length - this.pos > INLINE_MAX) throw protocolError(`too big ${what} string`);
      if (nl === -1 || nl + 1 >= buf.length) return null;
    }
    if (nl - this.pos > INLINE_MAX) throw protocolError(`too big ${what} string`);
    const n = parseDecimal(buf, this.pos + 1, nl);
    if (n === null) throw protocolError(what === 'bulk count' ? 'invalid bulk length' : 'invalid multibulk length');
    this.pos = nl + 2;
    return n;
  }

  private readInline(): Buffer[] | null {
    const buf = this.buf;
    const nl = buf.indexOf(LF, this.pos);
    if (nl === -1) {
      if (buf.length - this.pos > INLINE_MAX) throw protocolError('too big inline request');
      return null;
    }
    let end = nl;
    if (end > this.pos && buf[end - 1] === CR) end--;
    const line = buf.subarray(this.pos, end);
    this.pos = nl + 1;
    const args = splitArgs(line);
    if (args === null) throw protocolError('unbalanced quotes in request');
    return args;
  }
}

/**
 * Copies buf[start, end) into a Buffer of its own: a view would keep the
 * whole read chunk alive for as long as the argument lives (e.g. as a stored
 * value). One allocation (small sizes come from Node's pool) and one copy;
 * short arguments are copied with a byte loop, cheaper than a call into copy().
 */
function copyArg(buf: Buffer, start: number, end: number): Buffer {
  const len = end - start;
  const out = Buffer.allocUnsafe(len);
  if (len < 32) {
    for (let i = 0; i < len; i++) out[i] = buf[start + i];
  } else {
    buf.copy(out, 0, start, end);
  }
  return out;
}

/** Thrown when the query buffer grows past client-query-buffer-limit. */
export class QueryBufferOverflow extends Error {
  constructor() {
    super('query buffer limit reached');
  }
}

/**
 * Parses a signed decimal between [start, end) as strictly as Redis's
 * string2ll: no '+', no spaces, no leading zeros ("04", "-0" are refused).
 * Returns null if not a well-formed integer.
 */
function parseDecimal(buf: Buffer, start: number, end: number): number | null {
  if (start >= end) return null;
  let i = start;
  let neg = false;
  if (buf[i] === 45 /* '-' */) {
    neg = true;
    i++;
    if (i >= end) return null;
  }
  if (buf[i] === 48 /* '0' */ && (neg || end - i > 1)) return null;
  let n = 0;
  for (; i < end; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
    if (n > Number.MAX_SAFE_INTEGER) return null;
  }
  return neg ? -n : n;
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
const hexVal = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;

/**
 * Splits an inline line into arguments exactly as Redis's sdssplitargs does:
 * whitespace separates; "double quotes" understand \n \r \t \b \a \\ \" and
 * \xHH; 'single quotes' understand only \'; a closing quote must be followed
 * by whitespace or the end of the line. Returns null for unbalanced quotes.
 */
export function splitArgs(line: Buffer): Buffer[] | null {
  const out: Buffer[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return out;
    const bytes: number[] = [];
    let inDq = false;
    let inSq = false;
    let done = false;
    while (!done) {
      if (inDq) {
        if (i >= n) return null;
        const c = line[i];
        if (c === 92 /* \ */ && i + 3 < n && line[i + 1] === 120 /* x */ && hexVal(line[i + 2]) >= 0 && hexVal(line[i + 3]) >= 0) {
          bytes.push(hexVal(line[i + 2]) * 16 + hexVal(line[i + 3]));
          i += 3;
        } else if (c === 92 && i + 1 < n) {
          i++;
          const e = line[i];
          bytes.push(e === 110 ? 10 : e === 114 ? 13 : e === 116 ? 9 : e === 98 ? 8 : e === 97 ? 7 : e);
        } else if (c === 34 /* " */) {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          done = true;
        } else {
          bytes.push(c);
        }
      } else if (inSq) {
        if (i >= n) return null;
        const c = line[i];
        if (c === 92 && i + 1 < n && line[i + 1] === 39 /* ' */) {
          i++;
          bytes.push(39);
        } else if (c === 39) {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          done = true;
        } else {
          bytes.push(c);
        }
      } else {
        if (i >= n) break;
        const c = line[i];
        if (isSpace(c)) {
          done = true;
        } else if (c === 34) {
          inDq = true;
        } else if (c === 39) {
          inSq = true;
        } else {
          bytes.push(c);
        }
      }
      if (i < n) i++;
    }
    out.push(Buffer.from(bytes));
  }
}

export { ReplyError };
