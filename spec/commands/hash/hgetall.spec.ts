import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes } from './bytes.js';

describe('HGETALL, HKEYS, HVALS', () => {
  const s = useServers();

  it('return a small hash in insertion order, a map in RESP3 (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['HSET', 'h', 'z', '1', 'a', '2', 'm', '3'],
      ['HDEL', 'h', 'a'],
      ['HSET', 'h', 'b', '4', 'z', '5'],
      ['HGETALL', 'h'],
      ['HKEYS', 'h'],
      ['HVALS', 'h'],
      ['HGETALL', 'nokey'],
      ['HKEYS', 'nokey'],
      ['HVALS', 'nokey'],
      ['SET', 's', 'x'],
      ['HGETALL', 's'],
      ['HKEYS', 's'],
      ['HVALS', 's'],
    ]);
  });

  it('return every field of a hashtable-encoded hash (order is the table order in Redis: compared sorted)', async () => {
    const args: string[] = [];
    for (let i = 0; i < 300; i++) args.push(`f${i}`, `v${i}`);
    await s.raw.call('HSET', 'h', ...args);
    const all = (await s.raw.call('HGETALL', 'h')) as Buffer[];
    const pairs: string[] = [];
    for (let i = 0; i < all.length; i += 2) pairs.push(`${all[i]}=${all[i + 1]}`);
    expect(pairs.sort()).to.deep.equal(Array.from({ length: 300 }, (_, i) => `f${i}=v${i}`).sort());
    expect(((await s.raw.call('HKEYS', 'h')) as string[]).length).to.equal(300);
    expect(((await s.raw.call('HVALS', 'h')) as string[]).map(String).sort()).to.deep.equal(Array.from({ length: 300 }, (_, i) => `v${i}`).sort());
  });
});
