/**
 * A work queue built on Redis 8 primitives alone — XREADGROUP ... CLAIM
 * (8.4) and XNACK (8.8), no XAUTOCLAIM/XCLAIM janitor — as the XNACK and
 * XREADGROUP pages describe it: workers read with `CLAIM min-idle-time`, so
 * jobs of a crashed worker come back to the others once idle long enough; a
 * worker that cannot handle a job releases it with XNACK FAIL (redelivered
 * at once, counter kept), one that shuts down gracefully with XNACK SILENT
 * (the delivery does not count). Every job must be processed exactly once
 * and nothing may stay pending.
 */
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { startRivulet, connect, sleep } from '../../../helpers.js';
import type { RivuletServer } from '../../../../lib/index.js';

type Entry = [string, string[], number, number];
type ReadReply = [string, Entry[]][] | null;

const JOBS = 150;
const MIN_IDLE_MS = 200;

describe('work queue on XREADGROUP CLAIM and XNACK alone (crashed, failing and stopping workers)', () => {
  let riv: RivuletServer;
  const clients: Redis[] = [];
  const client = (): Redis => {
    const c = connect(riv.port);
    clients.push(c);
    return c;
  };
  before(async () => {
    riv = await startRivulet();
  });
  after(async () => {
    for (const c of clients) c.disconnect();
    await riv.close();
  });

  it('processes every job exactly once and leaves nothing pending', async () => {
    const admin = client();
    await admin.call('XGROUP', 'CREATE', 'jobs', 'workers', '$', 'MKSTREAM');
    const processed = new Map<string, number>(); // job → times processed (committed)
    const failedOnce = new Set<string>();
    let redelivered = 0; // entries that came back through CLAIM (previous deliveries > 0, or released with SILENT)
    let claimedIdle = 0; // entries taken over after sitting idle (a crashed worker's)
    let done = false;

    /**
     * One worker. `crashAfter`: batches after which it dies holding its last
     * batch (never acks, never releases). `stopAfter`: batches after which it
     * shuts down gracefully, releasing its batch with XNACK SILENT.
     */
    const worker = async (name: string, opts: { crashAfter?: number; stopAfter?: number; failEvery?: number }): Promise<void> => {
      const r = client();
      let batches = 0;
      while (!done) {
        // (ioredis's generic call() unwraps a one-stream XREADGROUP reply; its xreadgroup method does not.)
        const reply = await (r as unknown as { xreadgroup: (...a: string[]) => Promise<ReadReply> }).xreadgroup(
          'GROUP', 'workers', name, 'COUNT', '5', 'BLOCK', '50', 'CLAIM', String(MIN_IDLE_MS), 'STREAMS', 'jobs', '>',
        );
        if (reply === null) continue;
        batches++;
        const entries = reply[0][1];
        for (const e of entries) {
          if (e[3] > 0) redelivered++;
          if (e[2] >= MIN_IDLE_MS && e[2] < 1_000_000_000) claimedIdle++;
        }
        if (opts.crashAfter !== undefined && batches >= opts.crashAfter) {
          r.disconnect(); // dies with the batch pending under its name
          return;
        }
        if (opts.stopAfter !== undefined && batches >= opts.stopAfter) {
          await r.call('XNACK', 'jobs', 'workers', 'SILENT', 'IDS', String(entries.length), ...entries.map((e) => e[0]));
          r.disconnect();
          return;
        }
        for (const [id, fields] of entries) {
          const job = fields[1];
          if (opts.failEvery !== undefined && Number(job) % opts.failEvery === 0 && !failedOnce.has(job)) {
            failedOnce.add(job); // this worker cannot handle it: give it back at once
            await r.call('XNACK', 'jobs', 'workers', 'FAIL', 'IDS', '1', id);
            continue;
          }
          processed.set(job, (processed.get(job) ?? 0) + 1);
          await r.call('XACK', 'jobs', 'workers', id);
        }
      }
    };

    const producer = (async () => {
      const p = client();
      for (let i = 0; i < JOBS; i++) {
        await p.call('XADD', 'jobs', '*', 'job', String(i));
        if (i % 10 === 0) await sleep(2);
      }
    })();
    const workers = [
      worker('crasher-1', { crashAfter: 1 }),
      worker('crasher-2', { crashAfter: 4 }),
      worker('stopper', { stopAfter: 3 }),
      worker('picky', { failEvery: 7 }),
      worker('steady-1', {}),
      worker('steady-2', { failEvery: 11 }),
    ];
    await producer;
    const deadline = Date.now() + 20000;
    while (processed.size < JOBS && Date.now() < deadline) await sleep(20);
    done = true;
    await Promise.all(workers);

    expect(processed.size).to.equal(JOBS);
    expect([...processed.values()].every((n) => n === 1)).to.equal(true);
    expect(failedOnce.size).to.be.above(0);
    expect(redelivered).to.be.above(0);
    expect(claimedIdle).to.be.above(0); // the crashed workers' batches
    expect(await admin.call('XPENDING', 'jobs', 'workers')).to.deep.equal([0, null, null, null]);
    // The crashed workers' jobs were taken over through CLAIM: their names remain, owning nothing.
    const consumers = (await admin.call('XINFO', 'CONSUMERS', 'jobs', 'workers')) as unknown[][];
    for (const c of consumers) expect(c[3]).to.equal(0);
  });
});
