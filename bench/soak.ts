/**
 * Soak run (`npm run soak`, not part of `npm test`): SOAK_CLIENTS clients
 * (50) doing mixed stream work with consumer groups — XADD, XREADGROUP,
 * XACK, XAUTOCLAIM, XPENDING, XRANGE — for SOAK_SECONDS (60) or SOAK_OPS
 * operations, against a rivulet child process under `appendfsync always`
 * that is SIGKILLed and restarted every SOAK_KILL_MS (7000) ms.
 *
 * Afterwards (and again after one more SIGKILL restart):
 *  - every XADD that was acknowledged is in its stream;
 *  - for every group, the XPENDING summary count equals the sum of its
 *    per-consumer counts, equals XINFO GROUPS `pending`, and each consumer's
 *    XINFO CONSUMERS `pending` equals its XPENDING count.
 * Exits 0 when all holds, 1 otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, freePort, waitForPing, tmpDir, rmrf, RawConnection, normalise, sleep } from '../spec/helpers.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const MAX_OPS = Number(process.env.SOAK_OPS ?? 5_000_000);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 50);
const KILL_MS = Number(process.env.SOAK_KILL_MS ?? 7000);
const STREAMS = ['soak:0', 'soak:1', 'soak:2', 'soak:3', 'soak:4'];
const GROUPS = ['g1', 'g2'];

let proc: ChildProcess | null = null;
let port = 0;
let dir = '';
let restarts = 0;

async function startServer(): Promise<void> {
  proc = spawn(process.execPath, [BIN, '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--loglevel', 'warning'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPing(port, 30000);
}

async function killServer(): Promise<void> {
  const p = proc;
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await exited;
}

/** Acknowledged XADD IDs per stream. */
const acked = new Map<string, Set<string>>(STREAMS.map((s) => [s, new Set()]));
let ops = 0;
let failedOps = 0;
let running = true;

function rand(n: number): number {
  return Math.floor(Math.random() * n);
}

async function client(id: number): Promise<void> {
  let conn: RawConnection | null = null;
  let seq = 0;
  while (running && ops < MAX_OPS) {
    try {
      conn ??= await RawConnection.open(port);
      const s = STREAMS[rand(STREAMS.length)];
      const g = GROUPS[rand(GROUPS.length)];
      const consumer = `c${id % 10}`;
      const dice = rand(100);
      if (dice < 50) {
        const r = await conn.call('XADD', s, '*', 'client', String(id), 'n', String(seq++));
        if (typeof r === 'string') acked.get(s)!.add(r);
      } else if (dice < 85) {
        const r = normalise(await conn.call('XREADGROUP', 'GROUP', g, consumer, 'COUNT', '5', 'STREAMS', s, '>')) as [string, [string, unknown][]][] | null;
        const ids = r?.[0]?.[1].map((e) => e[0]) ?? [];
        const toAck = ids.filter(() => Math.random() < 0.7);
        if (toAck.length > 0) await conn.call('XACK', s, g, ...toAck);
      } else if (dice < 90) {
        await conn.call('XAUTOCLAIM', s, g, consumer, '0', '0', 'COUNT', '3');
      } else if (dice < 95) {
        await conn.call('XPENDING', s, g, '-', '+', '10');
      } else {
        await conn.call('XRANGE', s, '-', '+', 'COUNT', '10');
      }
      ops++;
    } catch {
      // The server was killed: the outcome of the command in flight is unknown (not recorded as acknowledged).
      failedOps++;
      conn?.close();
      conn = null;
      await sleep(50);
    }
  }
  conn?.close();
}

async function verify(label: string): Promise<string[]> {
  const problems: string[] = [];
  const c = await RawConnection.open(port);
  try {
    for (const s of STREAMS) {
      const present = new Set((normalise(await c.call('XRANGE', s, '-', '+')) as [string, unknown][]).map((e) => e[0]));
      let missing = 0;
      for (const id of acked.get(s)!) if (!present.has(id)) missing++;
      if (missing > 0) problems.push(`${label}: ${s}: ${missing} acknowledged entries missing`);
      const infoGroups = normalise(await c.call('XINFO', 'GROUPS', s)) as unknown[][];
      for (const g of GROUPS) {
        const summary = normalise(await c.call('XPENDING', s, g)) as [number, string | null, string | null, [string, string][] | null];
        const perConsumer = new Map((summary[3] ?? []).map(([name, n]) => [name, Number(n)]));
        const sum = [...perConsumer.values()].reduce((a, b) => a + b, 0);
        if (sum !== summary[0]) problems.push(`${label}: ${s}/${g}: XPENDING count ${summary[0]} != sum of consumers ${sum}`);
        const info = infoGroups.find((x) => x[1] === g);
        const infoPending = info ? Number(info[info.indexOf('pending') + 1]) : NaN;
        if (infoPending !== summary[0]) problems.push(`${label}: ${s}/${g}: XINFO GROUPS pending ${infoPending} != XPENDING ${summary[0]}`);
        const consumers = normalise(await c.call('XINFO', 'CONSUMERS', s, g)) as unknown[][];
        for (const cons of consumers) {
          const name = String(cons[cons.indexOf('name') + 1]);
          const pending = Number(cons[cons.indexOf('pending') + 1]);
          if ((perConsumer.get(name) ?? 0) !== pending) problems.push(`${label}: ${s}/${g}/${name}: XINFO CONSUMERS pending ${pending} != XPENDING ${perConsumer.get(name) ?? 0}`);
        }
      }
    }
  } finally {
    c.close();
  }
  return problems;
}

async function main(): Promise<void> {
  port = await freePort();
  dir = tmpDir('rivulet-soak-');
  await startServer();
  const setup = await RawConnection.open(port);
  for (const s of STREAMS) for (const g of GROUPS) await setup.call('XGROUP', 'CREATE', s, g, '0', 'MKSTREAM');
  setup.close();

  const t0 = Date.now();
  const workers = Array.from({ length: CLIENTS }, (_, i) => client(i));
  const killer = (async () => {
    while (running) {
      await sleep(KILL_MS);
      if (!running) break;
      await killServer();
      restarts++;
      await startServer();
    }
  })();
  while (Date.now() - t0 < SECONDS * 1000 && ops < MAX_OPS) await sleep(200);
  running = false;
  await Promise.all(workers);
  await killer;
  const elapsed = (Date.now() - t0) / 1000;

  const problems = await verify('after the run');
  await killServer();
  restarts++;
  await startServer();
  problems.push(...(await verify('after a final SIGKILL restart')));
  await killServer();
  rmrf(dir);

  const ackedTotal = [...acked.values()].reduce((a, s) => a + s.size, 0);
  console.log(
    `soak: ${CLIENTS} clients, ${elapsed.toFixed(1)} s, ${ops} operations (${(ops / elapsed).toFixed(0)}/s), ${failedOps} interrupted by kills, ` +
      `${restarts} SIGKILL restarts, ${ackedTotal} acknowledged XADDs checked`,
  );
  if (problems.length > 0) {
    console.log(`soak: FAILED\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('soak: OK — every acknowledged entry present; XPENDING summaries = sum of consumers = XINFO, for every group');
  process.exit(0);
}

main().catch(async (err) => {
  console.error(err);
  await killServer();
  process.exit(1);
});
