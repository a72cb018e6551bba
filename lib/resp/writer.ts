/**
 * The reply writer: RESP2/RESP3 encoders writing into one growing Buffer per
 * client, flushed to the socket once per read (so a pipeline of thousands of
 * commands costs one write).
 *
 * Handlers call the typed methods; the writer picks the wire type for the
 * connection's protocol (a map is a flat array in RESP2, a null is `$-1`/`*-1`
 * in RESP2 and `_` in RESP3, ...).
 */

const CRLF = '\r\n';
const INITIAL = 16 * 1024;
/** Room for a type byte, a sign, the 16 digits of any safe integer and CRLF. */
const HEADER_MAX = 20;
/** Strings and Buffers shorter than this are copied with a byte loop: cheaper than a call into Buffer.write/copy. */
const SMALL = 32;
/** Holds a header while insertArrayHeader moves the bytes it goes in front of. */
const headerScratch = Buffer.alloc(HEADER_MAX);
/** After a flush, a buffer that grew past this is dropped so one huge reply does not pin memory. */
const KEEP_MAX = 1024 * 1024;

export const enum Proto {
  RESP2 = 2,
  RESP3 = 3,
}

export class ReplyWriter {
  private buf: Buffer = Buffer.allocUnsafe(INITIAL);
  private len = 0;
  /** Protocol of the connection (HELLO switches it). */
  proto: Proto = Proto.RESP2;

  get size(): number {
    return this.len;
  }

  /** Position marker, so a half-written reply can be undone (see rewind). */
  mark(): number {
    return this.len;
  }

  /** Drops everything written after `mark`. */
  rewind(mark: number): void {
    this.len = mark;
  }

  /** A copy of the bytes written since `mark` (a reply to hand to other clients with raw()). */
  bytesSince(mark: number): Buffer {
    return Buffer.from(this.buf.subarray(mark, this.len));
  }

  /** Takes the pending bytes (a copy the caller may hand to socket.write) and resets. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.len);
    this.buf.copy(out, 0, 0, this.len);
    this.len = 0;
    if (this.buf.length > KEEP_MAX) this.buf = Buffer.allocUnsafe(INITIAL);
    return out;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** Appends an ASCII/latin1 string as raw bytes. */
  private ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    if (n < SMALL) {
      const buf = this.buf;
      let p = this.len;
      for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
      this.len = p;
    } else {
      this.len += this.buf.write(s, this.len, 'latin1');
    }
  }

  raw(b: Buffer): void {
    this.ensure(b.length);
    this.len = copyInto(b, this.buf, this.len);
  }

  /**
   * Writes a `<type><n>\r\n` header (`*3`, `$5`, `:42`) with the digits
   * written straight into the buffer: no string is built. `n` must be a safe
   * integer (every length and count is).
   */
  private header(type: number, n: number): void {
    this.ensure(HEADER_MAX);
    const buf = this.buf;
    let p = this.len;
    buf[p++] = type;
    if (n < 0) {
      buf[p++] = 45; // '-'
      n = -n;
    }
    if (n < 10) {
      buf[p++] = 48 + n;
    } else {
      p = writeDigits(buf, p, n);
    }
    buf[p++] = 13;
    buf[p++] = 10;
    this.len = p;
  }

  private crlf(): void {
    this.ensure(2);
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  // ---- simple types ----------------------------------------------------------
  ok(): void {
    this.ensure(5);
    const buf = this.buf;
    const p = this.len;
    buf[p] = 43; // '+OK\r\n'
    buf[p + 1] = 79;
    buf[p + 2] = 75;
    buf[p + 3] = 13;
    buf[p + 4] = 10;
    this.len = p + 5;
  }

  simple(s: string): void {
    this.ascii('+' + s + CRLF);
  }

  /** An error line; `msg` includes the code (`ERR ...`). Newlines are flattened as Redis does. */
  error(msg: string): void {
    this.ascii('-' + msg.replace(/[\r\n]/g, ' ') + CRLF);
  }

  int(n: number | bigint): void {
    if (typeof n === 'number' && Number.isSafeInteger(n)) this.header(58 /* ':' */, n);
    else this.ascii(':' + n + CRLF);
  }

  /** Binary-safe bulk string. Strings are encoded as UTF-8. */
  bulk(v: Buffer | string): void {
    if (typeof v === 'string') {
      if (v.length < SMALL && isAscii(v)) {
        this.bulkLatin1(v);
        return;
      }
      const n = Buffer.byteLength(v);
      this.header(36 /* '$' */, n);
      this.ensure(n + 2);
      this.len += this.buf.write(v, this.len, 'utf8');
      this.crlf();
      return;
    }
    this.header(36 /* '$' */, v.length);
    this.ensure(v.length + 2);
    this.len = copyInto(v, this.buf, this.len);
    this.crlf();
  }

  /** The bulk string of src[start, end) (bytes read in place, e.g. from a stream chunk). */
  bulkBytes(src: Buffer, start: number, end: number): void {
    const n = end - start;
    this.header(36 /* '$' */, n);
    this.ensure(n + 2);
    const buf = this.buf;
    let p = this.len;
    if (n < SMALL) {
      for (let i = start; i < end; i++) buf[p++] = src[i];
    } else {
      src.copy(buf, p, start, end);
      p += n;
    }
    buf[p++] = 13;
    buf[p++] = 10;
    this.len = p;
  }

  /** Bulk string, or null for null. */
  bulkOrNull(v: Buffer | string | null | undefined): void {
    if (v === null || v === undefined) this.nullBulk();
    else this.bulk(v);
  }

  /** A bulk string whose bytes are latin1 (binary-safe key strings). */
  bulkLatin1(s: string): void {
    this.header(36 /* '$' */, s.length);
    this.ascii(s);
    this.crlf();
  }

  /**
   * The bulk string `<a>-<b>` of two non-negative safe integers (a stream ID),
   * written digit by digit without building a string.
   */
  bulkDecimalPair(a: number, b: number): void {
    const na = digitCount(a);
    const nb = digitCount(b);
    this.header(36 /* '$' */, na + nb + 1);
    this.ensure(na + nb + 3);
    const buf = this.buf;
    let p = writeDigits(buf, this.len, a);
    buf[p++] = 45; // '-'
    p = writeDigits(buf, p, b);
    buf[p++] = 13;
    buf[p++] = 10;
    this.len = p;
  }

  /** The null bulk string: `$-1` in RESP2, `_` in RESP3. */
  nullBulk(): void {
    this.ascii(this.proto === Proto.RESP3 ? '_\r\n' : '$-1\r\n');
  }

  /** The null array: `*-1` in RESP2, `_` in RESP3. */
  nullArray(): void {
    this.ascii(this.proto === Proto.RESP3 ? '_\r\n' : '*-1\r\n');
  }

  array(n: number): void {
    this.header(42 /* '*' */, n);
  }

  /**
   * Puts an array header for n elements at `mark` (from mark()), in front of
   * the elements written since: for replies whose length is known only once
   * they are written (Redis's deferred length). Costs one move of those bytes.
   */
  insertArrayHeader(mark: number, n: number): void {
    const end = this.len;
    this.header(42 /* '*' */, n); // written after the elements for now
    const hlen = this.len - end;
    const buf = this.buf;
    buf.copy(headerScratch, 0, end, end + hlen);
    buf.copyWithin(mark + hlen, mark, end);
    headerScratch.copy(buf, mark, 0, hlen);
  }

  /** A map of n pairs: `%n` in RESP3, a flat array of 2n in RESP2. */
  map(n: number): void {
    if (this.proto === Proto.RESP3) this.header(37 /* '%' */, n);
    else this.header(42 /* '*' */, 2 * n);
  }

  /** A set of n members: `~n` in RESP3, an array in RESP2. */
  set(n: number): void {
    this.header(this.proto === Proto.RESP3 ? 126 /* '~' */ : 42 /* '*' */, n);
  }

  /** An out-of-band push of n elements: `>n` in RESP3, an array in RESP2 (pub/sub messages). */
  push(n: number): void {
    this.header(this.proto === Proto.RESP3 ? 62 /* '>' */ : 42 /* '*' */, n);
  }

  /** A double: `,` in RESP3; a bulk string in RESP2, formatted as Redis does (%.17g). */
  double(d: number): void {
    const s = formatDouble(d);
    if (this.proto === Proto.RESP3) this.ascii(',' + s + CRLF);
    else this.bulk(s);
  }

  bool(b: boolean): void {
    if (this.proto === Proto.RESP3) this.ascii(b ? '#t\r\n' : '#f\r\n');
    else this.ascii(b ? ':1\r\n' : ':0\r\n');
  }

  /** Verbatim text (`=` in RESP3, `txt:` prefix), a bulk string in RESP2 (INFO, CLIENT LIST). */
  verbatim(text: string): void {
    if (this.proto !== Proto.RESP3) {
      this.bulk(text);
      return;
    }
    const n = Buffer.byteLength(text) + 4;
    this.ascii('=' + n + CRLF + 'txt:');
    this.ensure(n);
    this.len += this.buf.write(text, this.len, 'utf8');
    this.ascii(CRLF);
  }

  /** A bulk string per element. */
  bulkArray(items: readonly (Buffer | string)[]): void {
    this.array(items.length);
    for (const it of items) this.bulk(it);
  }
}

/**
 * Writes the decimal digits of a non-negative safe integer at p; returns the
 * offset after them. Values of 2^31 and above (millisecond times in stream
 * IDs) are split at 10^9 so that every digit loop runs on small integers,
 * which V8 divides much faster than doubles.
 */
function writeDigits(buf: Buffer, p: number, n: number): number {
  if (n >= 0x80000000) {
    const high = Math.floor(n / 1e9);
    p = writeDigits(buf, p, high);
    return writeNineDigits(buf, p, n - high * 1e9);
  }
  const end = p + digitCount(n);
  let q = end;
  do {
    const next = (n / 10) | 0;
    buf[--q] = 48 + n - next * 10;
    n = next;
  } while (n > 0);
  return end;
}

/** Writes n (< 10^9) as exactly nine digits, zero-padded. */
function writeNineDigits(buf: Buffer, p: number, n: number): number {
  for (let q = p + 8; q >= p; q--) {
    const next = (n / 10) | 0;
    buf[q] = 48 + n - next * 10;
    n = next;
  }
  return p + 9;
}

/** Number of decimal digits of a non-negative safe integer. */
function digitCount(n: number): number {
  let digits = 1;
  for (let limit = 10; n >= limit && digits < 16; limit *= 10) digits++;
  return digits;
}

/** Copies src into dst at p (a byte loop for small sources); returns p + src.length. */
function copyInto(src: Buffer, dst: Buffer, p: number): number {
  const n = src.length;
  if (n < SMALL) {
    for (let i = 0; i < n; i++) dst[p + i] = src[i];
  } else {
    src.copy(dst, p);
  }
  return p + n;
}

/** True when every character is 7-bit, so UTF-8 and latin1 bytes coincide. */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** Formats a double the way Redis's RESP3 double / RESP2 reply does (inf, -inf, nan, shortest round-trip). */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  return String(d);
}
