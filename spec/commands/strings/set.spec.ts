import { expect } from 'chai';
import { useServers, resp3Replies } from '../keyspace/fixture.js';

describe('SET, SETNX, SETEX, PSETEX', () => {
  const s = useServers();

  it('SET options behave as in Redis (NX, XX, GET, KEEPTTL, EX/PX/EXAT/PXAT)', async () => {
    await s.diff([
      ['SET', 'k', 'v1'],
      ['SET', 'k', 'v2', 'NX'],
      ['SET', 'k', 'v2', 'XX'],
      ['SET', 'new', 'v', 'XX'],
      ['SET', 'k', 'v3', 'GET'],
      ['SET', 'nokey', 'v', 'GET'],
      ['SET', 'k', 'v4', 'NX', 'GET'],
      ['SET', 'nx2', 'v', 'NX', 'GET'],
      ['GET', 'nx2'],
      ['SET', 'k', 'v5', 'EX', 100],
      ['TTL', 'k'],
      ['SET', 'k', 'v6', 'KEEPTTL'],
      ['TTL', 'k'],
      ['SET', 'k', 'v7'],
      ['TTL', 'k'],
      ['SET', 'k', 'v', 'PX', 100000],
      ['TTL', 'k'],
      ['SET', 'k', 'v', 'EXAT', 4102444800],
      ['EXPIRETIME', 'k'],
      ['SET', 'k', 'v', 'PXAT', 4102444800123],
      ['PEXPIRETIME', 'k'],
      ['SET', 'k', 'v', 'ex', 10, 'ex', 100],
      ['TTL', 'k'],
      ['SET', 'k', 'v', 'nx', 'nx'],
      ['SET', 'k', 'v', 'get', 'get'],
      ['XADD', 's', '1-1', 'f', 'v'],
      ['SET', 's', 'v'],
      ['TYPE', 's'],
      ['SET', 's2', 'x'],
      ['XADD', 's3', '1-1', 'f', 'v'],
      ['SET', 's3', 'v', 'GET'],
      ['TYPE', 's3'],
    ]);
  });

  it('SET refuses conflicting options and bad expire times with Redis\'s errors', async () => {
    await s.diff([
      ['SET', 'k', 'v', 'NX', 'XX'],
      ['SET', 'k', 'v', 'XX', 'NX'],
      ['SET', 'k', 'v', 'EX', 10, 'PX', 100],
      ['SET', 'k', 'v', 'EX', 10, 'KEEPTTL'],
      ['SET', 'k', 'v', 'KEEPTTL', 'EX', 10],
      ['SET', 'k', 'v', 'EX'],
      ['SET', 'k', 'v', 'PERSIST'],
      ['SET', 'k', 'v', 'FOO'],
      ['SET', 'k', 'v', 'EX', 0],
      ['SET', 'k', 'v', 'EX', -5],
      ['SET', 'k', 'v', 'PX', 0],
      ['SET', 'k', 'v', 'EXAT', 0],
      ['SET', 'k', 'v', 'EX', 'abc'],
      ['SET', 'k', 'v', 'EX', '9223372036854775807'],
      ['SET', 'k', 'v', 'PX', '9223372036854775807'],
      ['SET', 'k', 'v', 'EX', '1.5'],
      ['EXISTS', 'k'],
      ['SET', 'k'],
    ]);
  });

  it('SET with an expiry is propagated as SET key value PXAT <ms>, and GET tokens are dropped', async () => {
    const before = Date.now();
    await s.raw.call('SET', 'k', 'v', 'EX', 100, 'GET');
    await s.raw.call('SET', 'j', 'w', 'NX', 'GET');
    await s.raw.call('SET', 'j', 'z', 'XX', 'PXAT', 4102444800123);
    const [first, second, third] = s.propagated.map((l) => l.split(' '));
    expect(first.slice(0, 4)).to.deep.equal(['SET', 'k', 'v', 'PXAT']);
    expect(Number(first[4])).to.be.within(before + 100000, Date.now() + 100000);
    expect(second).to.deep.equal(['SET', 'j', 'w', 'NX']);
    expect(third).to.deep.equal(['SET', 'j', 'z', 'PXAT', '4102444800123']);
  });

  it('fires new, set and expire events', async () => {
    await s.redis.set('k', 'v', 'EX', 10);
    await s.redis.set('k', 'w');
    expect(s.events).to.deep.equal(['n:new:k:0', '$:set:k:0', 'g:expire:k:0', '$:set:k:0']);
  });

  it('a refused SET writes nothing to the AOF', async () => {
    await s.raw.call('SET', 'k', 'v', 'EX', 0);
    await s.raw.call('SET', 'k', 'v', 'XX');
    expect(s.propagated).to.deep.equal([]);
  });

  it('an unmet NX or XX is the RESP3 null', async () => {
    expect(await resp3Replies(s.port, [['SET', 'k', 'v', 'XX']])).to.equal('_\r\n');
  });

  it('SETNX, SETEX and PSETEX match Redis, errors included', async () => {
    await s.diff([
      ['SETNX', 'k', 'v'],
      ['SETNX', 'k', 'w'],
      ['GET', 'k'],
      ['SETEX', 'k', 100, 'x'],
      ['TTL', 'k'],
      ['GET', 'k'],
      ['PSETEX', 'k', 100000, 'y'],
      ['TTL', 'k'],
      ['SETEX', 'k', 0, 'x'],
      ['SETEX', 'k', -1, 'x'],
      ['SETEX', 'k', 'a', 'x'],
      ['PSETEX', 'k', 0, 'x'],
      ['SETEX', 'k', 10],
      ['SETNX', 'k'],
    ]);
  });
});
