import { expect } from 'chai';
import { useServers } from './fixture.js';

describe('DEL and UNLINK', () => {
  const s = useServers();

  it('DEL removes existing keys and counts only those that existed, like Redis', async () => {
    await s.diff([['SET', 'a', '1'], ['SET', 'b', '2'], ['DEL', 'a', 'b', 'c', 'a'], ['EXISTS', 'a', 'b'], ['DEL', 'nothing'], ['DEL']]);
  });

  it('UNLINK behaves as DEL', async () => {
    await s.diff([['SET', 'a', '1'], ['UNLINK', 'a', 'b'], ['GET', 'a'], ['UNLINK']]);
  });

  it('an expired key is not counted as deleted', async () => {
    await s.raw.call('SET', 'k', 'v', 'PX', 1);
    await new Promise((r) => setTimeout(r, 5));
    expect(await s.raw.call('DEL', 'k')).to.equal(0);
  });

  it('fires a del event per removed key and propagates the command', async () => {
    await s.redis.set('a', '1');
    s.events.length = 0;
    s.propagated.length = 0;
    expect(await s.redis.del('a', 'b')).to.equal(1);
    expect(s.events).to.deep.equal(['g:del:a:0']);
    expect(s.propagated).to.deep.equal(['DEL a b']);
  });

  it('deleting nothing propagates nothing', async () => {
    await s.redis.del('missing');
    expect(s.propagated).to.deep.equal([]);
  });
});
