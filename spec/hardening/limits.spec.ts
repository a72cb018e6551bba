/**
 * Hardening: every resource limit Redis enforces, with Redis's own texts —
 * maxclients, proto-max-bulk-len, the multibulk length limit (and the
 * stricter pre-AUTH limits), client-query-buffer-limit, the output buffer
 * limit for normal clients, idle `timeout`, and maxmemory with `noeviction`
 * (writes refused with OOM, reads still answered). Where redis-server 7.0
 * behaves the same, the bytes are compared with it.
 */
import net from 'node:net';
import { expect } from 'chai';
import {
  startRivulet,
  startRedis,
  RawConnection,
  encodeCommand,
  normalise,
  sleep,
  HAVE_REDIS,
  ORACLE_AT_LEAST_7_4,
  type ExternalServer,
} from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

/** Opens a socket, writes `data`, and collects what the server sends until it closes or `waitMs` passes. */
async function exchange(port: number, data: Buffer | string, waitMs = 1500): Promise<{ text: string; closed: boolean }> {
  const sock = net.connect(port, '127.0.0.1');
  let text = '';
  let closed = false;
  sock.on('data', (d: Buffer) => (text += d.toString('latin1')));
  sock.on('error', () => {});
  const done = new Promise<void>((r) => sock.once('close', () => ((closed = true), r())));
  await new Promise<void>((r) => sock.once('connect', () => r()));
  sock.write(data);
  await Promise.race([done, sleep(waitMs)]);
  sock.destroy();
  return { text, closed };
}

/** Polls `cond` every 20 ms until it holds or `ms` pass; returns whether it held. */
async function eventually(cond: () => Promise<boolean> | boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
}

/** The ids in CLIENT LIST, asked on `conn`. */
async function clientIds(conn: RawConnection): Promise<string[]> {
  const list = String(await conn.call('CLIENT', 'LIST'));
  return list
    .split('\n')
    .filter(Boolean)
    .map((l) => /id=(\d+)/.exec(l)![1]);
}

describe('resource limits (hardening)', function () {
  this.timeout(30000);
  let riv: RivuletServer;
  let redis: ExternalServer | null = null;

  before(async () => {
    riv = await startRivulet({ loglevel: process.env.RIVULET_LOGLEVEL ?? 'nothing' });
    if (HAVE_REDIS) redis = await startRedis();
  });
  after(async () => {
    await riv?.close();
    await redis?.stop();
  });

  describe('maxclients', () => {
    it('refuses the connection past maxclients with "-ERR max number of clients reached" and counts it as rejected', async () => {
      const admin = await RawConnection.open(riv.port);
      const before = String(await admin.call('INFO', 'stats'));
      const rejectedBefore = Number(/rejected_connections:(\d+)/.exec(before)![1]);
      expect(await admin.call('CONFIG', 'SET', 'maxclients', '3')).to.equal('OK');
      const others = [await RawConnection.open(riv.port), await RawConnection.open(riv.port)];
      try {
        for (const o of others) expect(await o.call('PING')).to.equal('PONG');
        const refused = await exchange(riv.port, 'PING\r\n');
        expect(refused).to.deep.equal({ text: '-ERR max number of clients reached\r\n', closed: true });
        // The clients already connected carry on.
        expect(await others[0].call('SET', 'mc', '1')).to.equal('OK');
        const stats = String(await admin.call('INFO', 'stats'));
        expect(Number(/rejected_connections:(\d+)/.exec(stats)![1])).to.equal(rejectedBefore + 1);
        // A slot that frees up is usable again.
        others.pop()!.close();
        expect(await eventually(async () => (await exchange(riv.port, 'PING\r\n', 300)).text === '+PONG\r\n')).to.equal(true);
      } finally {
        for (const o of others) o.close();
        await admin.call('CONFIG', 'SET', 'maxclients', '10000');
        admin.close();
      }
    });

    it('redis-server 7.0 sends the same bytes to a connection past maxclients', async function () {
      if (!redis) return this.skip(); // reason: redis-server is not installed
      const admin = await RawConnection.open(redis.port);
      try {
        await admin.call('CONFIG', 'SET', 'maxclients', '1');
        const refused = await exchange(redis.port, 'PING\r\n');
        expect(refused).to.deep.equal({ text: '-ERR max number of clients reached\r\n', closed: true });
      } finally {
        await admin.call('CONFIG', 'SET', 'maxclients', '10000');
        admin.close();
      }
    });
  });

  describe('protocol lengths', () => {
    const cases: [string, string][] = [
      ['a multibulk count above 2^31-1', '*2147483648\r\n'],
      ['a negative bulk length', '*1\r\n$-1\r\n'],
      ['a bulk length above proto-max-bulk-len (512mb)', '*1\r\n$536870913\r\n'],
      ['a non-numeric multibulk count', '*x\r\n'],
      ['a bulk header without $', '*1\r\n:1\r\n'],
    ];
    for (const [label, input] of cases) {
      it(`answers ${label} with Redis's protocol error and closes, byte for byte as redis-server`, async () => {
        const ours = await exchange(riv.port, input);
        expect(ours.closed).to.equal(true);
        expect(ours.text).to.match(/^-ERR Protocol error: /);
        if (redis) expect(ours).to.deep.equal(await exchange(redis.port, input));
      });
    }

    it('a multibulk count of 2^31-1 is accepted (the server waits for the arguments), as in Redis 7', async () => {
      expect(await exchange(riv.port, '*2147483647\r\n', 300)).to.deep.equal({ text: '', closed: false });
    });

    it('a lowered proto-max-bulk-len refuses one byte more with "invalid bulk length" and accepts exactly the limit', async () => {
      const admin = await RawConnection.open(riv.port);
      try {
        expect(await admin.call('CONFIG', 'SET', 'proto-max-bulk-len', '1mb')).to.equal('OK');
        const over = await exchange(riv.port, '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n');
        expect(over).to.deep.equal({ text: '-ERR Protocol error: invalid bulk length\r\n', closed: true });
        const c = await RawConnection.open(riv.port);
        expect(await c.call('SET', 'at-limit', Buffer.alloc(1024 * 1024, 'b'))).to.equal('OK');
        expect(await c.call('STRLEN', 'at-limit')).to.equal(1024 * 1024);
        c.close();
      } finally {
        await admin.call('CONFIG', 'SET', 'proto-max-bulk-len', '512mb');
        admin.close();
      }
    });
  });

  describe('limits before AUTH (requirepass set)', () => {
    let locked: RivuletServer;
    let lockedRedis: ExternalServer | null = null;
    before(async () => {
      locked = await startRivulet({ requirepass: 'pw', loglevel: 'nothing' });
      if (HAVE_REDIS) {
        // Set after start: the helper waits for an unauthenticated PING.
        lockedRedis = await startRedis();
        const admin = await RawConnection.open(lockedRedis.port);
        await admin.call('CONFIG', 'SET', 'requirepass', 'pw');
        admin.close();
      }
    });
    after(async () => {
      await locked?.close();
      await lockedRedis?.stop();
    });

    const cases: [string, string, string][] = [
      ['a multibulk count above 10', '*11\r\n', '-ERR Protocol error: unauthenticated multibulk length\r\n'],
      ['a bulk above 16384 bytes', '*2\r\n$4\r\nAUTH\r\n$16385\r\n', '-ERR Protocol error: unauthenticated bulk length\r\n'],
    ];
    for (const [label, input, text] of cases) {
      it(`refuses ${label} from an unauthenticated client, as redis-server does`, async () => {
        const ours = await exchange(locked.port, input);
        expect(ours).to.deep.equal({ text, closed: true });
        if (lockedRedis) expect(await exchange(lockedRedis.port, input)).to.deep.equal(ours);
      });
    }

    it('the same sizes are fine once authenticated', async () => {
      const c = await RawConnection.open(locked.port);
      expect(await c.call('AUTH', 'pw')).to.equal('OK');
      const args = Array.from({ length: 11 }, (_, i) => `a${i}`);
      expect(await c.call('MSET', ...args.slice(0, 10))).to.equal('OK');
      expect(await c.call('SET', 'big', Buffer.alloc(16385, 'x'))).to.equal('OK');
      expect(await c.call('STRLEN', 'big')).to.equal(16385);
      c.close();
    });
  });

  describe('client-query-buffer-limit', () => {
    it('closes, without a reply, a client whose unfinished command passes the limit; others carry on', async () => {
      const admin = await RawConnection.open(riv.port);
      try {
        expect(await admin.call('CONFIG', 'SET', 'client-query-buffer-limit', '1mb')).to.equal('OK');
        // A 3 MB bulk announced (allowed by proto-max-bulk-len) but only 1.5 MB of it sent.
        const sock = net.connect(riv.port, '127.0.0.1');
        let got = '';
        let closed = false;
        sock.on('data', (d: Buffer) => (got += d.toString('latin1')));
        sock.on('error', () => {});
        sock.on('close', () => (closed = true));
        await new Promise<void>((r) => sock.once('connect', () => r()));
        sock.write('*3\r\n$3\r\nSET\r\n$1\r\nq\r\n$3000000\r\n');
        sock.write(Buffer.alloc(1_500_000, 'q'));
        expect(await eventually(() => closed)).to.equal(true);
        expect(got).to.equal('');
        expect(await admin.call('EXISTS', 'q')).to.equal(0);
        expect(await admin.call('PING')).to.equal('PONG');
      } finally {
        await admin.call('CONFIG', 'SET', 'client-query-buffer-limit', '1gb');
        admin.close();
      }
    });

    it('a long pipeline of complete commands is not a big query buffer: 3 MB of SETs in one write all succeed', async () => {
      const admin = await RawConnection.open(riv.port);
      try {
        await admin.call('CONFIG', 'SET', 'client-query-buffer-limit', '1mb');
        const one = encodeCommand(['SET', 'pipe', Buffer.alloc(1000, 'p')]);
        const { text, closed } = await exchange(riv.port, Buffer.concat(Array.from({ length: 3000 }, () => one)), 3000);
        expect(closed).to.equal(false);
        expect(text).to.equal('+OK\r\n'.repeat(3000));
      } finally {
        await admin.call('CONFIG', 'SET', 'client-query-buffer-limit', '1gb');
        admin.close();
      }
    });
  });

  describe('client-output-buffer-limit for normal clients', () => {
    it('disconnects a client that sends commands but never reads, once its replies pass the hard limit', async () => {
      const admin = await RawConnection.open(riv.port);
      try {
        expect(await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 0 0')).to.equal('OK');
        // A 1000-entry stream: each XRANGE reply is about 130 KB.
        for (let i = 0; i < 10; i++) {
          const args: (string | Buffer)[] = [];
          for (let j = 0; j < 100; j++) args.push('XADD', 'big', '*', 'payload', Buffer.alloc(100, 'z'));
          const batch: Buffer[] = [];
          for (let j = 0; j < args.length; j += 5) batch.push(encodeCommand(args.slice(j, j + 5)));
          admin.write(Buffer.concat(batch));
          for (let j = 0; j < 100; j++) await admin.next();
        }
        expect(await admin.call('XLEN', 'big')).to.equal(1000);
        const idsBefore = await clientIds(admin);
        const sock = net.connect(riv.port, '127.0.0.1');
        sock.on('error', () => {});
        await new Promise<void>((r) => sock.once('connect', () => r()));
        sock.pause(); // never read a byte
        const xrange = encodeCommand(['XRANGE', 'big', '-', '+']);
        sock.write(Buffer.concat(Array.from({ length: 400 }, () => xrange))); // ~50 MB of replies
        const newId = (await clientIds(admin)).find((id) => !idsBefore.includes(id));
        expect(newId, 'the silent client is connected').to.be.a('string');
        const gone = await eventually(async () => !(await clientIds(admin)).includes(newId!), 10000);
        expect(gone, 'the silent client was disconnected').to.equal(true);
        const mem = process.memoryUsage();
        expect(mem.heapUsed + mem.external, 'the server did not buffer 50 MB of replies').to.be.below(400 * 1024 * 1024);
        expect(await admin.call('XLEN', 'big')).to.equal(1000);
        sock.destroy();
      } finally {
        await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0');
        await admin.call('DEL', 'big');
        admin.close();
      }
    });
  });

  describe('timeout', () => {
    it('closes a client idle for longer than `timeout` seconds, but not active, subscribed or blocked ones', async function () {
      this.timeout(15000);
      const admin = await RawConnection.open(riv.port);
      const idle = await RawConnection.open(riv.port);
      const subscriber = await RawConnection.open(riv.port);
      const blocked = await RawConnection.open(riv.port);
      try {
        expect(await idle.call('PING')).to.equal('PONG');
        expect(normalise(await subscriber.call('SUBSCRIBE', 'ch'))).to.deep.equal(['subscribe', 'ch', 1]);
        blocked.write(encodeCommand(['XREAD', 'BLOCK', '0', 'STREAMS', 'timeout-stream', '$']));
        expect(await admin.call('CONFIG', 'SET', 'timeout', '1')).to.equal('OK');
        const t0 = Date.now();
        while (Date.now() - t0 < 2600) {
          expect(await admin.call('PING')).to.equal('PONG');
          await sleep(200);
        }
        await idle.waitClosed(3000);
        expect(idle.closed).to.equal(true);
        expect(subscriber.closed).to.equal(false);
        expect(blocked.closed).to.equal(false);
        expect(admin.closed).to.equal(false);
        // The blocked client still gets its entry.
        await admin.call('XADD', 'timeout-stream', '1-1', 'f', 'v');
        expect(normalise(await blocked.next())).to.deep.equal([['timeout-stream', [['1-1', ['f', 'v']]]]]);
      } finally {
        await admin.call('CONFIG', 'SET', 'timeout', '0');
        for (const c of [admin, idle, subscriber, blocked]) c.close();
      }
    });
  });

  describe('maxmemory with the noeviction policy', () => {
    /** A script run with `maxmemory 1` in force: writes that may grow memory are refused, reads and deletions work. */
    const underPressure: (string | number)[][] = [
      ['SET', 'k2', 'v'],
      ['XADD', 's', '2-1', 'f', 'v'],
      ['XADD', 'new', '*', 'f', 'v'],
      ['APPEND', 'k', 'more'],
      ['XGROUP', 'CREATE', 's', 'g2', '$'],
      ['GET', 'k'],
      ['XRANGE', 's', '-', '+'],
      ['XLEN', 's'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'],
      ['XACK', 's', 'g', '1-1'],
      ['XPENDING', 's', 'g'],
      ['EXISTS', 'k', 'k2'],
      ['MULTI'],
      ['SET', 'k3', 'v'],
      ['GET', 'k'],
      ['EXEC'],
      ['XDEL', 's', '1-1'],
      ['DEL', 'k'],
      ['PING'],
    ];

    async function run(port: number): Promise<unknown[]> {
      const c = await RawConnection.open(port);
      const out: unknown[] = [];
      try {
        await c.call('FLUSHALL');
        await c.call('SET', 'k', 'v');
        await c.call('XADD', 's', '1-1', 'f', 'v');
        await c.call('XGROUP', 'CREATE', 's', 'g', '0');
        expect(await c.call('CONFIG', 'SET', 'maxmemory', '1')).to.equal('OK');
        for (const cmd of underPressure) out.push(normalise(await c.call(...cmd)));
      } finally {
        await c.call('CONFIG', 'SET', 'maxmemory', '0');
        out.push(normalise(await c.call('SET', 'k2', 'after')));
        c.close();
      }
      return out;
    }

    it("refuses writes with \"-OOM command not allowed when used memory > 'maxmemory'.\" while reads and deletions work", async () => {
      const ours = await run(riv.port);
      const oom = { error: "OOM command not allowed when used memory > 'maxmemory'." };
      expect(ours[0]).to.deep.equal(oom); // SET
      expect(ours[1]).to.deep.equal(oom); // XADD
      expect(ours[5]).to.equal('v'); // GET
      expect(ours[6]).to.deep.equal([['1-1', ['f', 'v']]]); // XRANGE
      expect(ours[18]).to.equal('PONG');
      expect(ours[ours.length - 1]).to.equal('OK'); // writes work again once the pressure is gone
    });

    it('EXEC of a transaction with a write, when memory ran over after queueing, is aborted with the reason, as in redis-server', async function () {
      const servers = [riv.port, ...(redis ? [redis.port] : [])];
      const results: unknown[][] = [];
      for (const port of servers) {
        const c = await RawConnection.open(port);
        const admin = await RawConnection.open(port);
        try {
          const out: unknown[] = [];
          for (const cmd of [['MULTI'], ['SET', 'tx', '1'], ['GET', 'tx']]) out.push(normalise(await c.call(...cmd)));
          await admin.call('CONFIG', 'SET', 'maxmemory', '1');
          out.push(normalise(await c.call('EXEC')));
          out.push(normalise(await c.call('GET', 'tx')));
          results.push(out);
        } finally {
          await admin.call('CONFIG', 'SET', 'maxmemory', '0');
          c.close();
          admin.close();
        }
      }
      expect(results[0]).to.deep.equal([
        'OK',
        'QUEUED',
        'QUEUED',
        { error: "EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'." },
        null,
      ]);
      if (results.length > 1) expect(results[0]).to.deep.equal(results[1]);
    });

    it('inside MULTI queues reads and refuses only denyoom commands, as Redis 7.4 (7.0 refused every queued command)', async () => {
      const ours = await run(riv.port);
      const at = (cmd: string): unknown => ours[underPressure.findIndex((s) => s.join(' ') === cmd)];
      expect(at('SET k3 v')).to.deep.equal({ error: "OOM command not allowed when used memory > 'maxmemory'." });
      expect(at('GET k')).to.equal('v'); // the GET before MULTI
      const inMulti = underPressure.indexOf(underPressure.find((s) => s[0] === 'MULTI')!);
      expect(ours[inMulti + 2]).to.equal('QUEUED'); // GET k inside MULTI
      expect(ours[inMulti + 3]).to.deep.equal({ error: 'EXECABORT Transaction discarded because of previous errors.' });
    });

    it('answers the whole script exactly as redis-server with maxmemory 1 and noeviction', async function () {
      if (!redis) return this.skip(); // reason: redis-server is not installed
      const ours = await run(riv.port);
      const theirs = await run(redis.port);
      for (let i = 0; i < ours.length; i++) {
        const label = i < underPressure.length ? underPressure[i].join(' ') : 'SET k2 after (maxmemory 0)';
        // Redis 7.0 refused every command queued under memory pressure (GET k inside MULTI); 7.4 queues it.
        if (!ORACLE_AT_LEAST_7_4 && label === 'GET k' && ours[i] === 'QUEUED') continue;
        expect(ours[i], label).to.deep.equal(theirs[i]);
      }
    });
  });
});
