/**
 * Every other directive redis-server 7.4 knows (its config table in config.c,
 * read for names, aliases, types, bounds, defaults and mutability), so that a
 * stock redis.conf — Debian's, or the one Redis ships — starts rivulet.
 *
 * rivulet does not act on these: they are validated as Redis validates them
 * (a bad value is still a FATAL CONFIG error), stored, shown by CONFIG GET,
 * settable by CONFIG SET when Redis allows it, and logged once at start when
 * a config sets them (`... is not supported by rivulet and is ignored`).
 * A directive that rivulet's own table (lib/config.ts PARAMS) declares wins:
 * implementing one means adding it there, nothing here has to change.
 */
import type { ParamDef } from './config.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const UINT_MAX = 4294967295;
/** Redis's LONG_MAX / LLONG_MAX; shown as 9223372036854775807 in range errors (see showBound). */
const LONG_MAX = Number.MAX_SAFE_INTEGER;

/** A Redis directive rivulet only stores. `hidden`: Redis's HIDDEN_CONFIG (CONFIG GET patterns skip it). */
export type RedisOnlyDef = ParamDef & { hidden?: boolean; aliases?: string[] };

const b = (name: string, def: 'yes' | 'no', mutable = true, extra: Partial<RedisOnlyDef> = {}): RedisOnlyDef => ({
  name,
  kind: { type: 'bool' },
  default: def,
  mutable,
  ...extra,
});
const i = (name: string, def: number, min: number, max: number, mutable = true, extra: Partial<RedisOnlyDef> = {}): RedisOnlyDef => ({
  name,
  kind: { type: 'int', min, max },
  default: String(def),
  mutable,
  ...extra,
});
const m = (name: string, def: number, min: number, max: number, mutable = true, extra: Partial<RedisOnlyDef> = {}): RedisOnlyDef => ({
  name,
  kind: { type: 'memory', min, max },
  default: String(def),
  mutable,
  ...extra,
});
const e = (name: string, def: string, values: string[], mutable = true): RedisOnlyDef => ({
  name,
  kind: { type: 'enum', values },
  default: def,
  mutable,
});
const s = (name: string, def: string, mutable = true, extra: Partial<RedisOnlyDef> = {}): RedisOnlyDef => ({
  name,
  kind: { type: 'string' },
  default: def,
  mutable,
  ...extra,
});
const l = (name: string, def: string, mutable: boolean, validate: (args: string[]) => string | null): RedisOnlyDef => ({
  name,
  kind: { type: 'list', validate },
  default: def,
  mutable,
});

const isInt = (w: string): boolean => /^-?\d+$/.test(w);

export const REDIS_ONLY_PARAMS: readonly RedisOnlyDef[] = [
  // ---- booleans ----
  b('rdbchecksum', 'yes', false),
  b('io-threads-do-reads', 'no', false),
  b('always-show-logo', 'no', false),
  b('rdbcompression', 'yes'),
  b('rdb-del-sync-files', 'no'),
  b('activerehashing', 'yes'),
  b('stop-writes-on-bgsave-error', 'yes'),
  b('set-proc-title', 'yes', false),
  b('dynamic-hz', 'yes'),
  b('repl-disable-tcp-nodelay', 'no'),
  b('repl-diskless-sync', 'yes'),
  b('aof-rewrite-incremental-fsync', 'yes'),
  b('cluster-require-full-coverage', 'yes'),
  b('rdb-save-incremental-fsync', 'yes'),
  b('cluster-replica-no-failover', 'no', true, { aliases: ['cluster-slave-no-failover'] }),
  b('replica-lazy-flush', 'no', true, { aliases: ['slave-lazy-flush'] }),
  b('replica-serve-stale-data', 'yes', true, { aliases: ['slave-serve-stale-data'] }),
  b('replica-read-only', 'yes', true, { aliases: ['slave-read-only'] }),
  b('replica-ignore-maxmemory', 'yes', true, { aliases: ['slave-ignore-maxmemory'] }),
  b('jemalloc-bg-thread', 'yes'),
  b('activedefrag', 'no'),
  b('syslog-enabled', 'no', false),
  b('cluster-allow-reads-when-down', 'no'),
  b('cluster-allow-pubsubshard-when-down', 'yes'),
  b('crash-log-enabled', 'yes'),
  b('crash-memcheck-enabled', 'yes'),
  b('use-exit-on-panic', 'no', true, { hidden: true }),
  b('disable-thp', 'yes', false),
  b('cluster-allow-replica-migration', 'yes'),
  b('replica-announced', 'yes'),
  b('aof-disable-auto-gc', 'no', true, { hidden: true }),
  b('replica-ignore-disk-write-errors', 'no'),
  b('hide-user-data-from-log', 'no'),
  b('tls-cluster', 'no'),
  b('tls-replication', 'no'),
  b('tls-prefer-server-ciphers', 'no'),
  b('tls-session-caching', 'yes'),
  // ---- strings ----
  s('aclfile', '', false),
  s('replica-announce-ip', '', true, { aliases: ['slave-announce-ip'] }),
  s('masteruser', ''),
  s('masterauth', ''),
  s('cluster-announce-ip', ''),
  s('cluster-config-file', 'nodes.conf', false),
  s('cluster-announce-hostname', ''),
  s('cluster-announce-human-nodename', ''),
  s('syslog-ident', 'redis', false),
  s('server-cpulist', '', false, { aliases: ['server_cpulist'] }),
  s('bio-cpulist', '', false, { aliases: ['bio_cpulist'] }),
  s('aof-rewrite-cpulist', '', false, { aliases: ['aof_rewrite_cpulist'] }),
  s('bgsave-cpulist', '', false, { aliases: ['bgsave_cpulist'] }),
  s('ignore-warnings', ''),
  s('proc-title-template', '{title} {listen-addr} {server-mode}'),
  s('bind-source-addr', ''),
  s('req-res-logfile', '', false, { hidden: true }),
  s('locale-collate', ''),
  s('tls-cert-file', ''),
  s('tls-key-file', ''),
  s('tls-key-file-pass', ''),
  s('tls-client-cert-file', ''),
  s('tls-client-key-file', ''),
  s('tls-client-key-file-pass', ''),
  s('tls-dh-params-file', ''),
  s('tls-ca-cert-file', ''),
  s('tls-ca-cert-dir', ''),
  s('tls-protocols', ''),
  s('tls-ciphers', ''),
  s('tls-ciphersuites', ''),
  // ---- enums ----
  e('supervised', 'no', ['upstart', 'systemd', 'auto', 'no'], false),
  e('syslog-facility', 'local0', ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'], false),
  e('repl-diskless-load', 'disabled', ['disabled', 'on-empty-db', 'swapdb']),
  e('oom-score-adj', 'no', ['no', 'yes', 'relative', 'absolute']),
  e('acl-pubsub-default', 'resetchannels', ['allchannels', 'resetchannels']),
  e('sanitize-dump-payload', 'no', ['no', 'yes', 'clients']),
  e('enable-debug-command', 'no', ['no', 'yes', 'local'], false),
  e('enable-module-command', 'no', ['no', 'yes', 'local'], false),
  e('cluster-preferred-endpoint-type', 'ip', ['ip', 'hostname', 'unknown-endpoint']),
  e('propagation-error-behavior', 'ignore', ['ignore', 'panic', 'panic-on-replicas']),
  e('tls-auth-clients', 'yes', ['no', 'yes', 'optional']),
  l('shutdown-on-sigint', 'default', true, validateShutdownFlags),
  l('shutdown-on-sigterm', 'default', true, validateShutdownFlags),
  // ---- integers ----
  i('cluster-replica-validity-factor', 10, 0, INT_MAX, true, { aliases: ['cluster-slave-validity-factor'] }),
  i('list-max-listpack-size', -2, INT_MIN, INT_MAX, true, { aliases: ['list-max-ziplist-size'] }),
  i('cluster-migration-barrier', 1, 0, INT_MAX),
  i('active-defrag-cycle-min', 1, 1, 99),
  i('active-defrag-cycle-max', 25, 1, 99),
  i('active-defrag-threshold-lower', 10, 0, 1000),
  i('active-defrag-threshold-upper', 100, 0, 1000),
  i('lfu-log-factor', 10, 0, INT_MAX),
  i('lfu-decay-time', 1, 0, INT_MAX),
  i('replica-priority', 100, 0, INT_MAX, true, { aliases: ['slave-priority'] }),
  i('repl-diskless-sync-delay', 5, 0, INT_MAX),
  i('replica-announce-port', 0, 0, 65535, true, { aliases: ['slave-announce-port'] }),
  i('cluster-port', 0, 0, 65535, false),
  i('cluster-announce-bus-port', 0, 0, 65535),
  i('cluster-announce-port', 0, 0, 65535),
  i('cluster-announce-tls-port', 0, 0, 65535),
  i('repl-timeout', 60, 1, INT_MAX),
  i('repl-ping-replica-period', 10, 1, INT_MAX, true, { aliases: ['repl-ping-slave-period'] }),
  i('list-compress-depth', 0, 0, INT_MAX),
  i('rdb-key-save-delay', 0, INT_MIN, INT_MAX, true, { hidden: true }),
  i('key-load-delay', 0, INT_MIN, INT_MAX, true, { hidden: true }),
  i('active-expire-effort', 1, 1, 10),
  i('min-replicas-to-write', 0, 0, INT_MAX, true, { aliases: ['min-slaves-to-write'] }),
  i('min-replicas-max-lag', 10, 0, INT_MAX, true, { aliases: ['min-slaves-max-lag'] }),
  i('watchdog-period', 0, 0, INT_MAX, true, { hidden: true }),
  i('shutdown-timeout', 10, 0, INT_MAX),
  i('repl-diskless-sync-max-replicas', 0, 0, INT_MAX),
  i('socket-mark-id', 0, 0, UINT_MAX, false),
  i('max-new-connections-per-cycle', 10, 1, 1000),
  i('max-new-tls-connections-per-cycle', 1, 1, 1000),
  i('active-defrag-max-scan-fields', 1000, 1, LONG_MAX),
  i('acllog-max-len', 128, 0, LONG_MAX),
  i('cluster-node-timeout', 15000, 0, LONG_MAX),
  i('cluster-ping-interval', 0, 0, LONG_MAX, true, { hidden: true }),
  i('hash-max-listpack-entries', 512, 0, LONG_MAX, true, { aliases: ['hash-max-ziplist-entries'] }),
  i('set-max-intset-entries', 512, 0, LONG_MAX),
  i('set-max-listpack-entries', 128, 0, LONG_MAX),
  i('set-max-listpack-value', 64, 0, LONG_MAX),
  i('zset-max-listpack-entries', 128, 0, LONG_MAX, true, { aliases: ['zset-max-ziplist-entries'] }),
  i('tracking-table-max-keys', 1000000, 0, LONG_MAX),
  i('repl-backlog-ttl', 3600, 0, LONG_MAX),
  i('loading-process-events-interval-bytes', 2 * 1024 * 1024, 1024, INT_MAX, true, { hidden: true }),
  i('tls-port', 0, 0, 65535),
  i('tls-session-cache-size', 20 * 1024, 0, INT_MAX),
  i('tls-session-cache-timeout', 300, 0, INT_MAX),
  // ---- memory ----
  m('repl-backlog-size', 1024 * 1024, 1, LONG_MAX),
  m('cluster-link-sendbuf-limit', 0, 0, LONG_MAX),
  m('active-defrag-ignore-bytes', 100 * 1024 * 1024, 1, LONG_MAX),
  m('hash-max-listpack-value', 64, 0, LONG_MAX, true, { aliases: ['hash-max-ziplist-value'] }),
  m('zset-max-listpack-value', 64, 0, LONG_MAX, true, { aliases: ['zset-max-ziplist-value'] }),
  m('hll-sparse-max-bytes', 3000, 0, LONG_MAX),
  // ---- several words ----
  l('oom-score-adj-values', '0 200 800', true, (args) =>
    args.length === 3 && args.every((a) => isInt(a) && Number(a) >= -2000 && Number(a) <= 2000) ? null : 'Invalid oom-score-adj-values',
  ),
  { ...l('replicaof', '', false, (args) => (args.length === 2 && isInt(args[1]) ? null : 'wrong number of arguments')), aliases: ['slaveof'] },
  l('latency-tracking-info-percentiles', '50 99 99.9', true, (args) =>
    args.every((a) => /^\d+(\.\d+)?$/.test(a) && Number(a) <= 100) ? null : 'latency-tracking-info-percentiles: percentile must be between 0.0 and 100.0',
  ),
];

/** Aliases Redis still accepts for these (slave-*, *-ziplist-*, *_cpulist). */
export const REDIS_ONLY_ALIASES: ReadonlyMap<string, string> = new Map(
  REDIS_ONLY_PARAMS.flatMap((d) => (d.aliases ?? []).map((a): [string, string] => [a, d.name])),
);

/**
 * Directives of rivulet's own table that it accepts but does not act on (yet):
 * logged as ignored like the Redis-only ones. Remove a name here when it starts to matter.
 */
export const NOT_ACTED_ON: ReadonlySet<string> = new Set([
  'maxmemory-samples',
  'no-appendfsync-on-rewrite',
  'aof-timestamp-enabled',
  'lazyfree-lazy-user-del',
  'lazyfree-lazy-user-flush',
  'lazyfree-lazy-eviction',
  'lazyfree-lazy-expire',
  'lazyfree-lazy-server-del',
  'maxmemory-clients',
  'maxmemory-eviction-tenacity',
  'cluster-enabled',
  'io-threads',
  'replica-read-only',
]);

/**
 * Directives outside the config table that redis-server reads from a config
 * file (config.c loadServerConfigFromString) and rivulet ignores: ACL users,
 * modules, and configs of modules (`name.option value`).
 */
export function ignoredSpecialDirective(name: string, argc: number): string | null {
  if (name === 'user' && argc >= 2) return 'user';
  if (name === 'loadmodule' && argc >= 2) return 'loadmodule';
  // Redis 7.4 still skips these removed ones silently.
  if ((name === 'list-max-ziplist-entries' || name === 'list-max-ziplist-value' || name === 'lua-replicate-commands') && argc === 2) return '';
  if (name.includes('.')) return name;
  return null;
}

function validateShutdownFlags(args: string[]): string | null {
  const ok = ['default', 'save', 'nosave', 'now', 'force'];
  const words = args.map((a) => a.toLowerCase());
  if (words.length === 0 || !words.every((w) => ok.includes(w))) return 'argument(s) must be one of the following: default, save, nosave, now, force';
  if (words.includes('save') && words.includes('nosave')) return 'Invalid shutdown-on-sig flags';
  if (words.length > 1 && words.includes('default')) return 'Invalid shutdown-on-sig flags';
  return null;
}
