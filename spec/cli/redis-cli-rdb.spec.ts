/**
 * `redis-cli --rdb <file>` and `--functions-rdb <file>` (Debian's redis-cli)
 * download a snapshot from rivulet through REPLCONF rdb-only / SYNC, and the
 * file loads back into rivulet (and into redis-server 7.2+, which reads RDB
 * 12) with the same keys and function libraries. The REPLCONF / SYNC / PSYNC
 * replies are compared with redis-server's where a client can see them.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { startRivulet, startRedis, tmpDir, rmrf, RawConnection, HAVE_REDIS_CLI, ORACLE_AT_LEAST_7_2, type Reply, runCommands, runProgram } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';
import { readRdb } from '../../lib/rdb/file.js';

type Cmd = (string | number)[];

const LIB = "#!lua name=mylib\nredis.register_function('echo1', function(keys, args) return args[1] end)";

const POPULATION: Cmd[] = [
  ['SET', 'str', 'hello'],
  ['SET', 'vol', 'v', 'PXAT', '4102444800000'],
  ['SADD', 'ints', '3', '1', '2'],
  ['SADD', 'words', 'b', 'a'],
  ['ZADD', 'z', '1.5', 'a', '2', 'b'],
  ['HSET', 'h', 'f', 'v'],
  ['RPUSH', 'l', 'x', 'y'],
  ['XADD', 's', '1-1', 'f', 'v'],
  ['XGROUP', 'CREATE', 's', 'g', '0'],
  ['SELECT', '2'],
  ['SET', 'in2', 'x'],
  ['SELECT', '0'],
  ['FUNCTION', 'LOAD', LIB],
];

function cli(args: string[], timeoutMs = 20000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runProgram('redis-cli', args, { timeoutMs });
}

/** db → key → DUMP payload body (hex, footer cut) and PEXPIRETIME, plus the function libraries' code. */
async function contents(port: number): Promise<unknown> {
  const c = await RawConnection.open(port, true);
  const out: Record<string, unknown> = {};
  try {
    for (const db of [0, 2]) {
      await c.call('SELECT', db);
      for (const k of ((await c.call('KEYS', '*')) as Buffer[]).map(String).sort()) {
        const p = (await c.call('DUMP', k)) as Buffer;
        out[`${db}/${k}`] = [p.subarray(0, p.length - 10).toString('hex'), await c.call('PEXPIRETIME', k)];
      }
    }
    await c.call('SELECT', 0);
    out.fcall = String(await c.call('FCALL', 'echo1', 0, 'hi'));
  } finally {
    c.close();
  }
  return out;
}

/** What an RDB file holds: keys per database and function library codes. */
function inventory(file: string): { keys: string[]; functions: string[] } {
  const keys: string[] = [];
  const functions: string[] = [];
  readRdb(fs.readFileSync(file), { checksum: true, databases: 16, onKey: (k) => keys.push(`${k.db}/${k.key}`), onFunction: (code) => functions.push(code.toString()) });
  return { keys: keys.sort(), functions };
}

/** A raw connection that collects every byte the server sends until it closes (or `ms` pass). */
function rawExchange(port: number, request: string, ms = 5000): Promise<{ data: Buffer; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1', () => s.write(request));
    const t = setTimeout(() => {
      s.destroy();
      resolve({ data: Buffer.concat(chunks), closed: false });
    }, ms);
    s.on('data', (d) => chunks.push(d));
    s.on('error', reject);
    s.on('close', () => {
      clearTimeout(t);
      resolve({ data: Buffer.concat(chunks), closed: true });
    });
  });
}

describe('redis-cli --rdb against rivulet', function () {
  this.timeout(60000);
  let riv: RivuletServer;
  let dir: string;
  before(function () {
    if (!HAVE_REDIS_CLI) this.skip(); // redis-cli is not installed (CI installs redis-tools)
  });
  beforeEach(async () => {
    dir = tmpDir('rivulet-cli-rdb-');
    riv = await startRivulet({ save: '' });
    await runCommands(riv.port, POPULATION);
  });
  afterEach(async () => {
    await riv?.close();
    rmrf(dir);
  });

  it('--rdb writes a snapshot that loads into rivulet (and redis-server 7.2+) with the same keys and functions', async () => {
    const file = path.join(dir, 'snap.rdb');
    const r = await cli(['-p', String(riv.port), '--rdb', file]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.contain('sending REPLCONF rdb-only 1\n');
    expect(r.stderr).to.match(/SYNC sent to master, writing \d+ bytes to '.*snap\.rdb'\n/);
    expect(r.stderr).to.contain('Transfer finished with success.\n');
    expect(inventory(file)).to.deep.equal({
      keys: ['0/h', '0/ints', '0/l', '0/s', '0/str', '0/vol', '0/words', '0/z', '2/in2'],
      functions: [LIB],
    });
    const want = await contents(riv.port); // (the server keeps serving after the snapshot connection closed)
    const loadDir = tmpDir('rivulet-cli-rdb-load-');
    try {
      fs.copyFileSync(file, path.join(loadDir, 'dump.rdb'));
      const again = await startRivulet({ dir: loadDir, appendonly: 'no', save: '' });
      try {
        expect(await contents(again.port)).to.deep.equal(want);
      } finally {
        await again.close();
      }
      if (ORACLE_AT_LEAST_7_2) {
        const o = await startRedis(['--dir', loadDir, '--dbfilename', 'dump.rdb']);
        try {
          expect(await contents(o.port)).to.deep.equal(want);
        } finally {
          await o.stop();
        }
      }
    } finally {
      rmrf(loadDir);
    }
  });

  it('--functions-rdb writes only the function libraries', async () => {
    const file = path.join(dir, 'functions.rdb');
    const r = await cli(['-p', String(riv.port), '--functions-rdb', file]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.contain('sending REPLCONF rdb-filter-only functions\n');
    expect(r.stderr).to.contain('Transfer finished with success.\n');
    expect(inventory(file)).to.deep.equal({ keys: [], functions: [LIB] });
  });

  it('PSYNC after REPLCONF rdb-only 1 answers +FULLRESYNC and the image, then closes; PSYNC without it is refused', async () => {
    const { data, closed } = await rawExchange(riv.port, 'REPLCONF rdb-only 1\r\nPSYNC ? -1\r\n');
    expect(closed).to.equal(true);
    const m = /^\+OK\r\n\+FULLRESYNC ([0-9a-f]{40}) 0\r\n\$(\d+)\r\n/.exec(data.toString('latin1'));
    expect(m, data.subarray(0, 120).toString('latin1')).to.not.equal(null);
    const image = data.subarray(m![0].length);
    expect(image.length).to.equal(Number(m![2]));
    expect(image.subarray(0, 9).toString('latin1')).to.equal('REDIS0012');
    const c = await RawConnection.open(riv.port);
    try {
      const info = String(await c.call('INFO', 'replication'));
      expect(info).to.contain(`master_replid:${m![1]}\r\n`);
      expect(((await c.call('PSYNC', '?', '-1')) as Error).message).to.equal(
        'ERR rivulet cannot be replicated: only snapshots are served (REPLCONF rdb-only 1, then SYNC or PSYNC, as redis-cli --rdb does)',
      );
    } finally {
      c.close();
    }
  });

  it('REPLCONF and PSYNC argument errors are redis-server\'s', async () => {
    const o = await startRedis();
    const a = await RawConnection.open(riv.port);
    const b = await RawConnection.open(o.port);
    try {
      const cmds: Cmd[] = [
        ['REPLCONF'],
        ['REPLCONF', 'rdb-only'],
        ['REPLCONF', 'rdb-only', '5'],
        ['REPLCONF', 'rdb-only', 'x'],
        ['REPLCONF', 'rdb-only', '0'],
        ['REPLCONF', 'bogus', '1'],
        ['REPLCONF', 'rdb-filter-only', 'keys'],
        ['REPLCONF', 'rdb-filter-only', 'functions'],
        ['REPLCONF', 'listening-port', 'x'],
        ['REPLCONF', 'listening-port', '6380', 'capa', 'eof', 'capa', 'psync2', 'ip-address', '1.2.3.4'],
        ['PSYNC'],
        ['PSYNC', 'a', 'b'],
        ['SYNC', 'x'],
        ['MULTI'],
        ['SYNC'],
        ['DISCARD'],
      ];
      for (const cmd of cmds) {
        const x: Reply = await a.call(...cmd);
        const y: Reply = await b.call(...cmd);
        const show = (v: Reply): string => (v instanceof Error ? `error ${v.message}` : JSON.stringify(v));
        expect(show(x), cmd.join(' ')).to.equal(show(y));
      }
    } finally {
      a.close();
      b.close();
      await o.stop();
    }
  });
});
