import { expect } from 'chai';
import { startRivulet, startRedis, differential, type ExternalServer, type Step } from '../../helpers.js';
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
    check(ours, theirs) {
      const sortSubs = (x: unknown): unknown => {
        const [info] = x as unknown[][];
        const subs = [...(info[9] as unknown[][])].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
        return [...info.slice(0, 9), subs];
      };
      expect(sortSubs(ours), name).to.deep.equal(sortSubs(theirs));
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
