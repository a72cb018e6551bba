/**
 * Pub/Sub commands, compared byte for byte with Debian's redis-server:
 * confirmations, messages, errors, the RESP2 subscribed context, RESP3
 * pushes and PUBSUB introspection. Several connections per script (see
 * spec/pubsub/transcript.ts).
 */
import { expect } from 'chai';
import { startRivulet, startRedis, RawConnection, HAVE_REDIS, ORACLE_AT_LEAST_7_2, normalise, encodeCommand, sleep, type ExternalServer } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';
import { sameTranscripts, runScript, type ScriptStep } from '../../pubsub/transcript.js';

/** Polls `done` until it holds (5 s at most). */
async function waitFor(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(5);
  }
}

const BIN = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x2a, 0x80]); // NUL, 0xff, CRLF, '*', 0x80

describe('Pub/Sub commands (differential against redis-server)', function () {
  let riv: RivuletServer;
  let redis: ExternalServer;

  before(async function () {
    if (!HAVE_REDIS) this.skip(); // the oracle is not installed on this machine
    riv = await startRivulet();
    redis = await startRedis();
  });
  after(async () => {
    await riv?.close();
    await redis?.stop();
  });

  const same = (conns: number, script: ScriptStep[], protos?: (2 | 3)[]): Promise<string[]> => sameTranscripts(riv.port, redis.port, conns, script, protos);

  it('SUBSCRIBE confirms each channel with the running count, duplicates included', async () => {
    const [t] = await same(1, [[0, 'SUBSCRIBE', 'a', 'b', 'a'], [0, 'SUBSCRIBE', 'c']]);
    expect(t).to.equal(
      '*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n' +
        '*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:3\r\n',
    );
  });

  it('unsubscribing from everything while subscribed to nothing replies once with a nil channel and count 0', async () => {
    const [t] = await same(1, [[0, 'UNSUBSCRIBE'], [0, 'PUNSUBSCRIBE'], [0, 'SUNSUBSCRIBE']]);
    expect(t).to.equal(
      '*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n*3\r\n$12\r\nsunsubscribe\r\n$-1\r\n:0\r\n',
    );
  });

  it('counts channels and patterns together, shard channels separately', async () => {
    await same(1, [
      [0, 'SUBSCRIBE', 'a'],
      [0, 'PSUBSCRIBE', 'p*', 'q?'],
      [0, 'SSUBSCRIBE', 's1', 's2'],
      [0, 'UNSUBSCRIBE', 'not-subscribed'],
      [0, 'PUNSUBSCRIBE', 'p*'],
      [0, 'SUNSUBSCRIBE', 's2', 's2'],
      [0, 'UNSUBSCRIBE', 'a'],
      [0, 'PUNSUBSCRIBE'],
      [0, 'SUNSUBSCRIBE'],
      [0, 'UNSUBSCRIBE'],
    ]);
  });

  it('UNSUBSCRIBE with no arguments drops every channel, one confirmation each, counting down', async () => {
    await same(1, [[0, 'SUBSCRIBE', 'only'], [0, 'PSUBSCRIBE', 'pat*'], [0, 'UNSUBSCRIBE'], [0, 'PUNSUBSCRIBE']]);
  });

  it('PUBLISH delivers to channel subscribers and replies with the number of receivers', async () => {
    await same(3, [
      [0, 'SUBSCRIBE', 'news'],
      [1, 'SUBSCRIBE', 'news', 'other'],
      [2, 'PUBLISH', 'news', 'hello'],
      [2, 'PUBLISH', 'other', ''],
      [2, 'PUBLISH', 'nobody', 'x'],
      [1, 'UNSUBSCRIBE', 'news'],
      [2, 'PUBLISH', 'news', 'again'],
    ]);
  });

  it('channels and payloads are binary-safe', async () => {
    const [, t] = await same(2, [
      [0, 'SUBSCRIBE', BIN],
      [1, 'PUBLISH', BIN, BIN],
      [0, 'UNSUBSCRIBE', BIN],
    ]);
    expect(t).to.equal(':1\r\n');
  });

  it('a large payload arrives whole', async () => {
    const big = Buffer.alloc(300_000, 'z');
    await same(2, [
      [0, 'SUBSCRIBE', 'big'],
      [1, 'PUBLISH', 'big', big],
    ]);
  });

  it('a client subscribed to a channel and a matching pattern receives the message twice and counts twice', async () => {
    const [sub, pub] = await same(2, [
      [0, 'SUBSCRIBE', 'ab'],
      [0, 'PSUBSCRIBE', 'a*'],
      [1, 'PUBLISH', 'ab', 'm'],
    ]);
    expect(pub).to.equal(':2\r\n');
    expect(sub).to.contain('*4\r\n$8\r\npmessage\r\n$2\r\na*\r\n$2\r\nab\r\n$1\r\nm\r\n');
  });

  // One pattern per connection: Redis keeps patterns in a hash table, so the order
  // between different patterns matching one channel is not defined.
  const patterns = ['h?llo', 'h*llo', 'h[ae]llo', 'h[^e]llo', 'h[a-b]llo', 'h[b-a]llo', 'h\\?llo', '*', '**', 'h[', '[^', 'a\\', '[a-', 'h*o*', 'h[\\]]llo'];
  const channels = ['hello', 'hallo', 'hllo', 'heeeello', 'h?llo', 'hbllo', 'h]llo', 'a\\', 'a', '', 'h[', 'h', '-', 'hlo'];

  it('pattern subscriptions match channels exactly as Redis globs do', async () => {
    const script: ScriptStep[] = patterns.map((p, i) => [i, 'PSUBSCRIBE', p] as ScriptStep);
    const pub = patterns.length;
    for (const ch of channels) script.push([pub, 'PUBLISH', ch, `to:${ch}`]);
    await same(patterns.length + 1, script);
  });

  it('PUBLISH to an empty channel name reaches no pattern, not even *', async () => {
    const [, pub] = await same(2, [
      [0, 'PSUBSCRIBE', '*'],
      [1, 'PUBLISH', '', 'm'],
    ]);
    expect(pub).to.equal(':0\r\n');
  });

  it('SPUBLISH reaches shard subscribers only, with smessage', async () => {
    const [shard, plain, pattern, pub] = await same(4, [
      [0, 'SSUBSCRIBE', 'orders'],
      [1, 'SUBSCRIBE', 'orders'],
      [2, 'PSUBSCRIBE', '*'],
      [3, 'SPUBLISH', 'orders', 'o1'],
      [3, 'PUBLISH', 'orders', 'o2'],
    ]);
    expect(shard).to.contain('*3\r\n$8\r\nsmessage\r\n$6\r\norders\r\n$2\r\no1\r\n');
    expect(plain).to.not.contain('o1');
    expect(pattern).to.not.contain('o1');
    expect(pub).to.equal(':1\r\n:2\r\n');
  });

  it('in RESP2 a subscribed connection refuses other commands with Redis\'s text, and PING answers a pong message', async () => {
    const [t] = await same(1, [
      [0, 'SUBSCRIBE', 'c'],
      [0, 'ECHO', 'x'],
      [0, 'PUBSUB', 'NUMPAT'],
      [0, 'PUBLISH', 'c', 'm'],
      [0, 'HELLO'],
      [0, 'PING'],
      [0, 'PING', 'hi'],
      [0, 'NOSUCHCOMMAND'],
      [0, 'SUBSCRIBE'],
      // In RESP3 the PUBLISH to itself sends a push: Redis 7.0 wrote it before the reply, 7.2+ after (as rivulet).
    ], ORACLE_AT_LEAST_7_2 ? [2, 3] : [2]);
    expect(t).to.contain(
      "-ERR Can't execute 'echo': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
    );
    expect(t).to.contain("-ERR Can't execute 'pubsub|numpat': only (P|S)SUBSCRIBE");
    expect(t).to.contain('*2\r\n$4\r\npong\r\n$0\r\n\r\n*2\r\n$4\r\npong\r\n$2\r\nhi\r\n');
  });

  it('leaving every subscription returns a RESP2 connection to normal commands', async () => {
    await same(1, [
      [0, 'SSUBSCRIBE', 's'],
      [0, 'ECHO', 'refused'],
      [0, 'SUNSUBSCRIBE'],
      [0, 'ECHO', 'accepted'],
      [0, 'PING'],
    ]);
  });

  it('RESET leaves the subscribed context and drops the subscriptions', async () => {
    const [, pub] = await same(2, [
      [0, 'SUBSCRIBE', 'r'],
      [0, 'PSUBSCRIBE', 'r*'],
      [0, 'RESET'],
      [0, 'ECHO', 'normal again'],
      [1, 'PUBLISH', 'r', 'm'],
      [1, 'PUBSUB', 'NUMSUB', 'r'],
      [1, 'PUBSUB', 'NUMPAT'],
    ]);
    expect(pub).to.equal(':0\r\n*2\r\n$1\r\nr\r\n:0\r\n:0\r\n');
  });

  it('in RESP3 confirmations and messages are push frames and ordinary commands keep working', async () => {
    const [t] = await same(2, [
      [0, 'HELLO', '3'],
      [0, 'UNSUBSCRIBE'],
      [0, 'SUBSCRIBE', 'r3'],
      [0, 'PSUBSCRIBE', 'r*'],
      [0, 'ECHO', 'still works'],
      [0, 'PING'],
      [1, 'PUBLISH', 'r3', 'm'],
      [0, 'PUBSUB', 'NUMSUB', 'r3', 'zz'],
      [0, 'PUNSUBSCRIBE'],
      [0, 'UNSUBSCRIBE'],
    ]);
    expect(t).to.contain('>3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n');
    expect(t).to.contain('>3\r\n$7\r\nmessage\r\n$2\r\nr3\r\n$1\r\nm\r\n');
    expect(t).to.contain('$11\r\nstill works\r\n+PONG\r\n');
  });

  it('in RESP3 pushes caused by a command of the receiving client follow its reply, and the whole EXEC reply (Redis 7.2+)', async () => {
    const script: (string | number)[][] = [
      ['CONFIG', 'SET', 'notify-keyspace-events', 'KA'],
      ['SUBSCRIBE', 'me', '__keyspace@0__:k'],
      ['PUBLISH', 'me', 'a'],
      ['SET', 'k', '1'],
      ['MULTI'],
      ['PUBLISH', 'me', 'b'],
      ['INCR', 'k'],
      ['PUBLISH', 'me', 'c'],
      ['EXEC'],
      ['MULTI'],
      ['SUBSCRIBE', 'other'],
      ['PUBLISH', 'other', 'd'],
      ['EXEC'],
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
    ];
    const msg = (ch: string, m: string): string => `>3\r\n$7\r\nmessage\r\n$${ch.length}\r\n${ch}\r\n$${m.length}\r\n${m}\r\n`;
    const ks = '__keyspace@0__:k';
    const expected =
      '+OK\r\n' +
      '>3\r\n$9\r\nsubscribe\r\n$2\r\nme\r\n:1\r\n>3\r\n$9\r\nsubscribe\r\n$16\r\n__keyspace@0__:k\r\n:2\r\n' +
      `:1\r\n${msg('me', 'a')}` + // PUBLISH's own count first, then the message
      `+OK\r\n${msg(ks, 'set')}` +
      '+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n' +
      `*3\r\n:1\r\n:2\r\n:1\r\n${msg('me', 'b')}${msg(ks, 'incrby')}${msg('me', 'c')}` + // after all of EXEC
      '+OK\r\n+QUEUED\r\n+QUEUED\r\n' +
      // SUBSCRIBE's confirmation is its reply (inside EXEC's array); the message it then receives follows EXEC.
      `*2\r\n>3\r\n$9\r\nsubscribe\r\n$5\r\nother\r\n:3\r\n:1\r\n${msg('other', 'd')}` +
      '+OK\r\n';
    const transcript = async (port: number): Promise<string> => {
      const c = await RawConnection.open(port);
      try {
        c.write(encodeCommand(['HELLO', '3']));
        await waitFor(() => c.received.length > 0);
        await sleep(20);
        c.received = Buffer.alloc(0);
        c.write(Buffer.concat(script.map((cmd) => encodeCommand(cmd))));
        await waitFor(() => c.received.toString().endsWith(`${msg('other', 'd')}+OK\r\n`));
        return c.received.toString();
      } finally {
        c.close();
      }
    };
    expect(await transcript(riv.port)).to.equal(expected);
    // Redis 7.0 wrote such pushes before the reply; 7.2+ as above.
    if (ORACLE_AT_LEAST_7_2) expect(await transcript(redis.port)).to.equal(expected);
  });

  it('PUBSUB CHANNELS, NUMSUB, NUMPAT and their shard forms count live subscriptions', async () => {
    await same(4, [
      [3, 'PUBSUB', 'CHANNELS'],
      [3, 'PUBSUB', 'NUMPAT'],
      [0, 'SUBSCRIBE', 'one'],
      [1, 'SUBSCRIBE', 'one'],
      [1, 'PSUBSCRIBE', 'x*'],
      [2, 'PSUBSCRIBE', 'x*'],
      [2, 'SSUBSCRIBE', 'shard-a'],
      [3, 'PUBSUB', 'CHANNELS'],
      [3, 'PUBSUB', 'CHANNELS', 'o*'],
      [3, 'PUBSUB', 'CHANNELS', 'x*'],
      [3, 'PUBSUB', 'NUMSUB'],
      [3, 'PUBSUB', 'NUMSUB', 'one', 'two', 'x*'],
      [3, 'PUBSUB', 'NUMPAT'],
      [3, 'PUBSUB', 'SHARDCHANNELS'],
      [3, 'PUBSUB', 'SHARDCHANNELS', 'shard-?'],
      [3, 'PUBSUB', 'SHARDCHANNELS', 'nope*'],
      [3, 'PUBSUB', 'SHARDNUMSUB', 'shard-a', 'one'],
      [3, 'PUBSUB', 'SHARDNUMSUB'],
      [0, 'UNSUBSCRIBE'],
      [3, 'PUBSUB', 'NUMSUB', 'one'],
    ]);
  });

  it('PUBSUB CHANNELS lists every active channel once', async () => {
    const ours = await runScript(riv.port, 2, [[0, 'SUBSCRIBE', 'c1', 'c2', 'c3'], [1, 'PUBSUB', 'CHANNELS']]);
    const theirs = await runScript(redis.port, 2, [[0, 'SUBSCRIBE', 'c1', 'c2', 'c3'], [1, 'PUBSUB', 'CHANNELS']]);
    // Redis answers in hash-table order: compare as sets.
    const names = (t: string): string[] => t.split('\r\n').filter((l) => /^c\d$/.test(l)).sort();
    expect(names(ours[1])).to.deep.equal(['c1', 'c2', 'c3']);
    expect(names(ours[1])).to.deep.equal(names(theirs[1]));
  });

  it('PUBSUB errors match: arity, unknown subcommands, extra arguments, HELP arity (the HELP text: spec/commands/help.spec.ts)', async () => {
    await same(1, [
      [0, 'PUBSUB'],
      [0, 'PUBSUB', 'nosuch'],
      [0, 'PUBSUB', 'CHANNELS', 'a', 'b'],
      [0, 'PUBSUB', 'shardchannels', 'a', 'b'],
      [0, 'PUBSUB', 'NUMPAT', 'x'],
      [0, 'PUBSUB', 'help', 'x'],
      [0, 'SUBSCRIBE'],
      [0, 'PSUBSCRIBE'],
      [0, 'SSUBSCRIBE'],
      [0, 'PUBLISH', 'c'],
      [0, 'PUBLISH', 'c', 'm', 'extra'],
      [0, 'SPUBLISH', 'c'],
    ]);
  });

  it('QUIT from a subscribed connection answers OK and closes it', async () => {
    const [t] = await same(1, [
      [0, 'SUBSCRIBE', 'q'],
      [0, 'QUIT'],
    ]);
    expect(t.endsWith('+OK\r\n')).to.equal(true);
  });

  it('a subscriber that disconnects is no longer counted', async () => {
    const sub = await RawConnection.open(riv.port);
    await sub.call('SUBSCRIBE', 'gone');
    await sub.call('PSUBSCRIBE', 'gone*');
    sub.close();
    const c = await RawConnection.open(riv.port);
    try {
      for (let i = 0; i < 50; i++) {
        if ((await c.call('PUBLISH', 'gone', 'x')) === 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(await c.call('PUBSUB', 'NUMSUB', 'gone')).to.deep.equal(['gone', 0]);
      expect(await c.call('PUBSUB', 'NUMPAT')).to.equal(0);
      expect(await c.call('PUBLISH', 'gone', 'x')).to.equal(0);
    } finally {
      c.close();
    }
  });

  it('SUBSCRIBE queued in MULTI runs at EXEC, SSUBSCRIBE is refused there, like Redis', async () => {
    // (Not a transcript script: the sync PING would be queued by MULTI.)
    const run = async (port: number): Promise<unknown[]> => {
      const c = await RawConnection.open(port);
      const p = await RawConnection.open(port);
      try {
        const out: unknown[] = [];
        for (const cmd of [['MULTI'], ['SUBSCRIBE', 'tx'], ['SSUBSCRIBE', 'stx'], ['EXEC']]) out.push(normalise(await c.call(...cmd)));
        out.push(await p.call('PUBLISH', 'tx', 'after exec'), await p.call('SPUBLISH', 'stx', 'nobody'));
        out.push(await c.next());
        return out;
      } finally {
        c.close();
        p.close();
      }
    };
    const ours = await run(riv.port);
    expect(ours).to.deep.equal(await run(redis.port));
    expect(ours[3]).to.deep.equal([['subscribe', 'tx', 1], { error: "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client" }]);
  });
});
