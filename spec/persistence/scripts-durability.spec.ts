/**
 * Scripts under SIGKILL: a real rivulet-server with appendfsync always runs
 * scripts that each write three keys (an item, a counter, a high-water mark)
 * from several clients, and is killed at a random moment. After a restart on
 * the same directory every acknowledged script's effects are there, and no
 * script is half-applied: the counter, the high-water mark and the items
 * always agree, because a script's writes reach the AOF as one MULTI/EXEC
 * unit and a torn unit at the tail is dropped on load.
 */
import { expect } from 'chai';
import { startRivuletProcess, tmpDir, rmrf, RawConnection, sleep, waitForPing } from '../helpers.js';

const SCRIPT = `
redis.call('set', KEYS[1], ARGV[1])
redis.call('incr', KEYS[2])
redis.call('set', KEYS[3], ARGV[1])
return tonumber(ARGV[1])
`;

/** Most scripts one writer sends per round (a bound, so that no loop outlives its test; the kill comes long before). */
const MAX_SCRIPTS = 100000;

/** One client: scripts numbered from, from+1, ... until the connection dies (or MAX_SCRIPTS); returns the highest acknowledged. */
async function writer(port: number, id: number, from: number): Promise<number> {
  let c: RawConnection;
  try {
    c = await RawConnection.open(port);
  } catch {
    return from - 1;
  }
  let acked = from - 1;
  try {
    for (let n = from; n < from + MAX_SCRIPTS; n++) {
      const r = await c.call('EVAL', SCRIPT, 3, `item:${id}:${n}`, `count:${id}`, `last:${id}`, String(n));
      if (r !== n) throw new Error(`unexpected reply ${String(r)}`);
      acked = n;
    }
  } catch {
    /* the server was killed */
  } finally {
    c.close();
  }
  return acked;
}

describe('scripts under SIGKILL with appendfsync always', function () {
  this.timeout(120000);

  it('every acknowledged script is there after a restart, and none is half-applied', async () => {
    const dir = tmpDir();
    const CLIENTS = 4;
    const next = Array.from({ length: CLIENTS }, () => 1);
    try {
      for (let round = 0; round < 3; round++) {
        const p = await startRivuletProcess(['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--loglevel', 'warning']);
        await waitForPing(p.port);
        const runs = next.map((from, id) => writer(p.port, id, from));
        await sleep(300 + Math.floor(Math.random() * 700));
        await p.stop(); // SIGKILL
        const acked = await Promise.all(runs);

        const q = await startRivuletProcess(['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--loglevel', 'warning']);
        const c = await RawConnection.open(q.port);
        try {
          for (let id = 0; id < CLIENTS; id++) {
            const last = Number((await c.call('GET', `last:${id}`)) ?? 0);
            const count = Number((await c.call('GET', `count:${id}`)) ?? 0);
            expect(last, `client ${id}: acknowledged ${acked[id]}, recovered ${last}`).to.be.at.least(acked[id]);
            expect(count, `client ${id}: counter and high-water mark agree`).to.equal(last);
            if (last > 0) expect(await c.call('EXISTS', `item:${id}:${last}`)).to.equal(1);
            expect(await c.call('EXISTS', `item:${id}:${last + 1}`), `client ${id}: nothing past the mark`).to.equal(0);
            next[id] = last + 1;
          }
          const items = (await c.call('KEYS', 'item:*')) as string[];
          expect(items.length).to.equal(next.reduce((n, v) => n + v - 1, 0));
        } finally {
          c.close();
          await q.stop();
        }
      }
      expect(next.some((n) => n > 1), 'some scripts ran').to.equal(true);
    } finally {
      rmrf(dir);
    }
  });
});
