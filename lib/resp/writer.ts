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
    this.ensure(s.length);
    this.len += this.buf.write(s, this.len, 'latin1');
  }

  raw(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
  }

  // ---- simple types ----------------------------------------------------------
  ok(): void {
    this.ascii('+OK\r\n');
  }

  simple(s: string): void {
    this.ascii('+' + s + CRLF);
  }

  /** An error line; `msg` includes the code (`ERR ...`). Newlines are flattened as Redis does. */
  error(msg: string): void {
    this.ascii('-' + msg.replace(/[\r\n]/g, ' ') + CRLF);
  }

  int(n: number | bigint): void {
    this.ascii(':' + n + CRLF);
  }

  /** Binary-safe bulk string. Strings are encoded as UTF-8. */
  bulk(v: Buffer | string): void {
    if (typeof v === 'string') {
      const n = Buffer.byteLength(v);
      this.ascii('$' + n + CRLF);
      this.ensure(n + 2);
      this.len += this.buf.write(v, this.len, 'utf8');
      this.ascii(CRLF);
      return;
    }
    this.ascii('$' + v.length + CRLF);
    this.ensure(v.length + 2);
    v.copy(this.buf, this.len);
    this.len += v.length;
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  /** Bulk string, or null for null. */
  bulkOrNull(v: Buffer | string | null | undefined): void {
    if (v === null || v === undefined) this.nullBulk();
    else this.bulk(v);
  }

  /** A bulk string whose bytes are latin1 (binary-safe key strings). */
  bulkLatin1(s: string): void {
    this.ascii('$' + s.length + CRLF + s + CRLF);
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
    this.ascii('*' + n + CRLF);
  }

  /** A map of n pairs: `%n` in RESP3, a flat array of 2n in RESP2. */
  map(n: number): void {
    this.ascii(this.proto === Proto.RESP3 ? '%' + n + CRLF : '*' + 2 * n + CRLF);
  }

  /** A set of n members: `~n` in RESP3, an array in RESP2. */
  set(n: number): void {
    this.ascii(this.proto === Proto.RESP3 ? '~' + n + CRLF : '*' + n + CRLF);
  }

  /** An out-of-band push of n elements: `>n` in RESP3, an array in RESP2 (pub/sub messages). */
  push(n: number): void {
    this.ascii(this.proto === Proto.RESP3 ? '>' + n + CRLF : '*' + n + CRLF);
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

/** Formats a double the way Redis's RESP3 double / RESP2 reply does (inf, -inf, nan, shortest round-trip). */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  return String(d);
}
