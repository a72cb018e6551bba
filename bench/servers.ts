/**
 * Starting and stopping the two servers under test as child processes, on a
 * free loopback port, each in its own temporary directory.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RespClient, parseInfo } from './resp.js';

export type Kind = 'rivulet' | 'redis';

/** Repo root (this file runs from dist/bench/). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** RIVULET_BIN overrides it, to measure an experimental build side by side. */
export const RIVULET_BIN = process.env.RIVULET_BIN ?? path.join(ROOT, 'bin', 'rivulet-server');

export function hasBinary(name: string): boolean {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

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

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface StartOptions {
  appendonly?: boolean;
  appendfsync?: 'always' | 'everysec' | 'no';
  /** Reuse a directory (AOF load); otherwise a fresh temp dir is made and removed on stop. */
  dir?: string;
  /** Another rivulet-server to start instead of RIVULET_BIN (bench/startup.ts --versus). */
  bin?: string;
  /** Extra node flags for rivulet (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** Directives given to both servers (e.g. --maxclients N). */
  extraArgs?: string[];
  /** A command the server runs under (e.g. valgrind --tool=callgrind ...): its argv, the server's follows. */
  wrapper?: string[];
  timeoutMs?: number;
}

export interface Running {
  kind: Kind;
  port: number;
  pid: number;
  dir: string;
  /** Whether it was started with appendonly yes. */
  appendonly: boolean;
  /** Spawn → first PONG with INFO persistence loading:0 (ms). */
  readyMs: number;
  /** Spawn → first PONG (ms). */
  pongMs: number;
  output(): string;
  /** The child process's signal sender (memory probe). */
  signal(sig: NodeJS.Signals): void;
  /** Graceful stop (SIGTERM, then SIGKILL after a grace period). Removes the temp dir unless it was given. */
  stop(opts?: { keepDir?: boolean }): Promise<void>;
}

export async function startServer(kind: Kind, opts: StartOptions = {}): Promise<Running> {
  const port = await freePort();
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), `bench-${kind}-`));
  const common = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', opts.appendonly ? 'yes' : 'no'];
  if (opts.appendfsync) common.push('--appendfsync', opts.appendfsync);
  if (opts.extraArgs) common.push(...opts.extraArgs);
  let proc: ChildProcess;
  const t0 = process.hrtime.bigint();
  const w = opts.wrapper ?? [];
  const run = (cmd: string, args: string[]): ChildProcess =>
    w.length > 0 ? spawn(w[0], [...w.slice(1), cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir }) : spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  if (kind === 'rivulet') {
    proc = run(process.execPath, [...(opts.nodeFlags ?? []), opts.bin ?? RIVULET_BIN, ...common]);
  } else {
    proc = run('redis-server', [...common, '--save', '', '--daemonize', 'no', '--protected-mode', 'no']);
  }
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);

  // Poll for PONG every millisecond or two: the start-up time is a headline figure.
  let pongMs = -1;
  let readyMs = -1;
  while (readyMs < 0) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`${kind} exited during start-up:\n${out.slice(-2000)}`);
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`${kind} did not answer PING in time:\n${out.slice(-2000)}`);
    }
    let c: RespClient | null = null;
    try {
      c = await RespClient.connect(port);
      const r = await c.call(['PING']);
      if (r === 'PONG') {
        const t = Number(process.hrtime.bigint() - t0) / 1e6;
        if (pongMs < 0) pongMs = t;
        const info = parseInfo(await c.call(['INFO', 'persistence']));
        if (info.get('loading') !== '1') readyMs = Number(process.hrtime.bigint() - t0) / 1e6;
      }
    } catch {
      /* not listening yet */
    } finally {
      c?.close();
    }
    if (readyMs < 0) await sleep(pongMs < 0 ? 1 : 5);
  }

  return {
    kind,
    port,
    pid: proc.pid!,
    dir,
    appendonly: opts.appendonly === true,
    readyMs,
    pongMs,
    output: () => out,
    signal: (sig) => proc.kill(sig),
    async stop(stopOpts = {}) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      if (ownDir && !stopOpts.keepDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Removes a directory given to startServer. */
export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
