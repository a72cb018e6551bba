/**
 * The sorted-set commands against redis-server: every reply and error
 * compared (RESP2 decoded, RESP3 raw bytes), plus what is propagated and
 * the keyspace events fired. Score formatting changed in Redis 7.2 (shortest
 * round-trip digits instead of %.17g); scripts that print non-integral
 * scores run only against a 7.2+ oracle, the rest against any.
 */
import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { ORACLE_AT_LEAST_7_2, sortDeep, type Step } from '../../helpers.js';

const unordered = (...cmd: (string | number)[]): Step => ({ cmd, normalise: sortDeep });

describe('sorted set commands', () => {
  const s = useServers();

  /** The script in RESP3 only (s.diff runs both protocols). */
  const both3 = (script: Step[]): Promise<void> => s.diff(script, { protocols: [3] });

  it('ZADD options, ZINCRBY, ZSCORE, ZMSCORE, ZCARD and their errors', async () => {
    await s.diff([
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['ZADD', 'z', 'NX', 'XX', '1', 'a'],
      ['ZADD', 'z', 'GT', 'LT', '1', 'a'],
      ['ZADD', 'z', 'NX', 'GT', '1', 'a'],
      ['ZADD', 'z', 'INCR', '1', 'a', '2', 'b'],
      ['ZADD', 'z', 'NX', '1'],
      ['ZADD', 'z', '1', 'a', '2'],
      ['ZADD', 'z', 'abc', 'a'],
      ['ZADD', 'z', 'nan', 'a'],
      ['ZADD', 'z', ' 1', 'a'],
      ...(ORACLE_AT_LEAST_7_2 ? [['ZADD', 'z', '1e400', 'a'], ['ZADD', 'z', '1e-400', 'tiny'], ['ZADD', 'z', '1', 'a']] : []), // 7.0's strtod refuses overflow/underflow
      ['ZADD', 'z', 'inFinity', 'i'], ['ZADD', 'z', '1e', 'a'], ['ZADD', 'z', '', 'a'], ['ZADD', 'z', '1 ', 'a'], ['ZADD', 'z', '-nan', 'a'], ['ZREM', 'z', 'i'],
      ['ZADD', 'z', 'INCR', 'inf', 'a'],
      ['ZADD', 'z', 'INCR', '-inf', 'a'],
      ['ZSCORE', 'z', 'a'],
      ['ZADD', 'z', 'XX', '1', 'c'],
      ['ZADD', 'nokey', 'XX', '1', 'c'],
      ['EXISTS', 'nokey'],
      ['ZADD', 'z', 'INCR', 'NX', '1', 'a'],
      ['ZADD', 'z', 'CH', '5', 'a', '2', 'b', '3', 'c'],
      ['ZADD', 'z', 'GT', 'CH', '1', 'a', '9', 'b'],
      ['ZADD', 'z', 'LT', 'CH', '1', 'a', '10', 'b', '0', 'new'],
      ['ZADD', 'z', 'INCR', 'GT', '-1', 'a'],
      ['ZADD', 'z', 'INCR', 'LT', '-1', 'a'],
      ['ZADD', 'z', 'xx', 'ch', 'incr', '2', 'a'],
      ['ZINCRBY', 'z', '5', 'b'],
      ['ZINCRBY', 'z', 'abc', 'b'],
      ['ZINCRBY', 'z', '1', 'fresh'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZMSCORE', 'z', 'a', 'nope', 'b'],
      ['ZMSCORE', 'nokey', 'a', 'b'],
      ['ZSCORE', 'z', 'nope'],
      ['ZSCORE', 'nokey', 'a'],
      ['ZCARD', 'z'],
      ['ZCARD', 'nokey'],
      ['ZADD', 'z', '+5', 'plus', '.5', 'half', '-0', 'negzero', '1e3', 'exp', '5.', 'dot', '-.5e1', 'small'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['SET', 'str', 'x'],
      ['ZADD', 'str', '1', 'a'],
      ['ZINCRBY', 'str', '1', 'a'],
      ['ZSCORE', 'str', 'a'],
      ['ZMSCORE', 'str', 'a'],
      ['ZCARD', 'str'],
      ['ZADD', 'bin', '1', Buffer.from([0, 0xff]), '1', Buffer.from([0xc3, 0x28])],
      ['ZRANGE', 'bin', '0', '-1'],
    ]);
  });

  it('scores print as Redis 7.2+ does (Grisu2 digits, integers up to 2^62, inf), in RESP2 and RESP3', async function () {
    if (!ORACLE_AT_LEAST_7_2) this.skip(); // 7.0 prints %.17g
    const scores = ['1.1', '1e20', '1.5e-7', '123456789012345678', '0.1', '1e21', '2.5e-5', '1e-5', '1e16', '1e18', '1e19', '1.5e20',
      '1.2345e19', '1e-6', '1e-7', '1.5e-6', '0.001234567', '1.7976931348623157e308', '5e-324', '-123456789012345678e5',
      '4611686018427387904', '9223372036854775807', '3.14159', '-2.5', 'inf', '-inf', '1e23', '9007199254740993', '0.3', '2e-310'];
    const script: Step[] = [];
    scores.forEach((sc, i) => script.push(['ZADD', 'z', sc, `m${i}`]));
    script.push(['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZADD', 'z', 'INCR', '0.1', 'm0'], ['ZINCRBY', 'z', '0.2', 'm4']);
    await s.diff(script);
    await both3([...script.map((x) => x as (string | number)[]), ['ZSCORE', 'z', 'm0'], ['ZMSCORE', 'z', 'm1', 'x'], ['ZRANGE', 'z', '0', '3', 'WITHSCORES']]);
  });

  it('-0 is kept by a skiplist and becomes 0 in a listpack', async function () {
    if (!ORACLE_AT_LEAST_7_2) this.skip(); // 7.0 prints %.17g
    await s.diff([
      ['ZADD', 'l', '-0', 'a'],
      ['ZSCORE', 'l', 'a'],
      ['ZINCRBY', 'l', '-0', 'a'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
      ['ZADD', 's', '-0', 'a'],
      ['ZSCORE', 's', 'a'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    ]);
  });

  it('ZRANGE in every form, the legacy range commands, ZCOUNT, ZLEXCOUNT, ZRANK/ZREVRANK and their errors', async () => {
    await s.diff([
      ['ZADD', 'z', '1', 'a', '2', 'b', '2', 'c', '3', 'd', '4', 'e', '5', 'f'],
      ['ZRANGE', 'z', '0', '-1'],
      ['ZRANGE', 'z', '1', '3', 'WITHSCORES'],
      ['ZRANGE', 'z', '-2', '-1'],
      ['ZRANGE', 'z', '-100', '100'],
      ['ZRANGE', 'z', '3', '1'],
      ['ZRANGE', 'z', '10', '20'],
      ['ZRANGE', 'z', '0', '1', 'REV'],
      ['ZRANGE', 'z', '(1', '4', 'BYSCORE'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '2', 'WITHSCORES'],
      ['ZRANGE', 'z', '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', '0', '3'],
      ['ZRANGE', 'z', '4', '(2', 'BYSCORE', 'REV'],
      ['ZRANGE', 'z', '(1', '3', 'BYSCORE', 'LIMIT', '-1', '2'],
      ['ZRANGE', 'z', '1', '3', 'BYSCORE', 'LIMIT', '1', '-1'],
      ['ZRANGE', 'z', '1', '3', 'BYSCORE', 'LIMIT', '0', '0'],
      ['ZRANGE', 'z', '0', '-1', 'LIMIT', '0', '1'],
      ['ZRANGE', 'z', '-', '+', 'BYLEX', 'WITHSCORES'],
      ['ZRANGE', 'z', '0', '1', 'REV', 'REV'],
      ['ZRANGE', 'z', '0', '1', 'BYSCORE', 'BYLEX'],
      ['ZRANGE', 'z', '0', '1', 'foo'],
      ['ZRANGE', 'z', 'a', '1'],
      ['ZRANGE', 'z', '(a', '1', 'BYSCORE'],
      ['ZRANGE', 'z', '', '2', 'BYSCORE'],
      ...(ORACLE_AT_LEAST_7_2 ? [['ZRANGE', 'z', ' 1', '2', 'BYSCORE']] : []), // 7.0's strtod skips leading space
      ['ZRANGE', 'z', '(', '2', 'BYSCORE'],
      ['ZRANGE', 'z', '+1', '(+inf', 'BYSCORE'],
      ['ZRANGE', 'z', '1.', '3', 'BYSCORE'],
      ['ZRANGE', 'z', 'a', 'b', 'BYLEX'],
      ['ZRANGEBYSCORE', 'z', '2', '4'],
      ['ZRANGEBYSCORE', 'z', '2', '4', 'WITHSCORES', 'LIMIT', '1', '5'],
      ['ZRANGEBYSCORE', 'z', '2', '4', 'REV'],
      ['ZRANGEBYSCORE', 'z', '2', '4', 'LIMIT', '1'],
      ['ZRANGEBYSCORE', 'z', 'x', '4'],
      ['ZREVRANGEBYSCORE', 'z', '4', '2'],
      ['ZREVRANGEBYSCORE', 'z', '(4', '(2', 'WITHSCORES'],
      ['ZREVRANGEBYSCORE', 'z', '2', '4'],
      ['ZREVRANGE', 'z', '0', '2', 'WITHSCORES'],
      ['ZREVRANGE', 'z', '0', '2', 'LIMIT', '0', '1'],
      ['ZREVRANGE', 'z', '0', '2', 'BYSCORE'],
      ['ZCOUNT', 'z', '2', '4'],
      ['ZCOUNT', 'z', '(2', '(4'],
      ['ZCOUNT', 'z', '-inf', '+inf'],
      ['ZCOUNT', 'z', 'a', '1'],
      ['ZCOUNT', 'nokey', '0', '1'],
      ['ZRANK', 'z', 'c'],
      ['ZREVRANK', 'z', 'c'],
      ['ZRANK', 'z', 'zz'],
      ['ZRANK', 'nokey', 'a'],
      ...(ORACLE_AT_LEAST_7_2 ? [['ZRANK', 'z', 'a', 'foo'], ['ZRANK', 'z', 'a', 'WITHSCORE', 'x']] : []), // 7.0 has no WITHSCORE: arity 3
      ['ZADD', 'lex', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e', '0', 'ab'],
      ['ZRANGEBYLEX', 'lex', '-', '+'],
      ['ZRANGEBYLEX', 'lex', '[a', '(c'],
      ['ZRANGEBYLEX', 'lex', '(a', '[c', 'LIMIT', '1', '2'],
      ['ZRANGEBYLEX', 'lex', '+', '-'],
      ['ZRANGEBYLEX', 'lex', 'a', 'c'],
      ['ZRANGEBYLEX', 'lex', '[a', '[c', 'WITHSCORES'],
      ['ZREVRANGEBYLEX', 'lex', '+', '-'],
      ['ZREVRANGEBYLEX', 'lex', '[c', '(a', 'LIMIT', '0', '2'],
      ['ZRANGE', 'lex', '[e', '[b', 'BYLEX', 'REV'],
      ['ZLEXCOUNT', 'lex', '-', '+'],
      ['ZLEXCOUNT', 'lex', '[ab', '(d'],
      ['ZLEXCOUNT', 'lex', 'a', 'b'],
      ['ZLEXCOUNT', 'nokey', '-', '+'],
      ['ZRANGE', 'nokey', '0', '-1'],
      ['ZRANGEBYLEX', 'nokey', '-', '+'],
      ['SET', 'str', 'x'],
      ['ZRANGE', 'str', '0', '-1'],
      ['ZRANGE', 'str', 'x', '-1'],
      ['ZCOUNT', 'str', '0', '1'],
      ['ZRANK', 'str', 'a'],
    ]);
  });

  it('ZRANK/ZREVRANK WITHSCORE (Redis 7.2+)', async function () {
    if (!ORACLE_AT_LEAST_7_2) this.skip(); // WITHSCORE is new in 7.2
    const script = [
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['ZRANK', 'z', 'b', 'WITHSCORE'],
      ['ZREVRANK', 'z', 'b', 'withscore'],
      ['ZRANK', 'z', 'x', 'WITHSCORE'],
      ['ZRANK', 'nokey', 'x', 'WITHSCORE'],
    ];
    await s.diff(script);
    await both3(script);
  });

  it('ZRANGESTORE stores ranges, deletes the destination for an empty one, and refuses WITHSCORES', async () => {
    await s.diff([
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['ZRANGESTORE', 'd', 'z', '0', '1'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'd', 'z', '(1', '+inf', 'BYSCORE', 'LIMIT', '0', '1'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'd', 'z', '[c', '-', 'BYLEX', 'REV'],
      ['ZRANGE', 'd', '0', '-1'],
      ['ZRANGESTORE', 'd', 'z', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'd', 'nokey', '0', '-1'],
      ['EXISTS', 'd'],
      ['SET', 'str', 'x'],
      ['ZRANGESTORE', 'str', 'z', '0', '0'],
      ['TYPE', 'str'],
      ['ZRANGESTORE', 'd', 'str', '0', '0'],
    ]);
  });

  it('ZREM and ZREMRANGEBYRANK/SCORE/LEX, deleting emptied keys', async () => {
    await s.diff([
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
      ['ZREM', 'z', 'a', 'x', 'a'],
      ['ZREM', 'nokey', 'a'],
      ['ZREMRANGEBYRANK', 'z', '0', '0'],
      ['ZREMRANGEBYRANK', 'z', '-1', '-1'],
      ['ZRANGE', 'z', '0', '-1'],
      ['ZREMRANGEBYSCORE', 'z', '(3', '+inf'],
      ['ZREMRANGEBYSCORE', 'z', 'a', 'b'],
      ['ZREMRANGEBYSCORE', 'nokey', 'a', 'b'],
      ['ZREMRANGEBYRANK', 'nokey', 'a', 'b'],
      ['ZREMRANGEBYLEX', 'nokey', 'a', 'b'],
      ['ZADD', 'l', '0', 'a', '0', 'b', '0', 'c'],
      ['ZREMRANGEBYLEX', 'l', '[a', '(c'],
      ['ZRANGE', 'l', '0', '-1'],
      ['ZREMRANGEBYLEX', 'l', '-', '+'],
      ['EXISTS', 'l'],
      ['ZREM', 'z', 'c'],
      ['EXISTS', 'z'],
      ['SET', 'str', 'x'],
      ['ZREM', 'str', 'a'],
      ['ZREMRANGEBYRANK', 'str', '0', '1'],
    ]);
  });

  it('ZPOPMIN/ZPOPMAX/ZMPOP replies and errors, RESP2 and RESP3', async () => {
    const script = [
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
      ['ZPOPMIN', 'z'],
      ['ZPOPMAX', 'z', '2'],
      ['ZPOPMIN', 'z', '0'],
      ['ZPOPMIN', 'z', '-1'],
      ['ZPOPMIN', 'z', 'abc'],
      ['ZPOPMIN', 'z', '1', '2'],
      ['ZPOPMIN', 'nokey'],
      ['ZPOPMIN', 'nokey', '2'],
      ['ZADD', 'y', '5', 'x', '6', 'y', '7', 'z'],
      ['ZMPOP', '2', 'nokey', 'y', 'MIN'],
      ['ZMPOP', '1', 'y', 'MAX', 'COUNT', '10'],
      ['ZMPOP', '1', 'y', 'MAX'],
      ['ZMPOP', '0', 'y', 'MIN'],
      ['ZMPOP', '2', 'y', 'MIN'],
      ['ZMPOP', '5', 'y', 'MIN'],
      ['ZMPOP', '1', 'y', 'foo'],
      ['ZMPOP', '1', 'y', 'MIN', 'COUNT', '0'],
      ['ZMPOP', '1', 'y', 'MIN', 'COUNT'],
      ['ZMPOP', '1', 'y', 'MIN', 'foo'],
      ['ZMPOP', 'x', 'y', 'MIN'],
      ['SET', 'str', 'x'],
      ['ZPOPMIN', 'str'],
      ['ZMPOP', '2', 'nokey', 'str', 'MIN'],
      ['EXISTS', 'z'],
    ];
    await s.diff(script);
    await both3(script);
  });

  it('pops fire zpopmin/zpopmax (and del) and are propagated as ZPOPMIN/ZPOPMAX', async () => {
    const r = s.redis;
    await r.zadd('z', 1, 'a', 2, 'b', 3, 'c');
    s.events.length = 0;
    s.propagated.length = 0;
    await r.zpopmin('z');
    await r.call('ZMPOP', '1', 'z', 'MAX', 'COUNT', '5');
    await r.call('ZMPOP', '1', 'z', 'MAX');
    expect(s.events).to.deep.equal(['z:zpopmin:z:0', 'z:zpopmax:z:0', 'g:del:z:0']);
    expect(s.propagated).to.deep.equal(['ZPOPMIN z', 'ZPOPMAX z 5']);
  });

  it('ZRANDMEMBER: counts, WITHSCORES, errors', async () => {
    await s.diff([
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['ZRANDMEMBER', 'z', '0'],
      ['ZRANDMEMBER', 'z', '5'],
      ['ZRANDMEMBER', 'z', '5', 'WITHSCORES'],
      ['ZRANDMEMBER', 'z', '-9223372036854775808'],
      ['ZRANDMEMBER', 'z', '-4611686018427387904', 'WITHSCORES'],
      ['ZRANDMEMBER', 'z', '1', 'foo'],
      ['ZRANDMEMBER', 'z', '1', 'WITHSCORES', 'x'],
      ['ZRANDMEMBER', 'z', 'x'],
      ['ZRANDMEMBER', 'nokey'],
      ['ZRANDMEMBER', 'nokey', '3'],
      ['ZRANDMEMBER', 'nokey', '3', 'WITHSCORES'],
      ['SET', 'str', 'x'],
      ['ZRANDMEMBER', 'str'],
    ]);
    const r = await s.redis.zrandmember('z', -7, 'WITHSCORES');
    expect(r).to.have.length(14);
    const two = await s.redis.zrandmember('z', 2);
    expect(new Set(two as string[]).size).to.equal(2);
    await both3([['ZADD', 'z', '1', 'a'], ['ZRANDMEMBER', 'z', '-2', 'WITHSCORES'], ['ZRANDMEMBER', 'z', '1', 'WITHSCORES']]);
  });

  it('ZUNION/ZINTER/ZDIFF and STORE forms with WEIGHTS and AGGREGATE, sets as sources, ZINTERCARD', async () => {
    await s.diff([
      ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'],
      ['ZADD', 'b', '10', 'y', '20', 'z', '30', 'w'],
      ['SADD', 'set', 'x', 'w', 'q'],
      ['ZUNION', '2', 'a', 'b', 'WITHSCORES'],
      ['ZUNION', '3', 'a', 'b', 'set', 'WEIGHTS', '2', '3', '4', 'WITHSCORES'],
      ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'MIN', 'WITHSCORES'],
      ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'max', 'aggregate', 'sum', 'WITHSCORES'],
      ['ZINTER', '2', 'a', 'b', 'WITHSCORES'],
      ['ZINTER', '2', 'a', 'b', 'AGGREGATE', 'MAX'],
      ['ZINTER', '2', 'a', 'set', 'WITHSCORES'],
      ['ZINTER', '2', 'a', 'nokey'],
      ['ZDIFF', '2', 'a', 'b', 'WITHSCORES'],
      ['ZDIFF', '2', 'nokey', 'b'],
      ['ZDIFF', '1', 'a', 'WEIGHTS', '1'],
      ['ZUNIONSTORE', 'd', '2', 'a', 'b'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZINTERSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '-1'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZDIFFSTORE', 'd', '2', 'a', 'b'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZINTERSTORE', 'd', '2', 'a', 'nokey'],
      ['EXISTS', 'd'],
      ['ZUNIONSTORE', 'd', '0', 'a'],
      ['ZUNION', '0', 'a'],
      ['ZINTER', '2', 'a'],
      ['ZUNION', '1', 'a', 'WEIGHTS'],
      ['ZUNION', '1', 'a', 'WEIGHTS', 'x'],
      ['ZUNION', '1', 'a', 'AGGREGATE', 'foo'],
      ['ZUNIONSTORE', 'd', '1', 'a', 'WITHSCORES'],
      ['ZUNION', 'x', 'a'],
      ['ZADD', 'inf', 'inf', 'm', '-inf', 'n'],
      ['ZUNION', '2', 'inf', 'inf', 'WEIGHTS', '1', '-1', 'WITHSCORES'],
      ['ZUNION', '1', 'inf', 'WEIGHTS', '0', 'WITHSCORES'],
      ['ZINTERCARD', '2', 'a', 'b'],
      ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
      ['ZINTERCARD', '2', 'a', 'set'],
      ['ZINTERCARD', '0', 'a'],
      ['ZINTERCARD', '2', 'a'],
      ['ZINTERCARD', '1', 'a', 'LIMIT', '-1'],
      ['ZINTERCARD', '1', 'a', 'WEIGHTS', '1'],
      ['SET', 'str', 'x'],
      ['ZUNION', '2', 'a', 'str'],
      ['ZUNION', '2', 'str', 'a', 'foo'],
      ['ZINTERCARD', '1', 'str'],
    ]);
  });

  it('ZSCAN returns small sorted sets whole and walks big ones', async () => {
    await s.diff([
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'ab'],
      ['ZSCAN', 'z', '0'],
      ['ZSCAN', 'z', '0', 'MATCH', 'a*'],
      ['ZSCAN', 'z', '0', 'COUNT', '1'],
      ['ZSCAN', 'z', 'abc'],
      ['ZSCAN', 'z', '0', 'COUNT', '0'],
      ['ZSCAN', 'nokey', '0'],
      ['SET', 'str', 'x'],
      ['ZSCAN', 'str', '0'],
    ]);
    const members: (string | number)[] = [];
    for (let i = 0; i < 500; i++) members.push(i, `m${i}`);
    await s.redis.zadd('big', ...members);
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const [next, items] = await s.redis.zscan('big', cursor, 'COUNT', 50);
      for (let i = 0; i < items.length; i += 2) seen.add(items[i]);
      cursor = next;
    } while (cursor !== '0');
    expect(seen.size).to.equal(500);
  });

  it('OBJECT ENCODING follows zset-max-listpack-entries/value, and the STORE forms convert back', async () => {
    await s.diff([
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '3'],
      ['CONFIG', 'SET', 'zset-max-listpack-value', '4'],
      ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'], ['OBJECT', 'ENCODING', 'a'],
      ['ZADD', 'a', '4', 'w'], ['OBJECT', 'ENCODING', 'a'],
      ['ZREM', 'a', 'w', 'z'], ['OBJECT', 'ENCODING', 'a'],
      ['ZADD', 'b', '1', 'abcde'], ['OBJECT', 'ENCODING', 'b'],
      // 7.2+ sizes a new sorted set by the number of pairs given (duplicates included); 7.0 by what was added.
      ...(ORACLE_AT_LEAST_7_2 ? [['ZADD', 'c', '1', 'x', '2', 'y', '3', 'z', '4', 'x'], ['OBJECT', 'ENCODING', 'c']] : []),
      ...(ORACLE_AT_LEAST_7_2 ? [['ZADD', 'd', '1', 'x'], ['ZADD', 'd', '1', 'x', '1', 'x', '1', 'x', '1', 'x'], ['OBJECT', 'ENCODING', 'd']] : []),
      ['ZUNIONSTORE', 'e', '1', 'a'], ['OBJECT', 'ENCODING', 'e'],
      ['ZRANGESTORE', 'f', 'a', '0', '0'], ['OBJECT', 'ENCODING', 'f'],
      ['ZADD', 'g', '1', 'abcd'], ['OBJECT', 'ENCODING', 'g'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
      ['CONFIG', 'SET', 'zset-max-listpack-value', '64'],
      ['CONFIG', 'SET', 'zset-max-ziplist-entries', '100'],
      ['CONFIG', 'GET', 'zset-max-listpack-entries'],
      ['CONFIG', 'SET', 'zset-max-ziplist-entries', '128'],
      ['TYPE', 'a'],
      ['COPY', 'a', 'copy'],
      ['ZRANGE', 'copy', '0', '-1', 'WITHSCORES'],
      ['RENAME', 'copy', 'renamed'],
      ['ZCARD', 'renamed'],
      unordered('SCAN', '0', 'TYPE', 'zset', 'COUNT', '100'),
    ]);
  });

  it('ZADD/ZINCRBY/ZREM/ZREMRANGE*/STORE keyspace events and propagation', async () => {
    const r = s.redis;
    await r.zadd('z', 1, 'a', 2, 'b');
    await r.zadd('z', 'XX', 5, 'nope');
    await r.zincrby('z', 1, 'a');
    await r.zadd('z', 'INCR', 1, 'a');
    await r.zrem('z', 'a');
    await r.zadd('z', 3, 'c', 4, 'd');
    await r.zremrangebyscore('z', 0, 3);
    await r.zremrangebyrank('z', 0, -1);
    await r.zadd('y', 1, 'a');
    await r.zunionstore('u', 1, 'y');
    await r.zinterstore('u', 2, 'y', 'nokey');
    expect(s.events).to.deep.equal([
      'n:new:z:0', 'z:zadd:z:0', 'z:zincr:z:0', 'z:zincr:z:0', 'z:zrem:z:0', 'z:zadd:z:0',
      'z:zremrangebyscore:z:0', 'z:zremrangebyrank:z:0', 'g:del:z:0',
      'n:new:y:0', 'z:zadd:y:0', 'n:new:u:0', 'z:zunionstore:u:0', 'g:del:u:0',
    ]);
    expect(s.propagated).to.deep.equal([
      'ZADD z 1 a 2 b', 'ZINCRBY z 1 a', 'ZADD z INCR 1 a', 'ZREM z a', 'ZADD z 3 c 4 d', 'ZREMRANGEBYSCORE z 0 3',
      'ZREMRANGEBYRANK z 0 -1', 'ZADD y 1 a', 'ZUNIONSTORE u 1 y', 'ZINTERSTORE u 2 y nokey',
    ]);
  });
});
