/**
 * Footprint workloads (issue 20, "Resources"): what rivulet holds for things
 * Redis holds compactly, measured side by side with redis-server.
 *
 * - 10,000 idle connections: RSS growth per connection (and the total RSS).
 * - 1M small keys (`SET key:N value:N`, DEBUG POPULATE's shape): live bytes
 *   and RSS growth per key.
 * - One MULTI with 1M queued `XADD s * f v`: RSS growth while queued (Redis
 *   keeps each queued command's argv).
 * - One XADD of 100,000 field-value pairs while another client PINGs every
 *   millisecond: the longest PING round trip during the XADD (the stall
 *   every other client sees).
 *
 * Memory is read as in workloads.ts: rivulet's live bytes after a full GC
 * (bench/memprobe.ts), Redis's used_memory; RSS from INFO for Redis and,
 * for rivulet, right after that full GC (the garbage of the fill itself is
 * not what the server holds).
 */
import net from 'node:net';
import { encodeCommand } from './resp.js';
import { startServer, sleep, type Kind, type Running } from './servers.js';
import { memorySnapshot, MEMPROBE, cmd as cmdOn, WorkloadError, type Figures, type Sizes, type StartListener } from './workloads.js';

const probeFlags = (kind: Kind): string[] | undefined => (kind === 'rivulet' ? ['--expose-gc', '--import', MEMPROBE] : undefined);

async function withProbe<T>(kind: Kind, extraArgs: string[], onStart: StartListener, fn: (s: Running) => Promise<T>): Promise<T> {
  const s = await startServer(kind, { nodeFlags: probeFlags(kind), extraArgs });
  onStart(kind, s);
  try {
    return await fn(s);
  } finally {
    await s.stop();
  }
}

function connectRaw(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.off('error', reject);
      s.on('error', () => {});
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** 10,000 idle connections (each sent one PING, as a client library's first command). */
export async function idleConnections(kind: Kind, sz: Sizes, onStart: StartListener): Promise<Figures> {
  const n = sz.idleConnections;
  return withProbe(kind, ['--maxclients', String(n + 100)], onStart, async (s) => {
    await sleep(200);
    const before = await memorySnapshot(s, true);
    const socks: net.Socket[] = [];
    try {
      for (let i = 0; i < n; i += 250) {
        const batch = await Promise.all(Array.from({ length: Math.min(250, n - i) }, () => connectRaw(s.port)));
        // One round trip each, so the server has made its per-client state (reply path included).
        await Promise.all(
          batch.map(
            (sock) =>
              new Promise<void>((resolve) => {
                sock.once('data', () => resolve());
                sock.write('*1\r\n$4\r\nPING\r\n');
              }),
          ),
        );
        socks.push(...batch);
      }
      const info = String(await cmdOn(s.port, ['INFO', 'clients']));
      const connected = Number(/connected_clients:(\d+)/.exec(info)?.[1]);
      if (connected < n) throw new WorkloadError(`only ${connected} clients connected`);
      await sleep(1000);
      const after = await memorySnapshot(s, true);
      return {
        conn_rss_total: after.rss / 1048576,
        conn_rss_per: (after.rss - before.rss) / n,
        conn_live_per: (after.live - before.live) / n,
      };
    } finally {
      for (const sock of socks) sock.destroy();
    }
  });
}

/**
 * Writes `count` commands made by `make(i)` on one connection, pipelined in
 * batches, after `first` (a command whose reply is `firstReply`); resolves
 * when every reply arrived, each checked to be `expectReply`. Returns the
 * open connection (the caller closes it).
 */
async function pipeline(port: number, count: number, make: (i: number) => Buffer, expectReply: Buffer, first?: [Buffer, Buffer]): Promise<net.Socket> {
  const sock = await connectRaw(port);
  try {
    let got = 0;
    let tail: Buffer = Buffer.alloc(0);
    if (first) {
      sock.write(first[0]);
      tail = await new Promise<Buffer>((resolve, reject) => {
        let acc = Buffer.alloc(0);
        const onData = (d: Buffer): void => {
          acc = Buffer.concat([acc, d]);
          if (acc.length < first[1].length) return;
          sock.off('data', onData);
          if (!acc.subarray(0, first[1].length).equals(first[1])) reject(new WorkloadError(`unexpected reply ${JSON.stringify(acc.toString('latin1').slice(0, 80))}`));
          else resolve(acc.subarray(first[1].length));
        };
        sock.on('data', onData);
      });
    }
    let fail: Error | null = null;
    const done = new Promise<void>((resolve, reject) => {
      sock.on('data', (d: Buffer) => {
        // Every reply is the same short line: count them, checking each.
        let buf: Buffer = tail.length ? Buffer.concat([tail, d]) : d;
        let p = 0;
        while (buf.length - p >= expectReply.length) {
          if (buf.compare(expectReply, 0, expectReply.length, p, p + expectReply.length) !== 0) {
            fail = new WorkloadError(`unexpected reply ${JSON.stringify(buf.subarray(p, p + 80).toString('latin1'))}`);
            sock.destroy();
            return reject(fail);
          }
          p += expectReply.length;
          got++;
        }
        buf = buf.subarray(p);
        tail = Buffer.from(buf);
        if (got === count) resolve();
      });
      sock.once('close', () => reject(fail ?? new WorkloadError(`connection closed after ${got} replies`)));
    });
    const BATCH = 1000;
    for (let i = 0; i < count; i += BATCH) {
      const parts: Buffer[] = [];
      for (let j = i; j < Math.min(count, i + BATCH); j++) parts.push(make(j));
      if (!sock.write(Buffer.concat(parts))) await new Promise((r) => sock.once('drain', r));
      // Keep at most ~50k commands in flight, as a client would.
      while (i - got > 50_000) await sleep(1);
    }
    await done;
    return sock;
  } catch (err) {
    sock.destroy();
    throw err;
  }
}

/** 1M small keys: SET key:N value:N. */
export async function smallKeys(kind: Kind, sz: Sizes, onStart: StartListener): Promise<Figures> {
  const n = sz.smallKeys;
  return withProbe(kind, [], onStart, async (s) => {
    await sleep(200);
    const before = await memorySnapshot(s, true);
    (await pipeline(s.port, n, (i) => encodeCommand(['SET', `key:${i}`, `value:${i}`]), Buffer.from('+OK\r\n'))).destroy();
    const size = (await cmdOn(s.port, ['DBSIZE'])) as number;
    if (size !== n) throw new WorkloadError(`DBSIZE ${size}, expected ${n}`);
    await sleep(1000);
    const after = await memorySnapshot(s, true);
    return {
      keys_live_per: (after.live - before.live) / n,
      keys_rss_per: (after.rss - before.rss) / n,
      keys_rss_total: after.rss / 1048576,
    };
  });
}

/** One MULTI with 1M queued XADDs, measured before EXEC (then DISCARDed). */
export async function queuedMulti(kind: Kind, sz: Sizes, onStart: StartListener): Promise<Figures> {
  const n = sz.queuedCommands;
  return withProbe(kind, [], onStart, async (s) => {
    await sleep(200);
    const before = await memorySnapshot(s, true);
    const xadd = encodeCommand(['XADD', 's', '*', 'f', 'v']);
    const sock = await pipeline(s.port, n, () => xadd, Buffer.from('+QUEUED\r\n'), [encodeCommand(['MULTI']), Buffer.from('+OK\r\n')]);
    await sleep(500);
    const after = await memorySnapshot(s, true);
    sock.destroy();
    return { multi_rss_total: after.rss / 1048576, multi_rss_per: (after.rss - before.rss) / n, multi_live_per: (after.live - before.live) / n };
  });
}

/** One XADD of 100,000 field-value pairs; another client PINGs every millisecond. */
export async function bigXadd(kind: Kind, sz: Sizes, onStart: StartListener): Promise<Figures> {
  const fields = sz.bigXaddFields;
  return withProbe(kind, [], onStart, async (s) => {
    const args: string[] = ['XADD', 'big', '*'];
    for (let i = 0; i < fields; i++) args.push(`field:${i}`, `value:${i}`);
    const payload = encodeCommand(args);
    const pinger = await connectRaw(s.port);
    const writer = await connectRaw(s.port);
    try {
      let worst = 0;
      let stop = false;
      const pings = (async () => {
        while (!stop) {
          const t = process.hrtime.bigint();
          await new Promise<void>((resolve) => {
            pinger.once('data', () => resolve());
            pinger.write('*1\r\n$4\r\nPING\r\n');
          });
          worst = Math.max(worst, Number(process.hrtime.bigint() - t) / 1e6);
          await sleep(1);
        }
      })();
      await sleep(200);
      worst = 0;
      const t0 = process.hrtime.bigint();
      const reply = await new Promise<string>((resolve) => {
        let got = '';
        writer.on('data', (d: Buffer) => {
          got += d.toString('latin1');
          if (got.endsWith('\r\n')) resolve(got);
        });
        writer.write(payload);
      });
      const xaddMs = Number(process.hrtime.bigint() - t0) / 1e6;
      await sleep(100);
      stop = true;
      await pings;
      if (!/^\$\d+\r\n\d+-\d+\r\n$/.test(reply)) throw new WorkloadError(`XADD replied ${JSON.stringify(reply.slice(0, 80))}`);
      return { bigxadd_stall: worst, bigxadd_ms: xaddMs };
    } finally {
      pinger.destroy();
      writer.destroy();
    }
  });
}
