/**
 * The sorted-set commands' declarations as Redis 7.4 describes them (COMMAND
 * INFO / COMMAND DOCS), one object per command, spread into the command files
 * beside their handlers. Checked against redis-server by the command-table specs.
 */
import type { CommandSpec } from '../../lib/command.js';

export const ZADD_SPEC = {
  name: 'zadd',
  arity: -4,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'sortedset', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RW', 'update'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn\'t exist.',
  since: '1.2.0',
  group: 'sorted-set',
  complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
  history: [
    ['2.4.0', 'Accepts multiple elements.'],
    ['3.0.2', 'Added the `XX`, `NX`, `CH` and `INCR` options.'],
    ['6.2.0', 'Added the `GT` and `LT` options.']
  ],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    {
      name: 'condition',
      type: 'oneof',
      since: '3.0.2',
      optional: true,
      arguments: [
        { name: 'nx', type: 'pure-token', token: 'NX' },
        { name: 'xx', type: 'pure-token', token: 'XX' }
      ]
    },
    {
      name: 'comparison',
      type: 'oneof',
      since: '6.2.0',
      optional: true,
      arguments: [
        { name: 'gt', type: 'pure-token', token: 'GT' },
        { name: 'lt', type: 'pure-token', token: 'LT' }
      ]
    },
    { name: 'change', type: 'pure-token', token: 'CH', since: '3.0.2', optional: true },
    { name: 'increment', type: 'pure-token', token: 'INCR', since: '3.0.2', optional: true },
    {
      name: 'data',
      type: 'block',
      multiple: true,
      arguments: [
        { name: 'score', type: 'double' },
        { name: 'member', type: 'string' }
      ]
    }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZINCRBY_SPEC = {
  name: 'zincrby',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'sortedset', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RW', 'access', 'update'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Increments the score of a member in a sorted set.',
  since: '1.2.0',
  group: 'sorted-set',
  complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'increment', type: 'integer' },
    { name: 'member', type: 'string' }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZSCORE_SPEC = {
  name: 'zscore',
  arity: 3,
  flags: ['readonly', 'fast'],
  acl: ['read', 'sortedset', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns the score of a member in a sorted set.',
  since: '1.2.0',
  group: 'sorted-set',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'member', type: 'string' }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZMSCORE_SPEC = {
  name: 'zmscore',
  arity: -3,
  flags: ['readonly', 'fast'],
  acl: ['read', 'sortedset', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns the score of one or more members in a sorted set.',
  since: '6.2.0',
  group: 'sorted-set',
  complexity: 'O(N) where N is the number of members being requested.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'member', type: 'string', multiple: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZCARD_SPEC = {
  name: 'zcard',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['read', 'sortedset', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns the number of members in a sorted set.',
  since: '1.2.0',
  group: 'sorted-set',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZCOUNT_SPEC = {
  name: 'zcount',
  arity: 4,
  flags: ['readonly', 'fast'],
  acl: ['read', 'sortedset', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns the count of members in a sorted set that have scores within a range.',
  since: '2.0.0',
  group: 'sorted-set',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'min', type: 'double' },
    { name: 'max', type: 'double' }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZLEXCOUNT_SPEC = {
  name: 'zlexcount',
  arity: 4,
  flags: ['readonly', 'fast'],
  acl: ['read', 'sortedset', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns the number of members in a sorted set within a lexicographical range.',
  since: '2.8.9',
  group: 'sorted-set',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'min', type: 'string' },
    { name: 'max', type: 'string' }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZRANK_SPEC = {
  name: 'zrank',
  arity: -3,
  flags: ['readonly', 'fast'],
  acl: ['read', 'sortedset', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns the index of a member in a sorted set ordered by ascending scores.',
  since: '2.0.0',
  group: 'sorted-set',
  complexity: 'O(log(N))',
  history: [
    ['7.2.0', 'Added the optional `WITHSCORE` argument.']
  ],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'member', type: 'string' },
    { name: 'withscore', type: 'pure-token', token: 'WITHSCORE', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZREVRANK_SPEC = {
  name: 'zrevrank',
  arity: -3,
  flags: ['readonly', 'fast'],
  acl: ['read', 'sortedset', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns the index of a member in a sorted set ordered by descending scores.',
  since: '2.0.0',
  group: 'sorted-set',
  complexity: 'O(log(N))',
  history: [
    ['7.2.0', 'Added the optional `WITHSCORE` argument.']
  ],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'member', type: 'string' },
    { name: 'withscore', type: 'pure-token', token: 'WITHSCORE', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZRANGE_SPEC = {
  name: 'zrange',
  arity: -4,
  flags: ['readonly'],
  acl: ['read', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns members in a sorted set within a range of indexes.',
  since: '1.2.0',
  group: 'sorted-set',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
  history: [
    ['6.2.0', 'Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.']
  ],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'start', type: 'string' },
    { name: 'stop', type: 'string' },
    {
      name: 'sortby',
      type: 'oneof',
      since: '6.2.0',
      optional: true,
      arguments: [
        { name: 'byscore', type: 'pure-token', token: 'BYSCORE' },
        { name: 'bylex', type: 'pure-token', token: 'BYLEX' }
      ]
    },
    { name: 'rev', type: 'pure-token', token: 'REV', since: '6.2.0', optional: true },
    {
      name: 'limit',
      type: 'block',
      token: 'LIMIT',
      since: '6.2.0',
      optional: true,
      arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' }
      ]
    },
    { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZRANGEBYSCORE_SPEC = {
  name: 'zrangebyscore',
  arity: -4,
  flags: ['readonly'],
  acl: ['read', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns members in a sorted set within a range of scores.',
  since: '1.0.5',
  group: 'sorted-set',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
  history: [
    ['2.0.0', 'Added the `WITHSCORES` modifier.']
  ],
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`ZRANGE` with the `BYSCORE` argument',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'min', type: 'double' },
    { name: 'max', type: 'double' },
    { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', since: '2.0.0', optional: true },
    {
      name: 'limit',
      type: 'block',
      token: 'LIMIT',
      optional: true,
      arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' }
      ]
    }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZREVRANGE_SPEC = {
  name: 'zrevrange',
  arity: -4,
  flags: ['readonly'],
  acl: ['read', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns members in a sorted set within a range of indexes in reverse order.',
  since: '1.2.0',
  group: 'sorted-set',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`ZRANGE` with the `REV` argument',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'start', type: 'integer' },
    { name: 'stop', type: 'integer' },
    { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZREVRANGEBYSCORE_SPEC = {
  name: 'zrevrangebyscore',
  arity: -4,
  flags: ['readonly'],
  acl: ['read', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns members in a sorted set within a range of scores in reverse order.',
  since: '2.2.0',
  group: 'sorted-set',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
  history: [
    ['2.1.6', '`min` and `max` can be exclusive.']
  ],
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`ZRANGE` with the `REV` and `BYSCORE` arguments',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'max', type: 'double' },
    { name: 'min', type: 'double' },
    { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
    {
      name: 'limit',
      type: 'block',
      token: 'LIMIT',
      optional: true,
      arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' }
      ]
    }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZRANGEBYLEX_SPEC = {
  name: 'zrangebylex',
  arity: -4,
  flags: ['readonly'],
  acl: ['read', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns members in a sorted set within a lexicographical range.',
  since: '2.8.9',
  group: 'sorted-set',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`ZRANGE` with the `BYLEX` argument',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'min', type: 'string' },
    { name: 'max', type: 'string' },
    {
      name: 'limit',
      type: 'block',
      token: 'LIMIT',
      optional: true,
      arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' }
      ]
    }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZREVRANGEBYLEX_SPEC = {
  name: 'zrevrangebylex',
  arity: -4,
  flags: ['readonly'],
  acl: ['read', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns members in a sorted set within a lexicographical range in reverse order.',
  since: '2.8.9',
  group: 'sorted-set',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`ZRANGE` with the `REV` and `BYLEX` arguments',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'max', type: 'string' },
    { name: 'min', type: 'string' },
    {
      name: 'limit',
      type: 'block',
      token: 'LIMIT',
      optional: true,
      arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' }
      ]
    }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZRANGESTORE_SPEC = {
  name: 'zrangestore',
  arity: -5,
  flags: ['write', 'denyoom'],
  acl: ['write', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 2,
  step: 1,
  keySpecs: [
    {
      flags: ['OW', 'update'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    },
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 2 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Stores a range of members from sorted set in a key.',
  since: '6.2.0',
  group: 'sorted-set',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
  arguments: [
    { name: 'dst', type: 'key', keySpecIndex: 0 },
    { name: 'src', type: 'key', keySpecIndex: 1 },
    { name: 'min', type: 'string' },
    { name: 'max', type: 'string' },
    {
      name: 'sortby',
      type: 'oneof',
      optional: true,
      arguments: [
        { name: 'byscore', type: 'pure-token', token: 'BYSCORE' },
        { name: 'bylex', type: 'pure-token', token: 'BYLEX' }
      ]
    },
    { name: 'rev', type: 'pure-token', token: 'REV', optional: true },
    {
      name: 'limit',
      type: 'block',
      token: 'LIMIT',
      optional: true,
      arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' }
      ]
    }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZREM_SPEC = {
  name: 'zrem',
  arity: -3,
  flags: ['write', 'fast'],
  acl: ['write', 'sortedset', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RW', 'delete'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.',
  since: '1.2.0',
  group: 'sorted-set',
  complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
  history: [
    ['2.4.0', 'Accepts multiple elements.']
  ],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'member', type: 'string', multiple: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZREMRANGEBYRANK_SPEC = {
  name: 'zremrangebyrank',
  arity: 4,
  flags: ['write'],
  acl: ['write', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RW', 'delete'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.',
  since: '2.0.0',
  group: 'sorted-set',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'start', type: 'integer' },
    { name: 'stop', type: 'integer' }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZREMRANGEBYSCORE_SPEC = {
  name: 'zremrangebyscore',
  arity: 4,
  flags: ['write'],
  acl: ['write', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RW', 'delete'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.',
  since: '1.2.0',
  group: 'sorted-set',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'min', type: 'double' },
    { name: 'max', type: 'double' }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZREMRANGEBYLEX_SPEC = {
  name: 'zremrangebylex',
  arity: 4,
  flags: ['write'],
  acl: ['write', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RW', 'delete'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.',
  since: '2.8.9',
  group: 'sorted-set',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'min', type: 'string' },
    { name: 'max', type: 'string' }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZPOPMIN_SPEC = {
  name: 'zpopmin',
  arity: -2,
  flags: ['write', 'fast'],
  acl: ['write', 'sortedset', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RW', 'access', 'delete'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.',
  since: '5.0.0',
  group: 'sorted-set',
  complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'count', type: 'integer', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZPOPMAX_SPEC = {
  name: 'zpopmax',
  arity: -2,
  flags: ['write', 'fast'],
  acl: ['write', 'sortedset', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RW', 'access', 'delete'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.',
  since: '5.0.0',
  group: 'sorted-set',
  complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'count', type: 'integer', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const BZPOPMIN_SPEC = {
  name: 'bzpopmin',
  arity: -3,
  flags: ['write', 'blocking', 'fast'],
  acl: ['write', 'sortedset', 'fast', 'blocking'],
  firstKey: 1,
  lastKey: -2,
  step: 1,
  keySpecs: [
    {
      flags: ['RW', 'access', 'delete'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: -2, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.',
  since: '5.0.0',
  group: 'sorted-set',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  history: [
    ['6.0.0', '`timeout` is interpreted as a double instead of an integer.']
  ],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    { name: 'timeout', type: 'double' }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const BZPOPMAX_SPEC = {
  name: 'bzpopmax',
  arity: -3,
  flags: ['write', 'blocking', 'fast'],
  acl: ['write', 'sortedset', 'fast', 'blocking'],
  firstKey: 1,
  lastKey: -2,
  step: 1,
  keySpecs: [
    {
      flags: ['RW', 'access', 'delete'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: -2, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.',
  since: '5.0.0',
  group: 'sorted-set',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  history: [
    ['6.0.0', '`timeout` is interpreted as a double instead of an integer.']
  ],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    { name: 'timeout', type: 'double' }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZMPOP_SPEC = {
  name: 'zmpop',
  arity: -4,
  flags: ['write', 'movablekeys'],
  acl: ['write', 'sortedset', 'slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  keySpecs: [
    {
      flags: ['RW', 'access', 'delete'],
      beginSearch: { index: 1 },
      findKeys: { keyNumIdx: 0, firstKey: 1, keyStep: 1 }
    }
  ],
  summary: 'Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.',
  since: '7.0.0',
  group: 'sorted-set',
  complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
  arguments: [
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    {
      name: 'where',
      type: 'oneof',
      arguments: [
        { name: 'min', type: 'pure-token', token: 'MIN' },
        { name: 'max', type: 'pure-token', token: 'MAX' }
      ]
    },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const BZMPOP_SPEC = {
  name: 'bzmpop',
  arity: -5,
  flags: ['write', 'blocking', 'movablekeys'],
  acl: ['write', 'sortedset', 'slow', 'blocking'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  keySpecs: [
    {
      flags: ['RW', 'access', 'delete'],
      beginSearch: { index: 2 },
      findKeys: { keyNumIdx: 0, firstKey: 1, keyStep: 1 }
    }
  ],
  summary: 'Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.',
  since: '7.0.0',
  group: 'sorted-set',
  complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
  arguments: [
    { name: 'timeout', type: 'double' },
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    {
      name: 'where',
      type: 'oneof',
      arguments: [
        { name: 'min', type: 'pure-token', token: 'MIN' },
        { name: 'max', type: 'pure-token', token: 'MAX' }
      ]
    },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZRANDMEMBER_SPEC = {
  name: 'zrandmember',
  arity: -2,
  flags: ['readonly'],
  acl: ['read', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  tips: ['nondeterministic_output'],
  summary: 'Returns one or more random members from a sorted set.',
  since: '6.2.0',
  group: 'sorted-set',
  complexity: 'O(N) where N is the number of members returned',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    {
      name: 'options',
      type: 'block',
      optional: true,
      arguments: [
        { name: 'count', type: 'integer' },
        { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true }
      ]
    }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZUNION_SPEC = {
  name: 'zunion',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  acl: ['read', 'sortedset', 'slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { keyNumIdx: 0, firstKey: 1, keyStep: 1 }
    }
  ],
  summary: 'Returns the union of multiple sorted sets.',
  since: '6.2.0',
  group: 'sorted-set',
  complexity: 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
  arguments: [
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true },
    {
      name: 'aggregate',
      type: 'oneof',
      token: 'AGGREGATE',
      optional: true,
      arguments: [
        { name: 'sum', type: 'pure-token', token: 'SUM' },
        { name: 'min', type: 'pure-token', token: 'MIN' },
        { name: 'max', type: 'pure-token', token: 'MAX' }
      ]
    },
    { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZINTER_SPEC = {
  name: 'zinter',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  acl: ['read', 'sortedset', 'slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { keyNumIdx: 0, firstKey: 1, keyStep: 1 }
    }
  ],
  summary: 'Returns the intersect of multiple sorted sets.',
  since: '6.2.0',
  group: 'sorted-set',
  complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
  arguments: [
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true },
    {
      name: 'aggregate',
      type: 'oneof',
      token: 'AGGREGATE',
      optional: true,
      arguments: [
        { name: 'sum', type: 'pure-token', token: 'SUM' },
        { name: 'min', type: 'pure-token', token: 'MIN' },
        { name: 'max', type: 'pure-token', token: 'MAX' }
      ]
    },
    { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZDIFF_SPEC = {
  name: 'zdiff',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  acl: ['read', 'sortedset', 'slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { keyNumIdx: 0, firstKey: 1, keyStep: 1 }
    }
  ],
  summary: 'Returns the difference between multiple sorted sets.',
  since: '6.2.0',
  group: 'sorted-set',
  complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
  arguments: [
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZUNIONSTORE_SPEC = {
  name: 'zunionstore',
  arity: -4,
  flags: ['write', 'denyoom', 'movablekeys'],
  acl: ['write', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['OW', 'update'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    },
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 2 },
      findKeys: { keyNumIdx: 0, firstKey: 1, keyStep: 1 }
    }
  ],
  summary: 'Stores the union of multiple sorted sets in a key.',
  since: '2.0.0',
  group: 'sorted-set',
  complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
  arguments: [
    { name: 'destination', type: 'key', keySpecIndex: 0 },
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', keySpecIndex: 1, multiple: true },
    { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true },
    {
      name: 'aggregate',
      type: 'oneof',
      token: 'AGGREGATE',
      optional: true,
      arguments: [
        { name: 'sum', type: 'pure-token', token: 'SUM' },
        { name: 'min', type: 'pure-token', token: 'MIN' },
        { name: 'max', type: 'pure-token', token: 'MAX' }
      ]
    }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZINTERSTORE_SPEC = {
  name: 'zinterstore',
  arity: -4,
  flags: ['write', 'denyoom', 'movablekeys'],
  acl: ['write', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['OW', 'update'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    },
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 2 },
      findKeys: { keyNumIdx: 0, firstKey: 1, keyStep: 1 }
    }
  ],
  summary: 'Stores the intersect of multiple sorted sets in a key.',
  since: '2.0.0',
  group: 'sorted-set',
  complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
  arguments: [
    { name: 'destination', type: 'key', keySpecIndex: 0 },
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', keySpecIndex: 1, multiple: true },
    { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true },
    {
      name: 'aggregate',
      type: 'oneof',
      token: 'AGGREGATE',
      optional: true,
      arguments: [
        { name: 'sum', type: 'pure-token', token: 'SUM' },
        { name: 'min', type: 'pure-token', token: 'MIN' },
        { name: 'max', type: 'pure-token', token: 'MAX' }
      ]
    }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZDIFFSTORE_SPEC = {
  name: 'zdiffstore',
  arity: -4,
  flags: ['write', 'denyoom', 'movablekeys'],
  acl: ['write', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['OW', 'update'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    },
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 2 },
      findKeys: { keyNumIdx: 0, firstKey: 1, keyStep: 1 }
    }
  ],
  summary: 'Stores the difference of multiple sorted sets in a key.',
  since: '6.2.0',
  group: 'sorted-set',
  complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
  arguments: [
    { name: 'destination', type: 'key', keySpecIndex: 0 },
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', keySpecIndex: 1, multiple: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZINTERCARD_SPEC = {
  name: 'zintercard',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  acl: ['read', 'sortedset', 'slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { keyNumIdx: 0, firstKey: 1, keyStep: 1 }
    }
  ],
  summary: 'Returns the number of members of the intersect of multiple sorted sets.',
  since: '7.0.0',
  group: 'sorted-set',
  complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
  arguments: [
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    { name: 'limit', type: 'integer', token: 'LIMIT', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const ZSCAN_SPEC = {
  name: 'zscan',
  arity: -3,
  flags: ['readonly'],
  acl: ['read', 'sortedset', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  tips: ['nondeterministic_output'],
  summary: 'Iterates over members and scores of a sorted set.',
  since: '2.8.0',
  group: 'sorted-set',
  complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'cursor', type: 'integer' },
    { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;


