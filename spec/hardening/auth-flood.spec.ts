/**
 * An unauthenticated client that pipelines many AUTH attempts is
 * disconnected as Redis does it (the fix for CVE-2025-21605, also in Debian's
 * 7.0.15): its replies may fill the 16 KB reply buffer, and the first byte
 * beyond that closes the connection at once, unsent replies dropped — so
 * guessing passwords costs a reconnect every ~256 attempts. (The 7.4plus
 * oracle build predates the fix, so this is checked against literal numbers
 * measured on Debian's redis-server 7.0.15.)
 */
import net from 'node:net';
import { expect } from 'chai';
import { startRivulet, sleep } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

const WRONG = '*2\r\n$4\r\nAUTH\r\n$5\r\nwrong\r\n';
/** Each failed AUTH replies these 64 bytes. */
const WRONGPASS = '-WRONGPASS invalid username-password pair or user is disabled.\r\n';

/** Sends `n` pipelined wrong AUTHs; returns the bytes received within `ms` and whether the server closed. */
async function flood(port: number, n: number, ms = 1000): Promise<{ received: string; closed: boolean }> {
  const s = net.connect(port, '127.0.0.1');
  let received = '';
  let closed = false;
  s.on('data', (d) => (received += d.toString('latin1')));
  s.on('close', () => (closed = true));
  s.on('error', () => {});
  await new Promise((r) => s.once('connect', r));
  s.write(WRONG.repeat(n));
  const deadline = Date.now() + ms;
  while (!closed && received.length < n * WRONGPASS.length && Date.now() < deadline) await sleep(10);
  s.destroy();
  return { received, closed };
}

describe('unauthenticated AUTH flood', function () {
  this.timeout(20000);
  let srv: RivuletServer;
  before(async () => {
    srv = await startRivulet({ requirepass: 'secret' });
  });
  after(() => srv.close());

  it('256 pipelined wrong AUTHs (16 KB of replies) are all answered and the connection stays open', async () => {
    const r = await flood(srv.port, 256);
    expect(r.received).to.equal(WRONGPASS.repeat(256));
    expect(r.closed).to.equal(false);
  });

  it('257 pipelined wrong AUTHs (one reply past 16 KB) close the connection without a reply, as redis-server 7.0.15 does', async () => {
    const r = await flood(srv.port, 257);
    expect(r.closed).to.equal(true);
    expect(r.received).to.equal('');
  });

  it('5000 pipelined wrong AUTHs close the connection without a reply, as redis-server does', async () => {
    const r = await flood(srv.port, 5000);
    expect(r.closed).to.equal(true);
    expect(r.received).to.equal('');
  });

  it('an authenticated client may pipeline as many commands as it likes', async () => {
    const s = net.connect(srv.port, '127.0.0.1');
    let received = '';
    s.on('data', (d) => (received += d.toString('latin1')));
    await new Promise((r) => s.once('connect', r));
    s.write('*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n' + '*1\r\n$4\r\nPING\r\n'.repeat(5000));
    const want = '+OK\r\n' + '+PONG\r\n'.repeat(5000);
    for (let i = 0; i < 300 && received.length < want.length; i++) await sleep(10);
    s.destroy();
    expect(received).to.equal(want);
  });
});
