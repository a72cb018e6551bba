import { expect } from 'chai';
import { createClient } from 'redis';
import { useServers, errorText } from '../keyspace/fixture.js';

describe('GET and GETDEL', () => {
  const s = useServers();

  it('GET returns the value, null when missing, WRONGTYPE for a stream', async () => {
    await s.diff([['GET', 'k'], ['SET', 'k', 'v'], ['GET', 'k'], ['XADD', 's', '1-1', 'f', 'v'], ['GET', 's'], ['GET'], ['GET', 'a', 'b']]);
  });

  it('GET is binary safe', async () => {
    const bytes = Buffer.from([0, 255, 13, 10, 128]);
    await s.redis.set('bin', bytes);
    expect(await s.redis.getBuffer('bin')).to.deep.equal(bytes);
  });

  it('GET counts keyspace hits and misses', async () => {
    const st = s.rivulet.server.stats;
    const [h, m] = [st.keyspaceHits, st.keyspaceMisses];
    await s.redis.set('k', 'v');
    await s.redis.get('k');
    await s.redis.get('nope');
    expect([st.keyspaceHits - h, st.keyspaceMisses - m]).to.deep.equal([1, 1]);
  });

  it('GETDEL returns and deletes, propagating DEL', async () => {
    await s.diff([['SET', 'k', 'v'], ['GETDEL', 'k'], ['GETDEL', 'k'], ['EXISTS', 'k'], ['XADD', 's', '1-1', 'f', 'v'], ['GETDEL', 's']]);
    await s.redis.set('k', 'v');
    s.propagated.length = 0;
    s.events.length = 0;
    expect(await s.redis.getdel('k')).to.equal('v');
    expect(s.propagated).to.deep.equal(['DEL k']);
    expect(s.events).to.deep.equal(['g:del:k:0']);
    expect(errorText(await s.raw.call('GETDEL'))).to.equal("ERR wrong number of arguments for 'getdel' command");
  });

  it('node-redis over RESP3 reads values and nulls', async () => {
    const client = createClient({ url: `redis://127.0.0.1:${s.port}`, RESP: 3 });
    await client.connect();
    try {
      await client.set('k', 'v');
      expect(await client.get('k')).to.equal('v');
      expect(await client.get('missing')).to.equal(null);
    } finally {
      client.destroy();
    }
  });
});
