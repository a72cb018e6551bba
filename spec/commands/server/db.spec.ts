import { expect } from 'chai';
import { differential, RawConnection, useRivulet, startRivulet, startRedis, normalise, sleep, HAVE_REDIS, ORACLE_AT_LEAST_7_2, type ExternalServer } from '../../helpers.js';
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
