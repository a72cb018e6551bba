/**
 * DUMP and RESTORE against redis-server: payloads byte for byte, both
 * directions, older stream encodings, RESTORE's options and errors, and
 * damaged payloads (never a crash, never a half-restored key).
 *
 * The oracle is Debian's 7.0 (RDB 10, streams as RDB_TYPE_STREAM_LISTPACKS_2)
 * or, with RIVULET_ORACLE, a 7.4+ build (RDB 12, _3 like rivulet). Against
 * 7.0 the value bytes are compared with what rivulet's encoder writes for
 * RDB 10, and 7.0 cannot read rivulet's version-12 payloads (it refuses
 * newer versions), so the rivulet → Redis direction runs against 7.2+ only.
 */
import { expect } from 'chai';
import { RawConnection, startRedis, startRivulet, ORACLE_AT_LEAST_7_2, type ExternalServer, type Reply } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';
import { createDumpPayload } from '../../../lib/rdb/payload.js';
import { crc64 } from '../../../lib/rdb/crc64.js';
import { limitsFrom } from '../../../lib/rdb/limits.js';
import { withFooter, rdbString, payloadOf, ziplist } from '../../rdb/fixtures.js';
import { RdbWriter } from '../../../lib/rdb/encoding.js';
import { writeStream, RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2 } from '../../../lib/rdb/stream.js';
import type { Stream } from '../../../lib/stream/stream.js';
import type { Value } from '../../../lib/engine/keyspace.js';

type Cmd = (string | number | Buffer)[];

/** The payload footer's RDB version. */
const versionOf = (p: Buffer): number => p[p.length - 10] | (p[p.length - 9] << 8);
const body = (p: Buffer): Buffer => p.subarray(0, p.length - 10);

describe('DUMP / RESTORE', function () {
  this.timeout(120000);
  let riv: RivuletServer;
  let oracle: ExternalServer;
  let a: RawConnection; // rivulet
  let b: RawConnection; // redis-server
  const oracleVersion = (): number => (ORACLE_AT_LEAST_7_2 ? 12 : 10);

  before(async () => {
    riv = await startRivulet();
    oracle = await startRedis();
    a = await RawConnection.open(riv.port, true);
    b = await RawConnection.open(oracle.port, true);
  });
  after(async () => {
    a.close();
    b.close();
    await riv.close();
    await oracle.stop();
  });
  beforeEach(async () => {
    for (const c of [a, b]) {
      await c.call('FLUSHALL');
      await c.call('CONFIG', 'SET', 'rdbcompression', 'yes');
      await c.call('CONFIG', 'SET', 'stream-node-max-bytes', '4096');
      await c.call('CONFIG', 'SET', 'stream-node-max-entries', '100');
    }
  });

  async function both(...cmds: Cmd[]): Promise<void> {
    for (const cmd of cmds) {
      const x = await a.call(...cmd);
      const y = await b.call(...cmd);
      expect(comparable(x), cmd.map(String).join(' ')).to.equal(comparable(y));
    }
  }

  const value = (key: string): Value => riv.server.dbs[0].peek(key)!;

  /** Rivulet's payload for a key, encoded for the oracle's RDB version. */
  const rivuletPayloadForOracle = (key: string, compress = true): Buffer => createDumpPayload(value(key), compress, oracleVersion(), limitsFrom(riv.server.config));

  /** DUMP on both: the oracle's payload equals rivulet's encoding for the oracle's version, and rivulet's own DUMP is that body with RDB 12. */
  async function expectSameDump(key: string, compress = true): Promise<void> {
    const ours = (await a.call('DUMP', key)) as Buffer;
    const theirs = (await b.call('DUMP', key)) as Buffer;
    expect(Buffer.isBuffer(ours) && Buffer.isBuffer(theirs), `DUMP ${key}`).to.equal(true);
    expect(versionOf(ours)).to.equal(12);
    expect(crc64(ours, 0, ours.length - 8).matchesLE(ours, ours.length - 8)).to.equal(true);
    expect(rivuletPayloadForOracle(key, compress).toString('hex'), `DUMP ${key}`).to.equal(theirs.toString('hex'));
    if (ORACLE_AT_LEAST_7_2) expect(ours.toString('hex')).to.equal(theirs.toString('hex'));
  }

  describe('strings', () => {
    const values: (string | Buffer)[] = [
      '',
      'hello',
      '0',
      '-1',
      '127',
      '-128',
      '128',
      '32767',
      '-32768',
      '2147483647',
      '-2147483648',
      '2147483648',
      '12345678901',
      '007',
      '+5',
      '1.5',
      'x'.repeat(20),
      'x'.repeat(21),
      'abcabcabcabcabcabcabcabcabcabcabcabc',
      'The quick brown fox jumps over the lazy dog. '.repeat(40),
      Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 131 + (i >> 3)) & 0xff)),
      Buffer.from(Array.from({ length: 70000 }, (_, i) => i & 0xff)),
    ];

    it('DUMP gives redis-server bytes for every string encoding, with and without rdbcompression', async () => {
      for (const compress of ['yes', 'no']) {
        await both(['CONFIG', 'SET', 'rdbcompression', compress]);
        for (const [i, v] of values.entries()) {
          await both(['SET', `k${i}`, v]);
          await expectSameDump(`k${i}`, compress === 'yes');
        }
      }
    });

    it('RESTORE takes redis-server payloads, and redis-server takes rivulet payloads', async () => {
      for (const [i, v] of values.entries()) {
        await b.call('SET', `k${i}`, v);
        const p = (await b.call('DUMP', `k${i}`)) as Buffer;
        expect(await a.call('RESTORE', `r${i}`, 0, p)).to.satisfy(isOk);
        expect(String(await a.call('GET', `r${i}`))).to.equal(String(await b.call('GET', `k${i}`)));
        if (ORACLE_AT_LEAST_7_2) {
          const q = (await a.call('DUMP', `r${i}`)) as Buffer;
          expect(await b.call('RESTORE', `back${i}`, 0, q)).to.satisfy(isOk);
          expect(String(await b.call('GET', `back${i}`))).to.equal(String(v));
        }
      }
    });

    it('DUMP of a missing key is nil; RESTORE keeps the TTL and creates nothing for a past one', async () => {
      expect(await a.call('DUMP', 'nope')).to.equal(null);
      await b.call('SET', 'k', 'v');
      const p = (await b.call('DUMP', 'k')) as Buffer;
      expect(await a.call('RESTORE', 'x', 50000, p)).to.satisfy(isOk);
      const pttl = (await a.call('PTTL', 'x')) as number;
      expect(pttl).to.be.within(49000, 50000);
      const at = Date.now() + 100000;
      expect(await a.call('RESTORE', 'y', at, p, 'ABSTTL')).to.satisfy(isOk);
      expect(await a.call('PEXPIRETIME', 'y')).to.equal(at);
      expect(await a.call('RESTORE', 'z', 1000, p, 'ABSTTL')).to.satisfy(isOk);
      expect(await a.call('EXISTS', 'z')).to.equal(0);
      expect(await a.call('RESTORE', 'i', 0, p, 'IDLETIME', 1000)).to.satisfy(isOk);
      expect(await a.call('OBJECT', 'IDLETIME', 'i')).to.be.within(999, 1001);
    });
  });

  describe('hashes and lists', () => {
    it('DUMP gives redis-server bytes for listpack hashes and lists, and quicklists built by RPUSH', async () => {
      const bigList: Cmd = ['RPUSH', 'l2'];
      for (let i = 0; i < 3000; i++) bigList.push(`item${i}`, String(i));
      await both(
        ['HSET', 'h1', 'f', 'v', 'n', '12', 'neg', '-7', 'big', 'x'.repeat(60)],
        ['RPUSH', 'l1', 'a', '1', '-5', 'hello', 'x'.repeat(100)],
        bigList,
      );
      for (const k of ['h1', 'l1', 'l2']) await expectSameDump(k);
      // Nodes cut by count (the fill in force when the list is dumped, as when it was built).
      await both(['CONFIG', 'SET', 'list-max-listpack-size', '5'], ['RPUSH', 'l3', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k']);
      await expectSameDump('l3');
      await both(['CONFIG', 'SET', 'list-max-listpack-size', '-2']);
    });

    it('hashtable hashes, lists with big elements and hashes with field TTLs restore both ways with the same content', async () => {
      const big: Cmd = ['HSET', 'h2'];
      for (let i = 0; i < 1000; i++) big.push(`f${i}`, `v${i}`);
      await b.call(...big);
      await b.call('RPUSH', 'l4', 'small', 'y'.repeat(10000), 'z');
      if (ORACLE_AT_LEAST_7_2) {
        await b.call('HSET', 'h3', 'a', '1', 'b', '2', 'c', '3');
        await b.call('HPEXPIREAT', 'h3', String(Date.now() + 100000), 'FIELDS', '1', 'b');
      }
      const keys = ORACLE_AT_LEAST_7_2 ? ['h2', 'l4', 'h3'] : ['h2', 'l4'];
      for (const k of keys) {
        const p = (await b.call('DUMP', k)) as Buffer;
        expect(await a.call('RESTORE', k, 0, p), k).to.satisfy(isOk);
        expect(comparable(await a.call('OBJECT', 'ENCODING', k))).to.equal(comparable(await b.call('OBJECT', 'ENCODING', k)));
        const read = k.startsWith('h') ? ['HGETALL', k] : ['LRANGE', k, 0, -1];
        const sorted = (r: Reply): string => JSON.stringify((r as Buffer[]).map((x) => String(x)).sort());
        expect(sorted(await a.call(...read)), k).to.equal(sorted(await b.call(...read)));
        if (k === 'h3') expect(String(await a.call('HPEXPIRETIME', k, 'FIELDS', 2, 'a', 'b'))).to.equal(String(await b.call('HPEXPIRETIME', k, 'FIELDS', 2, 'a', 'b')));
        if (ORACLE_AT_LEAST_7_2) {
          const q = (await a.call('DUMP', k)) as Buffer;
          expect(await b.call('RESTORE', `${k}-back`, 0, q), k).to.satisfy(isOk);
          const back = k.startsWith('h') ? ['HGETALL', `${k}-back`] : ['LRANGE', `${k}-back`, 0, -1];
          expect(sorted(await b.call(...back)), k).to.equal(sorted(await b.call(...read)));
          if (k === 'l4') expect(q.toString('hex')).to.equal(p.toString('hex')); // plain node for the big element, as 7.4
        }
      }
    });
  });

  describe('sets and sorted sets', () => {
    const sorted = (r: Reply): string => JSON.stringify((r as Buffer[]).map((x) => String(x)).sort());
    /** What a set or zset holds, in an order-free form, plus its encoding. */
    async function seen(c: RawConnection, k: string): Promise<string> {
      const t = String(await c.call('TYPE', k));
      const enc = String(await c.call('OBJECT', 'ENCODING', k));
      if (t === 'set') return `${enc} ${sorted(await c.call('SMEMBERS', k))}`;
      const z = (await c.call('ZRANGE', k, 0, -1, 'WITHSCORES')) as Buffer[];
      // Scores as numbers: 7.0 prints them with %.17g, 7.2+ with the shortest digits.
      return `${enc} ${JSON.stringify(z.map((x, i) => (i % 2 === 0 ? String(x) : Number(String(x).replace(/^(-?)inf$/, '$1Infinity')))))}`;
    }

    it('DUMP gives redis-server bytes for intsets (at the width they grew to) and listpack/skiplist sorted sets', async () => {
      const bigZ: Cmd = ['ZADD', 'zbig'];
      for (let i = 0; i < 200; i++) bigZ.push(String(i / 7 - 3), `m${i}`);
      const cmds: Cmd[] = [
        ['SADD', 'i16', '3', '1', '2', '-7', '32767', '-32768'],
        ['SADD', 'i32', '5', '100000', '-2147483648'],
        ['SADD', 'i64', '1', '9223372036854775807', '-9223372036854775808', '4294967296'],
        ['SADD', 'shrunk', '1', '2', '3', '10000000000'],
        ['SREM', 'shrunk', '10000000000'],
        ['SADD', 'manyints', ...Array.from({ length: 300 }, (_, i) => String(i * 1000 - 7))],
        ['ZADD', 'zl', '1.1', 'a', '-inf', 'b', 'inf', 'c', '0.1', 'd', '2', 'e', '1e300', 'f', '-0', 'g', '12345678901234567', 'h', '1e17', 'i', '-2.5e-5', 'j', '5e-324', 'k', '0.3', 'l'],
        ['ZINCRBY', 'zl', '0.2', 'd'],
        ['ZADD', 'zint', '1', '1', '2', '-1', '3', '300'],
        bigZ,
        ['ZREM', 'zbig', 'm5'],
        ['ZADD', 'zlong', '1', 'x'.repeat(65), '2', 'y'],
        ['ZADD', 'zlp', ...Array.from({ length: 128 }, (_, i) => [String(i * 0.5), `e${i}`]).flat()],
      ];
      await both(...cmds);
      for (const compress of [true, false]) {
        await both(['CONFIG', 'SET', 'rdbcompression', compress ? 'yes' : 'no']);
        for (const k of ['i16', 'i32', 'i64', 'shrunk', 'zl', 'zint', 'zbig', 'zlong', 'zlp']) {
          expect(comparable(await a.call('OBJECT', 'ENCODING', k)), k).to.equal(comparable(await b.call('OBJECT', 'ENCODING', k)));
          await expectSameDump(k, compress);
        }
      }
      // Redis 7.0 has no set listpacks: the byte comparison of a listpack set runs against 7.2+.
      if (ORACLE_AT_LEAST_7_2) {
        await both(['CONFIG', 'SET', 'rdbcompression', 'yes']);
        await both(['SADD', 'lp', 'b', 'a', '7', 'c', 'x'.repeat(40)], ['SREM', 'lp', 'a'], ['SADD', 'lp', 'a', '-1'], ['SADD', 'fromints', '3', '1', '2'], ['SADD', 'fromints', 'word']);
        for (const k of ['lp', 'fromints']) {
          expect(comparable(await a.call('OBJECT', 'ENCODING', k)), k).to.equal('"listpack"');
          await expectSameDump(k);
        }
      }
    });

    it('an intset keeps its width after SREM, and SPOP taking nearly all members narrows it as redis-server does', async () => {
      const members = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '100000'];
      // SPOP 3 of 11 (Redis's CASE 2: members removed in place): the 32-bit width stays, as on redis-server.
      await both(['SADD', 'kept', ...members], ['SREM', 'kept', '100000']);
      await expectSameDump('kept');
      await a.call('SADD', 'c2', ...members);
      await a.call('SPOP', 'c2', 3);
      const c2 = (await a.call('DUMP', 'c2')) as Buffer;
      expect(c2.subarray(0, 6).toString('hex')).to.equal('0b2804000000'); // intset of 8 members, 4-byte integers
      // SPOP 10 of 11 (CASE 3: a new set of the one left): 16-bit, unless 100000 is the one left.
      await a.call('SADD', 'c3', ...members);
      await a.call('SPOP', 'c3', 10);
      const left = ((await a.call('SMEMBERS', 'c3')) as Buffer[]).map(String);
      const c3 = (await a.call('DUMP', 'c3')) as Buffer;
      expect(c3.subarray(0, 6).toString('hex'), left.join()).to.equal(left[0] === '100000' ? '0b0c04000000' : '0b0a02000000');
    });

    it('payloads of every set and zset encoding restore both ways with the same members, scores and encodings', async () => {
      const cmds: Cmd[] = [
        ['SADD', 'ints', '1', '2', '3', '70000'],
        ['SADD', 'words', 'b', 'a', 'c'],
        ['SADD', 'hashtable', ...Array.from({ length: 300 }, (_, i) => `member:${i}`)],
        ['SADD', 'bigints', ...Array.from({ length: 600 }, (_, i) => String(i))],
        ['SADD', 'longmember', 'x'.repeat(100)],
        ['ZADD', 'zl', '1.5', 'a', '2', 'b', '-3.25', 'c'],
        ['ZADD', 'zs', ...Array.from({ length: 300 }, (_, i) => [String(i * 1.1), `m${i}`]).flat()],
      ];
      for (const c of cmds) await b.call(...c);
      for (const k of ['ints', 'words', 'hashtable', 'bigints', 'longmember', 'zl', 'zs']) {
        const p = (await b.call('DUMP', k)) as Buffer;
        expect(await a.call('RESTORE', k, 0, p), k).to.satisfy(isOk);
        const theirs = await seen(b, k);
        // A small set of words is a hashtable in 7.0 and a listpack in 7.2+; rivulet loads it as 7.4 does.
        expect(await seen(a, k), k).to.equal(k === 'words' && !ORACLE_AT_LEAST_7_2 ? theirs.replace(/^hashtable/, 'listpack') : theirs);
        // Back: rivulet's payload for the oracle's RDB version.
        expect(await b.call('RESTORE', `${k}-back`, 0, rivuletPayloadForOracle(k)), k).to.satisfy(isOk);
        expect(await seen(b, `${k}-back`), k).to.equal(theirs);
      }
    });

    it('a restored value takes the encoding the restoring server\'s limits give it, as redis-server', async () => {
      await b.call('SADD', 'ints', '1', '2', '3', '4', '5');
      await b.call('SADD', 'words', 'a', 'b', 'c', 'd');
      await b.call('ZADD', 'zl', '1', 'a', '2', 'b', '3', 'c');
      await b.call('ZADD', 'zs', ...Array.from({ length: 10 }, (_, i) => [String(i), `m${i}`]).flat());
      const payloads = new Map<string, Buffer>();
      for (const k of ['ints', 'words', 'zl', 'zs']) payloads.set(k, (await b.call('DUMP', k)) as Buffer);
      await both(
        ['CONFIG', 'SET', 'set-max-intset-entries', '3'],
        ['CONFIG', 'SET', 'zset-max-listpack-entries', '2'],
      );
      if (ORACLE_AT_LEAST_7_2) await both(['CONFIG', 'SET', 'set-max-listpack-entries', '2']);
      try {
        for (const [k, p] of payloads) {
          await both(['RESTORE', `${k}2`, 0, p], ['OBJECT', 'ENCODING', `${k}2`]);
          expect(await seen(a, `${k}2`)).to.equal(await seen(b, `${k}2`));
        }
        await both(['CONFIG', 'SET', 'zset-max-listpack-entries', '128']);
        await both(['RESTORE', 'zs3', 0, payloads.get('zs')!], ['OBJECT', 'ENCODING', 'zs3']); // skiplist bytes become a listpack again
        // Listpack payloads with values longer than the *-max-listpack-value in force stay listpacks (only the count is checked).
        const long = 'y'.repeat(300);
        await b.call('CONFIG', 'SET', 'hash-max-listpack-value', '1000');
        await b.call('CONFIG', 'SET', 'zset-max-listpack-value', '1000');
        await b.call('HSET', 'lh', 'f', long);
        await b.call('ZADD', 'lz', '1', long);
        const lkeys = ['lh', 'lz'];
        if (ORACLE_AT_LEAST_7_2) {
          await b.call('CONFIG', 'SET', 'set-max-listpack-value', '1000');
          await b.call('SADD', 'ls', long, 'a');
          lkeys.push('ls');
        }
        const lp = new Map<string, Buffer>();
        for (const k of lkeys) lp.set(k, (await b.call('DUMP', k)) as Buffer);
        await b.call('CONFIG', 'SET', 'hash-max-listpack-value', '64');
        await b.call('CONFIG', 'SET', 'zset-max-listpack-value', '64');
        if (ORACLE_AT_LEAST_7_2) await b.call('CONFIG', 'SET', 'set-max-listpack-value', '64');
        for (const [k, p] of lp) await both(['RESTORE', `${k}2`, 0, p], ['OBJECT', 'ENCODING', `${k}2`]);
      } finally {
        await both(['CONFIG', 'SET', 'set-max-intset-entries', '512'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '128']);
        if (ORACLE_AT_LEAST_7_2) await both(['CONFIG', 'SET', 'set-max-listpack-entries', '128']);
      }
    });

    it('reads the Redis 6.x encodings (zset and hash ziplists, quicklists of ziplists, old ASCII-score zsets) as redis-server reads them', async () => {
      // Pairs in score order, as a zset ziplist holds them (Redis does not check the order on load).
      const zl = ziplist(['e', '-70000', 'a', '1.5', 'b', '2', 'x'.repeat(70), '7', 'h', '12', 'c', '300', 'd', '100000', 'f', '5000000000', 'g', 'inf']);
      const cases: [string, Buffer][] = [
        ['zset ziplist', payloadOf(12, rdbString(zl), 9)],
        ['hash ziplist', payloadOf(13, rdbString(ziplist(['f1', 'v1', 'n', '-5', 'big', 'y'.repeat(300), 'e', ''])), 9)],
        ['quicklist', payloadOf(14, Buffer.concat([Buffer.from([2]), rdbString(ziplist(['a', 'b', '3'])), rdbString(ziplist(['z'.repeat(20000), '-1']))]), 9)],
        ['list ziplist', payloadOf(10, rdbString(ziplist(['x', '1', 'y'])), 9)],
        ['ascii zset', payloadOf(3, Buffer.concat([Buffer.from([3]), rdbString(Buffer.from('a')), Buffer.from([3]), Buffer.from('1.5'), rdbString(Buffer.from('b')), Buffer.from([254]), rdbString(Buffer.from('c')), Buffer.from([2]), Buffer.from('-2')]), 9)],
      ];
      for (const [name, p] of cases) {
        await both(['RESTORE', name, 0, p], ['TYPE', name]);
        // A hash ziplist with a value past hash-max-listpack-value: 7.0 converts it to a hashtable, 7.4 (and rivulet) keep a listpack.
        if (name === 'hash ziplist' && !ORACLE_AT_LEAST_7_2) expect(String(await a.call('OBJECT', 'ENCODING', name))).to.equal('listpack');
        else await both(['OBJECT', 'ENCODING', name]);
        const t = String(await a.call('TYPE', name));
        const read = t === 'zset' ? ['ZRANGE', name, 0, -1, 'WITHSCORES'] : t === 'hash' ? ['HGETALL', name] : ['LRANGE', name, 0, -1];
        const x = (await a.call(...read)) as Buffer[];
        const y = (await b.call(...read)) as Buffer[];
        if (t === 'zset') expect(await seen(a, name)).to.equal(await seen(b, name));
        else expect(x.map(String), name).to.deep.equal(y.map(String));
      }
      // A damaged ziplist is refused by both.
      const bad = Buffer.from(zl);
      bad[4] ^= 1; // zltail
      await both(['RESTORE', 'badzl', 0, payloadOf(12, rdbString(bad), 9)], ['EXISTS', 'badzl']);
    });

    it('damaged set and zset payloads are refused whole, the server keeps running', async function () {
      this.timeout(180000);
      await b.call('SADD', 'i', '1', '2', '300', '-70000');
      await b.call('SADD', 'h', ...Array.from({ length: 200 }, (_, i) => `m${i}`));
      await b.call('ZADD', 'zl', '1.5', 'a', '2', 'b', '-3', 'c');
      await b.call('ZADD', 'zs', ...Array.from({ length: 150 }, (_, i) => [String(i / 3), `m${i}`]).flat());
      const keys = ['i', 'h', 'zl', 'zs'];
      if (ORACLE_AT_LEAST_7_2) {
        await b.call('SADD', 'lp', 'a', 'b', 'c', '5');
        keys.push('lp');
      }
      const payloads: Buffer[] = [];
      for (const k of keys) payloads.push((await b.call('DUMP', k)) as Buffer);
      // And the Redis 6.x ziplist forms.
      payloads.push(payloadOf(12, rdbString(ziplist(['a', '1', 'b', '2.5', 'c', '300'])), 9), payloadOf(13, rdbString(ziplist(['f', 'v', 'n', '7'])), 9));
      await fuzzRestore(payloads, 60);
    });
  });

  /** Truncations, bit flips and byte swaps of each payload (valid CRC): an error or a usable value, never a crash or a half-restored key. */
  async function fuzzRestore(payloads: Buffer[], flipsPer: number): Promise<void> {
    let seed = 4242;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const cases: Buffer[] = [];
    for (const p of payloads) {
      const bd = body(p);
      for (let cut = 0; cut < bd.length; cut += Math.max(1, Math.floor(bd.length / 30))) cases.push(withFooter(bd.subarray(0, cut), versionOf(p)));
      for (let k = 0; k < flipsPer; k++) {
        const m = Buffer.from(bd);
        const flips = 1 + rnd(3);
        for (let f = 0; f < flips; f++) m[rnd(m.length)] ^= 1 << rnd(8);
        cases.push(withFooter(m, versionOf(p)));
      }
      for (let k = 0; k < flipsPer / 3; k++) {
        const m = Buffer.from(bd);
        m[rnd(m.length)] = [0x00, 0x01, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xc0, 0xc3, 0xfe, 0xff][rnd(11)];
        cases.push(withFooter(m, versionOf(p)));
      }
    }
    let refused = 0;
    for (const c of cases) {
      const r: Reply = await a.call('RESTORE', 'f', 0, c, 'REPLACE');
      if (r instanceof Error) {
        refused++;
        expect(['ERR Bad data format', 'ERR DUMP payload version or checksum are wrong']).to.include(r.message);
        expect(await a.call('EXISTS', 'f')).to.equal(0);
      } else {
        expect(r).to.satisfy(isOk);
        // Whatever was accepted is a usable value of its type.
        const t = String(await a.call('TYPE', 'f'));
        const reads: Record<string, Cmd[]> = {
          set: [['SMEMBERS', 'f'], ['SRANDMEMBER', 'f', 3], ['SCARD', 'f']],
          zset: [['ZRANGE', 'f', 0, -1, 'WITHSCORES'], ['ZCARD', 'f'], ['ZRANGEBYSCORE', 'f', '-inf', '+inf']],
          stream: [['XRANGE', 'f', '-', '+'], ['XINFO', 'STREAM', 'f', 'FULL']],
        };
        for (const cmd of reads[t] ?? []) expect(await a.call(...cmd)).to.not.be.instanceOf(Error);
        expect(Buffer.isBuffer(await a.call('DUMP', 'f'))).to.equal(true);
        await a.call('DEL', 'f');
      }
    }
    expect(String(await a.call('PING'))).to.equal('PONG');
    expect(refused).to.be.greaterThan(cases.length / 2);
  }

  describe('RESTORE options and errors, as redis-server answers them', () => {
    it('refuses an existing key without REPLACE, bad numbers, bad option combinations and damaged payloads', async () => {
      await b.call('SET', 'src', 'value');
      const p = (await b.call('DUMP', 'src')) as Buffer;
      const flipped = Buffer.from(p);
      flipped[1] ^= 0x01; // body changed, CRC not
      const future = withFooter(body(p), 13);
      const badType = withFooter(Buffer.from([99, 1, 0x41]), oracleVersion());
      const badBody = withFooter(Buffer.from([0, 0x85, 0x41]), oracleVersion()); // string longer than the payload
      await both(
        ['RESTORE', 'k', 0, p],
        ['RESTORE', 'k', 0, p],
        ['GET', 'k'],
        ['RESTORE', 'k', 0, p, 'REPLACE'],
        ['RESTORE', 'k2', -1, p],
        ['RESTORE', 'k2', 'abc', p],
        ['RESTORE', 'k2', 0, p, 'IDLETIME', -1],
        ['RESTORE', 'k2', 0, p, 'IDLETIME', 'x'],
        ['RESTORE', 'k2', 0, p, 'FREQ', 256],
        ['RESTORE', 'k2', 0, p, 'FREQ', -1],
        ['RESTORE', 'k2', 0, p, 'IDLETIME', 1, 'FREQ', 1],
        ['RESTORE', 'k2', 0, p, 'FREQ', 1, 'IDLETIME', 1],
        ['RESTORE', 'k2', 0, p, 'IDLETIME'],
        ['RESTORE', 'k2', 0, p, 'BOGUS'],
        ['RESTORE', 'k2', 0, flipped],
        ['RESTORE', 'k2', 0, future],
        ['RESTORE', 'k2', 0, Buffer.from('short')],
        ['RESTORE', 'k2', 0, badType],
        ['RESTORE', 'k2', 0, badBody],
        ['EXISTS', 'k2'],
        ['RESTORE', 'k'],
        ['DUMP'],
      );
    });

    it('propagates a relative TTL as an absolute one with ABSTTL, and REPLACE with a past TTL as DEL', async () => {
      const fed: string[] = [];
      const saved = riv.server.aof;
      riv.server.aof = { feed: (_db, argvs) => fed.push(...argvs.map((v) => v.map((x, i) => (i === 3 ? '<payload>' : x.toString())).join(' '))), writeError: () => null, close: async () => {} };
      try {
        await b.call('SET', 'src', 'value');
        const p = (await b.call('DUMP', 'src')) as Buffer;
        const before = Date.now();
        await a.call('RESTORE', 'k', 10000, p);
        await a.call('RESTORE', 'k2', 0, p);
        await a.call('RESTORE', 'k2', 1, p, 'REPLACE', 'ABSTTL');
        const m = /^restore k (\d+) <payload> ABSTTL$/i.exec(fed[0]);
        expect(m, fed[0]).to.not.equal(null);
        expect(Number(m![1])).to.be.within(before + 10000, Date.now() + 10000);
        expect(fed[1]).to.match(/^restore k2 0 <payload>$/i);
        expect(fed[2]).to.equal('DEL k2');
      } finally {
        riv.server.aof = saved;
      }
    });
  });

  describe('streams', () => {
    /** Builds the same stream on both servers (explicit IDs only: deterministic). */
    async function build(key: string, n: number, extra: Cmd[] = []): Promise<void> {
      const cmds: Cmd[] = [];
      for (let i = 1; i <= n; i++) {
        if (i % 17 === 0) cmds.push(['XADD', key, `${i}-0`, 'other', `value ${i}`, 'n', i]);
        else if (i % 29 === 0) cmds.push(['XADD', key, `${i}-0`, 'big', 'z'.repeat(300 + i)]);
        else cmds.push(['XADD', key, `${i}-${i % 3}`, 'f', `v${i}`, 'n', String(i * 1000)]);
      }
      await both(...cmds, ...extra);
    }

    it('DUMP gives redis-server bytes: several nodes, deletions, trims, groups', async () => {
      await build('s', 450, [
        ['XDEL', 's', '5-2', '7-1', '300-0'],
        ['XTRIM', 's', 'MAXLEN', '420'],
        ['XGROUP', 'CREATE', 's', 'g1', '0'],
        ['XGROUP', 'CREATE', 's', 'g2', '$', 'ENTRIESREAD', '7'],
        ['XGROUP', 'CREATE', 's', 'a-group', '200-0'],
        ['XINFO', 'STREAM', 's'],
      ]);
      await expectSameDump('s');
      await both(['CONFIG', 'SET', 'rdbcompression', 'no']);
      await expectSameDump('s', false);
    });

    it('cuts nodes where redis-server does (stream-node-max-bytes / -entries)', async () => {
      for (const [bytes, entries] of [
        ['100', '0'],
        ['300', '5'],
        ['0', '7'],
        ['1', '100'],
      ]) {
        await both(['DEL', 's'], ['CONFIG', 'SET', 'stream-node-max-bytes', bytes], ['CONFIG', 'SET', 'stream-node-max-entries', entries]);
        await build('s', 60, [['XDEL', 's', '10-1', '11-2', '12-0'], ['XINFO', 'STREAM', 's']]);
        await expectSameDump('s');
      }
    });

    it('empty streams, XSETID metadata and a trimmed-to-nothing stream', async () => {
      await both(
        ['XADD', 'e', 'MAXLEN', '0', '5-5', 'a', 'b'],
        ['XSETID', 'e', '10-10', 'ENTRIESADDED', '42', 'MAXDELETEDID', '9-9'],
        ['XGROUP', 'CREATE', 'e', 'g', '$'],
        ['XGROUP', 'CREATE', 'e2', 'g', '$', 'MKSTREAM'],
      );
      await expectSameDump('e');
      await expectSameDump('e2');
    });

    it('PELs and consumers: redis-server payloads restore and dump back byte for byte, both ways', async () => {
      await build('s', 250, [
        ['XGROUP', 'CREATE', 's', 'g', '0'],
        ['XGROUP', 'CREATE', 's', 'h', '0'],
        ['XGROUP', 'CREATE', 's', 'empty', '$'],
        ['XGROUP', 'CREATECONSUMER', 's', 'g', 'idle-consumer'],
      ]);
      await b.call('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '30', 'STREAMS', 's', '>');
      await b.call('XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '20', 'STREAMS', 's', '>');
      await b.call('XREADGROUP', 'GROUP', 'h', 'carol', 'STREAMS', 's', '>');
      await b.call('XACK', 's', 'g', '1-1', '2-2', '3-0');
      await b.call('XCLAIM', 's', 'g', 'bob', '0', '4-1', 'RETRYCOUNT', '7');
      await b.call('XDEL', 's', '6-0', '8-2');
      const p = (await b.call('DUMP', 's')) as Buffer;
      expect(await a.call('RESTORE', 's', 0, p, 'REPLACE')).to.satisfy(isOk);
      expect(rivuletPayloadForOracle('s').toString('hex')).to.equal(p.toString('hex'));
      for (const cmd of [
        ['XINFO', 'STREAM', 's', 'FULL'],
        ['XINFO', 'GROUPS', 's'],
        ['XINFO', 'CONSUMERS', 's', 'g'],
        ['XPENDING', 's', 'g'],
        ['XRANGE', 's', '-', '+'],
        ['XLEN', 's'],
      ]) {
        expect(comparable(await a.call(...cmd)), cmd.join(' ')).to.equal(comparable(await b.call(...cmd)));
      }
      if (ORACLE_AT_LEAST_7_2) {
        const q = (await a.call('DUMP', 's')) as Buffer;
        expect(q.toString('hex')).to.equal(p.toString('hex'));
        expect(await b.call('RESTORE', 'copy', 0, q)).to.satisfy(isOk);
        expect(((await b.call('DUMP', 'copy')) as Buffer).toString('hex')).to.equal(q.toString('hex'));
      }
    });

    it('reads the older encodings (RDB_TYPE_STREAM_LISTPACKS, _2) filling the missing fields as redis-server does', async () => {
      await build('s', 120, [['XDEL', 's', '50-2'], ['XGROUP', 'CREATE', 's', 'g', '40-1'], ['XGROUP', 'CREATE', 's', 'late', '60-0'], ['XGROUP', 'CREATE', 's', 'h', '0']]);
      await b.call('XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '5', 'STREAMS', 's', '>');
      await a.call('RESTORE', 's', 0, (await b.call('DUMP', 's')) as Buffer, 'REPLACE');
      const types = ORACLE_AT_LEAST_7_2 ? [RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2] : [RDB_TYPE_STREAM_LISTPACKS];
      for (const t of types) {
        const w = new RdbWriter();
        w.byte(t);
        writeStream(w, value('s') as Stream, true, t);
        const old = withFooter(Buffer.from(w.result()), t === RDB_TYPE_STREAM_LISTPACKS ? 9 : 10);
        await both(['RESTORE', `old${t}`, 0, old]);
        for (const cmd of [
          ['XINFO', 'STREAM', `old${t}`, 'FULL'],
          ['XINFO', 'GROUPS', `old${t}`],
          ['XINFO', 'CONSUMERS', `old${t}`, 'g'],
        ]) {
          expect(comparable(await a.call(...cmd)), cmd.join(' ')).to.equal(comparable(await b.call(...cmd)));
        }
      }
    });

    it('damaged stream payloads are refused whole, the server keeps running', async function () {
      this.timeout(180000);
      await build('s', 40, [['XGROUP', 'CREATE', 's', 'g', '0']]);
      await b.call('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '10', 'STREAMS', 's', '>');
      await b.call('SET', 'str', 'x'.repeat(200));
      const payloads = [(await b.call('DUMP', 's')) as Buffer, (await b.call('DUMP', 'str')) as Buffer];
      await fuzzRestore(payloads, 150);
    });
  });
});

const isOk = (r: unknown): boolean => String(r) === 'OK';

/** XINFO fields of rivulet's Redis 8 stream features (IDMP, XNACK), which 7.x oracles do not have. */
const REDIS8_ONLY = new Set(['idmp-duration', 'idmp-maxsize', 'pids-tracked', 'iids-tracked', 'iids-added', 'iids-duplicates', 'nacked-count']);

/**
 * A reply as comparable text: Buffers as latin1, errors by message. Blanked,
 * because they are not part of what DUMP/RESTORE carries: idle/inactive
 * counters (time of the call) and radix-tree-nodes (rivulet approximates
 * rax internals). Against 7.0, rivulet's 7.2+ active-time pairs are dropped.
 */
function comparable(r: unknown): string {
  const walk = (v: unknown): unknown => {
    if (v instanceof Error) return { error: v.message };
    if (Buffer.isBuffer(v)) return v.toString('latin1');
    if (!Array.isArray(v)) return v;
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      const k = Buffer.isBuffer(v[i]) ? v[i].toString('latin1') : v[i];
      if ((k === 'active-time' || k === 'inactive') && !ORACLE_AT_LEAST_7_2 && i + 1 < v.length) i++;
      else if (REDIS8_ONLY.has(String(k)) && i + 1 < v.length) i++;
      else if ((k === 'idle' || k === 'inactive' || k === 'radix-tree-nodes') && i + 1 < v.length) {
        out.push(k, 0);
        i++;
      } else out.push(walk(v[i]));
    }
    return out;
  };
  return JSON.stringify(walk(r));
}
