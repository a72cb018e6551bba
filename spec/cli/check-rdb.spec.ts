/** rivulet-check-rdb on files written by redis-server and by rivulet, intact and damaged. */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { expect } from 'chai';
import { ROOT, startRedis, startRivulet, tmpDir, rmrf, rawCommand } from '../helpers.js';

function check(file: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin', 'rivulet-check-rdb'), file], (err, stdout) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout });
    });
  });
}

describe('rivulet-check-rdb', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => {
    dir = tmpDir('rivulet-check-rdb-');
  });
  afterEach(() => rmrf(dir));

  it('reports a dump.rdb written by redis-server as OK, with its aux fields and key counts', async () => {
    const o = await startRedis();
    try {
      await rawCommand(o.port, ['SET', 'a', '1']);
      await rawCommand(o.port, ['SET', 'b', '2', 'PX', '100000']);
      await rawCommand(o.port, ['XADD', 's', '1-1', 'f', 'v']);
      await rawCommand(o.port, ['SADD', 'ints', '1', '2']);
      await rawCommand(o.port, ['SADD', 'big', ...Array.from({ length: 200 }, (_, i) => `m${i}`)]);
      await rawCommand(o.port, ['ZADD', 'z', '1.5', 'a']);
      await rawCommand(o.port, ['ZADD', 'zbig', ...Array.from({ length: 200 }, (_, i) => [String(i), `m${i}`]).flat()]);
      await rawCommand(o.port, ['FUNCTION', 'LOAD', "#!lua name=checklib\nredis.register_function('f1', function() return 1 end)"]);
      await rawCommand(o.port, ['SAVE']);
      fs.copyFileSync(path.join(o.dir, 'dump.rdb'), path.join(dir, 'dump.rdb'));
    } finally {
      await o.stop();
    }
    const r = await check(path.join(dir, 'dump.rdb'));
    expect(r.code).to.equal(0);
    expect(r.out).to.contain(`[offset 0] Checking RDB file ${path.join(dir, 'dump.rdb')}`);
    expect(r.out).to.match(/\[offset \d+\] AUX FIELD redis-ver = '\d+\.\d+\.\d+'/);
    expect(r.out).to.match(/\[offset \d+\] Selecting DB ID 0/);
    expect(r.out).to.contain('Checksum OK');
    expect(r.out).to.contain('\\o/ RDB looks OK! \\o/');
    expect(r.out).to.contain('[info] 7 keys read\n[info] 1 expires\n[info] 0 already expired\n');
    expect(r.out).to.contain('[info] 2 set keys\n[info] 1 stream keys\n[info] 2 string keys\n[info] 2 zset keys\n[info] 1 function library\n');
    expect(r.out).to.match(/\[offset \d+\] Function library checklib \(\d+ bytes\)/);
  });

  it('finds damage in a file rivulet wrote, and exits 1', async () => {
    const s = await startRivulet({ dir, appendonly: 'no', save: '' });
    try {
      await rawCommand(s.port, ['SET', 'k', 'x'.repeat(100)]);
      await rawCommand(s.port, ['SAVE']);
    } finally {
      await s.close();
    }
    const file = path.join(dir, 'dump.rdb');
    expect((await check(file)).code).to.equal(0);
    const buf = fs.readFileSync(file);
    fs.writeFileSync(file, buf.subarray(0, buf.length - 20));
    const r = await check(file);
    expect(r.code).to.equal(1);
    expect(r.out).to.contain('--- RDB ERROR DETECTED ---');
    expect(r.out).to.match(/\[additional info\] .*(EOF|LZF|RDB)/);
  });
});
