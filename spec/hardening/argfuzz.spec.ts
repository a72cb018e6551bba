/**
 * Argument fuzzer for every stream command, differential against Debian's
 * redis-server: each case starts from the same fresh state on both servers
 * (a stream with deleted entries, two groups and a PEL; an empty stream with
 * a group; a string key), sends one random stream command built from a
 * seeded generator — mostly grammatical, sometimes with tokens dropped,
 * duplicated or swapped — and then a fixed set of observations (XRANGE, XLEN,
 * XPENDING, XINFO GROUPS). Every reply must be identical, error text
 * included.
 *
 * Normalised, because Redis itself is not deterministic there: IDs chosen by
 * `*` (any ID whose ms part is a wall-clock time) and times (idle,
 * inactive, seen-time, active-time, delivery times).
 * Left out, because Redis 7.0 (the oracle) differs from the 7.4 behaviour
 * rivulet follows:
 *  - `+` as an XREAD ID (7.4: the last entry; 7.0: an invalid ID);
 *  - XINFO CONSUMERS `inactive` and XINFO STREAM FULL `active-time`
 *    (added in 7.2), and XINFO STREAM's Redis 8 fields (idmp-*, pids/iids-*,
 *    a FULL group's nacked-count): those fields are dropped from rivulet's
 *    replies before comparing;
 *  - BLOCK (time-dependent; blocking has its own specs).
 *  - HELP's footer: "Print this help." (7.2+) against 7.0's "Prints".
 *  - XSETID below both the top item and the max deleted ID: 7.4 names the
 *    max deleted ID (checked first), 7.0 the top item;
 *  - "Unbalanced 'xreadgroup' list of streams ... or '>'" (7.2+) and
 *    "Unbalanced 'xread' list of streams ... an ID, '+', or '$'" (late 2024)
 *    against 7.0's "Unbalanced XREAD list of streams ... or '$'";
 *  - XREADGROUP/XCLAIM/XAUTOCLAIM create their consumer even when they
 *    deliver or claim nothing (7.2+); 7.0 only when it gets entries — so the
 *    `consumers` count in XINFO GROUPS afterwards is compared without it.
 * Budget: ARGFUZZ_CASES (1,500 by default; `npm run fuzz` runs 20,000). Seed: FUZZ_SEED.
 */
import { expect } from 'chai';
import { startRivulet, startRedis, RawConnection, normalise, encodeCommand, HAVE_REDIS, ORACLE_AT_LEAST_7_2, REDIS8_STREAM_INFO_FIELDS, type ExternalServer } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';
import { Prng, seedFromEnv } from './prng.js';

const CASES = Number(process.env.ARGFUZZ_CASES ?? 1500);
const SEED = seedFromEnv(7_2024);

const SETUP: string[][] = [
  ['FLUSHALL'],
  ['XADD', 'fz:s', '1-1', 'a', '1'],
  ['XADD', 'fz:s', '1-2', 'b', '2'],
  ['XADD', 'fz:s', '2-1', 'c', '3'],
  ['XADD', 'fz:s', '3-1', 'd', '4'],
  ['XADD', 'fz:s', '5-1', 'e', '5'],
  ['XDEL', 'fz:s', '2-1'],
  ['XGROUP', 'CREATE', 'fz:s', 'g', '0'],
  ['XGROUP', 'CREATE', 'fz:s', 'h', '$'],
  ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 'fz:s', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '1', 'STREAMS', 'fz:s', '>'],
  ['XGROUP', 'CREATE', 'fz:e', 'g', '$', 'MKSTREAM'],
  ['SET', 'fz:str', 'x'],
];

const OBSERVE: string[][] = [
  ['XRANGE', 'fz:s', '-', '+'],
  ['XLEN', 'fz:e'],
  ['XPENDING', 'fz:s', 'g'],
  ['XINFO', 'GROUPS', 'fz:s'],
  ['XINFO', 'GROUPS', 'fz:e'],
  ['EXISTS', 'fz:s', 'fz:e', 'fz:new', 'fz:str'],
];

const KEYS = ['fz:s', 'fz:s', 'fz:s', 'fz:e', 'fz:str', 'fz:new'];
const IDS = [
  '0', '0-0', '0-1', '1', '1-1', '1-2', '1-3', '2', '2-1', '3-1', '4', '5-1', '5-2', '9', '9-9', '-', '+', '$', '>', '(1-1', '(0', '(5-1',
  '18446744073709551615-18446744073709551615', '18446744073709551615', '18446744073709551615-0', '1-18446744073709551615',
  '18446744073709551616', 'abc', '1-', '-1', '1-*', '6-*', '*', '01', '1.5', '',
];
const COUNTS = ['0', '1', '2', '3', '10', '-1', '-10', 'abc', '9223372036854775807', '9223372036854775808', '1.5', ''];
const GROUPS = ['g', 'g', 'h', 'nog'];
const CONSUMERS = ['alice', 'bob', 'carol'];
const IDLES = ['0', '3600000', '-1', 'abc'];

type Gen = (r: Prng) => string[];

const trimSpec = (r: Prng): string[] => {
  const out = [r.pick(['MAXLEN', 'MINID', 'maxlen', 'minid', 'LIMIT'])];
  if (r.chance(0.6)) out.push(r.pick(['=', '~', '=', '~', '~~']));
  out.push(out[0].toUpperCase() === 'MINID' ? r.pick(IDS) : r.pick(COUNTS));
  if (r.chance(0.3)) out.push('LIMIT', r.pick(COUNTS));
  return out;
};

const fields = (r: Prng): string[] => {
  const n = r.pick([0, 1, 1, 1, 2, 3]);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.pick(['f', 'a', 'name', 'x']), r.pick(['v', '1', '', 'value']));
  if (r.chance(0.1)) out.push('odd');
  return out;
};

const streamsClause = (r: Prng, ids: string[]): string[] => {
  const n = r.pick([1, 1, 2]);
  const keys = Array.from({ length: n }, () => r.pick(KEYS));
  let idList = Array.from({ length: n }, () => r.pick(ids));
  if (r.chance(0.1)) idList = idList.slice(1);
  return ['STREAMS', ...keys, ...idList];
};

const GENERATORS: Record<string, Gen> = {
  XADD: (r) => {
    const a = ['XADD', r.pick(KEYS)];
    if (r.chance(0.2)) a.push('NOMKSTREAM');
    if (r.chance(0.3)) a.push(...trimSpec(r));
    a.push(r.chance(0.4) ? '*' : r.pick(IDS));
    a.push(...fields(r));
    return a;
  },
  XRANGE: (r) => ['XRANGE', r.pick(KEYS), r.pick(IDS), r.pick(IDS), ...(r.chance(0.4) ? ['COUNT', r.pick(COUNTS)] : [])],
  XREVRANGE: (r) => ['XREVRANGE', r.pick(KEYS), r.pick(IDS), r.pick(IDS), ...(r.chance(0.4) ? ['COUNT', r.pick(COUNTS)] : [])],
  XLEN: (r) => ['XLEN', r.pick(KEYS)],
  XDEL: (r) => ['XDEL', r.pick(KEYS), ...Array.from({ length: 1 + r.int(3) }, () => r.pick(IDS))],
  XTRIM: (r) => ['XTRIM', r.pick(KEYS), ...trimSpec(r)],
  XSETID: (r) => {
    const a = ['XSETID', r.pick(KEYS), r.pick(IDS)];
    if (r.chance(0.4)) a.push('ENTRIESADDED', r.pick(COUNTS));
    if (r.chance(0.4)) a.push('MAXDELETEDID', r.pick(IDS));
    return a;
  },
  XREAD: (r) => {
    const a = ['XREAD'];
    if (r.chance(0.4)) a.push('COUNT', r.pick(COUNTS));
    // `+` is left out: Redis 7.4 reads the last entry with it, 7.0 refuses it.
    a.push(...streamsClause(r, IDS.filter((id) => id !== '+')));
    return a;
  },
  XREADGROUP: (r) => {
    const a = ['XREADGROUP', 'GROUP', r.pick(GROUPS), r.pick(CONSUMERS)];
    if (r.chance(0.4)) a.push('COUNT', r.pick(COUNTS));
    if (r.chance(0.2)) a.push('NOACK');
    a.push(...streamsClause(r, ['>', '>', '>', '0', '0-0', '1-1', '1-2', '$', 'abc', '5-1']));
    return a;
  },
  XACK: (r) => ['XACK', r.pick(KEYS), r.pick(GROUPS), ...Array.from({ length: 1 + r.int(3) }, () => r.pick(IDS))],
  XPENDING: (r) => {
    const a = ['XPENDING', r.pick(KEYS), r.pick(GROUPS)];
    if (r.chance(0.7)) {
      if (r.chance(0.3)) a.push('IDLE', r.pick(IDLES));
      a.push(r.pick(IDS), r.pick(IDS), r.pick(COUNTS));
      if (r.chance(0.4)) a.push(r.pick(CONSUMERS));
    }
    return a;
  },
  XCLAIM: (r) => {
    const a = ['XCLAIM', r.pick(KEYS), r.pick(GROUPS), r.pick(CONSUMERS), r.pick(IDLES), ...Array.from({ length: 1 + r.int(3) }, () => r.pick(IDS))];
    if (r.chance(0.2)) a.push('IDLE', r.pick(IDLES));
    if (r.chance(0.1)) a.push('TIME', r.pick(['0', '1', 'abc', '-1']));
    if (r.chance(0.2)) a.push('RETRYCOUNT', r.pick(COUNTS));
    if (r.chance(0.2)) a.push('FORCE');
    if (r.chance(0.3)) a.push('JUSTID');
    if (r.chance(0.1)) a.push('LASTID', r.pick(IDS));
    return a;
  },
  XAUTOCLAIM: (r) => {
    const a = ['XAUTOCLAIM', r.pick(KEYS), r.pick(GROUPS), r.pick(CONSUMERS), r.pick(IDLES), r.pick(IDS)];
    if (r.chance(0.4)) a.push('COUNT', r.pick(COUNTS));
    if (r.chance(0.3)) a.push('JUSTID');
    return a;
  },
  XGROUP: (r) => {
    const sub = r.pick(['CREATE', 'SETID', 'DESTROY', 'CREATECONSUMER', 'DELCONSUMER', 'HELP', 'create', 'NOPE']);
    const a = ['XGROUP', sub];
    switch (sub.toUpperCase()) {
      case 'CREATE':
      case 'SETID':
        a.push(r.pick(KEYS), r.pick(GROUPS), r.pick(['$', '0', '1-1', '5-1', '9', 'abc', '-', '+']));
        if (sub.toUpperCase() === 'CREATE' && r.chance(0.3)) a.push('MKSTREAM');
        if (r.chance(0.3)) a.push('ENTRIESREAD', r.pick(COUNTS));
        break;
      case 'DESTROY':
        a.push(r.pick(KEYS), r.pick(GROUPS));
        break;
      case 'CREATECONSUMER':
      case 'DELCONSUMER':
        a.push(r.pick(KEYS), r.pick(GROUPS), r.pick(CONSUMERS));
        break;
      default:
        if (r.chance(0.5)) a.push(r.pick(KEYS));
    }
    return a;
  },
  XINFO: (r) => {
    const sub = r.pick(['STREAM', 'GROUPS', 'CONSUMERS', 'HELP', 'stream', 'NOPE']);
    const a = ['XINFO', sub];
    if (sub.toUpperCase() === 'STREAM') {
      a.push(r.pick(KEYS));
      if (r.chance(0.5)) a.push('FULL', ...(r.chance(0.5) ? ['COUNT', r.pick(COUNTS)] : []));
    } else if (sub.toUpperCase() === 'GROUPS') a.push(r.pick(KEYS));
    else if (sub.toUpperCase() === 'CONSUMERS') a.push(r.pick(KEYS), r.pick(GROUPS));
    return a;
  },
};

/** Sometimes breaks the grammar: drops, duplicates or swaps an argument after the command name. */
function perturb(argv: string[], r: Prng): string[] {
  if (argv.length < 3 || !r.chance(0.15)) return argv;
  const a = [...argv];
  const i = 1 + r.int(a.length - 1);
  const j = 1 + r.int(a.length - 1);
  switch (r.int(3)) {
    case 0:
      a.splice(i, 1);
      break;
    case 1:
      a.splice(i, 0, a[i]);
      break;
    default:
      [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Fields Redis 7.2+ added (rivulet follows 7.4): dropped from flat RESP2 maps before comparing with 7.0. */
// 7.2+ consumer times, and the Redis 8.6/8.8 XINFO STREAM fields (IDMP counters, a FULL group's nacked-count).
const NEWER_FIELDS = new Set(['inactive', 'active-time', 'nacked-count', ...REDIS8_STREAM_INFO_FIELDS]);
/** Fields whose values are times or allocator details. */
const TIME_FIELDS = new Set(['idle', 'inactive', 'seen-time', 'active-time', 'radix-tree-keys', 'radix-tree-nodes']);

function normaliseReply(v: unknown, cmd: string[]): unknown {
  if (typeof v === 'string') {
    // An ID chosen by `*` carries the wall clock.
    return v.replace(/\b1\d{12}-\d+\b/g, '<now-id>');
  }
  if (typeof v === 'number') return v > 1e12 ? '<time>' : v;
  if (!Array.isArray(v)) return v;
  let arr = v;
  const flatMap = arr.length % 2 === 0 && arr.length > 0 && arr.every((x, i) => i % 2 === 1 || typeof x === 'string');
  if (flatMap && arr.some((x, i) => i % 2 === 0 && (NEWER_FIELDS.has(x as string) || TIME_FIELDS.has(x as string)))) {
    const out: unknown[] = [];
    for (let i = 0; i < arr.length; i += 2) {
      const k = arr[i] as string;
      if (NEWER_FIELDS.has(k)) continue;
      out.push(k, TIME_FIELDS.has(k) ? '<t>' : arr[i + 1]);
    }
    arr = out;
  }
  // XPENDING extended form: [id, consumer, idle, deliveries] — idle is elapsed time.
  if (cmd[0] === 'XPENDING' && cmd.length > 3 && arr.length === 4 && typeof arr[0] === 'string' && typeof arr[2] === 'number') {
    arr = [arr[0], arr[1], '<idle>', arr[3]];
  }
  return arr.map((x) => normaliseReply(x, cmd));
}

async function runCase(conn: RawConnection, cmd: string[]): Promise<unknown[]> {
  conn.write(Buffer.concat(SETUP.map((c) => encodeCommand(c))));
  for (let i = 0; i < SETUP.length; i++) await conn.next();
  const out: unknown[] = [];
  for (const c of [cmd, ...OBSERVE]) out.push(normaliseReply(normalise(await conn.call(...c)), c));
  return out;
}

describe(`stream argument fuzzer against redis-server (${CASES} cases, seed ${SEED})`, function () {
  this.timeout(Math.max(60000, CASES * 50));
  let riv: RivuletServer;
  let redis: ExternalServer | null = null;

  before(async function () {
    if (!HAVE_REDIS) {
      console.log('      skipped: redis-server is not installed (the oracle)');
      return this.skip();
    }
    riv = await startRivulet({ loglevel: 'nothing' });
    redis = await startRedis();
  });
  after(async () => {
    await riv?.close();
    await redis?.stop();
  });

  for (const name of Object.keys(GENERATORS)) {
    it(`${name}: every reply and the resulting state match redis-server`, async () => {
      const r = new Prng(SEED ^ hash(name));
      const a = await RawConnection.open(riv.port);
      const b = await RawConnection.open(redis!.port);
      const mismatches: string[] = [];
      const perCommand = Math.ceil(CASES / Object.keys(GENERATORS).length);
      try {
        for (let i = 0; i < perCommand && mismatches.length < 5; i++) {
          const cmd = perturb(GENERATORS[name](r), r);
          const ours = await runCase(a, cmd);
          const theirs = await runCase(b, cmd);
          for (let k = 0; k < ours.length; k++) {
            if (JSON.stringify(ours[k]) !== JSON.stringify(theirs[k]) && !knownDifference(cmd, k, ours[k], theirs[k])) {
              const what = k === 0 ? cmd : [...OBSERVE[k - 1], `(after ${cmd.join(' ')})`];
              mismatches.push(`${what.map((x) => JSON.stringify(x)).join(' ')}\n        rivulet: ${JSON.stringify(ours[k])}\n        redis:   ${JSON.stringify(theirs[k])}`);
              break;
            }
          }
        }
      } finally {
        a.close();
        b.close();
      }
      expect(mismatches, `seed ${SEED}:\n      ${mismatches.join('\n      ')}`).to.deep.equal([]);
    });
  }
});

const errorOf = (v: unknown): string | null => (v !== null && typeof v === 'object' && 'error' in v ? String((v as { error: string }).error) : null);

/** The documented 7.0 → 7.4 differences listed at the top; k is 0 for the fuzzed command, then the observations. */
function knownDifference(cmd: string[], k: number, ours: unknown, theirs: unknown): boolean {
  const name = cmd[0];
  if (k === 0 && !ORACLE_AT_LEAST_7_2 && Array.isArray(theirs) && theirs[theirs.length - 1] === '    Prints this help.') {
    // HELP's footer: "Print this help." since Redis 7.2.
    return JSON.stringify(ours) === JSON.stringify([...theirs.slice(0, -1), '    Print this help.']);
  }
  const [eo, et] = [errorOf(ours), errorOf(theirs)];
  if (k === 0 && name === 'XSETID' && eo && et) {
    const pair = new Set(['ERR The ID specified in XSETID is smaller than current max_deleted_entry_id', 'ERR The ID specified in XSETID is smaller than the target stream top item']);
    return pair.has(eo) && pair.has(et);
  }
  if (k === 0 && (name === 'XREAD' || name === 'XREADGROUP') && eo && et) {
    const cmdName = name.toLowerCase();
    return (
      et === "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified." &&
      eo === `ERR Unbalanced '${cmdName}' list of streams: for each stream key an ${name === 'XREAD' ? "ID, '+', or '$'" : "ID or '>'"} must be specified.`
    );
  }
  if (k > 0 && ['XREADGROUP', 'XCLAIM', 'XAUTOCLAIM'].includes(name) && OBSERVE[k - 1][1] === 'GROUPS') {
    const withoutConsumers = (v: unknown): string =>
      JSON.stringify(Array.isArray(v) ? v.map((g) => (Array.isArray(g) ? g.map((x, i) => (g[i - 1] === 'consumers' ? '<n>' : x)) : g)) : v);
    return withoutConsumers(ours) === withoutConsumers(theirs);
  }
  return false;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
