/**
 * Shared set-up for the keyspace, string and transaction specs: one rivulet
 * and one redis-server oracle per describe block, an ioredis client, a raw
 * RESP2 connection, and taps on what the server propagates to the AOF and
 * the keyspace events it fires.
 */
import type { Redis } from 'ioredis';
import { connect, RawConnection, startRedis, startRivulet, differential, type ExternalServer, type Step, type DifferentialOptions } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';
import type { AofSink } from '../../../lib/engine/engine.js';

export interface Servers {
  rivulet: RivuletServer;
  port: number;
  oracle: ExternalServer;
  /** ioredis (no ready check: it would need INFO). */
  redis: Redis;
  raw: RawConnection;
  /** Commands propagated since the last test began, as space-joined strings (`MULTI`/`EXEC` included). */
  propagated: string[];
  /** Keyspace events fired since the last test began, as `class:event:key:db`. */
  events: string[];
  /** Runs a script on both servers and requires identical replies. */
  diff(script: Step[], options?: DifferentialOptions): Promise<void>;
}

export function useServers(): Servers {
  const s = { propagated: [], events: [] } as unknown as Servers;
  before(async () => {
    s.rivulet = await startRivulet();
    s.port = s.rivulet.port;
    s.oracle = await startRedis();
    s.redis = connect(s.port, { enableReadyCheck: false });
    s.raw = await RawConnection.open(s.port);
    const sink: AofSink = {
      feed: (_db, argvs) => {
        // The command name's case is the client's choice (ioredis sends lower case): compare it upper-cased.
        for (const a of argvs) s.propagated.push(a.map((b, i) => (i === 0 ? b.toString('latin1').toUpperCase() : b.toString('latin1'))).join(' '));
      },
      writeError: () => null,
      close: async () => {},
    };
    s.rivulet.server.aof = sink;
    s.rivulet.server.notifier = (cls, ev, key, db) => {
      s.events.push(`${cls}:${ev}:${key}:${db}`);
    };
    s.diff = (script, options) => differential(s.port, s.oracle.port, script, options);
  });
  beforeEach(async () => {
    await s.raw.call('FLUSHALL');
    s.propagated.length = 0;
    s.events.length = 0;
  });
  after(async () => {
    s.redis.disconnect();
    s.raw.close();
    await s.rivulet.close();
    await s.oracle.stop();
  });
  return s;
}

/** Error reply text from a RawConnection reply. */
export function errorText(r: unknown): string {
  if (!(r instanceof Error)) throw new Error(`expected an error reply, got ${JSON.stringify(r)}`);
  return r.message;
}

/**
 * The raw bytes of the replies to `commands` on a fresh RESP3 connection
 * (after HELLO 3, whose reply is cut off), for asserting RESP3 wire types.
 */
export async function resp3Replies(port: number, commands: (string | number)[][]): Promise<string> {
  const { encodeCommand } = await import('../../helpers.js');
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    let timer: NodeJS.Timeout | null = null;
    sock.on('error', reject);
    sock.on('data', (d) => {
      data += d.toString('latin1');
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        sock.destroy();
        // The HELLO reply is a map: skip to after its last field (`modules` is an empty array, last in the map).
        const marker = '$7\r\nmodules\r\n*0\r\n';
        const at = data.indexOf(marker);
        resolve(at === -1 ? data : data.slice(at + marker.length));
      }, 100);
    });
    sock.write(Buffer.concat([encodeCommand(['HELLO', 3]), ...commands.map((c) => encodeCommand(c))]));
  });
}
