/**
 * Redis 8.4 XREADGROUP ... CLAIM min-idle-time. No oracle (redis-server 7.0
 * lacks it): each test states the behaviour of redis.io's XREADGROUP page
 * ("The CLAIM option", "Reply extension for claimed entries", "Ordering
 * guarantees") or of the issue text it checks.
 */
import { expect } from 'chai';
import { RawConnection, sleep, type Reply } from '../../../helpers.js';
import { useStreamRaw } from '../fixture.js';
import { resp3 } from '../util.js';

const err = (r: Reply): string => (r as Error).message;
type Entry = [string, string[] | null, number?, number?];

describe('XREADGROUP CLAIM (Redis 8.4)', () => {
  const fx = useStreamRaw();
  /** s: 1-0..3-0 delivered to alice (pending), 4-0..5-0 new. Idle times set with XCLAIM IDLE: 1-0 5s, 2-0 9s, 3-0 0. */
  beforeEach(async () => {
    await fx.c.call('FLUSHALL');
    for (let i = 1; i <= 3; i++) await fx.c.call('XADD', 's', `${i}-0`, 'f', `v${i}`);
    await fx.c.call('XGROUP', 'CREATE', 's', 'g', '0');
    await fx.c.call('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    await fx.c.call('XCLAIM', 's', 'g', 'alice', '0', '1-0', 'IDLE', '5000', 'JUSTID');
    await fx.c.call('XCLAIM', 's', 'g', 'alice', '0', '2-0', 'IDLE', '9000', 'JUSTID');
    for (let i = 4; i <= 5; i++) await fx.c.call('XADD', 's', `${i}-0`, 'f', `v${i}`);
    fx.cap.reset();
  });

  const read = async (...args: string[]): Promise<Entry[]> => {
    const r = (await fx.c.call('XREADGROUP', 'GROUP', 'g', 'bob', ...args)) as [string, Entry[]][] | null;
    return r === null ? [] : r[0][1];
  };

  it('claims idle pending entries first, longest idle first, then new entries; each with idle ms and previous deliveries', async () => {
    const entries = await read('CLAIM', '1000', 'STREAMS', 's', '>');
    expect(entries.map((e) => e[0])).to.deep.equal(['2-0', '1-0', '4-0', '5-0']);
    expect(entries[0][1]).to.deep.equal(['f', 'v2']);
    expect(entries[0][2]).to.be.within(9000, 9500);
    expect(entries[0][3]).to.equal(1);
    expect(entries[1][2]).to.be.within(5000, 5500);
    // New entries carry 0, 0.
    expect(entries[2]).to.deep.equal(['4-0', ['f', 'v4'], 0, 0]);
    // The claimed entries now belong to bob with one more delivery.
    const pending = (await fx.c.call('XPENDING', 's', 'g', '-', '+', '10')) as [string, string, number, number][];
    expect(pending.map((p) => [p[0], p[1], p[3]])).to.deep.equal([
      ['1-0', 'bob', 2],
      ['2-0', 'bob', 2],
      ['3-0', 'alice', 1],
      ['4-0', 'bob', 1],
      ['5-0', 'bob', 1],
    ]);
  });

  it('COUNT covers claimed and new entries together (idle ones first)', async () => {
    expect((await read('COUNT', '1', 'CLAIM', '1000', 'STREAMS', 's', '>')).map((e) => e[0])).to.deep.equal(['2-0']);
    expect((await read('COUNT', '3', 'CLAIM', '1000', 'STREAMS', 's', '>')).map((e) => e[0])).to.deep.equal(['1-0', '4-0', '5-0']);
  });

  it('entries not idle long enough stay with their owner; with nothing idle only new entries come, still with 0, 0', async () => {
    const entries = await read('CLAIM', '60000', 'STREAMS', 's', '>');
    expect(entries).to.deep.equal([
      ['4-0', ['f', 'v4'], 0, 0],
      ['5-0', ['f', 'v5'], 0, 0],
    ]);
  });

  it('claims pending entries even when there is nothing new', async () => {
    await read('STREAMS', 's', '>');
    const entries = await read('CLAIM', '4000', 'STREAMS', 's', '>');
    expect(entries.map((e) => e[0])).to.deep.equal(['2-0', '1-0']);
  });

  it('is ignored when the ID is not `>` (a history read answers plain entries)', async () => {
    await fx.c.call('XCLAIM', 's', 'g', 'bob', '0', '1-0');
    const r = (await fx.c.call('XREADGROUP', 'GROUP', 'g', 'bob', 'CLAIM', '0', 'STREAMS', 's', '0')) as [string, Entry[]][];
    expect(r[0][1]).to.deep.equal([['1-0', ['f', 'v1']]]);
  });

  it('NOACK does not apply to claimed entries: they stay pending, the new ones do not', async () => {
    await read('CLAIM', '1000', 'NOACK', 'STREAMS', 's', '>');
    const pending = (await fx.c.call('XPENDING', 's', 'g', '-', '+', '10')) as [string, string][];
    expect(pending.map((p) => [p[0], p[1]])).to.deep.equal([
      ['1-0', 'bob'],
      ['2-0', 'bob'],
      ['3-0', 'alice'],
    ]);
  });

  it('skips claimed entries deleted from the stream, leaving them pending', async () => {
    await fx.c.call('XDEL', 's', '2-0');
    const entries = await read('CLAIM', '1000', 'COUNT', '1', 'STREAMS', 's', '>');
    expect(entries.map((e) => e[0])).to.deep.equal(['1-0']);
    expect(((await fx.c.call('XPENDING', 's', 'g', '2-0', '2-0', '1')) as string[][])[0][1]).to.equal('alice');
  });

  it('propagates each claim as an idempotent XCLAIM, as deliveries are', async () => {
    await read('COUNT', '1', 'CLAIM', '1000', 'STREAMS', 's', '>');
    expect(fx.cap.aof.length).to.equal(1);
    expect(fx.cap.aof[0].slice(0, 6)).to.deep.equal(['XCLAIM', 's', 'g', 'bob', '0', '2-0']);
    expect(fx.cap.aof[0].slice(8)).to.deep.equal(['RETRYCOUNT', '2', 'FORCE', 'JUSTID', 'LASTID', '3-0']);
  });

  it('answers in RESP3 with integers for idle time and delivery count', async () => {
    const r3 = await resp3(fx.rs.port);
    try {
      const bytes = await r3.call('XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '2', 'CLAIM', '8000', 'STREAMS', 's', '>');
      expect(bytes).to.match(/^%1\r\n\$1\r\ns\r\n\*2\r\n\*4\r\n\$3\r\n2-0\r\n\*2\r\n\$1\r\nf\r\n\$2\r\nv2\r\n:9\d{3}\r\n:1\r\n\*4\r\n\$3\r\n4-0\r\n\*2\r\n\$1\r\nf\r\n\$2\r\nv4\r\n:0\r\n:0\r\n$/);
    } finally {
      r3.close();
    }
  });

  it('a blocked reader is served when a pending entry becomes idle enough during BLOCK', async () => {
    await read('STREAMS', 's', '>'); // nothing new left
    await fx.c.call('XCLAIM', 's', 'g', 'alice', '0', '1-0', '2-0', '3-0', '4-0', '5-0'); // all fresh again
    const waiter = await RawConnection.open(fx.rs.port);
    try {
      const started = Date.now();
      const r = (await waiter.call('XREADGROUP', 'GROUP', 'g', 'carol', 'COUNT', '1', 'BLOCK', '5000', 'CLAIM', '300', 'STREAMS', 's', '>')) as [
        string,
        Entry[],
      ][];
      const waited = Date.now() - started;
      expect(waited).to.be.within(250, 2000);
      expect(r[0][1][0][0]).to.equal('1-0');
      expect(r[0][1][0][2]).to.be.at.least(300);
    } finally {
      waiter.close();
    }
  });

  it('a blocked reader still wakes for new entries and times out with nil', async () => {
    await read('STREAMS', 's', '>');
    await fx.c.call('XCLAIM', 's', 'g', 'alice', '0', '1-0', '2-0', '3-0', '4-0', '5-0');
    const waiter = await RawConnection.open(fx.rs.port);
    try {
      const p = waiter.call('XREADGROUP', 'GROUP', 'g', 'carol', 'BLOCK', '3000', 'CLAIM', '60000', 'STREAMS', 's', '>');
      await sleep(50);
      await fx.c.call('XADD', 's', '9-0', 'f', 'new');
      expect((await p) as unknown).to.deep.equal([['s', [['9-0', ['f', 'new'], 0, 0]]]]);
      expect(await waiter.call('XREADGROUP', 'GROUP', 'g', 'carol', 'BLOCK', '100', 'CLAIM', '60000', 'STREAMS', 's', '>')).to.equal(null);
    } finally {
      waiter.close();
    }
  });

  it("refuses a negative or non-integer min-idle-time, and CLAIM in XREAD, with Redis 8.4's texts", async () => {
    expect(err(await fx.c.call('XREADGROUP', 'GROUP', 'g', 'bob', 'CLAIM', '-1', 'STREAMS', 's', '>'))).to.equal('ERR min-idle-time must be a positive integer');
    expect(err(await fx.c.call('XREADGROUP', 'GROUP', 'g', 'bob', 'CLAIM', 'x', 'STREAMS', 's', '>'))).to.equal('ERR min-idle-time is not an integer or out of range');
    expect(err(await fx.c.call('XREAD', 'CLAIM', '10', 'STREAMS', 's', '0'))).to.equal(
      'ERR The CLAIM option is only supported by XREADGROUP. You called XREAD instead.',
    );
  });

  it('COMMAND DOCS lists CLAIM since 8.4.0 with a history entry', async () => {
    const docs = (await fx.c.call('COMMAND', 'DOCS', 'xreadgroup')) as unknown[];
    const flat = docs[1] as unknown[];
    const m = new Map<string, unknown>();
    for (let j = 0; j < flat.length; j += 2) m.set(String(flat[j]), flat[j + 1]);
    expect(m.get('history')).to.deep.include(['8.4.0', 'Added the `CLAIM` option.']);
    expect(JSON.stringify(m.get('arguments'))).to.contain('"token","CLAIM"');
  });
});
