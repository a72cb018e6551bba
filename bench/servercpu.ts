/**
 * CPU time the server spends on one workload, from /proc/<pid>/stat (user +
 * system), for before/after comparisons on a shared machine where wall-clock
 * throughput varies by ±20 % but a process's own CPU time varies much less:
 *
 *   node dist/bench/servercpu.js cg|cgio|fanout [--runs 3] [--n 200000] [--redis]
 *
 * cg: XREADGROUP COUNT 100 + XACK by 4 raw-RESP consumers of an n-entry stream
 * (the fill is not counted); cgio: the same with ioredis consumers; fanout:
 * 100 readers in XREAD BLOCK 0, 200 XADDs, each sent once all readers are
 * blocked again (--n sets the number of XADDs); bigset / bigget: n SETs (GETs) of
 * one 32 MB value over a raw socket, one after another (--n, default 3); bigxadd: n XADDs of
 * 100,000 fields while another client PINGs every millisecond (also prints the longest
 * PING round trip, the stall other clients see); xadd / xadd16: n `XADD key * f v`
 * from --clients (default 50) raw-RESP clients, unpipelined / 16 per write
 * (redis-benchmark's -P 16), after a warm-up of the same kind (not counted;
 * `--warm N` XADDs, default min(n, 20000): under callgrind use 60000 or more,
 * or V8 is still optimising); `--aof everysec|always` starts the server with the AOF on. Prints the server's CPU ms for the measured phase of each run
 * and their median. `--redis` measures redis-server instead; `--prof` also
 * writes a .cpuprofile per run and prints its summary (measured phase only);
 * `--callgrind` runs the server under valgrind's callgrind and prints the
 * instructions executed in the measured phase (zeroed before it, dumped after
 * it with callgrind_control): a count that does not depend on the machine's
 * load, for before/after comparisons (slow: use a smaller --n).
 */
import fs from 'node:fs';
import crypto from 'node:crypto';
import net from 'node:net';
import { RespClient, RespError, encodeCommand, oneShot, parseInfo, type Reply } from './resp.js';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, sleep, type Running } from './servers.js';
import { readExactly } from './workloads.js';
import { busyStretches, formatSummary, summarise, type CpuProfile } from './cpuprofile.js';

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** utime + stime of a process in ms. */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime), counted from the state field (3).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Instructions (millions) in the newest callgrind dump in `dir` (the one --dump wrote: the measured phase). */
function callgrindTotal(dir: string): number {
  const dumps = fs.readdirSync(dir).filter((f) => f.startsWith('cg.out'));
  dumps.sort((a, b) => fs.statSync(path.join(dir, b)).mtimeMs - fs.statSync(path.join(dir, a)).mtimeMs);
  for (const f of dumps) {
    const m = /^(?:summary|totals): (\d+)/m.exec(fs.readFileSync(path.join(dir, f), 'utf8'));
    if (m) return Number(m[1]) / 1e6;
  }
  throw new Error(`no callgrind totals in ${dir}`);
}

/** n entries `f v` with IDs 1-0, 1-1, ... (pipelined, 1000 at a time: redis-benchmark gives up on a server under valgrind). */
async function fill(port: number, n: number): Promise<void> {
  const c = await RespClient.connect(port);
  for (let done = 0; done < n; ) {
    const batch = Math.min(1000, n - done);
    await Promise.all(Array.from({ length: batch }, () => c.call(['XADD', 'big', '1-*', 'f', 'v'])));
    done += batch;
  }
  const len = await c.call(['XLEN', 'big']);
  c.close();
  if (len !== n) throw new Error(`fill: XLEN ${String(len)}, expected ${n}`);
}

async function drainRaw(port: number, key: string, group: string): Promise<number> {
  const clients = await Promise.all([0, 1, 2, 3].map(() => RespClient.connect(port)));
  let acked = 0;
  await Promise.all(
    clients.map(async (c, i) => {
      for (;;) {
        const r = await c.call(['XREADGROUP', 'GROUP', group, `c${i}`, 'COUNT', '100', 'STREAMS', key, '>']);
        if (r === null || r instanceof RespError) return;
        const entries = ((r as Reply[])[0] as Reply[])[1] as Reply[][];
        if (entries.length === 0) return;
        const n = (await c.call(['XACK', key, group, ...entries.map((e) => e[0] as string)])) as number;
        acked += n;
      }
    }),
  );
  for (const c of clients) c.close();
  return acked;
}

async function drainIoredis(port: number, key: string, group: string): Promise<number> {
  const { Redis } = await import('ioredis');
  const clients = [0, 1, 2, 3].map(() => new Redis({ port, host: '127.0.0.1' }));
  let acked = 0;
  await Promise.all(
    clients.map(async (c, i) => {
      for (;;) {
        const r = (await c.xreadgroup('GROUP', group, `c${i}`, 'COUNT', 100, 'STREAMS', key, '>')) as [string, [string, string[]][]][] | null;
        if (r === null || r[0][1].length === 0) return;
        const n = await c.xack(key, group, ...r[0][1].map((e) => e[0]));
        acked += n;
      }
    }),
  );
  for (const c of clients) c.disconnect();
  return acked;
}

async function fanout(s: Running, messages: number, pollMs: number): Promise<void> {
  const key = 'fan';
  const readers = await Promise.all(Array.from({ length: 100 }, () => RespClient.connect(s.port)));
  const producer = await RespClient.connect(s.port);
  let stop = false;
  let delivered = 0;
  let all: (() => void) | null = null;
  const loops = readers.map(async (c) => {
    let last = '$';
    for (;;) {
      const r = await c.call(['XREAD', 'BLOCK', '0', 'STREAMS', key, last]);
      if (stop || r === null || r instanceof RespError) return;
      const entries = ((r as Reply[])[0] as Reply[])[1] as Reply[][];
      last = entries[entries.length - 1][0] as string;
      if (++delivered === readers.length) all?.();
    }
  });
  for (let m = 0; m < messages; m++) {
    for (;;) {
      const info = parseInfo(await producer.call(['INFO', 'clients']));
      if (Number(info.get('blocked_clients')) >= readers.length) break;
      await sleep(pollMs);
    }
    delivered = 0;
    const done = new Promise<void>((r) => (all = r));
    await producer.call(['XADD', key, '*', 'n', String(m)]);
    await done;
  }
  stop = true;
  for (const c of readers) c.close();
  await Promise.allSettled(loops);
  producer.close();
}

const BIG_VALUE = 32 * 1024 * 1024;

async function connectSocket(port: number): Promise<net.Socket> {
  const sock = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  sock.setNoDelay(true);
  return sock;
}

let bigValue: Buffer | null = null;

/** `count` SETs of 32 MB to bench:big (bigset), or with `get`, GETs of it (the value is SET before, not measured). */
async function bigSetGet(port: number, count: number, get: boolean, measure: () => void): Promise<void> {
  bigValue ??= crypto.randomBytes(BIG_VALUE);
  const sock = await connectSocket(port);
  try {
    const set = async (): Promise<void> => {
      const reply = readExactly(sock, 5);
      sock.write(`*3\r\n$3\r\nSET\r\n$9\r\nbench:big\r\n$${BIG_VALUE}\r\n`);
      sock.write(bigValue!);
      sock.write('\r\n');
      if ((await reply).toString('latin1') !== '+OK\r\n') throw new Error('SET did not reply +OK');
    };
    if (get) await set();
    measure();
    for (let i = 0; i < count; i++) {
      if (!get) await set();
      else {
        const header = `$${BIG_VALUE}\r\n`;
        const reply = readExactly(sock, header.length + BIG_VALUE + 2);
        sock.write('*2\r\n$3\r\nGET\r\n$9\r\nbench:big\r\n');
        const got = await reply;
        if (!got.subarray(header.length, header.length + BIG_VALUE).equals(bigValue!)) throw new Error('GET returned other bytes');
      }
    }
  } finally {
    sock.destroy();
  }
}

/** `count` XADDs of 100,000 fields while another client PINGs every ms; returns the longest PING round trip (ms). */
async function bigXadd(port: number, count: number): Promise<number> {
  const args: string[] = ['XADD', 'big', '*'];
  for (let i = 0; i < 100_000; i++) args.push(`field:${i}`, `value:${i}`);
  const payload = encodeCommand(args);
  const pinger = await RespClient.connect(port);
  const writer = await RespClient.connect(port);
  let worst = 0;
  let stop = false;
  const pings = (async () => {
    while (!stop) {
      const t = nowUs();
      await pinger.call(['PING']);
      worst = Math.max(worst, (nowUs() - t) / 1000);
      await sleep(1);
    }
  })();
  await sleep(100);
  worst = 0;
  for (let i = 0; i < count; i++) {
    const r = await writer.send(payload);
    if (typeof r !== 'string') throw new Error(`XADD replied ${JSON.stringify(r)}`);
    await sleep(50);
  }
  stop = true;
  await pings;
  pinger.close();
  writer.close();
  return worst;
}

/** n `XADD key * f v` from `clients` connections, `pipeline` commands per write, each client waiting for its batch's replies. */
async function xaddLoad(port: number, key: string, n: number, clients: number, pipeline: number): Promise<void> {
  const conns = await Promise.all(Array.from({ length: clients }, () => RespClient.connect(port)));
  const one = encodeCommand(['XADD', key, '*', 'f', 'v']);
  const batch = Buffer.concat(Array.from({ length: pipeline }, () => one));
  let left = n;
  await Promise.all(
    conns.map(async (c) => {
      while (left > 0) {
        const k = Math.min(pipeline, left);
        left -= k;
        const r = await c.sendBatch(k === pipeline ? batch : batch.subarray(0, one.length * k), k);
        if (r instanceof RespError) throw new Error(`XADD: ${r.message}`);
      }
    }),
  );
  for (const c of conns) c.close();
  const len = await oneShot(port, ['XLEN', key]);
  if (len !== n) throw new Error(`xadd: XLEN ${String(len)}, expected ${n}`);
}

async function main(): Promise<void> {
  const what = process.argv[2];
  const arg = (name: string, d: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : d;
  };
  const runs = arg('--runs', 3);
  const n = arg('--n', 200_000);
  const kind = process.argv.includes('--redis') ? 'redis' : 'rivulet';
  const big = ['bigset', 'bigget', 'bigxadd'].includes(what);
  const isXadd = what === 'xadd' || what === 'xadd16';
  if (!['cg', 'cgio', 'fanout'].includes(what) && !big && !isXadd)
    throw new Error('usage: servercpu.js cg|cgio|fanout|bigset|bigget|bigxadd|xadd|xadd16 [--runs N] [--n N] [--clients N] [--warm N] [--aof everysec|always] [--redis]');
  const clients = arg('--clients', 50);
  const aofAt = process.argv.indexOf('--aof');
  const aof = aofAt > 0 ? (process.argv[aofAt + 1] as 'everysec' | 'always') : null;
  const figures: number[] = [];
  for (let r = 0; r < runs; r++) {
    const profDir = process.argv.includes('--prof') ? fs.mkdtempSync(path.join(os.tmpdir(), 'rivulet-prof-')) : null;
    const cgDir = process.argv.includes('--callgrind') ? fs.mkdtempSync(path.join(os.tmpdir(), 'rivulet-cg-')) : null;
    const wrapper = cgDir === null ? undefined : ['valgrind', '--tool=callgrind', '--smc-check=all-non-file', `--callgrind-out-file=${cgDir}/cg.out`, '--dump-line=no'];
    // Under callgrind V8 runs single-threaded (no concurrent compiler or GC helpers whose share varies with timing).
    const traceGc = process.argv.includes('--trace-gc');
    const nodeFlags = [
      ...(profDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', profDir]),
      ...(cgDir === null ? [] : ['--single-threaded']),
      ...(traceGc ? ['--trace-gc'] : []),
    ];
    const s = await startServer(kind, { nodeFlags, wrapper, timeoutMs: 600_000, ...(aof === null ? {} : { appendonly: true, appendfsync: aof }) });
    let from = 0;
    let to = 0;
    try {
      const pipeline = what === 'xadd16' ? 16 : 1;
      if (isXadd) {
        // Warm-up (not counted), also without callgrind: JIT compilation of the hot path.
        await xaddLoad(s.port, 'warm', arg('--warm', Math.min(n, 20_000)), clients, pipeline);
        await oneShot(s.port, ['DEL', 'warm']);
      } else if (what !== 'fanout' && !big) {
        await fill(s.port, n);
        const c = await RespClient.connect(s.port);
        await c.call(['XGROUP', 'CREATE', 'big', 'g', '0']);
        c.close();
      }
      const count = process.argv.includes('--n') ? n : 3;
      if (cgDir !== null && big) {
        if (what === 'bigxadd') await bigXadd(s.port, 1);
        else await bigSetGet(s.port, 1, what === 'bigget', () => {});
      } else if (cgDir !== null && !isXadd) {
        // Warm-up (not counted): the same work once, so that compiling the hot code is not in the count.
        if (what === 'fanout') await fanout(s, 10, 50);
        else {
          const w = await RespClient.connect(s.port);
          await w.call(['XGROUP', 'CREATE', 'big', 'w', '0']);
          w.close();
          if (what === 'cg') await drainRaw(s.port, 'big', 'w');
          else await drainIoredis(s.port, 'big', 'w');
        }
      }
      let before = 0;
      let t0 = 0;
      let stall = -1;
      const measure = (): void => {
        if (cgDir !== null) execFileSync('callgrind_control', ['--zero', String(s.pid)], { stdio: 'ignore' });
        before = cpuMs(s.pid);
        from = nowUs();
        t0 = Date.now();
      };
      if (what !== 'bigset' && what !== 'bigget') measure();
      if (what === 'bigset' || what === 'bigget') await bigSetGet(s.port, count, what === 'bigget', measure);
      else if (what === 'bigxadd') stall = await bigXadd(s.port, count);
      else if (what === 'cg') await drainRaw(s.port, 'big', 'g');
      else if (what === 'cgio') await drainIoredis(s.port, 'big', 'g');
      else if (isXadd) await xaddLoad(s.port, 'x', n, clients, pipeline);
      else await fanout(s, process.argv.includes('--n') ? n : 200, cgDir === null ? 0 : 50);
      to = nowUs();
      let used = cpuMs(s.pid) - before;
      let unit = 'ms CPU';
      if (cgDir !== null) {
        execFileSync('callgrind_control', ['--dump', String(s.pid)], { stdio: 'ignore' });
        used = callgrindTotal(cgDir);
        unit = 'M instructions';
      }
      figures.push(used);
      let extra = stall >= 0 ? `, longest PING ${stall.toFixed(1)} ms` : '';
      if (isXadd) extra += cgDir !== null ? `, ${((used * 1e6) / n).toFixed(0)} instructions per XADD` : `, ${((used * 1e3) / n).toFixed(2)} µs CPU per XADD`;
      process.stdout.write(`${kind} ${what} run ${r + 1}: server ${used.toFixed(0)} ${unit}, wall ${Date.now() - t0} ms${extra}\n`);
    } finally {
      // --trace-gc: the collections of the measured phase (V8 prints ms since the isolate started; kept whole here).
      if (traceGc) process.stdout.write(s.output().split('\n').filter((l) => /Scavenge|Mark-Compact|Mark-sweep/.test(l)).join('\n') + '\n');
      await s.stop();
    }
    if (cgDir !== null) fs.rmSync(cgDir, { recursive: true, force: true });
    if (profDir !== null) {
      const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
      if (file) {
        const profile = JSON.parse(fs.readFileSync(path.join(profDir, file), 'utf8')) as CpuProfile;
        process.stdout.write(formatSummary(summarise(profile, { fromUs: from, toUs: to }), 40) + '\n');
        process.stdout.write(busyStretches(profile, { fromUs: from, toUs: to }, 6) + '\n');
      }
      fs.rmSync(profDir, { recursive: true, force: true });
    }
  }
  figures.sort((a, b) => a - b);
  const unit = process.argv.includes('--callgrind') ? 'M instructions' : 'ms CPU';
  process.stdout.write(`${kind} ${what}: median server ${figures[figures.length >> 1].toFixed(0)} ${unit} over ${runs} runs\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
