/**
 * Runs Debian's redis-benchmark against a port and parses its --csv output:
 *
 *   "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
 *   "XADD bench:s * f v","88888.89","0.313","0.080","0.271","0.439","0.871","5.039"
 */
import { execFile } from 'node:child_process';

export interface BenchOptions {
  clients: number;
  requests: number;
  pipeline?: number;
  /** -r: __rand_int__ in the command is replaced by a 12-digit number below this. */
  randomRange?: number;
  command: string[];
}

export interface BenchResult {
  rps: number;
  p50: number;
  p99: number;
}

export function redisBenchmark(port: number, o: BenchOptions): Promise<BenchResult> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-c', String(o.clients), '-n', String(o.requests), '-P', String(o.pipeline ?? 1), '-q', '--csv'];
  if (o.randomRange) args.push('-r', String(o.randomRange));
  args.push(...o.command);
  return new Promise((resolve, reject) => {
    execFile('redis-benchmark', args, { maxBuffer: 1 << 20, timeout: 300_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`redis-benchmark failed: ${err.message}\n${stderr}`));
      const row = stdout
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('"') && !l.startsWith('"test"'))
        .pop();
      if (!row) return reject(new Error(`redis-benchmark printed no result:\n${stdout}\n${stderr}`));
      const cells = row.split('","').map((s) => s.replace(/"/g, ''));
      const rps = Number(cells[1]);
      if (!(rps > 0)) return reject(new Error(`redis-benchmark result unreadable: ${row}`));
      resolve({ rps, p50: Number(cells[4]), p99: Number(cells[6]) });
    });
  });
}
