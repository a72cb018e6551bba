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

export interface TestsOptions {
  clients: number;
  requests: number;
  pipeline: number;
  /** redis-benchmark -t names (lpush, lrange_100, ...); it runs them in its own fixed order. */
  tests: string[];
}

/**
 * Runs some of redis-benchmark's built-in tests (-t) and returns one result
 * per test, keyed by the -t name in lower case ("lrange_100"). The LPUSH that
 * fills the list before the LRANGE tests is not returned. redis-benchmark 7
 * exits with an error on the first error reply, so a result means no errors.
 */
export function redisBenchmarkTests(port: number, o: TestsOptions): Promise<Map<string, BenchResult>> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-c', String(o.clients), '-n', String(o.requests), '-P', String(o.pipeline), '-q', '--csv', '-t', o.tests.join(',')];
  return new Promise((resolve, reject) => {
    execFile('redis-benchmark', args, { maxBuffer: 1 << 20, timeout: 600_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`redis-benchmark -t ${o.tests.join(',')} failed: ${err.message}\n${stdout.slice(-500)}\n${stderr}`));
      const out = new Map<string, BenchResult>();
      for (const line of stdout.split('\n')) {
        const l = line.trim();
        if (!l.startsWith('"') || l.startsWith('"test"') || l.includes('(needed')) continue;
        const cells = l.split('","').map((s) => s.replace(/"/g, ''));
        const name = cells[0].split(' ')[0].toLowerCase();
        const rps = Number(cells[1]);
        if (!(rps > 0)) return reject(new Error(`redis-benchmark result unreadable: ${l}`));
        out.set(name, { rps, p50: Number(cells[4]), p99: Number(cells[6]) });
      }
      const missing = o.tests.filter((t) => !out.has(t));
      if (missing.length) return reject(new Error(`redis-benchmark printed no result for ${missing.join(', ')}:\n${stdout.slice(-500)}\n${stderr}`));
      resolve(out);
    });
  });
}
