/**
 * BullMQ (the npm release in devDependencies) against rivulet, unchanged:
 * producers and workers with concurrency, retries with backoff, delayed
 * jobs, priorities, rate limiting, job schedulers (repeatable jobs), flows
 * (parent/children), QueueEvents (its event stream), stalled-job recovery
 * after a worker dies without releasing its lock, and obliterate.
 *
 * BullMQ keeps jobs in hashes, lists and sorted sets: when the running
 * rivulet lacks one of the commands its scripts call, the block is skipped
 * and says which.
 */
import { expect } from 'chai';
import { Queue, Worker, QueueEvents, FlowProducer, type Job } from 'bullmq';
import { spawn } from 'node:child_process';
import { startRivulet, sleep, rawCommand, ROOT } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

/** Commands BullMQ's scripts and clients need. */
const NEEDED = ['hset', 'hgetall', 'lpush', 'lrange', 'lrem', 'lmove', 'zadd', 'zrangebyscore', 'zpopmin', 'bzpopmin', 'sadd', 'smembers', 'xadd', 'xread'];

async function missingCommands(port: number): Promise<string[]> {
  const out: string[] = [];
  for (const name of NEEDED) {
    const r = (await rawCommand(port, ['COMMAND', 'INFO', name])) as unknown[];
    if (!Array.isArray(r) || r[0] === null) out.push(name);
  }
  return out;
}

/** Resolves once `cond` is true (polls), or rejects after `ms`. */
async function until(cond: () => boolean | Promise<boolean>, ms = 10000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('BullMQ end to end', function () {
  this.timeout(60000);
  let server: RivuletServer;
  let connection: { host: string; port: number };
  const closers: (() => Promise<unknown>)[] = [];
  let n = 0;
  const qname = (): string => `q${++n}-${Date.now()}`;

  before(async function () {
    server = await startRivulet();
    connection = { host: '127.0.0.1', port: server.port };
    const missing = await missingCommands(server.port);
    if (missing.length > 0) {
      // BullMQ needs the hash, list, set and sorted-set commands (issue: data types); skipped until they exist.
      console.log(`      (skipped: rivulet lacks ${missing.join(', ')})`);
      await server.close();
      this.skip();
    }
  });
  afterEach(async () => {
    while (closers.length) await closers.pop()!().catch(() => undefined);
  });
  after(async () => {
    await server?.close();
  });

  function queue(name: string): Queue {
    const q = new Queue(name, { connection });
    closers.push(() => q.close());
    return q;
  }
  function worker(name: string, fn: (job: Job) => Promise<unknown>, opts: Record<string, unknown> = {}): Worker {
    const w = new Worker(name, fn, { connection, ...opts });
    closers.push(() => w.close());
    return w;
  }
  async function events(name: string): Promise<QueueEvents> {
    const e = new QueueEvents(name, { connection });
    closers.push(() => e.close());
    await e.waitUntilReady();
    return e;
  }

  it('processes jobs from several producers with a concurrent worker, and reports them through QueueEvents', async () => {
    const name = qname();
    const q = queue(name);
    const q2 = queue(name);
    const ev = await events(name);
    const completedEvents: string[] = [];
    ev.on('completed', ({ jobId }) => completedEvents.push(jobId));
    let active = 0;
    let maxActive = 0;
    const done: number[] = [];
    worker(
      name,
      async (job) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(20);
        active--;
        done.push(job.data.i);
        return job.data.i * 2;
      },
      { concurrency: 5 },
    );
    const jobs = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? q : q2).add('work', { i })));
    const results = await Promise.all(jobs.map((j) => j.waitUntilFinished(ev)));
    expect(results.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 30 }, (_, i) => i * 2));
    expect(maxActive).to.be.greaterThan(1);
    await until(() => completedEvents.length === 30, 5000, 'completed events');
    expect(await q.getCompletedCount()).to.equal(30);
  });

  it('retries a failing job with exponential backoff, then completes it', async () => {
    const name = qname();
    const q = queue(name);
    const attempts: number[] = [];
    worker(name, async (job) => {
      attempts.push(Date.now());
      if (job.attemptsMade < 2) throw new Error(`fail ${job.attemptsMade}`);
      return 'ok';
    });
    const ev = await events(name);
    const job = await q.add('r', {}, { attempts: 3, backoff: { type: 'exponential', delay: 100 } });
    expect(await job.waitUntilFinished(ev)).to.equal('ok');
    expect(attempts.length).to.equal(3);
    expect(attempts[2] - attempts[1]).to.be.at.least(150);
    const fresh = await q.getJob(job.id!);
    expect(fresh!.attemptsMade).to.equal(3);
  });

  it('moves a job that exhausts its attempts to failed, with the reason', async () => {
    const name = qname();
    const q = queue(name);
    worker(name, async () => {
      throw new Error('always');
    });
    const job = await q.add('f', {}, { attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    await until(async () => (await q.getFailedCount()) === 1, 10000, 'failed job');
    const failed = await q.getJob(job.id!);
    expect(failed!.failedReason).to.equal('always');
    expect(failed!.attemptsMade).to.equal(2);
  });

  it('runs delayed jobs no earlier than their delay', async () => {
    const name = qname();
    const q = queue(name);
    const ran: number[] = [];
    worker(name, async () => {
      ran.push(Date.now());
    });
    const ev = await events(name);
    const t0 = Date.now();
    const job = await q.add('d', {}, { delay: 400 });
    expect(await job.getState()).to.equal('delayed');
    await job.waitUntilFinished(ev);
    expect(ran[0] - t0).to.be.at.least(380);
  });

  it('serves higher-priority jobs first', async () => {
    const name = qname();
    const q = queue(name);
    for (const [i, p] of [[1, 10], [2, 1], [3, 5], [4, 1], [5, 20]]) await q.add('p', { i }, { priority: p });
    const order: number[] = [];
    worker(name, async (job) => {
      order.push(job.data.i);
    });
    await until(() => order.length === 5, 10000, 'prioritized jobs');
    expect(order).to.deep.equal([2, 4, 3, 1, 5]);
  });

  it('rate-limits a worker', async () => {
    const name = qname();
    const q = queue(name);
    const times: number[] = [];
    worker(name, async () => {
      times.push(Date.now());
    }, { limiter: { max: 2, duration: 300 } });
    await q.addBulk(Array.from({ length: 6 }, (_, i) => ({ name: 'l', data: { i } })));
    await until(() => times.length === 6, 15000, 'rate-limited jobs');
    expect(times[5] - times[0]).to.be.at.least(550);
  });

  it('repeats a job scheduler\'s job every interval, up to its limit', async () => {
    const name = qname();
    const q = queue(name);
    const ran: number[] = [];
    worker(name, async () => {
      ran.push(Date.now());
    });
    await q.upsertJobScheduler('every-100', { every: 100, limit: 3 }, { name: 'tick', data: {} });
    await until(() => ran.length >= 3, 10000, 'repeated jobs');
    expect((await q.getJobSchedulers()).map((s) => s.key)).to.deep.equal(['every-100']);
    await q.removeJobScheduler('every-100');
    expect(await q.getJobSchedulersCount()).to.equal(0);
  });

  it('completes a parent only after its children (flows)', async () => {
    const name = qname();
    const flow = new FlowProducer({ connection });
    closers.push(() => flow.close());
    const order: string[] = [];
    worker(name, async (job) => {
      order.push(job.name);
      if (job.name === 'parent') return Object.values(await job.getChildrenValues()).sort();
      return job.data.v;
    });
    const ev = await events(name);
    const tree = await flow.add({
      name: 'parent',
      queueName: name,
      children: [
        { name: 'child', queueName: name, data: { v: 'a' } },
        { name: 'child', queueName: name, data: { v: 'b' } },
      ],
    });
    expect(await tree.job.waitUntilFinished(ev)).to.deep.equal(['a', 'b']);
    expect(order[2]).to.equal('parent');
  });

  it('recovers a stalled job whose worker died without releasing it', async () => {
    const name = qname();
    const q = queue(name);
    // A worker that takes the job and then "dies": its lock is never renewed.
    const dead = new Worker(name, () => new Promise(() => undefined), { connection, lockDuration: 300, skipLockRenewal: true, skipStalledCheck: true });
    const job = await q.add('s', { v: 1 });
    await until(async () => (await job.getState()) === 'active', 5000, 'job taken by the dying worker');
    await dead.close(true).catch(() => undefined);
    const stalled: string[] = [];
    const rescuer = worker(name, async () => 'rescued', { stalledInterval: 200, lockDuration: 300 });
    rescuer.on('stalled', (id) => stalled.push(id));
    await until(async () => (await job.getState()) === 'completed', 15000, 'stalled job completed by another worker');
    expect(stalled).to.include(job.id);
  });

  it('recovers the job of a worker process killed with SIGKILL mid-job', async () => {
    const name = qname();
    const q = queue(name);
    const job = await q.add('k', { v: 2 });
    // A separate process takes the job and hangs in it; then it is killed, lock and all.
    const code = `import { Worker } from 'bullmq';
      new Worker(${JSON.stringify(name)}, () => new Promise(() => {}), { connection: { host: '127.0.0.1', port: ${server.port} }, lockDuration: 500, stalledInterval: 300 });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, stdio: 'ignore' });
    try {
      await until(async () => (await job.getState()) === 'active', 10000, 'job taken by the child worker');
    } finally {
      child.kill('SIGKILL');
    }
    const rescuer = worker(name, async (j) => `rescued ${j.data.v}`, { stalledInterval: 300, lockDuration: 500 });
    const stalled: string[] = [];
    rescuer.on('stalled', (id) => stalled.push(id));
    await until(async () => (await job.getState()) === 'completed', 20000, 'job recovered after the kill');
    expect((await q.getJob(job.id!))!.returnvalue).to.equal('rescued 2');
    expect(stalled).to.include(job.id);
  });

  it('obliterates a queue', async () => {
    const name = qname();
    const q = queue(name);
    await q.addBulk(Array.from({ length: 10 }, (_, i) => ({ name: 'o', data: { i } })));
    await q.add('later', {}, { delay: 60000 });
    await q.obliterate({ force: true });
    expect(await q.getJobCounts()).to.deep.include({ waiting: 0, delayed: 0, completed: 0 });
    const keys = (await rawCommand(server.port, ['KEYS', `bull:${name}:*`])) as unknown[];
    expect(keys).to.deep.equal([]);
  });
});
