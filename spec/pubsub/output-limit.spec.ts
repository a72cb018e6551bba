/**
 * Slow subscribers: `client-output-buffer-limit pubsub <hard> <soft> <secs>`
 * disconnects a subscriber whose unsent messages pass the hard limit, or stay
 * over the soft limit for too long, instead of growing the server's memory.
 * The subscribers here stop reading from their sockets entirely.
 */
import net from 'node:net';
import { expect } from 'chai';
import { startRivulet, encodeCommand, sleep, RawConnection } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

/** A subscriber that confirms its subscription and then never reads again. */
async function stalledSubscriber(port: number, channel: string): Promise<{ sock: net.Socket }> {
  const sock = net.connect(port, '127.0.0.1');
  sock.on('error', () => {});
  await new Promise<void>((r) => sock.once('connect', () => r()));
  sock.write(encodeCommand(['SUBSCRIBE', channel]));
  await new Promise<void>((r) => sock.once('data', () => r()));
  sock.pause();
  return { sock };
}

/** Publishes `count` messages of `size` bytes, waiting for each reply; stops early once `stop()` holds. */
async function flood(pub: RawConnection, channel: string, size: number, count: number, stop: () => boolean): Promise<number> {
  const body = Buffer.alloc(size, 'p');
  let sent = 0;
  while (sent < count && !stop()) {
    await pub.call('PUBLISH', channel, body);
    sent++;
  }
  return sent;
}

describe('Pub/Sub output buffer limits', function () {
  this.timeout(30000);

  describe('with a configured limit of 1mb hard, 256kb soft for 60 s', () => {
    let riv: RivuletServer;
    before(async () => {
      riv = await startRivulet({ 'client-output-buffer-limit': 'pubsub 1mb 256kb 60', loglevel: 'nothing' });
    });
    after(async () => {
      await riv?.close();
    });

    it('keeps the other classes and stores the limit in bytes, as CONFIG GET shows in Redis', () => {
      expect(riv.server.config.get('client-output-buffer-limit')).to.equal(
        'normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 262144 60',
      );
    });

    it('disconnects a subscriber that stops reading once the hard limit is passed; publishing goes on', async () => {
      const slow = await stalledSubscriber(riv.port, 'firehose');
      // A subscriber that keeps reading (it only counts bytes, so 100mb of messages stay cheap).
      const fast = net.connect(riv.port, '127.0.0.1');
      let fastBytes = 0;
      fast.on('data', (d: Buffer) => (fastBytes += d.length));
      await new Promise<void>((r) => fast.once('connect', () => r()));
      fast.write(encodeCommand(['SUBSCRIBE', 'firehose']));
      const pub = await RawConnection.open(riv.port);
      try {
        await waitFor(() => fastBytes > 0);
        const before = riv.server.clients.size;
        const sent = await flood(pub, 'firehose', 64 * 1024, 2000, () => riv.server.clients.size < before);
        expect(sent).to.be.below(2000);
        expect(await pub.call('PUBSUB', 'NUMSUB', 'firehose')).to.deep.equal(['firehose', 1]);
        expect(await pub.call('PUBLISH', 'firehose', 'still flowing')).to.equal(1);
        // The reading subscriber is still connected and got everything.
        await waitFor(() => fastBytes >= sent * 64 * 1024);
      } finally {
        slow.sock.destroy();
        fast.destroy();
        pub.close();
      }
    });
  });

  describe('with only a soft limit (64kb for 1 s)', () => {
    let riv: RivuletServer;
    before(async () => {
      riv = await startRivulet({ 'client-output-buffer-limit': 'pubsub 0 64kb 1', loglevel: 'nothing' });
    });
    after(async () => {
      await riv?.close();
    });

    it('disconnects a subscriber that stays over the soft limit longer than the allowed seconds', async () => {
      const slow = await stalledSubscriber(riv.port, 'trickle');
      const pub = await RawConnection.open(riv.port);
      try {
        const before = riv.server.clients.size;
        // Fill the socket buffers so the server holds more than 64kb unsent, then keep a trickle going.
        const floodStart = Date.now();
        await flood(pub, 'trickle', 64 * 1024, 400, () => riv.server.clients.size < before);
        await waitFor(() => riv.server.clients.size === before - 1, 5000);
        // The soft-limit clock starts after the first bytes pile up, so never earlier than 1 s after the flood began.
        expect(Date.now() - floodStart).to.be.at.least(1000);
        expect(await pub.call('PUBSUB', 'NUMSUB', 'trickle')).to.deep.equal(['trickle', 0]);
      } finally {
        slow.sock.destroy();
        pub.close();
      }
    });
  });

  describe("with Redis's default (pubsub 32mb 8mb 60)", () => {
    let riv: RivuletServer;
    before(async () => {
      riv = await startRivulet({ loglevel: 'nothing' });
    });
    after(async () => {
      await riv?.close();
    });

    it('drops a stalled subscriber after about 32mb instead of buffering 128mb of messages', async () => {
      const slow = await stalledSubscriber(riv.port, 'bulk');
      const pub = await RawConnection.open(riv.port);
      try {
        const before = riv.server.clients.size;
        const sent = await flood(pub, 'bulk', 1024 * 1024, 128, () => riv.server.clients.size < before);
        // 32mb of pending output plus what the kernel's socket buffers absorbed.
        expect(sent).to.be.below(100);
        expect(sent).to.be.at.least(32);
        expect(await pub.call('PUBLISH', 'bulk', 'x')).to.equal(0);
      } finally {
        slow.sock.destroy();
        pub.close();
      }
    });
  });
});

async function waitFor(pred: () => boolean, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(10);
  }
}
