/**
 * Every error reply rivulet sends comes from this module.
 *
 * A ReplyError is data, not a fault: it carries the full Redis error line
 * (code prefix included, e.g. `WRONGTYPE Operation against ...`), captures no
 * stack, is thrown by parsers and handlers, and is caught once by the
 * dispatcher, which turns it into a `-...\r\n` reply.
 */
export class ReplyError {
  /** The whole line after `-`, e.g. `ERR syntax error`. */
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
  /** The code used by INFO errorstats: the first word (`ERR`, `NOGROUP`, ...). */
  get code(): string {
    const sp = this.message.indexOf(' ');
    return sp === -1 ? this.message : this.message.slice(0, sp);
  }
  toString(): string {
    return this.message;
  }
}

const e = (msg: string): ReplyError => new ReplyError(msg);

// ---- fixed errors -----------------------------------------------------------
export const SYNTAX = e('ERR syntax error');
export const WRONGTYPE = e('WRONGTYPE Operation against a key holding the wrong kind of value');
export const NOT_INTEGER = e('ERR value is not an integer or out of range');
export const NOT_FLOAT = e('ERR value is not a valid float');
export const NO_SUCH_KEY = e('ERR no such key');
export const OUT_OF_RANGE_DB = e('ERR DB index is out of range');
export const INVALID_DB = NOT_INTEGER;
export const SAME_OBJECT = e('ERR source and destination objects are the same');
export const INVALID_EXPIRE = (cmd: string): ReplyError => e(`ERR invalid expire time in '${cmd}' command`);
export const OVERFLOW = e('ERR increment or decrement would overflow');
export const INCR_NAN = e('ERR increment would produce NaN or Infinity');
export const STRING_TOO_LONG = e('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
export const NOAUTH = e('NOAUTH Authentication required.');
export const WRONGPASS = e('WRONGPASS invalid username-password pair or user is disabled.');
export const AUTH_NOT_CONFIGURED = e(
  'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
);
export const NOPROTO = e('NOPROTO unsupported protocol version');
export const MULTI_NESTED = e('ERR MULTI calls can not be nested');
export const EXEC_WITHOUT_MULTI = e('ERR EXEC without MULTI');
export const DISCARD_WITHOUT_MULTI = e('ERR DISCARD without MULTI');
export const WATCH_IN_MULTI = e('ERR WATCH inside MULTI is not allowed');
export const EXECABORT = e('EXECABORT Transaction discarded because of previous errors.');
export const MAX_CLIENTS = e('ERR max number of clients reached');
export const TIMEOUT_NOT_INTEGER = e('ERR timeout is not an integer or out of range');
export const TIMEOUT_NEGATIVE = e('ERR timeout is negative');
export const OOM = e("OOM command not allowed when used memory > 'maxmemory'.");
export const MISCONF = e(
  'MISCONF Errors writing to the AOF file: ' /* completed by the persistence layer */,
);

// ---- stream errors ----------------------------------------------------------
export const INVALID_STREAM_ID = e('ERR Invalid stream ID specified as stream command argument');
export const XADD_ID_TOO_SMALL = e('ERR The ID specified in XADD is equal or smaller than the target stream top item');
export const XADD_ID_ZERO = e('ERR The ID specified in XADD must be greater than 0-0');
export const STREAM_EXHAUSTED = e('ERR The stream has exhausted the last possible ID, unable to add more items');
export const XSETID_TOO_SMALL = e('ERR The ID specified in XSETID is smaller than the target stream top item');
export const XSETID_ENTRIES_ADDED_SMALL = e(
  'ERR The entries_added specified in XSETID is smaller than the target stream length',
);
export const XSETID_MAX_DELETED_SMALL = e(
  'ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id',
);
export const BUSYGROUP = e('BUSYGROUP Consumer Group name already exists');
export const XGROUP_NEED_STREAM = e(
  'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
);

export const noGroup = (key: string, group: string): ReplyError =>
  e(`NOGROUP No such key '${key}' or consumer group '${group}'`);

// ---- parametrised -----------------------------------------------------------
export const unknownCommand = (name: string, args: string[]): ReplyError => {
  let list = '';
  for (const a of args) {
    if (list.length >= 128) break;
    list += `'${truncate(a, 128 - list.length)}' `;
  }
  return e(`ERR unknown command '${truncate(name, 128)}', with args beginning with: ${list}`);
};
export const unknownSubcommand = (sub: string, cmd: string): ReplyError =>
  e(`ERR unknown subcommand '${truncate(sub, 128)}'. Try ${cmd.toUpperCase()} HELP.`);
export const wrongArity = (name: string): ReplyError => e(`ERR wrong number of arguments for '${name}' command`);
export const protocolError = (detail: string): ReplyError => e(`ERR Protocol error: ${detail}`);
export const outOfRange = (what: string, min: number | string, max: number | string): ReplyError =>
  e(`ERR ${what} must be between ${min} and ${max}`);
export const custom = (msg: string): ReplyError => e(msg);

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) : s;
}

// ---- pub/sub errors ----------------------------------------------------------
/** Redis's addReplySubcommandSyntaxError: a known subcommand with the wrong arguments (PUBSUB CHANNELS a b). */
export const subcommandSyntax = (sub: string, cmd: string): ReplyError =>
  e(`ERR unknown subcommand or wrong number of arguments for '${truncate(sub, 128)}'. Try ${cmd.toUpperCase()} HELP.`);
/** SSUBSCRIBE run by EXEC (Redis marks EXEC's client DENY_BLOCKING; SUBSCRIBE/PSUBSCRIBE are exempt for compatibility). */
export const SSUBSCRIBE_DENY_BLOCKING = e("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");

// ---- stream core: ID/range/trim/read parsers, XADD, XRANGE, XTRIM, XSETID, XREAD (stream-core engineer) ----
export const INVALID_START_ID = e('ERR invalid start ID for the interval');
export const INVALID_END_ID = e('ERR invalid end ID for the interval');
export const TRIM_STRATEGIES_CONFLICT = e('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
export const LIMIT_WITHOUT_STRATEGY = e('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
export const LIMIT_WITHOUT_APPROX = e('ERR syntax error, LIMIT cannot be used without the special ~ option');
export const XTRIM_NEEDS_STRATEGY = e('ERR syntax error, XTRIM must be called with a trimming strategy');
export const MAXLEN_NEGATIVE = e('ERR The MAXLEN argument must be >= 0.');
export const LIMIT_NEGATIVE = e('ERR The LIMIT argument must be >= 0.');
export const STREAM_ELEMENTS_TOO_LARGE = e('ERR Elements are too large to be stored');
export const TIMEOUT_OUT_OF_RANGE = e('ERR timeout is out of range');
/** Odd STREAMS list: XREAD names `+` too (late 2024 Redis, after XREAD learnt `+` in 7.4); XREADGROUP `>`. */
export const unbalancedStreams = (xreadgroup: boolean): ReplyError =>
  e(
    `ERR Unbalanced '${xreadgroup ? 'xreadgroup' : 'xread'}' list of streams: for each stream key an ${
      xreadgroup ? "ID or '>'" : "ID, '+', or '$'"
    } must be specified.`,
  );
export const GROUP_ONLY_IN_XREADGROUP = e('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
export const NOACK_ONLY_IN_XREADGROUP = e('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
export const XREADGROUP_MISSING_GROUP = e('ERR Missing GROUP option for XREADGROUP');
export const GT_ID_OUTSIDE_XREADGROUP = e(
  'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.',
);
export const DOLLAR_ID_IN_XREADGROUP = e(
  'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
);
export const PLUS_ID_IN_XREADGROUP = e(
  'ERR The + ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The + ID would just return an empty result set.',
);
export const XSETID_ENTRIES_ADDED_NEGATIVE = e('ERR entries_added must be positive');
export const XSETID_BELOW_MAX_DELETED = e('ERR The ID specified in XSETID is smaller than current max_deleted_entry_id');

// ---- keyspace, string and transaction errors --------------------------------
export const INVALID_CURSOR = e('ERR invalid cursor');
export const EXPIRE_NX_CONFLICT = e('ERR NX and XX, GT or LT options at the same time are not compatible');
export const EXPIRE_GT_LT_CONFLICT = e('ERR GT and LT options at the same time are not compatible');
export const unsupportedOption = (opt: string): ReplyError => e(`ERR Unsupported option ${opt}`);
export const DECR_OVERFLOW = e('ERR decrement would overflow');
export const OFFSET_OUT_OF_RANGE = e('ERR offset is out of range');
/** getIntFromObjectOrReply's refusal of a 64-bit integer outside 32 bits (MOVE, COPY DB). */
export const INT32_OUT_OF_RANGE = e('ERR value is out of range, value must between -2147483648 and 2147483647');
export const OBJECT_FREQ_NO_LFU = e(
  'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
);
export const OBJECT_IDLETIME_LFU = e(
  'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
);

// ---- server commands: CONFIG, CLIENT, INFO, FLUSH*, SWAPDB (server/CLI engineer) ----
export const configUnknownOption = (name: string): ReplyError =>
  e(`ERR Unknown option or number of arguments for CONFIG SET - '${name}'`);
export const configSetFailed = (name: string, reason: string): ReplyError =>
  e(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`);
export const NO_CONFIG_FILE = e('ERR The server is running without a config file');
export const configRewriteFailed = (reason: string): ReplyError => e(`ERR Rewriting config file: ${reason}`);
export const NO_SUCH_CLIENT = e('ERR No such client');
export const CLIENT_NAME_CHARS = e('ERR Client names cannot contain spaces, newlines or special characters.');
export const UNKNOWN_CLIENT_TYPE = (type: string): ReplyError => e(`ERR Unknown client type '${type}'`);
export const INVALID_CLIENT_ID = e('ERR Invalid client ID');
export const CLIENT_ID_NOT_POSITIVE = e('ERR client-id should be greater than 0');
export const CLIENT_UNBLOCK_REASON = e('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
export const UNBLOCKED_BY_CLIENT = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';
export const unrecognizedSetinfoOption = (opt: string): ReplyError => e(`ERR Unrecognized option '${opt}'`);
export const setinfoBadChars = (opt: string): ReplyError =>
  e(`ERR ${opt} cannot contain spaces, newlines or special characters.`);
export const SWAPDB_INVALID_FIRST = e('ERR invalid first DB index');
export const SWAPDB_INVALID_SECOND = e('ERR invalid second DB index');
export const noSuchUser = (user: string): ReplyError => e(`ERR No such user '${user}'`);
export const MAXAGE_NOT_INTEGER = e('ERR maxage is not an integer or out of range');
export const MAXAGE_NOT_POSITIVE = e('ERR maxage should be greater than 0');

// ---- consumer groups (XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO) ----
/** XREADGROUP's own wording (XACK/XPENDING/XCLAIM use noGroup). */
export const noGroupXreadgroup = (key: string, group: string): ReplyError =>
  e(`NOGROUP No such key '${key}' or consumer group '${group}' in XREADGROUP with GROUP option`);
/** XGROUP SETID/CREATECONSUMER/DELCONSUMER and XINFO CONSUMERS. */
export const noGroupForKey = (key: string, group: string): ReplyError =>
  e(`NOGROUP No such consumer group '${group}' for key name '${key}'`);
export const ENTRIESREAD_RANGE = e('ERR value for ENTRIESREAD must be positive or -1');
export const XCLAIM_MIN_IDLE = e('ERR Invalid min-idle-time argument for XCLAIM');
export const XCLAIM_IDLE = e('ERR Invalid IDLE option argument for XCLAIM');
export const XCLAIM_TIME = e('ERR Invalid TIME option argument for XCLAIM');
export const XCLAIM_RETRYCOUNT = e('ERR Invalid RETRYCOUNT option argument for XCLAIM');
export const xclaimUnknownOption = (opt: string): ReplyError => e(`ERR Unrecognized XCLAIM option '${opt}'`);
export const XAUTOCLAIM_MIN_IDLE = e('ERR Invalid min-idle-time argument for XAUTOCLAIM');
export const XAUTOCLAIM_COUNT = e('ERR COUNT must be > 0');

// ---- persistence (AOF, DEBUG, SHUTDOWN) ---------------------------------------
export const misconfAof = (reason: string): ReplyError => e(`MISCONF Errors writing to the AOF file: ${reason}`);
export const AOF_REWRITE_IN_PROGRESS = e('ERR Background append only file rewriting already in progress');
export const AOF_REWRITE_CANT_START = e(
  "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
);
export const NO_SHUTDOWN_IN_PROGRESS = e('ERR No shutdown in progress.');
export const SHUTDOWN_ERRORS = e('ERR Errors trying to SHUTDOWN. Check logs.');
export const DEBUG_RELOAD_OPTIONS = e('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
export const DEBUG_RELOAD_FAILED = e('ERR Error trying to load the RDB dump, check server logs.');
export const DEBUG_LOADAOF_FAILED = e('ERR Error trying to load the AOF files, check server logs.');

// ---- Redis 8 stream features (issue 9): XDELEX, XACKDEL, CLAIM, IDMP, XCFGSET, XNACK, MAXCOUNT/MAXSIZE ----
// Texts marked "(rivulet wording)" were not found in Redis's documentation; see /work/notes/redis8-facts.md.
export const NUMIDS_NOT_POSITIVE = e('ERR Number of IDs must be a positive integer');
export const NUMIDS_MISMATCH = e('ERR The `numids` parameter must match the number of arguments');
export const IDS_REQUIRED = e('ERR IDS option is required');
// Redis 8.x texts from its own tests (tests/unit/type/stream*.tcl); where those match a prefix only, the tail is rivulet's.
export const CLAIM_MIN_IDLE_NOT_INTEGER = e('ERR min-idle-time is not an integer or out of range');
export const CLAIM_MIN_IDLE_NEGATIVE = e('ERR min-idle-time must be a positive integer');
export const CLAIM_ONLY_IN_XREADGROUP = e('ERR The CLAIM option is only supported by XREADGROUP. You called XREAD instead.');
// Redis's streamParseAddOrTrimArgsOrReply (src/t_stream.c, 2026 sources): the IDMP texts start with "syntax error, ".
export const IDMP_NEEDS_AUTO_ID = e('ERR syntax error, IDMP/IDMPAUTO can be used only with auto-generated IDs');
export const IDMP_TWICE = e('ERR syntax error, IDMP/IDMPAUTO specified multiple times');
export const IDMP_EMPTY_PID = e('ERR syntax error, IDMP requires a non-empty producer ID');
export const IDMP_EMPTY_IID = e('ERR syntax error, IDMP requires a non-empty idempotent ID');
export const IDMPAUTO_EMPTY_PID = e('ERR syntax error, IDMPAUTO requires a non-empty producer ID');
export const unrecognizedXnackOption = (opt: string): ReplyError => e(`ERR Unrecognized XNACK option '${truncate(opt, 128)}'`);
// Redis 8.6's xcfgsetCommand texts (src/t_stream.c, 2026 sources).
export const XCFGSET_DURATION_RANGE = e('ERR IDMP-DURATION must be between 1 and 86400 seconds');
export const XCFGSET_MAXSIZE_RANGE = e('ERR IDMP-MAXSIZE must be between 1 and 10000 entries');
export const XCFGSET_NO_PARAMETER = e('ERR At least one parameter must be specified');
export const XCFGSET_DURATION_TWICE = e('ERR IDMP-DURATION specified multiple times');
export const XCFGSET_MAXSIZE_TWICE = e('ERR IDMP-MAXSIZE specified multiple times');
// xidmprecordCommand's texts (src/t_stream.c, 2026 sources).
export const XIDMPRECORD_NO_ENTRY = e('ERR No such message in stream');
export const XIDMPRECORD_CONFLICT = e('ERR IID already exists for this producer with a different stream ID');
export const XIDMPRECORD_EMPTY_PID = e('ERR producer ID must be non-empty');
export const XIDMPRECORD_EMPTY_IID = e('ERR idempotent ID must be non-empty');
// XNACK's own texts, as Redis's test "XNACK argument and error validation" asserts them.
export const XNACK_RETRYCOUNT = e('ERR Invalid RETRYCOUNT value, must be >= 0');
export const XNACK_MODE = e('ERR mode must be SILENT, FAIL, or FATAL');
export const XNACK_NO_IDS = e('ERR syntax error, expected IDS keyword');
export const XNACK_NUMIDS = e('ERR numids must be a positive integer');
export const XNACK_NUMIDS_MISMATCH = e("ERR number of IDs doesn't match numids");
export const MAXCOUNT_NOT_POSITIVE = e('ERR MAXCOUNT must be a positive integer');
export const MAXSIZE_NOT_POSITIVE = e('ERR MAXSIZE must be a positive integer');
export const MAXCOUNT_BELOW_COUNT = e('ERR MAXCOUNT must be greater than or equal to COUNT'); // (rivulet wording)

// ---- hashes and lists (issue 14) ---------------------------------------------
export const HASH_NOT_INTEGER = e('ERR hash value is not an integer');
export const HASH_NOT_FLOAT = e('ERR hash value is not a float');
export const NAN_OR_INFINITY = e('ERR value is NaN or Infinity');
/** HRANDFIELD/SRANDMEMBER-style count with WITHVALUES beyond ±LONG_MAX/2. */
export const VALUE_OUT_OF_RANGE = e('ERR value is out of range');
/** getPositiveLongFromObjectOrReply without a message. */
export const MUST_BE_POSITIVE = e('ERR value is out of range, must be positive');
/** getRangeLongFromObjectOrReply without a message (min, max as Redis prints them). */
export const valueMustBetween = (min: string, max: string): ReplyError => e(`ERR value is out of range, value must between ${min} and ${max}`);
export const NOVALUES_ONLY_HSCAN = e('ERR NOVALUES option can only be used in HSCAN');
export const LPOS_RANK_ZERO = e(
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
);
export const LPOS_COUNT_NEGATIVE = e("ERR COUNT can't be negative");
export const LPOS_MAXLEN_NEGATIVE = e("ERR MAXLEN can't be negative");
export const NUMKEYS_NOT_POSITIVE = e('ERR numkeys should be greater than 0');
export const COUNT_NOT_POSITIVE = e('ERR count should be greater than 0');
export const TIMEOUT_NOT_FLOAT = e('ERR timeout is not a float or out of range');
/** Hash field expiry (Redis 7.4). */
export const FIELDS_MISSING = e('ERR Mandatory argument FIELDS is missing or not at the right position');
export const NUMFIELDS_MISMATCH = e('ERR The `numfields` parameter must match the number of arguments');
export const EXPIRE_NEGATIVE = e('ERR invalid expire time, must be >= 0');
export const INDEX_OUT_OF_RANGE = e('ERR index out of range');
export const NUMFIELDS_NOT_POSITIVE = e('ERR Number of fields must be a positive integer');
export const NUMFIELDS_NOT_POSITIVE_HEXPIRE = e('ERR Parameter `numFields` should be greater than 0');
/** A protected command (DEBUG, MODULE) refused by its enable-*-command config (Redis's processCommand text). */
export const protectedCommand = (cmd: 'DEBUG' | 'MODULE', option: string): ReplyError =>
  e(
    `ERR ${cmd} command not allowed. If the ${option} option is set to "local", you can run it from a local connection, ` +
      'otherwise you need to set this option in the configuration file, and then restart the server.',
  );


// ---- RDB: DUMP / RESTORE / SAVE / BGSAVE / MIGRATE (issue 19) ----
export const DUMP_PAYLOAD_WRONG = e('ERR DUMP payload version or checksum are wrong');
export const BAD_DATA_FORMAT = e('ERR Bad data format');
export const BUSYKEY = e('BUSYKEY Target key name already exists.');
export const INVALID_TTL = e('ERR Invalid TTL value, must be >= 0');
export const INVALID_IDLETIME = e('ERR Invalid IDLETIME value, must be >= 0');
export const INVALID_FREQ = e('ERR Invalid FREQ value, must be >= 0 and <= 255');
export const BGSAVE_IN_PROGRESS = e('ERR Background save already in progress');
export const SAVE_FAILED = e("ERR");
export const BGSAVE_CHILD_ACTIVE = e(
  "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
);
export const BGSAVE_CANT_START = e("ERR Can't execute a BGSAVE, check the server logs for more information."); // (rivulet wording)
export const MIGRATE_KEYS_NEEDS_EMPTY_KEY = e('ERR When using MIGRATE KEYS option, the key argument must be set to the empty string');
export const MIGRATE_IOERR = e('IOERR error or timeout connecting to the client');
export const migrateTargetError = (msg: string): ReplyError => e(`ERR Target instance replied with error: ${msg}`);
export const migrateIoError = (what: string): ReplyError => e(`IOERR error or timeout ${what} to target instance`);
export const rdbTypeMissing = (type: string): ReplyError => e(`ERR rivulet cannot serialize values of type ${type} yet`); // (rivulet wording)
// ---- scripting (Redis 7 eval.c, script.c, functions.c) ------------------------
export const NOSCRIPT = e('NOSCRIPT No matching script. Please use EVAL.');
export const NUMKEYS_TOO_MANY = e("ERR Number of keys can't be greater than number of args");
export const NUMKEYS_NEGATIVE = e("ERR Number of keys can't be negative");
export const BUSY_EVAL = e('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
export const BUSY_FUNCTION = e('BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.');
export const NOTBUSY = e('NOTBUSY No scripts in execution right now.');
export const UNKILLABLE = e(
  'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
);
export const SCRIPT_RO_WRITE = e('ERR Can not execute a script with write flag using *_ro command.');
export const SCRIPT_OOM = e("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
export const scriptMisconf = (reason: string): ReplyError =>
  e(
    `MISCONF Redis is configured to persist data to AOF, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts. AOF error: ${reason}`,
  );
export const scriptCompile = (msg: string): ReplyError => e(`ERR Error compiling script (new function): ${msg}`);
export const shebang = (msg: string): ReplyError => e(`ERR ${msg}`);
export const SCRIPT_FLUSH_OPTION = e('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
export const FUNCTION_FLUSH_OPTION = e('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
export const FUNCTION_NOT_FOUND = e('ERR Function not found');
export const LIBRARY_NOT_FOUND = e('ERR Library not found');
export const FUNCTION_CODE_MISSING = e('ERR Function code is missing');
export const functionUnknownOption = (opt: string): ReplyError => e(`ERR Unknown option given: ${opt}`);
export const functionListUnknownArg = (arg: string): ReplyError => e(`ERR Unknown argument ${arg}`);
export const FUNCTION_LIST_NO_LIBNAME = e('ERR library name argument was not given');
export const FUNCTION_RESTORE_POLICY = e('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
export const FUNCTION_DUMP_PAYLOAD = e('ERR DUMP payload version or checksum are wrong');
export const functionLoad = (msg: string): ReplyError => e(`ERR ${msg}`);
export const FCALL_BAD_NUMKEYS = e('ERR Bad number of keys provided');
export const SCRIPT_DEBUG_MODE = e('ERR Use SCRIPT DEBUG YES/SYNC/NO');
/** (rivulet wording) rivulet has no Lua debugger. */
export const SCRIPT_DEBUG_UNSUPPORTED = e('ERR SCRIPT DEBUG YES/SYNC is not supported by rivulet (no Lua debugger)');
export const LUA_NOT_LOADED = e('ERR the Lua engine could not be loaded (rivulet wording: see the server log)');

// ---- operator commands (issue 16): MONITOR, CLIENT PAUSE/TRACKING/CACHING, SLOWLOG, LATENCY, MODULE ----
export const REPLICA_KEYSPACE = e("ERR Replica can't interact with the keyspace");
export const MONITOR_DENY_BLOCKING = e("ERR MONITOR isn't allowed for DENY BLOCKING client");
export const CLIENT_PAUSE_MODE = e('ERR CLIENT PAUSE mode must be WRITE or ALL');
export const TRACKING_ONE_REDIRECT = e('ERR A client can only redirect to a single other client');
export const TRACKING_NO_REDIRECT_TARGET = e('ERR The client ID you want redirect to does not exist');
export const TRACKING_PREFIX_NEEDS_BCAST = e('ERR PREFIX option requires BCAST mode to be enabled');
export const TRACKING_BCAST_SWITCH = e(
  "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
);
export const TRACKING_OPT_WITH_BCAST = e('ERR OPTIN and OPTOUT are not compatible with BCAST');
export const TRACKING_OPTIN_AND_OPTOUT = e("ERR You can't specify both OPTIN mode and OPTOUT mode");
export const TRACKING_OPT_SWITCH = e(
  "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
);
export const trackingPrefixOverlap = (msg: string): ReplyError => e(`ERR ${msg}`);
export const CACHING_NOT_TRACKING = e('ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
export const CACHING_YES_NEEDS_OPTIN = e('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
export const CACHING_NO_NEEDS_OPTOUT = e('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
export const SLOWLOG_COUNT = e('ERR count should be greater than or equal to -1');
export const latencyNoSamples = (event: string): ReplyError => e(`ERR No samples available for event '${event}'`);
export const MODULE_LOAD_FAILED = e('ERR Error loading the extension. Please check the server logs.');
export const MODULE_UNLOAD_NO_SUCH = e('ERR Error unloading module: no such module with that name');

// ---- replication (SYNC / PSYNC / REPLCONF: snapshots for redis-cli --rdb) ------
export const SYNC_PENDING_OUTPUT = e('ERR SYNC and PSYNC are invalid with pending output');
export const unrecognizedReplconf = (opt: string): ReplyError => e(`ERR Unrecognized REPLCONF option: ${opt}`);
export const unsupportedRdbFilter = (opt: string): ReplyError => e(`ERR Unsupported rdb-filter-only option: ${opt}`);
/** rivulet serves snapshots (REPLCONF rdb-only 1, as redis-cli --rdb asks) but has no replication stream for a replica. */
export const NO_REPLICATION = e('ERR rivulet cannot be replicated: only snapshots are served (REPLCONF rdb-only 1, then SYNC or PSYNC, as redis-cli --rdb does)');
