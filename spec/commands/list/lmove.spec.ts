import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes } from '../hash/bytes.js';

describe('LMOVE, RPOPLPUSH', () => {
  const s = useServers();

  it('move between lists, rotate a list onto itself, and refuse wrong types before moving (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['RPUSH', 'a', '1', '2', '3'],
      ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'],
      ['LMOVE', 'a', 'b', 'right', 'left'],
      ['RPOPLPUSH', 'a', 'b'],
      ['EXISTS', 'a'],
      ['LRANGE', 'b', '0', '-1'],
      ['LMOVE', 'b', 'b', 'LEFT', 'RIGHT'],
      ['RPOPLPUSH', 'b', 'b'],
      ['LRANGE', 'b', '0', '-1'],
      ['LMOVE', 'nokey', 'b', 'LEFT', 'LEFT'],
      ['RPOPLPUSH', 'nokey', 'b'],
      ['LMOVE', 'b', 'c', 'UP', 'LEFT'],
      ['LMOVE', 'b', 'c', 'LEFT', 'DOWN'],
      ['SET', 's', 'v'],
      ['LMOVE', 'b', 's', 'LEFT', 'LEFT'],
      ['RPOPLPUSH', 's', 'b'],
      ['RPOPLPUSH', 'b', 's'],
      ['LRANGE', 'b', '0', '-1'],
      ['RPUSH', 'one', 'x'],
      ['LMOVE', 'one', 'one', 'LEFT', 'LEFT'],
      ['LRANGE', 'one', '0', '-1'],
    ]);
  });

  it('events: the push on the destination, then the pop (and del) on the source', async () => {
    await s.raw.call('RPUSH', 'a', 'x');
    s.events.length = 0;
    s.propagated.length = 0;
    await s.raw.call('LMOVE', 'a', 'b', 'LEFT', 'RIGHT');
    expect(s.events).to.deep.equal(['n:new:b:0', 'l:rpush:b:0', 'l:lpop:a:0', 'g:del:a:0']);
    expect(s.propagated).to.deep.equal(['LMOVE a b LEFT RIGHT']);
  });
});
