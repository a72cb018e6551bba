/**
 * XREAD [COUNT count] [MAXCOUNT maxcount] [MAXSIZE maxsize] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
 *
 * MAXCOUNT/MAXSIZE (Redis 8.10) cap the whole reply (see budget.ts).
 *
 * Non-blocking: serves every stream that has entries above its ID, or a null
 * array. With BLOCK, a client that got nothing waits on all its keys; each
 * XADD (or any write that signals a key) re-runs the read for the waiting
 * clients in the order they blocked, as Redis 7.2+ re-executes the command.
 */
import type { CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { arg, key, block } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { type ReadArgs, parseReadArgs, readIdArg } from './args.js';
import { ReadBudget, entryReplyBytes } from './budget.js';
import { type StreamId, MAX_ID, MIN_ID, compareIds, nextId, prevId, formatId } from '../../lib/stream/id.js';
import { type EntryBatch, writeEntries, writeRange, beginStreamsReply, streamsReplyKey } from './reply.js';
import { Stream } from '../../lib/stream/stream.js';
import { getStream } from './lookup.js';

/** An ID to read after: concrete, or `+` (7.4: "just before the last entry"), resolved at each attempt. */
type After = StreamId | '+';

/**
 * One attempt at the read: for each key, entries with IDs above its ID, at
 * most `count` each (0 = all). Writes the reply and returns true when at
 * least one stream had something; writes nothing and returns false otherwise.
 * Throws WRONGTYPE when a key holds something else.
 */
function serve(c: Session, keyArgs: Buffer[], keys: string[], after: After[], opts: ReadArgs): boolean {
  const count = opts.count;
  // MAXCOUNT/MAXSIZE (Redis 8.10): one budget for the whole reply, streams served in order.
  const budget = new ReadBudget(opts.maxCount, opts.maxSize);
  if (budget.unlimited) return serveInPlace(c, keyArgs, keys, after, count);
  let served = 0;
  let batches: (EntryBatch | null)[] | null = null;
  for (let i = 0; i < keys.length; i++) {
    if (budget.spent) {
      // Later streams are skipped; their types are still checked, as a read of them would.
      getStream(c, keys[i]);
      continue;
    }
    const s = getStream(c, keys[i]);
    if (s === null || s.length === 0) continue;
    const last = s.lastEntryId()!;
    const a = after[i];
    const gt = a === '+' ? (prevId(last) ?? MIN_ID) : a;
    if (compareIds(last, gt) <= 0) continue;
    const batch: EntryBatch = { ids: [], fields: [] };
    s.log.range(nextId(gt)!, MAX_ID, false, budget.perStream(count), (id, fields) => {
      if (!budget.admit(entryReplyBytes(id, fields))) return false;
      batch.ids.push(id);
      batch.fields.push(fields);
      return true;
    });
    if (batch.ids.length === 0) continue;
    batches ??= new Array<EntryBatch | null>(keys.length).fill(null);
    batches[i] = batch;
    served++;
  }
  if (served === 0) return false;
  const resp3 = beginStreamsReply(c, served);
  for (let i = 0; i < keys.length; i++) {
    const b = batches![i];
    if (b === null) continue;
    streamsReplyKey(c, resp3, keyArgs[i]);
    writeEntries(c, b);
  }
  return true;
}

/**
 * serve() without MAXCOUNT/MAXSIZE (the common case): entries are written
 * straight from the stream chunks (writeRange), with no ID object or field
 * Buffer per entry. Which streams answer is known before any walk: the last
 * entry is always live, so a stream has entries above `gt` exactly when its
 * last entry ID is above it. All keys are type-checked before anything is written.
 */
function serveInPlace(c: Session, keyArgs: Buffer[], keys: string[], after: After[], count: number): boolean {
  let froms: (StreamId | null)[] | null = null;
  let streams: (Stream | null)[] | null = null;
  let served = 0;
  for (let i = 0; i < keys.length; i++) {
    const s = getStream(c, keys[i]);
    if (s === null || s.length === 0) continue;
    const last = s.lastEntryId()!;
    const a = after[i];
    const gt = a === '+' ? (prevId(last) ?? MIN_ID) : a;
    if (compareIds(last, gt) <= 0) continue;
    froms ??= new Array<StreamId | null>(keys.length).fill(null);
    streams ??= new Array<Stream | null>(keys.length).fill(null);
    froms[i] = nextId(gt)!;
    streams[i] = s;
    served++;
  }
  if (served === 0) return false;
  // One stream: readers woken by the same XADD at the same position get the same bytes.
  const shared = keys.length === 1 ? sharedReply.find(streams![0]!, froms![0]!, count, c.proto, keyArgs[0]) : null;
  if (shared !== null) {
    c.reply.raw(shared);
    return true;
  }
  const at = c.reply.mark();
  const resp3 = beginStreamsReply(c, served);
  for (let i = 0; i < keys.length; i++) {
    const from = froms![i];
    if (from === null) continue;
    streamsReplyKey(c, resp3, keyArgs[i]);
    writeRange(c, streams![i]!, from, MAX_ID, false, count);
  }
  // Kept only while other clients wait on the key (a fan-out being served) and when small.
  if (keys.length === 1 && c.reply.size - at <= SHARED_MAX && c.server.blocking.hasWaiters(c.db, keys[0]))
    sharedReply.keep(streams![0]!, froms![0]!, count, c.proto, keyArgs[0], c.reply.bytesSince(at));
  return true;
}

/** Largest reply kept for sharing. */
const SHARED_MAX = 64 * 1024;

/**
 * The last one-stream XREAD reply, encoded: when 100 clients blocked on a
 * stream at the same position are woken by one XADD, the first re-run walks
 * the log and encodes the reply, the other 99 copy its bytes. Valid while
 * the stream's log is unchanged (StreamLog.version) and the request is the
 * same: same stream, start, COUNT, protocol and key bytes.
 */
class SharedReply {
  /** Weak: a deleted stream is not kept alive by the cache. */
  private log: WeakRef<object> | null = null;
  private version = -1;
  private from: StreamId = MIN_ID;
  private count = 0;
  private proto = 0;
  private key: Buffer = Buffer.alloc(0);
  private bytes: Buffer | null = null;

  find(s: Stream, from: StreamId, count: number, proto: number, key: Buffer): Buffer | null {
    if (this.log === null || this.log.deref() !== s.log || this.version !== s.log.version || this.count !== count || this.proto !== proto) return null;
    if (compareIds(this.from, from) !== 0 || !this.key.equals(key)) return null;
    return this.bytes;
  }

  keep(s: Stream, from: StreamId, count: number, proto: number, key: Buffer, bytes: Buffer): void {
    this.log = new WeakRef(s.log);
    this.version = s.log.version;
    this.from = from;
    this.count = count;
    this.proto = proto;
    this.key = Buffer.from(key);
    this.bytes = bytes;
  }
}

const sharedReply = new SharedReply();

export const xread: CommandSpec = {
  name: 'xread',
  arity: -4,
  flags: ['readonly', 'blocking', 'movablekeys'],
  acl: ['read', 'stream', 'slow', 'blocking'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  keySpecs: [
    { flags: ['RO', 'access'], beginSearch: { keyword: 'STREAMS', startFrom: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 2 } },
  ],
  summary:
    'Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.',
  since: '5.0.0',
  group: 'stream',
  complexity:
    'For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.',
  history: [['8.10.0', 'Added the `MAXCOUNT` and `MAXSIZE` options.']],
  arguments: [
    arg('count', 'integer', { token: 'COUNT', optional: true }),
    arg('maxcount', 'integer', { token: 'MAXCOUNT', since: '8.10.0', optional: true }),
    arg('maxsize', 'integer', { token: 'MAXSIZE', since: '8.10.0', optional: true }),
    arg('milliseconds', 'integer', { token: 'BLOCK', optional: true }),
    block('streams', [key('key', 0, { multiple: true }), arg('id', 'string', { multiple: true })], { token: 'STREAMS' }),
  ],
  handler(c, argv) {
    const r = parseReadArgs(argv, false, Date.now());
    const n = r.numStreams;
    const keyArgs = argv.slice(r.keysAt, r.keysAt + n);
    const keys: string[] = new Array<string>(n);
    const after: After[] = new Array<After>(n);
    // Per key, in order: type check, then its ID (so errors come in Redis's order).
    for (let i = 0; i < n; i++) {
      keys[i] = keyOf(keyArgs[i]);
      const s = getStream(c, keys[i]);
      const id = readIdArg(argv[r.keysAt + n + i], false);
      // `$` is resolved now and remembered while blocked: only entries added after this call count.
      // (`>` cannot come back here: readIdArg refuses it outside XREADGROUP.)
      after[i] = id === '$' ? (s === null ? MIN_ID : s.lastId) : (id as After);
    }
    if (serve(c, keyArgs, keys, after, r)) return;
    if (r.blockUntil === -1 || !c.mayBlock) {
      // No BLOCK, or not allowed to block (MULTI/EXEC, scripts): answer as a timeout would.
      c.reply.nullArray();
      return;
    }
    // Woken only when a key holds a stream again; the command is re-run with `$` replaced by the
    // ID it stood for, so only entries added after this call count (as Redis rewrites it).
    let rerun = argv;
    for (let i = 0; i < n; i++) {
      const at = r.keysAt + n + i;
      if (argv[at].length === 1 && argv[at][0] === 36 /* $ */) {
        if (rerun === argv) rerun = argv.slice();
        rerun[at] = Buffer.from(formatId(after[i] as StreamId), 'latin1');
      }
    }
    c.block({ keys, timeoutAt: r.blockUntil, type: 'stream', argv: rerun });
  },
};
