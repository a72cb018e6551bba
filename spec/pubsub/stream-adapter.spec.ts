/**
 * The pattern of a Socket.IO-style streams adapter: several app instances,
 * each with one command connection and one subscriber connection, share one
 * stream (`XADD MAXLEN ~`, `XREAD BLOCK COUNT` from the last seen ID), find
 * each other with `PUBSUB NUMSUB`, and broadcast through `PUBLISH`. Every
 * message must reach every instance exactly once.
 */
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { startRivulet, connect, sleep } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

const INSTANCES = 4;
const STREAM_MESSAGES_EACH = 50;
const BROADCASTS_EACH = 25;
const STREAM = 'adapter:events';
const CHANNEL = 'adapter:broadcast';

class AppInstance {
  readonly cmd: Redis;
  readonly sub: Redis;
  readonly fromStream: string[] = [];
  readonly fromChannel: string[] = [];
  private lastId = '$';
  private running = true;
  private loop: Promise<void> | null = null;

  constructor(
    readonly name: string,
    port: number,
  ) {
    this.cmd = connect(port);
    this.sub = connect(port);
    this.sub.on('message', (_ch: string, m: string) => this.fromChannel.push(m));
  }

  async start(): Promise<void> {
    await this.sub.subscribe(CHANNEL);
    // Start reading from the current end of the stream: take its last ID now, so nothing added later is missed.
    const info = (await this.cmd.xrevrange(STREAM, '+', '-', 'COUNT', 1)) as [string, string[]][];
    this.lastId = info.length > 0 ? info[0][0] : '0-0';
    this.loop = this.readLoop();
  }

  private async readLoop(): Promise<void> {
    while (this.running) {
      const res = (await this.cmd.xread('COUNT', 100, 'BLOCK', 50, 'STREAMS', STREAM, this.lastId)) as [string, [string, string[]][]][] | null;
      if (!res) continue;
      for (const [id, fields] of res[0][1]) {
        this.fromStream.push(fields[1]);
        this.lastId = id;
      }
    }
  }

  async emit(i: number): Promise<void> {
    await this.cmd.xadd(STREAM, 'MAXLEN', '~', 1000, '*', 'msg', `${this.name}:${i}`);
  }

  async broadcast(i: number): Promise<number> {
    return this.cmd.publish(CHANNEL, `${this.name}:b${i}`);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.cmd.disconnect();
    this.sub.disconnect();
  }
}

describe('stream adapter scenario', function () {
  this.timeout(20000);
  let riv: RivuletServer;
  before(async () => {
    riv = await startRivulet();
  });
  after(async () => {
    await riv?.close();
  });

  it('instances exchange stream messages and broadcasts, each received exactly once by every instance', async () => {
    const apps = Array.from({ length: INSTANCES }, (_, i) => new AppInstance(`app${i}`, riv.port));
    try {
      for (const a of apps) await a.start();
      // Each instance counts its peers the way adapters do.
      for (const a of apps) expect(await a.cmd.pubsub('NUMSUB', CHANNEL)).to.deep.equal([CHANNEL, INSTANCES]);

      await Promise.all(
        apps.map(async (a) => {
          for (let i = 0; i < STREAM_MESSAGES_EACH; i++) {
            await a.emit(i);
            if (i < BROADCASTS_EACH) expect(await a.broadcast(i)).to.equal(INSTANCES);
          }
        }),
      );

      const streamTotal = INSTANCES * STREAM_MESSAGES_EACH;
      const channelTotal = INSTANCES * BROADCASTS_EACH;
      const deadline = Date.now() + 10000;
      while (apps.some((a) => a.fromStream.length < streamTotal || a.fromChannel.length < channelTotal) && Date.now() < deadline) await sleep(20);

      const expectedStream = apps.flatMap((a) => Array.from({ length: STREAM_MESSAGES_EACH }, (_, i) => `${a.name}:${i}`)).sort();
      const expectedChannel = apps.flatMap((a) => Array.from({ length: BROADCASTS_EACH }, (_, i) => `${a.name}:b${i}`)).sort();
      for (const a of apps) {
        expect([...a.fromStream].sort(), `${a.name} stream messages`).to.deep.equal(expectedStream);
        expect([...a.fromChannel].sort(), `${a.name} broadcasts`).to.deep.equal(expectedChannel);
        // Per sender, messages arrive in the order they were sent.
        for (const sender of apps) {
          const mine = a.fromStream.filter((m) => m.startsWith(`${sender.name}:`));
          expect(mine).to.deep.equal(Array.from({ length: STREAM_MESSAGES_EACH }, (_, i) => `${sender.name}:${i}`));
        }
      }
      expect(await apps[0].cmd.xlen(STREAM)).to.equal(streamTotal);
    } finally {
      await Promise.all(apps.map((a) => a.stop()));
    }
    // Once the instances are gone, nobody is subscribed.
    const probe = connect(riv.port);
    try {
      for (let i = 0; i < 50 && ((await probe.pubsub('NUMSUB', CHANNEL)) as [string, number])[1] !== 0; i++) await sleep(10);
      expect(await probe.pubsub('NUMSUB', CHANNEL)).to.deep.equal([CHANNEL, 0]);
    } finally {
      probe.disconnect();
    }
  });
});
