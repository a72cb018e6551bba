/**
 * The AOF's record format: one RESP array of bulk strings per command, as
 * Redis writes it (`*<argc>\r\n` then `$<len>\r\n<bytes>\r\n` per argument).
 *
 * The scanner is stricter than Redis's loader (which skips the two bytes
 * after a bulk without looking at them): every header must be well formed and
 * every bulk must end in CRLF, so a damaged byte in a header or a terminator
 * is reported where it is, instead of silently shifting the parse.
 * Payload bytes carry no checksum (neither do Redis's), so a flipped byte
 * inside a key or value cannot be detected.
 */

import { packedOf, type PackedArgs } from '../resp/packed.js';

/** Encodes one command as a RESP array of bulk strings (headers written byte by byte: no string per argument). */
export function encodeCommand(argv: readonly Buffer[]): Buffer {
  const packed = packedOf(argv);
  if (packed !== null) return encodePacked(packed);
  let size = 1 + decLen(argv.length) + 2;
  for (const a of argv) size += bulkSize(a.length);
  const out = Buffer.allocUnsafe(size);
  let p = writeHeader(out, 0, 42 /* '*' */, argv.length);
  for (const a of argv) p = writeBulk(out, p, a, 0, a.length);
  return out;
}

/** encodeCommand for a request kept packed (lib/resp/packed.ts): read from its buffer, no object per argument. */
function encodePacked(p: PackedArgs): Buffer {
  const { buf, ends, count } = p;
  let size = 1 + decLen(count) + 2;
  let prev = 0;
  for (let i = 0; i < count; i++) {
    size += bulkSize(ends[i] - prev);
    prev = ends[i];
  }
  const out = Buffer.allocUnsafe(size);
  let o = writeHeader(out, 0, 42 /* '*' */, count);
  prev = 0;
  for (let i = 0; i < count; i++) {
    o = writeBulk(out, o, buf, prev, ends[i]);
    prev = ends[i];
  }
  return out;
}

/** Bytes of `$<len>\r\n<payload>\r\n`. */
function bulkSize(len: number): number {
  return 1 + decLen(len) + 2 + len + 2;
}

/** Writes src[start, end) as a bulk string at p; returns the offset after it. */
function writeBulk(out: Buffer, p: number, src: Buffer, start: number, end: number): number {
  const len = end - start;
  p = writeHeader(out, p, 36 /* '$' */, len);
  if (len < 32) for (let i = 0; i < len; i++) out[p + i] = src[start + i];
  else src.copy(out, p, start, end);
  p += len;
  out[p++] = 13;
  out[p++] = 10;
  return p;
}

/** Writes `<type><n>\r\n` at p; returns the offset after it. */
function writeHeader(out: Buffer, p: number, type: number, n: number): number {
  out[p++] = type;
  const digits = decLen(n);
  for (let i = digits - 1; i >= 0; i--) {
    out[p + i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  p += digits;
  out[p++] = 13;
  out[p++] = 10;
  return p;
}

/** Encodes commands given as strings/Buffers (convenience for rewrite and tests). */
export function encodeWords(words: readonly (string | Buffer)[]): Buffer {
  return encodeCommand(words.map((w) => (Buffer.isBuffer(w) ? w : Buffer.from(w, 'latin1'))));
}

function decLen(n: number): number {
  return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : String(n).length;
}

/** One parsed record. */
export interface AofRecord {
  argv: Buffer[];
  /** Offset of the record's first byte. */
  start: number;
  /** Offset just past the record. */
  end: number;
}

/** Why scanning stopped before the end of the buffer. */
export type ScanStop =
  | { kind: 'truncated'; offset: number; reason: string }
  | { kind: 'bad'; offset: number; reason: string };

/** Longest header line accepted (Redis reads headers with a 128-byte fgets buffer). */
const MAX_HEADER = 128;

/**
 * Parses the record starting at `pos`. Returns the record, or a ScanStop:
 * `truncated` when the buffer ends inside the record (a torn tail), `bad`
 * for a format violation (offset = the first offending byte).
 */
export function parseRecord(buf: Buffer, pos: number): AofRecord | ScanStop {
  const start = pos;
  const header = readLine(buf, pos, '*');
  if ('kind' in header) return header;
  const argc = header.value;
  if (argc < 1) return { kind: 'bad', offset: pos, reason: `invalid argument count ${argc}` };
  pos = header.next;
  const argv: Buffer[] = new Array(argc);
  for (let i = 0; i < argc; i++) {
    const h = readLine(buf, pos, '$');
    if ('kind' in h) return h;
    const len = h.value;
    pos = h.next;
    if (pos + len + 2 > buf.length) return { kind: 'truncated', offset: start, reason: 'unexpected end of file inside a bulk string' };
    if (buf[pos + len] !== 13 || buf[pos + len + 1] !== 10) {
      return { kind: 'bad', offset: pos + len, reason: `expected \\r\\n after a ${len}-byte bulk string` };
    }
    argv[i] = buf.subarray(pos, pos + len);
    pos += len + 2;
  }
  return { argv, start, end: pos };
}

/** Reads `<prefix><decimal>\r\n` at pos. */
function readLine(buf: Buffer, pos: number, prefix: '*' | '$'): { value: number; next: number } | ScanStop {
  const what = prefix === '*' ? 'array header' : 'bulk header';
  if (pos >= buf.length) return { kind: 'truncated', offset: pos, reason: `unexpected end of file before ${what}` };
  if (buf[pos] !== prefix.charCodeAt(0)) {
    return { kind: 'bad', offset: pos, reason: `expected '${prefix}', got ${describeByte(buf[pos])}` };
  }
  let p = pos + 1;
  let value = 0;
  let digits = 0;
  for (;;) {
    if (p >= buf.length) return { kind: 'truncated', offset: pos, reason: `unexpected end of file inside ${what}` };
    const b = buf[p];
    if (b >= 48 && b <= 57) {
      value = value * 10 + (b - 48);
      digits++;
      if (digits > 15 || p - pos > MAX_HEADER) return { kind: 'bad', offset: p, reason: `${what} number too long` };
      p++;
      continue;
    }
    if (b === 13) break;
    return { kind: 'bad', offset: p, reason: `invalid character ${describeByte(b)} in ${what}` };
  }
  if (digits === 0) return { kind: 'bad', offset: p, reason: `missing number in ${what}` };
  if (p + 1 >= buf.length) return { kind: 'truncated', offset: pos, reason: `unexpected end of file inside ${what}` };
  if (buf[p + 1] !== 10) return { kind: 'bad', offset: p + 1, reason: `expected \\n after \\r in ${what}, got ${describeByte(buf[p + 1])}` };
  return { value, next: p + 2 };
}

function describeByte(b: number): string {
  return b >= 32 && b < 127 ? `'${String.fromCharCode(b)}'` : `0x${b.toString(16).padStart(2, '0')}`;
}

const MULTI = Buffer.from('multi');
const EXEC = Buffer.from('exec');

/** Is the record's command name `word` (lower-case ASCII), in any case? Compared on the bytes. */
function isCommand(argv: Buffer[], word: Buffer): boolean {
  const name = argv[0];
  if (name.length !== word.length) return false;
  for (let i = 0; i < word.length; i++) if ((name[i] | 0x20) !== word[i]) return false;
  return true;
}

/** Result of scanning a whole file's bytes. */
export interface ScanResult {
  /** Offset up to which the content is made of complete records (and complete MULTI/EXEC units). */
  validUpTo: number;
  /** Why scanning stopped early, or null if the whole buffer is valid. */
  stop: ScanStop | null;
  /** Number of complete records. */
  records: number;
}

/**
 * Scans a file's bytes, calling `onUnit` (with the unit's first byte offset;
 * for a MULTI..EXEC unit also each command's own offset, null for a single
 * command) for every complete record outside an open MULTI and for whole
 * MULTI..EXEC units. A MULTI left open at the end of the
 * buffer counts as a torn tail (Redis reverts such a transaction).
 */
export function scan(buf: Buffer, onUnit?: (argvs: Buffer[][], offset: number, offsets: readonly number[] | null) => void): ScanResult {
  let pos = 0;
  let records = 0;
  let multi: Buffer[][] | null = null;
  let multiOffsets: number[] = [];
  let multiStart = 0;
  while (pos < buf.length) {
    const r = parseRecord(buf, pos);
    if ('kind' in r) {
      if (multi && r.kind === 'truncated') return { validUpTo: multiStart, stop: { ...r, offset: multiStart }, records };
      return { validUpTo: multi ? multiStart : pos, stop: r, records };
    }
    records++;
    const isMulti = isCommand(r.argv, MULTI);
    const isExec = !isMulti && isCommand(r.argv, EXEC);
    if (multi) {
      if (isExec) {
        onUnit?.(multi, multiStart, multiOffsets);
        multi = null;
      } else if (isMulti) {
        return { validUpTo: multiStart, stop: { kind: 'bad', offset: r.start, reason: 'MULTI inside MULTI' }, records };
      } else {
        multi.push(r.argv);
        multiOffsets.push(r.start);
      }
    } else if (isMulti) {
      multi = [];
      multiOffsets = [];
      multiStart = r.start;
    } else if (isExec) {
      return { validUpTo: pos, stop: { kind: 'bad', offset: r.start, reason: 'EXEC without MULTI' }, records };
    } else {
      onUnit?.([r.argv], r.start, null);
    }
    pos = r.end;
  }
  if (multi) {
    return {
      validUpTo: multiStart,
      stop: { kind: 'truncated', offset: multiStart, reason: 'incomplete MULTI/EXEC transaction at the end of the file' },
      records,
    };
  }
  return { validUpTo: pos, stop: null, records };
}
