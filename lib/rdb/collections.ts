/**
 * Hashes and lists in RDB (rdb.c):
 *
 *   RDB_TYPE_HASH (4)              <n> (<field> <value>)*            hashtable encoding
 *   RDB_TYPE_HASH_LISTPACK (16)    <listpack: field value ...>        listpack encoding
 *   RDB_TYPE_HASH_METADATA (24)    <min expire ms> <n> (<ttl> <field> <value>)*   hashtable with field TTLs
 *                                  ttl: 0 = none, else expire - min + 1
 *   RDB_TYPE_HASH_LISTPACK_EX (25) <min expire ms, 0 if none> <listpack: field value expire(0 = none) ...>
 *   RDB_TYPE_LIST_QUICKLIST_2 (18) <nodes> (<container: 1 plain, 2 packed> <element | listpack>)*
 *   RDB_TYPE_LIST (1)              <n> <element>*  (read only: Redis < 3.2)
 *
 * Listpack-encoded values (small hashes and lists) come out byte for byte as
 * Redis writes them (fields in the order Redis's listpack keeps them). A
 * hashtable hash is written in rivulet's order (Redis's own dict order is
 * seeded at random, so it differs between two Redis processes too). A
 * quicklist list is cut into nodes as Redis's tail pushes cut it
 * (list-max-listpack-size; an element above the node limit gets a plain
 * node of its own), which is Redis's layout for a list built by RPUSH.
 * On load, the encoding is chosen from the config as Redis does.
 *
 * Read only, from Redis < 7 (converted as 7.x converts them on load):
 *   RDB_TYPE_HASH_ZIPLIST (13) <ziplist: field value ...>
 *   RDB_TYPE_LIST_QUICKLIST (14) <nodes> <ziplist>*   (Redis 3.2 .. 6.2)
 *   RDB_TYPE_LIST_ZIPLIST (10) <ziplist>              (Redis < 3.2)
 * Not read: RDB_TYPE_HASH_ZIPMAP (9), written only by Redis < 2.6 — a file
 * with it stops the load with "Unknown RDB encoding type".
 */
import { HashValue, valueBuffer } from '../types/hash.js';
import { PackedList } from '../types/list.js';
import { nodeLimit } from '../types/listpack.js';
import { type RdbReader, type RdbWriter, RdbError } from './encoding.js';
import type { EncodingLimits } from './limits.js';
import { parseZiplist } from './ziplist.js';
import { ListpackWriter, parseListpack, lpBytes, lpInt, lpStringSize, LP_HDR_SIZE } from './listpack.js';

export const RDB_TYPE_LIST = 1;
export const RDB_TYPE_HASH = 4;
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;
export const RDB_TYPE_HASH_METADATA = 24;
export const RDB_TYPE_HASH_LISTPACK_EX = 25;

export const RDB_TYPE_LIST_ZIPLIST = 10;
export const RDB_TYPE_HASH_ZIPLIST = 13;
export const RDB_TYPE_LIST_QUICKLIST = 14;

// ---- hashes -------------------------------------------------------------------

export function hashRdbType(h: HashValue): number {
  if (h.encoding === 'listpack') return RDB_TYPE_HASH_LISTPACK;
  if (h.encoding === 'listpackex') return RDB_TYPE_HASH_LISTPACK_EX;
  return h.minTtl() === undefined ? RDB_TYPE_HASH : RDB_TYPE_HASH_METADATA;
}

export function writeHash(w: RdbWriter, h: HashValue, compress: boolean): void {
  const t = hashRdbType(h);
  if (t === RDB_TYPE_HASH_LISTPACK || t === RDB_TYPE_HASH_LISTPACK_EX) {
    if (t === RDB_TYPE_HASH_LISTPACK_EX) w.millis(h.minTtl() ?? 0);
    const lp = new ListpackWriter();
    for (const [f, v] of h.map) {
      lp.string(Buffer.from(f, 'latin1'));
      lp.string(valueBuffer(v));
      if (t === RDB_TYPE_HASH_LISTPACK_EX) lp.int(h.getTtl(f) ?? 0);
    }
    w.string(lp.finish(), compress);
    return;
  }
  const min = h.minTtl();
  if (t === RDB_TYPE_HASH_METADATA) w.millis(min!);
  w.len(h.size);
  for (const [f, v] of h.map) {
    if (t === RDB_TYPE_HASH_METADATA) {
      const at = h.getTtl(f);
      w.len(at === undefined ? 0 : at - min! + 1);
    }
    w.string(Buffer.from(f, 'latin1'), compress);
    w.string(valueBuffer(v), compress);
  }
}

/**
 * Adds a loaded field. A hashtable-typed hash converts as it grows past either
 * limit; a listpack (or ziplist) payload stays a listpack unless it has more
 * entries than hash-max-listpack-entries — Redis 7.x does not look at value
 * lengths there (checked against 7.0 and 7.4; 7.0 did for ziplists).
 */
function addField(h: HashValue, f: Buffer, v: Buffer, at: number | undefined, limits: EncodingLimits, packed = false): void {
  const name = f.toString('latin1');
  if (h.has(name)) throw new RdbError('Duplicate hash fields detected');
  h.set(name, v);
  if (packed) h.afterSet(0, 0, limits.hashMaxEntries, Infinity);
  else h.afterSet(f.length, v.length, limits.hashMaxEntries, limits.hashMaxValue);
  if (at !== undefined) h.setTtl(name, at);
}

export function readHash(r: RdbReader, type: number, limits: EncodingLimits): HashValue {
  const h = new HashValue();
  if (type === RDB_TYPE_HASH_LISTPACK || type === RDB_TYPE_HASH_LISTPACK_EX || type === RDB_TYPE_HASH_ZIPLIST) {
    if (type === RDB_TYPE_HASH_LISTPACK_EX) {
      r.millis('hash min expire');
      h.markVolatile();
    }
    const blob = r.string('hash listpack');
    const els = type === RDB_TYPE_HASH_ZIPLIST ? parseZiplist(blob) : parseListpack(blob);
    const step = type === RDB_TYPE_HASH_LISTPACK_EX ? 3 : 2;
    if (els.length === 0 || els.length % step !== 0) throw new RdbError('Hash listpack with a wrong number of elements');
    for (let i = 0; i < els.length; i += step) {
      let at: number | undefined;
      if (step === 3) {
        const t = lpInt(els[i + 2]);
        if (t === null || t < 0) throw new RdbError('Hash listpack with a bad field TTL');
        if (t !== 0) at = Number(t);
      }
      addField(h, Buffer.from(lpBytes(els[i])), Buffer.from(lpBytes(els[i + 1])), at, limits, true);
    }
    return h;
  }
  const min = type === RDB_TYPE_HASH_METADATA ? r.millis('hash min expire') : 0;
  const n = r.len('hash size', r.remaining);
  if (n === 0) throw new RdbError('Empty hash');
  let anyTtl = false;
  for (let i = 0; i < n; i++) {
    let at: number | undefined;
    if (type === RDB_TYPE_HASH_METADATA) {
      const rel = r.len('hash field TTL');
      if (rel !== 0) at = min + rel - 1;
    }
    const f = Buffer.from(r.string('hash field'));
    const v = Buffer.from(r.string('hash value'));
    if (at !== undefined && !anyTtl && h.encoding !== 'hashtable') {
      h.markVolatile();
      anyTtl = true;
    }
    addField(h, f, v, at, limits);
  }
  return h;
}

// ---- lists --------------------------------------------------------------------

/** The nodes Redis's quicklist would hold for these elements pushed at the tail: listpacks, or a plain element. */
function quicklistNodes(items: Buffer[], fill: number): ({ plain: Buffer } | { packed: Buffer[]; bytes: number })[] {
  const lim = nodeLimit(fill);
  const nodes: ({ plain: Buffer } | { packed: Buffer[]; bytes: number })[] = [];
  const large = (sz: number): boolean => (fill >= 0 ? sz > 8192 : sz > lim.bytes);
  for (const v of items) {
    const sz = v.length;
    if (large(sz)) {
      nodes.push({ plain: v });
      continue;
    }
    const tail = nodes[nodes.length - 1];
    if (tail !== undefined && 'packed' in tail) {
      const newSz = tail.bytes + sz + 8; // SIZE_ESTIMATE_OVERHEAD
      const count = tail.packed.length + 1;
      const exceeds = lim.bytes !== Infinity ? newSz > lim.bytes : newSz > 8192 || count > lim.count;
      if (!exceeds) {
        tail.packed.push(v);
        tail.bytes += lpStringSize(v);
        continue;
      }
    }
    nodes.push({ packed: [v], bytes: LP_HDR_SIZE + 1 + lpStringSize(v) });
  }
  return nodes;
}

export function writeList(w: RdbWriter, l: PackedList, compress: boolean, limits: EncodingLimits): void {
  const items = l.toArray();
  const lpOf = (els: Buffer[]): Buffer => {
    const lp = new ListpackWriter();
    for (const e of els) lp.string(e);
    return lp.finish();
  };
  if (l.encoding === 'listpack') {
    w.len(1);
    w.len(2);
    w.string(lpOf(items), compress);
    return;
  }
  const nodes = quicklistNodes(items, limits.listFill);
  w.len(nodes.length);
  for (const n of nodes) {
    if ('plain' in n) {
      w.len(1);
      w.string(n.plain, compress);
    } else {
      w.len(2);
      w.string(lpOf(n.packed), compress);
    }
  }
}

export function readList(r: RdbReader, type: number, limits: EncodingLimits): PackedList {
  const l = new PackedList();
  const push = (v: Buffer): void => {
    l.growing(limits.listFill, v.length, 1);
    l.pushTail(v);
  };
  if (type === RDB_TYPE_LIST) {
    const n = r.len('list length', r.remaining);
    for (let i = 0; i < n; i++) push(Buffer.from(r.string('list element')));
  } else if (type === RDB_TYPE_LIST_ZIPLIST) {
    for (const e of parseZiplist(r.string('list ziplist'))) push(Buffer.from(lpBytes(e)));
    l.setQuick(true); // Redis 7.x loads this old form as a quicklist, whatever its size

  } else if (type === RDB_TYPE_LIST_QUICKLIST) {
    // Redis 3.2 .. 6.x: nodes are ziplists (an empty one is skipped, as Redis does).
    const nodes = r.len('quicklist node count', r.remaining);
    for (let i = 0; i < nodes; i++) for (const e of parseZiplist(r.string('quicklist ziplist'))) push(Buffer.from(lpBytes(e)));
  } else {
    const nodes = r.len('quicklist node count', r.remaining);
    for (let i = 0; i < nodes; i++) {
      const container = r.len('quicklist container');
      if (container !== 1 && container !== 2) throw new RdbError(`Quicklist integrity check failed: container ${container}`);
      const data = r.string('quicklist node');
      if (container === 1) {
        push(Buffer.from(data));
        continue;
      }
      // Redis skips an empty listpack node (written by old versions).
      for (const e of parseListpack(data)) push(Buffer.from(lpBytes(e)));
    }
  }
  if (l.length === 0) throw new RdbError('Empty list');
  return l;
}
