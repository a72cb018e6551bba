/**
 * The consumer-group crash harness (issue 20), shared by
 * group-crash.spec.ts (a short run in npm test) and group-crash-run.ts
 * (`npm run crash-groups`, 30+ rounds).
 *
 * One client sends a random, seeded mix of consumer-group work, one unit at
 * a time (new and history reads, XACK, XCLAIM, XAUTOCLAIM, XGROUP
 * SETID/DELCONSUMER/CREATECONSUMER, XDEL, XTRIM, XADD IDMP, MULTI/EXEC) to a
 * rivulet-server under `appendfsync always`, while an admin connection starts
 * BGREWRITEAOF now and then; the server is SIGKILLed at a random moment and
 * restarted on the same directory. The model is an in-memory rivulet that
 * replays exactly the acknowledged units (an XADD IDMP as the XADD with the ID
 * it got plus XIDMPRECORD, as the AOF has it). After each restart the group
 * state — XINFO STREAM FULL and XPENDING of each group — must equal the
 * model's, or the model's plus the one unit that was in flight at the kill
 * (sent, not acknowledged: it may or may not have reached the disk).
 *
 * Left out of the comparison, each for a stated reason: seen-time,
 * active-time and delivery times / idle (clock-driven: the model runs later),
 * radix-tree-keys/-nodes (memory layout: a base rewrite packs chunks
 * differently), iids-added/iids-duplicates (statistics counters). Claims use
 * min-idle-time 0 so that what they claim does not depend on the clock, and
 * IDMP records are kept a day (stream-idmp-duration) for the same reason.
 */
import { startRivulet, startRivuletProcess, waitForPing, RawConnection, normalise, sleep, type Reply } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

type Proc = Awaited<ReturnType<typeof startRivuletProcess>>;
type Cmd = string[];
/** One acknowledged-or-not unit: a command, or MULTI..EXEC. */
interface Unit {
  cmds: Cmd[];
  multi: boolean;
}

/** mulberry32: a small seeded PRNG, so a failing run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GROUPS = ['g1', 'g2'];
/** Seconds an IDMP record is kept (see crashRounds). */
const IDMP_DURATION = 86400;
const CONSUMERS = ['c1', 'c2', 'c3'];

/** Generates units; remembers IDs it saw added so that acks, claims and deletes hit real entries. */
class Generator {
  readonly rnd: () => number;
  ids: string[] = [];
  lastMs = 1;
  iid = 0;
  constructor(seed: number) {
    this.rnd = prng(seed);
  }
  pick<T>(a: T[]): T {
    return a[Math.floor(this.rnd() * a.length)];
  }
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  someIds(n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.ids.length ? this.pick(this.ids.slice(-40)) : '1-0');
    return out;
  }
  /** One command (no IDMP: that one is never inside MULTI, see next()). */
  command(): Cmd {
    const g = this.pick(GROUPS);
    const c = this.pick(CONSUMERS);
    const r = this.int(100);
    if (r < 22) return ['XADD', 's', `${++this.lastMs}-0`, 'f', String(this.lastMs)];
    if (r < 40) return ['XREADGROUP', 'GROUP', g, c, 'COUNT', String(1 + this.int(4)), 'STREAMS', 's', '>'];
    if (r < 47) return ['XREADGROUP', 'GROUP', g, c, 'COUNT', String(1 + this.int(4)), 'STREAMS', 's', '0'];
    if (r < 58) return ['XACK', 's', g, ...this.someIds(1 + this.int(3))];
    if (r < 64) {
      const cmd = ['XCLAIM', 's', g, c, '0', ...this.someIds(1 + this.int(2))];
      if (this.int(3) === 0) cmd.push('RETRYCOUNT', String(this.int(5)));
      if (this.int(3) === 0) cmd.push('JUSTID');
      return cmd;
    }
    if (r < 70) {
      const cmd = ['XAUTOCLAIM', 's', g, c, '0', '0-0', 'COUNT', String(1 + this.int(3))];
      if (this.int(3) === 0) cmd.push('JUSTID');
      return cmd;
    }
    if (r < 73) {
      const cmd = ['XGROUP', 'SETID', 's', g, this.int(2) ? '$' : this.someIds(1)[0]];
      if (this.int(2)) cmd.push('ENTRIESREAD', String(this.int(50)));
      return cmd;
    }
    if (r < 76) return ['XGROUP', 'DELCONSUMER', 's', g, c];
    if (r < 80) return ['XGROUP', 'CREATECONSUMER', 's', g, c];
    if (r < 86) return ['XDEL', 's', ...this.someIds(1 + this.int(2))];
    if (r < 90) return this.int(2) ? ['XTRIM', 's', 'MAXLEN', String(20 + this.int(20))] : ['XTRIM', 's', 'MINID', this.someIds(1)[0]];
    return ['XADD', 's', `${++this.lastMs}-0`, 'f', String(this.lastMs), 'g', 'x'];
  }
  next(): Unit {
    const r = this.int(100);
    if (r < 8) return { cmds: [this.command(), this.command(), this.command()], multi: true };
    if (r < 14) return { cmds: [['XADD', 's', 'IDMP', `p${this.int(2)}`, `i${this.int(this.iid + 3)}`, '*', 'f', 'idmp']], multi: false };
    return { cmds: [this.command()], multi: false };
  }
}

const isIdmp = (cmd: Cmd): boolean => cmd[0] === 'XADD' && cmd[2] === 'IDMP';

/** Sends a unit; returns its replies (EXEC's array for MULTI). Throws when the connection dies. */
async function send(c: RawConnection, u: Unit): Promise<Reply[]> {
  if (!u.multi) return [await c.call(...u.cmds[0])];
  await c.call('MULTI');
  for (const cmd of u.cmds) await c.call(...cmd);
  const r = await c.call('EXEC');
  if (c.closed && r === undefined) throw new Error('connection closed');
  return Array.isArray(r) ? r : [r];
}

/** The model's version of an acknowledged unit: IDMP XADDs become XADD <id> + XIDMPRECORD (nothing for a duplicate). */
function translate(u: Unit, replies: (Reply | undefined)[], seen: Set<string>): Unit {
  const cmds: Cmd[] = [];
  u.cmds.forEach((cmd, i) => {
    if (!isIdmp(cmd)) return void cmds.push(cmd);
    const id = replies[i];
    if (typeof id !== 'string' || seen.has(id)) return;
    seen.add(id);
    cmds.push(['XADD', 's', id, ...cmd.slice(6)], ['XIDMPRECORD', 's', cmd[3], cmd[4], id]);
  });
  return { cmds, multi: u.multi };
}

/** Drops the clock-driven and layout fields (see the header). */
function scrub(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  // A pending entry: [id, consumer?, delivery-time, count] -> without the time.
  if (v.length >= 3 && typeof v[0] === 'string' && /^\d+-\d+$/.test(v[0]) && typeof v[v.length - 1] === 'number' && typeof v[v.length - 2] === 'number') {
    return [...v.slice(0, -2), v[v.length - 1]];
  }
  const out: unknown[] = [];
  const drop = new Set(['seen-time', 'active-time', 'radix-tree-keys', 'radix-tree-nodes', 'iids-added', 'iids-duplicates']);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] === 'string' && drop.has(v[i] as string) && i + 1 < v.length && i % 2 === 0) {
      i++;
      continue;
    }
    out.push(scrub(v[i]));
  }
  return out;
}

/** The compared state. */
async function state(port: number): Promise<unknown> {
  const c = await RawConnection.open(port);
  try {
    const out: Record<string, unknown> = {};
    out.full = scrub(normalise(await c.call('XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0')));
    for (const g of GROUPS) {
      const p = normalise(await c.call('XPENDING', 's', g, '-', '+', '100000'));
      out[`pending:${g}`] = Array.isArray(p) ? (p as unknown[][]).map((e) => [e[0], e[1], e[3]]) : p;
      out[`summary:${g}`] = normalise(await c.call('XPENDING', 's', g));
    }
    return out;
  } finally {
    c.close();
  }
}

/** The differing lines of two JSON renderings (model first), with a line of context. */
function lineDiff(want: unknown, got: unknown): string {
  const a = JSON.stringify(want, null, 1).split('\n');
  const b = JSON.stringify(got, null, 1).split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < 60; i++) {
    if (a[i] === b[i]) continue;
    out.push(`  line ${i}: model ${a[i] ?? '(none)'} | server ${b[i] ?? '(none)'}   (after ${a[i - 1] ?? ''})`);
  }
  return out.join('\n');
}

export interface CrashRun {
  rounds: number;
  seed: number;
  /** Units per round before the kill: the kill comes after a random number of them within this range... */
  minUnits: number;
  maxUnits: number;
  dir: string;
  /** Stops the run (the test ended). */
  stopped: () => boolean;
  log?: (line: string) => void;
}

export interface CrashResult {
  acked: number;
  inflightApplied: number;
  inflightNotApplied: number;
  rewrites: number;
}

/** Runs the rounds; throws (chai) on the first divergence, naming the round and seed. */
export async function crashRounds(o: CrashRun): Promise<CrashResult> {
  const gen = new Generator(o.seed);
  // IDMP records live a day on both sides: a replayed record's clock starts at the restart (it is kept at least its
  // duration, never forgotten early), so with the default 100 s the server would track records the model has dropped.
  const model: RivuletServer = await startRivulet({ 'stream-idmp-duration': IDMP_DURATION });
  const procs: Proc[] = [];
  const res: CrashResult = { acked: 0, inflightApplied: 0, inflightNotApplied: 0, rewrites: 0 };
  const seen = new Set<string>();
  const m = await RawConnection.open(model.port);
  const startServer = async (): Promise<Proc> => {
    const p = await startRivuletProcess(['--dir', o.dir, '--appendfsync', 'always', '--stream-idmp-duration', String(IDMP_DURATION)], { waitReady: false });
    procs.push(p);
    try {
      await waitForPing(p.port, 30000);
    } catch {
      throw new Error(`rivulet-server did not start (round, seed ${o.seed}):\n${p.output()}`);
    }
    return p;
  };
  const apply = async (u: Unit): Promise<void> => {
    if (u.cmds.length === 0) return;
    if (u.multi) await m.call('MULTI');
    for (const cmd of u.cmds) await m.call(...cmd);
    if (u.multi) await m.call('EXEC');
  };
  try {
    const setup: Unit[] = [
      { cmds: [['XGROUP', 'CREATE', 's', 'g1', '0', 'MKSTREAM']], multi: false },
      { cmds: [['XGROUP', 'CREATE', 's', 'g2', '0']], multi: false },
    ];
    let proc = await startServer();
    {
      const c = await RawConnection.open(proc.port);
      for (const u of setup) {
        await send(c, u);
        await apply(u);
      }
      c.close();
    }
    for (let round = 0; round < o.rounds && !o.stopped(); round++) {
      const c = await RawConnection.open(proc.port);
      const admin = await RawConnection.open(proc.port);
      const killAfter = o.minUnits + gen.int(o.maxUnits - o.minUnits + 1);
      let inflight: Unit | null = null;
      let sent = 0;
      let rewriting = false;
      const load = (async () => {
        try {
          for (; !o.stopped() && sent < killAfter + 1000; sent++) {
            const u = gen.next();
            inflight = u;
            const replies = await send(c, u);
            if (c.closed) throw new Error('closed');
            inflight = null;
            for (const r of replies) {
              if (typeof r !== 'string' || !/^\d+-\d+$/.test(r)) continue;
              gen.ids.push(r);
              gen.lastMs = Math.max(gen.lastMs, Number(r.split('-')[0]));
            }
            const t = translate(u, replies, seen);
            await apply(t);
            res.acked++;
            if (!rewriting && gen.int(25) === 0) {
              rewriting = true;
              admin.call('BGREWRITEAOF').then(
                () => {
                  res.rewrites++;
                  rewriting = false;
                },
                () => {},
              );
            }
          }
        } catch {
          /* killed */
        }
      })();
      // The kill: after killAfter acknowledged units, plus a random few milliseconds (mid-command).
      const deadline = Date.now() + 60000;
      while (sent < killAfter && Date.now() < deadline && !o.stopped()) await sleep(2);
      await sleep(gen.int(5));
      await proc.stop();
      await load;
      c.close();
      admin.close();
      // The test ended (a timeout): no restart on a directory its afterEach may be deleting.
      if (o.stopped()) break;
      const pending: Unit | null = inflight;
      proc = await startServer();
      const got = await state(proc.port);
      let want = await state(model.port);
      let applied = false;
      if (JSON.stringify(got) !== JSON.stringify(want) && pending !== null) {
        // The unit in flight reached the disk: the model takes it too.
        const u: Unit = pending;
        let replies: (Reply | undefined)[] = [];
        if (u.cmds.some(isIdmp)) {
          const top = (await (async () => {
            const q = await RawConnection.open(proc.port);
            try {
              return (await q.call('XREVRANGE', 's', '+', '-', 'COUNT', '1')) as Reply[][];
            } finally {
              q.close();
            }
          })())[0];
          replies = u.cmds.map((cmd) => (isIdmp(cmd) && top ? String(top[0]) : undefined));
        }
        await apply(translate(u, replies, seen));
        want = await state(model.port);
        applied = true;
      }
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        throw new Error(
          `round ${round} (seed ${o.seed}): the group state after the restart differs from the acknowledged commands` +
            `${pending ? ` (with or without the one in flight: ${JSON.stringify((pending as Unit).cmds)})` : ''}:\n${lineDiff(want, got)}`,
        );
      }
      if (pending !== null) {
        if (applied) res.inflightApplied++;
        else res.inflightNotApplied++;
      }
      o.log?.(`round ${round}: ${res.acked} acknowledged units so far, ${res.rewrites} rewrites, in flight ${pending === null ? 'none' : applied ? 'applied' : 'not applied'}`);
    }
    await proc.stop();
  } finally {
    for (const p of procs) await p.stop();
    m.close();
    await model.close();
  }
  return res;
}
