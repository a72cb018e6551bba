/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]: indexes of matching elements. */
import type { CommandSpec, Handler } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { readList } from './support.js';

/** A non-negative long, any failure reported with `err` (getPositiveLongFromObjectOrReply with a message). */
function positive(b: Buffer, err: E.ReplyError): number {
  const v = parseInt64(b);
  if (v === null || v < 0) throw err;
  return typeof v === 'bigint' ? Number.MAX_SAFE_INTEGER : v;
}

const lposHandler: Handler = (c, argv) => {
  const ele = argv[2];
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (isWord(argv[j], 'rank') && more > 0) {
      const v = parseInt64(argv[++j]);
      if (v === null) throw E.NOT_INTEGER;
      if (v === -9223372036854775808n) throw E.valueMustBetween('-9223372036854775807', '9223372036854775807');
      if (v === 0) throw E.LPOS_RANK_ZERO;
      rank = typeof v === 'bigint' ? (v < 0n ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER) : v;
    } else if (isWord(argv[j], 'count') && more > 0) {
      count = positive(argv[++j], E.LPOS_COUNT_NEGATIVE);
    } else if (isWord(argv[j], 'maxlen') && more > 0) {
      maxlen = positive(argv[++j], E.LPOS_MAXLEN_NEGATIVE);
    } else {
      throw E.SYNTAX;
    }
  }
  const fromTail = rank < 0;
  if (fromTail) rank = -rank;
  const l = readList(c, keyOf(argv[1]));
  if (l === undefined) {
    if (count !== -1) c.reply.array(0);
    else c.reply.nullBulk();
    return;
  }
  const len = l.length;
  const found: number[] = [];
  let matches = 0;
  let index = 0;
  const scan = maxlen === 0 ? len : Math.min(maxlen, len);
  l.visit(fromTail ? len - 1 : 0, scan, fromTail, (buf, off, blen) => {
    if (blen === ele.length && buf.compare(ele, 0, blen, off, off + blen) === 0) {
      matches++;
      if (matches >= rank) {
        found.push(fromTail ? len - index - 1 : index);
        if (count === -1 || (count !== 0 && found.length >= count)) return false;
      }
    }
    index++;
    return true;
  });
  if (count !== -1) {
    c.reply.array(found.length);
    for (const i of found) c.reply.int(i);
  } else if (found.length > 0) {
    c.reply.int(found[0]);
  } else {
    c.reply.nullBulk();
  }
};

export const lpos: CommandSpec = {
  name: 'lpos',
  arity: -3,
  flags: ['readonly'],
  acl: ['read', 'list', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the index of matching elements in a list.',
  since: '6.0.6',
  group: 'list',
  complexity: 'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'element', type: 'string' },
    { name: 'rank', type: 'integer', token: 'RANK', optional: true },
    { name: 'num-matches', type: 'integer', token: 'COUNT', optional: true },
    { name: 'len', type: 'integer', token: 'MAXLEN', optional: true },
  ],
  handler: lposHandler,
};

