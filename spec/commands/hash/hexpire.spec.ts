/**
 * Redis 7.4 hash field expiry. Byte-exact against an oracle that has it (the
 * newer build, RIVULET_ORACLE=.../redis-server-7.4plus); against Debian's 7.0,
 * which has no field expiry, the same scripts check rivulet's literal replies.
 */
import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes, transcript, type Cmd } from './bytes.js';
import { ORACLE_VERSION, RawConnection, sleep, startRivulet, tmpDir, rmrf } from '../../helpers.js';

const [maj, min] = ORACLE_VERSION.split('.').map(Number);
/** Whether the oracle has hash field expiry (7.4+). */
const ORACLE_HFE = maj > 7 || (maj === 7 && min >= 4);

describe('HEXPIRE and the hash field expiry commands', () => {
  const s = useServers();

  /** Byte-exact against a 7.4+ oracle, else rivulet's transcript must equal `expected` (RESP2 lines). */
  async function check(cmds: Cmd[], expected: string[]): Promise<void> {
    if (ORACLE_HFE) await sameBytes(s.port, s.oracle.port, cmds);
    const ours = await transcript(s.port, 2, cmds);
    expect(ours.split('\r\n').slice(0, -1)).to.deep.equal(expected);
  }

  it('set TTLs with NX/XX/GT/LT, per-field codes, listpackex order and HPERSIST', async () => {
    await check(
      [
        ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
        ['HEXPIRE', 'h', '100', 'FIELDS', '1', 'c'],
        ['OBJECT', 'ENCODING', 'h'],
        ['HGETALL', 'h'],
        ['HPEXPIREAT', 'h', '4102444800000', 'FIELDS', '2', 'b', 'zz'],
        ['HEXPIRE', 'h', '50', 'NX', 'FIELDS', '2', 'c', 'a'],
        ['HKEYS', 'h'],
        ['HEXPIRE', 'h', '200', 'XX', 'FIELDS', '1', 'a'],
        ['HEXPIRE', 'h', '10', 'GT', 'FIELDS', '1', 'a'],
        ['HEXPIRE', 'h', '300', 'LT', 'FIELDS', '1', 'a'],
        ['HEXPIRE', 'h', '150', 'lt', 'FIELDS', '1', 'a'],
        ['HKEYS', 'h'],
        ['HTTL', 'h', 'FIELDS', '3', 'a', 'c', 'zz'],
        ['HPEXPIRETIME', 'h', 'FIELDS', '1', 'b'],
        ['HEXPIRETIME', 'h', 'FIELDS', '1', 'b'],
        ['HPERSIST', 'h', 'FIELDS', '3', 'a', 'zz', 'a'],
        ['HKEYS', 'h'],
        ['HTTL', 'h', 'FIELDS', '1', 'a'],
        ['HSET', 'h', 'c', 'new'],
        ['HKEYS', 'h'],
        ['HEXPIRETIME', 'h', 'FIELDS', '2', 'c', 'b'],
        ['HINCRBY', 'h', 'b', '5'],
        ['HPEXPIRETIME', 'h', 'FIELDS', '1', 'b'],
        ['HEXPIRE', 'nokey', '10', 'FIELDS', '2', 'a', 'b'],
        ['HTTL', 'nokey', 'FIELDS', '1', 'a'],
        ['HPERSIST', 'nokey', 'FIELDS', '1', 'a'],
        ['HSET', 'plain', 'f', 'v'],
        ['HPERSIST', 'plain', 'FIELDS', '1', 'f'],
        ['OBJECT', 'ENCODING', 'plain'],
        ['HEXPIRE', 'plain', '10', 'FIELDS', '1', 'nofield'],
        ['OBJECT', 'ENCODING', 'plain'],
      ],
      [
        ':3', '*1', ':1', '$10', 'listpackex', '*6', '$1', 'c', '$1', '3', '$1', 'a', '$1', '1', '$1', 'b', '$1', '2',
        '*2', ':1', ':-2', '*2', ':0', ':1', '*3', '$1', 'a', '$1', 'c', '$1', 'b',
        '*1', ':1', '*1', ':0', '*1', ':0', '*1', ':1', '*3', '$1', 'c', '$1', 'a', '$1', 'b',
        '*3', ':150', ':100', ':-2', '*1', ':4102444800000', '*1', ':4102444800',
        '*3', ':1', ':-2', ':-1', '*3', '$1', 'c', '$1', 'b', '$1', 'a', '*1', ':-1',
        ':0', '*3', '$1', 'b', '$1', 'a', '$1', 'c', '*2', ':-1', ':4102444800',
        ':7', '*1', ':4102444800000',
        '*2', ':-2', ':-2', '*1', ':-2', '*1', ':-2',
        ':1', '*1', ':-1', '$8', 'listpack', '*1', ':-2', '$10', 'listpackex',
      ],
    );
  });

  it('argument errors, in Redis order (WRONGTYPE first)', async () => {
    await check(
      [
        ['HSET', 'h', 'a', '1'],
        ['SET', 's', 'x'],
        ['HEXPIRE', 's', 'x', 'FIELDS', '1', 'a'],
        ['HEXPIRE', 'h', 'x', 'FIELDS', '1', 'a'],
        ['HEXPIRE', 'h', '-1', 'FIELDS', '1', 'a'],
        ['HEXPIRE', 'h', '70368744177664', 'FIELDS', '1', 'a'],
        ['HPEXPIREAT', 'h', '70368744177664', 'FIELDS', '1', 'a'],
        ['HEXPIRE', 'h', '10', 'FOO', '1', 'a'],
        ['HEXPIRE', 'h', '10', 'NX', 'FOO', '1', 'a'],
        ['HEXPIRE', 'h', '10', 'FIELDS', '0', 'a'],
        ['HEXPIRE', 'h', '10', 'FIELDS', 'x', 'a'],
        ['HEXPIRE', 'h', '10', 'FIELDS', '2', 'a'],
        ['HEXPIRE', 'h', '10', 'FIELDS', '1', 'a', 'b'],
        ['HTTL', 's', 'FIELDS', '1', 'a'],
        ['HTTL', 'h', 'FOO', '1', 'a'],
        ['HTTL', 'h', 'FIELDS', '0', 'a'],
        ['HTTL', 'h', 'FIELDS', '2', 'a'],
        ['HPERSIST', 's', 'FIELDS', '1', 'a'],
        ['HPERSIST', 'h', 'FIELDS', '-1', 'a'],
        ['HEXPIRE', 'h', '10', 'FIELDS', '1'],
      ],
      [
        ':1', '+OK',
        '-WRONGTYPE Operation against a key holding the wrong kind of value',
        '-ERR value is not an integer or out of range',
        '-ERR invalid expire time, must be >= 0',
        "-ERR invalid expire time in 'hexpire' command",
        "-ERR invalid expire time in 'hpexpireat' command",
        '-ERR Mandatory argument FIELDS is missing or not at the right position',
        '-ERR Mandatory argument FIELDS is missing or not at the right position',
        '-ERR Parameter `numFields` should be greater than 0',
        '-ERR Parameter `numFields` should be greater than 0',
        '-ERR The `numfields` parameter must match the number of arguments',
        '-ERR The `numfields` parameter must match the number of arguments',
        '-WRONGTYPE Operation against a key holding the wrong kind of value',
        '-ERR Mandatory argument FIELDS is missing or not at the right position',
        '-ERR Number of fields must be a positive integer',
        '-ERR The `numfields` parameter must match the number of arguments',
        '-WRONGTYPE Operation against a key holding the wrong kind of value',
        '-ERR Number of fields must be a positive integer',
        "-ERR wrong number of arguments for 'hexpire' command",
      ],
    );
  });

  it('a time already past deletes the fields (code 2), the key with the last one; propagated as HDEL', async () => {
    await check(
      [
        ['HSET', 'h', 'a', '1', 'b', '2'],
        ['HEXPIRE', 'h', '0', 'FIELDS', '2', 'a', 'zz'],
        ['HGETALL', 'h'],
        ['HPEXPIREAT', 'h', '1', 'FIELDS', '1', 'b'],
        ['EXISTS', 'h'],
      ],
      [':2', '*2', ':2', ':-2', '*2', '$1', 'b', '$1', '2', '*1', ':2', ':0'],
    );
    const ours = s.propagated.filter((p) => !p.startsWith('FLUSHALL') && !p.startsWith('HELLO'));
    expect(ours).to.include.members(['HDEL h a', 'HDEL h b']);
    expect(ours.some((p) => p.startsWith('HPEXPIREAT') || p.startsWith('HEXPIRE'))).to.equal(false);
    expect(s.events.filter((e) => e.endsWith(':h:0'))).to.include.members(['h:hdel:h:0', 'g:del:h:0']);
  });

  it('HEXPIRE is propagated as HPEXPIREAT with the absolute time and only the fields that got it; events hexpire/hpersist', async () => {
    await s.raw.call('HSET', 'h', 'a', '1', 'b', '2');
    await s.raw.call('HEXPIRE', 'h', '100', 'FIELDS', '1', 'a');
    s.propagated.length = 0;
    s.events.length = 0;
    const before = Date.now();
    await s.raw.call('HEXPIRE', 'h', '100', 'NX', 'FIELDS', '3', 'a', 'b', 'zz');
    await s.raw.call('HEXPIRE', 'h', '100', 'NX', 'FIELDS', '1', 'a');
    await s.raw.call('HPERSIST', 'h', 'FIELDS', '1', 'b');
    await s.raw.call('HPERSIST', 'h', 'FIELDS', '1', 'b');
    expect(s.propagated).to.have.length(2);
    const m = /^HPEXPIREAT h (\d+) FIELDS 1 b$/.exec(s.propagated[0]);
    expect(m, s.propagated[0]).to.not.equal(null);
    expect(Number(m![1]) - before).to.be.within(99000, 101000);
    expect(s.propagated[1]).to.equal('HPERSIST h FIELDS 1 b');
    expect(s.events).to.deep.equal(['h:hexpire:h:0', 'h:hpersist:h:0']);
  });

  it('an expired field is deleted on access: HGET nil, HDEL propagated, hexpired fired (active expiry off)', async () => {
    await s.raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      await s.raw.call('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
      await s.raw.call('HPEXPIRE', 'h', '20', 'FIELDS', '3', 'a', 'b', 'c');
      await sleep(60);
      s.propagated.length = 0;
      s.events.length = 0;
      expect(await s.raw.call('HLEN', 'h')).to.equal(3); // counted until touched, as in Redis
      expect(await s.raw.call('HGETALL', 'h')).to.deep.equal([]);
      expect(await s.raw.call('HGET', 'h', 'a')).to.equal(null);
      expect(await s.raw.call('HMGET', 'h', 'b', 'c')).to.deep.equal([null, null]);
      expect(await s.raw.call('EXISTS', 'h')).to.equal(0);
      // HMGET's two lazy deletions are one unit: MULTI/EXEC around them, as Redis's propagatePendingCommands wraps several ops.
      expect(s.propagated).to.deep.equal(['HDEL h a', 'MULTI', 'HDEL h b', 'HDEL h c', 'EXEC']);
      expect(s.events).to.deep.equal(['h:hexpired:h:0', 'h:hexpired:h:0', 'g:del:h:0']);
    } finally {
      await s.raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    }
  });

  it('active expiry removes due fields in the background, then the key', async () => {
    await s.raw.call('HSET', 'h', 'a', '1', 'b', '2', 'keep', '3');
    await s.raw.call('HPEXPIRE', 'h', '30', 'FIELDS', '2', 'a', 'b');
    await s.raw.call('HSET', 'gone', 'x', '1');
    await s.raw.call('HPEXPIRE', 'gone', '30', 'FIELDS', '1', 'x');
    await s.raw.call('RENAME', 'gone', 'renamed');
    s.events.length = 0;
    s.propagated.length = 0;
    for (let i = 0; i < 100 && (await s.raw.call('HLEN', 'h')) !== 1; i++) await sleep(20);
    for (let i = 0; i < 100 && (await s.raw.call('EXISTS', 'renamed')) !== 0; i++) await sleep(20);
    expect(await s.raw.call('HKEYS', 'h')).to.deep.equal(['keep']);
    expect(await s.raw.call('EXISTS', 'renamed')).to.equal(0);
    expect(s.events).to.include.members(['h:hexpired:h:0', 'h:hexpired:renamed:0', 'g:del:renamed:0']);
    expect(s.propagated).to.include.members(['HDEL h a', 'HDEL h b', 'HDEL renamed x']);
    const info = String(await s.raw.call('INFO', 'stats'));
    expect(Number(/expired_subkeys:(\d+)/.exec(info)![1])).to.be.at.least(3);
  });

  it('INFO keyspace counts the hashes with field TTLs as subexpiry', async () => {
    await s.raw.call('HSET', 'h', 'a', '1', 'b', '2');
    await s.raw.call('HSET', 'g', 'a', '1');
    await s.raw.call('HEXPIRE', 'h', '100', 'FIELDS', '2', 'a', 'b');
    await s.raw.call('HEXPIRE', 'g', '100', 'FIELDS', '1', 'a');
    expect(String(await s.raw.call('INFO', 'keyspace'))).to.include('db0:keys=2,expires=0,avg_ttl=0,subexpiry=2');
    await s.raw.call('HPERSIST', 'g', 'FIELDS', '1', 'a');
    await s.raw.call('RENAME', 'h', 'h2');
    expect(String(await s.raw.call('INFO', 'keyspace'))).to.include('db0:keys=2,expires=0,avg_ttl=0,subexpiry=1');
  });

  it('TTLs survive COPY and an AOF rewrite plus restart', async () => {
    const dir = tmpDir('rivulet-hfe-');
    try {
      let riv = await startRivulet({ dir, appendfsync: 'always' });
      let c = await RawConnection.open(riv.port);
      await c.call('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
      await c.call('HPEXPIREAT', 'h', '4102444800000', 'FIELDS', '1', 'b');
      await c.call('HEXPIREAT', 'h', '4102444000', 'FIELDS', '1', 'c');
      await c.call('COPY', 'h', 'h2');
      await c.call('BGREWRITEAOF');
      for (let i = 0; i < 200 && !String(await c.call('INFO', 'persistence')).includes('aof_rewrite_in_progress:0'); i++) await sleep(20);
      await c.call('HPEXPIREAT', 'h2', '4102444800001', 'FIELDS', '1', 'a');
      const want = [await c.call('HGETALL', 'h'), await c.call('HPEXPIRETIME', 'h', 'FIELDS', '3', 'a', 'b', 'c'), await c.call('HGETALL', 'h2'), await c.call('HPEXPIRETIME', 'h2', 'FIELDS', '3', 'a', 'b', 'c'), await c.call('OBJECT', 'ENCODING', 'h')];
      c.close();
      await riv.close();
      riv = await startRivulet({ dir });
      c = await RawConnection.open(riv.port);
      try {
        const got = [await c.call('HGETALL', 'h'), await c.call('HPEXPIRETIME', 'h', 'FIELDS', '3', 'a', 'b', 'c'), await c.call('HGETALL', 'h2'), await c.call('HPEXPIRETIME', 'h2', 'FIELDS', '3', 'a', 'b', 'c'), await c.call('OBJECT', 'ENCODING', 'h')];
        expect(got).to.deep.equal(want);
        expect(want[1]).to.deep.equal([-1, 4102444800000, 4102444000000]);
      } finally {
        c.close();
        await riv.close();
      }
    } finally {
      rmrf(dir);
    }
  });
});
