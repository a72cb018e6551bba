/**
 * ZSCAN key cursor [MATCH pattern] [COUNT count]: member and score pairs.
 * A listpack-encoded sorted set comes back whole with cursor 0, as in Redis;
 * a skiplist is walked by rank (caveat: members removed meanwhile shift the
 * ranks, so a member present for the whole scan can be missed).
 */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { globMatch } from '../../lib/glob.js';
import { formatScore } from '../../lib/types/double.js';
import { ZSCAN_SPEC } from './table.js';
import { readZset } from './support.js';
import { replyScan, scanCursor, scanOptions } from '../set/scan.js';

export const zscan: CommandSpec = {
  ...ZSCAN_SPEC,
  handler(c, argv) {
    const cursor = scanCursor(argv[2]);
    const z = readZset(c, keyOf(argv[1]));
    if (z === undefined) {
      replyScan(c, 0, []);
      return;
    }
    const { count, pattern } = scanOptions(argv, 3);
    const out: string[] = [];
    const from = z.listpack ? 0 : cursor;
    const end = z.listpack ? z.size : Math.min(z.size, cursor + count);
    let node = z.at(from);
    for (let i = from; i < end && node !== null; i++, node = node.next[0]) {
      if (pattern !== null && !globMatch(pattern, node.member)) continue;
      out.push(node.member, formatScore(node.score));
    }
    replyScan(c, end >= z.size ? 0 : end, out);
  },
};
