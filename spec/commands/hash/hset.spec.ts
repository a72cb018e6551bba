import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes } from './bytes.js';

describe('HSET, HMSET, HSETNX', () => {
  const s = useServers();

  it('HSET counts new fields, updates in place and keeps insertion order (RESP2 and RESP3 bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['HSET', 'h', 'a', '1', 'b', '2'],
      ['HSET', 'h', 'b', '3', 'c', '4', 'a', '5'],
      ['HGETALL', 'h'],
      ['HSET', 'h', 'a', '1', 'a', '2'],
      ['HGET', 'h', 'a'],
      ['HSET', 'h', 'x'],
      ['HSET', 'h', 'x', 'y', 'z'],
      ['HSET', 'h'],
      ['SET', 's', 'v'],
      ['HSET', 's', 'f', 'v'],
      ['HMSET', 's', 'f', 'v'],
      ['HSETNX', 's', 'f', 'v'],
      ['HLEN', 'h'],
      ['TYPE', 'h'],
    ]);
  });

  it('HMSET replies OK and checks pairs by its own name', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['HMSET', 'h', 'a', '1', 'b', '2'],
      ['HMSET', 'h', 'a'],
      ['HMSET', 'h', 'a', '1', 'b'],
      ['HGETALL', 'h'],
    ]);
  });

  it('HSETNX sets only a missing field', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['HSETNX', 'h', 'a', '1'],
      ['HSETNX', 'h', 'a', '2'],
      ['HSETNX', 'h', 'b', '3'],
      ['HGETALL', 'h'],
      ['HSETNX', 'h', 'a'],
    ]);
  });

  it('fields and values are binary-safe', async () => {
    const f = Buffer.from([0, 0xff, 0x80, 13, 10]);
    const v = Buffer.from([0xc3, 0x28, 0, 1]);
    const big = Buffer.alloc(60, 0xfe);
    await sameBytes(s.port, s.oracle.port, [
      ['HSET', 'h', f, v, 'big', big, Buffer.alloc(0), Buffer.alloc(0)],
      ['HGET', 'h', f],
      ['HGET', 'h', 'big'],
      ['HGET', 'h', ''],
      ['HGETALL', 'h'],
    ]);
  });

  it('fires hset (and new for a new key) and propagates as sent', async () => {
    await s.raw.call('HSET', 'h', 'a', '1');
    await s.raw.call('HMSET', 'h', 'b', '2');
    await s.raw.call('HSETNX', 'h', 'a', '3');
    await s.raw.call('HSETNX', 'h', 'c', '3');
    expect(s.events).to.deep.equal(['n:new:h:0', 'h:hset:h:0', 'h:hset:h:0', 'h:hset:h:0']);
    expect(s.propagated).to.deep.equal(['HSET h a 1', 'HMSET h b 2', 'HSETNX h c 3']);
  });

  it('a refused HSET leaves no key behind and propagates nothing', async () => {
    await s.raw.call('HSET', 'h', 'a');
    expect(await s.raw.call('EXISTS', 'h')).to.equal(0);
    expect(s.propagated).to.deep.equal([]);
  });
});
