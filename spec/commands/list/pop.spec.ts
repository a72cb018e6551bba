import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes } from '../hash/bytes.js';

describe('LPOP, RPOP, LMPOP', () => {
  const s = useServers();

  it('pop one or count elements from either end; nulls, errors and empty lists as Redis (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['RPUSH', 'l', '1', '2', '3', '4', '5'],
      ['LPOP', 'l'],
      ['RPOP', 'l'],
      ['LPOP', 'l', '2'],
      ['RPOP', 'l', '5'],
      ['EXISTS', 'l'],
      ['LPOP', 'l'],
      ['LPOP', 'l', '1'],
      ['RPOP', 'l', '0'],
      ['RPUSH', 'l', 'a', 'b'],
      ['LPOP', 'l', '0'],
      ['LPOP', 'l', '-1'],
      ['LPOP', 'l', 'x'],
      ['LPOP', 'l', '1', '2'],
      ['RPOP', 'l', '99999999999999999999'],
      ['RPOP', 'l', '3'],
      ['SET', 's', 'v'],
      ['LPOP', 's'],
      ['RPOP', 's', '1'],
      ['LPOP', 'nokey', '-1'],
    ]);
  });

  it('LMPOP pops from the first non-empty list with Redis errors (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['RPUSH', 'b', '1', '2', '3'],
      ['RPUSH', 'c', 'x'],
      ['LMPOP', '3', 'a', 'b', 'c', 'LEFT'],
      ['LMPOP', '3', 'a', 'b', 'c', 'RIGHT', 'COUNT', '10'],
      ['LMPOP', '3', 'a', 'b', 'c', 'left', 'count', '1'],
      ['LMPOP', '3', 'a', 'b', 'c', 'LEFT'],
      ['LMPOP', '0', 'a', 'LEFT'],
      ['LMPOP', '-1', 'a', 'LEFT'],
      ['LMPOP', 'x', 'a', 'LEFT'],
      ['LMPOP', '2', 'a', 'LEFT'],
      ['LMPOP', '1', 'a', 'MIDDLE'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '0'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '-1'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT', 'x'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '1', 'COUNT', '2'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT'],
      ['LMPOP', '1', 'a', 'LEFT', 'foo'],
      ['SET', 's', 'v'],
      ['RPUSH', 'l', 'v'],
      ['LMPOP', '2', 's', 'l', 'LEFT'],
      ['LMPOP', '2', 'nokey', 's', 'LEFT'],
      ['LMPOP', '2', 'l', 's', 'LEFT'],
    ]);
  });

  it('events lpop/rpop then del; LMPOP propagates as LPOP/RPOP key count', async () => {
    await s.raw.call('RPUSH', 'l', 'a', 'b', 'c');
    s.events.length = 0;
    s.propagated.length = 0;
    await s.raw.call('LPOP', 'l');
    await s.raw.call('LMPOP', '2', 'x', 'l', 'RIGHT', 'COUNT', '5');
    expect(s.events).to.deep.equal(['l:lpop:l:0', 'l:rpop:l:0', 'g:del:l:0']);
    expect(s.propagated).to.deep.equal(['LPOP l', 'RPOP l 2']);
  });
});
