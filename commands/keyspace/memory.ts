/** MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE and HELP (V8's figures where Redis shows jemalloc's). */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { keyOverhead } from '../../lib/types/string.js';
import { typeOf } from '../../lib/types/registry.js';
import { helpLines, writeHelp, type HelpEntry } from '../../lib/help.js';
import type { Session } from '../../lib/engine/session.js';
import { STARTUP_BYTES } from '../../lib/memory.js';

/** node:v8, taken on the first MEMORY STATS/DOCTOR/MALLOC-STATS rather than imported: loading it costs every start-up (bench/PROFILE.md). */
const v8 = (): typeof import('node:v8') => process.getBuiltinModule('node:v8');

const statsSub = {
  flags: [] as CommandSpec['flags'],
  acl: ['slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  since: '4.0.0',
  group: 'server',
  tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
};

/** The highest used_memory MEMORY STATS has seen, per server (peak.allocated). */
const peaks = new WeakMap<object, number>();

/**
 * MEMORY STATS with Redis 7.4's field names: the used_memory accounting of
 * lib/memory.ts where Redis counts its allocations, V8's heap where Redis
 * shows jemalloc's figures (allocator.*), and the process RSS.
 */
function memoryStats(c: Session): void {
  const server = c.server;
  const used = server.usedMemory();
  const peak = Math.max(used, peaks.get(server) ?? 0);
  peaks.set(server, peak);
  const clients = server.clientsMemory();
  const m = process.memoryUsage();
  const dbs = server.dbs.filter((d) => d.size > 0);
  let keys = 0;
  let overhead = STARTUP_BYTES + clients;
  const perDb: [number, number, number][] = [];
  for (const d of dbs) {
    // Redis's dict overhead: a bucket pointer and a dictEntry (24 bytes) per key, and the same for expires.
    const main = d.size * 32;
    const expires = d.expires.size * 32;
    perDb.push([d.id, main, expires]);
    overhead += main + expires;
    keys += d.size;
  }
  const dataset = Math.max(0, used - overhead);
  const fields: [string, number | string][] = [
    ['peak.allocated', peak],
    ['total.allocated', used],
    ['startup.allocated', STARTUP_BYTES],
    ['replication.backlog', 0],
    ['clients.slaves', 0],
    ['clients.normal', clients],
    ['cluster.links', 0],
    ['aof.buffer', 0],
    ['lua.caches', 0],
    ['functions.caches', 0],
  ];
  const tail: [string, number | string][] = [
    ['overhead.db.hashtable.lut', 0],
    ['overhead.db.hashtable.rehashing', 0],
    ['overhead.total', overhead],
    ['db.dict.rehashing.count', 0],
    ['keys.count', keys],
    ['keys.bytes-per-key', keys > 0 ? Math.floor((used - STARTUP_BYTES) / keys) : 0],
    ['dataset.bytes', dataset],
    ['dataset.percentage', used > STARTUP_BYTES ? (dataset * 100) / (used - STARTUP_BYTES) : 0],
    ['peak.percentage', (used * 100) / peak],
    ['allocator.allocated', m.heapUsed + m.external],
    ['allocator.active', m.heapTotal + m.external],
    ['allocator.resident', m.rss],
    ['allocator.muzzy', 0],
    ['allocator-fragmentation.ratio', (m.heapTotal + m.external) / Math.max(1, m.heapUsed + m.external)],
    ['allocator-fragmentation.bytes', m.heapTotal - m.heapUsed],
    ['allocator-rss.ratio', m.rss / Math.max(1, m.heapTotal + m.external)],
    ['allocator-rss.bytes', m.rss - m.heapTotal - m.external],
    ['rss-overhead.ratio', m.rss / Math.max(1, m.rss)],
    ['rss-overhead.bytes', 0],
    ['fragmentation', m.rss / Math.max(1, used)],
    ['fragmentation.bytes', m.rss - used],
  ];
  c.reply.map(fields.length + perDb.length + tail.length);
  const put = ([k, v]: [string, number | string]): void => {
    c.reply.bulk(k);
    if (typeof v === 'number' && !Number.isInteger(v)) c.reply.double(v);
    else c.reply.int(Number(v));
  };
  for (const f of fields) put(f);
  for (const [id, main, expires] of perDb) {
    c.reply.bulk(`db.${id}`);
    c.reply.map(2);
    put(['overhead.hashtable.main', main]);
    put(['overhead.hashtable.expires', expires]);
  }
  for (const f of tail) put(f);
}

/** MEMORY DOCTOR: Redis's verdicts, for the figures rivulet has. */
function memoryDoctor(c: Session): string {
  const used = c.server.usedMemory();
  if (used < 5 * 1024 * 1024) {
    return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
  }
  const peak = peaks.get(c.server) ?? used;
  const issues: string[] = [];
  if (peak / used > 1.5) {
    issues.push(
      ' * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n',
    );
  }
  if (issues.length === 0) return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
  return "Sam, I detected a few issues in this Redis instance memory implants:\n\n" + issues.join('') + "I'm here to keep you safe, Sam. I want to help you.\n";
}



/** MEMORY HELP: Redis 7.4's text, each entry under the subcommand it documents (only those rivulet has are shown). */
const HELP: HelpEntry[] = [
  ['doctor', ['DOCTOR', '    Return memory problems reports.']],
  ['malloc-stats', ['MALLOC-STATS', '    Return internal statistics report from the memory allocator.']],
  ['purge', ['PURGE', '    Attempt to purge dirty pages for reclamation by the allocator.']],
  ['stats', ['STATS', '    Return information about the memory usage of the server.']],
  ['usage', ['USAGE <key> [SAMPLES <count>]', '    Return memory in bytes used by <key> and its value. Nested values are', '    sampled up to <count> times (default: 5, 0 means sample all).']],
];

export const memory: CommandSpec = {
  name: 'memory',
  arity: -2,
  flags: [],
  acl: ['slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'A container for memory diagnostics commands.',
  since: '4.0.0',
  group: 'server',
  complexity: 'Depends on subcommand.',
  subcommands: [
    {
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      acl: ['slow'],
      firstKey: 0,
      lastKey: 0,
      step: 0,
      summary: 'Returns helpful text about the different subcommands.',
      since: '4.0.0',
      group: 'server',
      complexity: 'O(1)',
      handler(c) {
        writeHelp(c, 'MEMORY', helpLines(c.server.commands.get('memory'), HELP));
      },
    },
    {
      name: 'usage',
      arity: -3,
      flags: ['readonly'],
      acl: ['read', 'slow'],
      firstKey: 2,
      lastKey: 2,
      step: 1,
      keySpecs: [{ flags: ['RO'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
      summary: 'Estimates the memory usage of a key.',
      since: '4.0.0',
      group: 'server',
      complexity: 'O(N) where N is the number of samples.',
      arguments: [
        { name: 'key', type: 'key', keySpecIndex: 0 },
        { name: 'count', type: 'integer', token: 'SAMPLES', optional: true },
      ],
      handler(c, argv) {
        for (let i = 3; i < argv.length; i++) {
          if (isWord(argv[i], 'samples') && i + 1 < argv.length) {
            const n = parseInt64(argv[++i]);
            if (n === null) throw E.NOT_INTEGER;
            if (n < 0) throw E.SYNTAX;
            // Sizes are computed exactly, so the sample count changes nothing.
          } else {
            throw E.SYNTAX;
          }
        }
        const key = keyOf(argv[2]);
        // Like Redis's dbFind: a logically expired key that is still stored is measured, not deleted.
        const v = c.db.peek(key);
        if (v === undefined) {
          c.reply.nullBulk();
          return;
        }
        const valueBytes = typeOf(v).memoryUsage(v);
        c.reply.int(valueBytes + keyOverhead(key.length));
      },
    },
    {
      ...statsSub,
      name: 'stats',
      arity: 2,
      summary: 'Returns details about memory usage.',
      complexity: 'O(1)',
      handler(c) {
        memoryStats(c);
      },
    },
    {
      ...statsSub,
      name: 'doctor',
      arity: 2,
      summary: 'Outputs a memory problems report.',
      complexity: 'O(1)',
      handler(c) {
        c.reply.verbatim(memoryDoctor(c));
      },
    },
    {
      ...statsSub,
      name: 'malloc-stats',
      arity: 2,
      summary: 'Returns the allocator statistics.',
      complexity: 'Depends on how much memory is allocated, could be slow',
      handler(c) {
        // Redis prints jemalloc's report; rivulet's allocator is V8: its heap statistics, one per line.
        const lines = ['___ Begin V8 heap statistics ___'];
        for (const [k, v] of Object.entries(v8().getHeapStatistics())) lines.push(`${k}: ${v}`);
        for (const sp of v8().getHeapSpaceStatistics()) {
          lines.push(`${sp.space_name}: size=${sp.space_size} used=${sp.space_used_size} available=${sp.space_available_size}`);
        }
        lines.push('--- End V8 heap statistics ---');
        c.reply.verbatim(lines.join('\n') + '\n');
      },
    },
    {
      ...statsSub,
      name: 'purge',
      arity: 2,
      summary: 'Asks the allocator to release memory.',
      complexity: 'Depends on how much memory is allocated, could be slow',
      tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
      handler(c) {
        // A full collection when Node runs with --expose-gc; otherwise V8 decides.
        (globalThis as { gc?: () => void }).gc?.();
        c.reply.ok();
      },
    },
  ],
};
