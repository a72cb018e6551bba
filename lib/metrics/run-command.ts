/**
 * The one place where the dashboard runs a real command: XACK, XCLAIM and
 * XGROUP SETID go through the dispatcher like any client's command, so they
 * are checked (arity, OOM, MISCONF), counted in INFO commandstats and
 * written to the AOF.
 *
 * It runs in a session without a connection (the engine's createSession),
 * and its reply is read once the engine says the AOF covers it (under
 * `appendfsync always`, after the fsync), as a connection's reply would be.
 */
import type { Engine } from '../engine/engine.js';

/** What the command answered: a RESP reply decoded far enough for the dashboard. */
export interface CommandResult {
  /** The error text when the reply was an error (`NOGROUP No such key ...`). */
  error: string | null;
  /** The reply as RESP text (first 4 KB), for display. */
  raw: string;
}

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
    const c = server.createSession('metrics-dashboard');
    c.db = server.dbs[db];
    server.execute(
      c,
      argv.map((a) => (typeof a === 'string' ? Buffer.from(a, 'utf8') : a)),
    );
    server.afterCommand();
    const reply = c.reply.take();
    server.whenDurable(() => finish(reply));
  });
}
