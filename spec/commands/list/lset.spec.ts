import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes } from '../hash/bytes.js';

describe('LSET, LINSERT', () => {
  const s = useServers();

  it('LSET replaces by index with Redis errors (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['LSET', 'l', '0', 'A'],
      ['LSET', 'l', '-1', 'C'],
      ['LSET', 'l', '3', 'x'],
      ['LSET', 'l', '-4', 'x'],
      ['LSET', 'l', 'x', 'x'],
      ['LSET', 'nokey', '0', 'x'],
      ['LSET', 'nokey', 'x', 'x'],
      ['SET', 's', 'v'],
      ['LSET', 's', '0', 'x'],
      ['LRANGE', 'l', '0', '-1'],
    ]);
  });

  it('LINSERT puts an element before or after the first pivot (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['RPUSH', 'l', 'a', 'b', 'a'],
      ['LINSERT', 'l', 'BEFORE', 'a', 'x'],
      ['LINSERT', 'l', 'after', 'a', 'y'],
      ['LINSERT', 'l', 'AFTER', 'zz', 'y'],
      ['LINSERT', 'l', 'MIDDLE', 'a', 'y'],
      ['LINSERT', 'nokey', 'BEFORE', 'a', 'y'],
      ['LINSERT', 'nokey', 'MIDDLE', 'a', 'y'],
      ['SET', 's', 'v'],
      ['LINSERT', 's', 'BEFORE', 'a', 'y'],
      ['LRANGE', 'l', '0', '-1'],
    ]);
  });

  it('events lset/linsert; nothing for a failed insert', async () => {
    await s.raw.call('RPUSH', 'l', 'a');
    s.events.length = 0;
    await s.raw.call('LSET', 'l', '0', 'b');
    await s.raw.call('LINSERT', 'l', 'BEFORE', 'b', 'c');
    await s.raw.call('LINSERT', 'l', 'BEFORE', 'zz', 'c');
    expect(s.events).to.deep.equal(['l:lset:l:0', 'l:linsert:l:0']);
    expect(s.propagated.slice(1)).to.deep.equal(['LSET l 0 b', 'LINSERT l BEFORE b c']);
  });
});
