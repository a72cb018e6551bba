/**
 * INFO: one builder per section, producing Redis 7.4's field names in Redis's
 * order. A section's text is `# Title\r\n` followed by `field:value\r\n`
 * lines; sections are joined by an empty line (`\r\n`), exactly as
 * redis-server formats them.
 *
 * Subsystems (persistence, pub/sub) add or override fields through
 * `server.infoExtras`: section name → functions returning [field, value]
 * pairs. A pair whose field already exists replaces the base value in place;
 * new fields are appended, so the persistence engineer can report the real
 * `aof_enabled` without this module knowing about the AOF.
 */
import os from 'node:os';
import type { Engine } from './engine/engine.js';
import { VERSION, REDIS_VERSION } from './version.js';

type Fields = [string, string | number][];

/** Sections in output order, with their header titles and whether `INFO` (default) includes them. */
const SECTIONS: { name: string; title: string; inDefault: boolean }[] = [
  { name: 'server', title: 'Server', inDefault: true },
  { name: 'clients', title: 'Clients', inDefault: true },
  { name: 'memory', title: 'Memory', inDefault: true },
  { name: 'persistence', title: 'Persistence', inDefault: true },
  { name: 'stats', title: 'Stats', inDefault: true },
  { name: 'replication', title: 'Replication', inDefault: true },
  { name: 'cpu', title: 'CPU', inDefault: true },
  { name: 'modules', title: 'Modules', inDefault: true },
  { name: 'commandstats', title: 'Commandstats', inDefault: false },
  { name: 'errorstats', title: 'Errorstats', inDefault: true },
  { name: 'latencystats', title: 'Latencystats', inDefault: false },
  { name: 'cluster', title: 'Cluster', inDefault: true },
  { name: 'keyspace', title: 'Keyspace', inDefault: true },
];

/** Every section name INFO understands (for tests and docs). */
export const INFO_SECTIONS: readonly string[] = SECTIONS.map((s) => s.name);

/**
 * The INFO text for the requested section words (already lower-cased).
 * No words = `default`. `all` = every section; `everything` = all plus module
 * sections (rivulet has none). Unknown names contribute nothing, as in Redis.
 */
export function infoText(server: Engine, words: string[]): string {
  const wanted = new Set<string>();
  if (words.length === 0) words = ['default'];
  for (const w of words) {
    if (w === 'all' || w === 'everything') {
      for (const s of SECTIONS) wanted.add(s.name);
    } else if (w === 'default') {
      for (const s of SECTIONS) if (s.inDefault) wanted.add(s.name);
    } else {
      wanted.add(w);
    }
  }
  const parts: string[] = [];
  for (const s of SECTIONS) {
    if (!wanted.has(s.name)) continue;
    let text = `# ${s.title}\r\n`;
    for (const [k, v] of sectionFields(server, s.name)) text += `${k}:${v}\r\n`;
    parts.push(text);
  }
  return parts.join('\r\n');
}

/** The fields of one section: the base builder's, then infoExtras merged in. */
export function sectionFields(server: Engine, name: string): Fields {
  const base = BUILDERS[name]?.(server) ?? [];
  const extras = server.infoExtras.get(name);
  if (!extras) return base;
  const index = new Map<string, number>();
  base.forEach(([k], i) => index.set(k, i));
  for (const f of extras) {
    for (const pair of f()) {
      const at = index.get(pair[0]);
      if (at === undefined) {
        index.set(pair[0], base.length);
        base.push(pair);
      } else {
        base[at] = pair;
      }
    }
  }
  return base;
}

const BUILDERS: Record<string, (s: Engine) => Fields> = {
  server: serverSection,
  clients: clientsSection,
  memory: memorySection,
  persistence: persistenceSection,
  stats: statsSection,
  replication: replicationSection,
  cpu: cpuSection,
  modules: () => [],
  commandstats: commandStatsSection,
  errorstats: errorStatsSection,
  latencystats: latencyStatsSection,
  cluster: () => [['cluster_enabled', 0]],
  keyspace: keyspaceSection,
};

/**
 * INFO latencystats: per command, the percentiles named by
 * latency-tracking-info-percentiles, in µs with three decimals
 * (latency_percentiles_usec_<cmd>:p50=...,p99=...,p99.9=...), as Redis prints them.
 */
function latencyStatsSection(server: Engine): Fields {
  const percentiles = server.config
    .get('latency-tracking-info-percentiles')
    .split(' ')
    .filter(Boolean)
    .map(Number);
  const out: Fields = [];
  for (const [name, st] of server.stats.commands) {
    const h = st.latency;
    if (h === undefined || h.total === 0) continue;
    out.push([`latency_percentiles_usec_${name}`, percentiles.map((p) => `p${trimDouble(p)}=${(h.valueAtPercentile(p) / 1000).toFixed(3)}`).join(',')]);
  }
  return out;
}

/** A percentile as Redis's trimDoubleString prints it: 50, 99, 99.9. */
function trimDouble(p: number): string {
  return String(Number(p.toFixed(6)));
}

// ---- helpers -----------------------------------------------------------------

/** Redis's bytesToHuman: 1023B, 1.00K, 1.50M, ... (powers of 1024, two decimals). */
export function bytesToHuman(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P', 'E'];
  if (n < 1024) return `${n}B`;
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(2)}${units[u]}`;
}

/** Seconds with six decimals, like Redis's `%ld.%06ld` for CPU times. */
function secs(usec: number): string {
  return (usec / 1e6).toFixed(6);
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((part * 100) / whole).toFixed(2)}%` : '0.00%';
}

// ---- per-server sampled rates (instantaneous_*) ------------------------------

/** Redis samples every 100 ms and averages the last 16 samples. */
const SAMPLE_MS = 100;
const SAMPLES = 16;

interface Sampler {
  timer: NodeJS.Timeout;
  last: { at: number; ops: number; netIn: number; netOut: number };
  ops: number[];
  netIn: number[];
  netOut: number[];
}

const samplers = new WeakMap<Engine, Sampler>();

/** Starts the rate sampler (installed as a plugin so it stops with the server). */
export function startInfoSampler(server: Engine): void {
  if (samplers.has(server)) return;
  const st = server.stats;
  const s: Sampler = {
    timer: setInterval(() => sample(server), SAMPLE_MS),
    last: { at: Date.now(), ops: st.commandsProcessed, netIn: st.netInputBytes, netOut: st.netOutputBytes },
    ops: [],
    netIn: [],
    netOut: [],
  };
  s.timer.unref();
  samplers.set(server, s);
}

export function stopInfoSampler(server: Engine): void {
  const s = samplers.get(server);
  if (!s) return;
  clearInterval(s.timer);
  samplers.delete(server);
}

function sample(server: Engine): void {
  const s = samplers.get(server);
  if (!s) return;
  const st = server.stats;
  const now = Date.now();
  const dt = Math.max(1, now - s.last.at);
  const push = (arr: number[], v: number): void => {
    arr.push(v);
    if (arr.length > SAMPLES) arr.shift();
  };
  // After CONFIG RESETSTAT the counters go backwards: count that interval as zero.
  push(s.ops, (Math.max(0, st.commandsProcessed - s.last.ops) * 1000) / dt);
  push(s.netIn, (Math.max(0, st.netInputBytes - s.last.netIn) * 1000) / dt);
  push(s.netOut, (Math.max(0, st.netOutputBytes - s.last.netOut) * 1000) / dt);
  s.last = { at: now, ops: st.commandsProcessed, netIn: st.netInputBytes, netOut: st.netOutputBytes };
}

function avg(arr: number[] | undefined): number {
  if (!arr || arr.length === 0) return 0;
  let t = 0;
  for (const v of arr) t += v;
  return t / arr.length;
}

// ---- sections ----------------------------------------------------------------

let peakMemory = 0;

function serverSection(server: Engine): Fields {
  const uptime = Math.floor((Date.now() - server.startTime) / 1000);
  const hz = server.config.int('hz');
  const binds = server.config
    .get('bind')
    .split(' ')
    .filter(Boolean)
    .map((b) => `bind=${b}`)
    .join(',');
  return [
    ['redis_version', REDIS_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', '0'],
    ['rivulet_version', VERSION],
    ['redis_mode', 'standalone'],
    ['os', `${os.type()} ${os.release()} ${os.machine()}`],
    ['arch_bits', 64],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', 'epoll'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '0.0.0'],
    ['node_version', process.versions.node],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', server.runId],
    ['tcp_port', server.port],
    ['server_time_usec', Date.now() * 1000],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', hz],
    ['configured_hz', hz],
    ['lru_clock', Math.floor(Date.now() / 1000) & ((1 << 24) - 1)],
    ['executable', process.argv[1] ?? process.execPath],
    ['config_file', server.configFile ?? ''],
    ['io_threads_active', 0],
    ['listener0', `name=tcp,${binds},port=${server.port}`],
  ];
}

function clientsSection(server: Engine): Fields {
  let pubsub = 0;
  let watching = 0;
  let inTimeoutTable = 0;
  for (const c of server.clients.values()) {
    if (c.isSubscribed) pubsub++;
    if (c.watched.size > 0) watching++;
    if (c.blocked && c.blocked.timeoutAt > 0) inTimeoutTable++;
  }
  let watchedKeys = 0;
  for (const db of server.dbs) watchedKeys += db.watchers.size;
  const blocking = server.blocking.counts();
  return [
    ['connected_clients', server.clients.size],
    ['cluster_connections', 0],
    ['maxclients', server.config.int('maxclients')],
    ['client_recent_max_input_buffer', 0],
    ['client_recent_max_output_buffer', 0],
    ['blocked_clients', server.blocking.blockedClients],
    ['tracking_clients', server.ops.tracking.clientCount],
    ['pubsub_clients', pubsub],
    ['watching_clients', watching],
    ['clients_in_timeout_table', inTimeoutTable],
    ['total_watched_keys', watchedKeys],
    ['total_blocking_keys', blocking.keys],
    ['total_blocking_keys_on_nokey', blocking.noKey],
  ];
}

function memorySection(server: Engine): Fields {
  const mem = process.memoryUsage();
  const used = server.usedMemory();
  peakMemory = Math.max(peakMemory, used);
  const startup = Math.min(used, startupMemory.get(server) ?? used);
  const total = os.totalmem();
  const maxmemory = server.config.int('maxmemory');
  return [
    ['used_memory', used],
    ['used_memory_human', bytesToHuman(used)],
    ['used_memory_rss', mem.rss],
    ['used_memory_rss_human', bytesToHuman(mem.rss)],
    ['used_memory_peak', peakMemory],
    ['used_memory_peak_human', bytesToHuman(peakMemory)],
    ['used_memory_peak_perc', pct(used, peakMemory)],
    ['used_memory_overhead', startup],
    ['used_memory_startup', startup],
    ['used_memory_dataset', used - startup],
    ['used_memory_dataset_perc', pct(used - startup, used)],
    ['allocator_allocated', mem.heapUsed],
    ['allocator_active', mem.heapTotal],
    ['allocator_resident', mem.rss],
    ['allocator_muzzy', 0],
    ['total_system_memory', total],
    ['total_system_memory_human', bytesToHuman(total)],
    ['used_memory_lua', 31744],
    ['used_memory_vm_eval', 31744],
    ['used_memory_lua_human', bytesToHuman(31744)],
    ['used_memory_scripts_eval', 0],
    ['number_of_cached_scripts', 0],
    ['number_of_functions', 0],
    ['number_of_libraries', 0],
    ['used_memory_vm_functions', 32768],
    ['used_memory_vm_total', 64512],
    ['used_memory_vm_total_human', bytesToHuman(64512)],
    ['used_memory_functions', 0],
    ['used_memory_scripts', 0],
    ['used_memory_scripts_human', '0B'],
    ['maxmemory', maxmemory],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', server.config.get('maxmemory-policy')],
    ['allocator_frag_ratio', (mem.heapTotal / Math.max(1, mem.heapUsed)).toFixed(2)],
    ['allocator_frag_bytes', mem.heapTotal - mem.heapUsed],
    ['allocator_rss_ratio', (mem.rss / Math.max(1, mem.heapTotal)).toFixed(2)],
    ['allocator_rss_bytes', mem.rss - mem.heapTotal],
    ['rss_overhead_ratio', '1.00'],
    ['rss_overhead_bytes', 0],
    ['mem_fragmentation_ratio', (mem.rss / Math.max(1, used)).toFixed(2)],
    ['mem_fragmentation_bytes', mem.rss - used],
    ['mem_not_counted_for_evict', 0],
    ['mem_replication_backlog', 0],
    ['mem_total_replication_buffers', 0],
    ['mem_clients_slaves', 0],
    ['mem_clients_normal', 0],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', `v8-${process.versions.v8}`],
    ['mem_overhead_db_hashtable_rehashing', 0],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', server.stats.lazyfreedObjects],
  ];
}

/** Heap in use when the server started (used_memory_startup). */
const startupMemory = new WeakMap<Engine, number>();

function persistenceSection(server: Engine): Fields {
  return [
    ['loading', server.loading ? 1 : 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0],
    ['current_save_keys_total', 0],
    ['rdb_changes_since_last_save', server.dirty],
    ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', Math.floor(server.startTime / 1000)],
    ['rdb_last_bgsave_status', 'ok'],
    ['rdb_last_bgsave_time_sec', -1],
    ['rdb_current_bgsave_time_sec', -1],
    ['rdb_saves', 0],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', 0],
    ['rdb_last_load_keys_loaded', 0],
    ['aof_enabled', server.config.bool('appendonly') ? 1 : 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', 0],
    ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', 'ok'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
}

function statsSection(server: Engine): Fields {
  const st = server.stats;
  const s = samplers.get(server);
  const kbps = (arr: number[] | undefined): string => (avg(arr) / 1024).toFixed(2);
  return [
    ['total_connections_received', st.connectionsReceived],
    ['total_commands_processed', st.commandsProcessed],
    ['instantaneous_ops_per_sec', Math.round(avg(s?.ops))],
    ['total_net_input_bytes', st.netInputBytes],
    ['total_net_output_bytes', st.netOutputBytes],
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', kbps(s?.netIn)],
    ['instantaneous_output_kbps', kbps(s?.netOut)],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', st.rejectedConnections],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', st.expiredKeys],
    ['expired_subkeys', st.expiredSubkeys],
    ['expired_stale_perc', '0.00'],
    ['expired_time_cap_reached_count', 0],
    ['expire_cycle_cpu_milliseconds', 0],
    ['evicted_keys', 0],
    ['evicted_clients', 0],
    ['evicted_scripts', 0],
    ['total_eviction_exceeded_time', 0],
    ['current_eviction_exceeded_time', 0],
    ['keyspace_hits', st.keyspaceHits],
    ['keyspace_misses', st.keyspaceMisses],
    ['pubsub_channels', 0],
    ['pubsub_patterns', 0],
    ['pubsubshard_channels', 0],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', server.ops.tracking.totalKeys],
    ['tracking_total_items', server.ops.tracking.totalItems],
    ['tracking_total_prefixes', server.ops.tracking.totalPrefixes],
    ['unexpected_error_replies', 0],
    ['total_error_replies', st.totalErrorReplies],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', 0],
    ['total_writes_processed', 0],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['client_query_buffer_limit_disconnections', 0],
    ['client_output_buffer_limit_disconnections', 0],
    ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
    ['eventloop_cycles', 0],
    ['eventloop_duration_sum', 0],
    ['eventloop_duration_cmd_sum', 0],
    ['instantaneous_eventloop_cycles_per_sec', 0],
    ['instantaneous_eventloop_duration_usec', 0],
    ['acl_access_denied_auth', 0],
    ['acl_access_denied_cmd', 0],
    ['acl_access_denied_key', 0],
    ['acl_access_denied_channel', 0],
  ];
}

/** A replication ID stays fixed for the life of the server, like Redis's master_replid. */
const replIds = new WeakMap<Engine, string>();

/** The server's replication ID (40 hex digits, fixed for its life): INFO's master_replid, PSYNC's +FULLRESYNC. */
export function masterReplId(server: Engine): string {
  let id = replIds.get(server);
  if (!id) {
    id = Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
    replIds.set(server, id);
  }
  return id;
}

function replicationSection(server: Engine): Fields {
  const id = masterReplId(server);
  return [
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', id],
    ['master_replid2', '0000000000000000000000000000000000000000'],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', 1048576],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ];
}

function cpuSection(): Fields {
  const u = process.cpuUsage();
  return [
    ['used_cpu_sys', secs(u.system)],
    ['used_cpu_user', secs(u.user)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', secs(u.system)],
    ['used_cpu_user_main_thread', secs(u.user)],
  ];
}

function commandStatsSection(server: Engine): Fields {
  const out: Fields = [];
  for (const [name, s] of server.stats.commands) {
    // Commands that were only ever rejected still appear, as in Redis.
    if (s.calls === 0 && s.rejected === 0 && s.failed === 0) continue;
    const usec = Math.floor(s.usec);
    const perCall = s.calls > 0 ? (usec / s.calls).toFixed(2) : '0.00';
    out.push([`cmdstat_${name}`, `calls=${s.calls},usec=${usec},usec_per_call=${perCall},rejected_calls=${s.rejected},failed_calls=${s.failed}`]);
  }
  return out;
}

function errorStatsSection(server: Engine): Fields {
  const out: Fields = [];
  for (const [code, n] of server.stats.errors) out.push([`errorstat_${code}`, `count=${n}`]);
  return out;
}

function keyspaceSection(server: Engine): Fields {
  const out: Fields = [];
  const now = Date.now();
  for (const db of server.dbs) {
    if (db.size === 0) continue;
    // avg_ttl: Redis estimates it by sampling during active expiry; we average a bounded sample.
    let total = 0;
    let n = 0;
    for (const at of db.expires.values()) {
      if (at > now) {
        total += Number(at) - now;
        n++;
      }
      if (n >= 1000) break;
    }
    const avgTtl = n > 0 ? Math.floor(total / n) : 0;
    out.push([`db${db.id}`, `keys=${db.size},expires=${db.expires.size},avg_ttl=${avgTtl},subexpiry=${server.hashFieldExpiry.count(db)}`]);
  }
  return out;
}

/** Plugin hooks: remember the start-up heap and run the rate sampler while the server lives. */
export function installInfo(server: Engine): void {
  server.plugins.push({
    start(s) {
      startupMemory.set(s, s.usedMemory());
      startInfoSampler(s);
    },
    stop(s) {
      stopInfoSampler(s);
    },
  });
}
