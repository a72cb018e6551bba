/**
 * Random sequences of hash commands (fast-check) sent to rivulet and to
 * redis-server: every reply must be the same, errors included. Hashes stay
 * listpack-sized, so even HGETALL's order must match.
 */
import fc from 'fast-check';
import { useServers } from '../keyspace/fixture.js';
import { differential, type Step } from '../../helpers.js';

const key = fc.constantFrom('h', 'g');
const field = fc.constantFrom('a', 'b', 'c', 'n', '');
const value = fc.constantFrom('1', '-5', 'x', '2.5', '', '9223372036854775807');
const cmd: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(key, fc.array(fc.tuple(field, value), { minLength: 1, maxLength: 3 })).map(([k, fv]) => ['HSET', k, ...fv.flat()]),
  fc.tuple(key, field, value).map(([k, f, v]) => ['HSETNX', k, f, v]),
  fc.tuple(key, fc.array(field, { minLength: 1, maxLength: 3 })).map(([k, fs]) => ['HDEL', k, ...fs]),
  fc.tuple(key, field, fc.constantFrom('1', '-3', '100', 'x')).map(([k, f, n]) => ['HINCRBY', k, f, n]),
  fc.tuple(key, field, fc.constantFrom('0.5', '-1.25', '1e2', 'abc')).map(([k, f, n]) => ['HINCRBYFLOAT', k, f, n]),
  fc.tuple(key, field).map(([k, f]) => ['HGET', k, f]),
  fc.tuple(key, field).map(([k, f]) => ['HSTRLEN', k, f]),
  fc.tuple(key, field).map(([k, f]) => ['HEXISTS', k, f]),
  fc.tuple(key, fc.array(field, { minLength: 1, maxLength: 3 })).map(([k, fs]) => ['HMGET', k, ...fs]),
  key.map((k) => ['HGETALL', k]),
  key.map((k) => ['HKEYS', k]),
  key.map((k) => ['HVALS', k]),
  key.map((k) => ['HLEN', k]),
  key.map((k) => ['HRANDFIELD', k, '10', 'WITHVALUES']),
  key.map((k) => ['HSCAN', k, '0']),
);

describe('hash command sequences against redis-server (fast-check)', () => {
  const s = useServers();

  it('every reply of a random HSET/HSETNX/HDEL/HINCRBY/HINCRBYFLOAT/HGET/HMGET/HGETALL/HSCAN sequence matches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 40 }), async (cmds) => {
        const script: Step[] = [...cmds, ['HGETALL', 'h'], ['HGETALL', 'g']];
        await differential(s.port, s.oracle.port, script);
      }),
      { numRuns: 40 },
    );
  });
});
