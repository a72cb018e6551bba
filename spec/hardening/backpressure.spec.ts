/**
 * A client that pipelines requests but never reads its replies must not make
 * the server buffer replies without bound, even with the default unlimited
 * `client-output-buffer-limit normal 0 0 0`: past READ_PAUSE_BYTES of unsent
 * replies the server stops reading that client's requests until they drain.
 */
import net from 'node:net';
import { expect } from 'chai';
import { startRivulet, connect, sleep, encodeCommand } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';
import { READ_PAUSE_BYTES, Connection } from '../../lib/network/connection.js';

describe('backpressure on a client that never reads', () => {
  let srv: RivuletServer;
  before(async () => {
    srv = await startRivulet();
  });
  after(async () => {
    await srv.close();
  });

  it('stops reading its requests while too many replies are unsent, keeps serving others, and resumes when it reads', async () => {
    const setup = connect(srv.port);
    await setup.set('big', Buffer.alloc(1024 * 1024, 120)); // 1 MB value
    const sock = net.connect(srv.port, '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.pause(); // never read
    const get = encodeCommand(['GET', 'big']);
    // 200 MB of replies requested; without backpressure the server would buffer all of them.
    for (let i = 0; i < 200; i++) sock.write(get);
    const client = [...srv.server.clients.values()].map((c) => c.link as Connection).find((c) => c.socket.remotePort === sock.localPort)!;
    // Wait (bounded) for the server to fill the socket and pause, however loaded the machine is.
    for (let i = 0; i < 200 && !client.socket.isPaused(); i++) await sleep(50);
    expect(client.socket.isPaused()).to.equal(true);
    await sleep(300); // a paused client must stay bounded, not just pass the threshold once
    // Bounded: the paused threshold plus what one read's worth of commands can produce.
    expect(client.socket.writableLength).to.be.below(READ_PAUSE_BYTES + 80 * 1024 * 1024);
    expect(await setup.ping()).to.equal('PONG');
    // Reading drains the replies; the server resumes and answers every request.
    const expected = 200 * ('$1048576\r\n'.length + 1024 * 1024 + 2);
    let received = 0;
    const done = new Promise<void>((resolve) => {
      sock.on('data', (d: Buffer) => {
        received += d.length;
        if (received >= expected) resolve();
      });
    });
    sock.resume();
    await done;
    await sleep(50);
    expect(received).to.equal(expected);
    sock.destroy();
    setup.disconnect();
  });
});
