import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes } from '../hash/bytes.js';
import { ORACLE_AT_LEAST_7_2 } from '../../helpers.js';

describe('LREM, LTRIM', () => {
  const s = useServers();

  it('LREM removes from the head, the tail or everywhere (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a', 'b', 'a'],
      ['LREM', 'l', '1', 'a'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '-2', 'a'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '0', 'b'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '0', 'zz'],
      ['LREM', 'l', '0', 'a'],
      ['LREM', 'l', '0', 'c'],
      ['EXISTS', 'l'],
      ['LREM', 'nokey', '0', 'a'],
      ['LREM', 'nokey', 'x', 'a'],
      ['SET', 's', 'v'],
      ['LREM', 's', '0', 'a'],
    ]);
  });

  it('LTRIM keeps a range, deleting the key when empty (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['RPUSH', 'l', '1', '2', '3', '4', '5', '6'],
      ['LTRIM', 'l', '1', '-2'],
      ['LRANGE', 'l', '0', '-1'],
      ['LTRIM', 'l', '-100', '100'],
      ['LRANGE', 'l', '0', '-1'],
      ['LTRIM', 'l', '2', '1'],
      ['EXISTS', 'l'],
      ['LTRIM', 'nokey', '0', '1'],
      ['LTRIM', 'nokey', 'x', '1'],
      ['RPUSH', 'm', 'a'],
      ['LTRIM', 'm', '0', 'x'],
      ['SET', 's', 'v'],
      ['LTRIM', 's', '0', '1'],
    ]);
  });

  it('events lrem/ltrim and del; LREM with no match fires nothing', async () => {
    await s.raw.call('RPUSH', 'l', 'a', 'b');
    s.events.length = 0;
    await s.raw.call('LREM', 'l', '0', 'zz');
    await s.raw.call('LREM', 'l', '0', 'a');
    await s.raw.call('LTRIM', 'l', '0', '0');
    await s.raw.call('LTRIM', 'l', '1', '0');
    expect(s.events).to.deep.equal(['l:lrem:l:0', 'l:ltrim:l:0', 'l:ltrim:l:0', 'g:del:l:0']);
  });

  it('LREM refuses a count of LONG_MIN as Redis 7.2+ does (7.0 accepted it)', async () => {
    const cmd = ['LREM', 'l', '-9223372036854775808', 'a'];
    if (ORACLE_AT_LEAST_7_2) await sameBytes(s.port, s.oracle.port, [['RPUSH', 'l', 'a'], cmd]);
    await s.raw.call('RPUSH', 'l', 'a');
    expect(((await s.raw.call(...cmd)) as Error).message).to.equal('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  });
});
