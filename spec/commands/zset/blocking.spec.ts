/**
 * BZPOPMIN / BZPOPMAX / BZMPOP: the same scenario runs against rivulet and
 * redis-server and every client's replies must be identical — several
 * clients blocked on several keys served in the order they blocked, a key
 * deleted or given another type while clients wait, CLIENT UNBLOCK,
 * timeouts, and MULTI (which never blocks).
 */
import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { RawConnection, sleep, normalise, encodeCommand, ORACLE_AT_LEAST_7_2, type Reply } from '../../helpers.js';

type Scenario = (port: number) => Promise<unknown[]>;

/** Sends a blocking command; resolves (once the server had time to block the client) to a holder of the reply's promise. */
async function blockOn(c: RawConnection, ...cmd: (string | number)[]): Promise<{ reply: Promise<Reply> }> {
  const reply = c.next(15000);
  c.write(encodeCommand(cmd));
  await sleep(30); // let the server block the client before the next step
  return { reply };
}

async function withClients<T>(port: number, n: number, f: (cs: RawConnection[], admin: RawConnection) => Promise<T>): Promise<T> {
  const cs = await Promise.all(Array.from({ length: n }, () => RawConnection.open(port)));
  const admin = await RawConnection.open(port);
  try {
    await admin.call('FLUSHALL');
    return await f(cs, admin);
  } finally {
    for (const c of cs) c.close();
    admin.close();
  }
}

describe('blocking sorted-set pops', () => {
  const s = useServers();

  async function same(scenario: Scenario): Promise<void> {
    const ours = await scenario(s.port);
    const theirs = await scenario(s.oracle.port);
    expect(ours).to.deep.equal(theirs);
  }

  it('several clients blocked on several keys are served in the order they blocked', async () => {
    await same((port) =>
      withClients(port, 4, async (cs, admin) => {
        const p0 = await blockOn(cs[0], 'BZPOPMIN', 'k1', 'k2', '0');
        const p1 = await blockOn(cs[1], 'BZPOPMAX', 'k2', '0');
        const p2 = await blockOn(cs[2], 'BZMPOP', '0', '2', 'k2', 'k1', 'MIN', 'COUNT', '2');
        const p3 = await blockOn(cs[3], 'BZPOPMIN', 'k1', '0');
        await admin.call('ZADD', 'k2', '1', 'a', '2', 'b', '3', 'c');
        const first = [normalise(await p0.reply), normalise(await p1.reply), normalise(await p2.reply)];
        await admin.call('ZADD', 'k1', '5', 'x');
        first.push(normalise(await p3.reply));
        first.push(normalise(await admin.call('EXISTS', 'k1', 'k2')));
        return first;
      }),
    );
  });

  it('one ZADD of many members serves every waiter it can, then the rest keep waiting until a timeout', async () => {
    await same((port) =>
      withClients(port, 3, async (cs, admin) => {
        const ps = [
          await blockOn(cs[0], 'BZPOPMIN', 'k', '0'),
          await blockOn(cs[1], 'BZPOPMIN', 'k', '0'),
          await blockOn(cs[2], 'BZPOPMIN', 'k', '0.2'),
        ];
        await admin.call('ZADD', 'k', '1', 'a', '2', 'b');
        return [normalise(await ps[0].reply), normalise(await ps[1].reply), normalise(await ps[2].reply)];
      }),
    );
  });

  it('a key deleted or set to another type keeps clients waiting; a re-run over a wrong-type key fails with WRONGTYPE', async () => {
    await same((port) =>
      withClients(port, 2, async (cs, admin) => {
        await admin.call('ZADD', 'gone', '1', 'a');
        await admin.call('DEL', 'gone');
        const p0 = await blockOn(cs[0], 'BZPOPMIN', 'k', '0');
        await admin.call('SET', 'k', 'string');
        await sleep(30);
        await admin.call('DEL', 'k');
        await admin.call('ZADD', 'k', '1', 'a');
        const r0 = normalise(await p0.reply);
        const p1 = await blockOn(cs[1], 'BZPOPMIN', 'other', 'k2', '0');
        await admin.call('SET', 'other', 'x');
        await admin.call('ZADD', 'k2', '1', 'b');
        const r1 = normalise(await p1.reply);
        // Redis 7.2+ re-runs the whole pop (WRONGTYPE from `other`); 7.0 served the signalled key alone.
        return ORACLE_AT_LEAST_7_2 ? [r0, r1] : [r0];
      }),
    );
  });

  it('CLIENT UNBLOCK ends the wait with a timeout reply or an UNBLOCKED error; errors for bad timeouts; MULTI does not block', async () => {
    await same((port) =>
      withClients(port, 2, async (cs, admin) => {
        const id0 = (await cs[0].call('CLIENT', 'ID')) as number;
        const id1 = (await cs[1].call('CLIENT', 'ID')) as number;
        const p0 = await blockOn(cs[0], 'BZPOPMIN', 'k', '0');
        const p1 = await blockOn(cs[1], 'BZMPOP', '0', '1', 'k', 'MAX');
        const u0 = await admin.call('CLIENT', 'UNBLOCK', id0);
        const u1 = await admin.call('CLIENT', 'UNBLOCK', id1, 'ERROR');
        const out: unknown[] = [u0, u1, normalise(await p0.reply), normalise(await p1.reply)];
        for (const cmd of [
          ['BZPOPMIN', 'k', 'abc'], ['BZPOPMIN', 'k', '-1'], ['BZMPOP', 'x', '1', 'k', 'MIN'], ['BZMPOP', '0', '0', 'k', 'MIN'],
          ['BZPOPMIN', 'k', '0.05'], ['BZMPOP', '0.05', '1', 'k', 'MIN'],
        ]) {
          out.push(normalise(await cs[0].call(...cmd)));
        }
        await cs[0].call('MULTI');
        await cs[0].call('BZPOPMIN', 'k', '0');
        await cs[0].call('BZMPOP', '0', '1', 'k', 'MIN');
        out.push(normalise(await cs[0].call('EXEC')));
        await admin.call('SET', 'str', 'x');
        out.push(normalise(await cs[0].call('BZPOPMIN', 'str', '0')));
        await admin.call('ZADD', 'k', '1', 'a', '2', 'b');
        out.push(normalise(await cs[0].call('BZPOPMAX', 'nokey', 'k', '0')));
        out.push(normalise(await cs[0].call('BZMPOP', '0', '2', 'nokey', 'k', 'MIN', 'COUNT', '5')));
        return out;
      }),
    );
  });

  it('a served blocking pop is propagated as ZPOPMIN/ZPOPMAX after the write that woke it, with its events', async () => {
    const c = await RawConnection.open(s.port);
    try {
      const p = c.call('BZPOPMAX', 'k', '0');
      await sleep(30);
      await s.raw.call('ZADD', 'k', '1', 'a', '2', 'b');
      expect(normalise(await p)).to.deep.equal(['k', 'b', '2']);
      const q = c.call('BZMPOP', '0', '1', 'k2', 'MIN', 'COUNT', '3');
      await sleep(30);
      await s.raw.call('ZADD', 'k2', '1', 'x');
      await q;
      expect(s.propagated).to.deep.equal(['ZADD k 1 a 2 b', 'ZPOPMAX k', 'ZADD k2 1 x', 'ZPOPMIN k2 3']);
      expect(s.events).to.deep.equal(['n:new:k:0', 'z:zadd:k:0', 'z:zpopmax:k:0', 'n:new:k2:0', 'z:zadd:k2:0', 'z:zpopmin:k2:0', 'g:del:k2:0']);
    } finally {
      c.close();
    }
  });
});
