import { expect } from 'chai';
import { useServers } from './fixture.js';
import { sleep } from '../../helpers.js';

describe('EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT', () => {
  const s = useServers();

  it('set a TTL on existing keys only, with NX/XX/GT/LT as Redis', async () => {
    await s.diff([
      ['EXPIRE', 'missing', 100],
      ['SET', 'k', 'v'],
      ['EXPIRE', 'k', 100, 'XX'],
      ['EXPIRE', 'k', 100, 'GT'],
      ['EXPIRE', 'k', 100, 'LT'],
      ['TTL', 'k'],
      ['EXPIRE', 'k', 200, 'NX'],
      ['EXPIRE', 'k', 200, 'XX'],
      ['TTL', 'k'],
      ['EXPIRE', 'k', 100, 'GT'],
      ['EXPIRE', 'k', 300, 'GT'],
      ['EXPIRE', 'k', 400, 'LT'],
      ['EXPIRE', 'k', 50, 'lt'],
      ['TTL', 'k'],
      ['EXPIRE', 'k', 60, 'XX', 'GT'],
      ['TTL', 'k'],
      ['PEXPIRE', 'k', 100000],
      ['TTL', 'k'],
      ['EXPIREAT', 'k', 4102444800],
      ['EXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', 4102444800123],
      ['PEXPIRETIME', 'k'],
    ]);
  });

  it('refuses bad options and times with Redis\'s exact errors', async () => {
    await s.diff([
      ['SET', 'k', 'v'],
      ['EXPIRE', 'k', 10, 'NX', 'XX'],
      ['EXPIRE', 'k', 10, 'NX', 'GT'],
      ['EXPIRE', 'k', 10, 'LT', 'NX'],
      ['EXPIRE', 'k', 10, 'GT', 'LT'],
      ['EXPIRE', 'k', 10, 'foo'],
      ['EXPIRE', 'k', 'abc', 'foo'],
      ['EXPIRE', 'k', 'abc'],
      ['EXPIRE', 'k', '1.5'],
      ['EXPIRE', 'k', '9223372036854775807'],
      ['EXPIRE', 'k', '-9223372036854775808'],
      ['PEXPIRE', 'k', '9223372036854775807'],
      ['EXPIREAT', 'k', '9223372036854775807'],
      ['PEXPIREAT', 'k', 'x'],
      ['EXPIRE', 'k'],
      ['TTL', 'k'],
    ]);
  });

  it('a time in the past deletes the key, fires del and propagates DEL', async () => {
    await s.diff([['SET', 'k', 'v'], ['EXPIRE', 'k', -1], ['EXISTS', 'k'], ['SET', 'k', 'v'], ['PEXPIREAT', 'k', 1], ['GET', 'k']]);
    await s.redis.set('k', 'v');
    s.events.length = 0;
    s.propagated.length = 0;
    expect(await s.redis.expire('k', 0)).to.equal(1);
    expect(s.events).to.deep.equal(['g:del:k:0']);
    expect(s.propagated).to.deep.equal(['DEL k']);
  });

  it('relative expiries are propagated as absolute PEXPIREAT with their flags', async () => {
    await s.redis.set('k', 'v');
    s.propagated.length = 0;
    const before = Date.now();
    await s.raw.call('EXPIRE', 'k', 100, 'NX');
    await s.raw.call('EXPIRE', 'k', 100, 'NX');
    await s.raw.call('PEXPIRE', 'k', 5000);
    await s.raw.call('EXPIREAT', 'k', 4102444800);
    const after = Date.now();
    expect(s.propagated.length).to.equal(3); // the second, refused NX changes nothing and is not logged
    const [a, b, c] = s.propagated.map((l) => l.split(' '));
    expect(a[0]).to.equal('PEXPIREAT');
    expect(a[3]).to.equal('NX');
    expect(Number(a[2])).to.be.within(before + 100000, after + 100000);
    expect(b.slice(0, 2)).to.deep.equal(['PEXPIREAT', 'k']);
    expect(Number(b[2])).to.be.within(before + 5000, after + 5000);
    expect(c).to.deep.equal(['PEXPIREAT', 'k', '4102444800000']);
  });

  it('fires an expire event, and the key expires lazily on access', async () => {
    await s.redis.set('k', 'v');
    s.events.length = 0;
    await s.redis.pexpire('k', 20);
    expect(s.events).to.deep.equal(['g:expire:k:0']);
    await sleep(30);
    expect(await s.redis.get('k')).to.equal(null);
    expect(s.events).to.include('x:expired:k:0');
  });
});
