/**
 * Shared test helpers: start a real rivulet server (in-process, over TCP) or
 * a real redis-server (the oracle), connect clients, send raw bytes, and run
 * differential scripts against both.
 */
import net from 'node:net';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis, type RedisOptions } from 'ioredis';
import RedisParser from 'redis-parser';
import { expect, AssertionError } from 'chai';
import { FrameConnection, escapeFrame, dropPairs, mapPair, isAggregate, withItems, type Frame } from './frames.js';
import { createServer, type RivuletServer } from '../lib/index.js';
import type { ServerOptions } from '../lib/engine/engine.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'rivulet-server');

/**
 * Starts an embedded rivulet on an ephemeral port. DEBUG is enabled, as
 * Redis's own test suite starts every server (its default.conf has
 * `enable-debug-command yes`); pass `'enable-debug-command': 'no'` to test the refusal.
 */
export async function startRivulet(options: ServerOptions = {}): Promise<RivuletServer> {
  return createServer({ port: 0, 'enable-debug-command': 'yes', ...options });
}

/** An ioredis client for `port` (RESP2 unless `protocol: 3`... ioredis speaks RESP2). Fails fast instead of retrying. */
export function connect(port: number, options: RedisOptions = {}): Redis {
  return new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: true, ...options });
}

/** A fresh temporary directory, removed by the caller with rmrf. */
export function tmpDir(prefix = 'rivulet-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function rmrf(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export function hasBinary(name: string): boolean {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The oracle: Debian's redis-server (7.0) by default, or the binary named by
 * RIVULET_ORACLE (e.g. a redis/redis build newer than 7.4, kept outside the
 * repo). Specs that know of a 7.0/7.4 difference ask ORACLE_AT_LEAST_7_2.
 */
export const ORACLE_BIN = process.env.RIVULET_ORACLE || 'redis-server';
export const HAVE_REDIS = ORACLE_BIN.includes('/') ? fs.existsSync(ORACLE_BIN) : hasBinary(ORACLE_BIN);
/** The oracle's version as `redis-server --version` prints it (`7.0.15`; unstable builds say `255.255.255`). */
export const ORACLE_VERSION: string = (() => {
  if (!HAVE_REDIS) return '0.0.0';
  try {
    const out = execFileSync(ORACLE_BIN, ['--version']).toString();
    return /v=(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();
/** Whether the oracle was built with jemalloc (Debian's is; a `make MALLOC=libc` build is not): MEMORY USAGE figures are jemalloc's size classes. */
export const ORACLE_JEMALLOC: boolean = (() => {
  if (!HAVE_REDIS) return false;
  try {
    return /malloc=jemalloc/.test(execFileSync(ORACLE_BIN, ['--version']).toString());
  } catch {
    return false;
  }
})();
/** True when the oracle behaves like Redis 7.2 or later (the 7.4 rivulet follows). */
export const ORACLE_AT_LEAST_7_2 = (() => {
  const [maj, min] = ORACLE_VERSION.split('.').map(Number);
  return maj > 7 || (maj === 7 && min >= 2);
})();
/** True when the oracle behaves like Redis 7.4 or later (SCAN's string2ull cursors, ...). */
export const ORACLE_AT_LEAST_7_4 = (() => {
  const [maj, min] = ORACLE_VERSION.split('.').map(Number);
  return maj > 7 || (maj === 7 && min >= 4);
})();
/**
 * True for a redis/redis build from after 7.4 (unstable builds say 255.255.255, releases 8.x):
 * the late-2024 behaviour (XREAD's Unbalanced text naming '+', the newest lag rules) is checked
 * against it; 7.0-7.4 releases differ there.
 */
export const ORACLE_AFTER_7_4 = Number(ORACLE_VERSION.split('.')[0]) >= 8;
export const HAVE_REDIS_CLI = hasBinary('redis-cli');

export interface ExternalServer {
  port: number;
  proc: ChildProcess;
  dir: string;
  stop(): Promise<void>;
}

/** Waits until something answers PING on port. */
export async function waitForPing(port: number, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await rawCommand(port, ['PING']);
      if (r === 'PONG') return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`nothing answered PING on ${port}`);
    await sleep(30);
  }
}

/** Starts the oracle redis-server (ORACLE_BIN) on a free port in a temp dir. */
export async function startRedis(extraArgs: string[] = []): Promise<ExternalServer> {
  const port = await freePort();
  const dir = tmpDir('redis-oracle-');
  const proc = spawn(
    ORACLE_BIN,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', ...extraArgs],
    { stdio: 'ignore' },
  );
  await waitForPing(port);
  return {
    port,
    proc,
    dir,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
      rmrf(dir);
    },
  };
}

/** What useRivulet() gives a describe block; the fields are set once its before() hook has run. */
export interface RivuletFixture {
  server: RivuletServer;
  /** ioredis connected to `server`. */
  redis: Redis;
  /** redis-server as the oracle, or null when it is not installed. */
  oracle: ExternalServer | null;
}

/**
 * One in-process rivulet, an ioredis client on it and (when installed) a
 * redis-server oracle for the enclosing describe block, stopped after it.
 * (spec/commands/keyspace/fixture.ts builds a richer variant with AOF and
 * keyspace-event taps.)
 */
export function useRivulet(): RivuletFixture {
  const s: RivuletFixture = { server: undefined as unknown as RivuletServer, redis: undefined as unknown as Redis, oracle: null };
  before(async () => {
    s.server = await startRivulet();
    s.redis = connect(s.server.port);
    if (HAVE_REDIS) s.oracle = await startRedis();
  });
  after(async () => {
    s.redis.disconnect();
    await s.server.close();
    await s.oracle?.stop();
  });
  return s;
}

/** Starts bin/rivulet-server as a child process (for CLI, crash and durability tests). */
export async function startRivuletProcess(args: string[], opts: { waitReady?: boolean } = {}): Promise<ExternalServer & { output: () => string }> {
  let port = 0;
  const pi = args.indexOf('--port');
  if (pi === -1) {
    port = await freePort();
    args = [...args, '--port', String(port)];
  } else {
    port = Number(args[pi + 1]);
  }
  let out = '';
  const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  if (opts.waitReady !== false) await waitForPing(port);
  return {
    port,
    proc,
    dir: '',
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** What a program run to completion printed, and its exit code. */
export interface ProgramRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program to completion with a deadline (killed and rejected after it). `stdin`, when
 * given, is written and closed; an EPIPE on it is ignored (a tool such as redis-cli may exit
 * before reading all of its input, which is not the test's failure).
 */
export function runProgram(
  cmd: string,
  args: string[],
  opts: { timeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string } = {},
): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout!.on('data', (d) => (stdout += d));
    p.stderr!.on('data', (d) => (stderr += d));
    const t = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out; output so far: ${stdout}${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    p.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
    if (opts.stdin !== undefined) {
      p.stdin!.on('error', () => {});
      p.stdin!.end(opts.stdin);
    }
  });
}

/** Sends each command in turn on one connection; an error reply fails with the command named. */
export async function runCommands(port: number, cmds: readonly (readonly (string | number | Buffer)[])[]): Promise<void> {
  const c = await RawConnection.open(port);
  try {
    for (const cmd of cmds) {
      const r = await c.call(...cmd);
      if (r instanceof Error) throw new Error(`${cmd.join(' ')}: ${r.message}`);
    }
  } finally {
    c.close();
  }
}

/** Waits (polling INFO persistence every 20 ms, `tries` times) until no AOF rewrite is in progress. */
export async function waitRewriteDone(port: number, tries = 250): Promise<void> {
  const c = await RawConnection.open(port);
  try {
    for (let i = 0; i < tries; i++) {
      if (String(await c.call('INFO', 'persistence')).includes('aof_rewrite_in_progress:0')) return;
      await sleep(20);
    }
    throw new Error('rewrite did not finish');
  } finally {
    c.close();
  }
}

/** Offsets just past each record (RESP array of bulk strings) of a well-formed AOF buffer. */
export function aofRecordEnds(buf: Buffer): number[] {
  const ends: number[] = [];
  let p = 0;
  const line = (): number => {
    const e = buf.indexOf(13, p);
    const v = Number(buf.subarray(p + 1, e).toString('latin1'));
    p = e + 2;
    return v;
  };
  while (p < buf.length) {
    const argc = line();
    for (let i = 0; i < argc; i++) {
      const len = line(); // (not `p += line() + 2`: that reads p before line() moves it)
      p += len + 2;
    }
    ends.push(p);
  }
  return ends;
}

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: (string | Buffer | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a));
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** A decoded RESP2 reply: strings, numbers, null, arrays, or an Error whose message is the error line. */
export type Reply = string | number | null | Reply[] | Error | Buffer;

/**
 * A raw RESP2 connection that decodes replies with redis-parser, so tests see
 * exactly what the server sent (status vs bulk is preserved: status replies
 * come back as strings, bulk strings as Buffers when `buffers` is set).
 */
export class RawConnection {
  private sock!: net.Socket;
  private replies: Reply[] = [];
  private waiters: (() => void)[] = [];
  private parser: RedisParser;
  closed = false;
  received = Buffer.alloc(0);

  constructor(returnBuffers = false) {
    this.parser = new RedisParser({
      returnReply: (r: Reply) => this.push(r),
      returnError: (e: Error) => this.push(e),
      returnFatalError: (e: Error) => this.push(e),
      returnBuffers,
    });
  }

  static async open(port: number, returnBuffers = false): Promise<RawConnection> {
    const c = new RawConnection(returnBuffers);
    await new Promise<void>((resolve, reject) => {
      c.sock = net.connect(port, '127.0.0.1', () => resolve());
      c.sock.once('error', reject);
    });
    c.sock.on('data', (d) => {
      c.received = Buffer.concat([c.received, d]);
      c.parser.execute(d);
    });
    c.sock.on('close', () => {
      c.closed = true;
      c.wake();
    });
    c.sock.on('error', () => {});
    return c;
  }

  private push(r: Reply): void {
    this.replies.push(r);
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  write(data: Buffer | string): void {
    this.sock.write(data);
  }

  /** Sends one command and returns its reply. */
  async call(...args: (string | Buffer | number)[]): Promise<Reply> {
    this.write(encodeCommand(args));
    return this.next();
  }

  /** The next reply (waits up to timeoutMs). */
  async next(timeoutMs = 20000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timeout waiting for reply');
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.replies.shift()!;
  }

  /** Resolves when the server closes the connection. */
  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection not closed');
      await sleep(10);
    }
  }

  close(): void {
    this.sock.destroy();
  }
}

/** One command, one reply, on a throwaway connection. Errors come back as Error values. */
export async function rawCommand(port: number, args: (string | Buffer | number)[]): Promise<Reply> {
  const c = await RawConnection.open(port);
  try {
    return await c.call(...args);
  } finally {
    c.close();
  }
}

/** The XINFO STREAM fields Redis 8.6/8.8 added (rivulet reports them; the 7.x oracles do not). */
export const REDIS8_STREAM_INFO_FIELDS = new Set(['idmp-duration', 'idmp-maxsize', 'pids-tracked', 'iids-tracked', 'iids-added', 'iids-duplicates']);

/**
 * A flat (RESP2) XINFO STREAM [FULL] reply without the Redis 8 fields — the
 * IDMP ones, and each FULL group's nacked-count — so that it compares with a
 * Redis 7.x oracle. Anything else is returned unchanged.
 */
export function withoutRedis8StreamFields(reply: unknown): unknown {
  if (!Array.isArray(reply)) return reply;
  const out: unknown[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) {
    if (REDIS8_STREAM_INFO_FIELDS.has(String(reply[i]))) continue;
    let v = reply[i + 1];
    if (reply[i] === 'groups' && Array.isArray(v)) {
      v = v.map((g) => {
        if (!Array.isArray(g)) return g;
        const kept: unknown[] = [];
        for (let j = 0; j + 1 < g.length; j += 2) if (g[j] !== 'nacked-count') kept.push(g[j], g[j + 1]);
        return kept;
      });
    }
    out.push(reply[i], v);
  }
  return out;
}

/**
 * withoutRedis8StreamFields for a raw XINFO STREAM [FULL] frame (RESP2 flat
 * array or RESP3 map): drops the Redis 8 IDMP fields, and each FULL group's
 * nacked-count, which rivulet reports and the 7.x oracles do not have.
 */
export function withoutRedis8StreamFrames(f: Frame): Frame {
  const top = dropPairs(f, REDIS8_STREAM_INFO_FIELDS);
  return mapPair(top, 'groups', (groups) => (isAggregate(groups) ? withItems(groups, groups.items.map((g) => dropPairs(g, ['nacked-count']))) : groups));
}

/**
 * XPENDING's extended rows ([id, consumer, idle ms, deliveries]): the idle
 * time is the server's clock, never the same on two servers; its type stays.
 */
export function maskPendingIdle(f: Frame): Frame {
  if (!isAggregate(f)) return f;
  return withItems(
    f,
    f.items.map((row) => (isAggregate(row) && row.items.length === 4 && 'line' in row.items[2] ? withItems(row, [row.items[0], row.items[1], { ...row.items[2], line: '<idle>' }, row.items[3]]) : row)),
  );
}

/** Converts errors to `{error: message}` so chai's deep equality compares them by text. */
export function normalise(r: Reply): unknown {
  if (r instanceof Error) return { error: r.message };
  if (Array.isArray(r)) return r.map(normalise);
  return r;
}

/** Which side of a differential run a frame came from. */
export type Side = 'rivulet' | 'redis';

/**
 * One step of a differential script: a command, or a command with
 *  - `normalise(frame, side, proto)`: applied to both sides' frames before
 *    they are compared, for fields Redis itself does not make deterministic
 *    (`*` IDs, times, idle counters, hash-table order) or that differ between
 *    oracle versions. Keep it narrow and say why beside it;
 *  - `also(ours, theirs, proto)`: extra assertions on the raw frames;
 *  - `replies`: how many top-level frames the command answers with (default 1;
 *    SUBSCRIBE a b answers 2; in RESP3 a push caused by the command counts);
 *  - `protocols`: run the step only in these protocols.
 */
export type Step =
  | (string | number | Buffer)[]
  | {
      cmd: (string | number | Buffer)[];
      normalise?: (f: Frame, side: Side, proto: 2 | 3) => Frame;
      also?: (ours: Frame, theirs: Frame, proto: 2 | 3) => void;
      replies?: number;
      protocols?: (2 | 3)[];
    };

export interface DifferentialOptions {
  /** The protocols to run the script in, each on fresh connections after FLUSHALL (default both: RESP2, then RESP3 after HELLO 3). */
  protocols?: (2 | 3)[];
  /** Skip the FLUSHALL before each run (the caller prepared the keyspace). */
  noFlush?: boolean;
}

const END_MARK = '__differential_end__';

/** Reads `n` frames; a closed connection reads as null frames. */
async function frames(c: FrameConnection, n: number): Promise<({ frame: Frame; raw: Buffer } | null)[]> {
  const out: ({ frame: Frame; raw: Buffer } | null)[] = [];
  for (let i = 0; i < n; i++) out.push(await c.next());
  return out;
}

/**
 * Differential testing on raw bytes: sends the script to rivulet and to
 * redis-server over raw sockets, in RESP2 and (after HELLO 3) in RESP3, cuts
 * each reply stream into top-level frames (push frames and attributes
 * included) and requires them equal byte for byte, errors included. A
 * failure names the protocol, the first differing command and both frames,
 * escaped. After the script a PING marker must be the next frame on both
 * sides, so a server that sends more than the other fails too.
 */
export async function differential(rivPort: number, redisPort: number, script: Step[], options: DifferentialOptions = {}): Promise<void> {
  for (const proto of options.protocols ?? [2, 3]) {
    const a = await FrameConnection.open(rivPort);
    const b = await FrameConnection.open(redisPort);
    try {
      const send = async (cmd: (string | number | Buffer)[], n: number) => {
        a.write(encodeCommand(cmd));
        const ours = await frames(a, n);
        b.write(encodeCommand(cmd));
        const theirs = await frames(b, n);
        return { ours, theirs };
      };
      if (proto === 3) {
        // HELLO's map carries the server's name, version and connection id: check only that both switched.
        const { ours, theirs } = await send(['HELLO', '3'], 1);
        expect(ours[0]?.frame.type, 'rivulet HELLO 3').to.equal('%');
        expect(theirs[0]?.frame.type, 'redis HELLO 3').to.equal('%');
      }
      if (!options.noFlush) {
        const { ours, theirs } = await send(['FLUSHALL'], 1);
        expect(escapeFrame(ours[0]?.raw ?? null), 'rivulet FLUSHALL').to.equal('"+OK\\r\\n"');
        expect(escapeFrame(theirs[0]?.raw ?? null), 'redis FLUSHALL').to.equal('"+OK\\r\\n"');
      }
      for (const [k, step] of script.entries()) {
        const s = Array.isArray(step) ? { cmd: step } : step;
        if (s.protocols && !s.protocols.includes(proto)) continue;
        const { ours, theirs } = await send(s.cmd, s.replies ?? 1);
        const label = `RESP${proto} step ${k + 1} \`${s.cmd.map((x) => String(x).slice(0, 60)).join(' ').slice(0, 300)}\``;
        for (let i = 0; i < ours.length; i++) {
          const o = ours[i];
          const t = theirs[i];
          let eo = o ? escapeFrame(o.raw, 4000) : escapeFrame(null);
          let et = t ? escapeFrame(t.raw, 4000) : escapeFrame(null);
          if (s.normalise && o && t) {
            eo = escapeFrame(s.normalise(o.frame, 'rivulet', proto), 4000);
            et = escapeFrame(s.normalise(t.frame, 'redis', proto), 4000);
          }
          const which = ours.length > 1 ? ` (reply frame ${i + 1} of ${ours.length})` : '';
          if (eo !== et) throw new AssertionError(`${label}${which} differs\n      rivulet:      ${eo}\n      redis-server: ${et}`);
          if (s.also && o && t) s.also(o.frame, t.frame, proto);
        }
      }
      // Nothing more on either side: the marker's reply comes next (a bulk, or RESP2's subscribed-mode pong array).
      const mark = ['PING', END_MARK];
      a.write(encodeCommand(mark));
      b.write(encodeCommand(mark));
      for (const [side, c] of [['rivulet', a], ['redis-server', b]] as const) {
        const f = await c.next();
        if (f === null) continue; // the script closed the connection (QUIT): checked by its step's reply
        const text = escapeFrame(f.raw);
        expect(text.includes(END_MARK), `RESP${proto}: after the script ${side} sent a frame more: ${text}`).to.equal(true);
      }
    } finally {
      a.close();
      b.close();
    }
  }
}
export * from './frames.js';
