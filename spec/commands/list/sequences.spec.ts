/**
 * Random sequences of list commands (fast-check) sent to rivulet and to
 * redis-server: every reply must be the same, errors included.
 */
import fc from 'fast-check';
import { useServers } from '../keyspace/fixture.js';
import { differential, type Step } from '../../helpers.js';

const key = fc.constantFrom('a', 'b');
const elem = fc.constantFrom('x', 'y', 'z', '1', '-2', '', 'long-' + 'e'.repeat(70));
const idx = fc.integer({ min: -6, max: 6 }).map(String);
const cmd: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(fc.constantFrom('LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX'), key, fc.array(elem, { minLength: 1, maxLength: 4 })).map(([c, k, es]) => [c, k, ...es]),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key).map(([c, k]) => [c, k]),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key, fc.integer({ min: 0, max: 4 }).map(String)).map(([c, k, n]) => [c, k, n]),
  fc.tuple(key, idx, idx).map(([k, a, b]) => ['LRANGE', k, a, b]),
  fc.tuple(key, idx, idx).map(([k, a, b]) => ['LTRIM', k, a, b]),
  fc.tuple(key, idx).map(([k, i]) => ['LINDEX', k, i]),
  fc.tuple(key, idx, elem).map(([k, i, e]) => ['LSET', k, i, e]),
  fc.tuple(key, fc.constantFrom('BEFORE', 'AFTER'), elem, elem).map(([k, w, p, e]) => ['LINSERT', k, w, p, e]),
  fc.tuple(key, fc.integer({ min: -2, max: 2 }).map(String), elem).map(([k, n, e]) => ['LREM', k, n, e]),
  fc.tuple(key, elem, fc.integer({ min: -2, max: 2 }).filter((n) => n !== 0).map(String)).map(([k, e, r]) => ['LPOS', k, e, 'RANK', r, 'COUNT', '0']),
  fc.tuple(key, key, fc.constantFrom('LEFT', 'RIGHT'), fc.constantFrom('LEFT', 'RIGHT')).map(([s, d, f, t]) => ['LMOVE', s, d, f, t]),
  fc.tuple(fc.constantFrom('LEFT', 'RIGHT'), fc.integer({ min: 1, max: 3 }).map(String)).map(([w, n]) => ['LMPOP', '2', 'a', 'b', w, 'COUNT', n]),
  key.map((k) => ['LLEN', k]),
);

describe('list command sequences against redis-server (fast-check)', () => {
  const s = useServers();

  it('every reply of a random LPUSH/RPUSH/LPOP/RPOP/LRANGE/LTRIM/LSET/LINSERT/LREM/LPOS/LMOVE/LMPOP sequence matches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 40 }), async (cmds) => {
        const script: Step[] = [...cmds, ['LRANGE', 'a', '0', '-1'], ['LRANGE', 'b', '0', '-1']];
        await differential(s.port, s.oracle.port, script);
      }),
      { numRuns: 40 },
    );
  });
});
