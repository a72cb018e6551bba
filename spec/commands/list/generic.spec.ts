/** Lists and the keyspace commands: OBJECT ENCODING thresholds, TYPE, COPY, RENAME, SCAN TYPE, MEMORY USAGE, MULTI. */
import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes, type Cmd } from '../hash/bytes.js';
import { ORACLE_AT_LEAST_7_2, RawConnection } from '../../helpers.js';

/** Pushes and pops around the listpack/quicklist limits; OBJECT ENCODING after each. */
function encodingScript(): Cmd[] {
  const enc = (k: string): Cmd => ['OBJECT', 'ENCODING', k];
  const cmds: Cmd[] = [];
  // Size-based fill -2 (8 KB): 100 elements of 80 bytes cross it.
  for (let i = 0; i < 100; i++) cmds.push(['RPUSH', 'l', 'x'.repeat(78) + String(i).padStart(2, '0')]);
  cmds.push(enc('l'));
  for (let i = 0; i < 60; i++) cmds.push(['RPOP', 'l'], enc('l'));
  cmds.push(['RPUSH', 'small', '1', '2', '3'], enc('small'));
  cmds.push(['RPUSH', 'huge', 'x'.repeat(9000)], enc('huge'));
  cmds.push(['LPUSH', 'ints', ...Array.from({ length: 2000 }, (_, i) => String(i * 1000))], enc('ints'));
  cmds.push(['LTRIM', 'ints', '0', '200'], enc('ints'));
  cmds.push(['LTRIM', 'ints', '0', '100'], enc('ints'));
  cmds.push(['CONFIG', 'SET', 'list-max-listpack-size', '4']);
  cmds.push(['RPUSH', 'c', 'a', 'b', 'c', 'd'], enc('c'), ['RPUSH', 'c', 'e'], enc('c'));
  // (Shrinking back to listpack needs a single quicklist node in Redis; rivulet does not model nodes and
  // converts once the list is below half the limit: after LREMs leaving [d, e] here Redis stays quicklist.)
  cmds.push(['RPUSH', 'c2', 'a', 'b'], ['LINSERT', 'c2', 'BEFORE', 'b', 'x'], enc('c2'), ['LINSERT', 'c2', 'BEFORE', 'b', 'y'], enc('c2'));
  cmds.push(['LINSERT', 'c2', 'BEFORE', 'b', 'z'], enc('c2'), ['LSET', 'c2', '0', 'q'], enc('c2'));
  cmds.push(['CONFIG', 'SET', 'list-max-listpack-size', '-1']);
  cmds.push(['RPUSH', 'd', 'x'.repeat(4000)], enc('d'), ['RPUSH', 'd', 'x'.repeat(100)], enc('d'));
  cmds.push(['CONFIG', 'SET', 'list-max-listpack-size', '-2']);
  return cmds;
}

describe('lists and the keyspace commands', () => {
  const s = useServers();

  it('OBJECT ENCODING is listpack or quicklist at the same points as Redis 7.2+', async function () {
    if (ORACLE_AT_LEAST_7_2) {
      await sameBytes(s.port, s.oracle.port, encodingScript(), [2]);
      return;
    }
    // Debian's 7.0 has no listpack lists (always quicklist): check rivulet's own answers at the limits.
    await s.raw.call('RPUSH', 'small', '1', '2', '3');
    expect(await s.raw.call('OBJECT', 'ENCODING', 'small')).to.equal('listpack');
    await s.raw.call('RPUSH', 'huge', 'x'.repeat(9000));
    expect(await s.raw.call('OBJECT', 'ENCODING', 'huge')).to.equal('quicklist');
    for (let i = 0; i < 100; i++) await s.raw.call('RPUSH', 'l', 'x'.repeat(78) + String(i).padStart(2, '0'));
    expect(await s.raw.call('OBJECT', 'ENCODING', 'l')).to.equal('quicklist');
    await s.raw.call('LTRIM', 'l', '0', '40');
    expect(await s.raw.call('OBJECT', 'ENCODING', 'l')).to.equal('listpack');
  });

  it('TYPE, COPY, RENAME, EXPIRE, SCAN TYPE, DEL and WRONGTYPE (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['RPUSH', 'l', 'a', 'b'],
      ['TYPE', 'l'],
      ['COPY', 'l', 'l2'],
      ['LPUSH', 'l', 'changed'],
      ['LRANGE', 'l2', '0', '-1'],
      ['RENAME', 'l2', 'l3'],
      ['LRANGE', 'l3', '0', '-1'],
      ['EXPIRE', 'l3', '100'],
      ['RPUSH', 'l3', 'c'],
      ['TTL', 'l3'],
      ['HSET', 'h', 'f', 'v'],
      ['SCAN', '0', 'TYPE', 'list', 'MATCH', 'l3', 'COUNT', '100'],
      ['SCAN', '0', 'TYPE', 'hash', 'COUNT', '100'],
      ['GET', 'l'],
      ['HGET', 'l', 'a'],
      ['LPUSH', 'h', 'a'],
      ['DEL', 'l', 'l3'],
      ['EXISTS', 'l', 'l3'],
    ]);
  });

  it('MEMORY USAGE of a list of many small elements is within 2x of Redis', async () => {
    const o = await RawConnection.open(s.oracle.port);
    try {
      for (let i = 0; i < 20; i++) {
        const batch = Array.from({ length: 1000 }, (_, j) => `item:${i * 1000 + j}`);
        await s.raw.call('RPUSH', 'l', ...batch);
        await o.call('RPUSH', 'l', ...batch);
      }
      const ours = Number(await s.raw.call('MEMORY', 'USAGE', 'l'));
      const theirs = Number(await o.call('MEMORY', 'USAGE', 'l', 'SAMPLES', '0'));
      expect(ours).to.be.above(20000 * 5);
      expect(ours / theirs).to.be.below(2);
    } finally {
      o.close();
    }
  });

  it('MULTI/EXEC propagates list commands as one unit; WATCH sees a push', async () => {
    const other = await RawConnection.open(s.port);
    try {
      await s.raw.call('WATCH', 'l');
      await other.call('RPUSH', 'l', 'x');
      await s.raw.call('MULTI');
      await s.raw.call('LPOP', 'l');
      expect(await s.raw.call('EXEC')).to.equal(null);
      s.propagated.length = 0;
      await s.raw.call('MULTI');
      await s.raw.call('RPUSH', 'l', 'y');
      await s.raw.call('LMPOP', '1', 'l', 'LEFT');
      expect(await s.raw.call('EXEC')).to.deep.equal([2, ['l', ['x']]]);
      expect(s.propagated).to.deep.equal(['MULTI', 'RPUSH l y', 'LPOP l 1', 'EXEC']);
    } finally {
      other.close();
    }
  });
});
