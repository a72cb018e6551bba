/**
 * Start-up time as `npm run bench` measures it (bench/servers.ts: spawn →
 * first PONG, polling every millisecond), in alternating rounds of rivulet and
 * redis-server, plus the server's own CPU time up to that PONG (utime + stime
 * from /proc/<pid>/stat, 10 ms ticks), which the machine's load disturbs less
 * than the wall clock. Node's own start (`node -e 0`, same environment) is
 * timed in the same rounds for reference.
 *
 *   node dist/bench/startup.js [--runs 20] [--no-redis] [--versus path/to/bin/rivulet-server]
 *
 * --versus adds a second rivulet build to the rounds (before/after).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { startServer, type Kind } from './servers.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};

function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

/** Wall ms of `node -e 0` (spawn → exit). */
function nodeAlone(): Promise<number> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    p.once('error', reject);
    p.once('exit', () => resolve(Number(process.hrtime.bigint() - t0) / 1e6));
  });
}

const med = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const fmt = (a: number[]): string => (a.length === 0 ? '-' : `median ${med(a).toFixed(1)}, min ${Math.min(...a).toFixed(1)}`);

async function main(): Promise<void> {
  const runs = arg('--runs', 20);
  const vi = process.argv.indexOf('--versus');
  const versus = vi >= 0 ? process.argv[vi + 1] : undefined;
  const entries: { label: string; kind: Kind; bin?: string }[] = [{ label: 'rivulet', kind: 'rivulet' }];
  if (versus !== undefined) entries.push({ label: 'versus', kind: 'rivulet', bin: versus });
  if (!process.argv.includes('--no-redis')) entries.push({ label: 'redis', kind: 'redis' });
  const wall = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, k: string, v: number) => m.set(k, [...(m.get(k) ?? []), v]);
  for (let i = 0; i < runs; i++) {
    for (const e of i % 2 === 0 ? entries : [...entries].reverse()) {
      const s = await startServer(e.kind, { appendonly: false, bin: e.bin });
      if (e.kind === 'rivulet') push(cpu, e.label, cpuMs(s.pid));
      push(wall, e.label, s.pongMs);
      await s.stop();
    }
    push(wall, 'node -e 0', await nodeAlone());
  }
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  process.stdout.write(`spawn → first PONG, ${runs} alternating rounds (load average at the end: ${load})\n`);
  if (versus !== undefined) process.stdout.write(`  versus = ${versus}\n`);
  for (const [k, v] of wall) process.stdout.write(`  ${k.padEnd(10)} wall ms: ${fmt(v)}\n`);
  for (const [k, v] of cpu) process.stdout.write(`  ${k.padEnd(10)} CPU ms to PONG (10 ms ticks): ${fmt(v)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
