/**
 * Loading damaged AOF directories: a torn tail (a crash in the middle of an
 * append) is cut off with a warning; damage before the tail stops start-up
 * with the file, the offset and the reason. Also the record scanner itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startRivulet, tmpDir, rmrf, RawConnection, encodeCommand } from '../helpers.js';
import { scan } from '../../lib/persistence/resp.js';
import { parseManifest, formatManifest } from '../../lib/persistence/manifest.js';

const RECORDS = [
  ['SELECT', '0'],
  ['SET', 'a', '1'],
  ['SET', 'b', 'two'],
  ['SET', 'c', 'three'],
];
const LAST = ['SET', 'last', 'torn-value'];

function writeDir(dir: string, incr: Buffer): void {
  const d = path.join(dir, 'appendonlydir');
  fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(d, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
  fs.writeFileSync(path.join(d, 'appendonly.aof.1.base.aof'), '');
  fs.writeFileSync(path.join(d, 'appendonly.aof.1.incr.aof'), incr);
}

describe('AOF loading of damaged files', function () {
  this.timeout(60000);
  const head = Buffer.concat(RECORDS.map((r) => encodeCommand(r)));
  const last = encodeCommand(LAST);

  it('a torn last record, cut at any byte, is dropped and the file truncated; everything before it loads', async () => {
    const dir = tmpDir('rivulet-torn-');
    try {
      for (let cut = 1; cut < last.length; cut++) {
        writeDir(dir, Buffer.concat([head, last.subarray(0, cut)]));
        const srv = await startRivulet({ dir });
        const c = await RawConnection.open(srv.port);
        expect(await c.call('MGET', 'a', 'b', 'c', 'last'), `cut at ${cut}`).to.deep.equal(['1', 'two', 'three', null]);
        c.close();
        await srv.close();
        expect(fs.statSync(path.join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof')).size, `cut at ${cut}`).to.equal(head.length);
        rmrf(path.join(dir, 'appendonlydir'));
      }
    } finally {
      rmrf(dir);
    }
  });

  it('a transaction without its EXEC at the end of the file is reverted as a whole', async () => {
    const dir = tmpDir('rivulet-torn-');
    try {
      writeDir(dir, Buffer.concat([head, encodeCommand(['MULTI']), encodeCommand(['SET', 'tx1', 'x']), encodeCommand(['SET', 'tx2', 'y'])]));
      const srv = await startRivulet({ dir });
      const c = await RawConnection.open(srv.port);
      expect(await c.call('MGET', 'a', 'tx1', 'tx2')).to.deep.equal(['1', null, null]);
      c.close();
      await srv.close();
    } finally {
      rmrf(dir);
    }
  });

  it('a torn tail is refused when aof-load-truncated is no', async () => {
    const dir = tmpDir('rivulet-torn-');
    try {
      writeDir(dir, Buffer.concat([head, last.subarray(0, 7)]));
      let msg = '';
      await startRivulet({ dir, 'aof-load-truncated': 'no' }).then(
        (s) => s.close(),
        (e: Error) => (msg = e.message),
      );
      expect(msg, msg).to.match(/^Unexpected end of file reading the append only file appendonly\.aof\.1\.incr\.aof at offset 110 /);
    } finally {
      rmrf(dir);
    }
  });

  it('a damaged byte in any header of a record before the tail stops start-up with the file, offset and reason', async () => {
    const dir = tmpDir('rivulet-bad-');
    try {
      // Record 2 (SET b two): flip each byte of its headers and terminators.
      const start = encodeCommand(RECORDS[0]).length + encodeCommand(RECORDS[1]).length;
      const rec = encodeCommand(RECORDS[2]);
      const text = rec.toString('latin1');
      const structural: number[] = [];
      for (let i = 0; i < rec.length; i++) {
        const inPayload = /[a-z]/.test(text[i]) || (text[i] === 'S' || text[i] === 'E' || text[i] === 'T');
        if (!inPayload) structural.push(i);
      }
      expect(structural.length).to.be.greaterThan(15);
      for (const i of structural) {
        const buf = Buffer.concat([head, last]);
        buf[start + i] ^= 0xff;
        writeDir(dir, buf);
        let msg = '';
        await startRivulet({ dir }).then(
          (s) => s.close(),
          (e: Error) => (msg = e.message),
        );
        expect(msg, `byte ${i}`).to.match(/^Bad file format reading the append only file appendonly\.aof\.1\.incr\.aof at offset \d+: /);
        const offset = Number(/at offset (\d+)/.exec(msg)![1]);
        expect(offset, `byte ${i}`).to.be.within(start, start + rec.length);
        rmrf(path.join(dir, 'appendonlydir'));
      }
    } finally {
      rmrf(dir);
    }
  });

  it('a torn base followed by incr files is refused: only the last file may be truncated', async () => {
    const dir = tmpDir('rivulet-bad-');
    try {
      writeDir(dir, head);
      fs.writeFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.1.base.aof'), last.subarray(0, 10));
      let msg = '';
      await startRivulet({ dir }).then(
        (s) => s.close(),
        (e: Error) => (msg = e.message),
      );
      expect(msg).to.match(/^Unexpected end of file reading the append only file appendonly\.aof\.1\.base\.aof at offset 0 .*not the last file/);
    } finally {
      rmrf(dir);
    }
  });

  it('an unknown command in the AOF stops start-up naming it', async () => {
    const dir = tmpDir('rivulet-bad-');
    try {
      writeDir(dir, Buffer.concat([head, encodeCommand(['NOSUCHCMD', 'x'])]));
      let msg = '';
      await startRivulet({ dir }).then(
        (s) => s.close(),
        (e: Error) => (msg = e.message),
      );
      expect(msg).to.equal(
        `Unknown command 'NOSUCHCMD' reading the append only file appendonly.aof.1.incr.aof at offset ${head.length}. ` +
          'The files are left as they are. To load them anyway, skipping every record that fails, set aof-load-failed-records yes and restart.',
      );
    } finally {
      rmrf(dir);
    }
  });
});

describe('AOF record scanner and manifest', () => {
  it('scans complete records and reports where a torn record starts', () => {
    const buf = Buffer.concat([encodeCommand(['SET', 'a', '1']), encodeCommand(['SET', 'b', '2']).subarray(0, 9)]);
    const units: string[] = [];
    const r = scan(buf, (argvs) => units.push(argvs.map((a) => a.join(' ')).join(';')));
    expect(units).to.deep.equal(['SET a 1']);
    expect(r.validUpTo).to.equal(encodeCommand(['SET', 'a', '1']).length);
    expect(r.stop?.kind).to.equal('truncated');
  });

  it('requires CRLF after every bulk string', () => {
    const buf = Buffer.from('*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n');
    const r = scan(buf);
    expect(r.stop).to.deep.equal({ kind: 'bad', offset: 12, reason: 'expected \\r\\n after a 4-byte bulk string' });
    expect(r.validUpTo).to.equal(0);
  });

  it('parses and formats manifests as Redis writes them, quoting odd names', () => {
    const text = 'file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.3.incr.aof seq 3 type i\n';
    const m = parseManifest(text);
    expect(m.base).to.deep.equal({ name: 'appendonly.aof.2.base.aof', seq: 2, type: 'b' });
    expect(m.incrs.map((f) => f.seq)).to.deep.equal([2, 3]);
    expect(formatManifest(m)).to.equal(text);
    const odd = parseManifest('file "my file.aof.1.base.aof" seq 1 type b\n');
    expect(odd.base!.name).to.equal('my file.aof.1.base.aof');
    expect(formatManifest(odd)).to.equal('file "my file.aof.1.base.aof" seq 1 type b\n');
    expect(() => parseManifest('file a seq 2 type i\nfile b seq 1 type i\n')).to.throw('Found a non-monotonic sequence number');
    expect(() => parseManifest('file a seq 1\n')).to.throw('Invalid AOF manifest file format');
  });
});
