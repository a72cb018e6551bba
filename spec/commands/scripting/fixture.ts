/**
 * Scripting specs' set-up: a fresh rivulet and a fresh redis-server (so
 * math.random's state and the script caches start equal), and `same()`,
 * which sends each command to both and requires byte-identical replies.
 */
import { expect } from 'chai';
import { startRivulet, startRedis, HAVE_REDIS, RawConnection, type ExternalServer } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';

export type Cmd = (string | number | Buffer)[];

export interface ScriptServers {
  server: RivuletServer;
  oracle: ExternalServer;
  ours: RawConnection;
  theirs: RawConnection;
  /** Each command to both servers; the raw reply bytes must be identical. */
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
    s.same = async (cmds) => {
      for (const cmd of cmds) {
        const a = await rawCall(s.ours, cmd);
        const b = await rawCall(s.theirs, cmd);
        expect(JSON.stringify(a), cmd.map(String).join(' ')).to.equal(JSON.stringify(b));
      }
    };
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
