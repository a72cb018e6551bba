/**
 * npm run bench [-- --quick] [-- --json out.json] [-- --only xadd,fanout] [-- --rounds N]
 *
 * Runs rivulet and (where installed) Debian's redis-server on this machine,
 * one at a time, alternating which goes first each round, and prints one
 * table of medians with the rivulet/redis ratio and the goal for each figure.
 * Not part of `npm test`.
 */
import fs from 'node:fs';
import os from 'node:os';
import { hasBinary, type Kind, type Running } from './servers.js';
import * as W from './workloads.js';
import * as F from './footprint.js';

interface MetricDef {
  key: string;
  label: string;
  unit: string;
  /** Which way is good: throughput up, latency/memory/time down. */
  better: 'higher' | 'lower';
  /** Goal on rivulet/redis: >= for 'higher', <= for 'lower'. */
  goalRatio?: number;
  /** Goal on rivulet's absolute value (ms). */
  goalAbs?: number;
  decimals?: number;
}

const METRICS: MetricDef[] = [
  { key: 'xadd_p1', label: 'XADD, 50 clients, unpipelined', unit: 'ops/s', better: 'higher', goalRatio: 1.0 },
  { key: 'xadd_p16', label: 'XADD, 50 clients, pipeline 16', unit: 'ops/s', better: 'higher', goalRatio: 0.6 },
  { key: 'xadd_p64', label: 'XADD, 50 clients, pipeline 64', unit: 'ops/s', better: 'higher' },
  { key: 'xadd_everysec', label: 'XADD, AOF everysec, 50 clients', unit: 'ops/s', better: 'higher' },
  { key: 'xadd_everysec_p16', label: 'XADD, AOF everysec, 50 clients, pipeline 16', unit: 'ops/s', better: 'higher', goalRatio: 0.6 },
  { key: 'xadd_always', label: 'XADD, AOF always, 50 clients, unpipelined', unit: 'ops/s', better: 'higher', goalRatio: 1.0 },
  { key: 'cg_entries', label: 'XREADGROUP COUNT 100 + XACK, 4 consumers (raw RESP)', unit: 'entries/s', better: 'higher' },
  { key: 'cg_ioredis', label: 'XREADGROUP COUNT 100 + XACK, 4 ioredis consumers', unit: 'entries/s', better: 'higher', goalRatio: 0.8 },
  { key: 'xrange_c100', label: 'XRANGE id + COUNT 100, 8 clients', unit: 'ops/s', better: 'higher', goalRatio: 0.8 },
  { key: 'fanout_p50', label: 'fan-out to 100 XREAD BLOCK, p50', unit: 'ms', better: 'lower', decimals: 3 },
  { key: 'fanout_p99', label: 'fan-out to 100 XREAD BLOCK, p99', unit: 'ms', better: 'lower', goalRatio: 1.5, decimals: 3 },
  { key: 'mem_fv_live', label: 'memory/entry `f v`, live bytes growth¹', unit: 'B', better: 'lower', goalRatio: 1.5, decimals: 1 },
  { key: 'mem_fv_usage', label: 'memory/entry `f v`, MEMORY USAGE', unit: 'B', better: 'lower', decimals: 1 },
  { key: 'mem_fv_used', label: 'memory/entry `f v`, INFO used_memory growth²', unit: 'B', better: 'lower', decimals: 1 },
  { key: 'mem_fv_rss', label: 'memory/entry `f v`, RSS growth³', unit: 'B', better: 'lower', decimals: 1 },
  { key: 'mem_fv_os_rss', label: 'memory/entry `f v`, RSS growth as the OS sees it⁷', unit: 'B', better: 'lower', goalRatio: 1.5, decimals: 1 },
  { key: 'mem_f4_live', label: 'memory/entry 4×50B, live bytes growth¹', unit: 'B', better: 'lower', goalRatio: 1.5, decimals: 1 },
  { key: 'mem_f4_usage', label: 'memory/entry 4×50B, MEMORY USAGE', unit: 'B', better: 'lower', decimals: 1 },
  { key: 'mem_f4_used', label: 'memory/entry 4×50B, INFO used_memory growth²', unit: 'B', better: 'lower', decimals: 1 },
  { key: 'mem_f4_rss', label: 'memory/entry 4×50B, RSS growth³', unit: 'B', better: 'lower', decimals: 1 },
  { key: 'eval_p1', label: "EVAL return redis.call('INCR',KEYS[1]), 50 clients", unit: 'ops/s', better: 'higher' },
  { key: 'evalsha_p1', label: 'EVALSHA of the same script, 50 clients', unit: 'ops/s', better: 'higher' },
  { key: 'bullmq_add', label: 'BullMQ: Queue.add, 50 in flight', unit: 'jobs/s', better: 'higher' },
  { key: 'bullmq_jobs', label: 'BullMQ: jobs processed, one Worker, concurrency 50', unit: 'jobs/s', better: 'higher' },
  { key: 'big_set_ms', label: 'one SET of 32 MB (request written → +OK read)', unit: 'ms', better: 'lower', goalRatio: 2.0, decimals: 1 },
  { key: 'big_get_ms', label: 'one GET of 32 MB (request written → last byte read)', unit: 'ms', better: 'lower', goalRatio: 2.0, decimals: 1 },
  { key: 'aof_load', label: 'AOF load (start → PONG, loading:0)', unit: 'ms', better: 'lower', goalRatio: 2.0 },
  { key: 'metrics_xadd_off', label: 'XADD, 50 clients, metrics endpoint off⁴', unit: 'ops/s', better: 'higher' },
  { key: 'metrics_xadd_on', label: 'XADD, 50 clients, /metrics scraped once a second⁴', unit: 'ops/s', better: 'higher' },
  { key: 'metrics_cost_pct', label: 'XADD throughput lost to scraping 1/s⁴', unit: '%', better: 'lower', goalAbs: 2, decimals: 1 },
  { key: 'metrics_scrape_ms', label: 'one scrape (100 streams with a group), event-loop time⁴', unit: 'ms', better: 'lower', decimals: 2 },
  { key: 'metrics_scrape_cpu_ms', label: 'one scrape (100 streams with a group), CPU time⁴', unit: 'ms', better: 'lower', decimals: 2 },
  { key: 'metrics_cpu_pct', label: 'CPU spent scraping at 1/s (of one core)⁴', unit: '%', better: 'lower', goalAbs: 2, decimals: 2 },
  { key: 't_lpush_p1', label: 'redis-benchmark LPUSH, unpipelined⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.8 },
  { key: 't_lpush_p16', label: 'redis-benchmark LPUSH, pipeline 16⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.5 },
  { key: 't_rpush_p1', label: 'redis-benchmark RPUSH, unpipelined⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.8 },
  { key: 't_rpush_p16', label: 'redis-benchmark RPUSH, pipeline 16⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.5 },
  { key: 't_lpop_p1', label: 'redis-benchmark LPOP, unpipelined⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.8 },
  { key: 't_lpop_p16', label: 'redis-benchmark LPOP, pipeline 16⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.5 },
  { key: 't_rpop_p1', label: 'redis-benchmark RPOP, unpipelined⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.8 },
  { key: 't_rpop_p16', label: 'redis-benchmark RPOP, pipeline 16⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.5 },
  { key: 't_sadd_p1', label: 'redis-benchmark SADD, unpipelined⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.8 },
  { key: 't_sadd_p16', label: 'redis-benchmark SADD, pipeline 16⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.5 },
  { key: 't_hset_p1', label: 'redis-benchmark HSET, unpipelined⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.8 },
  { key: 't_hset_p16', label: 'redis-benchmark HSET, pipeline 16⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.5 },
  { key: 't_spop_p1', label: 'redis-benchmark SPOP, unpipelined⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.8 },
  { key: 't_spop_p16', label: 'redis-benchmark SPOP, pipeline 16⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.5 },
  { key: 't_zadd_p1', label: 'redis-benchmark ZADD, unpipelined⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.8 },
  { key: 't_zadd_p16', label: 'redis-benchmark ZADD, pipeline 16⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.5 },
  { key: 't_zpopmin_p1', label: 'redis-benchmark ZPOPMIN, unpipelined⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.8 },
  { key: 't_zpopmin_p16', label: 'redis-benchmark ZPOPMIN, pipeline 16⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.5 },
  { key: 't_lrange_100_p1', label: 'redis-benchmark LRANGE_100, unpipelined⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.8 },
  { key: 't_lrange_100_p16', label: 'redis-benchmark LRANGE_100, pipeline 16⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.5 },
  { key: 't_lrange_300_p1', label: 'redis-benchmark LRANGE_300, unpipelined⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.8 },
  { key: 't_lrange_300_p16', label: 'redis-benchmark LRANGE_300, pipeline 16⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.5 },
  { key: 't_lrange_600_p1', label: 'redis-benchmark LRANGE_600, unpipelined⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.8 },
  { key: 't_lrange_600_p16', label: 'redis-benchmark LRANGE_600, pipeline 16⁵', unit: 'ops/s', better: 'higher', goalRatio: 0.5 },
  { key: 'conn_rss_per', label: '10,000 idle connections: RSS growth per connection⁶', unit: 'B', better: 'lower', goalRatio: 2.0 },
  { key: 'conn_live_per', label: '10,000 idle connections: live bytes per connection¹', unit: 'B', better: 'lower' },
  { key: 'conn_rss_total', label: '10,000 idle connections: total RSS', unit: 'MB', better: 'lower', decimals: 1 },
  { key: 'keys_rss_per', label: '1M small keys (SET key:N value:N): RSS growth per key', unit: 'B', better: 'lower', goalRatio: 2.0, decimals: 1 },
  { key: 'keys_live_per', label: '1M small keys: live bytes per key¹', unit: 'B', better: 'lower', decimals: 1 },
  { key: 'keys_rss_total', label: '1M small keys: total RSS', unit: 'MB', better: 'lower', decimals: 1 },
  { key: 'multi_rss_per', label: 'MULTI with 1M queued XADDs: RSS growth per queued command', unit: 'B', better: 'lower', goalRatio: 2.0, decimals: 1 },
  { key: 'multi_live_per', label: 'MULTI with 1M queued XADDs: live bytes per queued command¹', unit: 'B', better: 'lower', decimals: 1 },
  { key: 'multi_rss_total', label: 'MULTI with 1M queued XADDs: total RSS', unit: 'MB', better: 'lower', decimals: 1 },
  { key: 'bigxadd_stall', label: 'one XADD of 100,000 fields: longest PING of another client', unit: 'ms', better: 'lower', goalRatio: 2.0, decimals: 1 },
  { key: 'bigxadd_ms', label: 'one XADD of 100,000 fields: its own reply time', unit: 'ms', better: 'lower', decimals: 1 },
  { key: 'start_pong', label: 'empty start, AOF off: spawn → first PONG', unit: 'ms', better: 'lower', goalAbs: 100 },
];

interface Options {
  quick: boolean;
  json: string | null;
  only: Set<string> | null;
  rounds: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { quick: false, json: null, only: null, rounds: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--json') o.json = argv[++i];
    else if (a === '--only') o.only = new Set(argv[++i].split(','));
    else if (a === '--rounds') o.rounds = Number(argv[++i]);
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node dist/bench/run.js [--quick] [--json FILE] [--rounds N] [--only xadd,aof,big,bigvalue,fanout,scripting,bullmq,memory,rss,footprint,aofload,metrics,types,bigxadd]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!o.rounds) o.rounds = o.quick ? 1 : 3;
  return o;
}

/** samples[metric][kind] = values over rounds; na[metric][kind] = reason. */
const samples = new Map<string, Record<Kind, number[]>>();
const na = new Map<string, Partial<Record<Kind, string>>>();

function record(kind: Kind, figs: W.Figures): void {
  for (const [k, v] of Object.entries(figs)) {
    let s = samples.get(k);
    if (!s) samples.set(k, (s = { rivulet: [], redis: [] }));
    s[kind].push(v);
  }
}

function markNa(kind: Kind, keys: string[], reason: string): void {
  for (const k of keys) {
    const m = na.get(k) ?? {};
    m[kind] = reason;
    na.set(k, m);
  }
}

const onStart: W.StartListener = (kind: Kind, s: Running) => {
  // Every start handed to a listener is one with an empty data set (AOF restarts are timed separately);
  // the start-up figure counts those with the AOF off (an empty AOF still creates its directory and files).
  if (!s.appendonly) record(kind, { start_pong_all: s.pongMs });
};

function log(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** An error as one short line: its first line plus the last line of any server output it quotes. */
function oneLine(e: Error): string {
  const lines = e.message.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const text = lines.length > 1 ? `${lines[0]} ${lines[lines.length - 1]}` : lines[0] ?? String(e);
  return text.slice(0, 140);
}

async function attempt(kind: Kind, keys: string[], what: string, fn: () => Promise<W.Figures>): Promise<void> {
  // One retry: on a shared machine a start can fail while dist/ is being rebuilt.
  for (let attemptNo = 1; ; attemptNo++) {
    const t = Date.now();
    try {
      record(kind, await fn());
      log(`${what} on ${kind}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
      return;
    } catch (e) {
      const reason = oneLine(e as Error);
      if (attemptNo < 2) {
        log(`${what} on ${kind} failed (${reason}); retrying once`);
        continue;
      }
      log(`${what} on ${kind}: n/a (${reason})`);
      markNa(kind, keys, reason);
      return;
    }
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const sz = opts.quick ? W.QUICK : W.FULL;
  const kinds: Kind[] = ['rivulet'];
  const haveRedis = hasBinary('redis-server');
  if (haveRedis) kinds.push('redis');
  if (!hasBinary('redis-benchmark')) throw new Error('redis-benchmark is needed (apt-get install redis-tools)');
  const want = (name: string) => opts.only === null || opts.only.has(name);
  const started = Date.now();

  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 === 0 ? kinds : [...kinds].reverse();
    log(`round ${round + 1}/${opts.rounds} (${order.join(' then ')})`);
    for (const kind of want('xadd') ? order : []) await attempt(kind, ['xadd_p1', 'xadd_p16', 'xadd_p64'], 'XADD', () => W.xaddThroughput(kind, sz, onStart));
    for (const policy of ['everysec', 'always'] as const)
      for (const kind of want('aof') ? order : []) await attempt(kind, [`xadd_${policy}`], `XADD ${policy}`, () => W.xaddAof(kind, sz, policy, onStart));
    for (const kind of want('big') ? order : []) await attempt(kind, ['xrange_c100', 'cg_entries', 'cg_ioredis'], 'XRANGE + consumer group', () => W.bigStream(kind, sz, onStart));
    for (const kind of want('bigvalue') ? order : []) await attempt(kind, ['big_set_ms', 'big_get_ms'], 'SET/GET of 32 MB', () => W.bigValue(kind, sz, onStart));
    for (const kind of want('fanout') ? order : []) await attempt(kind, ['fanout_p50', 'fanout_p99'], 'fan-out', () => W.fanout(kind, sz, onStart));
    if (want('types')) {
      // Probed once per round on a fresh rivulet: a data type that is not there yet is skipped, not failed.
      const skip = await W.probeTypeTests(onStart).catch((e: Error) => {
        const reason = oneLine(e);
        return new Map(W.TYPE_TESTS.map((t) => [t.test, `probe failed: ${reason}`]));
      });
      for (const [test, reason] of skip) {
        if (round === 0) log(`skipping redis-benchmark -t ${test}: ${reason}`);
        for (const kind of kinds) markNa(kind, [`t_${test}_p1`, `t_${test}_p16`], reason);
      }
      const tests = W.TYPE_TESTS.map((t) => t.test).filter((t) => !skip.has(t));
      const keys = tests.flatMap((t) => [`t_${t}_p1`, `t_${t}_p16`]);
      if (tests.length) for (const kind of order) await attempt(kind, keys, 'redis-benchmark data-type tests', () => W.typeThroughput(kind, sz, tests, onStart));
    }
    if (want('metrics')) {
      const keys = ['metrics_xadd_off', 'metrics_xadd_on', 'metrics_cost_pct', 'metrics_scrape_ms', 'metrics_scrape_cpu_ms', 'metrics_cpu_pct'];
      await attempt('rivulet', keys, 'metrics overhead', () => W.metricsOverhead(sz, onStart));
      if (haveRedis) markNa('redis', keys, 'rivulet only');
    }
    for (const kind of want('scripting') ? order : []) await attempt(kind, ['eval_p1', 'evalsha_p1'], 'EVAL/EVALSHA', () => W.scripting(kind, sz, onStart));
    for (const kind of want('bullmq') ? order : []) await attempt(kind, ['bullmq_add', 'bullmq_jobs'], 'BullMQ', () => W.bullmq(kind, sz, onStart));
  }

  // Memory is deterministic enough for one round.
  for (const shape of ['fv', 'f4'] as const)
    for (const kind of want('memory') ? kinds : [])
      await attempt(kind, [`mem_${shape}_usage`, `mem_${shape}_live`, `mem_${shape}_used`, `mem_${shape}_rss`], `memory ${shape}`, () => W.memoryPerEntry(kind, sz, shape, onStart));

  // RSS growth as the OS sees it: servers started as users start them (no probe).
  for (const kind of want('rss') ? kinds : []) await attempt(kind, ['mem_fv_os_rss'], 'RSS growth', () => W.rssGrowth(kind, sz, onStart));

  // Footprint (footprint.ts): one round each, like the memory figures. `--only bigxadd` runs the stall row alone.
  for (const kind of want('footprint') || want('bigxadd') ? kinds : []) {
    if (want('footprint')) {
      await attempt(kind, ['conn_rss_per', 'conn_live_per', 'conn_rss_total'], 'idle connections', () => F.idleConnections(kind, sz, onStart));
      await attempt(kind, ['keys_rss_per', 'keys_live_per', 'keys_rss_total'], 'small keys', () => F.smallKeys(kind, sz, onStart));
      await attempt(kind, ['multi_rss_per', 'multi_live_per', 'multi_rss_total'], 'queued MULTI', () => F.queuedMulti(kind, sz, onStart));
    }
    await attempt(kind, ['bigxadd_stall', 'bigxadd_ms'], 'XADD of 100,000 fields', () => F.bigXadd(kind, sz, onStart));
  }

  if (want('aofload')) {
    const restarters = new Map<Kind, Awaited<ReturnType<typeof W.prepareAof>>>();
    for (const kind of kinds) {
      try {
        restarters.set(kind, await W.prepareAof(kind, sz, onStart));
      } catch (e) {
        const reason = oneLine(e as Error);
        log(`AOF write on ${kind}: n/a (${reason})`);
        markNa(kind, ['aof_load'], reason);
      }
    }
    for (let round = 0; round < opts.rounds; round++) {
      for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
        const r = restarters.get(kind);
        if (r) await attempt(kind, ['aof_load'], 'AOF load', async () => ({ aof_load: await r.restart() }));
      }
    }
    for (const r of restarters.values()) r.cleanup();
  }

  // Start to PONG: every fresh start of the run was sampled.
  const sp = samples.get('start_pong_all');
  if (sp) samples.set('start_pong', sp);

  const rows = METRICS.filter((m) => samples.has(m.key) || na.has(m.key)).map((m) => {
    const s = samples.get(m.key);
    const value = (k: Kind) => (s && s[k].length ? median(s[k]) : null);
    const riv = value('rivulet');
    const red = value('redis');
    const ratio = riv !== null && red !== null && red !== 0 ? riv / red : null;
    let goal = '';
    let pass: boolean | null = null;
    if (m.goalAbs !== undefined) {
      goal = `≤ ${m.goalAbs} ${m.unit}`;
      if (riv !== null) pass = riv <= m.goalAbs;
    } else if (m.goalRatio !== undefined) {
      goal = `${m.better === 'higher' ? '≥' : '≤'} ${m.goalRatio.toFixed(1)}×`;
      if (ratio !== null) pass = m.better === 'higher' ? ratio >= m.goalRatio : ratio <= m.goalRatio;
    }
    return {
      key: m.key,
      label: m.label,
      unit: m.unit,
      rivulet: riv,
      redis: red,
      ratio,
      goal,
      pass,
      samples: { rivulet: s?.rivulet ?? [], redis: s?.redis ?? [] },
      na: na.get(m.key) ?? {},
      decimals: m.decimals ?? 0,
    };
  });

  const fmt = (v: number | null, d: number, reason?: string) => (v === null ? `n/a${reason ? ` (${reason})` : ''}` : v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
  const table = [
    ['figure', 'unit', 'rivulet', haveRedis ? 'redis 7.0' : 'redis (not installed)', 'riv/redis', 'goal', ''],
    ...rows.map((r) => [
      r.label,
      r.unit,
      fmt(r.rivulet, r.decimals, r.na.rivulet),
      fmt(r.redis, r.decimals, r.na.redis),
      r.ratio === null ? '' : `${r.ratio.toFixed(2)}×`,
      r.goal,
      r.pass === null ? '' : r.pass ? 'ok' : 'MISS',
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const line = (row: string[]) => '| ' + row.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ') + ' |';
  const out = [line(table[0]), '|' + widths.map((w, i) => (i >= 2 && i <= 4 ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|', ...table.slice(1).map(line)];
  const secs = (Date.now() - started) / 1000;
  const header = `rivulet vs redis-server — ${opts.quick ? 'quick' : 'full'} run, ${opts.rounds} round(s), medians; ${os.cpus().length} cores, node ${process.version}; ${secs.toFixed(0)} s`;
  const notes = rows.some((r) => r.key.startsWith('mem_'))
    ? [
        '',
        '¹ rivulet: V8 heapUsed + external after a full GC (bench/memprobe.ts); redis: used_memory. The goal row.',
        '² rivulet reports heapUsed only (Buffers outside the V8 heap are not counted), before GC.',
        '³ rivulet: mostly V8 heap grown by the fill\'s garbage (a run trimmed to 1,000 entries grows RSS as much).',
      ]
    : [];
  if (rows.some((r) => r.key === 'mem_fv_os_rss'))
    notes.push('', `⁷ both servers started as users start them (no probe, no extra flags); VmRSS from /proc/<pid>/status before and ${W.RSS_SETTLE_MS / 1000} s after filling one stream with ${sz.rssEntries.toLocaleString('en-US')} XADD * f v (50 clients, -P 64).`);
  if (rows.some((r) => r.key.startsWith('metrics_')))
    notes.push('', '⁴ rivulet only: one server, the endpoint off and on (CONFIG SET metrics-port) in ABBA order twice, medians; the scrape times are the endpoint\'s own rivulet_metrics_scrape_duration_seconds and rivulet_metrics_scrape_cpu_seconds.');
  if (rows.some((r) => r.key.startsWith('t_')))
    notes.push('', '⁵ redis-benchmark -t <test> with its defaults (50 clients, its own keys), unpipelined and -P 16, AOF off on both servers; LRANGE_N fills the list with LPUSH first.');
  if (rows.some((r) => r.key.startsWith('conn_') || r.key.startsWith('keys_') || r.key.startsWith('multi_')))
    notes.push(
      '',
      '⁶ Footprint rows (bench/footprint.ts) are growth over the idle server, the goal rows; a Node process starts at tens of MB of RSS before its first client, which the total rows include.',
      '¹ (footprint) rivulet: V8 heapUsed + external after a full GC; redis: used_memory.',
    );
  process.stdout.write(`\n${header}\n\n${[...out, ...notes].join('\n')}\n`);

  if (opts.json) {
    fs.writeFileSync(opts.json, JSON.stringify({ header, quick: opts.quick, rounds: opts.rounds, seconds: secs, sizes: sz, rows }, null, 2) + '\n');
    log(`wrote ${opts.json}`);
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
