import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes } from './bytes.js';

describe('HGET, HMGET, HEXISTS, HSTRLEN, HLEN', () => {
  const s = useServers();

  it('read fields of a hash, a missing key and a wrong type (RESP2 and RESP3 bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['HSET', 'h', 'a', '1', 'b', 'hello', 'n', '-123', 'e', ''],
      ['HGET', 'h', 'a'],
      ['HGET', 'h', 'zz'],
      ['HGET', 'nokey', 'a'],
      ['HMGET', 'h', 'a', 'zz', 'b', 'n'],
      ['HMGET', 'nokey', 'a', 'b'],
      ['HEXISTS', 'h', 'a'],
      ['HEXISTS', 'h', 'zz'],
      ['HEXISTS', 'nokey', 'a'],
      ['HSTRLEN', 'h', 'b'],
      ['HSTRLEN', 'h', 'n'],
      ['HSTRLEN', 'h', 'e'],
      ['HSTRLEN', 'h', 'zz'],
      ['HSTRLEN', 'nokey', 'zz'],
      ['HLEN', 'h'],
      ['HLEN', 'nokey'],
      ['SET', 's', 'x'],
      ['HGET', 's', 'a'],
      ['HMGET', 's', 'a'],
      ['HEXISTS', 's', 'a'],
      ['HSTRLEN', 's', 'a'],
      ['HLEN', 's'],
      ['HGET', 'h'],
      ['HMGET', 'h'],
      ['HLEN', 'h', 'x'],
    ]);
  });

  it('reads count keyspace hits and misses like Redis', async () => {
    await s.raw.call('CONFIG', 'RESETSTAT');
    await s.raw.call('HSET', 'h', 'a', '1');
    await s.raw.call('HGET', 'h', 'a');
    await s.raw.call('HGET', 'nokey', 'a');
    await s.raw.call('HGET', 'h', 'missing-field');
    const info = String(await s.raw.call('INFO', 'stats'));
    expect(/keyspace_hits:(\d+)/.exec(info)![1]).to.equal('2');
    expect(/keyspace_misses:(\d+)/.exec(info)![1]).to.equal('1');
  });
});
