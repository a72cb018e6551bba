/**
 * lib/glob.ts against Redis's stringmatchlen, through PUBSUB CHANNELS
 * <pattern>: the same channel names are subscribed on both servers, then
 * hundreds of random patterns (built from the characters that mean
 * something to the matcher) must select the same channels.
 */
import { expect } from 'chai';
import { startRivulet, startRedis, RawConnection, HAVE_REDIS, type ExternalServer } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';
import { globMatch } from '../../lib/glob.js';

/** A small deterministic PRNG, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = ['a', 'b', 'c', 'A', '-', '^', ']', '[', '\\', '*', '?'];

function randomString(next: () => number, max: number, alphabet: string[]): string {
  const n = Math.floor(next() * (max + 1));
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

describe('glob matching (differential against redis-server)', function () {
  this.timeout(20000);
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

  it('random patterns select the same channels as Redis (PUBSUB CHANNELS <pattern>)', async () => {
    const next = rng(20240601);
    const channels = new Set<string>(['a', 'b', 'ab', 'abc', 'a-c', '[', ']', '\\', 'a*', '?', '^a', 'aA', 'cba']);
    while (channels.size < 120) channels.add(randomString(next, 6, ['a', 'b', 'c', 'A', '-', '^', ']', '[', '\\']) || 'x');
    const subs = await Promise.all([RawConnection.open(riv.port), RawConnection.open(redis.port)]);
    const q = await Promise.all([RawConnection.open(riv.port), RawConnection.open(redis.port)]);
    try {
      for (const s of subs) {
        s.write(Buffer.concat([...channels].map((ch) => Buffer.from(`*2\r\n$9\r\nSUBSCRIBE\r\n$${Buffer.byteLength(ch)}\r\n${ch}\r\n`))));
        for (let i = 0; i < channels.size; i++) await s.next();
      }
      let nonTrivial = 0;
      for (let i = 0; i < 400; i++) {
        const pattern = randomString(next, 7, ALPHABET);
        const [ours, theirs] = await Promise.all(q.map(async (c) => ((await c.call('PUBSUB', 'CHANNELS', pattern)) as string[]).sort()));
        expect(ours, `pattern ${JSON.stringify(pattern)}`).to.deep.equal(theirs);
        if (ours.length > 0 && ours.length < channels.size) nonTrivial++;
      }
      expect(nonTrivial).to.be.above(50);
    } finally {
      for (const c of [...subs, ...q]) c.close();
    }
  });

  it('an empty subject matches only the empty pattern, as in stringmatchlen', () => {
    expect(globMatch('*', '')).to.equal(false);
    expect(globMatch('', '')).to.equal(true);
    expect(globMatch('a*', 'a')).to.equal(true);
    expect(globMatch('*', 'a')).to.equal(true);
  });
});
