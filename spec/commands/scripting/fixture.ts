/**
 * Scripting specs' set-up: a fresh rivulet and a fresh redis-server (so
 * math.random's state and the script caches start equal), and `same()`,
 * which sends each command to both (the raw differential of helpers.ts, in
 * RESP2 and RESP3) and requires byte-identical reply frames.
 */
import { startRivulet, startRedis, HAVE_REDIS, RawConnection, differential, type ExternalServer } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';

export type Cmd = (string | number | Buffer)[];

export interface ScriptServers {
  server: RivuletServer;
  oracle: ExternalServer;
  ours: RawConnection;
  theirs: RawConnection;
  /** Each command to both servers, in RESP2 and RESP3; the reply frames must be byte-identical. */
  same(cmds: Cmd[]): Promise<void>;
  /** rivulet's raw reply bytes for one command. */
  raw(...cmd: Cmd): Promise<string>;
}

async function rawCall(c: RawConnection, cmd: Cmd): Promise<string> {
  const before = c.received.length;
  await c.call(...cmd);
  return c.received.subarray(before).toString('latin1');
}

/** Fresh servers per describe block; skips the block when redis-server is missing. */
export function useScriptServers(): ScriptServers {
  const s = {} as ScriptServers;
  before(async function () {
    if (!HAVE_REDIS) this.skip(); // the differential specs need redis-server
    s.server = await startRivulet();
    s.oracle = await startRedis();
    s.ours = await RawConnection.open(s.server.port);
    s.theirs = await RawConnection.open(s.oracle.port);
    // RESP2 then RESP3, on fresh connections; no FLUSHALL: a test's same() calls build on each other's keys.
    s.same = (cmds) => differential(s.server.port, s.oracle.port, cmds, { noFlush: true });
    s.raw = (...cmd) => rawCall(s.ours, cmd);
  });
  after(async () => {
    s.ours?.close();
    s.theirs?.close();
    await s.server?.close();
    await s.oracle?.stop();
  });
  return s;
}
