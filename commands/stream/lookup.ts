/**
 * How the stream commands reach streams through a session: the lookups (hits,
 * misses and WRONGTYPE in one place, the session's), creation on demand, and
 * the limits read from the live configuration. The data layer
 * (lib/stream/) knows no session; this is the seam between the two.
 */
import type { Session } from '../../lib/engine/session.js';
import type { ChunkLimits } from '../../lib/stream/log.js';
import { Stream } from '../../lib/stream/stream.js';

/**
 * The IDMP limits in force for a stream: its XCFGSET values, else the
 * stream-idmp-* directives as they were when the stream was created (Redis's
 * streamNew), else (a loaded stream) as they are now.
 */
export function idmpLimits(c: Session, s: Stream): { durationMs: number; maxSize: number } {
  const cfg = c.server.config;
  return {
    durationMs: (s.idmp?.duration ?? (s.idmpDefaultDuration || cfg.int('stream-idmp-duration'))) * 1000,
    maxSize: s.idmp?.maxSize ?? (s.idmpDefaultMaxSize || cfg.int('stream-idmp-maxsize')),
  };
}

/** The chunk limits from the live config (read per append, so CONFIG SET applies at once). */
export function chunkLimits(c: Session): ChunkLimits {
  const cfg = c.server.config;
  return { maxEntries: cfg.int('stream-node-max-entries'), maxBytes: cfg.int('stream-node-max-bytes') };
}

/**
 * The stream at `key` in the client's database, or null when there is none.
 * Throws WRONGTYPE when the key holds something else. Expired keys count as
 * missing. O(1).
 */
export function getStream(c: Session, key: string): Stream | null {
  return c.lookupRead(key, Stream) ?? null;
}

/** The stream at `key` for a command that modifies it (no keyspace hit/miss), or null. Throws WRONGTYPE. */
export function getStreamForWrite(c: Session, key: string): Stream | null {
  return c.lookupWrite(key, Stream) ?? null;
}

/**
 * The stream at `key`, created empty (and stored; Database.set fires the
 * `new` keyspace event) when missing. Throws WRONGTYPE. Only call once the command can no
 * longer fail, so bad input leaves no empty key behind.
 */
export function getOrCreateStream(c: Session, key: string): { stream: Stream; created: boolean } {
  const s = getStreamForWrite(c, key);
  if (s !== null) return { stream: s, created: false };
  const fresh = new Stream();
  fresh.idmpDefaultDuration = c.server.config.int('stream-idmp-duration');
  fresh.idmpDefaultMaxSize = c.server.config.int('stream-idmp-maxsize');
  c.db.set(key, fresh); // fires the `new` keyspace event, as Redis's dbAdd does
  return { stream: fresh, created: true };
}
