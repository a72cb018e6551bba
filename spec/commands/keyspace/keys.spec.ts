import { expect } from 'chai';
import { useServers } from './fixture.js';

const sorted = (ours: unknown, theirs: unknown): void => {
  // KEYS order follows each server's hash table: compare as sets.
  expect([...(ours as string[])].sort()).to.deep.equal([...(theirs as string[])].sort());
};

describe('KEYS', () => {
  const s = useServers();

  it('matches glob patterns as Redis does', async () => {
    const setup = ['foo', 'foobar', 'fo', 'bar', 'f*o', 'hello', 'hallo', 'hxllo'].map((k) => ['SET', k, '1']);
    await s.diff([
      ...setup,
      { cmd: ['KEYS', '*'], check: sorted },
      { cmd: ['KEYS', 'foo*'], check: sorted },
      { cmd: ['KEYS', 'h?llo'], check: sorted },
      { cmd: ['KEYS', 'h[ae]llo'], check: sorted },
      { cmd: ['KEYS', 'h[^e]llo'], check: sorted },
      { cmd: ['KEYS', 'f\\*o'], check: sorted },
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
