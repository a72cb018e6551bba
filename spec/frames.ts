/**
 * A small RESP2/RESP3 frame scanner for the byte-exact differential specs.
 *
 * A reply stream is a sequence of top-level frames. scanFrame() cuts one off
 * the front of a buffer and decodes it into a tree that keeps every wire
 * type apart (`+OK` is not `$2 OK`, `$-1` is not `*-1` is not `_`), so
 * encodeFrame(scanFrame(b).frame) gives back exactly the bytes scanned for
 * everything a server sends (canonical lengths, no streamed aggregates).
 * An attribute (`|n`) is not a reply of its own: it is kept on the frame
 * it precedes. Push frames (`>n`) are top-level frames like any other.
 *
 * FrameConnection reads frames off a socket one at a time, for the
 * differential runner in helpers.ts.
 */
import net from 'node:net';

/** Simple (one-line) types: status, error, integer, double, boolean, big number, null. */
export type SimpleType = '+' | '-' | ':' | ',' | '#' | '(' | '_';
/** Length-prefixed blobs: bulk string, blob error, verbatim string. */
export type BulkType = '$' | '!' | '=';
/** Aggregates: array, map (items are key, value, key, value...), set, push, attribute. */
export type AggregateType = '*' | '%' | '~' | '>' | '|';

interface FrameBase {
  /** The attribute frame (`|`) that preceded this one on the wire, if any. */
  attr?: AggregateFrame;
}
export interface SimpleFrame extends FrameBase {
  type: SimpleType;
  /** The text after the type byte, up to CRLF (empty for `_`). */
  line: string;
}
export interface BulkFrame extends FrameBase {
  type: BulkType;
  /** The payload; null for a RESP2 null bulk (`$-1`). */
  data: Buffer | null;
}
export interface AggregateFrame extends FrameBase {
  type: AggregateType;
  /** The elements (a map's keys and values alternate); null for a RESP2 null array (`*-1`). */
  items: Frame[] | null;
}
export type Frame = SimpleFrame | BulkFrame | AggregateFrame;

const SIMPLE = new Set(['+', '-', ':', ',', '#', '(', '_']);
const BULK = new Set(['$', '!', '=']);
const AGGREGATE = new Set(['*', '%', '~', '>', '|']);

/** Thrown for bytes that are not RESP (as opposed to a frame that is merely incomplete). */
export class ProtocolViolation extends Error {}

/**
 * Decodes the frame starting at `buf[at]`. Returns it with the offset just
 * after it, or null when the buffer ends before the frame does. Throws
 * ProtocolViolation on bytes no RESP2/RESP3 server may send.
 */
export function scanFrame(buf: Buffer, at = 0): { frame: Frame; end: number } | null {
  const eol = buf.indexOf('\r\n', at, 'latin1');
  if (eol === -1) return null;
  const type = String.fromCharCode(buf[at]);
  const line = buf.toString('latin1', at + 1, eol);
  let next = eol + 2;
  if (SIMPLE.has(type)) {
    if (type === '_' && line !== '') throw new ProtocolViolation(`null with a payload: ${JSON.stringify(line)}`);
    return { frame: { type: type as SimpleType, line }, end: next };
  }
  if (!/^(-1|0|[1-9][0-9]*)$/.test(line)) throw new ProtocolViolation(`bad length ${JSON.stringify(line)} after ${JSON.stringify(type)}`);
  const n = Number(line);
  if (BULK.has(type)) {
    if (n === -1) {
      if (type !== '$') throw new ProtocolViolation(`${type}-1 is not a RESP frame`);
      return { frame: { type: '$', data: null }, end: next };
    }
    if (buf.length < next + n + 2) return null;
    if (buf[next + n] !== 13 || buf[next + n + 1] !== 10) throw new ProtocolViolation(`${type}${n} payload not followed by CRLF`);
    return { frame: { type: type as BulkType, data: Buffer.from(buf.subarray(next, next + n)) }, end: next + n + 2 };
  }
  if (AGGREGATE.has(type)) {
    if (n === -1) {
      if (type !== '*') throw new ProtocolViolation(`${type}-1 is not a RESP frame`);
      return { frame: { type: '*', items: null }, end: next };
    }
    const count = type === '%' || type === '|' ? 2 * n : n;
    const items: Frame[] = [];
    for (let i = 0; i < count; i++) {
      const r = scanFrame(buf, next);
      if (!r) return null;
      items.push(r.frame);
      next = r.end;
    }
    const frame: AggregateFrame = { type: type as AggregateType, items };
    if (type === '|') {
      // An attribute annotates the frame after it: return that frame carrying it.
      const r = scanFrame(buf, next);
      if (!r) return null;
      if (r.frame.attr) throw new ProtocolViolation('two attributes in a row');
      return { frame: { ...r.frame, attr: frame }, end: r.end };
    }
    return { frame, end: next };
  }
  throw new ProtocolViolation(`unknown RESP type byte 0x${buf[at].toString(16)} (${JSON.stringify(type)})`);
}

/** The wire bytes of a frame (its attribute first). */
export function encodeFrame(f: Frame): Buffer {
  const parts: Buffer[] = [];
  const put = (x: Frame): void => {
    if (x.attr) put(x.attr);
    if ('line' in x) {
      parts.push(Buffer.from(`${x.type}${x.line}\r\n`, 'latin1'));
    } else if ('data' in x) {
      if (x.data === null) parts.push(Buffer.from('$-1\r\n'));
      else parts.push(Buffer.from(`${x.type}${x.data.length}\r\n`, 'latin1'), x.data, Buffer.from('\r\n'));
    } else if (x.items === null) {
      parts.push(Buffer.from('*-1\r\n'));
    } else {
      const n = x.type === '%' || x.type === '|' ? x.items.length / 2 : x.items.length;
      parts.push(Buffer.from(`${x.type}${n}\r\n`, 'latin1'));
      for (const i of x.items) put(i);
    }
  };
  put(f);
  return Buffer.concat(parts);
}

/** A frame's bytes as a JSON string literal (CR, LF and binary escaped), cut at `max` characters. */
export function escapeFrame(f: Frame | Buffer | null, max = 1500): string {
  if (f === null) return '<connection closed>';
  const s = JSON.stringify((Buffer.isBuffer(f) ? f : encodeFrame(f)).toString('latin1'));
  return s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s;
}

// ---- building and reshaping frames (for a differential step's normaliser) ----

export const bulk = (s: string | Buffer): BulkFrame => ({ type: '$', data: Buffer.isBuffer(s) ? s : Buffer.from(s) });
export const simple = (s: string): SimpleFrame => ({ type: '+', line: s });
export const integer = (n: number | bigint): SimpleFrame => ({ type: ':', line: String(n) });

/** A frame's text: the line of a simple frame, the payload of a bulk one; null otherwise. */
export function textOf(f: Frame | undefined): string | null {
  if (!f) return null;
  if ('line' in f) return f.line;
  if ('data' in f) return f.data ? f.data.toString('latin1') : null;
  return null;
}

/** Whether a frame is an aggregate (with elements). */
export function isAggregate(f: Frame | undefined): f is AggregateFrame & { items: Frame[] } {
  return !!f && 'items' in f && f.items !== null;
}

/** The key/value pairs of a map, or of a RESP2 flat array of pairs. */
export function pairsOf(f: Frame): [Frame, Frame][] {
  if (!isAggregate(f)) return [];
  const out: [Frame, Frame][] = [];
  for (let i = 0; i + 1 < f.items.length; i += 2) out.push([f.items[i], f.items[i + 1]]);
  return out;
}

/** The same aggregate with other elements. */
export function withItems<F extends Frame>(f: F, items: Frame[]): F {
  return { ...f, items };
}

/** Removes the pairs whose key text is in `keys` from a map (or a RESP2 flat array of pairs). */
export function dropPairs(f: Frame, keys: Iterable<string>): Frame {
  if (!isAggregate(f)) return f;
  const drop = new Set(keys);
  return withItems(f, pairsOf(f).filter(([k]) => !drop.has(textOf(k) ?? '')).flat());
}

/** Applies `fn` to the value paired with `key` in a map (or RESP2 flat array of pairs). */
export function mapPair(f: Frame, key: string, fn: (v: Frame) => Frame): Frame {
  if (!isAggregate(f)) return f;
  return withItems(f, pairsOf(f).flatMap(([k, v]) => [k, textOf(k) === key ? fn(v) : v]));
}

/** Sorts a map's (or RESP2 flat array's) pairs by the bytes of their keys. */
export function sortPairs(f: Frame): Frame {
  if (!isAggregate(f)) return f;
  const key = (p: [Frame, Frame]): string => encodeFrame(p[0]).toString('latin1');
  return withItems(f, pairsOf(f).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).flat());
}

/**
 * Sorts, at every depth, the elements of arrays and sets (maps by key) by
 * their bytes: for replies whose order Redis leaves to its hash tables.
 */
export function sortDeep(f: Frame): Frame {
  if (!isAggregate(f)) return f;
  const items = f.items.map(sortDeep);
  if (f.type === '%' || f.type === '|') return sortPairs(withItems(f, items));
  const enc = items.map((i) => [encodeFrame(i).toString('latin1'), i] as const);
  enc.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return withItems(f, enc.map((e) => e[1]));
}

/** Applies `fn` to every frame of the tree, children first. */
export function mapDeep(f: Frame, fn: (x: Frame) => Frame): Frame {
  if (isAggregate(f)) return fn(withItems(f, f.items.map((i) => mapDeep(i, fn))));
  return fn(f);
}

// ---- reading frames off a socket ----

/** A client socket whose replies are read one top-level frame at a time. */
export class FrameConnection {
  private sock!: net.Socket;
  private buf = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  closed = false;

  static async open(port: number): Promise<FrameConnection> {
    const c = new FrameConnection();
    await new Promise<void>((resolve, reject) => {
      c.sock = net.connect(port, '127.0.0.1', () => resolve());
      c.sock.once('error', reject);
    });
    c.sock.on('error', () => {});
    c.sock.on('data', (d) => {
      c.buf = c.buf.length ? Buffer.concat([c.buf, d]) : d;
      c.wake?.();
    });
    c.sock.on('close', () => {
      c.closed = true;
      c.wake?.();
    });
    return c;
  }

  write(data: Buffer): void {
    if (!this.closed) this.sock.write(data);
  }

  /**
   * The next frame and its exact bytes; null when the server closed the
   * connection first. Throws after `timeoutMs` without a whole frame, or on
   * bytes that are not RESP.
   */
  async next(timeoutMs = 20000): Promise<{ frame: Frame; raw: Buffer } | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buf.length) {
        const r = scanFrame(this.buf);
        if (r) {
          const raw = this.buf.subarray(0, r.end);
          this.buf = this.buf.subarray(r.end);
          return { frame: r.frame, raw };
        }
      }
      if (this.closed) {
        if (this.buf.length) throw new ProtocolViolation(`connection closed inside a frame: ${escapeFrame(this.buf)}`);
        return null;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no whole reply frame within ${timeoutMs} ms; pending bytes ${escapeFrame(this.buf)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
      this.wake = null;
    }
  }

  close(): void {
    this.sock.destroy();
  }
}
