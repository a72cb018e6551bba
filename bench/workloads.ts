/**
 * The benchmark's workloads. Each one takes a server kind, starts the server
 * it needs (fresh, in a temp dir), measures, stops it, and returns named
 * figures. The runner (run.ts) calls them for both servers in alternating
 * order and takes medians.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { redisBenchmark, redisBenchmarkTests } from './rbench.js';
import { RespClient, RespError, parseInfo, type Reply } from './resp.js';
import { startServer, removeDir, sleep, type Kind, type Running, type StartOptions } from './servers.js';

export interface Sizes {
  xaddPlain: number;
  xaddP16: number;
  xaddP64: number;
  xaddEverysec: number;
  /** XADD requests with appendfsync everysec and -P 16. */
  xaddEverysecP16: number;
  xaddAlways: number;
  bigStream: number;
  xrangeOps: number;
  fanoutMessages: number;
  memoryEntries: number;
  aofEntries: number;
  /** Entries of the RSS-growth workload (a plain server, RSS read from /proc as the OS sees it). */
  rssEntries: number;
  /** Size of the one big SET/GET value (bytes) and how many times each is timed per server start. */
  bigValueBytes: number;
  bigValueRepeats: number;
  /** XADD requests per run of the metrics-overhead workload (long enough for several scrapes at 1/s). */
  xaddMetrics: number;
  /** Requests per redis-benchmark test for the data-type tests (LPUSH ... ZPOPMIN), unpipelined and -P 16. */
  typesP1: number;
  typesP16: number;
  /** The same for LRANGE_100/300/600 (each reply is 100-600 elements). */
  lrangeP1: number;
  lrangeP16: number;
  /** Footprint workloads (footprint.ts). */
  idleConnections: number;
  smallKeys: number;
  queuedCommands: number;
  bigXaddFields: number;
}

export const FULL: Sizes = {
  xaddPlain: 100_000,
  xaddP16: 400_000,
  xaddP64: 800_000,
  xaddEverysec: 100_000,
  xaddEverysecP16: 400_000,
  xaddAlways: 50_000,
  bigStream: 1_000_000,
  xrangeOps: 50_000,
  fanoutMessages: 200,
  memoryEntries: 1_000_000,
  aofEntries: 1_000_000,
  rssEntries: 1_000_000,
  bigValueBytes: 32 * 1024 * 1024,
  bigValueRepeats: 3,
  xaddMetrics: 400_000,
  typesP1: 50_000,
  typesP16: 200_000,
  lrangeP1: 10_000,
  lrangeP16: 20_000,
  idleConnections: 10_000,
  smallKeys: 1_000_000,
  queuedCommands: 1_000_000,
  bigXaddFields: 100_000,
};

export const QUICK: Sizes = {
  xaddPlain: 30_000,
  xaddP16: 100_000,
  xaddP64: 200_000,
  xaddEverysec: 30_000,
  xaddEverysecP16: 100_000,
  xaddAlways: 10_000,
  bigStream: 200_000,
  xrangeOps: 10_000,
  fanoutMessages: 50,
  memoryEntries: 200_000,
  aofEntries: 200_000,
  rssEntries: 200_000,
  bigValueBytes: 32 * 1024 * 1024,
  bigValueRepeats: 1,
  xaddMetrics: 150_000,
  typesP1: 10_000,
  typesP16: 40_000,
  lrangeP1: 2_000,
  lrangeP16: 4_000,
  idleConnections: 2_000,
  smallKeys: 200_000,
  queuedCommands: 200_000,
  bigXaddFields: 100_000,
};

export type Figures = Record<string, number>;

/** Called with every server start, so spawn → PONG is sampled on every fresh start. */
export type StartListener = (kind: Kind, s: Running) => void;

export class WorkloadError extends Error {}

async function withServer<T>(kind: Kind, opts: StartOptions, onStart: StartListener | null, fn: (s: Running) => Promise<T>): Promise<T> {
  const s = await startServer(kind, opts);
  onStart?.(kind, s);
  try {
    return await fn(s);
  } finally {
    await s.stop();
  }
}

export async function cmd(port: number, args: (string | number)[]): Promise<Reply> {
  const c = await RespClient.connect(port);
  try {
    const r = await c.call(args);
    if (r instanceof RespError) throw new WorkloadError(`${args[0]}: ${r.message}`);
    return r;
  } finally {
    c.close();
  }
}

async function xlen(port: number, key: string): Promise<number> {
  return (await cmd(port, ['XLEN', key])) as number;
}

/** redis-benchmark silently counts error replies: check the stream really grew. */
async function expectLength(port: number, key: string, n: number, what: string): Promise<number> {
  // redis-benchmark -P may send up to one pipeline more than -n (it counts whole batches).
  const len = await xlen(port, key);
  if (len < n || len > n + 64 * 50) throw new WorkloadError(`${what}: XLEN ${len}, expected ${n} (the server refused some commands)`);
  return len;
}

async function xaddRun(port: number, key: string, n: number, pipeline: number, clients = 50, fields: string[] = ['f', 'v'], id = '*'): Promise<number> {
  const r = await redisBenchmark(port, { clients, requests: n, pipeline, command: ['XADD', key, id, ...fields] });
  await expectLength(port, key, n, `XADD -P ${pipeline}`);
  return r.rps;
}

// ---------------------------------------------------------------------------

/** XADD throughput, 50 clients, unpipelined and pipelined 16/64, no AOF. */
export async function xaddThroughput(kind: Kind, sz: Sizes, onStart: StartListener): Promise<Figures> {
  return withServer(kind, {}, onStart, async (s) => {
    const out: Figures = {};
    out.xadd_p1 = await xaddRun(s.port, 'bench:p1', sz.xaddPlain, 1);
    await cmd(s.port, ['DEL', 'bench:p1']);
    out.xadd_p16 = await xaddRun(s.port, 'bench:p16', sz.xaddP16, 16);
    await cmd(s.port, ['DEL', 'bench:p16']);
    out.xadd_p64 = await xaddRun(s.port, 'bench:p64', sz.xaddP64, 64);
    return out;
  });
}

/**
 * XADD throughput with appendonly yes and the given fsync policy, 50 clients:
 * unpipelined, and for everysec also with -P 16.
 */
export async function xaddAof(kind: Kind, sz: Sizes, policy: 'everysec' | 'always', onStart: StartListener): Promise<Figures> {
  return withServer(kind, { appendonly: true, appendfsync: policy }, onStart, async (s) => {
    const info = parseInfo(await cmd(s.port, ['INFO', 'persistence']));
    if (info.get('aof_enabled') !== '1') throw new WorkloadError(`INFO persistence says aof_enabled:${info.get('aof_enabled')}`);
    const n = policy === 'always' ? sz.xaddAlways : sz.xaddEverysec;
    const out: Figures = { [`xadd_${policy}`]: await xaddRun(s.port, 'bench:aof', n, 1) };
    if (policy === 'everysec') out.xadd_everysec_p16 = await xaddRun(s.port, 'bench:aof16', sz.xaddEverysecP16, 16);
    return out;
  });
}

/** Fills a stream with `1-*` IDs so that redis-benchmark's __rand_int__ can address random positions. */
async function fillSeqStream(port: number, key: string, n: number): Promise<number> {
  await redisBenchmark(port, { clients: 50, requests: n, pipeline: 64, command: ['XADD', key, '1-*', 'f', 'v'] });
  return expectLength(port, key, n, 'fill');
}

/**
 * On one 1M-entry stream: XRANGE key 1-<random> + COUNT 100 (8 clients), then
 * a consumer group read+ack of the whole stream by 4 consumers.
 */
export async function bigStream(kind: Kind, sz: Sizes, onStart: StartListener): Promise<Figures> {
  return withServer(kind, {}, onStart, async (s) => {
    const key = 'bench:big';
    const len = await fillSeqStream(s.port, key, sz.bigStream);
    const xr = await redisBenchmark(s.port, {
      clients: 8,
      requests: sz.xrangeOps,
      randomRange: sz.bigStream,
      command: ['XRANGE', key, '1-__rand_int__', '+', 'COUNT', '100'],
    });
    const cg = await consumerGroup(s.port, key, len, 4);
    // The same drain again, by a second group read with ioredis clients (what users run).
    const cgIo = await consumerGroupIoredis(s.port, key, len, 4);
    return { xrange_c100: xr.rps, cg_entries: cg, cg_ioredis: cgIo };
  });
}

/** 4 consumers: XREADGROUP COUNT 100 then XACK of what was read, until the group is drained. Returns entries acked per second. */
async function consumerGroup(port: number, key: string, total: number, consumers: number): Promise<number> {
  await cmd(port, ['XGROUP', 'CREATE', key, 'g', '0']);
  const clients = await Promise.all(Array.from({ length: consumers }, () => RespClient.connect(port)));
  let acked = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    clients.map(async (c, i) => {
      const name = `c${i}`;
      for (;;) {
        const r = await c.call(['XREADGROUP', 'GROUP', 'g', name, 'COUNT', '100', 'STREAMS', key, '>']);
        if (r instanceof RespError) throw new WorkloadError(`XREADGROUP: ${r.message}`);
        if (r === null) return;
        const entries = ((r as Reply[])[0] as Reply[])[1] as Reply[][];
        if (entries.length === 0) return;
        const args: string[] = ['XACK', key, 'g'];
        for (const e of entries) args.push(e[0] as string);
        const n = await c.call(args);
        if (typeof n !== 'number') throw new WorkloadError(`XACK: ${n instanceof RespError ? n.message : String(n)}`);
        acked += n;
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const c of clients) c.close();
  if (acked !== total) throw new WorkloadError(`consumer group acked ${acked} of ${total}`);
  return acked / secs;
}

/**
 * As consumerGroup, with ioredis clients (default options: replies decoded to
 * strings, commands sent as they are issued): group `gi`, XREADGROUP COUNT 100
 * then XACK of the IDs read, until the group is drained. Entries acked per second.
 */
async function consumerGroupIoredis(port: number, key: string, total: number, consumers: number): Promise<number> {
  const { Redis } = await import('ioredis');
  await cmd(port, ['XGROUP', 'CREATE', key, 'gi', '0']);
  const clients = Array.from({ length: consumers }, () => new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    let acked = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      clients.map(async (c, i) => {
        const name = `c${i}`;
        for (;;) {
          const r = (await c.xreadgroup('GROUP', 'gi', name, 'COUNT', 100, 'STREAMS', key, '>')) as [string, [string, string[]][]][] | null;
          if (r === null || r[0][1].length === 0) return;
          const ids = r[0][1].map((e) => e[0]);
          // Not `acked += await ...`: that reads `acked` before the await and loses the other consumers' counts.
          const n = await c.xack(key, 'gi', ...ids);
          acked += n;
        }
      }),
    );
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    if (acked !== total) throw new WorkloadError(`consumer group (ioredis) acked ${acked} of ${total}`);
    return acked / secs;
  } finally {
    for (const c of clients) c.disconnect();
  }
}

/**
 * Fan-out: 100 clients blocked in XREAD BLOCK 0 on one stream, one producer.
 * Each XADD is sent only once all 100 are blocked again (INFO clients
 * blocked_clients), and latency runs from just before the XADD is written to
 * the moment each reader has parsed its reply.
 */
export async function fanout(kind: Kind, sz: Sizes, onStart: StartListener): Promise<Figures> {
  return withServer(kind, {}, onStart, async (s) => {
    const key = 'bench:fan';
    const readers = 100;
    const conns = await Promise.all(Array.from({ length: readers }, () => RespClient.connect(s.port)));
    const producer = await RespClient.connect(s.port);
    const control = await RespClient.connect(s.port);
    const samples: number[] = [];
    let sentAt = 0n;
    let delivered = 0;
    let allDelivered: (() => void) | null = null;
    let stop = false;
    const loops = conns.map(async (c) => {
      let last = '$';
      for (;;) {
        const r = await c.call(['XREAD', 'BLOCK', '0', 'STREAMS', key, last]);
        if (stop) return;
        if (r instanceof RespError || r === null) throw new WorkloadError(`XREAD: ${r instanceof RespError ? r.message : 'nil'}`);
        samples.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
        const entries = ((r as Reply[])[0] as Reply[])[1] as Reply[][];
        last = entries[entries.length - 1][0] as string;
        if (++delivered === readers) allDelivered?.();
      }
    });
    for (let m = 0; m < sz.fanoutMessages; m++) {
      // Wait until every reader is blocked again.
      for (let tries = 0; ; tries++) {
        const info = parseInfo(await control.call(['INFO', 'clients']));
        const blocked = Number(info.get('blocked_clients') ?? NaN);
        if (Number.isNaN(blocked)) throw new WorkloadError('INFO clients has no blocked_clients');
        if (blocked >= readers) break;
        if (tries > 20_000) throw new WorkloadError(`only ${blocked} readers blocked`);
        await sleep(0);
      }
      delivered = 0;
      const done = new Promise<void>((r) => (allDelivered = r));
      sentAt = process.hrtime.bigint();
      await producer.call(['XADD', key, '*', 'n', String(m)]);
      await done;
    }
    stop = true;
    for (const c of conns) c.close();
    await Promise.allSettled(loops);
    producer.close();
    control.close();
    samples.sort((a, b) => a - b);
    const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))];
    if (process.env.FAN_DEBUG) process.stderr.write(`p50 ${pct(50).toFixed(2)} p90 ${pct(90).toFixed(2)} p95 ${pct(95).toFixed(2)} p98 ${pct(98).toFixed(2)} p99 ${pct(99).toFixed(2)} p99.5 ${pct(99.5).toFixed(2)} max ${samples[samples.length - 1].toFixed(2)}\n`);
    return { fanout_p50: pct(50), fanout_p99: pct(99) };
  });
}

export const MEMPROBE = fileURLToPath(new URL('./memprobe.js', import.meta.url));

interface MemorySnapshot {
  /** INFO used_memory */
  used: number;
  /** INFO used_memory_rss */
  rss: number;
  /** Live bytes after a full GC: rivulet's heapUsed + external (memprobe); Redis's used_memory. */
  live: number;
}

/** Memory now; `rssAfterGc` reads RSS after rivulet's full GC (garbage a fill left is not counted as held). */
export async function memorySnapshot(s: Running, rssAfterGc = false): Promise<MemorySnapshot> {
  const m = parseInfo(await cmd(s.port, ['INFO', 'memory']));
  const used = Number(m.get('used_memory'));
  const rss = Number(m.get('used_memory_rss'));
  if (s.kind !== 'rivulet') return { used, rss, live: used };
  const seen = s.output().length;
  s.signal('SIGUSR2');
  for (let i = 0; i < 500; i++) {
    const line = /MEMPROBE (\{.*\})/.exec(s.output().slice(seen));
    if (line) {
      const p = JSON.parse(line[1]) as { gc: boolean; heapUsed: number; external: number; rss: number };
      if (!p.gc) throw new WorkloadError('memprobe ran without --expose-gc');
      return { used, rss: rssAfterGc ? p.rss : rss, live: p.heapUsed + p.external };
    }
    await sleep(10);
  }
  throw new WorkloadError('memprobe did not answer');
}

/**
 * Memory per entry after filling one stream with n entries of the given
 * fields: MEMORY USAGE (SAMPLES 0 = exact), used_memory growth and RSS growth.
 */
export async function memoryPerEntry(kind: Kind, sz: Sizes, shape: 'fv' | 'f4', _onStart: StartListener): Promise<Figures> {
  const probe = kind === 'rivulet' ? { nodeFlags: ['--expose-gc', '--import', MEMPROBE] } : {};
  return withServer(kind, probe, null, async (s) => {
    const n = sz.memoryEntries;
    const key = `bench:mem:${shape}`;
    // ~50-byte values; __rand_int__ (with -r) makes each value different, as real data is.
    const v50 = (tag: string) => `${tag}-__rand_int__-${'x'.repeat(50 - tag.length - 14)}`;
    const fields = shape === 'fv' ? ['f', 'v'] : ['name', v50('n'), 'email', v50('e'), 'payload', v50('p'), 'source', v50('s')];
    await sleep(200);
    const before = await memorySnapshot(s);
    await redisBenchmark(s.port, { clients: 50, requests: n, pipeline: 64, randomRange: 1_000_000_000, command: ['XADD', key, '*', ...fields] });
    await expectLength(s.port, key, n, 'memory fill');
    await sleep(1000); // let a lazy sweeper / allocator settle a little
    const after = await memorySnapshot(s);
    const usage = (await cmd(s.port, ['MEMORY', 'USAGE', key, 'SAMPLES', '0'])) as number;
    const len = await xlen(s.port, key);
    return {
      [`mem_${shape}_usage`]: usage / len,
      [`mem_${shape}_live`]: (after.live - before.live) / len,
      [`mem_${shape}_used`]: (after.used - before.used) / len,
      [`mem_${shape}_rss`]: (after.rss - before.rss) / len,
    };
  });
}

/** The resident set size of a process as the OS sees it (VmRSS in /proc/<pid>/status), in bytes. */
function osRss(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'));
  if (!m) throw new WorkloadError(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/**
 * RSS growth per entry as the OS sees it: a server started as users start it
 * (no probes, no extra flags), VmRSS before and after filling one stream with
 * n `f v` entries (50 clients, -P 64), read after a short idle pause (what a
 * server gives back once the fill is over counts).
 */
export async function rssGrowth(kind: Kind, sz: Sizes, onStart: StartListener): Promise<Figures> {
  return withServer(kind, {}, onStart, async (s) => {
    const key = 'bench:rss';
    await sleep(500);
    const before = osRss(s.pid);
    await redisBenchmark(s.port, { clients: 50, requests: sz.rssEntries, pipeline: 64, command: ['XADD', key, '*', 'f', 'v'] });
    const len = await expectLength(s.port, key, sz.rssEntries, 'RSS fill');
    await sleep(RSS_SETTLE_MS);
    return { mem_fv_os_rss: (osRss(s.pid) - before) / len };
  });
}
/** Idle time after the fill before RSS is read. */
export const RSS_SETTLE_MS = 3000;

let bigValueCache: Buffer | null = null;

/** Resolves once `sock` has delivered exactly `n` more bytes, returned as one Buffer (linear: one preallocated buffer). */
export function readExactly(sock: net.Socket, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out = Buffer.allocUnsafe(n);
    let got = 0;
    const onData = (chunk: Buffer): void => {
      if (got + chunk.length > n) {
        done(new WorkloadError(`read ${got + chunk.length} bytes, expected ${n}`));
        return;
      }
      chunk.copy(out, got);
      got += chunk.length;
      if (got === n) done(null);
    };
    const onClose = (): void => done(new WorkloadError(`connection closed after ${got} of ${n} bytes`));
    const done = (err: Error | null): void => {
      sock.off('data', onData);
      sock.off('close', onClose);
      if (err) reject(err);
      else resolve(out);
    };
    sock.on('data', onData);
    sock.on('close', onClose);
  });
}

/**
 * One SET and one GET of a 32 MB value over a raw socket: the time from
 * writing the first byte of the request to reading the last byte of the
 * reply (the value is random bytes; the GET's bytes are compared with it).
 * Medians of `bigValueRepeats` pairs on one server start.
 */
export async function bigValue(kind: Kind, sz: Sizes, onStart: StartListener): Promise<Figures> {
  const n = sz.bigValueBytes;
  if (bigValueCache === null || bigValueCache.length !== n) bigValueCache = crypto.randomBytes(n);
  const value = bigValueCache;
  return withServer(kind, {}, onStart, async (s) => {
    const sock = net.connect(s.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    sock.setNoDelay(true);
    try {
      const setMs: number[] = [];
      const getMs: number[] = [];
      const okReply = Buffer.from('+OK\r\n');
      const getHeader = Buffer.from(`$${n}\r\n`);
      for (let i = 0; i < sz.bigValueRepeats; i++) {
        const key = `bench:big:${i}`;
        let t0 = performance.now();
        let reply = readExactly(sock, okReply.length);
        sock.write(`*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${n}\r\n`);
        sock.write(value);
        sock.write('\r\n');
        const ok = await reply;
        setMs.push(performance.now() - t0);
        if (!ok.equals(okReply)) throw new WorkloadError(`SET replied ${JSON.stringify(ok.toString('latin1'))}`);
        t0 = performance.now();
        reply = readExactly(sock, getHeader.length + n + 2);
        sock.write(`*2\r\n$3\r\nGET\r\n$${key.length}\r\n${key}\r\n`);
        const got = await reply;
        getMs.push(performance.now() - t0);
        if (!got.subarray(0, getHeader.length).equals(getHeader) || !got.subarray(getHeader.length, getHeader.length + n).equals(value)) {
          throw new WorkloadError('GET returned other bytes than were SET');
        }
        await cmd(s.port, ['DEL', key]);
      }
      const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
      return { big_set_ms: med(setMs), big_get_ms: med(getMs) };
    } finally {
      sock.destroy();
    }
  });
}

/**
 * AOF load: write an AOF of n XADDs with the server itself (appendonly yes,
 * appendfsync no), stop it gracefully, and return a restarter that times
 * spawn → PONG with loading:0, checking the data came back.
 */
export async function prepareAof(kind: Kind, sz: Sizes, onStart: StartListener): Promise<{ restart: () => Promise<number>; cleanup: () => void }> {
  const s = await startServer(kind, { appendonly: true, appendfsync: 'no' });
  onStart(kind, s);
  const dir = s.dir;
  try {
    const info = parseInfo(await cmd(s.port, ['INFO', 'persistence']));
    if (info.get('aof_enabled') !== '1') throw new WorkloadError(`INFO persistence says aof_enabled:${info.get('aof_enabled')}`);
    await redisBenchmark(s.port, { clients: 50, requests: sz.aofEntries, pipeline: 64, command: ['XADD', 'bench:aof', '*', 'f', 'v'] });
    await expectLength(s.port, 'bench:aof', sz.aofEntries, 'AOF fill');
  } catch (e) {
    await s.stop();
    throw e;
  }
  await s.stop({ keepDir: true });
  return {
    async restart() {
      const r = await startServer(kind, { appendonly: true, appendfsync: 'no', dir });
      try {
        const len = await xlen(r.port, 'bench:aof');
        if (len !== sz.aofEntries) throw new WorkloadError(`after restart XLEN is ${len}, expected ${sz.aofEntries}`);
        return r.readyMs;
      } finally {
        await r.stop({ keepDir: true });
      }
    },
    cleanup: () => removeDir(dir),
  };
}

/**
 * What scraping the metrics endpoint once a second costs XADD: one rivulet
 * with 100 streams that have a group and two consumers each (so a scrape has
 * real work), XADD 50 clients unpipelined in runs of `n` requests, the
 * endpoint off and on (CONFIG SET metrics-port) in ABBA order twice, and
 * while on, a GET /metrics every second. Also reports the endpoint's own
 * figures for one scrape: event-loop (wall) time and CPU time.
 */
export async function metricsOverhead(sz: Sizes, onStart: StartListener): Promise<Figures> {
  const { freePort } = await import('./servers.js');
  return withServer('rivulet', {}, onStart, async (s) => {
    const c = await RespClient.connect(s.port);
    try {
      for (let i = 0; i < 100; i++) {
        const key = `bench:m:${i}`;
        for (let j = 0; j < 20; j++) await c.call(['XADD', key, '*', 'f', String(j)]);
        await c.call(['XGROUP', 'CREATE', key, 'g', '0']);
        await c.call(['XREADGROUP', 'GROUP', 'g', 'a', 'COUNT', '5', 'STREAMS', key, '>']);
        await c.call(['XREADGROUP', 'GROUP', 'g', 'b', 'COUNT', '5', 'STREAMS', key, '>']);
      }
      const port = await freePort();
      const off: number[] = [];
      const on: number[] = [];
      const scrapeMs: number[] = [];
      const scrapeCpuMs: number[] = [];
      const run = async (metrics: boolean): Promise<void> => {
        await c.call(['DEL', 'bench:metrics']);
        let timer: NodeJS.Timeout | null = null;
        if (metrics) {
          const r = await c.call(['CONFIG', 'SET', 'metrics-port', String(port)]);
          if (r instanceof RespError) throw new WorkloadError(`CONFIG SET metrics-port: ${r.message}`);
          await sleep(300);
          const scrape = async (): Promise<void> => {
            const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
            const m = /^rivulet_metrics_scrape_duration_seconds ([\d.e+-]+)$/m.exec(text);
            if (m && Number(m[1]) > 0) scrapeMs.push(Number(m[1]) * 1000);
            const cpu = /^rivulet_metrics_scrape_cpu_seconds ([\d.e+-]+)$/m.exec(text);
            if (cpu && Number(cpu[1]) > 0) scrapeCpuMs.push(Number(cpu[1]) * 1000);
          };
          await scrape();
          timer = setInterval(() => void scrape().catch(() => undefined), 1000);
        }
        try {
          (metrics ? on : off).push(await xaddRun(s.port, 'bench:metrics', sz.xaddMetrics, 1));
        } finally {
          if (timer) clearInterval(timer);
          if (metrics) await c.call(['CONFIG', 'SET', 'metrics-port', '0']);
        }
      };
      for (let rep = 0; rep < 2; rep++) for (const m of [false, true, true, false]) await run(m);
      const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
      const offM = (med(off) + [...off].sort((a, b) => a - b)[(off.length - 1) >> 1]) / 2;
      const onM = (med(on) + [...on].sort((a, b) => a - b)[(on.length - 1) >> 1]) / 2;
      return {
        metrics_xadd_off: offM,
        metrics_xadd_on: onM,
        metrics_cost_pct: Math.max(0, ((offM - onM) / offM) * 100),
        metrics_scrape_ms: scrapeMs.length ? med(scrapeMs) : 0,
        metrics_scrape_cpu_ms: scrapeCpuMs.length ? med(scrapeCpuMs) : 0,
        metrics_cpu_pct: scrapeCpuMs.length ? med(scrapeCpuMs) / 10 : 0,
      };
    } finally {
      c.close();
    }
  });
}

// ---------------------------------------------------------------------------

/**
 * redis-benchmark's default tests for lists, sets, hashes and sorted sets
 * (-t names), each with one command that tells whether the server knows it.
 */
export const TYPE_TESTS: { test: string; probe: string[] }[] = [
  { test: 'lpush', probe: ['LPUSH', 'bench:probe:l', 'x'] },
  { test: 'rpush', probe: ['RPUSH', 'bench:probe:l', 'x'] },
  { test: 'lpop', probe: ['LPOP', 'bench:probe:l'] },
  { test: 'rpop', probe: ['RPOP', 'bench:probe:l'] },
  { test: 'sadd', probe: ['SADD', 'bench:probe:s', 'x'] },
  { test: 'hset', probe: ['HSET', 'bench:probe:h', 'f', 'v'] },
  { test: 'spop', probe: ['SPOP', 'bench:probe:s'] },
  { test: 'zadd', probe: ['ZADD', 'bench:probe:z', '1', 'x'] },
  { test: 'zpopmin', probe: ['ZPOPMIN', 'bench:probe:z'] },
  { test: 'lrange_100', probe: ['LRANGE', 'bench:probe:l', '0', '99'] },
  { test: 'lrange_300', probe: ['LRANGE', 'bench:probe:l', '0', '299'] },
  { test: 'lrange_600', probe: ['LRANGE', 'bench:probe:l', '0', '599'] },
];

/**
 * Starts a rivulet and sends each test's probe command: the tests it answers
 * with "unknown command" are returned with that error as the reason to skip
 * them (for both servers, so the table compares like with like).
 */
export async function probeTypeTests(onStart: StartListener): Promise<Map<string, string>> {
  return withServer('rivulet', {}, onStart, async (s) => {
    const skip = new Map<string, string>();
    const c = await RespClient.connect(s.port);
    try {
      for (const t of TYPE_TESTS) {
        const r = await c.call(t.probe);
        if (r instanceof RespError && /unknown command/i.test(r.message)) skip.set(t.test, `rivulet: unknown command ${t.probe[0]}`);
        else if (r instanceof RespError) throw new WorkloadError(`${t.probe.join(' ')}: ${r.message}`);
      }
    } finally {
      c.close();
    }
    return skip;
  });
}

/**
 * The given redis-benchmark tests with its defaults (50 clients, its own keys
 * and values), unpipelined then with -P 16 after a FLUSHALL, AOF off.
 * Figures: t_<test>_p1 and t_<test>_p16 in requests per second.
 */
export async function typeThroughput(kind: Kind, sz: Sizes, tests: string[], onStart: StartListener): Promise<Figures> {
  return withServer(kind, {}, onStart, async (s) => {
    const out: Figures = {};
    const plain = tests.filter((t) => !t.startsWith('lrange_'));
    const lrange = tests.filter((t) => t.startsWith('lrange_'));
    for (const [pipeline, nPlain, nRange] of [
      [1, sz.typesP1, sz.lrangeP1],
      [16, sz.typesP16, sz.lrangeP16],
    ] as const) {
      await cmd(s.port, ['FLUSHALL']);
      for (const [group, n] of [
        [plain, nPlain],
        [lrange, nRange],
      ] as const) {
        if (!group.length) continue;
        const r = await redisBenchmarkTests(s.port, { clients: 50, requests: n, pipeline, tests: [...group] });
        for (const [t, res] of r) out[`t_${t}_p${pipeline}`] = res.rps;
      }
    }
    return out;
  });
}

// ---------------------------------------------------------------------------
// Scripting

export const INCR_SCRIPT = "return redis.call('INCR', KEYS[1])";

/** EVAL and EVALSHA of `return redis.call('INCR', KEYS[1])`, 50 clients unpipelined (redis-benchmark). */
export async function scripting(kind: Kind, sz: Sizes, onStart: StartListener): Promise<Figures> {
  return withServer(kind, {}, onStart, async (s) => {
    const n = sz.xaddPlain;
    const sha = (await cmd(s.port, ['SCRIPT', 'LOAD', INCR_SCRIPT])) as string;
    const evalRps = (await redisBenchmark(s.port, { clients: 50, requests: n, command: ['EVAL', INCR_SCRIPT, '1', 'bench:eval'] })).rps;
    const shaRps = (await redisBenchmark(s.port, { clients: 50, requests: n, command: ['EVALSHA', sha, '1', 'bench:evalsha'] })).rps;
    for (const key of ['bench:eval', 'bench:evalsha']) {
      const v = Number(await cmd(s.port, ['GET', key]));
      if (v < n) throw new WorkloadError(`${key} is ${v} after ${n} scripts (some failed)`);
    }
    return { eval_p1: evalRps, evalsha_p1: shaRps };
  });
}

/**
 * BullMQ jobs/s, in two timed phases on one queue: N jobs added one by one with
 * Queue.add, 50 adds in flight (the producer side: BullMQ's addStandardJob
 * script per job), then one Worker with concurrency 50 and an empty processor
 * takes them all (moveToActive + moveToFinished scripts per job); each figure is
 * jobs per second of its phase.
 */
export async function bullmq(kind: Kind, sz: Sizes, onStart: StartListener): Promise<Figures> {
  const { Queue, Worker } = await import('bullmq');
  return withServer(kind, {}, onStart, async (s) => {
    const connection = { host: '127.0.0.1', port: s.port };
    const jobs = sz === QUICK ? 2000 : 5000;
    const inFlight = 50;
    const q = new Queue('bench', { connection });
    try {
      await q.waitUntilReady();
      let next = 0;
      const a0 = performance.now();
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < jobs) {
            const i = next++;
            await q.add('j', { i });
          }
        }),
      );
      const addRate = jobs / ((performance.now() - a0) / 1000);
      const waiting = await q.getWaitingCount();
      if (waiting !== jobs) throw new WorkloadError(`${waiting} jobs waiting after ${jobs} adds`);
      let done = 0;
      const t0 = performance.now();
      const finished = new Promise<void>((resolve, reject) => {
        const w = new Worker('bench', async () => undefined, { connection, concurrency: 50 });
        w.on('completed', () => {
          if (++done === jobs) w.close().then(() => resolve(), reject);
        });
        w.on('error', reject);
      });
      await Promise.race([finished, sleep(120_000).then(() => Promise.reject(new WorkloadError(`only ${done}/${jobs} jobs done in 120 s`)))]);
      return { bullmq_add: addRate, bullmq_jobs: jobs / ((performance.now() - t0) / 1000) };
    } finally {
      await q.close();
    }
  });
}
