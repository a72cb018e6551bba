/**
 * The set commands' declarations as Redis 7.4 describes them (COMMAND INFO /
 * COMMAND DOCS), one object per command, spread into the command files
 * beside their handlers. Checked against redis-server by the command-table specs.
 */
import type { CommandSpec } from '../../lib/command.js';

export const SADD_SPEC = {
  name: 'sadd',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'set', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RW', 'insert'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Adds one or more members to a set. Creates the key if it doesn\'t exist.',
  since: '1.0.0',
  group: 'set',
  complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  history: [
    ['2.4.0', 'Accepts multiple `member` arguments.']
  ],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'member', type: 'string', multiple: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SREM_SPEC = {
  name: 'srem',
  arity: -3,
  flags: ['write', 'fast'],
  acl: ['write', 'set', 'fast'],
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
  summary: 'Removes one or more members from a set. Deletes the set if the last member was removed.',
  since: '1.0.0',
  group: 'set',
  complexity: 'O(N) where N is the number of members to be removed.',
  history: [
    ['2.4.0', 'Accepts multiple `member` arguments.']
  ],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'member', type: 'string', multiple: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SMEMBERS_SPEC = {
  name: 'smembers',
  arity: 2,
  flags: ['readonly'],
  acl: ['read', 'set', 'slow'],
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
  tips: ['nondeterministic_output_order'],
  summary: 'Returns all members of a set.',
  since: '1.0.0',
  group: 'set',
  complexity: 'O(N) where N is the set cardinality.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SISMEMBER_SPEC = {
  name: 'sismember',
  arity: 3,
  flags: ['readonly', 'fast'],
  acl: ['read', 'set', 'fast'],
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
  summary: 'Determines whether a member belongs to a set.',
  since: '1.0.0',
  group: 'set',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'member', type: 'string' }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SMISMEMBER_SPEC = {
  name: 'smismember',
  arity: -3,
  flags: ['readonly', 'fast'],
  acl: ['read', 'set', 'fast'],
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
  summary: 'Determines whether multiple members belong to a set.',
  since: '6.2.0',
  group: 'set',
  complexity: 'O(N) where N is the number of elements being checked for membership',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'member', type: 'string', multiple: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SCARD_SPEC = {
  name: 'scard',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['read', 'set', 'fast'],
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
  summary: 'Returns the number of members in a set.',
  since: '1.0.0',
  group: 'set',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SPOP_SPEC = {
  name: 'spop',
  arity: -2,
  flags: ['write', 'fast'],
  acl: ['write', 'set', 'fast'],
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
  tips: ['nondeterministic_output'],
  summary: 'Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.',
  since: '1.0.0',
  group: 'set',
  complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
  history: [
    ['3.2.0', 'Added the `count` argument.']
  ],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'count', type: 'integer', since: '3.2.0', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SRANDMEMBER_SPEC = {
  name: 'srandmember',
  arity: -2,
  flags: ['readonly'],
  acl: ['read', 'set', 'slow'],
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
  summary: 'Get one or multiple random members from a set',
  since: '1.0.0',
  group: 'set',
  complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
  history: [
    ['2.6.0', 'Added the optional `count` argument.']
  ],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'count', type: 'integer', since: '2.6.0', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SMOVE_SPEC = {
  name: 'smove',
  arity: 4,
  flags: ['write', 'fast'],
  acl: ['write', 'set', 'fast'],
  firstKey: 1,
  lastKey: 2,
  step: 1,
  keySpecs: [
    {
      flags: ['RW', 'access', 'delete'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    },
    {
      flags: ['RW', 'insert'],
      beginSearch: { index: 2 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Moves a member from one set to another.',
  since: '1.0.0',
  group: 'set',
  complexity: 'O(1)',
  arguments: [
    { name: 'source', type: 'key', keySpecIndex: 0 },
    { name: 'destination', type: 'key', keySpecIndex: 1 },
    { name: 'member', type: 'string' }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SINTER_SPEC = {
  name: 'sinter',
  arity: -2,
  flags: ['readonly'],
  acl: ['read', 'set', 'slow'],
  firstKey: 1,
  lastKey: -1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: -1, keyStep: 1, limit: 0 }
    }
  ],
  tips: ['nondeterministic_output_order'],
  summary: 'Returns the intersect of multiple sets.',
  since: '1.0.0',
  group: 'set',
  complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SINTERCARD_SPEC = {
  name: 'sintercard',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  acl: ['read', 'set', 'slow'],
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
  summary: 'Returns the number of members of the intersect of multiple sets.',
  since: '7.0.0',
  group: 'set',
  complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  arguments: [
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    { name: 'limit', type: 'integer', token: 'LIMIT', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SINTERSTORE_SPEC = {
  name: 'sinterstore',
  arity: -3,
  flags: ['write', 'denyoom'],
  acl: ['write', 'set', 'slow'],
  firstKey: 1,
  lastKey: -1,
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
      findKeys: { lastKey: -1, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Stores the intersect of multiple sets in a key.',
  since: '1.0.0',
  group: 'set',
  complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  arguments: [
    { name: 'destination', type: 'key', keySpecIndex: 0 },
    { name: 'key', type: 'key', keySpecIndex: 1, multiple: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SUNION_SPEC = {
  name: 'sunion',
  arity: -2,
  flags: ['readonly'],
  acl: ['read', 'set', 'slow'],
  firstKey: 1,
  lastKey: -1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: -1, keyStep: 1, limit: 0 }
    }
  ],
  tips: ['nondeterministic_output_order'],
  summary: 'Returns the union of multiple sets.',
  since: '1.0.0',
  group: 'set',
  complexity: 'O(N) where N is the total number of elements in all given sets.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SUNIONSTORE_SPEC = {
  name: 'sunionstore',
  arity: -3,
  flags: ['write', 'denyoom'],
  acl: ['write', 'set', 'slow'],
  firstKey: 1,
  lastKey: -1,
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
      findKeys: { lastKey: -1, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Stores the union of multiple sets in a key.',
  since: '1.0.0',
  group: 'set',
  complexity: 'O(N) where N is the total number of elements in all given sets.',
  arguments: [
    { name: 'destination', type: 'key', keySpecIndex: 0 },
    { name: 'key', type: 'key', keySpecIndex: 1, multiple: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SDIFF_SPEC = {
  name: 'sdiff',
  arity: -2,
  flags: ['readonly'],
  acl: ['read', 'set', 'slow'],
  firstKey: 1,
  lastKey: -1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: -1, keyStep: 1, limit: 0 }
    }
  ],
  tips: ['nondeterministic_output_order'],
  summary: 'Returns the difference of multiple sets.',
  since: '1.0.0',
  group: 'set',
  complexity: 'O(N) where N is the total number of elements in all given sets.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SDIFFSTORE_SPEC = {
  name: 'sdiffstore',
  arity: -3,
  flags: ['write', 'denyoom'],
  acl: ['write', 'set', 'slow'],
  firstKey: 1,
  lastKey: -1,
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
      findKeys: { lastKey: -1, keyStep: 1, limit: 0 }
    }
  ],
  summary: 'Stores the difference of multiple sets in a key.',
  since: '1.0.0',
  group: 'set',
  complexity: 'O(N) where N is the total number of elements in all given sets.',
  arguments: [
    { name: 'destination', type: 'key', keySpecIndex: 0 },
    { name: 'key', type: 'key', keySpecIndex: 1, multiple: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SSCAN_SPEC = {
  name: 'sscan',
  arity: -3,
  flags: ['readonly'],
  acl: ['read', 'set', 'slow'],
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
  summary: 'Iterates over members of a set.',
  since: '2.8.0',
  group: 'set',
  complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'cursor', type: 'integer' },
    { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;


