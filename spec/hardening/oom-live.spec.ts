/**
 * maxmemory is decided on live data (issue 20): garbage the collector has not
 * reclaimed yet must not make writes fail with OOM (and then succeed again
 * after the next collection). used_memory counts the data, not the V8 heap
 * (lib/memory.ts, README "Memory accounting"), which is what this checks. The garbage here is made in this process, which
 * also runs the embedded server, and promoted to the old generation first so
 * that no minor collection reclaims it before the write arrives.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { expect } from 'chai';
import { startRivulet, RawConnection, normalise } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('maxmemory decisions on live data', function () {
  this.timeout(30000);
  let srv: RivuletServer;
  let c: RawConnection;
  before(async () => {
    srv = await startRivulet();
    c = await RawConnection.open(srv.port);
  });
  after(async () => {
    c.close();
    await srv.close();
  });

  it('writes are accepted while only uncollected garbage is above maxmemory, and refused once live data is', async () => {
    const used = Number(/used_memory:(\d+)/.exec(String(await c.call('INFO', 'memory')))![1]);
    expect(await c.call('CONFIG', 'SET', 'maxmemory', String(used + 64 * 1024 * 1024))).to.equal('OK');
    // The set-up: 160 MB of garbage the process still counts, measured against a baseline taken
    // once earlier garbage is really gone: a full collection frees ArrayBuffer memory through a
    // background sweeper, so `external` keeps falling for a while after gc() returns (in a full
    // run, earlier specs' buffers fell by more than the 160 MB made here). A few tries in case V8
    // frees the new garbage before the counters are read.
    const settledMemory = async (): Promise<number> => {
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 30));
      }
      const m = process.memoryUsage();
      return m.heapUsed + m.external;
    };
    let counted = 0;
    for (let attempt = 0; attempt < 5; attempt++) {
      const live = await settledMemory();
      let junk: Buffer[] | null = [];
      for (let i = 0; i < 160; i++) junk.push(Buffer.alloc(1024 * 1024, i));
      gc();
      gc(); // the Buffers' wrappers are now old: only a full collection frees them
      junk = null;
      const m1 = process.memoryUsage();
      counted = m1.heapUsed + m1.external - live;
      if (counted > 128 * 1024 * 1024) break;
    }
    expect(counted, 'the garbage is still counted').to.be.greaterThan(128 * 1024 * 1024);
    expect(await c.call('SET', 'k', 'v')).to.equal('OK');
    // Live data over the limit is refused.
    const big = 'x'.repeat(1024 * 1024);
    let refused: unknown = null;
    for (let i = 0; i < 200 && refused === null; i++) {
      const r = normalise(await c.call('SET', `big${i}`, big));
      if (r !== 'OK') refused = r;
    }
    expect(refused).to.deep.equal({ error: "OOM command not allowed when used memory > 'maxmemory'." });
    await c.call('FLUSHALL');
    expect(await c.call('CONFIG', 'SET', 'maxmemory', '0')).to.equal('OK');
  });
});
