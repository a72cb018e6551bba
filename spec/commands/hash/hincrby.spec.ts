import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes } from './bytes.js';

describe('HINCRBY, HINCRBYFLOAT', () => {
  const s = useServers();

  it('HINCRBY adds to integer fields, creating them at 0, with Redis errors (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['HINCRBY', 'h', 'n', '5'],
      ['HINCRBY', 'h', 'n', '-7'],
      ['HSET', 'h', 's', 'abc', 'z', '007', 'big', '9223372036854775806', 'sp', ' 1'],
      ['HINCRBY', 'h', 's', '1'],
      ['HINCRBY', 'h', 'z', '1'],
      ['HINCRBY', 'h', 'sp', '1'],
      ['HINCRBY', 'h', 'big', '1'],
      ['HINCRBY', 'h', 'big', '1'],
      ['HINCRBY', 'h', 'n', 'x'],
      ['HINCRBY', 'h', 'n', '1.5'],
      ['HINCRBY', 'h', 'n', '99999999999999999999'],
      ['HINCRBY', 'h', 'neg', '-9223372036854775808'],
      ['HINCRBY', 'h', 'neg', '-1'],
      ['SET', 'str', 'x'],
      ['HINCRBY', 'str', 'f', '1'],
      ['HINCRBY', 'str', 'f', 'notanumber'],
      ['HGETALL', 'h'],
    ]);
  });

  it('HINCRBYFLOAT adds in long double precision with Redis formatting and errors (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['HINCRBYFLOAT', 'h', 'f', '10.5'],
      ['HINCRBYFLOAT', 'h', 'f', '0.1'],
      ['HINCRBYFLOAT', 'h', 'f', '-5.0e3'],
      ['HINCRBYFLOAT', 'h', 'i', '3'],
      ['HSET', 'h', 's', 'abc', 'inf', 'inf'],
      ['HINCRBYFLOAT', 'h', 's', '1'],
      ['HINCRBYFLOAT', 'h', 'inf', '1'],
      ['HINCRBYFLOAT', 'h', 'f', 'inf'],
      ['HINCRBYFLOAT', 'h', 'f', 'nan'],
      ['HINCRBYFLOAT', 'h', 'f', 'abc'],
      ['HINCRBYFLOAT', 'h', 'f', ''],
      ['SET', 'str', 'x'],
      ['HINCRBYFLOAT', 'str', 'f', '1'],
      ['HGETALL', 'h'],
    ]);
  });

  it('HINCRBYFLOAT is propagated as HSET with the result; HINCRBY as sent; events hincrby/hincrbyfloat', async () => {
    await s.raw.call('HINCRBY', 'h', 'n', '2');
    await s.raw.call('HINCRBYFLOAT', 'h', 'f', '1.5');
    await s.raw.call('HINCRBY', 'h', 'n', 'x');
    expect(s.propagated).to.deep.equal(['HINCRBY h n 2', 'HSET h f 1.5']);
    expect(s.events).to.deep.equal(['n:new:h:0', 'h:hincrby:h:0', 'h:hincrbyfloat:h:0']);
  });
});
