/**
 * The delivery counter of a pending entry saturates at LLONG_MAX on every
 * path that counts a delivery. The counter is kept exact beyond 2^53, so the
 * replies are compared as raw RESP3 bytes (a decoded number would round
 * 9223372036854775806 and 9223372036854775807 to the same double).
 *
 * Redis 7.x (both oracles) counts in an unsigned 64-bit field and prints it
 * as a signed one: one more delivery at LLONG_MAX shows -9223372036854775808.
 * rivulet follows Redis 8.8, where LLONG_MAX is a state of its own (XNACK
 * FATAL sets it) that further deliveries keep; up to LLONG_MAX both agree
 * byte for byte, which is what the differential half checks.
 */
import { expect } from 'chai';
import { startRedis, type ExternalServer } from '../../helpers.js';
import { startRivulet } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';
import { resp3 } from './util.js';

const LLONG_MAX = '9223372036854775807';
const LLONG_MAX_MINUS_1 = '9223372036854775806';
/** What Redis 7.x shows after one more delivery at LLONG_MAX (uint64 2^63 printed as a long long). */
const WRAPPED = '-9223372036854775808';

type Conn = Awaited<ReturnType<typeof resp3>>;

/** The delivery counter of the only pending entry, from XPENDING's extended form (its last integer). */
async function counter(c: Conn): Promise<string> {
  const reply = await c.call('XPENDING', 's', 'g', '-', '+', '10');
  const m = /:(-?\d+)\r\n$/.exec(reply);
  if (m === null) throw new Error(`XPENDING reply without a counter: ${JSON.stringify(reply)}`);
  return m[1];
}

/** One pending entry 1-1 owned by `c`, its counter set to LLONG_MAX - 1. */
const SETUP: (string | number)[][] = [
  ['FLUSHALL'],
  ['XADD', 's', '1-1', 'f', 'v'],
  ['XGROUP', 'CREATE', 's', 'g', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'],
  ['XCLAIM', 's', 'g', 'c', '0', '1-1', 'RETRYCOUNT', LLONG_MAX_MINUS_1, 'JUSTID'],
];

describe('the delivery counter saturates at LLONG_MAX on every delivery path', () => {
  let riv: RivuletServer;
  let oracle: ExternalServer;
  let ours: Conn;
  let theirs: Conn;
  before(async () => {
    riv = await startRivulet();
    oracle = await startRedis();
    ours = await resp3(riv.port);
    theirs = await resp3(oracle.port);
  });
  after(async () => {
    ours.close();
    theirs.close();
    await riv.close();
    await oracle.stop();
  });

  const paths: [string, (string | number)[]][] = [
    ['XCLAIM', ['XCLAIM', 's', 'g', 'c', '0', '1-1']],
    ['XAUTOCLAIM', ['XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'COUNT', '1']],
    ['XREADGROUP re-delivering from the history', ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '0']],
  ];
  for (const [name, cmd] of paths) {
    it(`${name} counts LLONG_MAX-1 up to LLONG_MAX as redis-server does, and then stays at LLONG_MAX`, async () => {
      for (const step of SETUP) expect(await ours.call(...step), step.join(' ')).to.equal(await theirs.call(...step));
      expect(await counter(ours)).to.equal(LLONG_MAX_MINUS_1);
      expect(await counter(theirs)).to.equal(LLONG_MAX_MINUS_1);
      // One delivery: both servers reach LLONG_MAX, with identical replies.
      expect(await ours.call(...cmd), cmd.join(' ')).to.equal(await theirs.call(...cmd));
      expect(await counter(ours)).to.equal(LLONG_MAX);
      expect(await counter(theirs)).to.equal(LLONG_MAX);
      // One more: rivulet saturates; Redis 7.x wraps (an 8.8 server would saturate too).
      expect(await ours.call(...cmd), cmd.join(' ')).to.equal(await theirs.call(...cmd));
      expect(await counter(ours)).to.equal(LLONG_MAX);
      expect(await counter(theirs)).to.be.oneOf([WRAPPED, LLONG_MAX]);
    });
  }

  // XREADGROUP ... CLAIM is Redis 8.4: no 7.x oracle has it, so the replies are asserted literally.
  it('XREADGROUP CLAIM reports LLONG_MAX-1 then LLONG_MAX previous deliveries, and the counter stays at LLONG_MAX', async () => {
    for (const step of SETUP) await ours.call(...step);
    const claim = ['XREADGROUP', 'GROUP', 'g', 'd', 'CLAIM', '0', 'STREAMS', 's', '>'];
    const entry = (previous: string): string =>
      `%1\r\n$1\r\ns\r\n*1\r\n*4\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n:0\r\n:${previous}\r\n`;
    const first = await ours.call(...claim);
    expect(first.replace(/:\d+\r\n(:\d+\r\n)$/, ':0\r\n$1')).to.equal(entry(LLONG_MAX_MINUS_1));
    expect(await counter(ours)).to.equal(LLONG_MAX);
    const second = await ours.call(...claim);
    expect(second.replace(/:\d+\r\n(:\d+\r\n)$/, ':0\r\n$1')).to.equal(entry(LLONG_MAX));
    expect(await counter(ours)).to.equal(LLONG_MAX);
  });
});
