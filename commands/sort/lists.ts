/**
 * SORT's view of lists, through the list type (lib/types/list.ts): its
 * elements in order, and a new list for STORE with the encoding Redis gives
 * a list built by pushing (list-max-listpack-size).
 */
import type { Session } from '../../lib/engine/session.js';
import type { Value } from '../../lib/engine/keyspace.js';
import { PackedList } from '../../lib/types/list.js';

/** A list's elements as latin1 strings, or null when `v` is not a list. */
export function listElements(v: Value): string[] | null {
  if (!(v instanceof PackedList)) return null;
  return v.toArray().map((b) => b.toString('latin1'));
}

/** Replaces `key` with a list of `items` (TTL dropped). */
export function storeList(c: Session, key: string, items: Buffer[]): void {
  const l = new PackedList();
  let bytes = 0;
  for (const b of items) bytes += b.length;
  l.growing(c.server.config.int('list-max-listpack-size'), bytes, items.length);
  for (const b of items) l.pushTail(b);
  c.db.set(key, l);
}
