import { expect } from 'chai';
import { useServers } from './fixture.js';
import { ORACLE_JEMALLOC } from '../../helpers.js';

describe('MEMORY USAGE and MEMORY HELP', () => {
  const s = useServers();

  it('string sizes match Redis 7 with jemalloc for every encoding', async function () {
    // rivulet reports jemalloc's size classes, as Redis's release builds; a libc-malloc oracle rounds differently.
    if (!ORACLE_JEMALLOC) return this.skip();
    await s.diff([
      ['SET', 'k', '1'],
      ['MEMORY', 'USAGE', 'k'],
      ['SET', 'k', 'abc'],
      ['MEMORY', 'USAGE', 'k'],
      ['SET', 'k', 'a'.repeat(44)],
      ['MEMORY', 'USAGE', 'k'],
      ['SET', 'k', 'a'.repeat(45)],
      ['MEMORY', 'USAGE', 'k'],
      ['SET', 'k', 'b'.repeat(1000)],
      ['MEMORY', 'USAGE', 'k'],
      ['SET', 'a-much-longer-key-name-than-usual-here', 'abc'],
      ['MEMORY', 'USAGE', 'a-much-longer-key-name-than-usual-here'],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES', 0],
      ['MEMORY', 'USAGE', 'missing'],
    ]);
  });

  it('refuses bad SAMPLES and HELP arguments like Redis (the HELP text: spec/commands/help.spec.ts)', async () => {
    await s.diff([
      ['SET', 'k', 'v'],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES', -1],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES', 'x'],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES'],
      ['MEMORY', 'USAGE', 'k', 'FOO'],
      ['MEMORY', 'USAGE'],
      ['MEMORY', 'HELP', 'x'],
    ]);
  });

  it('a stream is measured by its own accounting plus the key', async () => {
    await s.redis.xadd('s', '1-1', 'f', 'v');
    const n = (await s.redis.call('MEMORY', 'USAGE', 's')) as number;
    expect(n).to.be.greaterThan(32);
  });
});
