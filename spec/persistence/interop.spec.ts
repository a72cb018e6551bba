/**
 * Interoperability with Debian's redis-server 7.0: a directory written by
 * rivulet loads in redis-server, and a directory written by redis-server
 * (aof-use-rdb-preamble no) loads in rivulet, with the same data as seen
 * through XRANGE, XINFO STREAM FULL, XINFO GROUPS, XPENDING and GET.
 * (Fields 7.0 does not have, e.g. consumers' active-time, are not compared;
 * seen/idle times move with the clock and are left out.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startRivulet, startRedis, tmpDir, rmrf, RawConnection, HAVE_REDIS, type Reply, runCommands, waitRewriteDone } from '../helpers.js';

const POPULATE: string[][] = [
  ['SET', 'str', 'hello'],
  ['SET', 'vol', 'v', 'PXAT', '4102444800000'],
  ['SELECT', '1'],
  ['SET', 'other', 'x'],
  ['SELECT', '0'],
  ['XADD', 's', '1-1', 'a', '1'],
  ['XADD', 's', '2-1', 'b', '2', 'c', '3'],
  ['XADD', 's', '3-1', 'a', '4'],
  ['XADD', 's', '4-1', 'a', '5'],
  ['XDEL', 's', '2-1'],
  ['XGROUP', 'CREATE', 's', 'g1', '0'],
  ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '1', 'STREAMS', 's', '>'],
  ['XACK', 's', 'g1', '1-1'],
  ['XGROUP', 'CREATE', 's', 'g2', '$'],
  ['XGROUP', 'CREATECONSUMER', 's', 'g2', 'carol'],
  ['XCLAIM', 's', 'g1', 'bob', '0', '3-1', 'TIME', '1700000000000', 'RETRYCOUNT', '5'],
  ['XADD', 'emptied', 'MAXLEN', '0', '7-7', 'x', 'y'],
  ['XGROUP', 'CREATE', 'fresh', 'g', '$', 'MKSTREAM'],
];
const AFTER_REWRITE: string[][] = [
  ['XADD', 's', '5-1', 'z', '9'],
  ['XREADGROUP', 'GROUP', 'g1', 'alice', 'STREAMS', 's', '>'],
  ['XADD', 'big', '1-1', 'f', 'v'],
  ['XTRIM', 'big', 'MAXLEN', '0'],
  ['SET', 'after', '1'],
];

function pairs(v: Reply): Map<string, Reply> {
  const arr = v as Reply[];
  const m = new Map<string, Reply>();
  for (let i = 0; i + 1 < arr.length; i += 2) m.set(String(arr[i]), arr[i + 1]);
  return m;
}

function pick(v: Reply, keys: string[]): Record<string, Reply> {
  const m = pairs(v);
  const o: Record<string, Reply> = {};
  for (const k of keys) o[k] = m.get(k) ?? '<missing>';
  return o;
}

/** What both servers must agree on after loading. */
async function observe(port: number): Promise<unknown> {
  const c = await RawConnection.open(port);
  try {
    const out: Record<string, unknown> = {};
    out.str = await c.call('GET', 'str');
    out.vol = await c.call('PEXPIRETIME', 'vol');
    out.after = await c.call('GET', 'after');
    await c.call('SELECT', '1');
    out.other = await c.call('GET', 'other');
    await c.call('SELECT', '0');
    for (const key of ['s', 'emptied', 'fresh', 'big']) {
      out[`${key}:range`] = await c.call('XRANGE', key, '-', '+');
      out[`${key}:groups`] = await c.call('XINFO', 'GROUPS', key);
      const full = await c.call('XINFO', 'STREAM', key, 'FULL');
      const top = pick(full, ['length', 'last-generated-id', 'max-deleted-entry-id', 'entries-added', 'recorded-first-entry-id', 'entries']);
      const groups = ((pairs(full).get('groups') as Reply[]) ?? []).map((g) => {
        const gp = pick(g, ['name', 'last-delivered-id', 'entries-read', 'lag', 'pel-count', 'pending']);
        const consumers = (pairs(g).get('consumers') as Reply[]).map((cons) => pick(cons, ['name', 'pel-count', 'pending']));
        return { ...gp, consumers };
      });
      out[`${key}:full`] = { ...top, groups };
    }
    out['s:pending'] = await c.call('XPENDING', 's', 'g1');
    // Extended form: id, consumer, delivery count (idle time moves with the clock).
    out['s:pending-ext'] = ((await c.call('XPENDING', 's', 'g1', '-', '+', '100')) as Reply[][]).map((p) => [p[0], p[1], p[3]]);
    return out;
  } finally {
    c.close();
  }
}

describe('AOF interoperability with redis-server 7.0', function () {
  this.timeout(30000);
  before(function () {
    if (!HAVE_REDIS) this.skip(); // reason: redis-server is not installed on this machine
  });

  it('redis-server loads a directory written by rivulet (base from a rewrite plus incr) with the same data', async () => {
    const dir = tmpDir('rivulet-interop-');
    const copy = tmpDir('redis-loads-');
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
        expect(await observe(redis.port)).to.deep.equal(ours);
      } finally {
        await redis.stop();
      }
    } finally {
      rmrf(dir);
      rmrf(copy);
    }
  });

  it('rivulet loads a directory written by redis-server (aof-use-rdb-preamble no) as redis-server itself reloads it', async () => {
    const copy = tmpDir('rivulet-loads-');
    const copy2 = tmpDir('redis-reloads-');
    const redis = await startRedis(['--appendonly', 'yes', '--aof-use-rdb-preamble', 'no', '--appendfsync', 'always']);
    try {
      await runCommands(redis.port, POPULATE);
      await runCommands(redis.port, [['BGREWRITEAOF']]);
      await waitRewriteDone(redis.port);
      await runCommands(redis.port, AFTER_REWRITE);
      fs.cpSync(path.join(redis.dir, 'appendonlydir'), path.join(copy, 'appendonlydir'), { recursive: true });
      fs.cpSync(path.join(redis.dir, 'appendonlydir'), path.join(copy2, 'appendonlydir'), { recursive: true });
    } finally {
      await redis.stop();
    }
    try {
      // Compared with redis-server reloading the same files: a reload is not always the live state
      // (7.0 logs XREADGROUP as XCLAIM ... LASTID without the group's entries-read).
      const reloaded = await startRedis(['--appendonly', 'yes', '--dir', copy2, '--aof-use-rdb-preamble', 'no']);
      let theirs: unknown;
      try {
        theirs = await observe(reloaded.port);
      } finally {
        await reloaded.stop();
      }
      const riv = await startRivulet({ dir: copy });
      try {
        expect(await observe(riv.port)).to.deep.equal(theirs);
      } finally {
        await riv.close();
      }
    } finally {
      rmrf(copy);
      rmrf(copy2);
    }
  });
});
