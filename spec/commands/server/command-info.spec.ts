/**
 * The command table against redis-server: COMMAND INFO fields 1-7 (name,
 * arity, flags, first key, last key, step, ACL categories) for every command
 * rivulet implements. Where Redis 7.4 differs from Debian's 7.0 the exception
 * is listed with its reason.
 */
import { expect } from 'chai';
import { startRivulet, startRedis, HAVE_REDIS, ORACLE_AT_LEAST_7_2, ORACLE_AT_LEAST_7_4, RawConnection, differential, isAggregate, textOf, withItems, type ExternalServer, type Reply, type Frame } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';
import { COMMANDS } from '../../../commands/index.js';

/** Commands (or `container|sub`) whose COMMAND INFO legitimately differs from redis-server 7.0, with why. */
const EXCEPTIONS: Record<string, string> = {
  'command|getkeys': 'arity -3 since Redis 7.2 (redis/redis#11201); 7.0 says -4',
  'command|getkeysandflags': 'arity -3 since Redis 7.2 (redis/redis#11201); 7.0 says -4',
  // Redis 7.4 no longer flags the blocking list and sorted-set pops noscript (7.0 does), and ZRANK/ZREVRANK take
  // WITHSCORE since 7.2 (arity -3; 7.0 says 3): compared only with a newer oracle.
  ...(ORACLE_AT_LEAST_7_2
    ? {}
    : {
        blpop: 'noscript in 7.0, not in 7.4',
        brpop: 'noscript in 7.0, not in 7.4',
        blmove: 'noscript in 7.0, not in 7.4',
        brpoplpush: 'noscript in 7.0, not in 7.4',
        bzpopmin: 'noscript in 7.0, not in 7.4',
        bzpopmax: 'noscript in 7.0, not in 7.4',
        zrank: 'arity -3 since Redis 7.2 added WITHSCORE; 7.0 says 3',
        zrevrank: 'arity -3 since Redis 7.2 added WITHSCORE; 7.0 says 3',
      }),
};
// Commands newer than 7.0 (CLIENT SETINFO, CLIENT NO-TOUCH) are absent from the oracle and only checked for presence.

/** Fields 1-7 of a COMMAND INFO entry, flags and categories as sorted lists. */
function head(entry: Reply): unknown {
  const e = entry as Reply[];
  return [e[0], e[1], [...(e[2] as string[])].sort(), e[3], e[4], e[5], [...(e[6] as string[])].sort()];
}

describe('COMMAND INFO matches redis-server for every implemented command', () => {
  let server: RivuletServer;
  let oracle: ExternalServer | null = null;
  let ours: RawConnection;
  let theirs: RawConnection;
  before(async function () {
    if (!HAVE_REDIS) this.skip(); // redis-server not installed
    server = await startRivulet();
    oracle = await startRedis();
    ours = await RawConnection.open(server.port);
    theirs = await RawConnection.open(oracle.port);
  });
  after(async () => {
    ours?.close();
    theirs?.close();
    await server?.close();
    await oracle?.stop();
  });

  const names: string[] = [];
  for (const spec of COMMANDS) {
    names.push(spec.name);
    for (const sub of spec.subcommands ?? []) names.push(`${spec.name}|${sub.name}`);
  }

  it('every command the oracle has answers COMMAND INFO byte for byte as Redis 7.4+ (flags and categories in Redis\'s order, tips, key specs), RESP2 and RESP3', async function () {
    // Debian's 7.0 predates many tips and key-spec details rivulet follows (7.4): the fields 1-7 above are checked against it.
    if (!ORACLE_AT_LEAST_7_4) this.skip();
    const known: string[] = [];
    for (const spec of COMMANDS) if ((await theirs.call('COMMAND', 'INFO', spec.name) as Reply[])[0] !== null) known.push(spec.name);
    expect(known.length).to.be.greaterThan(150);
    await differential(
      server.port,
      oracle!.port,
      known.map((name) => ({
        cmd: ['COMMAND', 'INFO', name],
        // A container's subcommands come in its dict's (seeded, per-process) order: compare them sorted by name.
        normalise: (f: Frame): Frame => {
          const info = isAggregate(f) ? f.items[0] : undefined;
          const subs = isAggregate(info) ? info.items[9] : undefined;
          if (!isAggregate(info) || !isAggregate(subs)) return f;
          const name = (x: Frame): string => (isAggregate(x) ? textOf(x.items[0]) ?? '' : '');
          const sorted = [...subs.items].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
          return withItems(f as Frame & { items: Frame[] }, [withItems(info, [...info.items.slice(0, 9), withItems(subs, sorted)])]);
        },
      })),
    );
  });

  for (const name of names) {
    it(`${name}: arity, flags, key positions and ACL categories`, async function () {
      const [a] = (await ours.call('COMMAND', 'INFO', name)) as Reply[];
      const [b] = (await theirs.call('COMMAND', 'INFO', name)) as Reply[];
      if (b === null || EXCEPTIONS[name]) {
        // Newer than 7.0 (or a listed exception): only check that we describe it at all.
        expect(a, name).to.not.equal(null);
        return;
      }
      expect(head(a), name).to.deep.equal(head(b));
    });
  }
});

describe('COMMAND GETKEYSANDFLAGS', () => {
  let server: RivuletServer;
  let oracle: ExternalServer | null = null;
  before(async () => {
    server = await startRivulet();
    if (HAVE_REDIS) oracle = await startRedis();
  });
  after(async () => {
    await server?.close();
    await oracle?.stop();
  });

  it('gives each key the flags of the key spec that found it, and resolves variable flags for the actual arguments (SET ... GET)', async () => {
    const c = await RawConnection.open(server.port);
    try {
      expect(await c.call('COMMAND', 'GETKEYSANDFLAGS', 'SET', 'k', 'v')).to.deep.equal([['k', ['OW', 'update']]]);
      expect(await c.call('COMMAND', 'GETKEYSANDFLAGS', 'SET', 'k', 'v', 'NX', 'get')).to.deep.equal([['k', ['RW', 'access', 'update']]]);
      expect(await c.call('COMMAND', 'GETKEYSANDFLAGS', 'COPY', 'a', 'b')).to.deep.equal([['a', ['RO', 'access']], ['b', ['OW', 'update']]]);
    } finally {
      c.close();
    }
    if (!oracle) return;
    const script = [
      ['SET', 'k', 'v'],
      ['SET', 'k', 'v', 'GET'],
      ['SET', 'k', 'v', 'PX', '10', 'get'],
      ['SET', 'k', 'get'],
      ['COPY', 'a', 'b'],
      ['RENAME', 'a', 'b'],
      ['MSET', 'a', '1', 'b', '2'],
      ['GETEX', 'k'],
      ['GETDEL', 'k'],
      ['XADD', 's', '*', 'f', 'v'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's1', 's2', '>', '>'],
      ['XREAD', 'STREAMS', 's1', '0'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '0'],
      ['OBJECT', 'FREQ', 'k'],
      // Keys a command's own key finder returns (movablekeys, an 'unknown' key spec): the flags of the spec of the argument they are.
      ['SORT', 'k', 'STORE', 'd'],
      ['SORT', 'k', 'BY', 'w_*', 'GET', '#', 'LIMIT', '0', '1', 'store', 'd'],
      ['SORT', 'k'],
      ['SORT_RO', 'k', 'BY', 'nosort'],
      ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'],
      ['EVAL', 'return 1', '2', 'a', 'b'],
      ['ZUNIONSTORE', 'd', '2', 'a', 'b'],
    ];
    // Byte for byte, RESP2 and RESP3 (the flags are a set there), in Redis's own flag order.
    await differential(server.port, oracle.port, script.map((cmd) => ['COMMAND', 'GETKEYSANDFLAGS', ...cmd]));
  });
});
