/**
 * Protocol fuzzer, crash-only harness: random and mutated RESP2 multibulk,
 * inline and RESP3-looking inputs, each on its own connection, against a
 * rivulet child process — while a steady client runs SET/GET/XADD/XRANGE
 * alongside and checks every reply. The server must never exit, never log an
 * internal error (a handler exception), the steady client must never see a
 * wrong reply, and live memory (after full GCs) must return near its
 * baseline.
 *
 * Budget: FUZZ_INPUTS (3,000 by default, for CI; `npm run fuzz` runs
 * 100,000). Seed: FUZZ_SEED (reported on failure).
 */
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import { BIN, ROOT, freePort, waitForPing, RawConnection, normalise, encodeCommand, sleep } from '../helpers.js';
import { Prng, seedFromEnv } from './prng.js';

const INPUTS = Number(process.env.FUZZ_INPUTS ?? 3000);
const SEED = seedFromEnv(20240607);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 12);
/** A connection is done when the server closed it or sent nothing for this long after the input. */
const QUIET_MS = 15;

/**
 * Commands the fuzzer may call. Left out on purpose: whatever would touch the
 * steady client or the server itself rather than the fuzzing connection —
 * SHUTDOWN, DEBUG, CONFIG, CLIENT (KILL/PAUSE), FLUSHALL/FLUSHDB, SWAPDB.
 */
const NAMES = [
  'SET', 'GET', 'GETEX', 'GETSET', 'GETRANGE', 'SETRANGE', 'APPEND', 'STRLEN', 'INCR', 'INCRBY', 'INCRBYFLOAT', 'MGET', 'MSET',
  'DEL', 'EXISTS', 'TYPE', 'TTL', 'PTTL', 'EXPIRE', 'PEXPIREAT', 'PERSIST', 'RENAME', 'COPY', 'MOVE', 'KEYS', 'SCAN', 'OBJECT', 'TOUCH',
  'XADD', 'XRANGE', 'XREVRANGE', 'XLEN', 'XDEL', 'XTRIM', 'XREAD', 'XREADGROUP', 'XGROUP', 'XACK', 'XPENDING', 'XCLAIM',
  'XAUTOCLAIM', 'XINFO', 'XSETID', 'PING', 'ECHO', 'HELLO', 'AUTH', 'SELECT', 'RESET', 'QUIT', 'MULTI', 'EXEC', 'DISCARD', 'WATCH',
  'UNWATCH', 'SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'UNSUBSCRIBE', 'PUBLISH', 'PUBSUB', 'COMMAND', 'INFO', 'TIME', 'DBSIZE',
  'MEMORY', 'LOLWUT', 'NOSUCHCMD',
];
const WORDS = [
  'fz:a', 'fz:b', 'fz:s', 'fz:g', '', 'g', 'c', '*', '$', '>', '+', '-', '0', '0-0', '1-1', '1-*', '5', '-1', '1.5', 'inf', 'nan',
  '9223372036854775807', '-9223372036854775808', '18446744073709551615-18446744073709551615', '2147483648', 'MAXLEN', 'MINID',
  '~', '=', 'LIMIT', 'COUNT', 'BLOCK', 'STREAMS', 'GROUP', 'NOACK', 'JUSTID', 'IDLE', 'TIME', 'RETRYCOUNT', 'FORCE', 'CREATE',
  'SETID', 'DESTROY', 'CREATECONSUMER', 'DELCONSUMER', 'MKSTREAM', 'ENTRIESREAD', 'STREAM', 'GROUPS', 'CONSUMERS', 'FULL', 'HELP',
  'NOMKSTREAM', 'EX', 'PX', 'KEEPTTL', 'NX', 'XX', 'GET', 'AUTH', 'default', '3', '2', 'SETNAME', 'MATCH', 'TYPE', 'stream',
];

function validArgs(rng: Prng): Buffer[] {
  const argv: Buffer[] = [Buffer.from(rng.pick(NAMES))];
  const n = rng.int(8);
  for (let i = 0; i < n; i++) argv.push(rng.chance(0.85) ? Buffer.from(rng.pick(WORDS)) : rng.bytes(rng.int(12)));
  if (argv[0].toString() === 'XREAD' || argv[0].toString() === 'XREADGROUP') {
    // Short blocks only: each connection lives a few milliseconds anyway.
    if (rng.chance(0.3)) argv.splice(1, 0, Buffer.from('BLOCK'), Buffer.from(String(rng.int(50))));
  }
  return argv;
}

function inline(argv: Buffer[], rng: Prng): Buffer {
  const parts = argv.map((a) => {
    const s = a.toString('latin1');
    if (rng.chance(0.2)) return `"${s.replace(/["\\]/g, '\\$&')}"`;
    if (rng.chance(0.05)) return `'${s}`; // unbalanced quote
    return s;
  });
  return Buffer.from(parts.join(rng.chance(0.9) ? ' ' : '\t') + (rng.chance(0.9) ? '\r\n' : '\n'), 'latin1');
}

const JUNK = ['\r\n', '\r', '\n', '*', '$', '-', ':', '+', '0', '9', '-1', '2147483648', '\0', '"', "'", '\\x', ' '];

function mutate(input: Buffer, rng: Prng): Buffer {
  let b = Buffer.from(input);
  const ops = 1 + rng.int(4);
  for (let i = 0; i < ops; i++) {
    const at = rng.int(b.length + 1);
    switch (rng.int(6)) {
      case 0:
        if (b.length > 0) b[Math.min(at, b.length - 1)] ^= 1 << rng.int(8);
        break;
      case 1:
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + rng.int(6)))]);
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), Buffer.from(rng.pick(JUNK), 'latin1'), b.subarray(at)]);
        break;
      case 3:
        b = b.subarray(0, at);
        break;
      case 4: {
        // Rewrite a length header with a hostile number.
        const s = b.toString('latin1');
        const out = s.replace(/([*$])(\d+)/, (_m, p: string) => p + rng.pick(['-1', '-5', '0', '1048577', '2147483648', '99999999999999999999', 'x', '']));
        b = Buffer.from(out, 'latin1');
        break;
      }
      default:
        b = Buffer.concat([b, b.subarray(0, rng.int(b.length + 1))]);
    }
  }
  return b;
}

/** One fuzz input: a mix of valid, mutated, inline, random and RESP3-typed frames, possibly pipelined. */
function generate(rng: Prng): Buffer {
  const frames: Buffer[] = [];
  const n = rng.chance(0.8) ? 1 : 2 + rng.int(4);
  if (rng.chance(0.1)) frames.push(encodeCommand(['HELLO', '3']));
  for (let i = 0; i < n; i++) {
    const kind = rng.int(6);
    const argv = validArgs(rng);
    if (kind === 0) frames.push(encodeCommand(argv));
    else if (kind === 1) frames.push(inline(argv, rng));
    else if (kind === 2) frames.push(mutate(encodeCommand(argv), rng));
    else if (kind === 3) frames.push(mutate(inline(argv, rng), rng));
    else if (kind === 4) frames.push(rng.bytes(1 + rng.int(120)));
    else frames.push(Buffer.concat([Buffer.from(rng.pick(['%', '~', '#', ',', '(', '=', '>', '|', '_', '!', '*', '$'])), rng.bytes(rng.int(40)), Buffer.from('\r\n')]));
  }
  return Buffer.concat(frames);
}

/** Sends one input on a fresh connection; resolves when the server closes it or goes quiet. */
function fire(port: number, input: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let timer: NodeJS.Timeout | null = null;
    const finish = (): void => {
      if (timer) clearTimeout(timer);
      sock.destroy();
      resolve();
    };
    const quiet = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(finish, QUIET_MS);
    };
    sock.on('error', finish);
    sock.on('close', finish);
    sock.on('data', quiet);
    sock.on('connect', () => {
      sock.write(input);
      quiet();
    });
  });
}

interface ProbedServer {
  port: number;
  proc: ChildProcess;
  output: () => string;
  /** heapUsed + external after full GCs (Buffers hold stream data outside the V8 heap). */
  liveMemory(): Promise<number>;
  stop(): Promise<void>;
}

/** rivulet as a child process with --expose-gc and bench/memprobe.js (SIGUSR2 → GC + memory line on stderr). */
async function startProbed(): Promise<ProbedServer> {
  const port = await freePort();
  const probe = path.join(ROOT, 'dist', 'bench', 'memprobe.js');
  const proc = spawn(process.execPath, ['--expose-gc', '--import', probe, BIN, '--port', String(port), '--appendonly', 'no', '--save', ''], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  await waitForPing(port);
  return {
    port,
    proc,
    output: () => out + err,
    async liveMemory() {
      const from = err.length;
      proc.kill('SIGUSR2');
      for (let i = 0; i < 200; i++) {
        const m = /MEMPROBE (\{.*\})\n/.exec(err.slice(from));
        if (m) {
          const v = JSON.parse(m[1]) as { heapUsed: number; external: number; gc: boolean };
          expect(v.gc, 'memprobe ran with --expose-gc').to.equal(true);
          return v.heapUsed + v.external;
        }
        await sleep(10);
      }
      throw new Error('no MEMPROBE line');
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** SET/GET/XADD/XRANGE in a loop, checking every reply, until stop() is called. */
function steadyClient(port: number): { stop: () => Promise<{ iterations: number; errors: string[] }> } {
  let running = true;
  const errors: string[] = [];
  let iterations = 0;
  const loop = (async () => {
    const c = await RawConnection.open(port);
    const check = (what: string, got: unknown, want: unknown): void => {
      if (JSON.stringify(got) !== JSON.stringify(want) && errors.length < 20) errors.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    };
    let entries = 0;
    try {
      while (running) {
        const i = iterations++;
        check('SET', await c.call('SET', `steady:k${i % 50}`, `v${i}`), 'OK');
        check('GET', await c.call('GET', `steady:k${i % 50}`), `v${i}`);
        const id = normalise(await c.call('XADD', 'steady:s', '*', 'n', String(i)));
        if (typeof id !== 'string' || !/^\d+-\d+$/.test(id)) check('XADD', id, '<id>');
        else {
          entries++;
          check('XRANGE', normalise(await c.call('XRANGE', 'steady:s', id, id)), [[id, ['n', String(i)]]]);
        }
        if (i % 50 === 0) check('XLEN', await c.call('XLEN', 'steady:s'), entries);
      }
    } catch (err) {
      errors.push(`steady client failed: ${(err as Error).message}`);
    } finally {
      c.close();
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { iterations, errors };
    },
  };
}

describe(`protocol fuzzer (${INPUTS} inputs, seed ${SEED})`, function () {
  this.timeout(Math.max(60000, INPUTS * 20));
  let srv: ProbedServer;

  before(async () => {
    srv = await startProbed();
  });
  after(async () => {
    await srv?.stop();
  });

  it('never crashes the server, never disturbs a steady client, and memory returns near its baseline', async () => {
    const rng = new Prng(SEED);
    let exited: string | null = null;
    srv.proc.once('exit', (code, signal) => (exited = `server exited (code ${code}, signal ${signal})`));

    // Warm up (JIT, pools), then take the baseline on an empty keyspace.
    for (let i = 0; i < 200; i++) await fire(srv.port, generate(new Prng(SEED ^ 0x5eed ^ i)));
    const admin = await RawConnection.open(srv.port);
    await admin.call('FLUSHALL');
    const baseline = await srv.liveMemory();

    const steady = steadyClient(srv.port);
    let next = 0;
    const inputs: Buffer[] = [];
    const worker = async (): Promise<void> => {
      while (next < INPUTS && exited === null) {
        const input = generate(rng);
        inputs[next++ % 64] = input;
        await fire(srv.port, input);
      }
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const { iterations, errors } = await steady.stop();
    const elapsed = Date.now() - t0;

    expect(exited, `seed ${SEED}`).to.equal(null);
    expect(errors, `seed ${SEED}`).to.deep.equal([]);
    expect(iterations, 'the steady client kept working').to.be.above(50);
    expect(await admin.call('PING')).to.equal('PONG');
    const internal = srv.output().split('\n').filter((l) => l.includes('Internal error'));
    expect(internal, `handler exceptions (seed ${SEED})`).to.deep.equal([]);

    await admin.call('FLUSHALL');
    admin.close();
    await sleep(50);
    const after = await srv.liveMemory();
    const grown = after - baseline;
    console.log(
      `      ${next} inputs in ${elapsed} ms, ${iterations} steady iterations; live memory ${(baseline / 1048576).toFixed(1)} MB → ${(after / 1048576).toFixed(1)} MB`,
    );
    expect(grown, 'live memory growth after the run (bytes)').to.be.below(8 * 1024 * 1024);
  });
});
