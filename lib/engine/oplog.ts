/**
 * What SLOWLOG, LATENCY and INFO latencystats read (pure data: no sessions,
 * no sockets):
 *
 * - the slow log: commands that ran at least `slowlog-log-slower-than` µs
 *   (-1: never, 0: every command), newest first, at most `slowlog-max-len`
 *   entries, arguments capped as Redis caps them (32 arguments, 128 bytes
 *   each);
 * - the latency monitor: per event (`command`, `fast-command`), one sample
 *   per second (the worst of that second) of every call that took at least
 *   `latency-monitor-threshold` ms (0: off), the last 160 kept, and the
 *   all-time maximum;
 * - per-command latency histograms (`latency-tracking yes`): log-linear
 *   buckets, 32 per power of two (about 3% resolution), of nanoseconds
 *   from 1 µs up; Redis keeps HDR histograms with 2 significant digits.
 */

/** Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING. */
const SLOWLOG_MAX_ARGC = 32;
const SLOWLOG_MAX_STRING = 128;
/** Redis's LATENCY_TS_LEN: samples kept per event. */
export const LATENCY_TS_LEN = 160;

export interface SlowlogEntry {
  /** Unique, increasing from 0 (SLOWLOG RESET does not restart it). */
  id: number;
  /** Unix seconds when it was logged. */
  time: number;
  /** Microseconds the command ran (whole µs). */
  duration: number;
  /** The arguments, capped (see push). */
  argv: Buffer[];
  /** ip:port of the client (CLIENT LIST's addr). */
  peer: string;
  /** CLIENT SETNAME's name, or ''. */
  name: string;
}

export class SlowLog {
  /** Newest first; never longer than the max-len given to the last push. */
  entries: SlowlogEntry[] = [];
  private nextId = 0;

  /** Logs a command that took `duration` µs (the caller checked the threshold). Trims to maxLen. O(argc). */
  push(argv: Buffer[], duration: number, peer: string, name: string, maxLen: number): void {
    const n = Math.min(argv.length, SLOWLOG_MAX_ARGC);
    const kept: Buffer[] = new Array(n);
    for (let j = 0; j < n; j++) {
      if (n !== argv.length && j === n - 1) {
        kept[j] = Buffer.from(`... (${argv.length - n + 1} more arguments)`);
      } else if (argv[j].length > SLOWLOG_MAX_STRING) {
        kept[j] = Buffer.concat([argv[j].subarray(0, SLOWLOG_MAX_STRING), Buffer.from(`... (${argv[j].length - SLOWLOG_MAX_STRING} more bytes)`)]);
      } else {
        // A copy: the argv buffers may be views of the connection's query buffer.
        kept[j] = Buffer.from(argv[j]);
      }
    }
    this.entries.unshift({ id: this.nextId++, time: Math.floor(Date.now() / 1000), duration: Math.floor(duration), argv: kept, peer, name });
    if (this.entries.length > maxLen) this.entries.length = maxLen;
  }

  reset(): void {
    this.entries = [];
  }
}

export interface LatencySeries {
  /** [unix seconds, ms], oldest first, at most LATENCY_TS_LEN, one per second. */
  samples: [number, number][];
  /** The highest ms ever recorded for the event. */
  max: number;
}

export class LatencyMonitor {
  /** Event name → its time series, in first-seen order. */
  readonly events = new Map<string, LatencySeries>();

  /** Records `ms` for the event (Redis's latencyAddSample): one sample per second, the worst of it. */
  add(event: string, ms: number): void {
    const now = Math.floor(Date.now() / 1000);
    let ts = this.events.get(event);
    if (!ts) this.events.set(event, (ts = { samples: [], max: 0 }));
    if (ms > ts.max) ts.max = ms;
    const last = ts.samples[ts.samples.length - 1];
    if (last !== undefined && last[0] === now) {
      if (ms > last[1]) last[1] = ms;
      return;
    }
    ts.samples.push([now, ms]);
    if (ts.samples.length > LATENCY_TS_LEN) ts.samples.shift();
  }

  /** Resets one event (or every event with no name); returns how many were reset. */
  reset(event?: string): number {
    if (event === undefined) {
      const n = this.events.size;
      this.events.clear();
      return n;
    }
    return this.events.delete(event) ? 1 : 0;
  }
}

/** Sub-buckets per power of two. */
const SUB = 32;
const SUB_SHIFT = 5;
/** Redis's LATENCY_HISTOGRAM_MIN_VALUE (1 µs) and MAX_VALUE (1000 s), in ns. */
const MIN_NS = 1024;
const MAX_NS = 1_000_000_000_000;
/** Powers of two from 2^10 ns up to 2^40 ns (~1100 s). */
const BUCKETS = (41 - 10) * SUB;

/**
 * A per-command latency histogram. counts[i] counts calls whose duration
 * (ns, clamped to [1024, 1e12]) falls in bucket i: power of two e = 10 + i/SUB,
 * sub-step i % SUB of width 2^(e - SUB_SHIFT). Recording is O(1), allocation-free.
 */
export class LatencyHistogram {
  readonly counts = new Uint32Array(BUCKETS);
  total = 0;

  /** O(1), no allocation; integer operations below 2^31 ns (2.1 s), Math.log2 only beyond. */
  record(usec: number): void {
    let ns = Math.floor(usec * 1000);
    if (ns < MIN_NS) ns = MIN_NS;
    let i: number;
    if (ns < 0x80000000) {
      const e = 31 - Math.clz32(ns);
      i = (e - 10) * SUB + ((ns >>> (e - SUB_SHIFT)) & (SUB - 1));
    } else {
      if (ns > MAX_NS) ns = MAX_NS;
      const e = Math.floor(Math.log2(ns));
      const sub = Math.floor(ns / 2 ** (e - SUB_SHIFT)) - SUB;
      i = (e - 10) * SUB + (sub < 0 ? 0 : sub >= SUB ? SUB - 1 : sub);
    }
    this.counts[i]++;
    this.total++;
  }

  /** The highest value (ns) of the bucket holding the percentile (hdr_value_at_percentile), 0 when empty. */
  valueAtPercentile(p: number): number {
    if (this.total === 0) return 0;
    const want = Math.max(1, Math.ceil((Math.min(100, p) / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= want) return bucketHigh(i);
    }
    return MAX_NS;
  }

  /**
   * LATENCY HISTOGRAM's histogram_usec: cumulative counts at the bounds Redis
   * reports — the highest value equivalent to 1024·2^k ns in its HDR
   * histogram (2^(10+k) + 2^(3+k) - 1 ns), in whole µs: 1, 2, 4, 8, 16, 33,
   * 66, 132, ... — listed only where the count grew.
   */
  cumulativeUsec(): [number, number][] {
    const out: [number, number][] = [];
    let cum = 0;
    let prev = 0;
    for (let k = 0; k * SUB < BUCKETS && prev < this.total; k++) {
      const from = k === 0 ? 0 : (k - 1) * SUB + 1;
      for (let i = from; i <= k * SUB && i < BUCKETS; i++) cum += this.counts[i];
      if (cum > prev) out.push([Math.floor((2 ** (10 + k) + 2 ** (3 + k) - 1) / 1000), cum]);
      prev = cum;
    }
    return out;
  }
}

function bucketHigh(i: number): number {
  const e = 10 + Math.floor(i / SUB);
  const s = i % SUB;
  return (SUB + s + 1) * 2 ** (e - SUB_SHIFT) - 1;
}
