import { expect } from 'chai';
import { differential, RawConnection, useRivulet } from '../../helpers.js';

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
