import { useServers } from '../keyspace/fixture.js';

describe('MGET', () => {
  const s = useServers();

  it('returns values in order, null for missing keys and other types', async () => {
    await s.diff([['SET', 'a', '1'], ['XADD', 's', '1-1', 'f', 'v'], ['MGET', 'a', 'missing', 's', 'a'], ['MGET']]);
  });
});
