/**
 * Set algebra: SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF,
 * SDIFFSTORE. Every source key is type-checked before anything is
 * computed; a missing key is an empty set. Intersections walk the smallest
 * set (ties in argument order) and list members in its order, as Redis does.
 */
import type { Session } from '../../lib/engine/session.js';
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import type { RSet } from '../../lib/types/set.js';
import {
  SDIFFSTORE_SPEC, SDIFF_SPEC, SINTERCARD_SPEC, SINTERSTORE_SPEC, SINTER_SPEC, SUNIONSTORE_SPEC, SUNION_SPEC,
} from './table.js';
import { readSet, replySet, storeSet } from './support.js';

const NUMKEYS = E.custom('ERR numkeys should be greater than 0');
const TOO_MANY_KEYS = E.custom("ERR Number of keys can't be greater than number of args");
const LIMIT_NEGATIVE = E.custom("ERR LIMIT can't be negative");

/** The sets named by argv[from, to); undefined for missing keys. Throws WRONGTYPE for any other type. */
function sources(c: Session, argv: Buffer[], from: number, to: number): (RSet | undefined)[] {
  const out: (RSet | undefined)[] = [];
  for (let i = from; i < to; i++) out.push(readSet(c, keyOf(argv[i])));
  return out;
}

/** Members in every set, in the smallest set's order; stops after `limit` (0 = all). */
function intersect(sets: (RSet | undefined)[], limit = 0): string[] {
  if (sets.some((s) => s === undefined)) return [];
  const sorted = (sets as RSet[]).slice().sort((a, b) => a.size - b.size);
  const out: string[] = [];
  const [first, ...rest] = sorted;
  for (const m of first.list()) {
    if (rest.every((s) => s.has(m))) {
      out.push(m);
      if (limit > 0 && out.length >= limit) break;
    }
  }
  return out;
}

function union(sets: (RSet | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const s of sets) if (s !== undefined) for (const m of s.list()) seen.add(m);
  return [...seen];
}

function difference(sets: (RSet | undefined)[]): string[] {
  const [first, ...rest] = sets;
  if (first === undefined) return [];
  return first.list().filter((m) => !rest.some((s) => s !== undefined && s.has(m)));
}

export const sinter: CommandSpec = {
  ...SINTER_SPEC,
  handler(c, argv) {
    replySet(c, intersect(sources(c, argv, 1, argv.length)));
  },
};

export const sinterstore: CommandSpec = {
  ...SINTERSTORE_SPEC,
  handler(c, argv) {
    const members = intersect(sources(c, argv, 2, argv.length));
    storeSet(c, keyOf(argv[1]), members, 'sinterstore');
  },
};

export const sintercard: CommandSpec = {
  ...SINTERCARD_SPEC,
  handler(c, argv) {
    const n = parseInt64(argv[1]);
    if (n === null || n < 1) throw NUMKEYS;
    if (n > argv.length - 2) throw TOO_MANY_KEYS;
    const numkeys = Number(n);
    let limit = 0;
    for (let i = 2 + numkeys; i < argv.length; i++) {
      if (isWord(argv[i], 'limit') && i + 1 < argv.length) {
        const l = parseInt64(argv[++i]);
        if (l === null || l < 0) throw LIMIT_NEGATIVE;
        limit = typeof l === 'bigint' ? 0 : l;
      } else {
        throw E.SYNTAX;
      }
    }
    c.reply.int(intersect(sources(c, argv, 2, 2 + numkeys), limit).length);
  },
};

export const sunion: CommandSpec = {
  ...SUNION_SPEC,
  handler(c, argv) {
    replySet(c, union(sources(c, argv, 1, argv.length)));
  },
};

export const sunionstore: CommandSpec = {
  ...SUNIONSTORE_SPEC,
  handler(c, argv) {
    storeSet(c, keyOf(argv[1]), union(sources(c, argv, 2, argv.length)), 'sunionstore');
  },
};

export const sdiff: CommandSpec = {
  ...SDIFF_SPEC,
  handler(c, argv) {
    replySet(c, difference(sources(c, argv, 1, argv.length)));
  },
};

export const sdiffstore: CommandSpec = {
  ...SDIFFSTORE_SPEC,
  handler(c, argv) {
    storeSet(c, keyOf(argv[1]), difference(sources(c, argv, 2, argv.length)), 'sdiffstore');
  },
};
