/**
 * Bee-Queue (npm, on node_redis 3) against rivulet: its basic
 * producer/worker flow — jobs saved by its Lua scripts, processed with
 * concurrency, results reported back, a failing job retried.
 */
import { expect } from 'chai';
import { createRequire } from 'node:module';
import { startRivulet, sleep, rawCommand } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

const require = createRequire(import.meta.url);
// Bee-Queue is CommonJS without ESM typings.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const BeeQueue = require('bee-queue') as any;

const NEEDED = ['hset', 'hget', 'lpush', 'brpoplpush', 'lrem', 'sadd', 'zadd', 'incr'];

describe('Bee-Queue end to end', function () {
  this.timeout(30000);
  let server: RivuletServer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const queues: any[] = [];

  before(async function () {
    server = await startRivulet();
    const missing: string[] = [];
    for (const name of NEEDED) {
      const r = (await rawCommand(server.port, ['COMMAND', 'INFO', name])) as unknown[];
      if (!Array.isArray(r) || r[0] === null) missing.push(name);
    }
    if (missing.length > 0) {
      // Bee-Queue needs hashes, lists, sets and sorted sets (issue: data types); skipped until they exist.
      console.log(`      (skipped: rivulet lacks ${missing.join(', ')})`);
      await server.close();
      this.skip();
    }
  });
  after(async () => {
    for (const q of queues) await q.close(1000).catch(() => undefined);
    await server?.close();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  function queue(name: string, opts: Record<string, unknown> = {}): any {
    const q = new BeeQueue(name, { redis: { host: '127.0.0.1', port: server.port }, removeOnSuccess: false, ...opts });
    queues.push(q);
    return q;
  }

  it('a producer saves jobs and a worker processes them, reporting results', async () => {
    const producer = queue('bee1', { isWorker: false });
    const worker = queue('bee1');
    worker.process(3, async (job: { data: { x: number } }) => {
      await sleep(10);
      return job.data.x * 10;
    });
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(
        (x) =>
          new Promise((resolve, reject) => {
            const job = producer.createJob({ x });
            job.on('succeeded', resolve);
            job.on('failed', reject);
            job.save().catch(reject);
          }),
      ),
    );
    expect(results).to.deep.equal([10, 20, 30, 40, 50]);
    const counts = await producer.checkHealth();
    expect(counts.succeeded).to.equal(5);
  });

  it('retries a failing job', async () => {
    const q = queue('bee2');
    let calls = 0;
    q.process(async () => {
      calls++;
      if (calls < 2) throw new Error('first time fails');
      return 'second time works';
    });
    const result = await new Promise((resolve, reject) => {
      const job = q.createJob({}).retries(2);
      job.on('succeeded', resolve);
      job.on('failed', reject);
      job.save().catch(reject);
    });
    expect(result).to.equal('second time works');
    expect(calls).to.equal(2);
  });
});
