/**
 * Lists and hashes in the AOF: what rivulet propagates and what its rewrite
 * writes loads back in rivulet and in redis-server, and rivulet loads what
 * redis-server wrote (aof-use-rdb-preamble no), with the same contents.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startRivulet, startRedis, tmpDir, rmrf, RawConnection, HAVE_REDIS, ORACLE_AT_LEAST_7_2, type Reply, runCommands, waitRewriteDone } from '../helpers.js';

const big: string[] = [];
for (let i = 0; i < 600; i++) big.push(`f${i}`, `v${i}`);
const manyElems = Array.from({ length: 200 }, (_, i) => `e${i}`);

/** Commands that leave hashes and lists in every encoding, with binary data, TTLs and a second database. */
export const POPULATE: string[][] = [
  ['HSET', 'h', 'a', '1', 'b', '2'],
  ['HINCRBY', 'h', 'n', '10'],
  ['HINCRBYFLOAT', 'h', 'f', '1.5'],
  ['HSET', 'hbig', ...big],
  ['HDEL', 'hbig', 'f0'],
  ['HSET', 'hvol', 'x', 'y'],
  ['PEXPIREAT', 'hvol', '4102444800000'],
  ['HSET', 'gone', 'a', '1'],
  ['HDEL', 'gone', 'a'],
  ['RPUSH', 'l', 'a', 'b', 'c'],
  ['LPUSH', 'l', 'z'],
  ['LSET', 'l', '1', 'A'],
  ['LINSERT', 'l', 'AFTER', 'A', 'ins'],
  ['RPUSH', 'lbig', ...manyElems],
  ['LTRIM', 'lbig', '1', '-2'],
  ['LREM', 'lbig', '0', 'e100'],
  ['RPUSH', 'lbin', '\u0000\u00ff', ''],
  ['RPUSH', 'lmove-src', '1', '2'],
  ['LMOVE', 'lmove-src', 'lmove-dst', 'LEFT', 'RIGHT'],
  ['RPOPLPUSH', 'lmove-src', 'lmove-dst'],
  ['RPUSH', 'popped', '1', '2', '3'],
  ['LMPOP', '1', 'popped', 'RIGHT', 'COUNT', '2'],
  ['BLPOP', 'popped', '0'],
  ['RPUSH', 'lquick', 'x'.repeat(9000)],
  ['SELECT', '1'],
  ['HSET', 'h1', 'k', 'v'],
  ['SELECT', '0'],
];
export const AFTER_REWRITE: string[][] = [
  ['HSET', 'h', 'c', '3'],
  ['HDEL', 'hbig', 'f1'],
  ['RPUSH', 'l', 'after'],
  ['LPOP', 'lbig'],
];

const sortedPairs = (r: Reply): string[] => {
  const a = (r as Buffer[]).map(String);
  const out: string[] = [];
  for (let i = 0; i < a.length; i += 2) out.push(`${a[i]}=${a[i + 1]}`);
  return out.sort();
};

/** What must survive: contents (hash fields compared sorted: hashtable order differs), encodings, TTLs, databases. */
async function observe(port: number, listEncodings = true): Promise<unknown> {
  const c = await RawConnection.open(port);
  try {
    const out: Record<string, unknown> = {};
    for (const k of ['h', 'hbig', 'hvol', 'gone']) {
      out[`${k}:all`] = sortedPairs(await c.call('HGETALL', k));
      out[`${k}:enc`] = await c.call('OBJECT', 'ENCODING', k);
      out[`${k}:ttl`] = await c.call('PEXPIRETIME', k);
    }
    out['h:order'] = await c.call('HKEYS', 'h');
    for (const k of ['l', 'lbig', 'lbin', 'lmove-src', 'lmove-dst', 'popped', 'lquick']) {
      out[`${k}:range`] = await c.call('LRANGE', k, '0', '-1');
      // Redis 7.0 has no listpack lists: compared only with a 7.2+ oracle.
      if (listEncodings) out[`${k}:enc`] = await c.call('OBJECT', 'ENCODING', k);
    }
    await c.call('SELECT', '1');
    out.h1 = await c.call('HGETALL', 'h1');
    await c.call('SELECT', '0');
    out.dbsize = await c.call('DBSIZE');
    return out;
  } finally {
    c.close();
  }
}

/** `ours` without the list encodings (for a 7.0 oracle). */
async function observeAgain(ours: unknown): Promise<unknown> {
  const o = { ...(ours as Record<string, unknown>) };
  for (const k of Object.keys(o)) if (/^l.*:enc$|^popped:enc$/.test(k)) delete o[k];
  return o;
}

describe('lists and hashes in the AOF', function () {
  this.timeout(60000);

  it('rivulet reloads its own AOF (propagated commands, then a rewrite plus more commands) with the same data', async () => {
    const dir = tmpDir('rivulet-lh-');
    try {
      let riv = await startRivulet({ dir, appendfsync: 'always' });
      await runCommands(riv.port, POPULATE);
      const before = await observe(riv.port);
      await riv.close();
      riv = await startRivulet({ dir, appendfsync: 'always' });
      expect(await observe(riv.port)).to.deep.equal(before);
      await runCommands(riv.port, [['BGREWRITEAOF']]);
      await waitRewriteDone(riv.port);
      await runCommands(riv.port, AFTER_REWRITE);
      const after = await observe(riv.port);
      await riv.close();
      riv = await startRivulet({ dir });
      try {
        expect(await observe(riv.port)).to.deep.equal(after);
      } finally {
        await riv.close();
      }
    } finally {
      rmrf(dir);
    }
  });

  it('redis-server loads a directory rivulet wrote (rewritten base plus increments) with the same data', async function () {
    if (!HAVE_REDIS) this.skip(); // reason: redis-server is not installed
    const dir = tmpDir('rivulet-lh-');
    const copy = tmpDir('redis-loads-lh-');
    try {
      const riv = await startRivulet({ dir, appendfsync: 'always' });
      await runCommands(riv.port, POPULATE);
      await runCommands(riv.port, [['BGREWRITEAOF']]);
      await waitRewriteDone(riv.port);
      await runCommands(riv.port, AFTER_REWRITE);
      const ours = await observe(riv.port);
      await riv.close();
      fs.cpSync(path.join(dir, 'appendonlydir'), path.join(copy, 'appendonlydir'), { recursive: true });
      const redis = await startRedis(['--appendonly', 'yes', '--dir', copy, '--aof-use-rdb-preamble', 'no']);
      try {
        expect(await observe(redis.port, ORACLE_AT_LEAST_7_2)).to.deep.equal(ORACLE_AT_LEAST_7_2 ? ours : await observeAgain(ours));
      } finally {
        await redis.stop();
      }
    } finally {
      rmrf(dir);
      rmrf(copy);
    }
  });

  it('rivulet loads a directory redis-server wrote (aof-use-rdb-preamble no) with the same data', async function () {
    if (!HAVE_REDIS) this.skip(); // reason: redis-server is not installed
    const copy = tmpDir('rivulet-loads-lh-');
    const redis = await startRedis(['--appendonly', 'yes', '--aof-use-rdb-preamble', 'no', '--appendfsync', 'always']);
    let theirs: unknown;
    try {
      await runCommands(redis.port, POPULATE);
      await runCommands(redis.port, [['BGREWRITEAOF']]);
      await waitRewriteDone(redis.port);
      await runCommands(redis.port, AFTER_REWRITE);
      theirs = await observe(redis.port, ORACLE_AT_LEAST_7_2);
      fs.cpSync(path.join(redis.dir, 'appendonlydir'), path.join(copy, 'appendonlydir'), { recursive: true });
    } finally {
      await redis.stop();
    }
    try {
      const riv = await startRivulet({ dir: copy });
      try {
        expect(await observe(riv.port, ORACLE_AT_LEAST_7_2)).to.deep.equal(theirs);
      } finally {
        await riv.close();
      }
    } finally {
      rmrf(copy);
    }
  });
});
