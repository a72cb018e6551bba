/**
 * `notify-keyspace-events` flag letters, parsed and printed exactly as Redis
 * does (keyspaceEventsStringToFlags / keyspaceEventsFlagsToString). No
 * imports: lib/config.ts uses this to validate CONFIG SET and config files.
 */

/** One bit per flag letter. `A` is the union of the data classes, without `m` (key miss) and `n` (new key). */
export const NOTIFY = {
  K: 1 << 0, // publish on __keyspace@<db>__:<key>
  E: 1 << 1, // publish on __keyevent@<db>__:<event>
  g: 1 << 2,
  $: 1 << 3,
  l: 1 << 4,
  s: 1 << 5,
  h: 1 << 6,
  z: 1 << 7,
  x: 1 << 8,
  e: 1 << 9,
  t: 1 << 10,
  m: 1 << 11,
  d: 1 << 12,
  n: 1 << 13,
} as const;

const ALL = NOTIFY.g | NOTIFY.$ | NOTIFY.l | NOTIFY.s | NOTIFY.h | NOTIFY.z | NOTIFY.x | NOTIFY.e | NOTIFY.t | NOTIFY.d;

/** Redis prints the classes in this order (when not all of `A`), then K, E, and `m` last. */
const CLASS_ORDER = 'g$lshzxetdn';

export const INVALID_EVENT_CLASS = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

/** Bit for one class letter (as passed to server.notify), 0 for an unknown letter. */
export function classBit(letter: string): number {
  return (NOTIFY as Record<string, number>)[letter] ?? 0;
}

/** Parses a flag string; returns -1 when it has a character Redis does not accept (letters are case-sensitive). */
export function parseKeyspaceEvents(s: string): number {
  let flags = 0;
  for (const ch of s) {
    if (ch === 'A') flags |= ALL;
    else {
      const bit = classBit(ch);
      if (bit === 0) return -1;
      flags |= bit;
    }
  }
  return flags;
}

/** The canonical text CONFIG GET shows: `A` or the classes, then K, E, then m (so "KEA" reads back as "AKE"). */
export function formatKeyspaceEvents(flags: number): string {
  let out = '';
  if ((flags & ALL) === ALL) out = 'A';
  else for (const ch of CLASS_ORDER) if (flags & classBit(ch)) out += ch;
  if (flags & NOTIFY.K) out += 'K';
  if (flags & NOTIFY.E) out += 'E';
  if (flags & NOTIFY.m) out += 'm';
  return out;
}

/**
 * The flags behind the most recent successful canonicalisation. The printed
 * form is lossy as in Redis ("An" prints as "A" but keeps `n`), so the
 * notifier, which hears about a change synchronously right after the config
 * table canonicalised it, takes the exact flags from here.
 */
export const lastParsed = { text: '', flags: 0 };

/** Validates and canonicalises a config value; null when invalid. */
export function canonicalKeyspaceEvents(s: string): string | null {
  const flags = parseKeyspaceEvents(s);
  if (flags === -1) return null;
  const text = formatKeyspaceEvents(flags);
  lastParsed.text = text;
  lastParsed.flags = flags;
  return text;
}

/** The flags for a stored config value (exact when it was just set, else re-parsed from the printed form). */
export function flagsOfConfigValue(text: string): number {
  if (text === lastParsed.text) return lastParsed.flags;
  const f = parseKeyspaceEvents(text);
  return f === -1 ? 0 : f;
}
