/**
 * The one place where the dashboard runs a real command: XACK, XCLAIM and
 * XGROUP SETID go through the dispatcher like any client's command, so they
 * are checked (arity, OOM, MISCONF), counted in INFO commandstats and
 * written to the AOF.
 *
 * Until the engine refactor (issue 12) gives a socket-less Session and
 * `engine.call(session, argv)`, a command needs a Session, and a Session needs a
 * socket: this file gives it a stand-in that only receives the reply. When the engine
 * lands, this becomes `engine.call(new Session(engine), argv)` and nothing
 * else in lib/metrics changes.
 */
import type { Socket } from 'node:net';
import { Session } from '../engine/session.js';
import type { Engine } from '../engine/engine.js';

/** What the command answered: a RESP reply decoded far enough for the dashboard. */
export interface CommandResult {
  /** The error text when the reply was an error (`NOGROUP No such key ...`). */
  error: string | null;
  /** The reply as RESP text (first 4 KB), for display. */
  raw: string;
}

/**
 * A stand-in socket that only receives the command's reply: the client's
 * reply goes out through the normal path (Engine.writeToClient), so under
 * `appendfsync always` it is released only after the fsync, as for any
 * connection, and the AOF sees the reply batch it expects after each write.
 */
function replySocket(onReply: (data: Buffer) => void): Socket {
  return {
    remoteAddress: undefined,
    remotePort: 0,
    localAddress: undefined,
    localPort: 0,
    destroyed: false,
    writable: true,
    writableLength: 0,
    write: (data: Buffer) => {
      onReply(data);
      return true;
    },
    end: () => undefined,
    destroy: () => undefined,
    pause: () => undefined,
    resume: () => undefined,
    isPaused: () => false,
    once: () => undefined,
  } as unknown as Socket;
}

/** Session ids for these sessions count down from -1 so they never collide with connections. */
let nextId = -1;

/** How long a reply may wait for the AOF (a failing disk holds it). */
const REPLY_TIMEOUT_MS = 10_000;

/**
 * Runs one command against database `db` as an authenticated client. The
 * command itself runs synchronously, like any command; the promise resolves
 * with its reply once the reply may be sent (after the fsync under
 * `appendfsync always`).
 */
export function runCommand(server: Engine, db: number, argv: (string | Buffer)[]): Promise<CommandResult> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (reply: Buffer): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const raw = reply.subarray(0, 4096).toString('utf8');
      const eol = raw.indexOf('\r\n');
      resolve({ error: raw.startsWith('-') ? raw.slice(1, eol < 0 ? undefined : eol) : null, raw });
    };
    const timer = setTimeout(() => finish(Buffer.from('-ERR timed out waiting for the append only file\r\n')), REPLY_TIMEOUT_MS);
    const c = new Session(server, replySocket(finish), nextId--);
    c.authenticated = true;
    c.name = 'metrics-dashboard';
    c.db = server.dbs[db];
    server.execute(
      c,
      argv.map((a) => (typeof a === 'string' ? Buffer.from(a, 'utf8') : a)),
    );
    c.flush();
  });
}
