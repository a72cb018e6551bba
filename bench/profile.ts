/**
 * Profiles rivulet under one benchmark workload:
 *
 *   node dist/bench/profile.js xadd1|xadd16|xreadgroup|xrange|evalsha|bullmq [--top 30] [--keep]
 *
 * Starts `node --cpu-prof bin/rivulet-server ...`, runs the workload, stops the
 * server (the profile is written on exit) and prints the top self-time
 * functions. Only samples taken while the measured phase ran are counted
 * (a fill before it is left out), using the monotonic clock both processes share.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redisBenchmark } from './rbench.js';
import { RespClient, RespError, type Reply } from './resp.js';
import { startServer } from './servers.js';
import { INCR_SCRIPT } from './workloads.js';
import { formatSummary, summarise, type CpuProfile } from './cpuprofile.js';

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

async function main(): Promise<void> {
  const workload = process.argv[2];
  const ti = process.argv.indexOf('--top');
  const top = ti > 0 ? Number(process.argv[ti + 1]) : 30;
  const keep = process.argv.includes('--keep');
  const n = Number(process.env.BENCH_N ?? 0);
  if (!['xadd1', 'xadd16', 'xreadgroup', 'xrange', 'evalsha', 'bullmq'].includes(workload)) {
    process.stderr.write('usage: node dist/bench/profile.js xadd1|xadd16|xreadgroup|xrange|evalsha|bullmq [--top N] [--keep]\n');
    process.exit(2);
  }
  const profDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rivulet-prof-'));
  const s = await startServer('rivulet', { nodeFlags: ['--cpu-prof', '--cpu-prof-dir', profDir] });
  let from = 0;
  let to = 0;
  let figure = '';
  try {
    if (workload === 'xadd1' || workload === 'xadd16') {
      const pipeline = workload === 'xadd1' ? 1 : 16;
      from = nowUs();
      const r = await redisBenchmark(s.port, { clients: 50, requests: n || (pipeline === 1 ? 200_000 : 800_000), pipeline, command: ['XADD', 'bench:s', '*', 'f', 'v'] });
      to = nowUs();
      figure = `${r.rps.toFixed(0)} XADD/s`;
    } else if (workload === 'bullmq') {
      // The worker phase of npm run bench's BullMQ row: jobs added first (not profiled), then one
      // Worker with concurrency 50 and an empty processor takes them all.
      const { Queue, Worker } = await import('bullmq');
      const connection = { host: '127.0.0.1', port: s.port };
      const jobs = n || 5000;
      const q = new Queue('prof', { connection });
      await q.waitUntilReady();
      for (let i = 0; i < jobs; i += 100) await q.addBulk(Array.from({ length: Math.min(100, jobs - i) }, (_, k) => ({ name: 'j', data: { i: i + k } })));
      await q.close();
      let done = 0;
      from = nowUs();
      await new Promise<void>((resolve, reject) => {
        const w = new Worker('prof', async () => undefined, { connection, concurrency: 50 });
        w.on('completed', () => {
          if (++done === jobs) w.close().then(() => resolve(), reject);
        });
        w.on('error', reject);
      });
      to = nowUs();
      figure = `${((jobs * 1e6) / (to - from)).toFixed(0)} jobs/s`;
    } else if (workload === 'evalsha') {
      // The scripting row of npm run bench: one INCR through redis.call per script, 50 clients.
      const c0 = await RespClient.connect(s.port);
      const sha = (await c0.call(['SCRIPT', 'LOAD', INCR_SCRIPT])) as string;
      c0.close();
      from = nowUs();
      const r = await redisBenchmark(s.port, { clients: 50, requests: n || 100_000, command: ['EVALSHA', sha, '1', 'bench:evalsha'] });
      to = nowUs();
      figure = `${r.rps.toFixed(0)} EVALSHA/s`;
    } else {
      const total = n || 500_000;
      await redisBenchmark(s.port, { clients: 50, requests: total, pipeline: 64, command: ['XADD', 'bench:big', '1-*', 'f', 'v'] });
      if (workload === 'xrange') {
        from = nowUs();
        const r = await redisBenchmark(s.port, { clients: 8, requests: 50_000, randomRange: total, command: ['XRANGE', 'bench:big', '1-__rand_int__', '+', 'COUNT', '100'] });
        to = nowUs();
        figure = `${r.rps.toFixed(0)} XRANGE/s`;
      } else {
        const c0 = await RespClient.connect(s.port);
        await c0.call(['XGROUP', 'CREATE', 'bench:big', 'g', '0']);
        c0.close();
        const clients = await Promise.all([0, 1, 2, 3].map(() => RespClient.connect(s.port)));
        from = nowUs();
        let acked = 0;
        await Promise.all(
          clients.map(async (c, i) => {
            for (;;) {
              const r = await c.call(['XREADGROUP', 'GROUP', 'g', `c${i}`, 'COUNT', '100', 'STREAMS', 'bench:big', '>']);
              if (r === null || r instanceof RespError) { if (r) process.stderr.write(`XREADGROUP: ${r.message}\n`); return; }
              const entries = ((r as Reply[])[0] as Reply[])[1] as Reply[][];
              if (entries.length === 0) return;
              // Awaited first: `acked += await ...` would read acked before the await and lose other consumers' counts.
              const n = (await c.call(['XACK', 'bench:big', 'g', ...entries.map((e) => e[0] as string)])) as number;
              acked += n;
            }
          }),
        );
        to = nowUs();
        for (const c of clients) c.close();
        figure = `${acked} of ${total} entries read+acked in ${((to - from) / 1e6).toFixed(2)} s: ${((acked * 1e6) / (to - from)).toFixed(0)}/s`;
      }
    }
  } finally {
    await s.stop();
  }
  const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written in ${profDir}\n${s.output()}`);
  const profile = JSON.parse(fs.readFileSync(path.join(profDir, file), 'utf8')) as CpuProfile;
  process.stdout.write(`workload ${workload}: ${figure} (with the profiler attached)\n`);
  process.stdout.write(formatSummary(summarise(profile, { fromUs: from, toUs: to }), top) + '\n');
  if (keep) process.stdout.write(`profile kept: ${path.join(profDir, file)}\n`);
  else fs.rmSync(profDir, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`profile failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
