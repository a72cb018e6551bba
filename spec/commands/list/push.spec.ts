import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes } from '../hash/bytes.js';

describe('LPUSH, RPUSH, LPUSHX, RPUSHX', () => {
  const s = useServers();

  it('push at either end, return the length, refuse wrong types (RESP2 and RESP3 bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['LPUSH', 'l', 'a', 'b', 'c'],
      ['RPUSH', 'l', 'x', 'y'],
      ['LRANGE', 'l', '0', '-1'],
      ['LPUSHX', 'l', 'h'],
      ['RPUSHX', 'l', 't', 'u'],
      ['LPUSHX', 'nokey', 'a'],
      ['RPUSHX', 'nokey', 'a'],
      ['EXISTS', 'nokey'],
      ['LRANGE', 'l', '0', '-1'],
      ['SET', 's', 'v'],
      ['LPUSH', 's', 'a'],
      ['RPUSH', 's', 'a'],
      ['LPUSHX', 's', 'a'],
      ['RPUSHX', 's', 'a'],
      ['LPUSH', 'l'],
      ['RPUSHX', 'l'],
      ['RPUSH', 'bin', Buffer.from([0, 255, 13, 10]), '', '-1', '12345678901234567890', '9223372036854775807'],
      ['LRANGE', 'bin', '0', '-1'],
    ]);
  });

  it('fire lpush/rpush (after new) and propagate as sent', async () => {
    await s.raw.call('LPUSH', 'l', 'a');
    await s.raw.call('RPUSH', 'l', 'b', 'c');
    await s.raw.call('LPUSHX', 'nokey', 'a');
    await s.raw.call('RPUSHX', 'l', 'd');
    expect(s.events).to.deep.equal(['n:new:l:0', 'l:lpush:l:0', 'l:rpush:l:0', 'l:rpush:l:0']);
    expect(s.propagated).to.deep.equal(['LPUSH l a', 'RPUSH l b c', 'RPUSHX l d']);
  });
});
