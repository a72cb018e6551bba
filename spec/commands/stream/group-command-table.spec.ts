import { startRivulet, startRedis, differential, isAggregate, textOf, withItems, type ExternalServer, type Step } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';

const NAMES = [
  'xgroup', 'xgroup|create', 'xgroup|setid', 'xgroup|destroy', 'xgroup|createconsumer', 'xgroup|delconsumer', 'xgroup|help',
  'xreadgroup', 'xack', 'xpending', 'xclaim', 'xautoclaim',
  'xinfo', 'xinfo|stream', 'xinfo|groups', 'xinfo|consumers', 'xinfo|help',
];

/** Redis lists a container's subcommands in its dict's (seeded, per-process) order: compare them sorted by name. */
function container(name: string): Step {
  return {
    cmd: ['COMMAND', 'INFO', name],
    normalise(f) {
      // f is [[name, arity, flags, first, last, step, acl, tips, key specs, subcommands]]: sort the subcommands.
      if (!isAggregate(f) || !isAggregate(f.items[0])) return f;
      const info = f.items[0];
      const subs = info.items[9];
      if (!isAggregate(subs)) return f;
      const sorted = [...subs.items].sort((a, b) => {
        const x = isAggregate(a) ? textOf(a.items[0]) ?? '' : '';
        const y = isAggregate(b) ? textOf(b.items[0]) ?? '' : '';
        return x < y ? -1 : x > y ? 1 : 0;
      });
      return withItems(f, [withItems(info, [...info.items.slice(0, 9), withItems(subs, sorted)])]);
    },
  };
}

describe('command table of the consumer-group commands', () => {
  let riv: RivuletServer;
  let oracle: ExternalServer;
  before(async () => {
    riv = await startRivulet();
    oracle = await startRedis();
  });
  after(async () => {
    await riv.close();
    await oracle.stop();
  });

  it('COMMAND INFO matches redis-server (arity, flags, key positions, ACL categories, tips, key specs, subcommands)', async () => {
    await differential(riv.port, oracle.port, [
      ...NAMES.map((n): Step => (n === 'xgroup' || n === 'xinfo' ? container(n) : ['COMMAND', 'INFO', n])),
      ['COMMAND', 'GETKEYS', 'XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 'a', 'b', '>', '>'],
      ['COMMAND', 'GETKEYS', 'XGROUP', 'CREATE', 'k', 'g', '$'],
      ['COMMAND', 'GETKEYS', 'XINFO', 'STREAM', 'k'],
      ['COMMAND', 'GETKEYS', 'XCLAIM', 'k', 'g', 'c', '0', '1-1'],
    ]);
  });
});
