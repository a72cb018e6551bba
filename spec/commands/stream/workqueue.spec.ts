/**
 * A work queue end to end, the way applications use consumer groups: three
 * producers XADD jobs while four workers in one group XREADGROUP BLOCK them
 * and XACK each after processing. One worker crashes after taking a batch
 * (it never acknowledges); a janitor recovers its jobs with XAUTOCLAIM once
 * they have been idle long enough. At the end every job has been processed
 * and acknowledged exactly once and nothing is pending.
 */
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { startRivulet, connect, sleep } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';

type Entry = [string, string[]];
type ReadReply = [string, Entry[]][] | null;

const PRODUCERS = 3;
const JOBS_PER_PRODUCER = 40;
const TOTAL = PRODUCERS * JOBS_PER_PRODUCER;
const CLAIM_IDLE_MS = 150;

describe('work queue: 3 producers, 4 blocking workers, one crash, XAUTOCLAIM recovery', () => {
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

  it('processes and acknowledges every job exactly once and leaves nothing pending', async () => {
    const admin = client();
    await admin.call('XGROUP', 'CREATE', 'jobs', 'workers', '$', 'MKSTREAM');

    /** job payload → how many times an XACK for it returned 1 */
    const acked = new Map<string, number>();
    const processedBy = new Map<string, string>();
    let producing = true;
    let crashedHeld: string[] = [];

    const process = async (c: Redis, worker: string, entries: Entry[]): Promise<void> => {
      for (const [id, fields] of entries) {
        const job = fields[1];
        processedBy.set(job, worker);
        const n = (await c.xack('jobs', 'workers', id)) as number;
        if (n === 1) acked.set(job, (acked.get(job) ?? 0) + 1);
      }
    };

    const worker = async (name: string, crashAfterFirstBatch: boolean): Promise<void> => {
      const c = client();
      for (;;) {
        const reply = (await c.xreadgroup('GROUP', 'workers', name, 'COUNT', '5', 'BLOCK', '50', 'STREAMS', 'jobs', '>')) as ReadReply;
        if (reply !== null) {
          const entries = reply[0][1];
          if (crashAfterFirstBatch) {
            // Took jobs, then died: they stay pending in its name.
            crashedHeld = entries.map((e) => e[1][1]);
            c.disconnect();
            return;
          }
          await process(c, name, entries);
        } else if (!producing) return;
      }
    };

    const producer = async (p: number): Promise<void> => {
      const c = client();
      for (let i = 0; i < JOBS_PER_PRODUCER; i++) {
        await c.xadd('jobs', '*', 'job', `p${p}-${i}`);
        if (i % 8 === 0) await sleep(2);
      }
    };

    const workers = [worker('w0', false), worker('w1', false), worker('w2', false), worker('crasher', true)];
    await Promise.all([producer(0), producer(1), producer(2)]);
    producing = false;
    await Promise.all(workers);

    expect(crashedHeld.length, 'the crashed worker took a batch').to.be.greaterThan(0);
    const summary = (await admin.call('XPENDING', 'jobs', 'workers')) as [number, string, string, [string, string][]];
    expect(summary[0]).to.equal(crashedHeld.length);
    expect(summary[3]).to.deep.equal([['crasher', String(crashedHeld.length)]]);

    // Recovery: a janitor claims what has been idle long enough, processes and acknowledges it.
    const janitor = client();
    let recovered = 0;
    for (let round = 0; round < 50 && acked.size < TOTAL; round++) {
      let cursor = '0-0';
      do {
        const [next, entries, deleted] = (await janitor.call(
          'XAUTOCLAIM', 'jobs', 'workers', 'janitor', String(CLAIM_IDLE_MS), cursor, 'COUNT', '10',
        )) as [string, Entry[], string[]];
        expect(deleted).to.deep.equal([]);
        recovered += entries.length;
        await process(janitor, 'janitor', entries);
        cursor = next;
      } while (cursor !== '0-0');
      if (acked.size < TOTAL) await sleep(CLAIM_IDLE_MS / 2);
    }

    expect(recovered).to.equal(crashedHeld.length);
    for (const job of crashedHeld) expect(processedBy.get(job)).to.equal('janitor');
    expect(acked.size).to.equal(TOTAL);
    for (const [job, n] of acked) expect(n, job).to.equal(1);
    expect(await admin.call('XPENDING', 'jobs', 'workers')).to.deep.equal([0, null, null, null]);
    const [group] = (await admin.call('XINFO', 'GROUPS', 'jobs')) as unknown[][];
    expect(group).to.deep.equal([
      'name', 'workers', 'consumers', 5, 'pending', 0,
      'last-delivered-id', group[7], 'entries-read', TOTAL, 'lag', 0,
    ]);
    expect(await admin.xlen('jobs')).to.equal(TOTAL);
  });
});
