import { expect } from 'chai';
import { useServers } from './fixture.js';
import { sortDeep } from '../../helpers.js';

/** KEYS order follows each server's hash table: compare the names sorted. */
const sorted = sortDeep;

describe('KEYS', () => {
  const s = useServers();

  it('matches glob patterns as Redis does', async () => {
    const setup = ['foo', 'foobar', 'fo', 'bar', 'f*o', 'hello', 'hallo', 'hxllo'].map((k) => ['SET', k, '1']);
    await s.diff([
      ...setup,
      { cmd: ['KEYS', '*'], normalise: sorted },
      { cmd: ['KEYS', 'foo*'], normalise: sorted },
      { cmd: ['KEYS', 'h?llo'], normalise: sorted },
      { cmd: ['KEYS', 'h[ae]llo'], normalise: sorted },
      { cmd: ['KEYS', 'h[^e]llo'], normalise: sorted },
      { cmd: ['KEYS', 'f\\*o'], normalise: sorted },
      ['KEYS', 'nomatch*'],
      ['KEYS'],
    ]);
  });

  it('skips expired keys', async () => {
    await s.raw.call('SET', 'gone', 'v', 'PX', 1);
    await s.raw.call('SET', 'kept', 'v');
    await new Promise((r) => setTimeout(r, 5));
    expect(await s.redis.keys('*')).to.deep.equal(['kept']);
  });
});
