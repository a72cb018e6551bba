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
  // This test's directory and stop flag, held by its body (a body that goes on after a timeout stops, and never sees another test's).
  let run = { dir: '', stopped: true };
  beforeEach(() => {
    run = { dir: tmpDir('rivulet-gcrash-'), stopped: false };
  });
  afterEach(() => {
    run.stopped = true;
    rmrf(run.dir);
  });

  // A short run (3 rounds) in npm test; `npm run crash-groups` runs 30. The earlier finding (seed 1105687245: a group's
  // entries-read 58 where the model said 79 after a restart) was real: a rewritten base with placeholder entries created
  // the groups before XSETID, and XGROUP CREATE caps ENTRIESREAD at entries-added. Fixed in lib/persistence/serialize.ts;
  // 120 rounds (4 x npm run crash-groups) then passed with the machine's load average between 13 and 22.
  it('after each kill and restart, XINFO STREAM FULL and XPENDING equal the acknowledged commands replayed', async () => {
    const seed = Number(process.env.CRASH_SEED) || Math.floor(Math.random() * 2 ** 31);
    const mine = run;
    const r = await crashRounds({ rounds: 3, seed, minUnits: 30, maxUnits: 120, dir: mine.dir, stopped: () => mine.stopped });
    expect(r.acked, `seed ${seed}`).to.be.greaterThan(60);
  });
});
