/**
 * Sets and sorted sets survive the AOF both ways: rivulet's rewritten base
 * plus its incremental file load in redis-server with the same data, and a
 * directory redis-server wrote (aof-use-rdb-preamble no) loads in rivulet.
 * Random pops are logged as what they removed, so the data after a restart
 * is the data before it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startRivulet, startRedis, tmpDir, rmrf, RawConnection, HAVE_REDIS, type Reply, runCommands, waitRewriteDone } from '../helpers.js';

const POPULATE: string[][] = [
  ['SADD', 'ints', '3', '1', '2', '-7'],
  ['SADD', 'words', 'b', 'a', 'c'],
  ['SADD', 'vol', 'x'],
  ['PEXPIREAT', 'vol', '4102444800000'],
  ...Array.from({ length: 3 }, (_, i) => ['SADD', 'big', ...Array.from({ length: 100 }, (_, j) => `m${i * 100 + j}`)]),
  ['SPOP', 'big', '7'],
  ['SPOP', 'words'],
  ['ZADD', 'z', '1.1', 'a', '-inf', 'b', 'inf', 'c', '0.1', 'd', '2', 'e', '1e300', 'f'],
  ['ZADD', 'zbig', ...Array.from({ length: 300 }, (_, i) => [String(i / 7), `m${i}`]).flat()],
  ['ZINCRBY', 'z', '0.2', 'd'],
  ['ZPOPMIN', 'zbig', '3'],
  ['ZADD', 'zvol', '1', 'x'],
  ['PEXPIREAT', 'zvol', '4102444800000'],
];
const AFTER_REWRITE: string[][] = [
  ['SADD', 'ints', '99'],
  ['SPOP', 'big'],
  ['SMOVE', 'big', 'moved', 'm5'],
  ['SINTERSTORE', 'inter', 'ints', 'ints'],
  ['ZMPOP', '1', 'zbig', 'MAX', 'COUNT', '2'],
  ['BZPOPMIN', 'z', '0'],
  ['ZUNIONSTORE', 'zu', '2', 'z', 'ints', 'WEIGHTS', '0.5', '3'],
  ['ZRANGESTORE', 'zr', 'zbig', '10', '20'],
]
const ZSET_KEYS = ['z', 'zbig', 'zvol', 'zu', 'zr'];
/** Scores as numbers: Redis 7.0 prints them with %.17g, 7.2+ with the shortest digits. */
const num = (r: Reply): number => (String(r) === 'inf' ? Infinity : String(r) === '-inf' ? -Infinity : Number(String(r)));
const SET_KEYS = ['ints', 'words', 'vol', 'big', 'moved', 'inter'];

async function observe(port: number): Promise<unknown> {
  const c = await RawConnection.open(port);
  try {
    const out: Record<string, unknown> = {};
    for (const k of SET_KEYS) {
      const m = (await c.call('SMEMBERS', k)) as Reply[];
      out[k] = m.map(String).sort();
    }
    out.volTime = await c.call('PEXPIRETIME', 'vol');
    for (const k of ZSET_KEYS) {
      const m = (await c.call('ZRANGE', k, '0', '-1', 'WITHSCORES')) as Reply[];
      out[k] = m.map((x, i) => (i % 2 === 0 ? String(x) : num(x)));
    }
    out.zvolTime = await c.call('PEXPIRETIME', 'zvol');
    return out;
  } finally {
    c.close();
  }
}

describe('AOF: sets and sorted sets', function () {
  this.timeout(30000);

  it('rivulet reloads its own AOF (rewrite base + incremental, random pops included) with the same data', async () => {
    const dir = tmpDir('rivulet-sz-');
    try {
      let riv = await startRivulet({ dir, appendonly: 'yes', appendfsync: 'always' });
      await runCommands(riv.port, POPULATE);
      await runCommands(riv.port, [['BGREWRITEAOF']]);
      await waitRewriteDone(riv.port);
      const base = fs.readdirSync(path.join(dir, 'appendonlydir')).find((f) => f.endsWith('.base.aof'))!;
      const text = fs.readFileSync(path.join(dir, 'appendonlydir', base), 'latin1');
      expect(text).to.include('$4\r\nSADD\r\n$4\r\nints\r\n');
      expect(text).to.include('$4\r\nZADD\r\n$1\r\nz\r\n$4\r\n-inf\r\n$1\r\nb\r\n');
      await runCommands(riv.port, AFTER_REWRITE);
      const before = await observe(riv.port);
      await riv.close();
      riv = await startRivulet({ dir, appendonly: 'yes' });
      try {
        expect(await observe(riv.port)).to.deep.equal(before);
      } finally {
        await riv.close();
      }
    } finally {
      rmrf(dir);
    }
  });

  it('redis-server loads the directory rivulet wrote, with the same data', async function () {
    if (!HAVE_REDIS) this.skip(); // redis-server is not installed on this machine
    const dir = tmpDir('rivulet-sz-');
    const copy = tmpDir('redis-loads-sz-');
    try {
      const riv = await startRivulet({ dir, appendonly: 'yes', appendfsync: 'always' });
      await runCommands(riv.port, POPULATE);
      await runCommands(riv.port, [['BGREWRITEAOF']]);
      await waitRewriteDone(riv.port);
      await runCommands(riv.port, AFTER_REWRITE);
      const ours = await observe(riv.port);
      await riv.close();
      fs.cpSync(path.join(dir, 'appendonlydir'), path.join(copy, 'appendonlydir'), { recursive: true });
      const redis = await startRedis(['--appendonly', 'yes', '--dir', copy, '--aof-use-rdb-preamble', 'no']);
      try {
        expect(await observe(redis.port)).to.deep.equal(ours);
      } finally {
        await redis.stop();
      }
    } finally {
      rmrf(dir);
      rmrf(copy);
    }
  });

  it('rivulet loads a directory redis-server wrote (aof-use-rdb-preamble no) with the same data', async function () {
    if (!HAVE_REDIS) this.skip(); // redis-server is not installed on this machine
    const copy = tmpDir('rivulet-loads-sz-');
    const redis = await startRedis(['--appendonly', 'yes', '--aof-use-rdb-preamble', 'no', '--appendfsync', 'always']);
    let theirs: unknown;
    try {
      await runCommands(redis.port, POPULATE);
      await runCommands(redis.port, [['BGREWRITEAOF']]);
      await waitRewriteDone(redis.port);
      await runCommands(redis.port, AFTER_REWRITE);
      theirs = await observe(redis.port);
      fs.cpSync(path.join(redis.dir, 'appendonlydir'), path.join(copy, 'appendonlydir'), { recursive: true });
    } finally {
      await redis.stop();
    }
    try {
      const riv = await startRivulet({ dir: copy, appendonly: 'yes' });
      try {
        expect(await observe(riv.port)).to.deep.equal(theirs);
      } finally {
        await riv.close();
      }
    } finally {
      rmrf(copy);
    }
  });
});
