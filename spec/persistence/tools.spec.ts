/**
 * rivulet-check-aof, SHUTDOWN and signals: the operator-facing side of the
 * AOF, run as real processes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { startRivuletProcess, tmpDir, rmrf, RawConnection, encodeCommand, ROOT, normalise } from '../helpers.js';

const CHECK = path.join(ROOT, 'bin', 'rivulet-check-aof');

function runCheck(args: string[], input = ''): { status: number; out: string } {
  const r = spawnSync(process.execPath, [CHECK, ...args], { input, encoding: 'utf8' });
  return { status: r.status ?? -1, out: r.stdout + r.stderr };
}

describe('rivulet-check-aof', () => {
  let dir: string;
  beforeEach(() => {
    dir = tmpDir('rivulet-check-');
  });
  afterEach(() => rmrf(dir));

  const good = Buffer.concat([encodeCommand(['SET', 'k', 'v']), encodeCommand(['SET', 'z', 'w'])]);

  it('--help prints the usage and exits 0 (it is not taken for a file name)', () => {
    const r = runCheck(['--help']);
    expect(r.status).to.equal(0);
    expect(r.out).to.match(/^Usage: rivulet-check-aof \[--fix\] <file\.manifest\|file\.aof\|appendonlydir>\n/);
    expect(runCheck(['-h']).out).to.equal(r.out);
  });

  it('a directory argument checks the manifest in it (or in its appendonlydir/), and says so when there is none', () => {
    const aofdir = path.join(dir, 'appendonlydir');
    fs.mkdirSync(aofdir);
    fs.writeFileSync(path.join(aofdir, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\n');
    fs.writeFileSync(path.join(aofdir, 'appendonly.aof.1.base.aof'), good);
    for (const arg of [aofdir, dir]) {
      const r = runCheck([arg]);
      expect(r.status, arg).to.equal(0);
      expect(r.out).to.equal(
        'Start checking Multi Part AOF\nStart to check BASE AOF (RESP format).\n' +
          'AOF analyzed: filename=appendonly.aof.1.base.aof, size=54, ok_up_to=54, ok_up_to_line=14, diff=0\n' +
          'BASE AOF appendonly.aof.1.base.aof is valid\nAll AOF files and manifest are valid\n',
      );
    }
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const r = runCheck([empty]);
    expect(r.status).to.equal(1);
    expect(r.out).to.equal(`Cannot read file ${empty}: Is a directory with no AOF manifest (give a .manifest or .aof file)\n`);
  });

  it('reports a valid single file', () => {
    const f = path.join(dir, 'a.aof');
    fs.writeFileSync(f, good);
    const r = runCheck([f]);
    expect(r.status).to.equal(0);
    expect(r.out).to.equal(
      `Start checking Old-Style AOF\nAOF analyzed: filename=${f}, size=54, ok_up_to=54, ok_up_to_line=14, diff=0\nAOF ${f} is valid\n`,
    );
  });

  it('reports a torn file and, with --fix and a yes, truncates it to its valid part', () => {
    const f = path.join(dir, 'a.aof');
    fs.writeFileSync(f, Buffer.concat([good, Buffer.from('*3\r\n$3\r\nSET\r\n$1')]));
    const r = runCheck([f]);
    expect(r.status).to.equal(1);
    expect(r.out).to.contain(`AOF analyzed: filename=${f}, size=69, ok_up_to=54, ok_up_to_line=14, diff=15\n`);
    expect(r.out).to.contain(`AOF ${f} is not valid. Use the --fix option to try fixing it.\n`);
    const no = runCheck(['--fix', f], 'n\n');
    expect(no.status).to.equal(1);
    expect(no.out).to.contain('Aborting...');
    expect(fs.statSync(f).size).to.equal(69);
    const yes = runCheck(['--fix', f], 'y\n');
    expect(yes.status).to.equal(0);
    expect(yes.out).to.contain(`This will shrink the AOF ${f} from 69 bytes, with 15 bytes, to 54 bytes\nContinue? [y/N]: Successfully truncated AOF ${f}\n`);
    expect(fs.readFileSync(f)).to.deep.equal(good);
  });

  it('checks every file of a manifest and refuses to truncate one that is not the last', () => {
    fs.writeFileSync(path.join(dir, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    fs.writeFileSync(path.join(dir, 'appendonly.aof.1.base.aof'), Buffer.concat([good, Buffer.from('garbage')]));
    fs.writeFileSync(path.join(dir, 'appendonly.aof.1.incr.aof'), good);
    const r = runCheck(['--fix', path.join(dir, 'appendonly.aof.manifest')], 'y\n');
    expect(r.status).to.equal(1);
    expect(r.out).to.contain('Start checking Multi Part AOF\nStart to check BASE AOF (RESP format).\n');
    expect(r.out).to.contain("0x              36: expected '*', got 'g'\n");
    expect(r.out).to.contain('Failed to truncate AOF appendonly.aof.1.base.aof because it is not the last file\n');
    fs.writeFileSync(path.join(dir, 'appendonly.aof.1.base.aof'), good);
    const ok = runCheck([path.join(dir, 'appendonly.aof.manifest')]);
    expect(ok.status).to.equal(0);
    expect(ok.out).to.contain('INCR AOF appendonly.aof.1.incr.aof is valid\nAll AOF files and manifest are valid\n');
  });
});

describe('SHUTDOWN and signals', function () {
  this.timeout(20000);
  let dir: string;
  beforeEach(() => {
    dir = tmpDir('rivulet-shutdown-');
  });
  afterEach(() => rmrf(dir));

  async function exitOf(p: Awaited<ReturnType<typeof startRivuletProcess>>): Promise<number | string | null> {
    if (p.proc.exitCode !== null || p.proc.signalCode !== null) return p.proc.exitCode ?? p.proc.signalCode;
    return new Promise((r) => p.proc.once('exit', (code, sig) => r(code ?? sig)));
  }

  it('SHUTDOWN flushes the AOF, closes the connection without a reply and ends the process', async () => {
    const p = await startRivuletProcess(['--dir', dir, '--appendfsync', 'no']);
    const c = await RawConnection.open(p.port);
    expect(await c.call('SET', 'k', 'v')).to.equal('OK');
    expect(normalise(await c.call('SHUTDOWN', 'ABORT'))).to.deep.equal({ error: 'ERR No shutdown in progress.' });
    expect(normalise(await c.call('SHUTDOWN', 'SAVE', 'NOSAVE'))).to.deep.equal({ error: 'ERR syntax error' });
    expect(normalise(await c.call('SHUTDOWN', 'NOW', 'ABORT'))).to.deep.equal({ error: 'ERR syntax error' });
    c.write(encodeCommand(['SHUTDOWN', 'NOSAVE', 'NOW']));
    await c.waitClosed();
    expect(c.received.toString()).to.not.contain('SHUTDOWN');
    expect(await exitOf(p)).to.equal(0);
    const q = await startRivuletProcess(['--dir', dir]);
    const d = await RawConnection.open(q.port);
    expect(await d.call('GET', 'k')).to.equal('v');
    d.close();
    await q.stop();
  });

  it('SIGTERM flushes and fsyncs the AOF before exiting', async () => {
    const p = await startRivuletProcess(['--dir', dir, '--appendfsync', 'no']);
    const c = await RawConnection.open(p.port);
    for (let i = 0; i < 100; i++) c.write(encodeCommand(['SET', `k${i}`, String(i)]));
    for (let i = 0; i < 100; i++) await c.next();
    p.proc.kill('SIGTERM');
    expect(await exitOf(p)).to.equal(0);
    c.close();
    expect(p.output()).to.contain('Received SIGTERM scheduling shutdown...');
    const q = await startRivuletProcess(['--dir', dir]);
    const d = await RawConnection.open(q.port);
    expect(await d.call('GET', 'k99')).to.equal('99');
    d.close();
    await q.stop();
  });

  it('the check tool accepts what the server writes', async () => {
    const p = await startRivuletProcess(['--dir', dir]);
    const c = await RawConnection.open(p.port);
    await c.call('XADD', 's', '*', 'f', 'v');
    await c.call('BGREWRITEAOF');
    c.close();
    p.proc.kill('SIGTERM');
    await exitOf(p);
    const out = execFileSync(process.execPath, [CHECK, path.join(dir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'utf8' });
    expect(out).to.contain('All AOF files and manifest are valid');
  });
});
