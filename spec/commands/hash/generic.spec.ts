/** The keyspace commands on hashes: TYPE, OBJECT ENCODING thresholds, COPY, RENAME, EXPIRE, SCAN TYPE, MEMORY USAGE, MULTI/WATCH. */
import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes } from './bytes.js';

describe('hashes and the keyspace commands', () => {
  const s = useServers();

  it('OBJECT ENCODING follows hash-max-listpack-entries/value and never goes back (bytes)', async () => {
    const fields: string[] = [];
    for (let i = 0; i < 512; i++) fields.push(`f${i}`, 'v');
    await sameBytes(s.port, s.oracle.port, [
      ['HSET', 'h', ...fields],
      ['OBJECT', 'ENCODING', 'h'],
      ['HSET', 'h', 'one-more', 'v'],
      ['OBJECT', 'ENCODING', 'h'],
      ['HDEL', 'h', 'one-more', 'f1', 'f2', 'f3'],
      ['OBJECT', 'ENCODING', 'h'],
      ['HSET', 'v', 'f', 'x'.repeat(64)],
      ['OBJECT', 'ENCODING', 'v'],
      ['HSET', 'v', 'g', 'x'.repeat(65)],
      ['OBJECT', 'ENCODING', 'v'],
      ['HSET', 'k', 'x'.repeat(65), '1'],
      ['OBJECT', 'ENCODING', 'k'],
      ['HINCRBY', 'i', 'x'.repeat(65), '1'],
      ['OBJECT', 'ENCODING', 'i'],
      ['HSET', 'many', ...fields, 'x', 'y'],
      ['OBJECT', 'ENCODING', 'many'],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '2'],
      ['HSET', 'c', 'a', '1', 'b', '2'],
      ['OBJECT', 'ENCODING', 'c'],
      ['HSETNX', 'c', 'c', '3'],
      ['OBJECT', 'ENCODING', 'c'],
      ['CONFIG', 'SET', 'hash-max-listpack-value', '3'],
      ['HSET', 'd', 'a', '1234'],
      ['OBJECT', 'ENCODING', 'd'],
      ['HINCRBYFLOAT', 'e', 'a', '1.25'],
      ['OBJECT', 'ENCODING', 'e'],
      ['CONFIG', 'GET', 'hash-max-listpack-entries'],
      ['CONFIG', 'GET', 'hash-max-listpack-value'],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '512'],
      ['CONFIG', 'SET', 'hash-max-listpack-value', '64'],
    ], [2]);
  });

  it('TYPE, COPY, RENAME, EXPIRE, SCAN TYPE and WRONGTYPE (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['HSET', 'h', 'a', '1', 'b', '2'],
      ['TYPE', 'h'],
      ['COPY', 'h', 'h2'],
      ['HSET', 'h', 'a', 'changed'],
      ['HGETALL', 'h2'],
      ['RENAME', 'h2', 'h3'],
      ['HGETALL', 'h3'],
      ['EXISTS', 'h2'],
      ['EXPIRE', 'h3', '100'],
      ['TTL', 'h3'],
      ['HSET', 'h3', 'c', '3'],
      ['TTL', 'h3'],
      ['SET', 'str', 'x'],
      ['XADD', 'nothash', '1-1', 'f', 'v'],
      ['SCAN', '0', 'TYPE', 'hash', 'MATCH', 'h3', 'COUNT', '100'],
      ['SCAN', '0', 'TYPE', 'stream', 'COUNT', '100'],
      ['GET', 'h'],
      ['APPEND', 'h', 'x'],
      ['DEL', 'h', 'h3'],
      ['EXISTS', 'h', 'h3'],
    ], [2]);
  });

  it('MEMORY USAGE of a hash grows with its fields and stays near Redis for many small fields', async () => {
    const args: string[] = [];
    for (let i = 0; i < 10000; i++) args.push(`field:${i}`, `${i}`);
    await s.raw.call('HSET', 'h', ...args);
    const c = await import('../../helpers.js').then((m) => m.RawConnection.open(s.oracle.port));
    try {
      await c.call('HSET', 'h', ...args);
      const theirs = Number(await c.call('MEMORY', 'USAGE', 'h'));
      const ours = Number(await s.raw.call('MEMORY', 'USAGE', 'h'));
      expect(ours).to.be.above(10000 * 8);
      expect(ours / theirs).to.be.below(2);
    } finally {
      c.close();
    }
  });

  it('WATCH sees a hash change; MULTI runs hash commands as one unit', async () => {
    const { RawConnection } = await import('../../helpers.js');
    const other = await RawConnection.open(s.port);
    try {
      await s.raw.call('HSET', 'h', 'a', '1');
      await s.raw.call('WATCH', 'h');
      await other.call('HINCRBY', 'h', 'a', '1');
      await s.raw.call('MULTI');
      await s.raw.call('HSET', 'h', 'a', '100');
      expect(await s.raw.call('EXEC')).to.equal(null);
      await s.raw.call('MULTI');
      await s.raw.call('HSET', 'h', 'b', '1');
      await s.raw.call('HINCRBYFLOAT', 'h', 'b', '0.5');
      expect(await s.raw.call('EXEC')).to.deep.equal([1, '1.5']);
      expect(s.propagated.slice(-4)).to.deep.equal(['MULTI', 'HSET h b 1', 'HSET h b 1.5', 'EXEC']);
    } finally {
      other.close();
    }
  });
});
