/** Counters behind INFO stats, commandstats and errorstats. */
import { LatencyHistogram } from './oplog.js';

export interface CommandStat {
  calls: number;
  usec: number;
  rejected: number;
  failed: number;
  /**
   * Latency histogram while `Stats.trackLatency` is on (the metrics endpoint
   * turns it on): hist[i] counts calls that took at most 2^i µs (and more than
   * 2^(i-1) µs), i < LATENCY_BUCKETS; the last bucket takes everything above.
   * Created on the command's first timed call after tracking began.
   */
  hist?: number[];
  /** Sum of the µs counted in `hist` (calls timed while tracking). */
  histUsec?: number;
  /** INFO latencystats / LATENCY HISTOGRAM (while `latency-tracking yes`): created on the first call. */
  latency?: LatencyHistogram;
}

/** Latency buckets: upper bounds 1, 2, 4, ... 2^(LATENCY_BUCKETS-1) µs (the last also takes anything slower). */
export const LATENCY_BUCKETS = 25;

/** The histogram bucket of a call that took `usec` µs: the least i with usec <= 2^i (capped). O(1). */
export function latencyBucket(usec: number): number {
  const u = Math.ceil(usec);
  if (u <= 1) return 0;
  const i = 32 - Math.clz32(u - 1);
  return i < LATENCY_BUCKETS ? i : LATENCY_BUCKETS - 1;
}

export class Stats {
  commandsProcessed = 0;
  connectionsReceived = 0;
  rejectedConnections = 0;
  expiredKeys = 0;
  /** Keys freed by FLUSHALL/FLUSHDB as Redis 7.4 frees them, in the background (INFO lazyfreed_objects). */
  lazyfreedObjects = 0;
  /** Hash fields removed by field expiry (INFO expired_subkeys). */
  expiredSubkeys = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  protocolErrors = 0;
  totalErrorReplies = 0;
  /** Per command (`xgroup|create` for subcommands). */
  readonly commands = new Map<string, CommandStat>();
  /** Per error code (`ERR`, `NOGROUP`, ...). */
  readonly errors = new Map<string, number>();
  /** Record per-command latency histograms (CommandStat.hist); off unless the metrics endpoint runs. */
  trackLatency = false;
  /** latency-tracking: per-command histograms for INFO latencystats and LATENCY HISTOGRAM (Redis's default: on). */
  latencyTracking = true;

  private stat(name: string): CommandStat {
    let s = this.commands.get(name);
    if (!s) this.commands.set(name, (s = { calls: 0, usec: 0, rejected: 0, failed: 0 }));
    return s;
  }

  recordCall(name: string, usec: number): void {
    const s = this.stat(name);
    s.calls++;
    s.usec += usec;
    if (this.latencyTracking) (s.latency ??= new LatencyHistogram()).record(usec);
    if (this.trackLatency) {
      (s.hist ??= new Array<number>(LATENCY_BUCKETS).fill(0))[latencyBucket(usec)]++;
      s.histUsec = (s.histUsec ?? 0) + usec;
    }
  }

  /** An error reply; `rejected` when the command never ran (arity, auth, OOM...), else it failed while running. */
  recordError(code: string, command: string | null, rejected: boolean): void {
    this.totalErrorReplies++;
    // Redis caps distinct error codes at 128 to bound memory.
    if (this.errors.has(code) || this.errors.size < 128) this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
    if (command === null) return;
    const s = this.stat(command);
    if (rejected) s.rejected++;
    else s.failed++;
  }

  reset(): void {
    this.commandsProcessed = 0;
    this.connectionsReceived = 0;
    this.rejectedConnections = 0;
    this.expiredKeys = 0;
    this.lazyfreedObjects = 0;
    this.expiredSubkeys = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.totalErrorReplies = 0;
    this.commands.clear();
    this.errors.clear();
  }
}
