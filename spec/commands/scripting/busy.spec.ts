/**
 * Atomicity and long scripts: past busy-reply-threshold other clients get
 * BUSY (the server keeps serving sockets while the script runs), SCRIPT
 * KILL / FUNCTION KILL stop a script that has not written, UNKILLABLE
 * otherwise, SHUTDOWN NOSAVE still gets through, and the script's own
 * client gets its reply once the script ends.
 */
import { expect } from 'chai';
import { startRivulet, connect, sleep } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';
import type { Redis } from 'ioredis';

const BUSY_EVAL = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
const BUSY_FN = 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';
const LOOP = 'local i = 0 while true do i = i + 1 end';

/** Waits until `other` sees BUSY (the script passed the threshold). */
async function untilBusy(other: Redis): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const r = await other.ping().catch((e: Error) => e.message);
    if (r !== 'PONG') return r;
    await sleep(10);
  }
  throw new Error('the script never became busy');
}

describe('long-running scripts (busy-reply-threshold)', function () {
  let server: RivuletServer;
  let a: Redis;
  let b: Redis;
  beforeEach(async () => {
    server = await startRivulet({ 'busy-reply-threshold': 50, loglevel: 'nothing' });
    a = connect(server.port);
    b = connect(server.port);
  });
  afterEach(async () => {
    a.disconnect();
    b.disconnect();
    await server.close();
  });

  it('a short script runs atomically and replies at once', async () => {
    expect(await a.eval("redis.call('set', 'x', 1) return redis.call('incr', 'x')", 0)).to.equal(2);
  });

  it('others get BUSY while a script outlives the threshold; SCRIPT KILL stops it with Redis\'s error', async () => {
    await a.set('x', '1');
    const running = a.eval(LOOP, 0).catch((e: Error) => e.message);
    expect(await untilBusy(b)).to.equal(BUSY_EVAL);
    expect(await b.get('x').catch((e: Error) => e.message)).to.equal(BUSY_EVAL);
    expect(await b.function('KILL').catch((e: Error) => e.message)).to.equal(BUSY_EVAL);
    expect(await b.script('KILL')).to.equal('OK');
    expect(await running).to.match(/^ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/);
    expect(await b.get('x')).to.equal('1');
    expect(await a.ping()).to.equal('PONG');
  });

  it('the script\'s own client waits for its reply before its next pipelined command', async () => {
    const p = a.pipeline().eval("local t = redis.call('time')[1] + 0 local i = 0 while i < 3e6 do i = i + 1 end return i", 0).ping().exec();
    expect(await untilBusy(b)).to.equal(BUSY_EVAL);
    const res = await p;
    expect(res).to.deep.equal([
      [null, 3000000],
      [null, 'PONG'],
    ]);
    expect(await b.ping()).to.equal('PONG');
  });

  it('a script that wrote is UNKILLABLE; SHUTDOWN without NOSAVE is refused with BUSY', async () => {
    const running = a.eval(`redis.call('set', 'w', 1) ${LOOP}`, 0).catch((e: Error) => e.message);
    expect(await untilBusy(b)).to.equal(BUSY_EVAL);
    expect(await b.script('KILL').catch((e: Error) => e.message)).to.equal(
      'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
    );
    expect(await b.call('SHUTDOWN').catch((e: Error) => e.message)).to.equal(BUSY_EVAL);
    // SHUTDOWN NOSAVE gets through: the server stops (and the script never finishes).
    await b.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    expect(await Promise.race([running, sleep(2000).then(() => 'still waiting')])).to.not.equal('still waiting');
  });

  it('FUNCTION KILL stops a long function; SCRIPT KILL does not', async () => {
    await a.function('LOAD', `#!lua name=spin\nredis.register_function('spin', function() ${LOOP} end)`);
    const running = a.fcall('spin', 0).catch((e: Error) => e.message);
    expect(await untilBusy(b)).to.equal(BUSY_FN);
    expect(await b.script('KILL').catch((e: Error) => e.message)).to.equal(BUSY_FN);
    const stats = (await b.function('STATS')) as unknown[];
    expect(stats[0]).to.equal('running_script');
    expect((stats[1] as unknown[]).slice(0, 4)).to.deep.equal(['name', 'spin', 'command', ['fcall', 'spin', '0']]);
    expect(await b.function('KILL')).to.equal('OK');
    expect(await running).to.match(/^ERR Script killed by user with SCRIPT KILL\.\.\. script: spin, on @user_function:2\.$/);
  });

  it('SCRIPT KILL with nothing running is NOTBUSY', async () => {
    expect(await b.script('KILL').catch((e: Error) => e.message)).to.equal('NOTBUSY No scripts in execution right now.');
    expect(await b.function('KILL').catch((e: Error) => e.message)).to.equal('NOTBUSY No scripts in execution right now.');
  });

  it('lua-time-limit is the old name of busy-reply-threshold', async () => {
    await b.config('SET', 'lua-time-limit', '1234');
    expect(await b.config('GET', 'busy-reply-threshold')).to.deep.equal(['busy-reply-threshold', '1234']);
  });
});
