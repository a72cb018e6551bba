/**
 * RDB files between rivulet and redis-server, both directions: a dump.rdb
 * written by redis-server (SAVE) loads into rivulet with the same content —
 * every key's DUMP payload identical, expiries identical, in every database —
 * and redis-server loads rivulet's dump.rdb the same way. Against Debian's
 * 7.0 (which refuses RDB version 12 files, as it refuses Redis 7.4's), the
 * rivulet → Redis direction uses a file rivulet's writer makes for RDB 10.
 * Also: SAVE / BGSAVE / LASTSAVE, the save schedule, rdbchecksum, corrupt
 * files, DEBUG RELOAD, and AOF bases with an RDB preamble in both directions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startRivulet, startRedis, tmpDir, rmrf, RawConnection, sleep, ORACLE_AT_LEAST_7_2, type ExternalServer, type Reply, runCommands } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';
import { writeRdb } from '../../lib/rdb/file.js';
import { createDumpPayload } from '../../lib/rdb/payload.js';
import { limitsFrom } from '../../lib/rdb/limits.js';
import { RDB_TYPE_SET } from '../../lib/rdb/sets.js';
import type { RSet } from '../../lib/types/set.js';
import { toRdbDbs } from '../../lib/persistence/rdb.js';
import { aofOf } from '../../lib/persistence/index.js';
import { takeSnapshot } from '../../lib/persistence/serialize.js';

type Cmd = (string | number | Buffer)[];

/** Data of every kind rivulet has today: small and big strings, streams with groups, PELs, deletions, expiries, several databases. */
function population(): Cmd[] {
  const cmds: Cmd[] = [
    ['SET', 'small', 'hello'],
    ['SET', 'int', '12345'],
    ['SET', 'big', 'The quick brown fox jumps over the lazy dog. '.repeat(500)],
    ['SET', 'binary', Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) & 0xff))],
    ['SET', 'volatile', 'v', 'PXAT', '4102444800000'],
    ['SET', 'volatile2', 'w', 'PXAT', '4102444800123'],
    ['HSET', 'hash', 'f1', 'v1', 'n', '42', 'long', 'z'.repeat(60)],
    ['RPUSH', 'list', 'a', 'b', '3', 'x'.repeat(100)],
    ['SELECT', '3'],
    ['SET', 'in-db-3', 'x'],
    ['XADD', 's3', '1-1', 'f', 'v'],
    ['SELECT', '0'],
  ];
  const longList: Cmd = ['RPUSH', 'longlist'];
  for (let i = 0; i < 2000; i++) longList.push(`element-${i}`);
  cmds.push(longList);
  for (let i = 1; i <= 700; i++) {
    if (i % 50 === 0) cmds.push(['XADD', 's', `${i}-0`, 'blob', 'y'.repeat(2000 + i)]);
    else cmds.push(['XADD', 's', `${i}-${i % 4}`, 'user', `u${i % 7}`, 'n', String(i)]);
  }
  cmds.push(
    ['XDEL', 's', '3-3', '7-3', '400-0'],
    ['XGROUP', 'CREATE', 's', 'g1', '0'],
    ['XGROUP', 'CREATE', 's', 'g2', '$'],
    ['XGROUP', 'CREATE', 's', 'g3', '100-0', 'ENTRIESREAD', '90'],
    ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '40', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '10', 'STREAMS', 's', '>'],
    ['XACK', 's', 'g1', '1-1', '2-2'],
    ['XCLAIM', 's', 'g1', 'bob', '0', '4-0', 'RETRYCOUNT', '3'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g2', 'carol'],
    ['XADD', 'emptied', 'MAXLEN', '0', '9-9', 'a', 'b'],
    ['XGROUP', 'CREATE', 'fresh', 'g', '$', 'MKSTREAM'],
    ['XADD', 'vs', '1-1', 'a', 'b'],
    ['PEXPIREAT', 'vs', '4102444800000'],
    // Sets in every encoding (intset at a width it grew to, listpack, hashtable) and sorted sets (listpack, skiplist).
    ['SADD', 'iset', '1', '5', '-3', '100000'],
    ['SREM', 'iset', '100000'],
    ['SADD', 'iset64', '9223372036854775807', '-9223372036854775808', '0'],
    ['SADD', 'lset', 'b', 'a', 'c', '7'],
    ['SADD', 'hset', ...Array.from({ length: 200 }, (_, i) => `member-${i}`)],
    ['SADD', 'vset', 'x'],
    ['PEXPIREAT', 'vset', '4102444800000'],
    ['ZADD', 'zl', '1.1', 'a', '-inf', 'b', '2', 'c', '1e300', 'd', '0.1', 'e'],
    ['ZADD', 'zs', ...Array.from({ length: 200 }, (_, i) => [String(i / 3), `m${i}`]).flat()],
    ['ZADD', 'zlong', '1', 'x'.repeat(100), '2', 'y'],
    ['SELECT', '3'],
    ['ZADD', 'z3', '5', 'five'],
    ['SELECT', '0'],
  );
  return cmds;
}

/** db → key → [DUMP payload hex with the version-dependent footer cut, PEXPIRETIME]. */
async function contents(port: number): Promise<Record<string, Record<string, [string, Reply]>>> {
  const c = await RawConnection.open(port, true);
  const out: Record<string, Record<string, [string, Reply]>> = {};
  try {
    for (let db = 0; db < 16; db++) {
      await c.call('SELECT', db);
      const keys = ((await c.call('KEYS', '*')) as Buffer[]).map((k) => k.toString('latin1')).sort();
      if (keys.length === 0) continue;
      out[db] = {};
      for (const k of keys) {
        const p = (await c.call('DUMP', k)) as Buffer;
        // A hashtable set (RDB_TYPE_SET) lists its members in dict order, which Redis seeds at random: compared as sorted members.
        const v = p[0] === RDB_TYPE_SET ? `set ${JSON.stringify(((await c.call('SMEMBERS', k)) as Buffer[]).map((m) => m.toString('latin1')).sort())}` : p.subarray(0, p.length - 10).toString('hex');
        out[db][k] = [v, await c.call('PEXPIRETIME', k)];
      }
    }
  } finally {
    c.close();
  }
  return out;
}

/** Rivulet's content as the oracle would DUMP it (the value bytes for the oracle's RDB version). */
function contentsAsOracle(riv: RivuletServer): Record<string, Record<string, [string, Reply]>> {
  const out: Record<string, Record<string, [string, Reply]>> = {};
  const version = ORACLE_AT_LEAST_7_2 ? 12 : 10;
  for (const db of riv.server.dbs) {
    if (db.size === 0) continue;
    out[db.id] = {};
    for (const k of [...db.data.keys()].sort()) {
      const value = db.peek(k)!;
      const p = createDumpPayload(value, true, version, limitsFrom(riv.server.config));
      const v = p[0] === RDB_TYPE_SET ? `set ${JSON.stringify((value as RSet).list().slice().sort())}` : p.subarray(0, p.length - 10).toString('hex');
      out[db.id][k] = [v, Number(db.getExpire(k) ?? -1)];
    }
  }
  return out;
}

describe('RDB files (dump.rdb) with redis-server', function () {
  this.timeout(120000);
  let dir: string;
  const stops: (() => Promise<void>)[] = [];
  beforeEach(() => {
    dir = tmpDir('rivulet-rdb-');
  });
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
    rmrf(dir);
  });

  /** redis-server with its data in `d` (the returned `dir` is `d`; the helper's own temp dir is removed). */
  async function oracleIn(d: string, extra: string[] = []): Promise<ExternalServer> {
    const o = await startRedis(['--dir', d, '--dbfilename', 'dump.rdb', ...extra]);
    const helperDir = o.dir;
    const stop = o.stop;
    const mine: ExternalServer = { ...o, dir: d, stop: async () => { await stop(); rmrf(helperDir); } };
    stops.push(() => mine.stop());
    return mine;
  }
  async function rivuletIn(d: string, opts: Record<string, string> = {}): Promise<RivuletServer> {
    const r = await startRivulet({ dir: d, appendonly: 'no', ...opts });
    stops.push(() => r.close());
    return r;
  }

  it('a dump.rdb saved by redis-server loads into rivulet with identical keys, values, groups, PELs and expiries', async () => {
    const o = await oracleIn(tmpDir('redis-rdb-'));
    await runCommands(o.port, population());
    await runCommands(o.port, [['SAVE']]);
    fs.copyFileSync(path.join(o.dir, 'dump.rdb'), path.join(dir, 'dump.rdb'));
    const want = await contents(o.port);
    const r = await rivuletIn(dir);
    expect(contentsAsOracle(r)).to.deep.equal(want);
    const c = await RawConnection.open(r.port);
    const info = String(await c.call('INFO', 'persistence'));
    c.close();
    const n = Object.values(want).reduce((acc, db) => acc + Object.keys(db).length, 0);
    expect(n).to.equal(24);
    expect(info).to.match(new RegExp(`rdb_last_load_keys_loaded:${n}\r\n`));
  });

  it('redis-server loads the dump.rdb rivulet saves, with identical content', async () => {
    const r = await rivuletIn(dir, { save: '' });
    await runCommands(r.port, population());
    if (ORACLE_AT_LEAST_7_2) {
      await runCommands(r.port, [['SAVE']]);
    } else {
      // Redis 7.0 refuses RDB 12 files: rivulet's writer makes the RDB 10 file 7.0 reads (streams as LISTPACKS_2).
      const image = Buffer.concat([
        ...writeRdb(toRdbDbs(takeSnapshot(r.server.dbs, Date.now())), {
          compress: true,
          checksum: true,
          redisVersion: '7.4.0',
          aofBase: false,
          lru: false,
          usedMem: 0,
          ctime: 0,
          rdbVersion: 10,
        }),
      ]);
      fs.writeFileSync(path.join(dir, 'dump.rdb'), image);
    }
    const o = await oracleIn(dir);
    expect(await contents(o.port)).to.deep.equal(contentsAsOracle(r));
  });

  it('SAVE, BGSAVE and LASTSAVE answer as redis-server, and BGSAVE writes the file while clients are served', async () => {
    const r = await rivuletIn(dir, { save: '' });
    const c = await RawConnection.open(r.port);
    try {
      const before = (await c.call('LASTSAVE')) as number;
      await runCommands(r.port, population());
      await sleep(1100);
      expect(await c.call('SAVE')).to.equal('OK');
      expect(fs.existsSync(path.join(dir, 'dump.rdb'))).to.equal(true);
      expect((await c.call('LASTSAVE')) as number).to.be.greaterThan(before);
      expect(String(await c.call('INFO', 'persistence'))).to.match(/rdb_changes_since_last_save:0\r\n/);
      await c.call('SET', 'after-save', '1');
      fs.rmSync(path.join(dir, 'dump.rdb'));
      expect(await c.call('BGSAVE')).to.equal('Background saving started');
      expect(await c.call('PING')).to.equal('PONG');
      for (let i = 0; i < 100 && !fs.existsSync(path.join(dir, 'dump.rdb')); i++) await sleep(50);
      expect(fs.existsSync(path.join(dir, 'dump.rdb'))).to.equal(true);
      expect(((await c.call('BGSAVE', 'NOW')) as Error).message).to.equal('ERR syntax error');
      expect(String(await c.call('INFO', 'persistence'))).to.match(/rdb_last_bgsave_status:ok\r\n/);
    } finally {
      c.close();
    }
    // The file BGSAVE wrote loads back with the write made after SAVE.
    await r.close();
    const again = await rivuletIn(dir);
    expect(again.server.dbs[0].data.has('after-save')).to.equal(true);
    expect(contentsAsOracle(again)).to.deep.equal(contentsAsOracle(r));
  });

  it('the save schedule starts a background save once enough changes are old enough', async () => {
    const r = await rivuletIn(dir, { save: '1 2' });
    await runCommands(r.port, [['SET', 'a', '1']]);
    await sleep(1300);
    expect(fs.existsSync(path.join(dir, 'dump.rdb'))).to.equal(false); // one change, two needed
    await runCommands(r.port, [['SET', 'b', '2']]);
    for (let i = 0; i < 60 && !fs.existsSync(path.join(dir, 'dump.rdb')); i++) await sleep(50);
    expect(fs.existsSync(path.join(dir, 'dump.rdb'))).to.equal(true);
  });

  it('rdbchecksum no writes a zero checksum, which loads; a damaged file does not load', async () => {
    const r = await rivuletIn(dir, { save: '', rdbchecksum: 'no' });
    await runCommands(r.port, [['SET', 'k', 'v'], ['SAVE']]);
    const file = fs.readFileSync(path.join(dir, 'dump.rdb'));
    expect(file.subarray(file.length - 8)).to.deep.equal(Buffer.alloc(8));
    await r.close();
    stops.length = 0;
    const ok = await rivuletIn(dir);
    expect(ok.server.dbs[0].peek('k')).to.deep.equal(Buffer.from('v'));
    await ok.close();
    stops.length = 0;
    // A file redis-server wrote, damaged inside its data: the CRC no longer matches.
    const o = await oracleIn(tmpDir('redis-rdb-'));
    const c = await RawConnection.open(o.port);
    await c.call('SET', 'k', 'v2');
    await c.call('SAVE');
    c.close();
    const good = fs.readFileSync(path.join(o.dir, 'dump.rdb'));
    const bad = Buffer.from(good);
    bad[bad.length - 12] ^= 0xff; // inside the data: the CRC no longer matches
    const d2 = tmpDir('rivulet-rdb-bad-');
    fs.writeFileSync(path.join(d2, 'dump.rdb'), bad);
    try {
      let err: Error | null = null;
      try {
        const x = await startRivulet({ dir: d2, appendonly: 'no' });
        await x.close();
      } catch (e) {
        err = e as Error;
      }
      expect(err, 'a damaged dump.rdb must stop the start').to.not.equal(null);
      expect(err!.message).to.match(/RDB|CRC|corrupt/i);
    } finally {
      rmrf(d2);
    }
  });

  it('DEBUG RELOAD goes through dump.rdb and keeps every value byte for byte', async () => {
    const r = await rivuletIn(dir, { save: '' });
    await runCommands(r.port, population());
    const before = contentsAsOracle(r);
    const c = await RawConnection.open(r.port);
    try {
      expect(await c.call('DEBUG', 'RELOAD')).to.equal('OK');
      expect(fs.existsSync(path.join(dir, 'dump.rdb'))).to.equal(true);
      expect(contentsAsOracle(r)).to.deep.equal(before);
      await c.call('SET', 'small', 'changed');
      expect(await c.call('DEBUG', 'RELOAD', 'NOSAVE')).to.equal('OK'); // loads the file: the change is gone
      expect(String(await c.call('GET', 'small'))).to.equal('hello');
      await c.call('SET', 'only-in-memory', '1');
      expect(await c.call('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE')).to.equal('OK');
      expect(String(await c.call('GET', 'only-in-memory'))).to.equal('1');
      expect(((await c.call('DEBUG', 'RELOAD', 'BOGUS')) as Error).message).to.equal('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
    } finally {
      c.close();
    }
  });

  it('an AOF base with an RDB preamble written by redis-server loads into rivulet', async () => {
    const o = await oracleIn(dir, ['--appendonly', 'yes', '--aof-use-rdb-preamble', 'yes']);
    await runCommands(o.port, population());
    await runCommands(o.port, [['BGREWRITEAOF']]);
    const c = await RawConnection.open(o.port);
    for (let i = 0; i < 100; i++) {
      if (/aof_rewrite_in_progress:0/.test(String(await c.call('INFO', 'persistence'))) && /aof_rewrites:[1-9]/.test(String(await c.call('INFO', 'persistence')))) break;
      await sleep(50);
    }
    await c.call('SET', 'after-rewrite', 'incr');
    c.close();
    const want = await contents(o.port);
    await stops.pop()!();
    const base = fs.readdirSync(path.join(dir, 'appendonlydir')).find((f) => f.includes('.base.'))!;
    expect(fs.readFileSync(path.join(dir, 'appendonlydir', base)).subarray(0, 5).toString()).to.equal('REDIS');
    const r = await startRivulet({ dir, appendonly: 'yes' });
    stops.push(() => r.close());
    expect(contentsAsOracle(r)).to.deep.equal(want);
  });

  it('with aof-use-rdb-preamble yes rivulet writes an RDB base that loads back (and into redis-server 7.2+)', async () => {
    const r = await startRivulet({ dir, appendonly: 'yes', 'aof-use-rdb-preamble': 'yes' });
    await runCommands(r.port, population());
    await runCommands(r.port, [['BGREWRITEAOF']]);
    const aofDir = path.join(dir, 'appendonlydir');
    for (let i = 0; i < 100 && !fs.readdirSync(aofDir).some((f) => f.endsWith('.base.rdb')); i++) await sleep(50);
    await sleep(200);
    await runCommands(r.port, [['SET', 'after-rewrite', 'incr']]);
    const want = contentsAsOracle(r);
    await r.close();
    const base = fs.readdirSync(aofDir).find((f) => f.endsWith('.base.rdb'));
    expect(base, 'an RDB base file').to.not.equal(undefined);
    expect(fs.readFileSync(path.join(aofDir, base!)).subarray(0, 9).toString()).to.equal('REDIS0012');
    const again = await startRivulet({ dir, appendonly: 'yes' });
    stops.push(() => again.close());
    expect(contentsAsOracle(again)).to.deep.equal(want);
    await again.close();
    stops.length = 0;
    if (ORACLE_AT_LEAST_7_2) {
      const o = await oracleIn(dir, ['--appendonly', 'yes']);
      expect(await contents(o.port)).to.deep.equal(want);
    }
  });

  it('function libraries travel in dump.rdb both ways and in an RDB-preamble AOF base', async () => {
    const lib = "#!lua name=rdblib\nredis.register_function('twice', function(keys, args) return args[1] .. args[1] end)";
    const fcall = async (port: number): Promise<string> => {
      const c = await RawConnection.open(port);
      try {
        return String(await c.call('FCALL', 'twice', 0, 'ab'));
      } finally {
        c.close();
      }
    };
    // redis-server's file into rivulet.
    const o = await oracleIn(tmpDir('redis-rdb-'));
    await runCommands(o.port, [['FUNCTION', 'LOAD', lib], ['SET', 'k', 'v'], ['SAVE']]);
    fs.copyFileSync(path.join(o.dir, 'dump.rdb'), path.join(dir, 'dump.rdb'));
    const r = await rivuletIn(dir, { save: '' });
    expect(await fcall(r.port)).to.equal('abab');
    // rivulet's SAVE keeps them for its next start (and for redis-server 7.2+).
    await runCommands(r.port, [['SET', 'k2', 'v2'], ['SAVE']]);
    await r.close();
    await o.stop(); // forgetting the stops below would otherwise leave this redis-server running after the suite
    stops.length = 0;
    const again = await rivuletIn(dir, { save: '' });
    expect(await fcall(again.port)).to.equal('abab');
    await again.close();
    stops.length = 0;
    if (ORACLE_AT_LEAST_7_2) {
      const o2 = await oracleIn(dir);
      expect(await fcall(o2.port)).to.equal('abab');
      await o2.stop();
      stops.length = 0;
    }
    // An RDB-preamble base (aof-use-rdb-preamble yes) carries them too.
    const d2 = tmpDir('rivulet-rdb-fn-aof-');
    try {
      const a = await startRivulet({ dir: d2, appendonly: 'yes', 'aof-use-rdb-preamble': 'yes' });
      await runCommands(a.port, [['FUNCTION', 'LOAD', lib], ['BGREWRITEAOF']]);
      for (let i = 0; i < 200 && aofOf(a.server).rewriteInProgress; i++) await sleep(20);
      await a.close();
      const base = fs.readdirSync(path.join(d2, 'appendonlydir')).find((f) => f.endsWith('.base.rdb'));
      expect(base, 'an RDB base').to.not.equal(undefined);
      const b = await startRivulet({ dir: d2, appendonly: 'yes' });
      try {
        expect(await fcall(b.port)).to.equal('abab');
      } finally {
        await b.close();
      }
    } finally {
      rmrf(d2);
    }
  });

  it('a dump.rdb whose function library does not load stops the start (redis-server: "Failed loading library") and is left as it was', async () => {
    const lib = "#!lua name=rdblib\nredis.register_function('twice', function(keys, args) return args[1] .. args[1] end)";
    // Uncompressed, so that the library's code can be edited in the file.
    const r = await rivuletIn(dir, { save: '', rdbcompression: 'no' });
    await runCommands(r.port, [['FUNCTION', 'LOAD', lib], ['SET', 'k', 'v'], ['SAVE']]);
    await r.close();
    stops.length = 0;
    // Same length, no longer Lua ("retrun"); a zero checksum means "not checked", as in Redis.
    const file = path.join(dir, 'dump.rdb');
    const bytes = fs.readFileSync(file);
    const at = bytes.indexOf('return args[1]');
    expect(at).to.be.above(0);
    bytes.write('retrun', at, 'latin1');
    bytes.fill(0, bytes.length - 8);
    fs.writeFileSync(file, bytes);
    let refused: Error | null = null;
    try {
      const bad = await rivuletIn(dir, { save: '' });
      stops.push(() => bad.close());
    } catch (err) {
      refused = err as Error;
    }
    expect(refused?.message ?? 'it started').to.match(/Failed loading library/);
    expect(fs.readFileSync(file).equals(bytes), 'dump.rdb unchanged').to.equal(true);
  });

  it('with aof-use-rdb-preamble yes, a stream with IDMP state (which RDB does not carry) keeps the base in RESP form', async () => {
    const r = await startRivulet({ dir, appendonly: 'yes', 'aof-use-rdb-preamble': 'yes' });
    stops.push(() => r.close());
    const c = await RawConnection.open(r.port);
    const first = String(await c.call('XADD', 's', 'IDMP', 'p1', 'order-1', '*', 'f', 'v'));
    await c.call('SADD', 'set', 'a');
    await c.call('BGREWRITEAOF');
    c.close();
    for (let i = 0; i < 200 && aofOf(r.server).rewriteInProgress; i++) await sleep(20);
    await stops.pop()!();
    const files = fs.readdirSync(path.join(dir, 'appendonlydir'));
    expect(files.some((f) => f.endsWith('.base.aof')), files.join(' ')).to.equal(true);
    const again = await startRivulet({ dir, appendonly: 'yes' });
    stops.push(() => again.close());
    const c2 = await RawConnection.open(again.port);
    try {
      // The retry is recognised after the restart: same ID, no second entry.
      expect(String(await c2.call('XADD', 's', 'IDMP', 'p1', 'order-1', '*', 'f', 'v'))).to.equal(first);
      expect(await c2.call('XLEN', 's')).to.equal(1);
    } finally {
      c2.close();
    }
  });

  it('with appendonly yes and no AOF yet, an existing dump.rdb is loaded and becomes the first AOF base', async () => {
    const o = await oracleIn(tmpDir('redis-rdb-'));
    await runCommands(o.port, population());
    await runCommands(o.port, [['SAVE']]);
    fs.copyFileSync(path.join(o.dir, 'dump.rdb'), path.join(dir, 'dump.rdb'));
    const want = await contents(o.port);
    // (An RDB-preamble base keeps consumers' seen/active times, which a RESP base cannot say: exact comparison.)
    const r = await startRivulet({ dir, appendonly: 'yes', 'aof-use-rdb-preamble': 'yes' });
    expect(contentsAsOracle(r)).to.deep.equal(want);
    // The first base is written from the loaded data by a background rewrite.
    for (let i = 0; i < 200 && aofOf(r.server).rewriteInProgress; i++) await sleep(20);
    expect(aofOf(r.server).rewriteInProgress).to.equal(false);
    await r.close();
    fs.rmSync(path.join(dir, 'dump.rdb'));
    const again = await startRivulet({ dir, appendonly: 'yes' });
    stops.push(() => again.close());
    expect(contentsAsOracle(again)).to.deep.equal(want);
  });
});
