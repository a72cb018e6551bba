/**
 * CLIENT TRACKING / CACHING / GETREDIR / TRACKINGINFO, CLIENT REPLY and
 * CLIENT PAUSE / UNPAUSE. Tracking and REPLY are differential: the same
 * script on rivulet and redis-server, every byte each connection receives
 * (replies and RESP3 invalidation pushes) compared; client ids, which differ
 * between the two servers, are looked up per server.
 */
import { expect } from 'chai';
import { startRivulet, startRedis, HAVE_REDIS, ORACLE_AT_LEAST_7_2, sleep, rawCommand, type ExternalServer } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';
import { Session, intOf } from './operator.fixture.js';

/** A script against one server: returns the byte streams of its connections. */
type Script = (s: Session) => Promise<string[]>;

describe('client-side caching, CLIENT REPLY and CLIENT PAUSE', function () {
  this.timeout(30_000);
  let server: RivuletServer;
  let oracle: ExternalServer | null = null;
  before(async () => {
    server = await startRivulet();
    if (HAVE_REDIS) oracle = await startRedis();
    // Lua loads on the first script (WebAssembly): run one now, so a test's EVAL answers as fast as its other commands.
    await rawCommand(server.port, ['EVAL', 'return 1', 0]);
  });
  after(async () => {
    await server.close();
    await oracle?.stop();
  });

  /** Runs `script` on both servers (fresh connections, FLUSHALL first) and requires identical bytes. */
  async function same(n: number, script: Script): Promise<string[]> {
    const run = async (port: number): Promise<string[]> => {
      const s = await Session.open(port, n);
      try {
        await s.call(0, 'FLUSHALL');
        return await script(s);
      } finally {
        s.close();
      }
    };
    const ours = await run(server.port);
    if (oracle) expect(ours).to.deep.equal(await run(oracle.port));
    return ours;
  }

  it('RESP3 default mode: a key the client read is invalidated once when another client changes it', async () => {
    const out = await same(2, async (s) => {
      const r: string[] = [];
      await s.call(0, 'HELLO', 3);
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON'));
      r.push(await s.call(0, 'GET', 'k'));
      r.push(await s.call(1, 'SET', 'k', 'v1'));
      r.push(s.take(0));
      // Not read again: a second change sends nothing.
      r.push(await s.call(1, 'SET', 'k', 'v2'));
      r.push(s.take(0));
      // Read again: tracked again; a DEL invalidates too.
      r.push(await s.call(0, 'GET', 'k'));
      r.push(await s.call(1, 'DEL', 'k'));
      r.push(s.take(0));
      return r;
    });
    expect(out[3]).to.equal('>2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n');
    expect(out[5]).to.equal('');
  });

  it("the client's own write invalidates after its reply, and not at all with NOLOOP", async () => {
    await same(1, async (s) => {
      const r: string[] = [];
      await s.call(0, 'HELLO', 3);
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON'));
      r.push(await s.call(0, 'GET', 'a'));
      r.push(await s.call(0, 'SET', 'a', '1'));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'NOLOOP'));
      r.push(await s.call(0, 'GET', 'a'));
      r.push(await s.call(0, 'SET', 'a', '2'));
      return r;
    });
  });

  it('FLUSHALL sends a null invalidation to every tracking client', async () => {
    const out = await same(2, async (s) => {
      await s.call(0, 'HELLO', 3);
      await s.call(0, 'CLIENT', 'TRACKING', 'ON');
      await s.call(1, 'FLUSHALL');
      return [s.take(0), s.take(1)];
    });
    expect(out[0]).to.equal('>2\r\n$10\r\ninvalidate\r\n_\r\n');
  });

  it('BCAST with PREFIX: keys under the prefixes, whoever read them', async () => {
    await same(2, async (s) => {
      const r: string[] = [];
      await s.call(0, 'HELLO', 3);
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'job:'));
      r.push(await s.call(1, 'SET', 'user:1', 'x'));
      r.push(s.take(0));
      r.push(await s.call(1, 'SET', 'other', 'x'));
      r.push(s.take(0));
      r.push(await s.call(0, 'CLIENT', 'TRACKINGINFO'));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'use'));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON'));
      return r;
    });
  });

  it('OPTIN tracks only after CLIENT CACHING yes, for one command', async () => {
    await same(2, async (s) => {
      const r: string[] = [];
      await s.call(0, 'HELLO', 3);
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'OPTIN'));
      r.push(await s.call(0, 'GET', 'x'));
      r.push(await s.call(0, 'CLIENT', 'CACHING', 'YES'));
      r.push(await s.call(0, 'CLIENT', 'TRACKINGINFO'));
      r.push(await s.call(0, 'GET', 'y'));
      r.push(await s.call(1, 'MSET', 'x', '1', 'y', '1'));
      r.push(s.take(0));
      r.push(await s.call(0, 'CLIENT', 'CACHING', 'NO'));
      return r;
    });
  });

  it('REDIRECT to a RESP2 client subscribed to __redis__:invalidate, and GETREDIR', async () => {
    const ids: number[] = [];
    await same(2, async (s) => {
      const r: string[] = [];
      const id = intOf(await s.call(1, 'CLIENT', 'ID'));
      ids.push(id);
      r.push(await s.call(1, 'SUBSCRIBE', '__redis__:invalidate'));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', id));
      r.push(String(intOf(await s.call(0, 'CLIENT', 'GETREDIR')) === id));
      r.push(await s.call(0, 'GET', 'r'));
      r.push(await s.call(0, 'SET', 'r', '1'));
      r.push(s.take(1));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'OFF'));
      r.push(await s.call(0, 'CLIENT', 'GETREDIR'));
      return r;
    });
  });

  it('refuses what Redis refuses, with the same errors', async () => {
    await same(1, async (s) => {
      const r: string[] = [];
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'PREFIX', 'a'));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'OPTIN'));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'OPTIN', 'OPTOUT'));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', 999999));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a'));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'MAYBE'));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'NOSUCH'));
      r.push(await s.call(0, 'CLIENT', 'CACHING', 'YES'));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'OPTOUT'));
      r.push(await s.call(0, 'CLIENT', 'CACHING', 'YES'));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'OPTIN'));
      r.push(await s.call(0, 'CLIENT', 'TRACKINGINFO'));
      return r;
    });
  });

  it('CLIENT REPLY OFF / ON / SKIP silence replies as in Redis', async () => {
    const out = await same(1, async (s) => {
      const r: string[] = [];
      r.push(await s.call(0, 'CLIENT', 'REPLY', 'OFF'));
      r.push(await s.call(0, 'SET', 'a', '1'));
      r.push(await s.call(0, 'GET', 'a'));
      r.push(await s.call(0, 'CLIENT', 'REPLY', 'ON'));
      r.push(await s.call(0, 'CLIENT', 'REPLY', 'SKIP'));
      r.push(await s.call(0, 'INCR', 'a'));
      r.push(await s.call(0, 'GET', 'a'));
      r.push(await s.call(0, 'CLIENT', 'REPLY', 'MAYBE'));
      return r;
    });
    expect(out).to.deep.equal(['', '', '', '+OK\r\n', '', '', '$1\r\n2\r\n', "-ERR syntax error\r\n"]);
  });

  it('CLIENT PAUSE WRITE holds writes (reads go on) until it ends; UNPAUSE ends it early', async () => {
    const s = await Session.open(server.port, 3);
    try {
      expect(await s.call(0, 'CLIENT', 'PAUSE', 5000, 'WRITE')).to.equal('+OK\r\n');
      s.send(1, 'SET', 'p', '1');
      s.send(1, 'GET', 'p');
      expect(await s.call(2, 'GET', 'p')).to.equal('$-1\r\n');
      await s.settle(200);
      // The write waits, and the read behind it on the same connection waits with it.
      expect(s.take(1)).to.equal('');
      expect(await s.call(2, 'CLIENT', 'LIST')).to.match(/ flags=b /);
      expect(await s.call(0, 'CLIENT', 'UNPAUSE')).to.equal('+OK\r\n');
      await s.settle();
      expect(s.take(1)).to.equal('+OK\r\n$1\r\n1\r\n');
    } finally {
      s.close();
    }
  });

  it('CLIENT PAUSE ALL holds every command until the timeout', async () => {
    const s = await Session.open(server.port, 2);
    try {
      // Timed from before the pause was asked for: the PING must wait for (nearly all of) its 300 ms.
      const t0 = Date.now();
      expect(await s.call(0, 'CLIENT', 'PAUSE', 300)).to.equal('+OK\r\n');
      s.send(1, 'PING');
      await s.settle(50, 100);
      expect(s.take(1)).to.equal('');
      while (Date.now() - t0 < 2000) {
        await s.settle(30, 100);
        const got = s.take(1);
        if (got !== '') {
          expect(got).to.equal('+PONG\r\n');
          expect(Date.now() - t0).to.be.at.least(280);
          return;
        }
      }
      throw new Error('PING never answered');
    } finally {
      s.close();
    }
  });

  it('CLIENT PAUSE WRITE postpones EXEC of a writing transaction but not reads; ALL stays ALL until the pause ends; UNPAUSE runs the held commands in arrival order', async () => {
    // Connection 3 monitors: a monitor is never paused (Redis treats it as a replica), so it can steer the pause.
    const out = await same(4, async (s) => {
      const r: string[] = [];
      await s.call(3, 'MONITOR');
      r.push(await s.call(1, 'MULTI'));
      r.push(await s.call(1, 'SET', 'pw', '1'));
      await s.call(3, 'CLIENT', 'PAUSE', 20000, 'WRITE');
      r.push(await s.call(1, 'EXEC'));
      r.push(await s.call(2, 'MULTI'));
      r.push(await s.call(2, 'GET', 'pw'));
      r.push(await s.call(2, 'EXEC'));
      await s.call(3, 'CLIENT', 'PAUSE', 20000, 'ALL');
      r.push(await s.call(2, 'GET', 'pw'));
      r.push(await s.call(0, 'PING'));
      await s.call(3, 'CLIENT', 'PAUSE', 100, 'WRITE');
      await s.settle();
      r.push(s.take(2), s.take(0), s.take(1));
      await s.call(3, 'CLIENT', 'UNPAUSE');
      await s.settle();
      r.push(s.take(1), s.take(2), s.take(0));
      s.take(3);
      return r;
    });
    expect(out).to.deep.equal([
      '+OK\r\n',
      '+QUEUED\r\n',
      '',
      '+OK\r\n',
      '+QUEUED\r\n',
      '*1\r\n$-1\r\n',
      '',
      '',
      '',
      '',
      '',
      // The EXEC was held first, so the GET behind it sees its write.
      '*1\r\n+OK\r\n',
      '$1\r\n1\r\n',
      '+PONG\r\n',
    ]);
  });

  it('CLIENT PAUSE refuses a bad timeout or mode as Redis does', async () => {
    await same(1, async (s) => [
      await s.call(0, 'CLIENT', 'PAUSE', 'abc'),
      await s.call(0, 'CLIENT', 'PAUSE', -1),
      await s.call(0, 'CLIENT', 'PAUSE', 10, 'SOME'),
    ]);
  });

  it('keys read by a script count for its caller; an expiry and a MULTI/EXEC of its own invalidate (after the EXEC reply)', async () => {
    const out = await same(2, async (s) => {
      const r: string[] = [];
      await s.call(0, 'HELLO', 3);
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON'));
      r.push(await s.call(0, 'EVAL', "return redis.call('get', KEYS[1])", 1, 'sk'));
      r.push(await s.call(1, 'SET', 'sk', '1'));
      r.push(s.take(0));
      r.push(await s.call(1, 'SET', 'ex', '1', 'PX', 300));
      r.push(await s.call(0, 'GET', 'ex'));
      // The key expires (active expiry): the reader is told without anyone writing.
      await sleep(800);
      await s.settle();
      r.push(s.take(0));
      r.push(await s.call(0, 'GET', 'own'));
      r.push(await s.call(0, 'MULTI'));
      r.push(await s.call(0, 'SET', 'own', '1'));
      r.push(await s.call(0, 'EXEC'));
      return r;
    });
    expect(out[3]).to.equal('>2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nsk\r\n');
    expect(out[6]).to.equal('>2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nex\r\n');
    expect(out[10]).to.equal('*1\r\n+OK\r\n>2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nown\r\n');
  });

  it('RESP2 REDIRECT gets FLUSHALL as a null message; a vanished redirect target is reported (tracking-redir-broken, broken_redirect)', async () => {
    const out = await same(4, async (s) => {
      const r: string[] = [];
      const sub = intOf(await s.call(1, 'CLIENT', 'ID'));
      r.push(await s.call(1, 'SUBSCRIBE', '__redis__:invalidate'));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', sub));
      r.push(await s.call(2, 'FLUSHALL'));
      r.push(s.take(1));
      // A RESP3 client whose redirect target went away.
      const gone = intOf(await s.call(3, 'CLIENT', 'ID'));
      r.push((await s.call(2, 'HELLO', 3)).slice(0, 4));
      r.push(await s.call(2, 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', gone));
      r.push(await s.call(2, 'GET', 'rk'));
      s.closeOne(3);
      await s.settle();
      r.push(await s.call(1, 'PING'));
      r.push(await s.call(0, 'SET', 'rk', '1'));
      r.push(s.take(2).replace(`:${gone}\r\n`, ':GONE\r\n'));
      r.push((await s.call(2, 'CLIENT', 'TRACKINGINFO')).replace(`:${gone}\r\n`, ':GONE\r\n'));
      return r;
    });
    expect(out[3]).to.equal('*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n');
    expect(out[9]).to.equal('>2\r\n$21\r\ntracking-redir-broken\r\n:GONE\r\n');
  });

  it('BCAST NOLOOP leaves out the keys the client changed itself; TRACKING OFF stops the messages; INFO counts tracking', async () => {
    await same(2, async (s) => {
      const r: string[] = [];
      await s.call(0, 'HELLO', 3);
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'NOLOOP'));
      r.push(await s.call(0, 'SET', 'mine', '1'));
      r.push(await s.call(1, 'SET', 'theirs', '1'));
      r.push(s.take(0));
      const info = await s.call(1, 'INFO');
      r.push(info.split('\r\n').filter((l) => l.startsWith('tracking_')).join(','));
      r.push(await s.call(0, 'CLIENT', 'TRACKING', 'OFF'));
      r.push(await s.call(1, 'SET', 'theirs', '2'));
      r.push(s.take(0));
      return r;
    });
  });

  it('CLIENT NO-TOUCH: reads leave OBJECT IDLETIME alone, TOUCH still touches (Redis 7.2+; 7.0 has no NO-TOUCH)', async () => {
    const run = async (port: number): Promise<unknown[]> => {
      const s = await Session.open(port, 1);
      try {
        const r: unknown[] = [];
        await s.call(0, 'SET', 'nt', 'v');
        await sleep(2100);
        r.push(await s.call(0, 'CLIENT', 'NO-TOUCH', 'ON'));
        r.push(await s.call(0, 'GET', 'nt'));
        r.push(intOf(await s.call(0, 'OBJECT', 'IDLETIME', 'nt')) >= 2);
        r.push(await s.call(0, 'TOUCH', 'nt'));
        r.push(intOf(await s.call(0, 'OBJECT', 'IDLETIME', 'nt')));
        await sleep(1100);
        r.push(await s.call(0, 'CLIENT', 'NO-TOUCH', 'OFF'));
        r.push(await s.call(0, 'GET', 'nt'));
        r.push(intOf(await s.call(0, 'OBJECT', 'IDLETIME', 'nt')));
        return r;
      } finally {
        s.close();
      }
    };
    const ours = await run(server.port);
    expect(ours).to.deep.equal(['+OK\r\n', '$1\r\nv\r\n', true, ':1\r\n', 0, '+OK\r\n', '$1\r\nv\r\n', 0]);
    if (oracle && ORACLE_AT_LEAST_7_2) expect(ours).to.deep.equal(await run(oracle.port));
  });

  it('CLIENT LIST shows tracking (t, B) and the redirect', async () => {
    const s = await Session.open(server.port, 2);
    try {
      const id = intOf(await s.call(1, 'CLIENT', 'ID'));
      await s.call(0, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'REDIRECT', id);
      expect(await s.call(0, 'CLIENT', 'INFO')).to.match(new RegExp(` flags=tB .* redir=${id} `));
    } finally {
      s.close();
    }
  });
});

describe("node-redis client-side caching (RESP3 + CLIENT TRACKING) against rivulet", function () {
  this.timeout(20_000);

  it('serves a repeated GET from its cache and drops it when another client changes the key', async () => {
    const { createClient } = await import('redis');
    const server = await startRivulet();
    const cached = createClient({ socket: { port: server.port, host: '127.0.0.1' }, RESP: 3, clientSideCache: { ttl: 0, maxEntries: 0 } });
    const other = createClient({ socket: { port: server.port, host: '127.0.0.1' } });
    try {
      await cached.connect();
      await other.connect();
      await other.set('cs', 'one');
      expect(await cached.get('cs')).to.equal('one');
      expect(await cached.get('cs')).to.equal('one');
      const cache = cached.clientSideCache!;
      expect(cache.stats().hitCount).to.equal(1);
      await other.set('cs', 'two');
      // The invalidation push arrives on its own: wait until the cache let the key go.
      const deadline = Date.now() + 5000;
      while (cache.size() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await cached.get('cs')).to.equal('two');
    } finally {
      cached.destroy();
      other.destroy();
      await server.close();
    }
  });
});
