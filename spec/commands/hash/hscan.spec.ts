import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes } from './bytes.js';
import { ORACLE_AT_LEAST_7_2 } from '../../helpers.js';

describe('HSCAN', () => {
  const s = useServers();

  it('returns a small hash whole with cursor 0, with MATCH and COUNT; errors as Redis (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['HSET', 'h', 'alpha', '1', 'beta', '2', 'apple', '3'],
      ['HSCAN', 'h', '0'],
      ['HSCAN', 'h', '0', 'MATCH', 'a*'],
      ['HSCAN', 'h', '0', 'COUNT', '1'],
      ['HSCAN', 'h', '0', 'MATCH', '*', 'COUNT', '100'],
      ['HSCAN', 'nokey', '0'],
      ['HSCAN', 'nokey', '0', 'COUNT', 'abc'],
      ['HSCAN', 'h', 'abc'],
      ['HSCAN', 'h', '0', 'COUNT', '0'],
      ['HSCAN', 'h', '0', 'COUNT', 'x'],
      ['HSCAN', 'h', '0', 'MATCH'],
      ['HSCAN', 'h', '0', 'TYPE', 'string'],
      ['SET', 's', 'x'],
      ['HSCAN', 's', '0'],
    ]);
  });

  it('NOVALUES returns only fields (Redis 7.4)', async function () {
    if (!ORACLE_AT_LEAST_7_2) {
      // Debian's 7.0 has no NOVALUES: check rivulet alone.
      await s.raw.call('HSET', 'h', 'a', '1', 'b', '2');
      expect(await s.raw.call('HSCAN', 'h', '0', 'NOVALUES')).to.deep.equal(['0', ['a', 'b']]);
      return;
    }
    await sameBytes(s.port, s.oracle.port, [
      ['HSET', 'h', 'a', '1', 'b', '2'],
      ['HSCAN', 'h', '0', 'NOVALUES'],
      ['HSCAN', 'h', '0', 'NOVALUES', 'MATCH', 'b'],
    ]);
  });

  it('a full scan of a hashtable returns every field that stays, despite deletions and additions meanwhile', async () => {
    const args: string[] = [];
    for (let i = 0; i < 1000; i++) args.push(`f${i}`, `${i}`);
    await s.raw.call('HSET', 'h', ...args);
    const seen = new Set<string>();
    let cursor = '0';
    let round = 0;
    do {
      const [next, items] = (await s.raw.call('HSCAN', 'h', cursor, 'COUNT', '37')) as [string, Buffer[]];
      for (let i = 0; i < items.length; i += 2) seen.add(String(items[i]));
      cursor = String(next);
      // Delete fields that were already returned or are odd, add new ones: even fields below 1000 stay throughout.
      await s.raw.call('HDEL', 'h', `f${2 * round + 1}`, `f${(round * 7) % 1000 | 1}`);
      await s.raw.call('HSET', 'h', `new${round}`, 'x');
      round++;
    } while (cursor !== '0' && round < 1000);
    expect(cursor).to.equal('0');
    for (let i = 0; i < 1000; i += 2) expect(seen.has(`f${i}`), `f${i}`).to.equal(true);
  });
});
