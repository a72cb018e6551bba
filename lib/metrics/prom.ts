/**
 * The Prometheus side of the metrics endpoint: prom-client registries whose
 * metrics read one snapshot of the server taken at the start of each scrape.
 *
 * Names follow Prometheus conventions (base units, `_total` counters) and,
 * wherever the widely used redis_exporter has a metric for the same thing,
 * its name and labels (`db="db0"`, `stream`, `group`, `consumer`, `cmd`,
 * `err`), so existing Grafana panels work. Figures redis_exporter does not
 * have keep the `redis_` prefix when they describe Redis-visible state
 * (e.g. `redis_stream_group_oldest_pending_idle_seconds`) and use
 * `rivulet_` for the endpoint's own figures.
 *
 * The server's families are encoded here (`encodeFamilies`), in exactly the
 * text prom-client's Registry writes for them (spec/metrics/encoder.spec.ts
 * compares the two byte for byte): prom-client's own encoder builds several
 * arrays, a label-entry list and a WeakMap entry per sample, which made it most
 * of a scrape's CPU (bench/PROFILE.md). Here each distinct label set is
 * rendered once per scrape (the per-stream, per-group and per-consumer label
 * objects are shared by all of that object's samples). Each family keeps
 * prom-client's metric shape (`name`, `help`, `type`, `get()`), so the same
 * families can still be registered in a prom-client Registry
 * (`PromExporter.textViaPromClient`, for that spec). Process figures (RSS,
 * heap, event-loop lag, GC) come from prom-client's default metrics,
 * collected into one registry per process and encoded by prom-client.
 */
import client from 'prom-client';
import type { Engine } from '../engine/engine.js';
import { LATENCY_BUCKETS, type CommandStat } from '../engine/stats.js';
import { REDIS_VERSION, VERSION } from '../version.js';
import type { AofView, ConsumerView, GroupView, StreamView } from './state.js';

type Labels = Record<string, string | number>;
interface Sample {
  value: number;
  labels?: Labels;
  metricName?: string;
}
type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

/** What one scrape reads. */
export interface Scrape {
  server: Engine;
  now: number;
  streams: StreamView[];
  /** Streams matching `metrics-streams` before the `metrics-streams-max` bound. */
  matched: number;
  aof: AofView;
  /** Process RSS and used_memory at the scrape. */
  rss: number;
  usedMemory: number;
  /** How long the previous scrape took to collect and encode (ms; 0 before the second scrape). */
  lastScrapeMs: number;
  /** CPU time (user + system) the process used during the previous scrape (ms). */
  lastScrapeCpuMs: number;
}

/** A family computed from the current scrape when prom-client asks for it. */
export class Family {
  readonly aggregator = 'sum';
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: MetricType,
    private readonly compute: (s: Scrape) => Sample[],
    private readonly current: () => Scrape,
  ) {}

  get(): { name: string; help: string; type: MetricType; values: Sample[]; aggregator: string } {
    return { name: this.name, help: this.help, type: this.type, values: this.compute(this.current()), aggregator: this.aggregator };
  }

  reset(): void {}
}

/** Recently decoded names (a scrape labels each stream, group and consumer many times). */
const texts = new Map<string, string>();

/** Display form of a binary-safe name (latin1 string of its bytes): its UTF-8 text. */
export function labelText(latin1: string): string {
  let t = texts.get(latin1);
  if (t === undefined) {
    // Pure ASCII (the usual case) reads the same either way.
    t = /^[\x00-\x7f]*$/.test(latin1) ? latin1 : Buffer.from(latin1, 'latin1').toString('utf8');
    if (texts.size >= 100_000) texts.clear();
    texts.set(latin1, t);
  }
  return t;
}

/**
 * The label objects of a stream, group and consumer view, made once per view
 * (views are made afresh at each scrape) and shared by all of its samples, so
 * that the encoder renders each label set once (`renderLabels` caches by object).
 */
const viewLabels = new WeakMap<object, Labels>();
function streamLabels(v: StreamView): Labels {
  let l = viewLabels.get(v);
  if (l === undefined) viewLabels.set(v, (l = { db: `db${v.db}`, stream: labelText(v.key) }));
  return l;
}
function groupLabels(v: StreamView, g: GroupView): Labels {
  let l = viewLabels.get(g);
  if (l === undefined) viewLabels.set(g, (l = { db: `db${v.db}`, stream: labelText(v.key), group: labelText(g.name) }));
  return l;
}
function consumerLabels(v: StreamView, g: GroupView, c: ConsumerView): Labels {
  let l = viewLabels.get(c);
  if (l === undefined) viewLabels.set(c, (l = { db: `db${v.db}`, stream: labelText(v.key), group: labelText(g.name), consumer: labelText(c.name) }));
  return l;
}

const sec = (ms: number): number => ms / 1000;
const one = (value: number): Sample[] => [{ value }];

let processRegistry: client.Registry | null = null;

/** prom-client's default process/Node.js metrics, registered once per process (they install process-wide observers). */
function processMetrics(): client.Registry {
  if (processRegistry === null) {
    processRegistry = new client.Registry();
    client.collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Every per-server family, in exposition order. */
function families(current: () => Scrape): Family[] {
  const f = (name: string, help: string, type: MetricType, compute: (s: Scrape) => Sample[]): Family =>
    new Family(name, help, type, compute, current);
  const perStream = (pick: (v: StreamView) => number) => (s: Scrape): Sample[] =>
    s.streams.map((v) => ({ labels: streamLabels(v), value: pick(v) }));
  const perGroup =
    (pick: (g: StreamView['groups'][number]) => number | null) =>
    (s: Scrape): Sample[] => {
      const out: Sample[] = [];
      for (const v of s.streams) {
        for (const g of v.groups) {
          const value = pick(g);
          if (value !== null) out.push({ labels: groupLabels(v, g), value });
        }
      }
      return out;
    };
  const perConsumer =
    (pick: (c: StreamView['groups'][number]['consumers'][number]) => number | null) =>
    (s: Scrape): Sample[] => {
      const out: Sample[] = [];
      for (const v of s.streams) {
        for (const g of v.groups) {
          for (const c of g.consumers) {
            const value = pick(c);
            if (value === null) continue;
            out.push({ labels: consumerLabels(v, g, c), value });
          }
        }
      }
      return out;
    };
  const stat = (pick: (st: CommandStat) => number) => (s: Scrape): Sample[] => {
    const out: Sample[] = [];
    for (const [cmd, st] of s.server.stats.commands) out.push({ labels: { cmd }, value: pick(st) });
    return out;
  };

  return [
    // ---- server ----
    f('redis_up', 'Information about the Redis instance (1: the server answers).', 'gauge', () => one(1)),
    f('redis_instance_info', 'Information about the Redis instance', 'gauge', (s) => [
      {
        labels: {
          role: 'master',
          redis_version: REDIS_VERSION,
          rivulet_version: VERSION,
          redis_mode: 'standalone',
          tcp_port: s.server.port,
          run_id: s.server.runId,
          process_id: process.pid,
          maxmemory_policy: s.server.config.get('maxmemory-policy'),
        },
        value: 1,
      },
    ]),
    f('redis_start_time_seconds', 'Start time of the Redis instance since unix epoch in seconds.', 'gauge', (s) => one(sec(s.server.startTime))),
    f('redis_uptime_in_seconds', 'uptime_in_seconds metric', 'gauge', (s) => one(Math.floor(sec(s.now - s.server.startTime)))),
    f('redis_connected_clients', 'connected_clients metric', 'gauge', (s) => one(s.server.clients.size)),
    f('redis_blocked_clients', 'blocked_clients metric', 'gauge', (s) => one(s.server.blocking.blockedClients)),
    f('redis_config_maxclients', 'config_maxclients metric', 'gauge', (s) => one(s.server.config.int('maxclients'))),
    f('redis_config_maxmemory', 'config_maxmemory metric', 'gauge', (s) => one(s.server.config.int('maxmemory'))),
    f('redis_memory_used_bytes', 'used_memory: what the data costs (INFO memory), not the V8 heap (see nodejs_heap_size_used_bytes)', 'gauge', (s) => one(s.usedMemory)),
    f('redis_memory_used_rss_bytes', 'used_memory_rss metric', 'gauge', (s) => one(s.rss)),
    f('redis_memory_max_bytes', 'maxmemory metric', 'gauge', (s) => one(s.server.config.int('maxmemory'))),
    f('redis_loading_dump_file', 'loading metric', 'gauge', (s) => one(s.server.loading ? 1 : 0)),
    f('redis_commands_processed_total', 'total_commands_processed metric', 'counter', (s) => one(s.server.stats.commandsProcessed)),
    f('redis_connections_received_total', 'total_connections_received metric', 'counter', (s) => one(s.server.stats.connectionsReceived)),
    f('redis_rejected_connections_total', 'rejected_connections metric', 'counter', (s) => one(s.server.stats.rejectedConnections)),
    f('redis_net_input_bytes_total', 'total_net_input_bytes metric', 'counter', (s) => one(s.server.stats.netInputBytes)),
    f('redis_net_output_bytes_total', 'total_net_output_bytes metric', 'counter', (s) => one(s.server.stats.netOutputBytes)),
    f('redis_keyspace_hits_total', 'keyspace_hits metric', 'counter', (s) => one(s.server.stats.keyspaceHits)),
    f('redis_keyspace_misses_total', 'keyspace_misses metric', 'counter', (s) => one(s.server.stats.keyspaceMisses)),
    f('redis_expired_keys_total', 'expired_keys metric', 'counter', (s) => one(s.server.stats.expiredKeys)),
    f('redis_cpu_sys_seconds_total', 'used_cpu_sys metric', 'counter', () => one(process.cpuUsage().system / 1e6)),
    f('redis_cpu_user_seconds_total', 'used_cpu_user metric', 'counter', () => one(process.cpuUsage().user / 1e6)),
    // ---- commands (INFO commandstats / errorstats) ----
    f('redis_commands_total', 'Total number of calls per command', 'counter', stat((st) => st.calls)),
    f('redis_commands_duration_seconds_total', 'Total amount of time in seconds spent per command', 'counter', stat((st) => st.usec / 1e6)),
    f('redis_commands_rejected_calls_total', 'Total number of errors prior command execution per command', 'counter', stat((st) => st.rejected)),
    f('redis_commands_failed_calls_total', 'Total number of errors within command execution per command', 'counter', stat((st) => st.failed)),
    f('redis_errors_total', 'Total number of errors per error type', 'counter', (s) =>
      Array.from(s.server.stats.errors, ([err, n]) => ({ labels: { err }, value: n })),
    ),
    f('redis_commands_latencies_usec', 'A histogram of latencies per command (µs, power-of-two buckets), since the metrics endpoint started', 'histogram', latencyHistogram),
    f('redis_latency_percentiles_usec', 'Latency percentiles per command (µs; upper bound of the power-of-two bucket holding the percentile)', 'summary', latencyPercentiles),
    // ---- keyspace ----
    f('redis_db_keys', 'Total number of keys by DB', 'gauge', (s) =>
      s.server.dbs.filter((d) => d.size > 0).map((d) => ({ labels: { db: `db${d.id}` }, value: d.size })),
    ),
    f('redis_db_keys_expiring', 'Total number of expiring keys by DB', 'gauge', (s) =>
      s.server.dbs.filter((d) => d.size > 0).map((d) => ({ labels: { db: `db${d.id}` }, value: d.expires.size })),
    ),
    // ---- AOF ----
    f('redis_aof_enabled', 'aof_enabled metric', 'gauge', (s) => one(s.aof.enabled ? 1 : 0)),
    f('redis_aof_rewrite_in_progress', 'aof_rewrite_in_progress metric', 'gauge', (s) => one(s.aof.rewriteInProgress ? 1 : 0)),
    f('redis_aof_rewrite_scheduled', 'aof_rewrite_scheduled metric', 'gauge', (s) => one(s.aof.rewriteScheduled ? 1 : 0)),
    f('redis_aof_last_write_status', 'aof_last_write_status metric (1: ok, 0: err)', 'gauge', (s) => one(s.aof.lastWriteOk ? 1 : 0)),
    f('redis_aof_last_bgrewrite_status', 'aof_last_bgrewrite_status metric (1: ok, 0: err)', 'gauge', (s) => one(s.aof.lastBgrewriteOk ? 1 : 0)),
    f('redis_aof_last_rewrite_duration_sec', 'aof_last_rewrite_time_sec metric', 'gauge', (s) => one(s.aof.lastRewriteSec)),
    f('redis_aof_current_size_bytes', 'aof_current_size metric', 'gauge', (s) => one(s.aof.currentSize)),
    f('redis_aof_base_size_bytes', 'aof_base_size metric', 'gauge', (s) => one(s.aof.baseSize)),
    f('redis_aof_buffer_length', 'aof_buffer_length metric', 'gauge', (s) => one(s.aof.bufferLength)),
    f('redis_aof_pending_bio_fsync', 'aof_pending_bio_fsync metric', 'gauge', (s) => one(s.aof.pendingFsync ? 1 : 0)),
    f('rivulet_aof_last_fsync_timestamp_seconds', 'When the last AOF fsync completed (unix seconds; 0: none yet)', 'gauge', (s) => one(sec(s.aof.lastFsyncMs))),
    // ---- streams (bounded by metrics-streams / metrics-streams-max) ----
    f('rivulet_metrics_scrape_duration_seconds', 'Time the previous scrape of this endpoint took to collect and encode, on the event loop', 'gauge', (s) => one(sec(s.lastScrapeMs))),
    f('rivulet_metrics_scrape_cpu_seconds', 'CPU time (user + system) the process used during the previous scrape', 'gauge', (s) => one(sec(s.lastScrapeCpuMs))),
    f('rivulet_metrics_streams_matched', 'Streams whose key matches metrics-streams', 'gauge', (s) => one(s.matched)),
    f('rivulet_metrics_streams_exported', 'Streams reported below (the metrics-streams-max longest of those matched)', 'gauge', (s) => one(s.streams.length)),
    f('redis_stream_length', 'The number of elements of the stream', 'gauge', perStream((v) => v.length)),
    f('redis_stream_entries_added_total', 'Entries ever added to the stream (XINFO STREAM entries-added)', 'counter', perStream((v) => v.entriesAdded)),
    f('redis_stream_groups', 'Groups count of stream', 'gauge', perStream((v) => v.groups.length)),
    f('redis_stream_first_entry_id', 'Milliseconds part of the first entry ID (0: empty)', 'gauge', perStream((v) => v.firstMs)),
    f('redis_stream_last_entry_id', 'Milliseconds part of the last entry ID (0: empty)', 'gauge', perStream((v) => v.lastMs)),
    f('redis_stream_last_generated_id', 'Milliseconds part of the last generated ID', 'gauge', perStream((v) => v.lastGeneratedMs)),
    f('redis_stream_max_deleted_entry_id', 'Milliseconds part of the greatest deleted ID', 'gauge', perStream((v) => v.maxDeletedMs)),
    f('redis_stream_memory_usage_bytes', 'MEMORY USAGE of the stream', 'gauge', perStream((v) => v.memoryBytes)),
    f('redis_stream_group_consumers', 'Consumers count of stream group', 'gauge', perGroup((g) => g.consumersTotal)),
    f('redis_stream_group_messages_pending', 'Pending number of messages in that stream group', 'gauge', perGroup((g) => g.pending)),
    f('redis_stream_group_lag', 'Entries not yet delivered to the group (XINFO GROUPS lag; absent while Redis reports it unknown)', 'gauge', perGroup((g) => g.lag)),
    f('redis_stream_group_entries_read', 'XINFO GROUPS entries-read (absent while unknown)', 'gauge', perGroup((g) => g.entriesRead)),
    f('redis_stream_group_last_delivered_id', 'Milliseconds part of the group last-delivered-id', 'gauge', perGroup((g) => g.lastDeliveredMs)),
    f('redis_stream_group_oldest_pending_idle_seconds', "Longest idle time among each consumer's first pending entry", 'gauge', perGroup((g) => sec(g.oldestPendingIdleMs))),
    f('redis_stream_group_max_delivery_count', 'Largest delivery count among the pending entries (the first 10000 by ID)', 'gauge', perGroup((g) => g.maxDeliveries)),
    f('redis_stream_group_consumer_messages_pending', 'Pending number of messages for this specific consumer', 'gauge', perConsumer((c) => c.pending)),
    f('redis_stream_group_consumer_idle_seconds', 'Consumer idle time in seconds', 'gauge', perConsumer((c) => sec(c.idleMs))),
    f('redis_stream_group_consumer_inactive_seconds', 'Seconds since the consumer last read or claimed an entry (absent when it never did)', 'gauge', perConsumer((c) =>
      c.inactiveMs === null ? null : sec(c.inactiveMs),
    )),
  ];
}

/** Bucket upper bounds in µs as label text. */
const LE = Array.from({ length: LATENCY_BUCKETS }, (_, i) => String(2 ** i));

function latencyHistogram(s: Scrape): Sample[] {
  const out: Sample[] = [];
  const name = 'redis_commands_latencies_usec';
  for (const [cmd, st] of s.server.stats.commands) {
    if (!st.hist) continue;
    let cum = 0;
    for (let i = 0; i < LATENCY_BUCKETS; i++) {
      cum += st.hist[i];
      out.push({ metricName: `${name}_bucket`, labels: { cmd, le: LE[i] }, value: cum });
    }
    out.push({ metricName: `${name}_bucket`, labels: { cmd, le: '+Inf' }, value: cum });
    out.push({ metricName: `${name}_sum`, labels: { cmd }, value: st.histUsec ?? 0 });
    out.push({ metricName: `${name}_count`, labels: { cmd }, value: cum });
  }
  return out;
}

const QUANTILES = [0.5, 0.99, 0.999];

/** The upper bound (µs) of the bucket holding quantile q of a histogram with `total` calls. */
export function quantileFromBuckets(hist: number[], total: number, q: number): number {
  const rank = Math.ceil(q * total);
  let cum = 0;
  for (let i = 0; i < hist.length; i++) {
    cum += hist[i];
    if (cum >= rank) return 2 ** i;
  }
  return 2 ** (hist.length - 1);
}

function latencyPercentiles(s: Scrape): Sample[] {
  const out: Sample[] = [];
  const name = 'redis_latency_percentiles_usec';
  for (const [cmd, st] of s.server.stats.commands) {
    if (!st.hist) continue;
    let total = 0;
    for (const n of st.hist) total += n;
    if (total === 0) continue;
    for (const q of QUANTILES) out.push({ labels: { cmd, quantile: String(q) }, value: quantileFromBuckets(st.hist, total, q) });
    out.push({ metricName: `${name}_sum`, labels: { cmd }, value: st.histUsec ?? 0 });
    out.push({ metricName: `${name}_count`, labels: { cmd }, value: total });
  }
  return out;
}

// ---- encoding -------------------------------------------------------------------
// The text format as prom-client's Registry (prom-client 15, Prometheus format 0.0.4)
// writes it: per family `# HELP name help` and `# TYPE name type`, then one line per
// sample, `name{label="value",...} value`; a family's lines joined by \n, families
// by a blank line, a final \n. HELP text escapes \ and newline; label values also
// escape "; numbers print as JavaScript prints them, NaN as `Nan`, infinities as
// `+Inf`/`-Inf`; a label value that is a number prints unescaped.

/** HELP text and metric names: backslash and newline escaped. */
function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

const NEEDS_ESCAPE = /[\\\n"]/;

function escapeLabelValue(v: string | number): string {
  if (typeof v !== 'string') return `${v}`;
  return NEEDS_ESCAPE.test(v) ? escapeText(v).replace(/"/g, '\\"') : v;
}

/** A sample value as text. */
export function valueText(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

/** Rendered `{k="v",...}` (or '') of each label object seen in this process; objects are made per scrape, so entries go with them. */
const rendered = new WeakMap<Labels, string>();

function renderLabels(labels: Labels | undefined): string {
  if (labels === undefined) return '';
  let text = rendered.get(labels);
  if (text === undefined) {
    let inner = '';
    for (const k of Object.keys(labels)) inner += `${inner === '' ? '' : ','}${k}="${escapeLabelValue(labels[k])}"`;
    text = inner === '' ? '' : `{${inner}}`;
    rendered.set(labels, text);
  }
  return text;
}

/** The exposition text of `fams` for this scrape, as prom-client's Registry.metrics() would write it. */
export function encodeFamilies(fams: readonly Family[]): string {
  let out = '';
  for (let i = 0; i < fams.length; i++) {
    const m = fams[i].get();
    const name = escapeText(m.name);
    if (i > 0) out += '\n\n';
    out += `# HELP ${name} ${escapeText(m.help)}\n# TYPE ${name} ${m.type}`;
    for (const v of m.values) out += `\n${v.metricName ?? name}${renderLabels(v.labels)} ${valueText(v.value)}`;
  }
  return out + '\n';
}

/** The endpoint's families for one server. */
export class PromExporter {
  private current: Scrape | null = null;
  private readonly families = families(() => this.current!);
  readonly contentType = client.Registry.PROMETHEUS_CONTENT_TYPE;

  /** The exposition text for this scrape: the server's families, then the process's. */
  async text(scrape: Scrape): Promise<string> {
    this.current = scrape;
    let own: string;
    try {
      own = encodeFamilies(this.families);
    } finally {
      this.current = null;
    }
    const proc = await processMetrics().metrics();
    return own + '\n' + proc;
  }

  /** The server's families for this scrape encoded by prom-client's own Registry (the encoder spec compares the two). */
  async textViaPromClient(scrape: Scrape): Promise<string> {
    const registry = new client.Registry();
    for (const fam of this.families) registry.registerMetric(fam as unknown as client.Metric);
    this.current = scrape;
    try {
      return await registry.metrics();
    } finally {
      this.current = null;
    }
  }

  /** The server's families for this scrape encoded here (as text() writes them, without the process's). */
  ownText(scrape: Scrape): string {
    this.current = scrape;
    try {
      return encodeFamilies(this.families);
    } finally {
      this.current = null;
    }
  }
}
