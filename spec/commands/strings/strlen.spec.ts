import { useServers } from '../keyspace/fixture.js';

describe('STRLEN', () => {
  const s = useServers();

  it('is the byte length, 0 when missing, WRONGTYPE for a stream', async () => {
    await s.diff([['STRLEN', 'k'], ['SET', 'k', 'h\u00e9llo'], ['STRLEN', 'k'], ['SET', 'n', '12345'], ['STRLEN', 'n'], ['XADD', 's', '1-1', 'f', 'v'], ['STRLEN', 's'], ['STRLEN']]);
  });
});
