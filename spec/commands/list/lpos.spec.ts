import { useServers } from '../keyspace/fixture.js';
import { expect } from 'chai';
import { sameBytes } from '../hash/bytes.js';
import { ORACLE_AT_LEAST_7_2 } from '../../helpers.js';

describe('LPOS', () => {
  const s = useServers();

  it('finds matches with RANK, COUNT and MAXLEN, and refuses bad options as Redis (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['RPUSH', 'l', 'a', 'b', 'c', 'a', 'b', 'c', 'a'],
      ['LPOS', 'l', 'a'],
      ['LPOS', 'l', 'zz'],
      ['LPOS', 'l', 'a', 'RANK', '2'],
      ['LPOS', 'l', 'a', 'RANK', '-1'],
      ['LPOS', 'l', 'a', 'RANK', '-2'],
      ['LPOS', 'l', 'a', 'RANK', '9'],
      ['LPOS', 'l', 'a', 'COUNT', '0'],
      ['LPOS', 'l', 'a', 'COUNT', '2'],
      ['LPOS', 'l', 'a', 'COUNT', '2', 'RANK', '-1'],
      ['LPOS', 'l', 'zz', 'COUNT', '2'],
      ['LPOS', 'l', 'c', 'MAXLEN', '2'],
      ['LPOS', 'l', 'c', 'MAXLEN', '3'],
      ['LPOS', 'l', 'a', 'COUNT', '0', 'MAXLEN', '4'],
      ['LPOS', 'l', 'a', 'RANK', '-1', 'MAXLEN', '1'],
      ['LPOS', 'l', 'a', 'RANK', '0'],
      ['LPOS', 'l', 'a', 'RANK', 'x'],
      ['LPOS', 'l', 'a', 'COUNT', '-1'],
      ['LPOS', 'l', 'a', 'COUNT', 'x'],
      ['LPOS', 'l', 'a', 'MAXLEN', '-1'],
      ['LPOS', 'l', 'a', 'MAXLEN', 'x'],
      ['LPOS', 'l', 'a', 'RANK'],
      ['LPOS', 'l', 'a', 'FOO', '1'],
      ['LPOS', 'nokey', 'a'],
      ['LPOS', 'nokey', 'a', 'COUNT', '1'],
      ['SET', 's', 'v'],
      ['LPOS', 's', 'a'],
    ]);
  });

  it('RANK refuses LONG_MIN as Redis 7.2+ does (7.0 accepted it)', async () => {
    await s.raw.call('RPUSH', 'l', 'a');
    const cmd = ['LPOS', 'l', 'a', 'RANK', '-9223372036854775808'];
    if (ORACLE_AT_LEAST_7_2) await sameBytes(s.port, s.oracle.port, [['RPUSH', 'l', 'a'], cmd]);
    expect(((await s.raw.call(...cmd)) as Error).message).to.equal('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  });
});
