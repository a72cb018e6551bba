/**
 * SORT and SORT_RO against redis-server: numeric and ALPHA order, BY and
 * GET patterns (strings and hash fields), LIMIT, DESC, BY nosort, STORE
 * into a list, on lists, sets and sorted sets, errors included.
 */
import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { ORACLE_AT_LEAST_7_2 } from '../../helpers.js';

describe('SORT and SORT_RO', () => {
  const s = useServers();

  it('sorts sets and sorted sets numerically and ALPHA, with LIMIT, DESC, BY and GET', async () => {
    await s.diff([
      ['SADD', 's', '3', '1', '2', '10', '-1.5', 'inf'],
      ['SORT', 's'],
      ['SORT', 's', 'DESC', 'LIMIT', '1', '2'],
      ['SORT', 's', 'ALPHA'],
      ['SADD', 'w', 'b', 'a', 'c'],
      ['SORT', 'w'],
      ['SORT', 'w', 'ALPHA', 'DESC'],
      ['SET', 'w_a', '3'],
      ['SET', 'w_b', '1'],
      ['SORT', 'w', 'BY', 'w_*'],
      ['SORT', 'w', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*', 'GET', 'nokey'],
      ['SORT', 'w', 'BY', 'w_*', 'ALPHA'],
      ['SORT', 'w', 'BY', 'w_*->f'],
      ['SORT', 'w', 'BY', 'nosort', 'STORE', 'dst'],
      ['TYPE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
      ['SORT', 'w', 'LIMIT', '0'],
      ['SORT', 'w', 'foo'],
      ['SORT', 'nokey'],
      ['SORT', 'nokey', 'STORE', 'dst'],
      ['EXISTS', 'dst'],
      ['SET', 'str', 'x'],
      ['SORT', 'str'],
      ['SORT', 'str', 'foo'],
      ['SORT_RO', 'w', 'ALPHA', 'STORE', 'x'],
      ['SORT_RO', 'w', 'ALPHA', 'LIMIT', '0', '2'],
      ['ZADD', 'z', '3', 'a', '1', 'b', '2', 'c'],
      ['SORT', 'z', 'BY', 'nosort'],
      ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '0', '2'],
      ['SORT', 'z', 'ALPHA'],
      ['SORT', 'w', 'LIMIT', '-1', '2', 'ALPHA'],
      ['SORT', 'w', 'LIMIT', '1', '-1', 'ALPHA'],
      ['SORT', 'w', 'LIMIT', '5', '1', 'ALPHA'],
      ['SORT', 'w', 'LIMIT', 'a', '1'],
      ['SADD', 'nums', '1.5', '2e0'],
      ['SORT', 'nums'],
      // 7.4 parses weights strictly; Debian's 7.0 (strtod) also takes a leading space.
      ...(ORACLE_AT_LEAST_7_2 ? [['SADD', 'nums', ' 3'], ['SORT', 'nums']] : []),
      ['HSET', 'h_a', 'f', '9'],
      ['HSET', 'h_b', 'f', '1'],
      ['SORT', 'w', 'BY', 'h_*->f', 'GET', 'h_*->f', 'GET', '#'],
      ['SORT', 'w', 'BY', 'w_*', 'ALPHA', 'STORE', 'dst2'],
      ['LRANGE', 'dst2', '0', '-1'],
      ['RPUSH', 'l', '3', '1', '2'],
      ['SORT', 'l'],
      ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '1', '5'],
      ['SORT', 'l', 'DESC', 'STORE', 'l'],
      ['LRANGE', 'l', '0', '-1'],
      ['COMMAND', 'GETKEYS', 'SORT', 'l', 'BY', 'x', 'STORE', 'd', 'GET', 'y'],
      ['COMMAND', 'GETKEYS', 'SORT_RO', 'l', 'BY', 'x'],
    ]);
  });

  it('SORT STORE fires sortstore on the destination and is propagated as itself', async () => {
    await s.redis.sadd('s', 'b', 'a');
    s.events.length = 0;
    s.propagated.length = 0;
    expect(await s.redis.sort('s', 'ALPHA', 'STORE', 'd')).to.equal(2);
    expect(await s.redis.lrange('d', 0, -1)).to.deep.equal(['a', 'b']);
    expect(s.events).to.deep.equal(['n:new:d:0', 'l:sortstore:d:0']);
    expect(s.propagated).to.deep.equal(['SORT s ALPHA STORE d']);
  });
});
