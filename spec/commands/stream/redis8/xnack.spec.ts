/**
 * Redis 8.8 XNACK. No oracle (redis-server 7.0 lacks it): each test states
 * the behaviour of redis.io's XNACK page it checks (modes, RETRYCOUNT, FORCE,
 * "Behavior" and "Notes"; see /work/notes/redis8-facts.md).
 */
import { expect } from 'chai';
import { RawConnection, startRivulet, tmpDir, rmrf, sleep, type Reply } from '../../../helpers.js';
import { useStreamRaw } from '../fixture.js';
import { resp3 } from '../util.js';

const err = (r: Reply): string => (r as Error).message;
type Pending = [string, string, number, number | string];

describe('XNACK (Redis 8.8)', () => {
  const fx = useStreamRaw();
  /** 1-0..3-0 delivered to alice (count 1), 1-0 delivered a second time (count 2); 4-0 not delivered. */
  beforeEach(async () => {
    await fx.c.call('FLUSHALL');
    for (let i = 1; i <= 4; i++) await fx.c.call('XADD', 's', `${i}-0`, 'f', `v${i}`);
    await fx.c.call('XGROUP', 'CREATE', 's', 'g', '0');
    await fx.c.call('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '3', 'STREAMS', 's', '>');
    await fx.c.call('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '0');
    fx.cap.reset();
  });

  const pending = async (): Promise<Pending[]> => (await fx.c.call('XPENDING', 's', 'g', '-', '+', '10')) as Pending[];
  /** The exact reply bytes (the parser behind RawConnection turns integers into doubles, losing LLONG_MAX). */
  const bytes = async (...args: string[]): Promise<string> => {
    const r3 = await resp3(fx.rs.port);
    try {
      return await r3.call(...args);
    } finally {
      r3.close();
    }
  };
  const LLONG_MAX_DELIVERIES = /\r\n:9223372036854775807\r\n/;

  it('FAIL releases entries: no owner ("" in XPENDING), counter unchanged, immediately claimable', async () => {
    expect(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '2', '1-0', '2-0')).to.equal(2);
    const p = await pending();
    expect(p.map((e) => [e[0], e[1], e[3]])).to.deep.equal([
      ['1-0', '', 2],
      ['2-0', '', 1],
      ['3-0', 'alice', 1],
    ]);
    // No owner and no delivery time: idle -1 (Redis 8.8), and any min-idle-time claims them.
    expect([p[0][2], p[1][2]]).to.deep.equal([-1, -1]);
    const claimed = (await fx.c.call('XCLAIM', 's', 'g', 'bob', '3600000', '1-0', '2-0', '3-0', 'JUSTID')) as string[];
    expect(claimed).to.deep.equal(['1-0', '2-0']);
    // The summary counts them but lists no "" consumer.
    expect(await fx.c.call('XPENDING', 's', 'g')).to.deep.equal([3, '1-0', '3-0', [['alice', '1'], ['bob', '2']]]);
  });

  it('SILENT takes back the delivery; FATAL sets the counter to LLONG_MAX; RETRYCOUNT overrides the mode', async () => {
    expect(await fx.c.call('XNACK', 's', 'g', 'SILENT', 'IDS', '2', '1-0', '2-0')).to.equal(2);
    expect(await fx.c.call('XNACK', 's', 'g', 'FATAL', 'IDS', '1', '3-0')).to.equal(1);
    expect((await pending()).slice(0, 2).map((e) => e[3])).to.deep.equal([1, 0]);
    expect(await bytes('XPENDING', 's', 'g', '3-0', '3-0', '1')).to.match(LLONG_MAX_DELIVERIES);
    expect(await fx.c.call('XNACK', 's', 'g', 'FATAL', 'IDS', '1', '1-0', 'RETRYCOUNT', '5')).to.equal(1);
    expect((await pending())[0][3]).to.equal(5);
  });

  it('ignores IDs that are not pending (not counted); FORCE creates unowned entries for stream entries only', async () => {
    expect(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '3', '4-0', '9-0', '3-0')).to.equal(1);
    expect(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '2', '4-0', '9-0', 'FORCE')).to.equal(1);
    expect((await pending()).find((e) => e[0] === '4-0')!.slice(0, 2)).to.deep.equal(['4-0', '']);
    expect((await pending()).find((e) => e[0] === '4-0')![3]).to.equal(0);
    await fx.c.call('XACK', 's', 'g', '4-0');
    await fx.c.call('XNACK', 's', 'g', 'FATAL', 'IDS', '1', '4-0', 'FORCE');
    expect(await bytes('XPENDING', 's', 'g', '4-0', '4-0', '1')).to.match(LLONG_MAX_DELIVERIES);
    await fx.c.call('XACK', 's', 'g', '4-0');
    await fx.c.call('XNACK', 's', 'g', 'SILENT', 'IDS', '1', '4-0', 'RETRYCOUNT', '3', 'FORCE');
    expect((await pending()).find((e) => e[0] === '4-0')![3]).to.equal(3);
  });

  it('released entries are served first by XREADGROUP CLAIM, before other idle entries', async () => {
    await fx.c.call('XCLAIM', 's', 'g', 'alice', '0', '1-0', 'IDLE', '100000', 'JUSTID');
    await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', '3-0');
    const r = (await fx.c.call('XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '2', 'CLAIM', '50000', 'STREAMS', 's', '>')) as [string, unknown[][]][];
    expect(r[0][1].map((e) => e[0])).to.deep.equal(['3-0', '1-0']);
  });

  it('CLAIM serves released entries in release order, a re-released one last (Redis\'s "re-NACK moves entry to end of NACK zone")', async () => {
    await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '3', '2-0', '3-0', '1-0');
    await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', '2-0');
    const order: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const r = (await fx.c.call('XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '1', 'CLAIM', '100000', 'STREAMS', 's', '>')) as [string, unknown[][]][];
      order.push(r[0][1][0][0]);
    }
    expect(order).to.deep.equal(['3-0', '1-0', '2-0']);
  });

  it('the release order survives COPY and an AOF rewrite reloaded (Redis\'s "XNACK entries survive AOF rewrite")', async () => {
    const dir = tmpDir('rivulet-xnack-');
    const srv = await startRivulet({ dir, appendonly: 'yes' });
    const c = await RawConnection.open(srv.port);
    try {
      for (let i = 1; i <= 3; i++) await c.call('XADD', 's', `${i}-0`, 'f', `v${i}`);
      await c.call('XGROUP', 'CREATE', 's', 'g', '0');
      await c.call('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
      await c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '3', '3-0', '1-0', '2-0');
      expect(await c.call('COPY', 's', 's2')).to.equal(1);
      expect(await c.call('BGREWRITEAOF')).to.equal('Background append only file rewriting started');
      for (let i = 0; i < 200 && ((await c.call('INFO', 'persistence')) as string).includes('aof_rewrite_in_progress:1'); i++) await sleep(20);
      expect(await c.call('DEBUG', 'LOADAOF')).to.equal('OK');
      for (const key of ['s', 's2']) {
        const order: unknown[] = [];
        for (let i = 0; i < 3; i++) {
          const r = (await c.call('XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '1', 'CLAIM', '0', 'STREAMS', key, '>')) as [string, unknown[][]][];
          order.push(r[0][1][0][0]);
        }
        expect(order, key).to.deep.equal(['3-0', '1-0', '2-0']);
      }
    } finally {
      c.close();
      await srv.close();
      rmrf(dir);
    }
  });

  it('wakes a reader blocked in XREADGROUP ... CLAIM at once', async () => {
    await fx.c.call('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'); // 4-0 taken too: nothing new
    const waiter = await RawConnection.open(fx.rs.port);
    try {
      const p = waiter.call('XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '5000', 'CLAIM', '3600000', 'STREAMS', 's', '>');
      await new Promise((r) => setTimeout(r, 50));
      const t = Date.now();
      await fx.c.call('XNACK', 's', 'g', 'SILENT', 'IDS', '1', '2-0');
      const r = (await p) as [string, unknown[][]][];
      expect(Date.now() - t).to.be.below(1000);
      expect(r[0][1][0].slice(0, 2)).to.deep.equal(['2-0', ['f', 'v2']]);
      expect(r[0][1][0][3]).to.equal(0); // SILENT took back the only delivery
    } finally {
      waiter.close();
    }
  });

  it('is logged as sent and works inside MULTI', async () => {
    await fx.c.call('MULTI');
    await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', '1-0');
    expect(await fx.c.call('EXEC')).to.deep.equal([1]);
    expect(fx.cap.aof).to.deep.equal([['XNACK', 's', 'g', 'FAIL', 'IDS', '1', '1-0']]);
    // Nothing released, nothing logged.
    await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', '9-0');
    expect(fx.cap.aof.length).to.equal(1);
  });

  it('refuses a bad mode, a missing IDS block, bad numids, bad RETRYCOUNT and unknown options; NOGROUP without key or group', async () => {
    // The texts of Redis's own test "XNACK argument and error validation" (stream-cgroups.tcl).
    expect(err(await fx.c.call('XNACK', 's', 'g', 'MAYBE', 'IDS', '1', '1-0'))).to.equal('ERR mode must be SILENT, FAIL, or FATAL');
    expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'ID', '1', '1-0'))).to.equal("ERR Unrecognized XNACK option 'ID'");
    expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'FORCE', 'RETRYCOUNT', '1'))).to.equal('ERR syntax error, expected IDS keyword');
    for (const n of ['0', '-1', 'abc']) expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', n, '1-0'))).to.equal('ERR numids must be a positive integer');
    expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '2', '1-0'))).to.equal("ERR number of IDs doesn't match numids");
    expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', '1-0', '2-0'))).to.equal("ERR Unrecognized XNACK option '2-0'");
    expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'FATAL', 'IDS', '1', '1-0'))).to.equal("ERR Unrecognized XNACK option 'FATAL'");
    expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', '1-0', 'RETRYCOUNT', '-1'))).to.equal('ERR Invalid RETRYCOUNT value, must be >= 0');
    expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', '1-0', 'RETRYCOUNT', 'abc'))).to.equal('ERR value is not an integer or out of range');
    expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', '1-0', 'RETRYCOUNT', '99999999999999999999'))).to.equal('ERR value is not an integer or out of range');
    expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', '1-0', 'RETRYCOUNT'))).to.equal("ERR Unrecognized XNACK option 'RETRYCOUNT'");
    expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', '1-0', 'NOW'))).to.equal("ERR Unrecognized XNACK option 'NOW'");
    expect(err(await fx.c.call('XNACK', 's', 'nog', 'FAIL', 'IDS', '1', '1-0'))).to.equal("NOGROUP No such key 's' or consumer group 'nog'");
    expect(err(await fx.c.call('XNACK', 'nokey', 'g', 'FAIL', 'IDS', '1', '1-0'))).to.equal("NOGROUP No such key 'nokey' or consumer group 'g'");
    expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1'))).to.equal("ERR wrong number of arguments for 'xnack' command");
    // xnackCommand's order (src/t_stream.c, 2026 sources): key and group before the mode, the options
    // before the IDs are read; IDS as the last word is an unknown option; a later IDS block replaces one.
    expect(err(await fx.c.call('XNACK', 'nokey', 'g', 'MAYBE', 'IDS', '1', '1-0'))).to.equal("NOGROUP No such key 'nokey' or consumer group 'g'");
    expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', 'bad', 'NOW'))).to.equal("ERR Unrecognized XNACK option 'NOW'");
    expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', 'bad'))).to.equal('ERR Invalid stream ID specified as stream command argument');
    expect(err(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'FORCE', 'FORCE', 'IDS'))).to.equal("ERR Unrecognized XNACK option 'IDS'");
    expect(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '1', 'bad', 'IDS', '1', '9-9')).to.equal(0);
    expect((await pending()).map((e) => e[1])).to.deep.equal(['alice', 'alice', 'alice']);
    expect(fx.cap.aof).to.deep.equal([]);
  });

  it('takes RETRYCOUNT and FORCE before the IDS block as well as after it', async () => {
    expect(await fx.c.call('XNACK', 's', 'g', 'FAIL', 'RETRYCOUNT', '7', 'IDS', '1', '1-0')).to.equal(1);
    expect(await fx.c.call('XNACK', 's', 'g', 'SILENT', 'FORCE', 'IDS', '1', '4-0', 'RETRYCOUNT', '3')).to.equal(1);
    const p = await pending();
    expect(p.filter((e) => e[1] === '').map((e) => [e[0], e[2], e[3]])).to.deep.equal([
      ['1-0', -1, 7],
      ['4-0', -1, 3],
    ]);
  });

  it('released entries show consumer "" and idle -1 in XPENDING in every mode, after XDEL of others, COPY and DEBUG RELOAD', async () => {
    await fx.c.call('XNACK', 's', 'g', 'SILENT', 'IDS', '1', '1-0');
    await fx.c.call('XNACK', 's', 'g', 'FATAL', 'IDS', '1', '2-0');
    await fx.c.call('XNACK', 's', 'g', 'FAIL', 'FORCE', 'IDS', '1', '4-0');
    await fx.c.call('XDEL', 's', '3-0');
    const released = (e: Pending): unknown[] => [e[0], e[1], e[2]];
    const expected = [
      ['1-0', '', -1],
      ['2-0', '', -1],
      ['4-0', '', -1],
    ];
    expect((await pending()).filter((e) => e[1] === '').map(released)).to.deep.equal(expected);
    expect(await fx.c.call('COPY', 's', 's2')).to.equal(1);
    const copied = (await fx.c.call('XPENDING', 's2', 'g', '-', '+', '10')) as Pending[];
    expect(copied.filter((e) => e[1] === '').map(released)).to.deep.equal(expected);
    expect(await fx.c.call('DEBUG', 'RELOAD')).to.equal('OK');
    expect((await pending()).filter((e) => e[1] === '').map(released)).to.deep.equal(expected);
  });

  it('XINFO STREAM FULL reports each group\'s nacked-count (entries released and not yet claimed)', async () => {
    const nacked = async (): Promise<unknown> => {
      const full = (await fx.c.call('XINFO', 'STREAM', 's', 'FULL')) as unknown[];
      const group = (full[full.indexOf('groups') + 1] as unknown[][])[0];
      return group[group.indexOf('nacked-count') + 1];
    };
    expect(await nacked()).to.equal(0);
    await fx.c.call('XNACK', 's', 'g', 'FAIL', 'IDS', '2', '1-0', '2-0');
    expect(await nacked()).to.equal(2);
    await fx.c.call('XCLAIM', 's', 'g', 'bob', '0', '1-0');
    expect(await nacked()).to.equal(1);
  });

  it('XINFO STREAM FULL lists released entries with an empty consumer name, and the group copy survives DEBUG RELOAD', async () => {
    await fx.c.call('XNACK', 's', 'g', 'FATAL', 'IDS', '1', '2-0');
    expect(await fx.c.call('DEBUG', 'RELOAD')).to.equal('OK');
    const p = await pending();
    expect(p.map((e) => [e[0], e[1]])).to.deep.equal([
      ['1-0', 'alice'],
      ['2-0', ''],
      ['3-0', 'alice'],
    ]);
    expect(await bytes('XPENDING', 's', 'g', '2-0', '2-0', '1')).to.match(LLONG_MAX_DELIVERIES);
    // FULL's group PEL: [id, consumer, delivery time, deliveries] — the released entry has "" and time 0.
    expect(await bytes('XINFO', 'STREAM', 's', 'FULL')).to.contain('*4\r\n$3\r\n2-0\r\n$0\r\n\r\n:0\r\n:9223372036854775807\r\n');
  });
});
