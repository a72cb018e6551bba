/**
 * The operator commands: MONITOR, SLOWLOG, LATENCY (+ INFO latencystats),
 * MODULE and MEMORY STATS/DOCTOR/MALLOC-STATS/PURGE. Differential against
 * redis-server where the reply is deterministic; times, durations and ports
 * are masked, each marked.
 */
import { expect } from 'chai';
import { startRivulet, startRedis, HAVE_REDIS, ORACLE_AT_LEAST_7_2, RawConnection, normalise, type ExternalServer } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';
import { Session } from './operator.fixture.js';

/** [k1, v1, k2, v2] → [[k1, v1], [k2, v2]] (a RESP2 map). */
function chunk(a: unknown[]): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (let i = 0; i < a.length; i += 2) out.push([String(a[i]), a[i + 1]]);
  return out;
}

describe('operator commands', function () {
  this.timeout(30_000);
  let server: RivuletServer;
  let oracle: ExternalServer | null = null;
  before(async () => {
    server = await startRivulet();
    if (HAVE_REDIS) oracle = await startRedis(['--enable-debug-command', 'yes']);
  });
  after(async () => {
    await server.close();
    await oracle?.stop();
  });

  /** The same commands on both servers, replies normalised by `mask` (for times, ids, ports), compared. */
  async function same(cmds: (string | number)[][], mask: (r: unknown, i: number) => unknown = (r) => r): Promise<unknown[]> {
    const run = async (port: number): Promise<unknown[]> => {
      const c = await RawConnection.open(port);
      try {
        const out: unknown[] = [];
        for (let i = 0; i < cmds.length; i++) out.push(mask(normalise(await c.call(...cmds[i])), i));
        return out;
      } finally {
        c.close();
      }
    };
    const ours = await run(server.port);
    if (oracle) {
      // addReplyHelp's last line is "Print this help." since Redis 7.2 (7.0: "Prints this help."); rivulet follows 7.4.
      const theirs = JSON.parse(JSON.stringify(await run(oracle.port)).replaceAll('    Prints this help.', '    Print this help.'));
      expect(ours).to.deep.equal(theirs);
    }
    return ours;
  }

  describe('MONITOR', () => {
    /** A MONITOR line with the time and the client port masked (they differ between servers and runs). */
    const maskLine = (s: string): string => s.replace(/^\+\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]/gm, '+T [$1 127.0.0.1:P]');

    it('streams each command as +<secs.usecs> [<db> <ip:port>] "arg" ..., quoted like sdscatrepr, with the db after SELECT', async () => {
      const run = async (port: number): Promise<string> => {
        const s = await Session.open(port, 2);
        try {
          expect(await s.call(0, 'MONITOR')).to.equal('+OK\r\n');
          await s.call(1, 'SET', 'k', 'a "b"\n\x01');
          await s.call(1, 'SELECT', 2);
          await s.call(1, 'GET', 'k');
          await s.call(1, 'CONFIG', 'GET', 'hz'); // admin: not shown
          await s.call(1, 'MULTI');
          await s.call(1, 'INCR', 'n');
          await s.call(1, 'EXEC');
          return s.take(0);
        } finally {
          s.close();
        }
      };
      const ours = await run(server.port);
      expect(ours).to.match(/^\+\d{10}\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "k" "a \\"b\\"\\n\\x01"\r\n/);
      expect(maskLine(ours)).to.equal(
        '+T [0 127.0.0.1:P] "SET" "k" "a \\"b\\"\\n\\x01"\r\n' +
          '+T [2 127.0.0.1:P] "SELECT" "2"\r\n' +
          '+T [2 127.0.0.1:P] "GET" "k"\r\n' +
          '+T [2 127.0.0.1:P] "MULTI"\r\n' +
          '+T [2 127.0.0.1:P] "INCR" "n"\r\n' +
          '+T [2 127.0.0.1:P] "EXEC"\r\n',
      );
      // Redis 7.0 fed MONITOR before running the command (SELECT shows the old db); 7.2+ after, as rivulet.
      const theirs = oracle ? maskLine(await run(oracle.port)) : null;
      if (theirs !== null) {
        expect(maskLine(ours)).to.equal(ORACLE_AT_LEAST_7_2 ? theirs : theirs.replace('[0 127.0.0.1:P] "SELECT"', '[2 127.0.0.1:P] "SELECT"'));
      }
    });

    it('AUTH arguments are redacted', async () => {
      const s = await Session.open(server.port, 2);
      try {
        await s.call(0, 'MONITOR');
        await s.call(1, 'AUTH', 'secret');
        expect(maskLine(s.take(0))).to.equal('+T [0 127.0.0.1:P] "AUTH" "(redacted)"\r\n');
      } finally {
        s.close();
      }
    });
  });

  describe('SLOWLOG', () => {
    /** Entry fields that vary: id, time, duration, client port. */
    const maskEntries = (r: unknown): unknown =>
      Array.isArray(r) ? r.map((e) => (Array.isArray(e) && e.length === 6 ? ['ID', 'T', 'D', e[3], String(e[4]).replace(/:\d+$/, ':P'), e[5]] : e)) : r;

    it('logs commands over slowlog-log-slower-than, newest first, with capped arguments, and LEN/RESET/HELP like Redis', async () => {
      const many = Array.from({ length: 40 }, (_, i) => `a${i}`);
      const out = await same(
        [
          ['CONFIG', 'SET', 'slowlog-log-slower-than', '0'],
          ['SLOWLOG', 'RESET'],
          ['CLIENT', 'SETNAME', 'op'],
          ['SET', 'k', 'x'.repeat(200)],
          ['DEL', ...many],
          ['SLOWLOG', 'GET', 3],
          ['SLOWLOG', 'LEN'],
          ['SLOWLOG', 'GET', -2],
          ['SLOWLOG', 'GET', 'x'],
          ['SLOWLOG', 'GET', 1, 2],
          ['SLOWLOG', 'HELP'],
          ['CONFIG', 'SET', 'slowlog-log-slower-than', '-1'],
          ['SLOWLOG', 'RESET'],
          ['GET', 'k'],
          ['SLOWLOG', 'LEN'],
          ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'],
        ],
        (r, i) => (i === 5 ? maskEntries(r) : r),
      );
      const entries = out[5] as unknown[][];
      expect(entries[0][3]).to.deep.equal([...['DEL', ...many.slice(0, 30)], '... (10 more arguments)']);
      expect(entries[1][3]).to.deep.equal(['SET', 'k', 'x'.repeat(128) + '... (72 more bytes)']);
      expect(entries[0][5]).to.equal('op');
      expect(out[6]).to.equal(5);
      expect(out[14]).to.equal(0);
    });
  });

  describe('SLOWLOG limits', () => {
    it('slowlog-max-len bounds the log (oldest dropped), GET defaults to 10 entries, -1 gives all, 0 none; max-len 0 turns logging off', async () => {
      // Redis 7.0 still trimmed to 0 entries at slowlog-max-len 0; 7.2+ stops logging and keeps them (rivulet follows 7.4).
      const out = await same(
        [
          ['CONFIG', 'SET', 'slowlog-log-slower-than', '0'],
          ['CONFIG', 'SET', 'slowlog-max-len', '12'],
          ['SLOWLOG', 'RESET'],
          ...Array.from({ length: 14 }, (_, i) => ['SET', `k${i}`, 'v']),
          ['SLOWLOG', 'LEN'],
          ['SLOWLOG', 'GET'],
          ['SLOWLOG', 'GET', -1],
          ['SLOWLOG', 'GET', 0],
          ['CONFIG', 'SET', 'slowlog-max-len', '2'],
          ['SLOWLOG', 'LEN'],
        ],
        // Entries: only the arguments (ids, times, durations and ports vary).
        (r, i) => (i === 18 || i === 19 ? (r as unknown[][]).map((e) => e[3]) : r),
      );
      expect(out[17]).to.equal(12);
      expect((out[18] as unknown[]).length).to.equal(10);
      expect((out[18] as unknown[])[0]).to.deep.equal(['SLOWLOG', 'LEN']);
      expect((out[19] as unknown[]).length).to.equal(12);
      expect(out[20]).to.deep.equal([]);
      expect(out[22]).to.equal(2);
      const off = [
        ['CONFIG', 'SET', 'slowlog-max-len', '0'],
        ['SET', 'x', 'y'],
        ['SLOWLOG', 'LEN'],
        ['CONFIG', 'SET', 'slowlog-max-len', '128'],
        ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'],
      ];
      const c = await RawConnection.open(server.port);
      try {
        const got: unknown[] = [];
        for (const cmd of off) got.push(await c.call(...cmd));
        expect(got).to.deep.equal(['OK', 'OK', 2, 'OK', 'OK']);
      } finally {
        c.close();
      }
      if (oracle && ORACLE_AT_LEAST_7_2) {
        const o = await RawConnection.open(oracle.port);
        try {
          const got: unknown[] = [];
          for (const cmd of off) got.push(await o.call(...cmd));
          expect(got).to.deep.equal(['OK', 'OK', 2, 'OK', 'OK']);
        } finally {
          o.close();
        }
      }
    });
  });

  describe('LATENCY', () => {
    it('HELP, LATEST, HISTORY, RESET and DOCTOR with monitoring off answer as Redis does', async () => {
      await same([
        ['LATENCY', 'HELP'],
        ['LATENCY', 'RESET'],
        ['LATENCY', 'LATEST'],
        ['LATENCY', 'HISTORY', 'command'],
        ['LATENCY', 'DOCTOR'],
        ['LATENCY', 'GRAPH', 'command'],
        ['LATENCY', 'NOSUCH'],
      ]);
    });

    it('with latency-monitor-threshold, a slow command is a sample of the "command" event', async () => {
      const out = await same(
        [
          ['CONFIG', 'SET', 'latency-monitor-threshold', '5'],
          ['LATENCY', 'RESET'],
          ['DEBUG', 'SLEEP', '0.02'],
          ['LATENCY', 'LATEST'],
          ['LATENCY', 'HISTORY', 'command'],
          ['LATENCY', 'RESET', 'command', 'nosuch'],
          ['LATENCY', 'LATEST'],
          ['CONFIG', 'SET', 'latency-monitor-threshold', '0'],
        ],
        // Times and milliseconds vary: keep the shape (event name, how many samples).
        (r, i) => (i === 3 ? (r as unknown[][]).map((e) => [e[0], typeof e[1], (e[2] as number) >= 20, (e[3] as number) >= 20]) : i === 4 ? (r as unknown[]).length : r),
      );
      expect(out[3]).to.deep.equal([['command', 'number', true, true]]);
      expect(out[5]).to.equal(1);
    });

    it('LATENCY HISTOGRAM: per command its calls and cumulative power-of-two buckets; a container name stands for its subcommands, unknown names are skipped', async () => {
      const shape = (r: unknown[]): unknown =>
        chunk(r).map(([name, v]) => {
          const [, calls, , hist] = v as [string, number, string, unknown[]];
          const bounds = hist.filter((_, i) => i % 2 === 0) as number[];
          const counts = hist.filter((_, i) => i % 2 === 1) as number[];
          // Bounds are Redis's (1, 2, 4, 8, 16, 33, 66, ...) and counts grow to the number of calls.
          const known = [1, 2, 4, 8, 16, 33, 66, 132, 264, 528, 1056, 2113, 4227, 8454, 16908, 33817, 67634, 135268];
          return [name, calls, bounds.every((b) => known.includes(b)), counts.every((n, i) => i === 0 || n > counts[i - 1]), counts[counts.length - 1] === calls];
        });
      const out = await same(
        [
          ['CONFIG', 'RESETSTAT'],
          ['SET', 'h', '1'],
          ['SET', 'h', '2'],
          ['GET', 'h'],
          ['CONFIG', 'GET', 'hz'],
          ['LATENCY', 'HISTOGRAM', 'set', 'nosuch', 'config|get', 'SET'],
        ],
        (r, i) => (i === 5 ? shape(r as unknown[]) : r),
      );
      expect(out[5]).to.deep.equal([
        ['set', 2, true, true, true],
        ['config|get', 1, true, true, true],
        ['set', 2, true, true, true],
      ]);
      // A container's name stands for its subcommands (Redis lists them in its hash order): CONFIG RESETSTAT was
      // timed after it reset the histograms, so it has one call too.
      const c = await RawConnection.open(server.port);
      try {
        const r = (await c.call('LATENCY', 'HISTOGRAM', 'config')) as unknown[];
        expect(chunk(r).map(([name]) => name).sort()).to.deep.equal(['config|get', 'config|resetstat']);
      } finally {
        c.close();
      }
    });

    it('INFO latencystats gives p50/p99/p99.9 per command while latency-tracking is on', async () => {
      const c = await RawConnection.open(server.port);
      try {
        await c.call('CONFIG', 'RESETSTAT');
        for (let i = 0; i < 20; i++) await c.call('SET', 'lt', i);
        const info = String(await c.call('INFO', 'latencystats'));
        expect(info).to.match(/^# Latencystats\r\n/);
        expect(info).to.match(/\r\nlatency_percentiles_usec_set:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n/);
        const hist = (await c.call('LATENCY', 'HISTOGRAM', 'set')) as unknown[];
        expect(hist[0]).to.equal('set');
        expect((hist[1] as unknown[]).slice(0, 2)).to.deep.equal(['calls', 20]);
        await c.call('CONFIG', 'SET', 'latency-tracking', 'no');
        await c.call('CONFIG', 'RESETSTAT');
        await c.call('SET', 'lt', 1);
        expect(String(await c.call('INFO', 'latencystats'))).to.equal('# Latencystats\r\n');
        await c.call('CONFIG', 'SET', 'latency-tracking', 'yes');
      } finally {
        c.close();
      }
    });
  });

  describe('MODULE', () => {
    it('LIST is empty, HELP and the refusal of LOAD/UNLOAD are Redis\'s', async () => {
      await same([['MODULE', 'LIST'], ['MODULE', 'HELP'], ['MODULE', 'LOAD', '/nonexistent/mod.so'], ['MODULE', 'UNLOAD', 'x'], ['MODULE', 'NOSUCH']]);
    });
  });

  describe('MEMORY STATS / DOCTOR / MALLOC-STATS / PURGE', () => {
    it('STATS has Redis 7.4\'s fields (V8 figures where Redis shows the allocator\'s)', async () => {
      const c = await RawConnection.open(server.port);
      try {
        await c.call('FLUSHALL');
        await c.call('SET', 'm', 'v');
        const r = (await c.call('MEMORY', 'STATS')) as unknown[];
        const names = r.filter((_, i) => i % 2 === 0);
        expect(names).to.include.members([
          'peak.allocated',
          'total.allocated',
          'startup.allocated',
          'clients.normal',
          'db.0',
          'overhead.total',
          'keys.count',
          'keys.bytes-per-key',
          'dataset.bytes',
          'allocator.allocated',
          'allocator.resident',
          'fragmentation',
        ]);
        const get = (k: string): unknown => r[r.indexOf(k) + 1];
        expect(get('keys.count')).to.equal(1);
        expect(get('startup.allocated')).to.equal(876000);
        expect(get('db.0')).to.deep.equal(['overhead.hashtable.main', 32, 'overhead.hashtable.expires', 0]);
      } finally {
        c.close();
      }
    });

    it('DOCTOR on a small instance, PURGE and MALLOC-STATS answer', async () => {
      await same([['MEMORY', 'DOCTOR'], ['MEMORY', 'PURGE']]);
      const c = await RawConnection.open(server.port);
      try {
        expect(String(await c.call('MEMORY', 'MALLOC-STATS'))).to.match(/^___ Begin V8 heap statistics ___\ntotal_heap_size: \d+\n/);
      } finally {
        c.close();
      }
    });
  });
});
