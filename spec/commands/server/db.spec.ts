import { expect } from 'chai';
import { differential, RawConnection, useRivulet, startRivulet, startRedis, normalise, sleep, HAVE_REDIS, ORACLE_AT_LEAST_7_2, ORACLE_AT_LEAST_7_4, type ExternalServer } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';

describe('DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TIME, LASTSAVE, ROLE', () => {
  const fx = useRivulet();
  /** Seeds keys directly (this spec is about whole-database commands, not SET). */
  const seed = (db: number, ...keys: string[]): void => {
    for (const k of keys) fx.server.server.dbs[db].set(k, Buffer.from('v'));
  };
  beforeEach(() => {
    for (const db of fx.server.server.dbs) db.flush();
  });

  it('DBSIZE counts the keys of the selected database', async () => {
    expect(await fx.redis.dbsize()).to.equal(0);
    seed(0, 'a', 'b');
    seed(1, 'c');
    expect(await fx.redis.dbsize()).to.equal(2);
    const c = await RawConnection.open(fx.server.port);
    await c.call('SELECT', '1');
    expect(await c.call('DBSIZE')).to.equal(1);
    c.close();
  });

  it('FLUSHDB empties only the selected database, and counts as a change to propagate', async () => {
    seed(0, 'a');
    seed(1, 'b');
    const dirty = fx.server.server.dirty;
    expect(await fx.redis.call('FLUSHDB')).to.equal('OK');
    expect(fx.server.server.dbs[0].size).to.equal(0);
    expect(fx.server.server.dbs[1].size).to.equal(1);
    expect(fx.server.server.dirty).to.be.greaterThan(dirty);
    expect(await fx.redis.call('FLUSHDB', 'ASYNC')).to.equal('OK');
    expect(await fx.redis.call('FLUSHDB', 'sync')).to.equal('OK');
  });

  it('FLUSHALL empties every database', async () => {
    seed(0, 'a');
    seed(5, 'b');
    const dirty = fx.server.server.dirty;
    expect(await fx.redis.call('FLUSHALL', 'SYNC')).to.equal('OK');
    expect(fx.server.server.dbs.every((d) => d.size === 0)).to.equal(true);
    expect(fx.server.server.dirty).to.be.greaterThan(dirty);
  });

  it('FLUSHDB makes an EXEC that WATCHed a flushed key fail', async () => {
    seed(0, 'w');
    const c = await RawConnection.open(fx.server.port);
    expect(await c.call('WATCH', 'w')).to.equal('OK');
    await fx.redis.call('FLUSHDB');
    await c.call('MULTI');
    await c.call('PING');
    expect(await c.call('EXEC')).to.equal(null);
    c.close();
  });

  it('SWAPDB exchanges the contents of two databases, expiries included', async () => {
    seed(0, 'zero');
    seed(1, 'one', 'uno');
    fx.server.server.dbs[1].setExpire('uno', Date.now() + 60_000);
    expect(await fx.redis.call('SWAPDB', '0', '1')).to.equal('OK');
    expect([...fx.server.server.dbs[0].data.keys()].sort()).to.deep.equal(['one', 'uno']);
    expect(fx.server.server.dbs[0].getExpire('uno')).to.be.a('number');
    expect([...fx.server.server.dbs[1].data.keys()]).to.deep.equal(['zero']);
    expect(await fx.redis.dbsize()).to.equal(2);
    expect(await fx.redis.call('SWAPDB', '3', '3')).to.equal('OK');
  });

  it('SWAPDB keeps every key\'s idle time (OBJECT IDLETIME), as redis-server does', async function () {
    // Redis moves the objects, LRU clock and all; the keys must not look freshly used afterwards.
    const idleAfterSwap = async (port: number): Promise<unknown[]> => {
      const c = await RawConnection.open(port, true); // (the DUMP payload is binary)
      try {
        await c.call('FLUSHALL');
        await c.call('SET', 'tmp', 'value');
        const payload = (await c.call('DUMP', 'tmp')) as Buffer;
        await c.call('DEL', 'tmp');
        expect(String(await c.call('RESTORE', 'a', '0', payload, 'IDLETIME', '500'))).to.equal('OK');
        await c.call('SELECT', '1');
        expect(String(await c.call('RESTORE', 'c', '0', payload, 'IDLETIME', '77'))).to.equal('OK');
        expect(String(await c.call('SWAPDB', '0', '1'))).to.equal('OK');
        const out = [await c.call('OBJECT', 'IDLETIME', 'a')];
        await c.call('SELECT', '0');
        out.push(await c.call('OBJECT', 'IDLETIME', 'c'));
        await c.call('FLUSHALL');
        return out;
      } finally {
        c.close();
      }
    };
    const ours = (await idleAfterSwap(fx.server.port)) as number[];
    // (The clocks count whole seconds: one may tick between RESTORE and OBJECT IDLETIME.)
    expect(ours[0]).to.be.within(500, 501);
    expect(ours[1]).to.be.within(77, 78);
    if (!fx.oracle) this.skip(); // redis-server not installed for the comparison
    const theirs = (await idleAfterSwap(fx.oracle!.port)) as number[];
    expect(theirs[0]).to.be.within(500, 501);
    expect(theirs[1]).to.be.within(77, 78);
  });

  it('TIME returns seconds and microseconds close to the wall clock', async () => {
    const [s, us] = (await fx.redis.call('TIME')) as string[];
    expect(s).to.match(/^\d+$/);
    expect(us).to.match(/^\d{1,6}$/);
    const t = Number(s) * 1000 + Number(us) / 1000;
    expect(Math.abs(t - Date.now())).to.be.below(1000);
  });

  it('LASTSAVE is a unix time no later than now', async () => {
    const t = (await fx.redis.call('LASTSAVE')) as number;
    expect(t).to.be.at.most(Math.floor(Date.now() / 1000));
    expect(t).to.be.at.least(Math.floor(Date.now() / 1000) - 3600);
  });

  it('ROLE says master with offset 0 and no replicas, like a fresh redis-server', async function () {
    expect(await fx.redis.call('ROLE')).to.deep.equal(['master', 0, []]);
    if (!fx.oracle) this.skip(); // redis-server not installed for the differential part
    await differential(fx.server.port, fx.oracle!.port, [['ROLE']]);
  });

  it('arguments and errors match redis-server', async function () {
    if (!fx.oracle) this.skip(); // redis-server not installed
    await differential(fx.server.port, fx.oracle!.port, [
      ['DBSIZE'],
      ['DBSIZE', 'x'],
      ['FLUSHDB', 'foo'],
      ['FLUSHDB', 'ASYNC', 'extra'],
      ['FLUSHALL', 'foo'],
      ['FLUSHALL', 'async'],
      ['SWAPDB', '0', 'x'],
      ['SWAPDB', 'x', '0'],
      ['SWAPDB', '0', '99'],
      ['SWAPDB', '-1', '0'],
      ['SWAPDB', '0'],
      ['SWAPDB', '0', '1'],
      ['TIME', 'x'],
      ['LASTSAVE', 'x'],
      ['ROLE', 'x'],
    ]);
  });
});

describe('SWAPDB and WATCH of logically expired keys (Redis 7.2+)', () => {
  let riv: RivuletServer;
  let oracle: ExternalServer | null = null;
  before(async () => {
    riv = await startRivulet();
    if (HAVE_REDIS) oracle = await startRedis(['--enable-debug-command', 'yes']);
  });
  after(async () => {
    await riv.close();
    await oracle?.stop();
  });

  /** Runs the steps (['SLEEP', ms] pauses) on a fresh connection with active expiry off; returns EXEC's reply. */
  async function run(port: number, steps: (string | number)[][]): Promise<unknown> {
    const c = await RawConnection.open(port);
    try {
      await c.call('FLUSHALL');
      await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      for (const s of steps) {
        if (s[0] === 'SLEEP') await sleep(Number(s[1]));
        else await c.call(...s);
      }
      await c.call('MULTI');
      await c.call('PING');
      return normalise(await c.call('EXEC'));
    } finally {
      await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      await c.call('SELECT', '0');
      c.close();
    }
  }

  const cases: [string, (string | number)[][], unknown][] = [
    ['a watched stale key swapped for nothing is no change', [['SET', 'x', 'foo', 'PX', 1], ['SLEEP', 10], ['WATCH', 'x'], ['SWAPDB', 0, 1]], ['PONG']],
    [
      'a missing watched key replaced by a stale one is no change',
      [['SELECT', 1], ['SET', 'x', 'foo', 'PX', 1], ['SELECT', 0], ['SLEEP', 10], ['WATCH', 'x'], ['SWAPDB', 0, 1]],
      ['PONG'],
    ],
    [
      'a watched stale key replaced by another stale one is no change',
      [['SET', 'x', 'a', 'PX', 1], ['SELECT', 1], ['SET', 'x', 'b', 'PX', 1], ['SELECT', 0], ['SLEEP', 10], ['WATCH', 'x'], ['SWAPDB', 0, 1]],
      ['PONG'],
    ],
    [
      'a watched stale key replaced by a live one aborts EXEC',
      [['SET', 'x', 'a', 'PX', 1], ['SELECT', 1], ['SET', 'x', 'b'], ['SELECT', 0], ['SLEEP', 10], ['WATCH', 'x'], ['SWAPDB', 0, 1]],
      null,
    ],
    ['a live watched key swapped away aborts EXEC', [['SET', 'x', 'a'], ['WATCH', 'x'], ['SWAPDB', 0, 1]], null],
    ['a missing watched key replaced by a live one aborts EXEC', [['SELECT', 1], ['SET', 'x', 'b'], ['SELECT', 0], ['WATCH', 'x'], ['SWAPDB', 0, 1]], null],
    ['a watched key missing from both databases is no change', [['WATCH', 'x'], ['SWAPDB', 0, 1]], ['PONG']],
  ];
  for (const [name, steps, expected] of cases) {
    it(name, async () => {
      expect(await run(riv.port, steps)).to.deep.equal(expected);
      // Redis 7.0 dirtied every watched key SWAPDB touched, stale or not.
      if (oracle && ORACLE_AT_LEAST_7_2) expect(await run(oracle.port, steps)).to.deep.equal(expected);
    });
  }
});

describe('FLUSHALL / FLUSHDB and INFO lazyfree counters (Redis 7.4)', () => {
  let riv: RivuletServer;
  let oracle: ExternalServer | null = null;
  before(async () => {
    riv = await startRivulet();
    if (HAVE_REDIS && ORACLE_AT_LEAST_7_4) oracle = await startRedis();
  });
  after(async () => {
    await riv.close();
    await oracle?.stop();
  });

  /** lazyfreed_objects after each step of the script (and lazyfree_pending_objects at the end). */
  async function run(port: number): Promise<number[]> {
    const c = await RawConnection.open(port);
    const counter = async (name: string): Promise<number> => Number(new RegExp(`${name}:(\\d+)`).exec(String(await c.call('INFO', 'memory')))![1]);
    const seen: number[] = [];
    try {
      await c.call('FLUSHALL');
      await c.call('CONFIG', 'RESETSTAT');
      const steps: string[][][] = [
        [['MSET', 'a', '1', 'b', '2', 'c', '3'], ['FLUSHALL', 'SYNC']],
        [['MSET', 'a', '1', 'b', '2'], ['FLUSHALL', 'ASYNC']],
        [['MSET', 'a', '1'], ['FLUSHDB']],
        [['MSET', 'a', '1'], ['SELECT', '1'], ['MSET', 'x', '1', 'y', '2'], ['FLUSHDB', 'sync'], ['SELECT', '0']],
        [['MSET', 'a', '1', 'b', '2'], ['MULTI'], ['FLUSHALL', 'SYNC'], ['EXEC']],
        [['MSET', 'a', '1', 'b', '2'], ['MULTI'], ['FLUSHALL', 'ASYNC'], ['EXEC']],
        [['CONFIG', 'SET', 'lazyfree-lazy-user-flush', 'yes'], ['MSET', 'a', '1'], ['MULTI'], ['FLUSHDB'], ['EXEC'], ['CONFIG', 'SET', 'lazyfree-lazy-user-flush', 'no']],
        [['FLUSHALL']],
        [['CONFIG', 'RESETSTAT']],
      ];
      for (const step of steps) {
        for (const cmd of step) await c.call(...cmd);
        // Redis frees in a background thread: wait for it to finish.
        for (let i = 0; i < 100 && (await counter('lazyfree_pending_objects')) > 0; i++) await sleep(10);
        seen.push(await counter('lazyfreed_objects'));
      }
    } finally {
      c.close();
    }
    return seen;
  }

  it('counts the keys of every flush Redis 7.4 frees in the background (SYNC too, except inside MULTI)', async () => {
    expect(await run(riv.port)).to.deep.equal([3, 5, 6, 8, 8, 10, 11, 11, 0]);
    // Redis 7.0 counted only ASYNC flushes.
    if (oracle) expect(await run(oracle.port)).to.deep.equal([3, 5, 6, 8, 8, 10, 11, 11, 0]);
  });
});
