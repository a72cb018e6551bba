/**
 * Disk trouble, on a real small file system (a 2 MB tmpfs mounted by the
 * test and unmounted afterwards): a full disk while running turns writes
 * into MISCONF while reads go on, writes recover once space returns, and
 * nothing acknowledged is lost across a SIGKILL restart. A data directory
 * that is full or read-only at start is a clear error and exit code 1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { startRivuletProcess, tmpDir, rmrf, RawConnection, normalise, sleep, encodeCommand } from '../helpers.js';

/** Mounts a tmpfs of `size` at a fresh directory; returns the directory, or null when mounting is not possible here. */
function mountTmpfs(size: string, readOnly = false): string | null {
  const dir = tmpDir('rivulet-disk-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${readOnly ? ',ro' : ''}`, 'tmpfs', dir], { stdio: 'pipe' });
    return dir;
  } catch {
    rmrf(dir);
    return null;
  }
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  } catch {
    /* not mounted */
  }
  rmrf(dir);
}

/** Writes zeros to `file` until the file system is full. */
function fillDisk(file: string): void {
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
}

const CANNOT_MOUNT = 'cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)';
const MISCONF_ENOSPC = { error: 'MISCONF Errors writing to the AOF file: No space left on device' };

function skipBecause(ctx: Mocha.Context, reason: string): void {
  console.log(`      skipped: ${reason}`);
  ctx.skip();
}

async function exitOf(proc: import('node:child_process').ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null) return proc.exitCode;
  return new Promise((r) => proc.once('exit', (code) => r(code)));
}

describe('disk trouble (hardening)', function () {
  this.timeout(60000);

  it('a full disk while running: writes get MISCONF, reads go on, writes recover when space returns, nothing acknowledged is lost', async function () {
    const mnt = mountTmpfs('2m');
    if (!mnt) return skipBecause(this, CANNOT_MOUNT);
    const data = path.join(mnt, 'data');
    const args = ['--dir', data, '--appendonly', 'yes', '--appendfsync', 'always', '--loglevel', 'warning'];
    let srv = await startRivuletProcess(args);
    const acked: string[] = [];
    const payload = Buffer.alloc(2000, 'd');
    try {
      const w = await RawConnection.open(srv.port);
      for (let i = 0; i < 50; i++) acked.push(String(await w.call('XADD', 'events', '*', 'n', String(i), 'payload', payload)));
      expect(await w.call('SET', 'greeting', 'hello')).to.equal('OK');

      fillDisk(path.join(mnt, 'filler'));
      // Writes may still fit in the AOF's last page; the first one that cannot reach the disk has its
      // reply held (never acknowledged) until it does.
      let heldReply: unknown = undefined;
      let held: Promise<unknown> | null = null;
      for (let i = 0; i < 500 && held === null; i++) {
        w.write(encodeCommand(['XADD', 'events', '*', 'n', `fill${i}`, 'payload', payload]));
        const reply = w.next(30000);
        const first = await Promise.race([reply, sleep(1000).then(() => 'still held')]);
        if (first === 'still held') held = reply.then((r) => (heldReply = r));
        else acked.push(String(first));
      }
      expect(held, 'a write was held by the full disk').to.not.equal(null);

      const r = await RawConnection.open(srv.port);
      const refused = normalise(await r.call('SET', 'other', 'x'));
      expect(refused).to.deep.equal(MISCONF_ENOSPC);
      expect(normalise(await r.call('XADD', 'events', '*', 'n', 'refused'))).to.deep.equal(MISCONF_ENOSPC);
      // PING reports the disk error too, as in Redis; reads are served.
      expect(normalise(await r.call('PING'))).to.deep.equal(MISCONF_ENOSPC);
      expect(await r.call('GET', 'greeting')).to.equal('hello');
      expect(await r.call('XLEN', 'events')).to.equal(acked.length + 1);
      expect(normalise(await r.call('XRANGE', 'events', acked[0], acked[0]))).to.deep.equal([[acked[0], ['n', '0', 'payload', payload.toString()]]]);
      expect(heldReply).to.equal(undefined);

      fs.rmSync(path.join(mnt, 'filler'));
      // The writer retries once a second: the held write is acknowledged, new writes work again.
      acked.push(String(await held));
      let recovered: unknown = null;
      for (let i = 0; i < 50 && recovered !== 'OK'; i++) {
        recovered = normalise(await r.call('SET', 'other', 'y'));
        if (recovered !== 'OK') await sleep(100);
      }
      expect(recovered).to.equal('OK');
      expect(await r.call('PING')).to.equal('PONG');
      for (let i = 0; i < 10; i++) acked.push(String(await w.call('XADD', 'events', '*', 'n', `after${i}`)));
      w.close();
      r.close();

      // Crash, restart on the same directory: every acknowledged entry is there.
      await srv.stop();
      srv = await startRivuletProcess(args);
      const c = await RawConnection.open(srv.port);
      const ids = (normalise(await c.call('XRANGE', 'events', '-', '+')) as [string, string[]][]).map((e) => e[0]);
      for (const id of acked) expect(ids, `acknowledged ${id}`).to.include(id);
      // ...and nothing that was refused with MISCONF.
      expect(ids.length).to.equal(acked.length);
      expect(await c.call('GET', 'other')).to.equal('y');
      c.close();
    } finally {
      await srv.stop();
      unmount(mnt);
    }
  });

  it('a full disk at start is a clear error and exit code 1', async function () {
    const mnt = mountTmpfs('1m');
    if (!mnt) return skipBecause(this, CANNOT_MOUNT);
    try {
      fillDisk(path.join(mnt, 'filler'));
      const srv = await startRivuletProcess(['--dir', path.join(mnt, 'data'), '--appendonly', 'yes'], { waitReady: false });
      expect(await exitOf(srv.proc)).to.equal(1);
      expect(srv.output()).to.contain(`Fatal error: The data directory '${path.join(mnt, 'data')}' is not writable: No space left on device`);
    } finally {
      unmount(mnt);
    }
  });

  it('a read-only data directory at start is a clear error and exit code 1', async function () {
    const mnt = mountTmpfs('1m', true);
    if (!mnt) return skipBecause(this, CANNOT_MOUNT);
    try {
      const srv = await startRivuletProcess(['--dir', mnt, '--appendonly', 'yes'], { waitReady: false });
      expect(await exitOf(srv.proc)).to.equal(1);
      expect(srv.output()).to.contain(`Fatal error: The data directory '${mnt}' is not writable: Read-only file system`);
    } finally {
      unmount(mnt);
    }
  });

  it('a data directory that cannot be created is a clear error and exit code 1', async () => {
    const base = tmpDir('rivulet-disk-');
    try {
      fs.writeFileSync(path.join(base, 'file'), 'x');
      const dir = path.join(base, 'file', 'data');
      const srv = await startRivuletProcess(['--dir', dir, '--appendonly', 'yes'], { waitReady: false });
      expect(await exitOf(srv.proc)).to.equal(1);
      expect(srv.output()).to.contain(`Fatal error: Can't chdir to '${dir}': `);
    } finally {
      rmrf(base);
    }
  });
});
