/**
 * Two servers in one process with different encoding limits: each DUMP,
 * RESTORE, SAVE and load uses its own server's live config (nothing is kept
 * in module state, so one server's commands cannot change how the other
 * encodes or decodes, not even in the middle of a background save).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startRivulet, tmpDir, rmrf, RawConnection, sleep } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

type Cmd = (string | number | Buffer)[];

describe('RDB encoding limits per server', function () {
  this.timeout(60000);
  let a: RivuletServer;
  let b: RivuletServer;
  let ca: RawConnection;
  let cb: RawConnection;
  let dir: string;

  beforeEach(async () => {
    dir = tmpDir('rivulet-limits-');
    a = await startRivulet({
      dir,
      appendonly: 'no',
      save: '',
      'list-max-listpack-size': '4',
      'hash-max-listpack-entries': '2',
      'set-max-intset-entries': '2',
      'set-max-listpack-entries': '2',
      'zset-max-listpack-entries': '2',
    });
    b = await startRivulet({ save: '' });
    ca = await RawConnection.open(a.port, true);
    cb = await RawConnection.open(b.port, true);
  });
  afterEach(async () => {
    ca.close();
    cb.close();
    await a.close();
    await b.close();
    rmrf(dir);
  });

  async function run(c: RawConnection, ...cmds: Cmd[]): Promise<void> {
    for (const cmd of cmds) {
      const r = await c.call(...cmd);
      if (r instanceof Error) throw new Error(`${cmd.join(' ')}: ${r.message}`);
    }
  }

  it('the same payloads restore with each server\'s own encodings', async () => {
    await run(cb, ['SADD', 'ints', '1', '2', '3'], ['SADD', 'words', 'a', 'b', 'c'], ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'], ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f']);
    const expected: Record<string, [string, string]> = {
      ints: ['hashtable', 'intset'],
      words: ['hashtable', 'listpack'],
      z: ['skiplist', 'listpack'],
      h: ['hashtable', 'listpack'],
      l: ['quicklist', 'listpack'],
    };
    for (const [k, [onA, onB]] of Object.entries(expected)) {
      const p = (await cb.call('DUMP', k)) as Buffer;
      // Alternate between the servers: each RESTORE reads its own server's limits.
      expect(String(await ca.call('RESTORE', k, 0, p)), k).to.equal('OK');
      expect(String(await cb.call('RESTORE', `${k}-copy`, 0, p)), k).to.equal('OK');
      expect(String(await ca.call('OBJECT', 'ENCODING', k)), k).to.equal(onA);
      expect(String(await cb.call('OBJECT', 'ENCODING', `${k}-copy`)), k).to.equal(onB);
    }
  });

  it('a background save cuts quicklist nodes by its own server\'s list-max-listpack-size while the other server dumps lists', async () => {
    // Enough data before the list that the save takes many event-loop turns.
    const filler = 'f'.repeat(1000);
    for (let i = 0; i < 30; i++) {
      const cmd: Cmd = ['MSET'];
      for (let j = 0; j < 1000; j++) cmd.push(`filler:${i}:${j}`, filler);
      await run(ca, cmd);
    }
    const push: Cmd = ['RPUSH', 'list'];
    for (let i = 0; i < 1000; i++) push.push(`element-${i}`);
    await run(ca, push);
    await run(cb, push);
    const dumpA = (await ca.call('DUMP', 'list')) as Buffer;
    const dumpB = (await cb.call('DUMP', 'list')) as Buffer;
    expect(dumpA.equals(dumpB)).to.equal(false); // 4 elements per node against 8 KB nodes
    expect(String(await ca.call('BGSAVE'))).to.equal('Background saving started');
    let dumpsDuringSave = 0;
    for (let i = 0; i < 2000; i++) {
      const info = String(await ca.call('INFO', 'persistence'));
      if (info.includes('rdb_bgsave_in_progress:0')) break;
      expect(((await cb.call('DUMP', 'list')) as Buffer).equals(dumpB)).to.equal(true);
      dumpsDuringSave++;
      await sleep(1);
    }
    expect(dumpsDuringSave, 'the other server ran commands while the save was going on').to.be.greaterThan(0);
    const file = fs.readFileSync(path.join(dir, 'dump.rdb'));
    // The file holds the list exactly as DUMP on its own server encodes it (payload minus type byte and footer).
    expect(file.includes(dumpA.subarray(1, dumpA.length - 10))).to.equal(true);
  });
});
