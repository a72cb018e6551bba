/**
 * Requests with very many arguments (an XADD of 100,000 fields is 200,003)
 * are kept packed: every argument's bytes back to back in one Buffer, with
 * their end offsets in an Int32Array. One Buffer object per argument would be
 * hundreds of thousands of small heap objects alive while the request
 * arrives and runs, and each young-generation collection in that time copies
 * them all (tens of milliseconds during which no other client is served).
 *
 * The engine still sees a `Buffer[]`: packedArgv() gives a Proxy over an
 * array that makes each argument (a copy of its packed bytes) the first
 * time it is read, and keeps it. Commands that handle many arguments in bulk
 * (XADD's fields) take the packed form itself from packedOf() and read the
 * bytes with no per-argument object at all.
 */

/** Arguments packed in one buffer: argument i is buf[i === 0 ? 0 : ends[i - 1], ends[i]). */
export interface PackedArgs {
  readonly buf: Buffer;
  readonly ends: Int32Array;
  readonly count: number;
}

const PACKED = Symbol('packed-args');

/** Start offset of argument i. */
export function packedStart(p: PackedArgs, i: number): number {
  return i === 0 ? 0 : p.ends[i - 1];
}

/**
 * Argument i of a packed request as a Buffer of its own (a copy, as the
 * parser makes for every argument of an ordinary request: a view would keep
 * the whole packed request alive for as long as a stored argument lives).
 */
function copiedArg(p: PackedArgs, i: number): Buffer {
  const start = packedStart(p, i);
  const end = p.ends[i];
  const out = Buffer.allocUnsafe(end - start);
  p.buf.copy(out, 0, start, end);
  return out;
}

/** The packed form behind an argv made by packedArgv(), or null for an ordinary array. */
export function packedOf(argv: readonly Buffer[]): PackedArgs | null {
  return (argv as unknown as { [PACKED]?: PackedArgs })[PACKED] ?? null;
}

/** Index for a property key that is a canonical array index below `n`, else -1. */
function indexOf(prop: string | symbol, n: number): number {
  if (typeof prop !== 'string') return -1;
  const c = prop.charCodeAt(0);
  if (c < 48 || c > 57) return -1;
  const i = Number(prop);
  return Number.isInteger(i) && i < n && String(i) === prop ? i : -1;
}

/**
 * An argv over packed arguments: behaves as a Buffer[] of `p.count`
 * elements (indexing, length, iteration, slice, spread, Array.isArray), each
 * element made on first access and then kept, so argv[i] === argv[i].
 * Writes go to the array as usual.
 */
export function packedArgv(p: PackedArgs): Buffer[] {
  const n = p.count;
  const target: Buffer[] = new Array<Buffer>(n);
  // Once the array is written to, the packed bytes no longer say what it holds: packedOf() then gives null.
  let written = false;
  return new Proxy(target, {
    get(t, prop, receiver) {
      const i = indexOf(prop, t.length);
      if (i >= 0) {
        const v = t[i];
        if (v !== undefined || i >= n) return v;
        return (t[i] = copiedArg(p, i));
      }
      if (prop === PACKED) return written ? undefined : p;
      return Reflect.get(t, prop, receiver);
    },
    set(t, prop, value, receiver) {
      written = true;
      return Reflect.set(t, prop, value, receiver);
    },
    deleteProperty(t, prop) {
      written = true;
      return Reflect.deleteProperty(t, prop);
    },
    has(t, prop) {
      const i = indexOf(prop, t.length);
      if (i >= 0 && i < n) return true;
      return Reflect.has(t, prop);
    },
    getOwnPropertyDescriptor(t, prop) {
      const i = indexOf(prop, t.length);
      if (i >= 0 && i < n && t[i] === undefined) t[i] = copiedArg(p, i);
      return Reflect.getOwnPropertyDescriptor(t, prop);
    },
    ownKeys(t) {
      for (let i = 0; i < n; i++) if (t[i] === undefined) t[i] = copiedArg(p, i);
      return Reflect.ownKeys(t);
    },
  });
}

/**
 * An argv of `head` followed by arguments [from, p.count) of p, itself
 * packed: the tail's bytes are copied in one piece and no object is made per
 * argument (XADD logs its packed fields this way behind a rewritten ID).
 */
export function packedWithHead(head: readonly Buffer[], p: PackedArgs, from: number): Buffer[] {
  let headBytes = 0;
  for (const h of head) headBytes += h.length;
  const start = packedStart(p, from);
  const end = p.ends[p.count - 1];
  const count = head.length + p.count - from;
  const buf = Buffer.allocUnsafe(headBytes + end - start);
  const ends = new Int32Array(count);
  let o = 0;
  for (let i = 0; i < head.length; i++) {
    o += head[i].copy(buf, o);
    ends[i] = o;
  }
  p.buf.copy(buf, o, start, end);
  const shift = o - start;
  for (let i = from, j = head.length; i < p.count; i++, j++) ends[j] = p.ends[i] + shift;
  return packedArgv({ buf, ends, count });
}

/** Collects the arguments of one request into packed form as they are parsed. */
export class PackedBuilder {
  private buf: Buffer;
  private ends: Int32Array;
  private used = 0;
  private n = 0;

  /**
   * `count` is the announced number of arguments. Sizes follow the bytes
   * that actually arrive, not the announcement (a client may announce
   * 2^31 - 1 arguments and send three): the offset table starts at up to 4Ki
   * entries and the bytes at up to 64 KB, and each growth at most doubles
   * the table and at most multiplies the bytes by 8 (see grow).
   */
  constructor(private readonly count: number) {
    this.ends = new Int32Array(Math.min(count, 4096));
    this.buf = Buffer.allocUnsafe(Math.min(count * 12, 64 * 1024));
  }

  /**
   * Room for `more` bytes: at least double, and once a thousand arguments
   * have shown their average size, enough for all announced ones (+10 %),
   * so a big request is copied about twice rather than once per doubling.
   */
  private grow(more: number): void {
    const buf = this.buf;
    let size = Math.max(buf.length * 2, this.used + more);
    if (this.n >= 1024) size = Math.max(size, Math.min(Math.ceil((this.used / this.n) * this.count * 1.1), buf.length * 8));
    const grown = Buffer.allocUnsafe(size);
    buf.copy(grown, 0, 0, this.used);
    this.buf = grown;
  }

  /** Appends src[start, end) as the next argument. */
  add(src: Buffer, start: number, end: number): void {
    const len = end - start;
    if (this.used + len > this.buf.length) this.grow(len);
    const buf = this.buf;
    if (len < 32) {
      const u = this.used;
      for (let i = 0; i < len; i++) buf[u + i] = src[start + i];
    } else {
      src.copy(buf, this.used, start, end);
    }
    this.used += len;
    if (this.n === this.ends.length) {
      const grown = new Int32Array(this.n * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[this.n++] = this.used;
  }

  /** The finished request (every announced argument added). */
  finish(): PackedArgs {
    return { buf: this.buf, ends: this.ends, count: this.n };
  }
}
