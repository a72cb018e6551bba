/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP: each scenario runs on rivulet and
 * on redis-server, and every client's replies must be the same.
 */
import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes } from '../hash/bytes.js';
import { RawConnection, sleep, normalise, ORACLE_AT_LEAST_7_2 } from '../../helpers.js';

/** Opens n connections, runs `scenario`, and returns what it returned (normalised replies). */
async function onBoth(s: { port: number; oracle: { port: number } }, n: number, scenario: (cs: RawConnection[]) => Promise<unknown>): Promise<[unknown, unknown]> {
  const out: unknown[] = [];
  for (const port of [s.port, s.oracle.port]) {
    const cs = await Promise.all(Array.from({ length: n }, () => RawConnection.open(port)));
    try {
      await cs[0].call('FLUSHALL');
      out.push(await scenario(cs));
    } finally {
      for (const c of cs) c.close();
    }
  }
  return [out[0], out[1]];
}

/** Sends a blocking command without waiting for its reply, then waits until the server lists the client as blocked. */
async function block(c: RawConnection, admin: RawConnection, blockedBefore: number, ...cmd: (string | number)[]): Promise<void> {
  c.write((await import('../../helpers.js')).encodeCommand(cmd));
  for (let i = 0; i < 500; i++) {
    const info = String(await admin.call('INFO', 'clients'));
    if (Number(/blocked_clients:(\d+)/.exec(info)![1]) > blockedBefore) return;
    await sleep(5);
  }
  throw new Error('client did not block');
}

describe('blocking list pops', () => {
  const s = useServers();

  it('serve at once when a list has elements; errors and MULTI as Redis (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['RPUSH', 'b', '1', '2', '3'],
      ['BLPOP', 'a', 'b', '0'],
      ['BRPOP', 'a', 'b', '0.5'],
      ['BLMOVE', 'b', 'c', 'LEFT', 'RIGHT', '0'],
      ['BRPOPLPUSH', 'c', 'b', '0'],
      ['BLMPOP', '0', '2', 'a', 'b', 'LEFT', 'COUNT', '5'],
      ['BLPOP', 'a', 'x'],
      ['BLPOP', 'a', '-1'],
      ['BLPOP', 'a', '-0.0001e10'],
      ['BRPOPLPUSH', 'a', 'b', 'x'],
      ['BLMOVE', 'a', 'b', 'UP', 'LEFT', 'x'],
      ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', 'x'],
      ['BLMPOP', 'x', '1', 'a', 'LEFT'],
      ['BLMPOP', '0', '0', 'a', 'LEFT'],
      ['BLMPOP', '0', '1', 'a', 'LEFT', 'COUNT', '0'],
      ['SET', 's', 'v'],
      ['BLPOP', 's', '0'],
      ['BLPOP', 'nokey', 's', '0'],
      ['BLMOVE', 's', 'b', 'LEFT', 'LEFT', '0'],
      ['MULTI'],
      ['BLPOP', 'nokey', '0'],
      ['BRPOP', 'nokey', '0'],
      ['BLMOVE', 'nokey', 'b', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', 'nokey', 'b', '0'],
      ['BLMPOP', '0', '1', 'nokey', 'LEFT'],
      ['EXEC'],
    ]);
  });

  it('an infinite timeout is out of range, as Redis 7.2+ says (7.0 called it negative)', async () => {
    const cmds = [['BLPOP', 'a', 'inf'], ['BLPOP', 'a', '1e400'], ['BLPOP', 'a', '-inf']];
    if (ORACLE_AT_LEAST_7_2) await sameBytes(s.port, s.oracle.port, cmds);
    const got = [];
    for (const c of cmds) got.push(((await s.raw.call(...c)) as Error).message);
    expect(got).to.deep.equal(['ERR timeout is out of range', 'ERR timeout is out of range', 'ERR timeout is negative']);
  });

  it('time out with a null array after a fractional timeout (BLMOVE included)', async () => {
    const [ours, theirs] = await onBoth(s, 1, async ([c]) => {
      const t0 = Date.now();
      const r1 = await c.call('BLPOP', 'nokey', '0.05');
      const r2 = await c.call('BLMOVE', 'nokey', 'dst', 'LEFT', 'LEFT', '0.05');
      const r3 = await c.call('BLMPOP', '0.05', '1', 'nokey', 'RIGHT');
      const elapsed = Date.now() - t0;
      return { replies: [r1, r2, r3], waited: elapsed >= 140 };
    });
    expect(ours).to.deep.equal(theirs);
    expect(ours).to.deep.equal({ replies: [null, null, null], waited: true });
    const raw = await RawConnection.open(s.port);
    try {
      await raw.call('BRPOPLPUSH', 'nokey', 'dst', '0.01');
      expect(raw.received.toString()).to.equal('*-1\r\n');
    } finally {
      raw.close();
    }
  });

  it('many clients blocked on several keys are served in the order they blocked', async () => {
    const [ours, theirs] = await onBoth(s, 6, async (cs) => {
      const admin = cs[0];
      await block(cs[1], admin, 0, 'BLPOP', 'k1', 'k2', '0');
      await block(cs[2], admin, 1, 'BRPOP', 'k2', '0');
      await block(cs[3], admin, 2, 'BLPOP', 'k2', 'k1', '0');
      await block(cs[4], admin, 3, 'BLMPOP', '0', '2', 'k1', 'k2', 'LEFT', 'COUNT', '2');
      await block(cs[5], admin, 4, 'BLPOP', 'k1', '0');
      const r: unknown[] = [];
      r.push(await admin.call('RPUSH', 'k2', 'a', 'b'));
      r.push(normalise(await cs[1].next()), normalise(await cs[2].next()));
      r.push(await admin.call('RPUSH', 'k1', 'c', 'd', 'e', 'f'));
      r.push(normalise(await cs[3].next()), normalise(await cs[4].next()), normalise(await cs[5].next()));
      r.push(await admin.call('EXISTS', 'k1', 'k2'));
      return r;
    });
    expect(ours).to.deep.equal(theirs);
  });

  it('a re-run scans the keys in argument order: both keys filled in one transaction serve the first', async () => {
    const [ours, theirs] = await onBoth(s, 2, async ([admin, c]) => {
      await block(c, admin, 0, 'BLPOP', 'k1', 'k2', '0');
      await admin.call('MULTI');
      await admin.call('RPUSH', 'k2', 'two');
      await admin.call('RPUSH', 'k1', 'one');
      await admin.call('EXEC');
      return [normalise(await c.next()), await admin.call('LRANGE', 'k2', '0', '-1')];
    });
    // Redis 7.0 served the key signalled first (k2); 7.2+ re-executes the command, which takes k1.
    if (ORACLE_AT_LEAST_7_2) expect(ours).to.deep.equal(theirs);
    expect(ours).to.deep.equal([['k1', 'one'], ['two']]);
  });

  it('a BLMOVE chain: each destination wakes the next client, and the AOF gets the plain forms', async () => {
    const [ours, theirs] = await onBoth(s, 4, async ([admin, c1, c2, c3]) => {
      await block(c1, admin, 0, 'BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', '0');
      await block(c2, admin, 1, 'BRPOPLPUSH', 'b', 'c', '0');
      await block(c3, admin, 2, 'BLPOP', 'c', '0');
      await admin.call('RPUSH', 'a', 'x');
      return [normalise(await c1.next()), normalise(await c2.next()), normalise(await c3.next()), await admin.call('DBSIZE')];
    });
    expect(ours).to.deep.equal(theirs);
    expect(ours).to.deep.equal(['x', 'x', ['c', 'x'], 0]);
    expect(s.propagated.filter((p) => !p.startsWith('FLUSHALL'))).to.deep.equal([
      'RPUSH a x',
      'LMOVE a b LEFT RIGHT',
      'RPOPLPUSH b c',
      'LPOP c',
    ]);
  });

  it('a key deleted or turned into another type keeps the client waiting until it holds a list again', async () => {
    const [ours, theirs] = await onBoth(s, 2, async ([admin, c]) => {
      await block(c, admin, 0, 'BLPOP', 'k', '0');
      await admin.call('RPUSH', 'k', 'x');
      const first = normalise(await c.next());
      await block(c, admin, 0, 'BLPOP', 'k', '0');
      await admin.call('SET', 'k', 'string');
      await admin.call('DEL', 'k');
      await admin.call('HSET', 'k', 'f', 'v');
      await sleep(50);
      const stillBlocked = /blocked_clients:1/.test(String(await admin.call('INFO', 'clients')));
      await admin.call('DEL', 'k');
      await admin.call('LPUSH', 'k', 'y');
      return [first, stillBlocked, normalise(await c.next())];
    });
    expect(ours).to.deep.equal(theirs);
    expect(ours).to.deep.equal([['k', 'x'], true, ['k', 'y']]);
  });

  it('a BLMOVE whose destination became another type gets WRONGTYPE when served', async () => {
    const [ours, theirs] = await onBoth(s, 2, async ([admin, c]) => {
      await block(c, admin, 0, 'BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0');
      await admin.call('SET', 'dst', 'x');
      await admin.call('RPUSH', 'src', 'e');
      return [normalise(await c.next()), await admin.call('LRANGE', 'src', '0', '-1')];
    });
    expect(ours).to.deep.equal(theirs);
  });

  it('CLIENT UNBLOCK ends a list block with the timeout reply or an UNBLOCKED error', async () => {
    const [ours, theirs] = await onBoth(s, 2, async ([admin, c]) => {
      const id = String(await c.call('CLIENT', 'ID'));
      await block(c, admin, 0, 'BLPOP', 'k', '0');
      const u1 = await admin.call('CLIENT', 'UNBLOCK', id);
      const r1 = normalise(await c.next());
      await block(c, admin, 0, 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0');
      const u2 = await admin.call('CLIENT', 'UNBLOCK', id, 'ERROR');
      const r2 = normalise(await c.next());
      return [u1, r1, u2, r2, await admin.call('CLIENT', 'UNBLOCK', id)];
    });
    expect(ours).to.deep.equal(theirs);
    expect(ours).to.deep.equal([1, null, 1, { error: 'UNBLOCKED client unblocked via CLIENT UNBLOCK' }, 0]);
  });

  it('a served BLMPOP is propagated as LPOP/RPOP key count, BLPOP/BRPOP as LPOP/RPOP key', async () => {
    const [admin, c] = [s.raw, await RawConnection.open(s.port)];
    try {
      await block(c, admin, 0, 'BLMPOP', '0', '1', 'k', 'RIGHT', 'COUNT', '3');
      await admin.call('RPUSH', 'k', 'a', 'b');
      expect(await c.next()).to.deep.equal(['k', ['b', 'a']]);
      await block(c, admin, 0, 'BRPOP', 'k2', '0');
      await admin.call('RPUSH', 'k2', 'z');
      expect(await c.next()).to.deep.equal(['k2', 'z']);
      expect(s.propagated).to.deep.equal(['RPUSH k a b', 'RPOP k 2', 'RPUSH k2 z', 'RPOP k2']);
      expect(s.events.filter((e) => e.startsWith('l:'))).to.deep.equal(['l:rpush:k:0', 'l:rpop:k:0', 'l:rpush:k2:0', 'l:rpop:k2:0']);
    } finally {
      c.close();
    }
  });

  it('blocked clients count in INFO clients (blocked_clients, total_blocking_keys)', async function () {
    if (!ORACLE_AT_LEAST_7_2) this.skip(); // reason: total_blocking_keys appeared in Redis 7.2
    const [ours, theirs] = await onBoth(s, 3, async ([admin, c1, c2]) => {
      await block(c1, admin, 0, 'BLPOP', 'a', 'b', '0');
      await block(c2, admin, 1, 'BLPOP', 'b', '0');
      const info = String(await admin.call('INFO', 'clients'));
      return [/blocked_clients:(\d+)/.exec(info)![1], /total_blocking_keys:(\d+)/.exec(info)![1]];
    });
    expect(ours).to.deep.equal(theirs);
  });
});
