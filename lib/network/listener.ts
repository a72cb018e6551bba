/**
 * The network layer's front door: listening sockets (TCP), admitting or
 * refusing connections (maxclients, protected mode), wiring each socket to a
 * Connection, and closing everything at shutdown. The engine reaches it only
 * through the NetworkControl interface.
 */
import net from 'node:net';
import fs from 'node:fs';
import { strerror } from '../persistence/writer.js';
import { Connection, sharedReadBuffer } from './connection.js';
import { isLoopback } from '../config.js';
import { DurabilityGate } from './durability.js';
import { describeSession, type Engine, type NetworkControl } from '../engine/engine.js';
import * as E from '../errors.js';

export class Network implements NetworkControl {
  private listeners: net.Server[] = [];
  private readonly gate: DurabilityGate;
  /** The Unix socket path listened on (removed on close), or null. */
  private unixPath: string | null = null;
  port = 0;

  constructor(private readonly engine: Engine) {
    this.gate = new DurabilityGate(engine);
    engine.network = this;
  }

  async listen(): Promise<number> {
    await this.listenTcp(this.engine.config.int('port'));
    await this.listenUnix();
    return this.port;
  }

  /**
   * CONFIG SET port / bind (Redis's changeListener): closes the TCP
   * listeners, then listens again on `port` with the current bind addresses
   * (port 0: TCP stays closed, as in Redis). Resolves false, with the reason
   * logged, when that fails; the caller restores the old values and calls it
   * again. The Unix socket is not touched.
   */
  async relisten(port: number): Promise<boolean> {
    const tcp = this.listeners.filter((l) => typeof l.address() !== 'string');
    this.listeners = this.listeners.filter((l) => !tcp.includes(l));
    for (const l of tcp) l.close();
    if (port === 0) {
      this.port = 0;
      return true;
    }
    try {
      await this.listenTcp(port);
      this.engine.log('notice', `Server initialized, listening on port ${this.port}`);
      return true;
    } catch (err) {
      this.engine.log('warning', (err as Error).message);
      return false;
    }
  }

  private async listenTcp(wanted: number): Promise<void> {
    const engine = this.engine;
    const binds = engine.config.get('bind').split(' ').filter(Boolean);
    let port = wanted;
    const opened: net.Server[] = [];
    for (const b of binds) {
      const optional = b.startsWith('-');
      const host = optional ? b.slice(1) : b;
      // Paused: an admitted socket is re-made with a read buffer of our choosing (see adoptSocket) before anything is read.
      const srv = net.createServer({ noDelay: true, pauseOnConnect: true }, (sock) => this.accept(sock));
      try {
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen({ host: host === '*' ? undefined : host, port, backlog: engine.config.int('tcp-backlog') }, () => {
            srv.off('error', reject);
            resolve();
          });
        });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (optional && (e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT')) {
          engine.log('warning', `Could not create server TCP listening socket ${host}:${port}: ${e.code}`);
          continue;
        }
        for (const l of opened) l.close();
        throw new ListenError(host, port, e);
      }
      opened.push(srv);
      if (port === 0) port = (srv.address() as net.AddressInfo).port;
    }
    if (opened.length === 0) throw new ListenError(binds.join(' '), port, new Error('no address could be bound'));
    this.listeners.push(...opened);
    this.port = port;
  }

  /** unixsocket: listen on a Unix socket as well (a stale socket file is replaced), with unixsocketperm's mode. */
  private async listenUnix(): Promise<void> {
    const engine = this.engine;
    const file = engine.config.get('unixsocket');
    if (file === '') return;
    fs.rmSync(file, { force: true });
    const srv = net.createServer({ pauseOnConnect: true }, (sock) => this.accept(sock, true));
    try {
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ path: file, backlog: engine.config.int('tcp-backlog') }, () => {
          srv.off('error', reject);
          resolve();
        });
      });
      const perm = parseInt(engine.config.get('unixsocketperm'), 8);
      if (perm !== 0) fs.chmodSync(file, perm);
    } catch (err) {
      for (const l of this.listeners) l.close();
      this.listeners = [];
      srv.close();
      throw new Error(`Failed opening Unix socket: ${strerror(err)}`);
    }
    this.listeners.push(srv);
    this.unixPath = file;
  }

  private accept(sock: net.Socket, unix = false): void {
    const engine = this.engine;
    // Refused connections count only in rejected_connections, as in Redis (stat_numconnections is bumped after the checks).
    if (engine.clients.size >= engine.config.int('maxclients')) {
      this.refuse(sock, E.MAX_CLIENTS.message);
      return;
    }
    if (engine.config.bool('protected-mode') && engine.config.get('requirepass') === '' && !isLoopback(sock.remoteAddress)) {
      this.refuse(sock, PROTECTED_MODE_DENIED);
      return;
    }
    engine.stats.connectionsReceived++;
    let conn: Connection | null = null;
    sock = adoptSocket(sock, {
      buffer: () => (conn === null ? sharedReadBuffer : conn.readBuffer()),
      callback: (n: number, buf: Uint8Array) => {
        conn!.onRead(n, buf as Buffer);
      },
    });
    if (unix) {
      engine.log('verbose', `Accepted connection to ${engine.config.get('unixsocket')}`);
    } else {
      engine.log('verbose', `Accepted ${sock.remoteAddress?.replace(/^::ffff:/, '')}:${sock.remotePort}`);
      sock.setNoDelay(true);
      const keepalive = engine.config.int('tcp-keepalive');
      if (keepalive > 0) sock.setKeepAlive(true, keepalive * 1000);
    }
    conn = new Connection(engine, sock, engine.nextSessionId(), this.gate, unix);
    const c = conn;
    engine.clients.set(c.session.id, c.session);
    // The peer closed its side (Redis: a read of 0 bytes).
    sock.on('end', () => {
      if (!c.session.closing) engine.log('verbose', `Client closed connection ${describeSession(c.session)}`);
    });
    sock.on('error', () => {
      /* reset by peer etc.: 'close' follows */
    });
    sock.on('close', () => engine.disconnect(c.session));
  }

  /**
   * Sends one error line to a connection that is not admitted and closes it.
   * (A refused socket is the one net.Server made: paused, reading into Node's own buffers once resumed.)
   * Its input is read and dropped (an unread socket would never see the
   * peer's close and would linger, holding a file descriptor), and it is
   * destroyed after a second whatever the peer does.
   */
  private refuse(sock: net.Socket, message: string): void {
    this.engine.stats.rejectedConnections++;
    sock.on('error', () => {});
    sock.setTimeout(1000, () => sock.destroy());
    sock.resume();
    sock.end('-' + message + '\r\n');
  }

  /** Periodic checks of every connection (output-buffer limits while replies wait). */
  cron(): void {
    for (const s of this.engine.clients.values()) {
      const conn = s.link as Connection | null;
      if (conn && conn.outputBytes() > 0) conn.checkOutputLimit();
    }
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    // net.Server.close() only calls back once every connection has ended: close the clients before waiting.
    const unlistened = Promise.all(this.listeners.map((l) => new Promise<void>((r) => l.close(() => r()))));
    for (const c of this.engine.clients.values()) c.close();
    await unlistened;
    if (this.unixPath !== null) {
      this.engine.log('notice', 'Removing the unix socket file.');
      fs.rmSync(this.unixPath, { force: true });
      this.unixPath = null;
    }
  }
}

/** What a socket does with each read (net.Socket's `onread` option). */
interface ReadTarget {
  /** The buffer the next read fills (asked once before the first read and after every read). */
  buffer: () => Uint8Array;
  /** `n` bytes were read into `buf` (the last buffer returned). */
  callback: (n: number, buf: Uint8Array) => void;
}

/**
 * The same connection as a net.Socket that reads into buffers the caller
 * chooses. net.Server has no `onread` option (only client sockets take one),
 * so the accepted socket, still paused (pauseOnConnect) and never read from,
 * hands its handle to a new Socket made with `onread`; the server's
 * connection count follows the new socket, and the old object, without a
 * handle, is dropped. `data` events are not emitted: the callback gets every
 * read; 'end', 'close', pause() and resume() work as usual.
 */
function adoptSocket(old: net.Socket, onread: ReadTarget): net.Socket {
  const inner = old as unknown as { _handle: unknown; _server: net.Server | null; server: net.Server | null };
  const handle = inner._handle;
  const server = inner._server;
  // The option is typed for client sockets; Node honours it with `handle` too (its initSocketHandle).
  const sock = new net.Socket({ handle, readable: true, writable: true, onread } as unknown as net.SocketConstructorOpts);
  inner._handle = null;
  inner._server = null;
  inner.server = null;
  const adopted = sock as unknown as { _server: net.Server | null; server: net.Server | null };
  adopted._server = server;
  adopted.server = server;
  return sock;
}

export class ListenError extends Error {
  constructor(
    readonly host: string,
    readonly listenPort: number,
    override readonly cause: NodeJS.ErrnoException,
  ) {
    super(`Could not create server TCP listening socket ${host}:${listenPort}: bind: ${describe(cause)}`);
  }
}

function describe(e: NodeJS.ErrnoException): string {
  if (e.code === 'EADDRINUSE') return 'Address already in use';
  if (e.code === 'EADDRNOTAVAIL') return 'Cannot assign requested address';
  if (e.code === 'EACCES') return 'Permission denied';
  return e.message;
}

/** Redis's text word for word (networking.c; 7.2+ corrected 7.0's "Setup a an" to "Set up an"): clients may match on it. */
export const PROTECTED_MODE_DENIED =
  "DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.";
