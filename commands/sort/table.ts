/**
 * SORT and SORT_RO as Redis 7.4 describes them (COMMAND INFO / COMMAND DOCS).
 * Checked against redis-server by the command-table specs.
 */
import type { CommandSpec } from '../../lib/command.js';

export const SORT_SPEC = {
  name: 'sort',
  arity: -2,
  flags: ['write', 'denyoom', 'movablekeys'],
  acl: ['write', 'set', 'sortedset', 'list', 'slow', 'dangerous'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    },
    {
      flags: ['RO', 'access'],
      notes: 'For the optional BY/GET keyword. It is marked \'unknown\' because the key names derive from the content of the key we sort',
      beginSearch: { unknown: true },
      findKeys: { unknown: true }
    },
    {
      flags: ['OW', 'update'],
      notes: 'For the optional STORE keyword. It is marked \'unknown\' because the keyword can appear anywhere in the argument array',
      beginSearch: { unknown: true },
      findKeys: { unknown: true }
    }
  ],
  summary: 'Sorts the elements in a list, a set, or a sorted set, optionally storing the result.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'by-pattern', type: 'pattern', display: 'pattern', keySpecIndex: 1, token: 'BY', optional: true },
    {
      name: 'limit',
      type: 'block',
      token: 'LIMIT',
      optional: true,
      arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' }
      ]
    },
    { name: 'get-pattern', type: 'pattern', display: 'pattern', keySpecIndex: 1, token: 'GET', optional: true, multiple: true, multipleToken: true },
    {
      name: 'order',
      type: 'oneof',
      optional: true,
      arguments: [
        { name: 'asc', type: 'pure-token', token: 'ASC' },
        { name: 'desc', type: 'pure-token', token: 'DESC' }
      ]
    },
    { name: 'sorting', type: 'pure-token', token: 'ALPHA', optional: true },
    { name: 'destination', type: 'key', keySpecIndex: 2, token: 'STORE', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;

export const SORT_RO_SPEC = {
  name: 'sort_ro',
  arity: -2,
  flags: ['readonly', 'movablekeys'],
  acl: ['read', 'set', 'sortedset', 'list', 'slow', 'dangerous'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RO', 'access'],
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 }
    },
    {
      flags: ['RO', 'access'],
      notes: 'For the optional BY/GET keyword. It is marked \'unknown\' because the key names derive from the content of the key we sort',
      beginSearch: { unknown: true },
      findKeys: { unknown: true }
    }
  ],
  summary: 'Returns the sorted elements of a list, a set, or a sorted set.',
  since: '7.0.0',
  group: 'generic',
  complexity: 'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'by-pattern', type: 'pattern', display: 'pattern', keySpecIndex: 1, token: 'BY', optional: true },
    {
      name: 'limit',
      type: 'block',
      token: 'LIMIT',
      optional: true,
      arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' }
      ]
    },
    { name: 'get-pattern', type: 'pattern', display: 'pattern', keySpecIndex: 1, token: 'GET', optional: true, multiple: true, multipleToken: true },
    {
      name: 'order',
      type: 'oneof',
      optional: true,
      arguments: [
        { name: 'asc', type: 'pure-token', token: 'ASC' },
        { name: 'desc', type: 'pure-token', token: 'DESC' }
      ]
    },
    { name: 'sorting', type: 'pure-token', token: 'ALPHA', optional: true }
  ]
} satisfies Omit<CommandSpec, 'handler'>;


