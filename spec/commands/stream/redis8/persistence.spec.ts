/**
 * Redis 8 stream state across restarts: reference-policy trims and
 * deletions, XNACKed (unowned) pending entries, and idempotency tracking
 * must come back after a SIGKILL under `appendfsync always` (replaying the
 * incremental AOF) and after BGREWRITEAOF (loading the rewritten base, whose
 * records are Redis 8's: XNACK ... FORCE for released entries, XCFGSET and
 * XIDMPRECORD for IDMP — redis/redis#14794). A duplicate sent after the
 * restart is still recognised within the configured duration.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startRivuletProcess, tmpDir, rmrf, RawConnection, sleep, waitForPing, type Reply } from '../../../helpers.js';

type Proc = Awaited<ReturnType<typeof startRivuletProcess>>;

async function start(dir: string): Promise<Proc> {
  const p = await startRivuletProcess(['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'], { waitReady: false });
  try {
    await waitForPing(p.port);
  } catch {
    await p.stop();
    throw new Error(`rivulet-server did not start:\n${p.output()}`);
  }
  return p;
}

function infoMap(r: Reply): Map<string, unknown> {
  const flat = r as unknown[];
  const m = new Map<string, unknown>();
  for (let i = 0; i < flat.length; i += 2) m.set(String(flat[i]), flat[i + 1]);
  return m;
}

/** Builds state with every Redis 8 feature in it; returns the IDs the idempotent XADDs got. */
async function populate(c: RawConnection): Promise<{ manual: string; auto: string }> {
  for (let i = 1; i <= 8; i++) await c.call('XADD', 's', `${i}-0`, 'f', `v${i}`);
  await c.call('XGROUP', 'CREATE', 's', 'g1', '0');
  await c.call('XGROUP', 'CREATE', 's', 'g2', '0');
  await c.call('XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '6', 'STREAMS', 's', '>');
  await c.call('XREADGROUP', 'GROUP', 'g2', 'bob', 'STREAMS', 's', '>');
  await c.call('XACK', 's', 'g2', '1-0', '2-0', '3-0');
  // Reference policies: DELREF trim, ACKED trim that stops at a referenced entry, XDELEX/XACKDEL.
  expect(await c.call('XTRIM', 's', 'DELREF', 'MINID', '2-0')).to.equal(1);
  expect(await c.call('XACKDEL', 's', 'g1', 'ACKED', 'IDS', '2', '2-0', '4-0')).to.deep.equal([1, 2]);
  expect(await c.call('XDELEX', 's', 'DELREF', 'IDS', '1', '5-0')).to.deep.equal([1]);
  expect(await c.call('XADD', 's', 'ACKED', 'MAXLEN', '0', '9-0', 'f', 'v9')).to.equal('9-0');
  // XNACK: released entries with their counters.
  expect(await c.call('XNACK', 's', 'g1', 'FATAL', 'IDS', '1', '3-0')).to.equal(1);
  expect(await c.call('XNACK', 's', 'g2', 'SILENT', 'IDS', '1', '6-0', 'RETRYCOUNT', '4')).to.equal(1);
  expect(await c.call('XNACK', 's', 'g2', 'FAIL', 'IDS', '1', '9-0', 'FORCE')).to.equal(1);
  // Idempotency.
  expect(await c.call('XCFGSET', 's', 'IDMP-DURATION', '300', 'IDMP-MAXSIZE', '50')).to.equal('OK');
  const manual = (await c.call('XADD', 's', 'IDMP', 'producer-1', 'order-42', '*', 'f', 'paid')) as string;
  const auto = (await c.call('XADD', 's', 'IDMPAUTO', 'producer-2', '*', 'sku', 'A7', 'qty', '2')) as string;
  await c.call('XADD', 'other', 'IDMP', 'p', 'i', '*', 'f', 'v'); // a stream on the directives' defaults
  return { manual, auto };
}

/** Everything the features above leave behind, in comparable form. */
async function state(c: RawConnection): Promise<unknown> {
  const out: Record<string, unknown> = {};
  out.entries = await c.call('XRANGE', 's', '-', '+');
  for (const g of ['g1', 'g2']) {
    const p = (await c.call('XPENDING', 's', g, '-', '+', '100')) as [string, string, number, number][];
    // Released entries have no delivery time: idle -1 (Redis 8.8); counters as text (LLONG_MAX loses precision in the parser).
    out[g] = p.map((e) => [e[0], e[1], e[1] === '' ? e[2] === -1 : 'owned', String(e[3])]);
  }
  for (const k of ['s', 'other']) {
    const info = infoMap(await c.call('XINFO', 'STREAM', k));
    out[k] = ['idmp-duration', 'idmp-maxsize', 'pids-tracked', 'iids-tracked'].map((f) => info.get(f));
  }
  return out;
}

/** The duplicates are still recognised: the original IDs come back and nothing is added. */
async function expectDuplicates(c: RawConnection, ids: { manual: string; auto: string }): Promise<void> {
  const len = await c.call('XLEN', 's');
  expect(await c.call('XADD', 's', 'IDMP', 'producer-1', 'order-42', '*', 'f', 'paid')).to.equal(ids.manual);
  expect(await c.call('XADD', 's', 'IDMPAUTO', 'producer-2', '*', 'sku', 'A7', 'qty', '2')).to.equal(ids.auto);
  expect(await c.call('XLEN', 's')).to.equal(len);
}

describe('Redis 8 stream features survive restarts (SIGKILL under appendfsync always, BGREWRITEAOF)', function () {
  this.timeout(60000);
  let dir: string;
  let proc: Proc | null = null;
  beforeEach(() => {
    dir = tmpDir('rivulet-redis8-');
  });
  afterEach(async () => {
    if (proc) await proc.stop();
    proc = null;
    rmrf(dir);
  });

  it('a SIGKILL loses nothing acknowledged: trims, released entries and idempotency tracking replay from the AOF', async () => {
    proc = await start(dir);
    let c = await RawConnection.open(proc.port);
    const ids = await populate(c);
    const before = await state(c);
    c.close();
    await proc.stop(); // SIGKILL
    proc = await start(dir);
    c = await RawConnection.open(proc.port);
    try {
      expect(await state(c)).to.deep.equal(before);
      // (LLONG_MAX as the RESP parser reads it: a double; exact bytes are checked in xnack.spec.)
      const g1 = (before as { g1: string[][] }).g1;
      expect(g1[0].slice(0, 3)).to.deep.equal(['3-0', '', true]);
      expect(g1[0][3]).to.match(/^92233720368547\d{5}$/);
      await expectDuplicates(c, ids);
    } finally {
      c.close();
    }
  });

  it('after BGREWRITEAOF the base holds XNACK ... FORCE, XCFGSET and XIDMPRECORD records, and a restart restores the same state', async () => {
    proc = await start(dir);
    let c = await RawConnection.open(proc.port);
    const ids = await populate(c);
    const before = await state(c);
    expect(await c.call('BGREWRITEAOF')).to.equal('Background append only file rewriting started');
    for (let i = 0; i < 200 && !String(await c.call('INFO', 'persistence')).includes('aof_rewrite_in_progress:0'); i++) await sleep(20);
    const aofDir = path.join(dir, 'appendonlydir');
    const base = fs.readdirSync(aofDir).find((f) => f.endsWith('.base.aof'))!;
    const text = fs.readFileSync(path.join(aofDir, base), 'latin1');
    expect(text).to.contain('*10\r\n$5\r\nXNACK\r\n$1\r\ns\r\n$2\r\ng1\r\n$4\r\nFAIL\r\n$3\r\nIDS\r\n$1\r\n1\r\n$3\r\n3-0\r\n$10\r\nRETRYCOUNT\r\n$19\r\n9223372036854775807\r\n$5\r\nFORCE\r\n');
    expect(text).to.contain('*6\r\n$7\r\nXCFGSET\r\n$1\r\ns\r\n$13\r\nIDMP-DURATION\r\n$3\r\n300\r\n$12\r\nIDMP-MAXSIZE\r\n$2\r\n50\r\n');
    expect(text).to.contain(`$11\r\nXIDMPRECORD\r\n$1\r\ns\r\n$10\r\nproducer-1\r\n$8\r\norder-42\r\n$${ids.manual.length}\r\n${ids.manual}\r\n`);
    // `other` follows the directives: no XCFGSET for it.
    expect(text).to.not.contain('$7\r\nXCFGSET\r\n$5\r\nother');
    await c.call('XADD', 'after', '*', 'f', 'v'); // and an incremental file on top of the base
    c.close();
    await proc.stop();
    proc = await start(dir);
    c = await RawConnection.open(proc.port);
    try {
      expect(await state(c)).to.deep.equal(before);
      await expectDuplicates(c, ids);
      expect(await c.call('XLEN', 'after')).to.equal(1);
    } finally {
      c.close();
    }
  });

  it('`~` ACKED trims that skip referenced entries replay to the same stream (logged as MINID = where the walk stopped)', async () => {
    proc = await start(dir);
    let c = await RawConnection.open(proc.port);
    // Nodes of two entries here; the replay runs with the default node size, which must not matter.
    await c.call('CONFIG', 'SET', 'stream-node-max-entries', '2');
    for (let i = 1; i <= 6; i++) await c.call('XADD', 'm', `${i}-0`, 'f', `v${i}`);
    await c.call('XGROUP', 'CREATE', 'm', 'g', '0');
    await c.call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'm', '>');
    await c.call('XACK', 'm', 'g', '1-0', '3-0', '4-0', '5-0', '6-0');
    expect(await c.call('XTRIM', 'm', 'MINID', '~', '6-0', 'ACKED')).to.equal(4);
    expect(await c.call('XADD', 'm', 'ACKED', 'MAXLEN', '~', '1', '7-0', 'f', 'v7')).to.equal('7-0');
    const before = [await c.call('XRANGE', 'm', '-', '+'), await c.call('XPENDING', 'm', 'g')];
    expect(before[0]).to.deep.equal([['2-0', ['f', 'v2']], ['7-0', ['f', 'v7']]]);
    c.close();
    await proc.stop(); // SIGKILL
    proc = await start(dir);
    c = await RawConnection.open(proc.port);
    try {
      expect([await c.call('XRANGE', 'm', '-', '+'), await c.call('XPENDING', 'm', 'g')]).to.deep.equal(before);
    } finally {
      c.close();
    }
  });

  it("loads Redis's own log of an IDMP XADD (the ID it chose, IDMP kept): the pair is tracked again", async () => {
    // Redis propagates XADD ... IDMP p i * as XADD ... IDMP p i <id> and lets only its AOF and master
    // clients give IDMP with an explicit ID (mustObeyClient in streamParseAddOrTrimArgsOrReply).
    const cmd = (...a: string[]): string => `*${a.length}\r\n` + a.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('');
    fs.writeFileSync(path.join(dir, 'appendonly.aof'), cmd('XADD', 's', 'IDMP', 'p', 'i', '5-0', 'f', 'v') + cmd('XADD', 's', 'IDMPAUTO', 'q', '6-0', 'f', 'w'));
    proc = await start(dir);
    const c = await RawConnection.open(proc.port);
    try {
      expect(await c.call('XLEN', 's')).to.equal(2);
      expect(await c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v')).to.equal('5-0');
      expect(await c.call('XADD', 's', 'IDMPAUTO', 'q', '*', 'f', 'w')).to.equal('6-0');
      expect(await c.call('XLEN', 's')).to.equal(2);
      // A client still may not.
      expect(((await c.call('XADD', 's', 'IDMP', 'p', 'j', '7-0', 'f', 'v')) as Error).message).to.equal(
        'ERR syntax error, IDMP/IDMPAUTO can be used only with auto-generated IDs',
      );
    } finally {
      c.close();
    }
  });

  it('a duplicate after a restart is recognised within IDMP-DURATION, and forgotten after it', async () => {
    proc = await start(dir);
    let c = await RawConnection.open(proc.port);
    await c.call('XADD', 'q', '*', 'f', 'v');
    await c.call('XCFGSET', 'q', 'IDMP-DURATION', '2');
    const id = await c.call('XADD', 'q', 'IDMP', 'p', 'job-1', '*', 'f', 'v');
    c.close();
    await proc.stop();
    proc = await start(dir);
    c = await RawConnection.open(proc.port);
    try {
      expect(await c.call('XADD', 'q', 'IDMP', 'p', 'job-1', '*', 'f', 'v')).to.equal(id);
      await sleep(2100);
      expect(await c.call('XADD', 'q', 'IDMP', 'p', 'job-1', '*', 'f', 'v')).to.not.equal(id);
      expect(await c.call('XLEN', 'q')).to.equal(3);
    } finally {
      c.close();
    }
  });
});
