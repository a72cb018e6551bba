/**
 * SUBSCRIBE / UNSUBSCRIBE / PSUBSCRIBE / PUNSUBSCRIBE / SSUBSCRIBE /
 * SUNSUBSCRIBE: one confirmation per name (a push frame in RESP3). The
 * RESP2 "subscribed context" restriction is applied by the dispatcher.
 */
import type { CommandSpec, KeySpec } from '../../lib/command.js';
import { arg, block } from '../../lib/command.js';
import { Kind, pubsubOf } from '../../lib/pubsub.js';
import * as E from '../../lib/errors.js';

const base = {
  flags: ['pubsub', 'noscript', 'loading', 'stale'] as CommandSpec['flags'],
  acl: ['pubsub', 'slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  group: 'pubsub',
};

/** Shard channels are declared as not-key "keys" so cluster clients can route them (Redis's key spec). */
const shardChannelsSpec: KeySpec = {
  flags: ['not_key'],
  beginSearch: { index: 1 },
  findKeys: { lastKey: -1, keyStep: 1, limit: 0 },
};
const shard = { firstKey: 1, lastKey: -1, step: 1, keySpecs: [shardChannelsSpec] };

export const subscribe: CommandSpec = {
  ...base,
  name: 'subscribe',
  arity: -2,
  summary: 'Listen for messages published to the given channels',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of channels to subscribe to.',
  arguments: [arg('channel', 'string', { multiple: true })],
  handler(c, argv) {
    pubsubOf(c.server).subscribe(c, Kind.Channel, argv.slice(1));
  },
};

export const unsubscribe: CommandSpec = {
  ...base,
  name: 'unsubscribe',
  arity: -1,
  summary: 'Stop listening for messages posted to the given channels',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of clients already subscribed to a channel.',
  arguments: [arg('channel', 'string', { optional: true, multiple: true })],
  handler(c, argv) {
    pubsubOf(c.server).unsubscribe(c, Kind.Channel, argv.slice(1));
  },
};

export const psubscribe: CommandSpec = {
  ...base,
  name: 'psubscribe',
  arity: -2,
  summary: 'Listen for messages published to channels matching the given patterns',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of patterns the client is already subscribed to.',
  // Redis 7.0's command table wraps the pattern in a block; COMMAND DOCS must show the same.
  arguments: [block('pattern', [arg('pattern', 'pattern')], { multiple: true })],
  handler(c, argv) {
    pubsubOf(c.server).subscribe(c, Kind.Pattern, argv.slice(1));
  },
};

export const punsubscribe: CommandSpec = {
  ...base,
  name: 'punsubscribe',
  arity: -1,
  summary: 'Stop listening for messages posted to channels matching the given patterns',
  since: '2.0.0',
  complexity:
    'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
  arguments: [arg('pattern', 'pattern', { optional: true, multiple: true })],
  handler(c, argv) {
    pubsubOf(c.server).unsubscribe(c, Kind.Pattern, argv.slice(1));
  },
};

export const ssubscribe: CommandSpec = {
  ...base,
  ...shard,
  name: 'ssubscribe',
  arity: -2,
  summary: 'Listen for messages published to the given shard channels',
  since: '7.0.0',
  complexity: 'O(N) where N is the number of shard channels to subscribe to.',
  arguments: [arg('shardchannel', 'string', { multiple: true })],
  handler(c, argv) {
    if (c.inExec) throw E.SSUBSCRIBE_DENY_BLOCKING;
    pubsubOf(c.server).subscribe(c, Kind.Shard, argv.slice(1));
  },
};

export const sunsubscribe: CommandSpec = {
  ...base,
  ...shard,
  name: 'sunsubscribe',
  arity: -1,
  summary: 'Stop listening for messages posted to the given shard channels',
  since: '7.0.0',
  complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
  arguments: [arg('shardchannel', 'string', { optional: true, multiple: true })],
  handler(c, argv) {
    pubsubOf(c.server).unsubscribe(c, Kind.Shard, argv.slice(1));
  },
};
