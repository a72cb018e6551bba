/**
 * Helpers for the stream command specs: exact RESP3 bytes, and a capture of
 * what a command propagates to the AOF and which keyspace events it fires.
 */
import net from 'node:net';
import { encodeCommand, sleep } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';

/**
 * Opens a raw socket, switches to RESP3 (HELLO 3, reply discarded) and
 * returns a function that sends one command and resolves with the exact
 * reply bytes (as text).
 */
export async function resp3(port: number): Promise<{ call: (...args: (string | number)[]) => Promise<string>; close: () => void }> {
  const sock = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', () => resolve());
    sock.once('error', reject);
  });
  let buf = '';
  sock.on('data', (d) => (buf += d.toString('latin1')));
  const exchange = async (args: (string | number)[]): Promise<string> => {
    buf = '';
    sock.write(encodeCommand(args));
    // Replies are written in one batch per command: wait until bytes stop arriving.
    let seen = -1;
    for (let i = 0; i < 200; i++) {
      await sleep(5);
      if (buf.length > 0 && buf.length === seen) break;
      seen = buf.length;
    }
    return buf;
  };
  await exchange(['HELLO', '3']);
  return { call: (...args) => exchange(args), close: () => sock.destroy() };
}

/** Records what the server propagates (as text commands) and the keyspace events it fires. */
export function capture(rs: RivuletServer): { aof: string[][]; events: string[]; reset: () => void } {
  const srv = rs.server;
  const out = { aof: [] as string[][], events: [] as string[], reset: () => {} };
  out.reset = () => {
    out.aof.length = 0;
    out.events.length = 0;
  };
  srv.aof = {
    feed(_db: number, argvs: Buffer[][]) {
      for (const a of argvs) out.aof.push(a.map((b) => b.toString('latin1')));
    },
    writeError: () => null,
    close: async () => {},
  };
  const notify = srv.notify.bind(srv);
  srv.notify = (cls: string, event: string, key: string, db: number) => {
    out.events.push(`${cls}:${event}:${key}`);
    notify(cls, event, key, db);
  };
  return out;
}
