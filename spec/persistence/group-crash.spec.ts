/**
 * Consumer-group work under appendfsync always, SIGKILL at random moments and
 * BGREWRITEAOF during the load: after each restart the group state equals a
 * model that replays exactly the acknowledged commands (group-crash.ts says
 * how). A short run here; `npm run crash-groups` runs 30+ rounds
 * (CRASH_ROUNDS, CRASH_SEED).
 */
import { expect } from 'chai';
import { tmpDir, rmrf } from '../helpers.js';
import { crashRounds } from './group-crash.js';

describe('consumer-group state across SIGKILL (issue 20)', function () {
  this.timeout(120000);
  let dir: string;
  let stopped = false;
  beforeEach(() => {
    dir = tmpDir('rivulet-gcrash-');
    stopped = false;
  });
  afterEach(() => {
    stopped = true;
    rmrf(dir);
  });

  it('after each kill and restart, XINFO STREAM FULL and XPENDING equal the acknowledged commands replayed', async () => {
    const seed = Number(process.env.CRASH_SEED) || Math.floor(Math.random() * 2 ** 31);
    const r = await crashRounds({ rounds: 3, seed, minUnits: 30, maxUnits: 120, dir, stopped: () => stopped });
    expect(r.acked, `seed ${seed}`).to.be.greaterThan(60);
  });
});
