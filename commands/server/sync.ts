/**
 * SYNC, PSYNC and REPLCONF: the part of Redis's replication handshake that
 * downloads a snapshot, which is what `redis-cli --rdb <file>` (and
 * `--functions-rdb`) do:
 *
 *   REPLCONF rdb-only 1                 (redis-cli 7.0+; rdb-filter-only functions for --functions-rdb)
 *   SYNC                               -> $<length>\r\n<RDB image, no trailing CRLF>, then the connection closes
 *   PSYNC <replid> <offset>            -> +FULLRESYNC <replid> <offset>\r\n, then the same
 *
 * The image is the one SAVE writes (lib/persistence/rdb.ts), taken at once
 * in one event-loop turn, so it is a point-in-time copy. rivulet has no
 * replication stream: after the snapshot the connection is closed (as
 * Redis closes an rdb-only replica's), a plain SYNC (what redis-cli < 7
 * sends) gets the same, and a PSYNC without rdb-only — a real replica, which
 * would wait for the stream — is refused. The other REPLCONF options are
 * accepted as Redis accepts them; ACK and GETACK from a client that is not
 * a replica get no reply, as in Redis.
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import * as E from '../../lib/errors.js';
import { parseInt64 } from '../../lib/args.js';
import { masterReplId } from '../../lib/info.js';
import { rdbOf } from '../../lib/persistence/index.js';

const none = { firstKey: 0, lastKey: 0, step: 0 };

/** What a connection asked for with REPLCONF before its SYNC. */
interface ReplState {
  rdbOnly: boolean;
  /** REPLCONF rdb-filter-only: what the snapshot includes (both unless a filter was given). */
  data: boolean;
  functions: boolean;
}
const states = new WeakMap<Session, ReplState>();

function stateOf(c: Session): ReplState {
  let s = states.get(c);
  if (!s) {
    s = { rdbOnly: false, data: true, functions: true };
    states.set(c, s);
  }
  return s;
}

/** getLongLongFromObjectOrReply. */
function longLong(b: Buffer): bigint {
  const v = parseInt64(b);
  if (v === null) throw E.NOT_INTEGER;
  return BigInt(v);
}

/** Sends the snapshot as a replica's full sync payload and ends the connection. */
function sendSnapshot(c: Session, fullResync: boolean): void {
  if ((c.link?.outputBytes() ?? 0) > 0) throw E.SYNC_PENDING_OUTPUT;
  const st = stateOf(c);
  const rdb = rdbOf(c.server);
  let image: Buffer;
  try {
    image = rdb.image({ data: st.data, functions: st.functions });
  } catch (err) {
    c.server.log('warning', `Snapshot for a SYNC failed: ${(err as Error).message}`);
    c.close();
    return;
  }
  if (fullResync) c.reply.simple(`FULLRESYNC ${masterReplId(c.server)} 0`);
  c.reply.raw(Buffer.from(`$${image.length}\r\n`, 'latin1'));
  c.reply.raw(image);
  c.server.log('notice', `Snapshot of ${image.length} bytes sent to ${c.link?.addr ?? 'a client'} (${st.data ? '' : 'filtered, '}rdb-only)`);
  c.closeAfterReply();
}

export const sync: CommandSpec = {
  name: 'sync',
  arity: 1,
  flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'],
  acl: ['admin', 'slow', 'dangerous'],
  ...none,
  summary: 'An internal command used in replication.',
  since: '1.0.0',
  group: 'server',
  handler(c) {
    sendSnapshot(c, false);
  },
};

export const psync: CommandSpec = {
  name: 'psync',
  arity: -3,
  flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'],
  acl: ['admin', 'slow', 'dangerous'],
  ...none,
  summary: 'An internal command used in replication.',
  since: '2.8.0',
  group: 'server',
  arguments: [arg('replicationid', 'string'), arg('offset', 'integer')],
  handler(c, argv) {
    longLong(argv[2]);
    if (!stateOf(c).rdbOnly) throw E.NO_REPLICATION;
    sendSnapshot(c, true);
  },
};

export const replconf: CommandSpec = {
  name: 'replconf',
  arity: -1,
  flags: ['admin', 'noscript', 'loading', 'stale', 'allow_busy'],
  acl: ['admin', 'slow', 'dangerous'],
  ...none,
  summary: 'An internal command for configuring the replication stream.',
  since: '3.0.0',
  group: 'server',
  complexity: 'O(1)',
  docFlags: ['syscmd'],
  handler(c, argv) {
    if (argv.length % 2 === 0) throw E.SYNTAX;
    const st = stateOf(c);
    // Validated in order, applied as Redis applies them (an error stops at that option).
    for (let j = 1; j < argv.length; j += 2) {
      const opt = argv[j].toString('latin1');
      const val = argv[j + 1];
      switch (opt.toLowerCase()) {
        case 'listening-port':
          longLong(val);
          break;
        case 'ip-address':
        case 'capa':
          break;
        case 'ack':
        case 'getack':
          // Only a replica (or its master) acts on these, and no reply is sent.
          return;
        case 'rdb-only': {
          const v = longLong(val);
          if (v < 0n || v > 1n) throw E.valueMustBetween('0', '1');
          st.rdbOnly = v === 1n;
          break;
        }
        case 'rdb-filter-only': {
          // An include list: the keys never, function libraries when named ("" includes nothing).
          let functions = false;
          for (const f of val.toString('latin1').split(/\s+/).filter((w) => w !== '')) {
            if (f.toLowerCase() === 'functions') functions = true;
            else throw E.unsupportedRdbFilter(f);
          }
          st.data = false;
          st.functions = functions;
          break;
        }
        default:
          throw E.unrecognizedReplconf(opt);
      }
    }
    c.reply.ok();
  },
};

export const syncCommands: CommandSpec[] = [sync, psync, replconf];
