/**
 * Value → the commands that rebuild it, for the AOF base file (rewrite) and
 * DEBUG RELOAD. The forms are exactly those of Redis's
 * rewriteAppendOnlyFileRio / rewriteStreamObject, so redis-server can load a
 * base written by rivulet:
 *
 *   string:  SET key value [+ PEXPIREAT key ms]
 *   list:    RPUSH key e1 .. e64, ... (rewriteListObject)
 *   hash:    HMSET key f1 v1 .. f64 v64, ...; with field TTLs one
 *            HMSET key f v per field, each TTL field followed by
 *            HPEXPIREAT key ms FIELDS 1 f (rewriteHashObject, 7.4)
 *   stream:  XADD key id f v ... for every entry (or, when empty,
 *            XADD key MAXLEN 0 0-1 x y), then
 *            XSETID key last-id ENTRIESADDED n MAXDELETEDID id, then per group
 *            XGROUP CREATE key group last-id ENTRIESREAD n, and per consumer
 *            XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n JUSTID FORCE
 *            for each pending entry, or XGROUP CREATECONSUMER key group consumer
 *            when it has none; then (Redis 8.6+) XCFGSET key IDMP-DURATION d
 *            IDMP-MAXSIZE m when the stream has its own IDMP settings, and
 *            XIDMPRECORD key pid iid id per tracked idempotent ID. Entries
 *            released by XNACK (no owner) come back through
 *            XNACK key group FAIL IDS 1 id RETRYCOUNT n FORCE, after all the XCLAIMs.
 *            Pending entries whose stream entry is gone (XDEL, trimming) — which
 *            XCLAIM cannot recreate — get a placeholder `XADD key id x y` among
 *            the entries, are claimed like the others, and the placeholders are
 *            then removed (XTRIM key MINID <first live id> for those below the
 *            first entry, XDEL for the others); XSETID comes before the groups
 *            (their ENTRIESREAD is capped at entries-added) and again last, so
 *            entries-added and max-deleted-id end exact. All standard
 *            commands: redis-server loads such a base with the same PEL.
 *
 * Each generator yields one encoded command at a time, so a rewrite can stop
 * between any two commands and continue on a later event-loop turn.
 */
import type { Value } from '../types/value.js';
import { unpack, type Stored } from '../engine/keyspace.js';
import { typeOf, typeName } from '../types/registry.js';
import { Stream } from '../stream/stream.js';
import type { StreamId, I64 } from '../stream/id.js';
import { MAX_ID, nextId, compareIds } from '../stream/id.js';
import { encodeCommand } from './resp.js';
import { deliveryCountReply, type PendingEntry } from '../stream/group.js';

const B = (s: string): Buffer => Buffer.from(s, 'latin1');
const PEXPIREAT = B('PEXPIREAT');
const SELECT = B('SELECT');
const XADD = B('XADD');
const XSETID = B('XSETID');
const XGROUP = B('XGROUP');
const CREATE = B('CREATE');
const CREATECONSUMER = B('CREATECONSUMER');
const XCLAIM = B('XCLAIM');
const ENTRIESADDED = B('ENTRIESADDED');
const MAXDELETEDID = B('MAXDELETEDID');
const ENTRIESREAD = B('ENTRIESREAD');
const TIME = B('TIME');
const RETRYCOUNT = B('RETRYCOUNT');
const JUSTID = B('JUSTID');
const FORCE = B('FORCE');
const ZERO = B('0');
const MAXLEN = B('MAXLEN');
const XCFGSET = B('XCFGSET');
const IDMP_DURATION = B('IDMP-DURATION');
const IDMP_MAXSIZE = B('IDMP-MAXSIZE');
const XIDMPRECORD = B('XIDMPRECORD');
const XNACK = B('XNACK');
const XTRIM = B('XTRIM');
const XDEL = B('XDEL');
const MINID = B('MINID');
const X = B('x');
const Y = B('y');
const FAIL = B('FAIL');
const IDS = B('IDS');
const ONE = B('1');

const idArg = (id: StreamId): Buffer => B(`${id.ms}-${id.seq}`);

/** Entries fetched from a stream per batch (bounds the work between two yields). */
const BATCH = 256;

export function selectCommand(dbId: number): Buffer {
  return encodeCommand([SELECT, B(String(dbId))]);
}

/** The commands that recreate one key. Throws for a value type it does not know. */
export function* serializeKey(key: string, value: Value, expireAt: I64 | undefined): Generator<Buffer> {
  const k = B(key);
  if (value instanceof Stream) {
    yield* serializeStream(k, value);
  } else {
    // Every other type declares its own rewrite (lib/types/registry.ts): strings as SET, lists as RPUSH,
    // hashes as HMSET (+ HPEXPIREAT per field with a TTL), sets as SADD, sorted sets as ZADD, 64 items per command like Redis.
    const argvs = typeOf(value).rewrite(k, value);
    if (argvs === null) throw new Error(`cannot serialize a value of type ${typeName(value)}`);
    for (const argv of argvs) yield encodeCommand(argv);
  }
  // Expiry times are exact int64s (a bigint beyond 2^53 ms), written as they are.
  if (expireAt !== undefined) yield encodeCommand([PEXPIREAT, k, B(String(expireAt))]);
}

function* serializeStream(k: Buffer, s: Stream): Generator<Buffer> {
  // Pending entries whose stream entry is gone (XDEL, trimming): XCLAIM cannot create them, so the base
  // adds a placeholder entry for each, claims it like the others, and removes the placeholders again.
  const ghosts = ghostIds(s);
  const setid = encodeCommand([XSETID, k, idArg(s.lastId), ENTRIESADDED, B(String(s.entriesAdded)), MAXDELETEDID, idArg(s.maxDeletedId)]);
  if (s.length > 0 || ghosts.length > 0) {
    let from: StreamId | null = { ms: 0, seq: 0 };
    let g = 0;
    const batch: Buffer[] = [];
    while (from !== null) {
      let last: StreamId | null = null;
      s.log.range(from, MAX_ID, false, BATCH, (id, fields) => {
        while (g < ghosts.length && compareIds(ghosts[g], id) < 0) batch.push(encodeCommand([XADD, k, idArg(ghosts[g++]), X, Y]));
        batch.push(encodeCommand([XADD, k, idArg(id), ...fields]));
        last = id;
        return true;
      });
      for (const b of batch) yield b;
      const n = batch.length;
      batch.length = 0;
      from = last === null || n < BATCH ? null : nextId(last);
    }
    while (g < ghosts.length) yield encodeCommand([XADD, k, idArg(ghosts[g++]), X, Y]);
  } else {
    // Redis's trick for an empty stream: add one entry and trim it away at once.
    yield encodeCommand([XADD, k, MAXLEN, ZERO, B('0-1'), B('x'), B('y')]);
  }
  // Without placeholders, Redis's order (XSETID before the groups); with them, XSETID comes last,
  // after the placeholders are gone, so that it restores entries-added and max-deleted-id exactly.
  if (ghosts.length === 0) {
    yield setid;
    yield* serializeGroups(k, s);
    yield* serializeIdmp(k, s);
    return;
  }
  // XSETID before the groups as well: XGROUP CREATE caps ENTRIESREAD at the stream's entries-added (Redis 8),
  // which the XADDs alone (live entries + placeholders) put below the real count.
  yield setid;
  yield* serializeGroups(k, s);
  yield* serializeIdmp(k, s);
  {
    const first = s.log.firstId();
    // Placeholders below the first live entry go with one exact trim (which leaves max-deleted-id alone, as
    // trimming did); the others were XDELed, so XDEL removes them.
    if (first === null) yield encodeCommand([XTRIM, k, MAXLEN, ZERO]);
    else if (compareIds(ghosts[0], first) < 0) yield encodeCommand([XTRIM, k, MINID, idArg(first)]);
    const inner = first === null ? [] : ghosts.filter((id) => compareIds(id, first) > 0);
    for (let i = 0; i < inner.length; i += BATCH) yield encodeCommand([XDEL, k, ...inner.slice(i, i + BATCH).map(idArg)]);
    yield setid;
  }
}

/**
 * IDs whose entry is no longer in the stream but that something still names:
 * a pending entry of some group (owned or released by XNACK), or an IDMP
 * record (a retry of that (pid, iid) must still answer the old ID, not add
 * the entry again). Ascending, without repeats.
 */
function ghostIds(s: Stream): StreamId[] {
  const out: StreamId[] = [];
  for (const g of s.groups.values()) {
    const cur = g.pel.seek();
    for (let pe = cur.next(); pe !== null; pe = cur.next()) if (!s.log.has(pe.id)) out.push(pe.id);
  }
  if (s.idmp !== null) for (const m of s.idmp.producers.values()) for (const rec of m.values()) if (!s.log.has(rec.id)) out.push(rec.id);
  if (out.length > 1) {
    out.sort(compareIds);
    let w = 0;
    for (let i = 0; i < out.length; i++) if (w === 0 || compareIds(out[w - 1], out[i]) !== 0) out[w++] = out[i];
    out.length = w;
  }
  return out;
}

function* serializeGroups(k: Buffer, s: Stream): Generator<Buffer> {
  const names = Array.from(s.groups.keys()).sort(bytewise);
  for (const name of names) {
    const g = s.groups.get(name)!;
    const gname = B(name);
    yield encodeCommand([XGROUP, CREATE, k, gname, idArg(g.lastId), ENTRIESREAD, B(String(g.entriesRead))]);
    for (const consumer of g.sortedConsumers()) {
      const cname = B(consumer.name);
      if (consumer.pel.size === 0) {
        yield encodeCommand([XGROUP, CREATECONSUMER, k, gname, cname]);
        continue;
      }
      const cur = consumer.pel.seek();
      for (let pe = cur.next(); pe !== null; pe = cur.next()) {
        yield encodeCommand([
          XCLAIM, k, gname, cname, ZERO, idArg(pe.id),
          TIME, B(String(pe.deliveryTime)), RETRYCOUNT, B(String(deliveryCountReply(pe.deliveryCount))), JUSTID, FORCE,
        ]);
      }
    }
  }
  for (const name of names) {
    // Entries released by XNACK (Redis 8.8) have no owner: XNACK ... FORCE recreates them, delivery time 0.
    // In release order, so that the reloaded group claims them in the same order (Redis's "XNACK entries survive AOF rewrite").
    const g = s.groups.get(name)!;
    const released: PendingEntry[] = [];
    const cur = g.unowned.pel.seek();
    for (let pe = cur.next(); pe !== null; pe = cur.next()) released.push(pe);
    released.sort((a, b) => a.releaseSeq - b.releaseSeq);
    for (const pe of released) {
      yield encodeCommand([
        XNACK, k, B(name), FAIL, IDS, ONE, idArg(pe.id), RETRYCOUNT, B(String(deliveryCountReply(pe.deliveryCount))), FORCE,
      ]);
    }
  }
}

function* serializeIdmp(k: Buffer, s: Stream): Generator<Buffer> {
  if (s.idmp !== null) {
    // Redis 8.6+ (redis/redis#14794): per-stream IDMP settings as XCFGSET (which clears the maps, so first),
    // then one XIDMPRECORD per tracked (pid, iid), oldest first.
    const cfg: Buffer[] = [XCFGSET, k];
    if (s.idmp.duration !== null) cfg.push(IDMP_DURATION, B(String(s.idmp.duration)));
    if (s.idmp.maxSize !== null) cfg.push(IDMP_MAXSIZE, B(String(s.idmp.maxSize)));
    if (cfg.length > 2) yield encodeCommand(cfg);
    for (const [pid, m] of s.idmp.producers) {
      for (const [iid, rec] of m) {
        // (An entry deleted since has a placeholder at this point of the base: see ghostIds.)
        yield encodeCommand([XIDMPRECORD, k, B(pid), B(iid), idArg(rec.id)]);
      }
    }
  }
}

function bytewise(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One database's keys as a point-in-time copy (see takeSnapshot). */
export interface DbSnapshot {
  dbId: number;
  keys: string[];
  /** As the database holds them (a compact string stays a JS string until it is written). */
  values: Stored[];
  expires: (I64 | undefined)[];
}

/**
 * Copies what a rewrite must write, so later writes cannot leak into the
 * base: key and expiry lists, string Buffers by reference (a string value is
 * replaced, never modified in place — copied anyway when `copyStrings`),
 * streams by clone (sealed chunks are copied as whole Buffers: memcpy speed).
 * Keys already expired are left out, as Redis's rewrite does.
 */
export function takeSnapshot(dbs: { id: number; data: Iterable<[string, Stored]> & { size: number }; expires: Map<string, I64> }[], now: number): DbSnapshot[] {
  const out: DbSnapshot[] = [];
  for (const db of dbs) {
    if (db.data.size === 0) continue;
    const snap: DbSnapshot = { dbId: db.id, keys: [], values: [], expires: [] };
    for (const [key, value] of db.data) {
      const at = db.expires.get(key);
      if (at !== undefined && at <= now) continue;
      snap.keys.push(key);
      snap.values.push(typeof value === 'string' || Buffer.isBuffer(value) ? value : typeOf(value).clone(value));
      snap.expires.push(at);
    }
    if (snap.keys.length > 0) out.push(snap);
  }
  return out;
}

/** Every command of a snapshot, SELECT before each database. */
export function* serializeSnapshot(snaps: DbSnapshot[]): Generator<Buffer> {
  for (const s of snaps) {
    yield selectCommand(s.dbId);
    for (let i = 0; i < s.keys.length; i++) yield* serializeKey(s.keys[i], unpack(s.values[i]), s.expires[i]);
  }
}
