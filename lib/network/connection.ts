/**
 * One client connection: the socket, the request parser and the session the
 * engine runs its commands in. This is the only place (with the listener)
 * that touches client sockets: reading requests, writing replies in one
 * batch per read, holding replies until the AOF has made them durable,
 * pausing reads for clients that do not read their replies (backpressure),
 * and client-output-buffer-limit.
 */
import type { Socket } from 'node:net';
import { RequestParser, type ParserLimits } from '../resp/parser.js';
import { Session, type Link } from '../engine/session.js';
import type { Engine } from '../engine/engine.js';
import type { DurabilityGate } from './durability.js';
import { isLoopback } from '../config.js';

/** Unsent reply bytes past which a client's requests stop being read (see applyBackpressure). */
export const READ_PAUSE_BYTES = 16 * 1024 * 1024;
/**
 * The buffer every connection's socket reads into (64 KB, as Node's own
 * reads): a read is parsed before the next one happens (reads and their
 * callbacks run one at a time on the event loop), and the parser copies what
 * it keeps (RequestParser.release).
 */
const SHARED_READ_BUFFER = Buffer.allocUnsafeSlow(64 * 1024);
export const sharedReadBuffer: Buffer = SHARED_READ_BUFFER;
/**
 * Request bytes one connection may read and parse in a row before the event
 * loop serves the others. libuv reads a readable socket up to 32 times per
 * loop turn (2 MB of 64 KB reads), and parsing 2 MB of a big request (an XADD
 * of 100,000 fields) or of a deep pipeline takes milliseconds during which
 * no other client is answered; Redis reads 16 KB per client per turn.
 */
const TURN_READ_BYTES = 256 * 1024;
/**
 * The same in time: reads of at least HEAVY_READ_BYTES are timed, and after
 * TURN_READ_MS of them the connection yields too. Right after start-up V8
 * still interprets the parser, and 256 KB then take over 10 ms.
 */
const HEAVY_READ_BYTES = 16 * 1024;
const TURN_READ_MS = 2;
/** Reply bytes an unauthenticated client may have pending (Redis's 16 KB static reply buffer; any more closes it). */
const UNAUTH_REPLY_MAX = 16 * 1024;

export class Connection implements Link {
  readonly session: Session;
  readonly parser: RequestParser;
  /** Replies held until the AOF bytes they depend on are durable (appendfsync always). */
  heldBytes = 0;
  /** When pending output first passed the soft client-output-buffer-limit, or 0. */
  softLimitSince = 0;
  private processing = false;
  private resumeScheduled = false;
  private pausedForOutput = false;
  /** Bytes read into the shared buffer since this connection last let the others run (see TURN_READ_BYTES). */
  private turnBytes = 0;
  /** Milliseconds spent on heavy reads since this connection last let the others run. */
  private turnMs = 0;
  private pausedForTurn = false;

  constructor(
    readonly engine: Engine,
    readonly socket: Socket,
    id: number,
    private readonly gate: DurabilityGate,
    /** Connected through the Unix socket: CLIENT LIST shows it as /unixsocket:0, as Redis does. */
    private readonly unix = false,
  ) {
    this.session = new Session(engine, id, this);
    const session = this.session;
    const config = engine.config;
    // Read live, so CONFIG SET reaches connections that are already open.
    const limits: ParserLimits = {
      get maxBulkLen() {
        return config.int('proto-max-bulk-len');
      },
      get maxQueryBuffer() {
        return config.int('client-query-buffer-limit');
      },
      authenticated: () => session.authenticated,
    };
    this.parser = new RequestParser(limits);
  }

  get addr(): string {
    if (this.unix) return '/unixsocket:0';
    return formatAddr(this.socket.remoteAddress, this.socket.remotePort);
  }

  get laddr(): string {
    if (this.unix) return '/unixsocket:0';
    return formatAddr(this.socket.localAddress, this.socket.localPort);
  }

  get remoteAddress(): string | undefined {
    return this.unix ? undefined : this.socket.remoteAddress;
  }

  get loopback(): boolean {
    return isLoopback(this.socket.remoteAddress);
  }

  get fd(): number {
    return (this.socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
  }

  get gone(): boolean {
    return this.socket.destroyed;
  }

  queryBufferBytes(): number {
    return this.parser.queryBufferBytes;
  }

  outputBytes(): number {
    return this.socket.writableLength + this.heldBytes;
  }

  /**
   * Where the socket reads next (net.Socket's `onread` buffer, asked after
   * every read): straight into the rest of a big argument while one is being
   * received, as Redis does, so its bytes are neither copied nor spread over
   * thousands of 64 KB buffers; otherwise the read buffer shared by all
   * connections (nothing is allocated per read).
   */
  readBuffer(): Buffer {
    return this.parser.directTarget() ?? SHARED_READ_BUFFER;
  }

  /** `n` bytes were read into `buf` (the buffer readBuffer() returned before the read). */
  onRead(n: number, buf: Buffer): void {
    this.engine.stats.netInputBytes += n;
    if (buf !== SHARED_READ_BUFFER) {
      this.session.lastInteraction = Date.now();
      try {
        this.parser.filledDirect(n);
      } catch {
        this.queryBufferOverflow();
        return;
      }
      // The big argument may now be complete (it is the last one, or its CRLF came in the same read).
      this.processInput();
      return;
    }
    const heavy = n >= HEAVY_READ_BYTES;
    const t0 = heavy ? performance.now() : 0;
    this.onData(buf.subarray(0, n));
    // The shared buffer is overwritten by the next read of any connection.
    this.parser.release();
    this.turnBytes += n;
    if (heavy) this.turnMs += performance.now() - t0;
    if (this.turnBytes >= TURN_READ_BYTES || this.turnMs >= TURN_READ_MS) this.yieldTurn();
  }

  /**
   * Stops reading this socket until the event loop has gone round once, so
   * other clients are served between its reads. Reads straight into a big
   * argument do not count: they parse nothing. (turnBytes and turnMs are
   * reset only here, so a connection reading steadily but slowly also yields
   * once per TURN_READ_BYTES or TURN_READ_MS: one readStop/readStart more,
   * nothing else.)
   */
  private yieldTurn(): void {
    const sock = this.socket;
    this.turnBytes = 0;
    this.turnMs = 0;
    if (this.pausedForTurn || this.pausedForOutput || sock.destroyed || this.session.closing) return;
    this.pausedForTurn = true;
    sock.pause();
    setImmediate(() => {
      this.pausedForTurn = false;
      if (!this.pausedForOutput && !sock.destroyed && !this.session.closing) sock.resume();
    });
  }

  /** Called for each chunk read from the socket. */
  onData(chunk: Buffer): void {
    this.session.lastInteraction = Date.now();
    try {
      this.parser.feed(chunk);
    } catch {
      this.queryBufferOverflow();
      return;
    }
    this.processInput();
  }

  private queryBufferOverflow(): void {
    this.engine.log('warning', `Closing client that reached max query buffer length: id=${this.session.id} addr=${this.addr}`);
    this.destroy();
  }

  /** Runs every complete command in the query buffer, unless blocked; then writes the replies in one batch. */
  processInput(): void {
    if (this.processing) return;
    this.processing = true;
    const s = this.session;
    try {
      while (!s.closing && s.blocked === null && !s.scriptSuspended && s.postponed === null) {
        let argv: Buffer[] | null;
        try {
          argv = this.parser.next();
        } catch (err) {
          // Protocol error: reply, then close once the reply is written (and read nothing more).
          s.reply.error((err as { message: string }).message);
          this.engine.stats.protocolErrors++;
          // Counted in total_error_replies and errorstats like any error reply, as Redis does.
          this.engine.stats.recordError('ERR', null, false);
          s.closeAfterReply();
          break;
        }
        if (argv === null) break;
        this.engine.execute(s, argv);
        if (!s.authenticated && s.reply.size > UNAUTH_REPLY_MAX) {
          // Redis (CVE-2025-21605 fix): an unauthenticated client whose replies outgrow the static reply buffer is closed
          // at once, unsent replies dropped, so pipelined password guessing costs a reconnect every ~256 attempts.
          this.engine.log('warning', `Client id=${s.id} addr=${this.addr} scheduled to be closed ASAP for overcoming of output buffer limits.`);
          this.destroy();
          break;
        }
      }
    } finally {
      this.processing = false;
      this.parser.commandDone();
    }
    this.flush();
  }

  scheduleResume(): void {
    if (this.resumeScheduled) return;
    this.resumeScheduled = true;
    setImmediate(() => {
      this.resumeScheduled = false;
      if (!this.session.closing || this.session.reply.size > 0) this.processInput();
    });
  }

  /** Writes pending replies (through the durability gate). */
  flush(): void {
    const s = this.session;
    if (s.reply.size > 0) {
      const data = s.reply.take();
      this.engine.stats.netOutputBytes += data.length;
      if (!this.socket.destroyed && !this.gate.hold(this, data)) this.write(data);
    }
    if (s.closing) this.endSocket();
  }

  /**
   * The one path by which reply bytes reach the socket: replies released by
   * the durability gate come through here too, so backpressure and output
   * limits see every byte.
   */
  write(data: Buffer): void {
    if (this.socket.destroyed) return;
    this.socket.write(data);
    this.applyBackpressure();
    this.checkOutputLimit();
  }

  /** Called by the durability gate when the last held reply of this connection went out. */
  heldReleased(): void {
    if (this.session.closing) this.endSocket();
    this.applyBackpressure();
  }

  /**
   * A client that sends commands but does not read the replies would make the
   * server buffer them without bound (Redis's default `normal 0 0 0` limit).
   * Instead, stop reading its requests while too many reply bytes wait (in the
   * socket or held for the AOF), and resume once they drain: TCP then pushes
   * back on the client.
   */
  applyBackpressure(): void {
    const sock = this.socket;
    if (this.pausedForOutput || sock.destroyed) return;
    if (this.outputBytes() < READ_PAUSE_BYTES) return;
    this.pausedForOutput = true;
    sock.pause();
    const resume = (): void => {
      if (sock.destroyed) return;
      if (this.outputBytes() >= READ_PAUSE_BYTES) {
        // Still over (held replies not yet released, or more queued): wait for the next drain or release.
        if (sock.writableLength > 0) sock.once('drain', resume);
        else setTimeout(resume, 10);
        return;
      }
      this.pausedForOutput = false;
      if (!this.pausedForTurn) sock.resume();
    };
    if (sock.writableLength > 0) sock.once('drain', resume);
    else setTimeout(resume, 10);
  }

  /** client-output-buffer-limit: a client whose unsent replies pass the hard limit (or the soft one for too long) is dropped. */
  checkOutputLimit(): void {
    const pending = this.outputBytes();
    if (pending === 0) {
      this.softLimitSince = 0;
      return;
    }
    const limit = this.engine.outputLimit(this.session.isSubscribed ? 'pubsub' : 'normal');
    if (!limit) return;
    let over = limit.hard > 0 && pending >= limit.hard;
    if (!over && limit.soft > 0 && pending >= limit.soft) {
      if (this.softLimitSince === 0) this.softLimitSince = Date.now();
      else if (Date.now() - this.softLimitSince >= limit.seconds * 1000) over = true;
    } else if (limit.soft > 0 && pending < limit.soft) {
      this.softLimitSince = 0;
    }
    if (over) {
      this.engine.log(
        'warning',
        `Client id=${this.session.id} addr=${this.addr} scheduled to be closed ASAP for overcoming of output buffer limits.`,
      );
      this.destroy();
    }
  }

  /**
   * Ends the connection after what was written, as Redis closes a client
   * after its last reply: no more reads, and the socket is destroyed once the
   * reply is flushed (the peer's next write fails). Replies held for an fsync
   * end it when they are released.
   */
  private endSocket(): void {
    if (this.socket.destroyed || this.heldBytes > 0) return;
    const sock = this.socket;
    sock.pause();
    sock.end(() => sock.destroy());
  }

  destroy(): void {
    this.session.closing = true;
    this.socket.destroy();
  }
}

function formatAddr(a: string | undefined, port: number | undefined): string {
  const host = a ?? '';
  return `${host.includes(':') ? `[${host}]` : host}:${port ?? 0}`.replace(/^\[::ffff:([\d.]+)\]/, '$1');
}
