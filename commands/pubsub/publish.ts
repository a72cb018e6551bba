/** PUBLISH and SPUBLISH: deliver now, reply with the number of receivers. */
import type { CommandSpec } from '../../lib/command.js';
import { arg } from '../../lib/command.js';
import { pubsubOf } from '../../lib/pubsub.js';

const base = {
  flags: ['pubsub', 'loading', 'stale', 'fast'] as CommandSpec['flags'],
  acl: ['pubsub', 'fast'],
  group: 'pubsub',
  arity: 3,
};

export const publish: CommandSpec = {
  ...base,
  name: 'publish',
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'Post a message to a channel',
  since: '2.0.0',
  complexity:
    'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
  arguments: [arg('channel', 'string'), arg('message', 'string')],
  handler(c, argv) {
    c.reply.int(pubsubOf(c.server).publish(argv[1], argv[2], c));
  },
};

export const spublish: CommandSpec = {
  ...base,
  name: 'spublish',
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['not_key'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Post a message to a shard channel',
  since: '7.0.0',
  complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
  arguments: [arg('shardchannel', 'string'), arg('message', 'string')],
  handler(c, argv) {
    c.reply.int(pubsubOf(c.server).spublish(argv[1], argv[2], c));
  },
};
