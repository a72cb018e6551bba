/**
 * Blocking by re-execution (Redis 7.2+): a blocked command woken by a change
 * of its key runs again through the normal call path, so the client gets the
 * command's own error when the key was deleted or changed type, and the run
 * counts in INFO commandstats/errorstats exactly as a first run does (one
 * call per command, however often it was woken).
 *
 * Compared with the oracle when it is Redis 7.2 or newer (RIVULET_ORACLE);
 * Debian's 7.0 answered UNBLOCKED or kept the client blocked, so against it
 * the expectations are the 7.4 values measured on the newer build.
 */
import { expect } from 'chai';
import { startRivulet, startRedis, RawConnection, encodeCommand, sleep, HAVE_REDIS, ORACLE_AT_LEAST_7_2, type ExternalServer } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

/** Runs the script on a server; returns the blocked clients' replies and the stats lines that matter. */
async function run(port: number): Promise<{ replies: unknown[]; stats: string[] }> {
  const admin = await RawConnection.open(port);
  const waiter = await RawConnection.open(port);
  const replies: unknown[] = [];
  const waitBlocked = async (n: number): Promise<void> => {
    for (let i = 0; i < 1000; i++) {
      const info = String(await admin.call('INFO', 'clients'));
      if (info.includes(`blocked_clients:${n}\r\n`)) return;
      await sleep(5);
    }
    throw new Error(`never saw ${n} blocked clients`);
  };
  const norm = (r: unknown): unknown => (r instanceof Error ? { error: r.message } : r);
  try {
    await admin.call('FLUSHALL');
    await admin.call('CONFIG', 'RESETSTAT');
    // 1. the key is deleted: the re-run fails with NOGROUP
    await admin.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    waiter.write(encodeCommand(['XREADGROUP', 'GROUP', 'g', 'a', 'BLOCK', '0', 'STREAMS', 's', '>']));
    await waitBlocked(1);
    await admin.call('DEL', 's');
    replies.push(norm(await waiter.next()));
    // 2. the key changes type: the re-run fails with WRONGTYPE
    await admin.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    waiter.write(encodeCommand(['XREADGROUP', 'GROUP', 'g', 'a', 'BLOCK', '0', 'STREAMS', 's', '>']));
    await waitBlocked(1);
    await admin.call('SET', 's', 'x');
    replies.push(norm(await waiter.next()));
    // 3. XREAD ... $: a deleted key keeps it waiting; the next XADD serves it; one call in all
    await admin.call('DEL', 's');
    await admin.call('XADD', 's', '1-0', 'f', 'v');
    waiter.write(encodeCommand(['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']));
    await waitBlocked(1);
    await admin.call('DEL', 's');
    await waitBlocked(1);
    await admin.call('XADD', 's', '5-0', 'f', 'v');
    replies.push(norm(await waiter.next()));
    const stats = String(await admin.call('INFO', 'stats')) + String(await admin.call('INFO', 'commandstats')) + String(await admin.call('INFO', 'errorstats'));
    const keep = stats
      .split('\r\n')
      .filter((l) => /^(errorstat_|cmdstat_(xreadgroup|xread):|total_error_replies)/.test(l))
      .map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+,/, ''));
    return { replies, stats: keep.sort() };
  } finally {
    admin.close();
    waiter.close();
  }
}

describe('blocking by re-execution (Redis 7.2+)', function () {
  this.timeout(30000);
  let riv: RivuletServer;
  let oracle: ExternalServer | null = null;
  before(async () => {
    riv = await startRivulet();
    if (HAVE_REDIS && ORACLE_AT_LEAST_7_2) oracle = await startRedis();
  });
  after(async () => {
    await riv.close();
    await oracle?.stop();
  });

  it('a woken XREADGROUP fails with its own NOGROUP/WRONGTYPE error and counts once, as a first run', async () => {
    const ours = await run(riv.port);
    expect(ours.replies).to.deep.equal([
      { error: "NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option" },
      { error: 'WRONGTYPE Operation against a key holding the wrong kind of value' },
      [['s', [['5-0', ['f', 'v']]]]],
    ]);
    expect(ours.stats).to.deep.equal([
      'cmdstat_xread:calls=1,rejected_calls=0,failed_calls=0',
      'cmdstat_xreadgroup:calls=2,rejected_calls=0,failed_calls=2',
      'errorstat_NOGROUP:count=1',
      'errorstat_WRONGTYPE:count=1',
      'total_error_replies:2',
    ]);
    if (oracle) expect(ours).to.deep.equal(await run(oracle.port));
  });
});
