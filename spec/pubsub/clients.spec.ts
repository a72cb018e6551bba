/**
 * Pub/Sub through the clients people use: ioredis (RESP2), node-redis in
 * RESP2 and RESP3, and redis-cli reading messages in a terminal (piped and
 * on a pseudo-terminal), each checked against what Redis shows.
 */
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { createClient } from 'redis';
import { startRivulet, connect, sleep, startRedis, HAVE_REDIS, HAVE_REDIS_CLI, hasBinary, type ExternalServer } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

/** Resolves once `pred` holds (polling), or rejects after `ms`. */
async function until(pred: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(10);
  }
}

describe('Pub/Sub with real clients', function () {
  let riv: RivuletServer;
  before(async () => {
    riv = await startRivulet();
  });
  after(async () => {
    await riv?.close();
  });

  // ioredis 6 speaks RESP3 by default (HELLO 3); `protocol: 2` gives the classic subscriber mode.
  for (const protocol of [2, 3] as const) {
    describe(`ioredis (RESP${protocol})`, () => {
      it('receives channel and pattern messages, binary payloads intact, and PUBLISH counts receivers', async () => {
        const sub = connect(riv.port, { protocol });
        const pub = connect(riv.port, { protocol });
        try {
          const got: [string, string][] = [];
          const pgot: [string, string, string][] = [];
          const bin: Buffer[] = [];
          sub.on('message', (ch: string, msg: string) => got.push([ch, msg]));
          sub.on('pmessage', (p: string, ch: string, msg: string) => pgot.push([p, ch, msg]));
          sub.on('messageBuffer', (_ch: Buffer, msg: Buffer) => bin.push(msg));
          expect(await sub.subscribe('news', 'sport')).to.equal(2);
          expect(await sub.psubscribe('ne*')).to.equal(3);
          expect(await pub.publish('news', 'hello')).to.equal(2);
          expect(await pub.publish('sport', 'goal')).to.equal(1);
          const payload = Buffer.from([0, 1, 2, 0xff, 13, 10]);
          expect(await pub.publish('news', payload)).to.equal(2);
          await until(() => got.length === 3 && pgot.length === 2);
          expect(got.slice(0, 2)).to.deep.equal([
            ['news', 'hello'],
            ['sport', 'goal'],
          ]);
          expect(pgot[0]).to.deep.equal(['ne*', 'news', 'hello']);
          expect(bin[2].equals(payload)).to.equal(true);
          expect(await pub.pubsub('NUMSUB', 'news', 'sport', 'none')).to.deep.equal(['news', 1, 'sport', 1, 'none', 0]);
          expect(await pub.pubsub('NUMPAT')).to.equal(1);
          // (ioredis 6 never settles a bare unsubscribe(), against redis-server too: name the channels.)
          expect(await sub.unsubscribe('news', 'sport')).to.equal(1);
          expect(await sub.punsubscribe('ne*')).to.equal(0);
          expect(await pub.publish('news', 'nobody')).to.equal(0);
        } finally {
          sub.disconnect();
          pub.disconnect();
        }
      });
    });
  }

  it('ioredis over RESP3 keeps running ordinary commands on a subscribed connection', async () => {
    const sub = connect(riv.port, { protocol: 3 });
    try {
      await sub.subscribe('x');
      expect(await sub.call('ECHO', 'y')).to.equal('y');
      expect(await sub.pubsub('NUMSUB', 'x')).to.deep.equal(['x', 1]);
    } finally {
      sub.disconnect();
    }
  });

  describe('node-redis', () => {
    it('RESP2: subscribe, pSubscribe and sSubscribe listeners receive their messages', async () => {
      const client = createClient({ url: `redis://127.0.0.1:${riv.port}` });
      client.on('error', () => {});
      await client.connect();
      const sub = client.duplicate();
      sub.on('error', () => {});
      await sub.connect();
      try {
        const got: string[] = [];
        await sub.subscribe('orders', (m, ch) => got.push(`${ch}:${m}`));
        await sub.pSubscribe('ord*', (m, ch) => got.push(`p:${ch}:${m}`));
        await sub.sSubscribe('shard', (m, ch) => got.push(`s:${ch}:${m}`));
        expect(await client.publish('orders', 'o1')).to.equal(2);
        expect(await client.sPublish('shard', 's1')).to.equal(1);
        await until(() => got.length === 3);
        expect(got.sort()).to.deep.equal(['orders:o1', 'p:orders:o1', 's:shard:s1']);
        expect(await client.pubSubChannels()).to.deep.equal(['orders']);
        expect(await client.pubSubShardChannels()).to.deep.equal(['shard']);
        await sub.unsubscribe('orders');
        await sub.pUnsubscribe();
        await sub.sUnsubscribe();
        expect(await client.publish('orders', 'o2')).to.equal(0);
      } finally {
        await sub.close().catch(() => {});
        await client.close().catch(() => {});
      }
    });

    it('RESP3: messages arrive as pushes and the same connection keeps running commands', async () => {
      const client = createClient({ url: `redis://127.0.0.1:${riv.port}`, RESP: 3 });
      client.on('error', () => {});
      await client.connect();
      const pub = createClient({ url: `redis://127.0.0.1:${riv.port}`, RESP: 3 });
      pub.on('error', () => {});
      await pub.connect();
      try {
        const got: string[] = [];
        await client.subscribe('r3', (m) => got.push(m));
        expect(await client.ping()).to.equal('PONG');
        expect(await client.sendCommand(['ECHO', 'still here'])).to.equal('still here');
        expect(await pub.publish('r3', 'first')).to.equal(1);
        expect(await client.publish('r3', 'to myself')).to.equal(1);
        await until(() => got.length === 2);
        expect(got).to.deep.equal(['first', 'to myself']);
        await client.unsubscribe('r3');
        expect(await pub.publish('r3', 'gone')).to.equal(0);
      } finally {
        await client.close().catch(() => {});
        await pub.close().catch(() => {});
      }
    });
  });

  describe('redis-cli in a terminal', function () {
    let redis: ExternalServer | null = null;
    before(async function () {
      if (!HAVE_REDIS_CLI) this.skip(); // redis-cli is not installed on this machine
      if (HAVE_REDIS) redis = await startRedis();
    });
    after(async () => {
      await redis?.stop();
    });

    /** Runs `redis-cli <args>` (optionally on a pseudo-terminal via script(1)), publishes, returns its output. */
    async function cliSession(port: number, args: string[], publish: [string, string][], tty: boolean): Promise<string> {
      const cmd = ['redis-cli', '-p', String(port), ...args];
      const proc = tty
        ? spawn('script', ['-qec', cmd.map((a) => `'${a}'`).join(' '), '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] })
        : spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      proc.stdout!.on('data', (d) => (out += d));
      const pub = connect(port);
      try {
        await until(() => out.includes('subscribe'));
        for (const [ch, m] of publish) await pub.publish(ch, m);
        await until(() => publish.every(([, m]) => out.includes(m)));
      } finally {
        pub.disconnect();
        proc.kill('SIGKILL');
      }
      return out;
    }

    it('redis-cli SUBSCRIBE prints each message as Redis does (piped)', async () => {
      const out = await cliSession(riv.port, ['SUBSCRIBE', 'news'], [['news', 'hello world']], false);
      expect(out).to.equal('subscribe\nnews\n1\nmessage\nnews\nhello world\n');
    });

    it('redis-cli PSUBSCRIBE prints pattern, channel and payload (piped)', async () => {
      const out = await cliSession(riv.port, ['PSUBSCRIBE', 'n*'], [['news', 'x1'], ['nope', 'x2']], false);
      expect(out).to.equal('psubscribe\nn*\n1\npmessage\nn*\nnews\nx1\npmessage\nn*\nnope\nx2\n');
    });

    it('on a terminal, redis-cli shows the same screen for rivulet as for redis-server', async function () {
      if (!hasBinary('script') || !redis) this.skip(); // needs script(1) for a pseudo-terminal and the oracle
      const ours = await cliSession(riv.port, ['SUBSCRIBE', 'news'], [['news', 'hello world']], true);
      const theirs = await cliSession(redis.port, ['SUBSCRIBE', 'news'], [['news', 'hello world']], true);
      expect(ours).to.contain('Reading messages... (press Ctrl-C to quit)');
      expect(ours).to.contain('1) "message"\r\n2) "news"\r\n3) "hello world"');
      expect(ours).to.equal(theirs);
    });
  });
});
