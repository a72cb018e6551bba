/**
 * The set commands against redis-server: every reply and error compared
 * (RESP2 decoded replies via the differential helper, RESP3 raw bytes), plus
 * what is propagated to the AOF and the keyspace events fired.
 *
 * Redis lists the members of hashtable-encoded sets in hash order, so those
 * replies are compared sorted (`unordered`); intset (ascending) and, on
 * Redis 7.2+, listpack (insertion order) replies are compared as they are.
 */
import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { ORACLE_AT_LEAST_7_2, sortDeep, type Step } from '../../helpers.js';

/** A step whose reply is a collection Redis lists in no defined order. */
const unordered = (...cmd: (string | number)[]): Step => ({ cmd, normalise: sortDeep });
/** Listpack order is insertion order on 7.2+; Debian's 7.0 has no listpack sets (hashtable order). */
const listpackOrder = (...cmd: (string | number)[]): Step => (ORACLE_AT_LEAST_7_2 ? cmd : unordered(...cmd));

describe('set commands', () => {
  const s = useServers();

  it('SADD/SREM/SCARD/SISMEMBER/SMISMEMBER/SMEMBERS reply as Redis does, errors included', async () => {
    await s.diff([
      ['SADD', 's', '3', '1', '2', '1'],
      ['SMEMBERS', 's'],
      ['SADD', 's', '-5', '10'],
      ['SMEMBERS', 's'],
      ['SCARD', 's'],
      ['SISMEMBER', 's', '3'],
      ['SISMEMBER', 's', 'x'],
      ['SISMEMBER', 'nokey', 'x'],
      ['SMISMEMBER', 's', '3', 'x', '10'],
      ['SMISMEMBER', 'nokey', 'a', 'b'],
      ['SREM', 's', '3', 'x', '3'],
      ['SREM', 'nokey', 'a'],
      ['SADD', 'w', 'b', 'a', 'c'],
      listpackOrder('SMEMBERS', 'w'),
      ['SREM', 'w', 'a'],
      listpackOrder('SMEMBERS', 'w'),
      ['SREM', 'w', 'b', 'c'],
      ['EXISTS', 'w'],
      ['SMEMBERS', 'nokey'],
      ['SCARD', 'nokey'],
      ['SADD', 's'],
      ['SREM', 's'],
      ['SISMEMBER', 's'],
      ['SMISMEMBER', 's'],
      ['SET', 'str', 'x'],
      ['SADD', 'str', 'a'],
      ['SREM', 'str', 'a'],
      ['SMEMBERS', 'str'],
      ['SCARD', 'str'],
      ['SISMEMBER', 'str', 'a'],
      ['SMISMEMBER', 'str', 'a'],
      ['SADD', 'bin', Buffer.from([0, 0xff, 0x80]), Buffer.from([0xc3, 0x28])],
      unordered('SMEMBERS', 'bin'),
      ['SISMEMBER', 'bin', Buffer.from([0, 0xff, 0x80])],
    ]);
  });

  it('OBJECT ENCODING follows set-max-intset-entries and set-max-listpack-entries/value', async function () {
    if (!ORACLE_AT_LEAST_7_2) this.skip(); // listpack sets are Redis 7.2+; Debian's 7.0 has intset/hashtable only
    await s.diff([
      ['CONFIG', 'SET', 'set-max-intset-entries', '5'],
      ['CONFIG', 'SET', 'set-max-listpack-entries', '4'],
      ['CONFIG', 'SET', 'set-max-listpack-value', '3'],
      ['SADD', 'a', '1'], ['SADD', 'a', 'abc'], ['OBJECT', 'ENCODING', 'a'], ['SMEMBERS', 'a'],
      ['SADD', 'b', '1'], ['SADD', 'b', 'abcd'], ['OBJECT', 'ENCODING', 'b'],
      ['SADD', 'c', '1000', '5'], ['SADD', 'c', 'ab'], ['OBJECT', 'ENCODING', 'c'],
      ['SADD', 'c2', '-10'], ['SADD', 'c2', 'x'], ['OBJECT', 'ENCODING', 'c2'],
      ['SADD', 'd', '5', '3', '1'], ['SADD', 'd', 'x'], ['OBJECT', 'ENCODING', 'd'], ['SMEMBERS', 'd'],
      ['SADD', 'e', '1', '2', '3', '4', '5'], ['OBJECT', 'ENCODING', 'e'], ['SADD', 'e', '6'], ['OBJECT', 'ENCODING', 'e'],
      ['SADD', 'f', '1', '2', '3', '4', '5', '6'], ['OBJECT', 'ENCODING', 'f'],
      ['SADD', 'g', 'a'], ['SADD', 'g', 'a', 'a', 'a', 'a', 'a'], ['OBJECT', 'ENCODING', 'g'],
      ['SADD', 'h', 'a', 'b', 'c', 'd'], ['OBJECT', 'ENCODING', 'h'], ['SADD', 'h', 'e'], ['OBJECT', 'ENCODING', 'h'],
      ['SADD', 'i', '1', '2'], ['SINTERSTORE', 'j', 'i'], ['OBJECT', 'ENCODING', 'j'],
      ['SADD', 'k', 'x', '1'], ['SUNIONSTORE', 'l', 'k', 'i'], ['OBJECT', 'ENCODING', 'l'],
      ['SMOVE', 'k', 'm', '1'], ['OBJECT', 'ENCODING', 'm'],
      ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
      ['CONFIG', 'SET', 'set-max-listpack-entries', '128'],
      ['CONFIG', 'SET', 'set-max-listpack-value', '64'],
      unordered('CONFIG', 'GET', 'set-max-*'),
    ]);
  });

  it('SPOP and SRANDMEMBER: counts, negative counts and errors', async () => {
    await s.diff([
      ['SADD', 's', '1', '2', '3'],
      ['SPOP', 's', '-1'],
      ['SPOP', 's', 'abc'],
      ['SPOP', 's', '9223372036854775808'],
      ['SPOP', 's', '1', '2'],
      ['SPOP', 's', '0'],
      ['SPOP', 'nokey'],
      ['SPOP', 'nokey', '3'],
      ['SRANDMEMBER', 's', '0'],
      ['SRANDMEMBER', 'nokey'],
      ['SRANDMEMBER', 'nokey', '2'],
      ['SRANDMEMBER', 'nokey', '-2'],
      ['SRANDMEMBER', 's', '1', '2'],
      ['SRANDMEMBER', 's', 'abc'],
      ['SRANDMEMBER', 's', '-9223372036854775808'],
      ['SRANDMEMBER', 's', '3'],
      ['SRANDMEMBER', 's', '100'],
      ['SET', 'str', 'x'],
      ['SPOP', 'str'],
      ['SPOP', 'str', '1'],
      ['SRANDMEMBER', 'str'],
      ['SRANDMEMBER', 'str', '-1'],
      ['SPOP', 's', '100'],
      ['EXISTS', 's'],
    ]);
    const r = s.redis;
    await r.sadd('t', 'a', 'b', 'c', 'd');
    const two = await r.srandmember('t', 2);
    expect(two).to.have.length(2);
    expect(new Set(two).size).to.equal(2);
    const many = (await r.srandmember('t', -10)) as string[];
    expect(many).to.have.length(10);
    for (const m of many) expect(['a', 'b', 'c', 'd']).to.include(m);
    const one = await r.spop('t');
    expect(['a', 'b', 'c', 'd']).to.include(one);
    const popped = await r.spop('t', 2);
    expect(popped).to.have.length(2);
    expect(await r.scard('t')).to.equal(1);
  });

  it('SPOP is propagated as SREM of the popped members, or DEL when it empties the set; events spop then del', async () => {
    const r = s.redis;
    await r.sadd('s', 'a', 'b', 'c', 'd');
    s.propagated.length = 0;
    s.events.length = 0;
    const m = await r.spop('s');
    expect(s.propagated).to.deep.equal([`SREM s ${m}`]);
    const two = (await r.spop('s', 2)) as string[];
    expect(s.propagated[1]).to.equal(`SREM s ${two.join(' ')}`);
    await r.spop('s', 5);
    expect(s.propagated[2]).to.equal('DEL s');
    expect(s.events).to.deep.equal(['s:spop:s:0', 's:spop:s:0', 's:spop:s:0', 'g:del:s:0']);
    expect(await r.exists('s')).to.equal(0);
    s.propagated.length = 0;
    await r.srandmember('nokey');
    await r.spop('nokey');
    expect(s.propagated).to.deep.equal([]);
  });

  it('SMOVE moves between sets, type-checks both keys, and emits srem/del/new/sadd', async () => {
    await s.diff([
      ['SADD', 'a', 'x', 'y'],
      ['SET', 'str', 'v'],
      ['SMOVE', 'a', 'str', 'x'],
      ['SMOVE', 'str', 'a', 'x'],
      ['SMOVE', 'nokey', 'str', 'x'],
      ['SMOVE', 'a', 'a', 'x'],
      ['SMOVE', 'a', 'a', 'zz'],
      ['SMOVE', 'a', 'b', 'zz'],
      ['SMOVE', 'a', 'b', 'x'],
      ['SMEMBERS', 'a'],
      ['SMEMBERS', 'b'],
      ['SADD', 'c', 'y'],
      ['SMOVE', 'a', 'c', 'y'],
      ['EXISTS', 'a'],
      ['SMEMBERS', 'c'],
    ]);
    await s.raw.call('FLUSHALL');
    s.events.length = 0;
    s.propagated.length = 0;
    await s.redis.sadd('a', 'x');
    await s.redis.smove('a', 'b', 'x');
    expect(s.events).to.deep.equal(['n:new:a:0', 's:sadd:a:0', 's:srem:a:0', 'g:del:a:0', 'n:new:b:0', 's:sadd:b:0']);
    expect(s.propagated).to.deep.equal(['SADD a x', 'SMOVE a b x']);
  });

  it('SINTER/SUNION/SDIFF and their STORE forms, SINTERCARD with LIMIT, errors', async () => {
    await s.diff([
      ['SADD', 'a', '1', '2', '3', '4'],
      ['SADD', 'b', '2', '3', '5'],
      ['SADD', 'c', '3', '2', 'x'],
      ['SET', 'str', 'v'],
      ['SINTER', 'a', 'b'],
      unordered('SINTER', 'a', 'b', 'c'),
      ['SINTER', 'a', 'nokey'],
      ['SINTER', 'nokey', 'str'],
      ['SINTER', 'a', 'str'],
      unordered('SUNION', 'a', 'b', 'c'),
      unordered('SUNION', 'a', 'nokey'),
      ['SUNION', 'nokey', 'str'],
      unordered('SDIFF', 'a', 'b'),
      unordered('SDIFF', 'a', 'b', 'c'),
      ['SDIFF', 'nokey', 'a'],
      ['SDIFF', 'nokey', 'str'],
      ['SINTERSTORE', 'd', 'a', 'b'],
      ['SMEMBERS', 'd'],
      ['SUNIONSTORE', 'e', 'a', 'b'],
      ['SMEMBERS', 'e'],
      ['SDIFFSTORE', 'f', 'a', 'b'],
      ['SMEMBERS', 'f'],
      ['SINTERSTORE', 'str', 'a', 'b'],
      ['TYPE', 'str'],
      ['SINTERSTORE', 'd', 'a', 'nokey'],
      ['EXISTS', 'd'],
      ['SDIFFSTORE', 'e', 'a', 'a'],
      ['EXISTS', 'e'],
      ['SUNIONSTORE', 'g', 'nokey'],
      ['SINTERSTORE', 'g', 'a', 'zz'],
      ['SET', 'str2', 'v'],
      ['SINTERSTORE', 'h', 'a', 'str2'],
      ['SINTERCARD', '2', 'a', 'b'],
      ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
      ['SINTERCARD', '2', 'a', 'b', 'limit', '0'],
      ['SINTERCARD', '1', 'nokey'],
      ['SINTERCARD', '0', 'a'],
      ['SINTERCARD', '-1', 'a'],
      ['SINTERCARD', 'x', 'a'],
      ['SINTERCARD', '3', 'a', 'b'],
      ['SINTERCARD', '1', 'a', 'LIMIT', '-1'],
      ['SINTERCARD', '1', 'a', 'LIMIT'],
      ['SINTERCARD', '1', 'a', 'foo', '1'],
      ['SINTERCARD', '1', 'str2'],
      ['SINTERCARD', '2', 'nokey', 'str2'],
    ]);
  });

  it('*STORE forms fire their event on the destination, or del when the result is empty', async () => {
    const r = s.redis;
    await r.sadd('a', '1', '2');
    await r.sadd('b', '2');
    await r.set('d', 'x', 'EX', 100);
    s.events.length = 0;
    s.propagated.length = 0;
    expect(await r.sinterstore('d', 'a', 'b')).to.equal(1);
    expect(await r.ttl('d')).to.equal(-1);
    await r.sunionstore('u', 'a', 'b');
    await r.sdiffstore('d', 'b', 'a');
    await r.sdiffstore('none', 'b', 'a');
    expect(s.events).to.deep.equal(['s:sinterstore:d:0', 'n:new:u:0', 's:sunionstore:u:0', 'g:del:d:0']);
    expect(s.propagated).to.deep.equal(['SINTERSTORE d a b', 'SUNIONSTORE u a b', 'SDIFFSTORE d b a']);
  });

  it('SSCAN returns small sets whole with cursor 0, walks big ones, and parses options like Redis', async () => {
    await s.diff([
      ['SADD', 's', 'a', 'b', 'c', 'ab'],
      ...(ORACLE_AT_LEAST_7_2 // on 7.0 a non-integer set is a hashtable, walked by its own cursor
        ? [['SSCAN', 's', '0'], ['SSCAN', 's', '0', 'MATCH', 'a*'], ['SSCAN', 's', '0', 'COUNT', '1']]
        : []),
      ['SSCAN', 's', 'abc'],
      ...(ORACLE_AT_LEAST_7_2 ? [['SSCAN', 's', '-1']] : []), // 7.0 wraps negative cursors; 7.4 refuses them
      ['SSCAN', 's', '18446744073709551616'],
      ['SSCAN', 's', '0', 'COUNT', '0'],
      ['SSCAN', 's', '0', 'COUNT', 'x'],
      ['SSCAN', 's', '0', 'MATCH'],
      ['SSCAN', 's', '0', 'foo'],
      ['SSCAN', 'nokey', '0', 'COUNT', '0'],
      ['SSCAN', 'nokey', 'abc'],
      ['SADD', 'i', '3', '1', '2'],
      ['SSCAN', 'i', '0'],
      ['SET', 'str', 'v'],
      ['SSCAN', 'str', '0'],
    ]);
    const r = s.redis;
    const members = Array.from({ length: 1000 }, (_, i) => `m${i}`);
    await r.sadd('big', ...members);
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, items] = await r.sscan('big', cursor, 'COUNT', 100);
      for (const m of items) seen.add(m);
      cursor = next;
      calls++;
    } while (cursor !== '0');
    expect(seen.size).to.equal(1000);
    expect(calls).to.be.greaterThan(1);
  });

  it('RESP3: SMEMBERS/SINTER/SUNION/SDIFF/SPOP count are sets, SRANDMEMBER count and SMISMEMBER arrays', async function () {
    const script: (string | number)[][] = [
      ['SADD', 's', '1', '2', '3'],
      ['SMEMBERS', 's'],
      ['SINTER', 's', 's'],
      ['SUNION', 's'],
      ['SDIFF', 's', 'nokey'],
      ['SMEMBERS', 'nokey'],
      ['SPOP', 's', '0'],
      ['SPOP', 'nokey', '2'],
      ['SRANDMEMBER', 's', '5'],
      ['SRANDMEMBER', 'nokey', '5'],
      ['SRANDMEMBER', 'nokey'],
      ['SPOP', 'nokey'],
      ['SMISMEMBER', 's', '1', 'x'],
      ['SSCAN', 's', '0'],
      ['SPOP', 's', '3'],
    ];
    await s.diff(script);
  });

  it('TYPE, OBJECT ENCODING, COPY, RENAME, EXPIRE and SCAN TYPE work on sets', async () => {
    await s.diff([
      ['SADD', 's', '1', '2'],
      ['TYPE', 's'],
      ['OBJECT', 'ENCODING', 's'],
      ['COPY', 's', 't'],
      ['SADD', 's', '3'],
      ['SMEMBERS', 't'],
      ['SMEMBERS', 's'],
      ['RENAME', 't', 'u'],
      ['SMEMBERS', 'u'],
      ['EXPIRE', 'u', '100'],
      ['TTL', 'u'],
      ['SET', 'str', 'x'],
      unordered('SCAN', '0', 'TYPE', 'set', 'COUNT', '100'),
      ['DEL', 'u', 's'],
      ['EXISTS', 'u', 's'],
    ]);
    await s.redis.sadd('m', 'a');
    const usage = await s.redis.memory('USAGE', 'm');
    expect(usage).to.be.a('number').greaterThan(0);
  });
});
