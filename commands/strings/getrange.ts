/** GETRANGE key start end (and its old name SUBSTR): inclusive byte range, negative indexes from the end. */
import type { CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { int64Arg } from '../../lib/args.js';
import { readString } from '../keyspace/lookup.js';

const EMPTY = Buffer.alloc(0);

function getRange(c: Session, argv: Buffer[]): void {
  // 64-bit indexes, clamped: anything beyond a string's length behaves alike.
  let start = Number(int64Arg(argv[2]));
  let end = Number(int64Arg(argv[3]));
  const v = readString(c, keyOf(argv[1]));
  if (v === undefined) {
    c.reply.bulk(EMPTY);
    return;
  }
  const len = v.length;
  if (start < 0 && end < 0 && start > end) {
    c.reply.bulk(EMPTY);
    return;
  }
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) c.reply.bulk(EMPTY);
  else c.reply.bulk(v.subarray(start, end + 1));
}

export const getrange: CommandSpec = {
  name: 'getrange',
  arity: 4,
  flags: ['readonly'],
  acl: ['read', 'string', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns a substring of the string stored at a key.',
  since: '2.4.0',
  group: 'string',
  complexity: 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'start', type: 'integer' },
    { name: 'end', type: 'integer' },
  ],
  handler: getRange,
};

/** SUBSTR is GETRANGE's deprecated old name: the same command under other docs. */
export const substr: CommandSpec = {
  ...getrange,
  name: 'substr',
  summary: 'Returns a substring from a string value.',
  since: '1.0.0',
  docFlags: ['deprecated'],
  deprecatedSince: '2.0.0',
  replacedBy: '`GETRANGE`',
};
