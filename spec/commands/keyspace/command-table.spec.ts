import { expect } from 'chai';
import { useServers } from './fixture.js';
import { RawConnection, ORACLE_AT_LEAST_7_2, isAggregate, textOf, bulk, withItems, type Frame, type Side } from '../../helpers.js';

const NAMES = [
  'del', 'unlink', 'exists', 'type', 'keys', 'scan', 'randomkey', 'rename', 'renamenx', 'copy', 'move',
  'expire', 'pexpire', 'expireat', 'pexpireat', 'ttl', 'pttl', 'expiretime', 'pexpiretime', 'persist', 'touch',
  'object|encoding', 'object|refcount', 'object|idletime', 'object|freq', 'object|help', 'memory|usage', 'memory|help',
  'get', 'set', 'setnx', 'setex', 'psetex', 'mget', 'mset', 'msetnx', 'getset', 'getdel', 'getex', 'incr', 'decr',
  'incrby', 'decrby', 'incrbyfloat', 'append', 'strlen', 'getrange', 'substr', 'setrange',
  'multi', 'exec', 'discard', 'watch', 'unwatch',
];

/** Drops `display_text` pairs from a flat RESP2 argument-docs tree. */
function withoutDisplayText(args: unknown): unknown {
  return (args as unknown[][]).map((flat) => {
    const out: unknown[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      if (flat[i] === 'display_text') continue;
      out.push(flat[i], flat[i] === 'arguments' ? withoutDisplayText(flat[i + 1]) : flat[i + 1]);
    }
    return out;
  });
}

describe('command table of the keyspace, string and transaction commands', () => {
  const s = useServers();

  it('COMMAND INFO matches redis-server for every command (arity, flags, keys, ACL, tips, key specs)', async () => {
    await s.diff(
      NAMES.map((n) => ({
        cmd: ['COMMAND', 'INFO', n],
        normalise: (f: Frame, side: Side): Frame => {
          // Redis 7.4 gave SCAN and RANDOMKEY the response_policy:special tip and dropped MSETNX's tips; Debian's 7.0 predates that.
          if (side === 'rivulet' || ORACLE_AT_LEAST_7_2 || !isAggregate(f) || !isAggregate(f.items[0])) return f;
          const info = f.items[0];
          const tips = info.items[7];
          if (!isAggregate(tips)) return f;
          const texts = tips.items.map((t) => textOf(t));
          let fixed: Frame[] = tips.items;
          const after = (tip: string): Frame[] => tips.items.flatMap((t) => (textOf(t) === tip ? [t, bulk('response_policy:special')] : [t]));
          if (n === 'scan') fixed = after('request_policy:special');
          if (n === 'randomkey') fixed = after('request_policy:all_shards');
          if (n === 'msetnx' && texts.join() === 'request_policy:multi_shard,response_policy:agg_min') fixed = [];
          return withItems(f, [withItems(info, [...info.items.slice(0, 7), withItems(tips, fixed), ...info.items.slice(8)])]);
        },
      })),
    );
  });

  it('COMMAND DOCS matches redis-server apart from the summaries and deprecations Redis 7.2+/7.4 reworded', async () => {
    const a = await RawConnection.open(s.port);
    const b = await RawConnection.open(s.oracle.port);
    try {
      for (const n of NAMES) {
        const strip = (r: unknown): unknown => {
          const [, docs] = r as [string, unknown[]];
          const out: Record<string, unknown> = {};
          for (let i = 0; i < docs.length; i += 2) out[String(docs[i])] = docs[i + 1];
          // 7.4 rewrote every summary and marked SETNX/SETEX/PSETEX deprecated; Debian's 7.0 predates both.
          for (const k of ['summary', 'doc_flags', 'deprecated_since', 'replaced_by']) delete out[k];
          // Argument display_text appeared in 7.2.
          if (out.arguments) out.arguments = withoutDisplayText(out.arguments);
          // MSET/MSETNX's key-value block is named `data` since 7.2 (`key_value` in 7.0).
          if (out.arguments && !ORACLE_AT_LEAST_7_2) out.arguments = JSON.parse(JSON.stringify(out.arguments).replace('"key_value"', '"data"'));
          return out;
        };
        expect(strip(await a.call('COMMAND', 'DOCS', n)), n).to.deep.equal(strip(await b.call('COMMAND', 'DOCS', n)));
      }
    } finally {
      a.close();
      b.close();
    }
  });
});
