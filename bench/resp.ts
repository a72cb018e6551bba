/**
 * A small, fast RESP2 client for the benchmark: one socket, pipelined calls
 * answered in order. Written here (rather than using ioredis) so that the
 * client side costs as little CPU as possible on a 2-core machine — the same
 * client drives both servers, so its cost compresses every ratio towards 1.
 *
 * Replies: simple strings and bulks become latin1 strings (IDs and small
 * fields), integers numbers, nil null, arrays arrays, errors RespError values
 * (resolved, not thrown, so a benchmark loop can count them).
 */
import net from 'node:net';

export type Reply = string | number | null | RespError | Reply[];

export class RespError {
  constructor(readonly message: string) {}
}

export function encodeCommand(args: readonly (string | number | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'latin1');
    parts.push(Buffer.from(`$${b.length}\r\n`, 'latin1'), b, CRLF);
  }
  return Buffer.concat(parts);
}
const CRLF = Buffer.from('\r\n', 'latin1');

/** Thrown internally when the buffer ends mid-reply. */
const INCOMPLETE = Symbol('incomplete');

/**
 * Parses one reply from buf at pos; returns it and sets `end`. Throws
 * INCOMPLETE when more bytes are needed (the caller retries from the reply's
 * start when they arrive: replies here are a few KiB, so re-parsing is cheap).
 */
class ReplyReader {
  end = 0;

  read(buf: Buffer, pos: number): Reply {
    const nl = buf.indexOf(10, pos);
    if (nl < 0) throw INCOMPLETE;
    const type = buf[pos];
    const line = buf.toString("latin1", pos + 1, nl - 1);
    switch (type) {
      case 43: // +
        this.end = nl + 1;
        return line;
      case 45: // -
        this.end = nl + 1;
        return new RespError(line);
      case 58: // :
        this.end = nl + 1;
        return Number(line);
      case 36: {
        // $
        const len = Number(line);
        if (len < 0) {
          this.end = nl + 1;
          return null;
        }
        const start = nl + 1;
        if (start + len + 2 > buf.length) throw INCOMPLETE;
        this.end = start + len + 2;
        return buf.toString("latin1", start, start + len);
      }
      case 42: {
        // *
        const n = Number(line);
        if (n < 0) {
          this.end = nl + 1;
          return null;
        }
        const out = new Array<Reply>(n);
        let p = nl + 1;
        for (let i = 0; i < n; i++) {
          out[i] = this.read(buf, p);
          p = this.end;
        }
        this.end = p;
        return out;
      }
      default:
        throw new Error(`unexpected RESP type byte ${type}`);
    }
  }
}

export class RespClient {
  private readonly socket: net.Socket;
  private readonly waiting: ((r: Reply) => void)[] = [];
  private waitHead = 0;
  private buf: Buffer = Buffer.alloc(0);
  private readonly reader = new ReplyReader();
  private closedError: Error | null = null;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => (this.closedError = err));
    socket.on('close', () => {
      this.closedError ??= new Error('connection closed');
      // Anyone still waiting gets an error reply rather than hanging for ever.
      while (this.waitHead < this.waiting.length) this.waiting[this.waitHead++](new RespError(this.closedError.message));
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(new RespClient(s));
      });
      s.once('error', reject);
    });
  }

  call(args: readonly (string | number | Buffer)[]): Promise<Reply> {
    return this.send(encodeCommand(args));
  }

  /** Sends pre-encoded bytes holding exactly one command. */
  send(bytes: Buffer): Promise<Reply> {
    if (this.closedError) return Promise.resolve(new RespError(this.closedError.message));
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.socket.write(bytes);
    });
  }

  /** Sends pre-encoded bytes holding exactly `count` commands in one write; resolves with the last reply. */
  sendBatch(bytes: Buffer, count: number): Promise<Reply> {
    if (this.closedError) return Promise.resolve(new RespError(this.closedError.message));
    return new Promise((resolve) => {
      for (let i = 1; i < count; i++) this.waiting.push(() => {});
      this.waiting.push(resolve);
      this.socket.write(bytes);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    let pos = 0;
    const buf = this.buf;
    while (pos < buf.length) {
      let reply: Reply;
      try {
        reply = this.reader.read(buf, pos);
      } catch (e) {
        if (e === INCOMPLETE) break;
        throw e;
      }
      pos = this.reader.end;
      const cb = this.waiting[this.waitHead++];
      if (this.waitHead > 1024 && this.waitHead * 2 > this.waiting.length) {
        this.waiting.splice(0, this.waitHead);
        this.waitHead = 0;
      }
      cb?.(reply);
    }
    this.buf = pos >= buf.length ? Buffer.alloc(0) : buf.subarray(pos);
  }
}

/** One command on a fresh connection. */
export async function oneShot(port: number, args: (string | number)[]): Promise<Reply> {
  const c = await RespClient.connect(port);
  try {
    return await c.call(args);
  } finally {
    c.close();
  }
}

/** INFO section → field map. */
export function parseInfo(text: Reply): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof text !== 'string') return out;
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && line[0] !== '#') out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}
