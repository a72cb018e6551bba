/**
 * Issue 20: a directory that is never destroyed, and state that survives a
 * restart exactly.
 * - AOF files without a manifest: refuse to start, naming them; the files are
 *   left as they are; rivulet-check-aof --rebuild-manifest brings them back.
 * - No start or rewrite truncates, overwrites or reuses the sequence number of
 *   a file it did not create.
 * - A record that fails on replay stops the start (file, offset, command,
 *   error) unless aof-load-failed-records is yes.
 * - 64-bit counters (entries-added, entries-read, delivery counts, IDs) are
 *   exact through replies, rewrite, replay and restart.
 * - Pending entries whose stream entry was deleted survive BGREWRITEAOF and
 *   DEBUG RELOAD; delivery counts raised by history reads and consumers
 *   created by reads/claims that delivered nothing survive a restart; and
 *   redis-server still loads the files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { startRivulet, startRivuletProcess, startRedis, tmpDir, rmrf, RawConnection, encodeCommand, sleep, ROOT, HAVE_REDIS, normalise, type Reply, runCommands, aofRecordEnds } from '../helpers.js';

const CHECK = path.join(ROOT, 'bin', 'rivulet-check-aof');

function runCheck(args: string[], input = ''): { status: number; out: string } {
  const r = spawnSync(process.execPath, [CHECK, ...args], { input, encoding: 'utf8' });
  return { status: r.status ?? -1, out: r.stdout + r.stderr };
}

const aofDir = (dir: string): string => path.join(dir, 'appendonlydir');
const cmds = (...list: (string | number)[][]): Buffer => Buffer.concat(list.map((c) => encodeCommand(c)));

/** Every file of the AOF directory with its bytes. */
function snapshotDir(dir: string): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const f of fs.readdirSync(aofDir(dir)).sort()) m.set(f, fs.readFileSync(path.join(aofDir(dir), f)));
  return m;
}

async function startError(options: Record<string, string>): Promise<string> {
  try {
    const s = await startRivulet(options);
    await s.close();
  } catch (err) {
    return (err as Error).message;
  }
  return '(started)';
}

async function call(port: number, ...args: (string | number)[]): Promise<Reply> {
  const c = await RawConnection.open(port);
  try {
    return await c.call(...args);
  } finally {
    c.close();
  }
}

/** Runs commands on one connection; any error reply fails the test. */
/** The reply's raw bytes (integers beyond 2^53 checked digit for digit). */
async function rawReply(port: number, ...args: (string | number)[]): Promise<string> {
  const c = await RawConnection.open(port);
  try {
    await c.call(...args);
    return c.received.toString('latin1');
  } finally {
    c.close();
  }
}

async function waitRewrite(port: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (String(await call(port, 'INFO', 'persistence')).includes('aof_rewrite_in_progress:0')) return;
    await sleep(20);
  }
  throw new Error('rewrite did not finish');
}

describe('AOF directory safety (issue 20)', function () {
  this.timeout(30000);
  let dir: string;
  beforeEach(() => {
    dir = tmpDir('rivulet-reliab-');
  });
  afterEach(() => rmrf(dir));

  function writeOrphans(): void {
    fs.mkdirSync(aofDir(dir), { recursive: true });
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.1.base.aof'), cmds(['SET', 'a', '1']));
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof'), cmds(['SET', 'b', '2'], ['SET', 'c', '3']));
  }

  it('AOF files without a manifest: the start is refused, naming the files and the fix, and the files are untouched', async () => {
    writeOrphans();
    const before = snapshotDir(dir);
    const msg = await startError({ dir });
    expect(msg).to.equal(
      `The AOF directory ${aofDir(dir)} holds AOF files but no manifest (appendonly.aof.manifest): appendonly.aof.1.base.aof, appendonly.aof.1.incr.aof. ` +
        `Not starting, so that they are neither ignored nor overwritten. Rebuild the manifest from them with ` +
        `'rivulet-check-aof --rebuild-manifest ${path.join(aofDir(dir), 'appendonly.aof.manifest')}', or move them out of the directory to start empty.`,
    );
    expect(snapshotDir(dir)).to.deep.equal(before);
  });

  it('rivulet-check-aof --rebuild-manifest writes the manifest from the files present, and the next start loads all of them', async () => {
    writeOrphans();
    const manifest = path.join(aofDir(dir), 'appendonly.aof.manifest');
    const r = runCheck(['--rebuild-manifest', manifest]);
    expect(r.out).to.equal(
      `Rebuilt ${manifest} from the files present:\nfile appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n`,
    );
    expect(r.status).to.equal(0);
    const srv = await startRivulet({ dir });
    try {
      expect(await call(srv.port, 'MGET', 'a', 'b', 'c')).to.deep.equal(['1', '2', '3']);
    } finally {
      await srv.close();
    }
  });

  it('rivulet-check-aof --rebuild-manifest refuses to replace an existing manifest and to guess between several bases', () => {
    writeOrphans();
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.2.base.aof'), cmds(['SET', 'x', '1']));
    const manifest = path.join(aofDir(dir), 'appendonly.aof.manifest');
    const r = runCheck(['--rebuild-manifest', manifest]);
    expect(r.status).to.equal(1);
    expect(r.out).to.equal(
      `Several base files: appendonly.aof.1.base.aof, appendonly.aof.2.base.aof. Move the ones that are not the latest out of ${aofDir(dir)} and run again.\n`,
    );
    fs.rmSync(path.join(aofDir(dir), 'appendonly.aof.2.base.aof'));
    fs.writeFileSync(manifest, 'file appendonly.aof.1.base.aof seq 1 type b\n');
    const again = runCheck(['--rebuild-manifest', manifest]);
    expect(again.status).to.equal(1);
    expect(again.out).to.equal(`${manifest} exists: not replacing it.\n`);
  });

  it('CONFIG SET appendonly yes over files without a manifest leaves them untouched', async () => {
    writeOrphans();
    const before = snapshotDir(dir);
    const srv = await startRivulet({ dir, appendonly: 'no' });
    try {
      await call(srv.port, 'CONFIG', 'SET', 'appendonly', 'yes');
      await call(srv.port, 'SET', 'new', 'x');
      await sleep(200);
      const after = snapshotDir(dir);
      for (const [name, bytes] of before) expect(after.get(name), name).to.deep.equal(bytes);
    } finally {
      await srv.close();
    }
  });

  it('a rewrite never reuses the sequence number of a file that exists (a stray incr or base is not overwritten)', async () => {
    fs.mkdirSync(aofDir(dir), { recursive: true });
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.1.base.aof'), cmds(['SET', 'a', '1']));
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof'), cmds(['SET', 'b', '2']));
    const strayIncr = cmds(['SET', 'stray', 'incr']);
    const strayBase = cmds(['SET', 'stray', 'base']);
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.2.incr.aof'), strayIncr);
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.2.base.aof'), strayBase);
    const srv = await startRivulet({ dir, appendfsync: 'always' });
    try {
      expect(await call(srv.port, 'BGREWRITEAOF')).to.equal('Background append only file rewriting started');
      await waitRewrite(srv.port);
      await call(srv.port, 'SET', 'c', '3');
    } finally {
      await srv.close();
    }
    expect(fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.2.incr.aof'))).to.deep.equal(strayIncr);
    expect(fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.2.base.aof'))).to.deep.equal(strayBase);
    const srv2 = await startRivulet({ dir });
    try {
      expect(await call(srv2.port, 'MGET', 'a', 'b', 'c', 'stray')).to.deep.equal(['1', '2', '3', null]);
    } finally {
      await srv2.close();
    }
  });

  it('a torn tail cut off at start is kept beside the file, so the start destroys no byte', async () => {
    fs.mkdirSync(aofDir(dir), { recursive: true });
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.1.base.aof'), '');
    const good = cmds(['SET', 'a', '1']);
    const torn = Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nb');
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof'), Buffer.concat([good, torn]));
    const srv = await startRivulet({ dir });
    await srv.close();
    expect(fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof'))).to.deep.equal(good);
    const kept = fs.readdirSync(aofDir(dir)).filter((f) => f.startsWith('appendonly.aof.1.incr.aof.torn-'));
    expect(kept).to.deep.equal([`appendonly.aof.1.incr.aof.torn-${good.length}`]);
    expect(fs.readFileSync(path.join(aofDir(dir), kept[0]))).to.deep.equal(torn);
  });
});

describe('one command, several records: atomic on disk (issue 20)', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => {
    dir = tmpDir('rivulet-reliab-');
  });
  afterEach(() => rmrf(dir));

  const PAY = ['XADD', 'q', 'IDMP', 'producer1', 'msg-42', '*', 'body', 'pay once'];

  it("XADD ... IDMP cut anywhere inside its records (after the XADD, before EXEC, ...) loads none of it, and the client's retry adds exactly one entry", async () => {
    let srv = await startRivulet({ dir, appendfsync: 'always' });
    let id: Reply;
    const incrPath = path.join(aofDir(dir), 'appendonly.aof.1.incr.aof');
    let unitStart: number;
    try {
      unitStart = fs.statSync(incrPath).size;
      id = await call(srv.port, ...PAY);
      expect(id).to.match(/^\d+-\d+$/);
    } finally {
      await srv.close();
    }
    const full = fs.readFileSync(incrPath);
    const recordNames = (buf: Buffer, ends: number[]): string[] =>
      ends.map((e, i) => /^\*\d+\r\n\$\d+\r\n([A-Za-z]+)/.exec(buf.subarray(i === 0 ? 0 : ends[i - 1], e).toString('latin1'))![1].toUpperCase());
    // The first write of a fresh file is preceded by its SELECT: the unit starts after it.
    const lead = aofRecordEnds(full.subarray(unitStart));
    if (recordNames(full.subarray(unitStart), lead)[0] === 'SELECT') unitStart += lead[0];
    const unit = full.subarray(unitStart);
    const ends = aofRecordEnds(unit);
    const names = recordNames(unit, ends);
    // The unit as the AOF holds it: the XADD with the ID it chose and its idempotency record, wrapped as one transaction.
    expect(names, 'the records of one IDMP XADD').to.deep.equal(['MULTI', 'XADD', 'XIDMPRECORD', 'EXEC']);
    // Cuts at every record boundary inside the unit (the case: right after the XADD record), a byte either side, and mid-record.
    const cuts = new Set<number>();
    for (let i = 0; i < ends.length - 1; i++) for (const d of [-1, 0, 1]) cuts.add(unitStart + ends[i] + d);
    for (let i = 0; i < ends.length; i++) cuts.add(unitStart + Math.floor(((i === 0 ? 0 : ends[i - 1]) + ends[i]) / 2));
    cuts.add(unitStart + 1);
    cuts.add(full.length - 1);
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      const label = `incr cut at ${cut} (unit ${unitStart}..${full.length})`;
      const d = tmpDir('rivulet-reliab-cut-');
      try {
        fs.cpSync(aofDir(dir), aofDir(d), { recursive: true });
        fs.writeFileSync(path.join(aofDir(d), 'appendonly.aof.1.incr.aof'), full.subarray(0, cut));
        srv = await startRivulet({ dir: d, appendfsync: 'always', loglevel: 'nothing' });
        try {
          expect(await call(srv.port, 'XLEN', 'q'), `${label}: nothing of the torn command is loaded`).to.equal(0);
          const retried = await call(srv.port, ...PAY);
          expect(retried, `${label}: the retry is added`).to.match(/^\d+-\d+$/);
          expect(await call(srv.port, 'XLEN', 'q'), `${label}: one entry after the retry`).to.equal(1);
          expect(await call(srv.port, ...PAY), `${label}: a second retry is recognised`).to.equal(retried);
        } finally {
          await srv.close();
        }
      } finally {
        rmrf(d);
      }
    }
    // Whole, the unit loads, and the retry is recognised as the same message.
    srv = await startRivulet({ dir, appendfsync: 'always' });
    try {
      expect(await call(srv.port, 'XLEN', 'q')).to.equal(1);
      expect(await call(srv.port, ...PAY)).to.equal(id);
      expect(await call(srv.port, 'XLEN', 'q')).to.equal(1);
    } finally {
      await srv.close();
    }
  });
});

describe('a record that fails on replay (issue 20)', function () {
  this.timeout(30000);
  let dir: string;
  beforeEach(() => {
    dir = tmpDir('rivulet-reliab-');
    fs.mkdirSync(aofDir(dir), { recursive: true });
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.1.base.aof'), '');
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof'), cmds(['SET', 'a', '1'], ['SELECT', '20'], ['SET', 'b', '2']));
  });
  afterEach(() => rmrf(dir));

  it('stops the start with the file, the offset, the command and its error, and names the directive that loads anyway', async () => {
    const msg = await startError({ dir });
    expect(msg).to.equal(
      "Error replaying the append only file appendonly.aof.1.incr.aof at offset 27: 'SELECT 20' replied 'ERR DB index is out of range'. " +
        'The files are left as they are. To load them anyway, skipping every record that fails, set aof-load-failed-records yes and restart.',
    );
  });

  it('aof-load-failed-records yes loads the rest, logging each skipped record as == CRITICAL == at warning level, as redis-server does', async () => {
    const logfile = path.join(dir, 'rivulet.log');
    const srv = await startRivulet({ dir, 'aof-load-failed-records': 'yes', loglevel: 'warning', logfile });
    try {
      expect(await call(srv.port, 'MGET', 'a', 'b')).to.deep.equal(['1', '2']);
    } finally {
      await srv.close();
    }
    const critical = fs.readFileSync(logfile, 'latin1').split('\n').filter((l) => l.includes('== CRITICAL =='));
    expect(critical.map((l) => l.replace(/^\d+:M [^#]+# /, ''))).to.deep.equal([
      "== CRITICAL == The AOF appendonly.aof.1.incr.aof at offset 27: 'SELECT 20' replied 'ERR DB index is out of range'; skipped because aof-load-failed-records is yes",
    ]);
  });

  it('a failing record inside a MULTI/EXEC unit is named at its own offset, with the offset of its unit', async () => {
    // SET a 1 (27 bytes), MULTI at 27 (15 bytes), SET c 3 at 42 (27 bytes), WRONGTYPE LPUSH a x at 69.
    fs.writeFileSync(
      path.join(aofDir(dir), 'appendonly.aof.1.incr.aof'),
      cmds(['SET', 'a', '1'], ['MULTI'], ['SET', 'c', '3'], ['LPUSH', 'a', 'x'], ['SET', 'b', '2'], ['EXEC']),
    );
    const before = snapshotDir(dir);
    const msg = await startError({ dir });
    expect(msg).to.equal(
      "Error replaying the append only file appendonly.aof.1.incr.aof at offset 69 (in the MULTI/EXEC unit at offset 27): 'LPUSH a x' replied 'WRONGTYPE Operation against a key holding the wrong kind of value'. " +
        'The files are left as they are. To load them anyway, skipping every record that fails, set aof-load-failed-records yes and restart.',
    );
    expect(snapshotDir(dir)).to.deep.equal(before);
  });
});

describe('64-bit values kept exact (issue 20)', function () {
  this.timeout(30000);
  let dir: string;
  beforeEach(() => {
    dir = tmpDir('rivulet-reliab-');
  });
  afterEach(() => rmrf(dir));

  const BIG = '9223372036854775807';
  // XCLAIM with FORCE of an entry nobody read: Redis creates the pending entry.
  const SETUP_64 = [
    ['XADD', 's', '9007199254740993-0', 'a', '1'],
    ['XSETID', 's', '9007199254740993-5', 'ENTRIESADDED', BIG, 'MAXDELETEDID', '0-0'],
    ['XGROUP', 'CREATE', 's', 'g', '0', 'ENTRIESREAD', '9223372036854775806'],
    ['XCLAIM', 's', 'g', 'alice', '0', '9007199254740993-0', 'RETRYCOUNT', '9007199254740993', 'FORCE', 'JUSTID'],
    ['SET', 'k', 'v'],
    ['PEXPIREAT', 'k', BIG],
  ];

  async function check(port: number, label: string): Promise<void> {
    const info = await rawReply(port, 'XINFO', 'STREAM', 's');
    expect(info, `${label}: entries-added`).to.contain(`$13\r\nentries-added\r\n:${BIG}\r\n`);
    expect(normalise(await call(port, 'XADD', 's', '2-0', 'x', 'y')), label).to.deep.equal({
      error: 'ERR The ID specified in XADD is equal or smaller than the target stream top item',
    });
    const groups = await rawReply(port, 'XINFO', 'GROUPS', 's');
    expect(groups, `${label}: entries-read`).to.contain(`$12\r\nentries-read\r\n:9223372036854775806\r\n`);
    expect(groups, `${label}: lag`).to.contain(`$3\r\nlag\r\n:1\r\n`);
    const pending = await rawReply(port, 'XPENDING', 's', 'g', '-', '+', '10');
    expect(pending, `${label}: delivery count`).to.contain(`:9007199254740993\r\n`);
    const ttl = (await call(port, 'PTTL', 'k')) as number;
    expect(ttl, `${label}: the key keeps its TTL at the 64-bit limit`).to.be.greaterThan(9e18);
    expect(await rawReply(port, 'XRANGE', 's', '-', '+'), `${label}: IDs`).to.contain('$18\r\n9007199254740993-0\r\n');
  }

  it('entries-added 9223372036854775807, entries-read, a delivery count beyond 2^53 and a TTL at the 64-bit limit survive the reply, BGREWRITEAOF, DEBUG RELOAD and a restart', async () => {
    let srv = await startRivulet({ dir, appendfsync: 'always' });
    try {
      await runCommands(srv.port, SETUP_64);
      await check(srv.port, 'live');
      await call(srv.port, 'BGREWRITEAOF');
      await waitRewrite(srv.port);
      await check(srv.port, 'after the rewrite');
      expect(await call(srv.port, 'DEBUG', 'RELOAD')).to.equal('OK');
      await check(srv.port, 'after DEBUG RELOAD');
      await srv.close();
      srv = await startRivulet({ dir });
      await check(srv.port, 'after a restart from the rewritten base');
    } finally {
      await srv.close();
    }
  });

  it('the same values survive an RDB base (aof-use-rdb-preamble yes), SAVE and a restart from dump.rdb', async () => {
    let srv = await startRivulet({ dir, appendfsync: 'always', 'aof-use-rdb-preamble': 'yes' });
    try {
      await runCommands(srv.port, SETUP_64);
      await call(srv.port, 'BGREWRITEAOF');
      await waitRewrite(srv.port);
      expect(fs.readdirSync(aofDir(dir)).filter((f) => f.includes('.base.')), 'the base written').to.deep.equal(['appendonly.aof.2.base.rdb']);
      await srv.close();
      srv = await startRivulet({ dir, 'aof-use-rdb-preamble': 'yes' });
      await check(srv.port, 'after a restart from the RDB base');
      expect(await call(srv.port, 'SAVE')).to.equal('OK');
      await srv.close();
      srv = await startRivulet({ dir, appendonly: 'no' });
      await check(srv.port, 'after a restart from dump.rdb');
    } finally {
      await srv.close();
    }
  });

  it('the same values replayed from the incremental file (no rewrite) survive a restart', async () => {
    let srv = await startRivulet({ dir, appendfsync: 'always' });
    try {
      await runCommands(srv.port, SETUP_64);
      await srv.close();
      srv = await startRivulet({ dir });
      await check(srv.port, 'after a restart from the incr file');
    } finally {
      await srv.close();
    }
  });
});

describe('TTLs beyond 2^53 ms are exact, as Redis keeps them in an int64 (issue 20)', function () {
  this.timeout(30000);
  let dir: string;
  beforeEach(() => {
    dir = tmpDir('rivulet-reliab-');
  });
  afterEach(() => rmrf(dir));

  // Absolute times only (relative ones move with the clock); each pair of adjacent values differs below double precision.
  const SCRIPT: string[][] = [
    ['SET', 'a', 'v', 'PXAT', '9007199254740993'],
    ['PEXPIRETIME', 'a'],
    ['EXPIRETIME', 'a'],
    ['SET', 'b', 'v', 'EXAT', '9007199254740993'],
    ['PEXPIRETIME', 'b'],
    ['SET', 'c', 'v'],
    ['PEXPIREAT', 'c', '9223372036854775807'],
    ['PEXPIRETIME', 'c'],
    ['PEXPIREAT', 'c', '9223372036854775806'],
    ['PEXPIRETIME', 'c'],
    ['EXPIREAT', 'c', '9223372036854775'],
    ['EXPIRETIME', 'c'],
    ['PEXPIRETIME', 'c'],
    ['EXPIREAT', 'c', '9223372036854776'],
    ['SET', 'e', 'v', 'PXAT', '18014398509481985'],
    ['PEXPIRETIME', 'e'],
    ['GETEX', 'e', 'PXAT', '18014398509481987'],
    ['PEXPIRETIME', 'e'],
    ['PEXPIREAT', 'e', '18014398509481989', 'GT'],
    ['PEXPIREAT', 'e', '18014398509481988', 'GT'],
    ['PEXPIRETIME', 'e'],
    ['PEXPIREAT', 'e', '18014398509481988', 'LT'],
    ['PEXPIRETIME', 'e'],
    ['SET', 'g', 'v', 'PXAT', '9223372036854775807'],
    ['PEXPIRETIME', 'g'],
    ['SET', 'g', 'v', 'EX', '9223372036854775'],
    ['PEXPIRE', 'g', '9223372036854775807'],
    ['SET', 'r', 'v'],
    ['RESTORE', 'r2', '9007199254740995', 'DUMP-OF-r', 'ABSTTL'],
    ['PEXPIRETIME', 'r2'],
  ];

  /** The raw bytes of each reply (integers beyond 2^53 compared digit for digit); DUMP-OF-r is replaced by r's payload. */
  async function rawReplies(port: number, script: string[][]): Promise<string[]> {
    const c = await RawConnection.open(port, true);
    try {
      const dump = (await c.call('DUMP', 'r')) as Buffer | null;
      const out: string[] = [];
      for (const cmd of script) {
        const from = c.received.length;
        await c.call(...cmd.map((a) => (a === 'DUMP-OF-r' && dump ? dump : a)));
        out.push(`${cmd.join(' ')} -> ${c.received.subarray(from).toString('latin1')}`);
      }
      return out;
    } finally {
      c.close();
    }
  }

  /** PEXPIRETIME of each key, raw. */
  async function expiries(port: number): Promise<string[]> {
    const out: string[] = [];
    for (const k of ['a', 'b', 'c', 'e', 'g', 'r2']) out.push(`${k} ${await rawReply(port, 'PEXPIRETIME', k)}`);
    return out;
  }

  it('SET PXAT/EXAT, PEXPIREAT/EXPIREAT (GT, LT), GETEX, RESTORE ABSTTL and PEXPIRETIME/EXPIRETIME reply byte for byte as redis-server', async function () {
    if (!HAVE_REDIS) this.skip(); // reason: redis-server is not installed on this machine
    const srv = await startRivulet();
    const redis = await startRedis();
    try {
      await runCommands(srv.port, [['SET', 'r', 'v']]);
      await runCommands(redis.port, [['SET', 'r', 'v']]);
      const ours = await rawReplies(srv.port, SCRIPT);
      const theirs = await rawReplies(redis.port, SCRIPT);
      expect(ours).to.deep.equal(theirs);
      expect(ours[1]).to.equal('PEXPIRETIME a -> :9007199254740993\r\n');
    } finally {
      await srv.close();
      await redis.stop();
    }
  });

  it('PTTL and TTL of a key expiring at 2^63-1 ms are exact (no double rounding)', async () => {
    const srv = await startRivulet();
    try {
      await runCommands(srv.port, [['SET', 'k', 'v', 'PXAT', '9223372036854775807']]);
      const before = BigInt(Date.now());
      const pttl = BigInt((await rawReply(srv.port, 'PTTL', 'k')).slice(1, -2));
      const after = BigInt(Date.now());
      expect(pttl >= 9223372036854775807n - after && pttl <= 9223372036854775807n - before, String(pttl)).to.equal(true);
      const ttl = BigInt((await rawReply(srv.port, 'TTL', 'k')).slice(1, -2));
      expect(ttl >= (9223372036854775807n - after - 1000n + 500n) / 1000n && ttl <= (9223372036854775807n - before + 500n) / 1000n, String(ttl)).to.equal(true);
    } finally {
      await srv.close();
    }
  });

  it('the exact times survive the AOF (incr file and rewritten base), DEBUG RELOAD, an RDB save and a restart', async () => {
    const setup = SCRIPT.filter((c) => !/TIME$/.test(c[0]) && c[0] !== 'RESTORE');
    let srv = await startRivulet({ dir, appendfsync: 'always' });
    let want: string[];
    try {
      await runCommands(srv.port, [['SET', 'r', 'v']]);
      await rawReplies(srv.port, [...setup, ['RESTORE', 'r2', '9007199254740995', 'DUMP-OF-r', 'ABSTTL']]);
      want = await expiries(srv.port);
      expect(want).to.deep.equal([
        'a :9007199254740993\r\n',
        'b :9007199254740993000\r\n',
        'c :9223372036854775000\r\n',
        'e :18014398509481988\r\n',
        'g :9223372036854775807\r\n',
        'r2 :9007199254740995\r\n',
      ]);
      await srv.close();
      srv = await startRivulet({ dir });
      expect(await expiries(srv.port), 'restart from the incr file').to.deep.equal(want);
      await call(srv.port, 'BGREWRITEAOF');
      await waitRewrite(srv.port);
      await srv.close();
      srv = await startRivulet({ dir });
      expect(await expiries(srv.port), 'restart from the rewritten base').to.deep.equal(want);
      expect(await call(srv.port, 'DEBUG', 'RELOAD')).to.equal('OK');
      expect(await expiries(srv.port), 'DEBUG RELOAD').to.deep.equal(want);
      expect(await call(srv.port, 'SAVE')).to.equal('OK');
      await srv.close();
      srv = await startRivulet({ dir, appendonly: 'no' });
      expect(await expiries(srv.port), 'restart from dump.rdb').to.deep.equal(want);
    } finally {
      await srv.close();
    }
  });
});

/** Group state as XINFO STREAM FULL and XPENDING show it, without the clock-driven fields. */
async function groupState(port: number, key: string): Promise<unknown> {
  const c = await RawConnection.open(port);
  try {
    const full = normalise(await c.call('XINFO', 'STREAM', key, 'FULL')) as unknown[];
    const strip = (v: unknown): unknown => {
      if (!Array.isArray(v)) return v;
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) {
        const k = v[i];
        if (typeof k === 'string' && ['seen-time', 'active-time'].includes(k) && i + 1 < v.length) {
          i++;
          continue;
        }
        out.push(strip(v[i]));
      }
      return out;
    };
    // Pending entries inside XINFO FULL are [id, (consumer,) delivery-time, count]: drop the time.
    const noTimes = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.length >= 3 && typeof v[0] === 'string' && /^\d+-\d+$/.test(v[0]) && typeof v[v.length - 1] === 'number' && typeof v[v.length - 2] === 'number'
          ? [...v.slice(0, -2), v[v.length - 1]]
          : v.map(noTimes)
        : v;
    const pending = ((await c.call('XPENDING', key, 'g', '-', '+', '1000')) as Reply[][]).map((p) => [p[0], p[1], p[3]]);
    return { full: noTimes(strip(full)), pending, summary: normalise(await c.call('XPENDING', key, 'g')) };
  } finally {
    c.close();
  }
}

describe('consumer-group state across a restart (issue 20)', function () {
  this.timeout(30000);
  let dir: string;
  beforeEach(() => {
    dir = tmpDir('rivulet-reliab-');
  });
  afterEach(() => rmrf(dir));

  const DELETED_PENDING: string[][] = [
    ['XADD', 's', '1-1', 'a', '1'],
    ['XADD', 's', '2-1', 'b', '2'],
    ['XADD', 's', '3-1', 'c', '3'],
    ['XADD', 's', '4-1', 'd', '4'],
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '3', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>'],
    ['XDEL', 's', '3-1'],
    ['XTRIM', 's', 'MAXLEN', '2'],
  ];

  for (const preamble of ['no', 'yes']) {
    it(`pending entries of deleted and trimmed stream entries survive BGREWRITEAOF, DEBUG RELOAD and a restart (aof-use-rdb-preamble ${preamble}: a ${preamble === 'yes' ? 'RDB' : 'RESP'} base)`, async () => {
      let srv = await startRivulet({ dir, appendfsync: 'always', 'aof-use-rdb-preamble': preamble });
      try {
        await runCommands(srv.port, DELETED_PENDING);
        const before = await groupState(srv.port, 's');
        expect((before as { pending: unknown[] }).pending).to.have.length(4);
        await call(srv.port, 'BGREWRITEAOF');
        await waitRewrite(srv.port);
        expect(fs.readdirSync(aofDir(dir)).filter((f) => f.includes('.base.')), 'the base written').to.deep.equal([`appendonly.aof.2.base.${preamble === 'yes' ? 'rdb' : 'aof'}`]);
        expect(await groupState(srv.port, 's'), 'live after the rewrite').to.deep.equal(before);
        await srv.close();
        srv = await startRivulet({ dir, 'aof-use-rdb-preamble': preamble });
        expect(await groupState(srv.port, 's'), 'after a restart').to.deep.equal(before);
        expect(await call(srv.port, 'DEBUG', 'RELOAD')).to.equal('OK');
        expect(await groupState(srv.port, 's'), 'after DEBUG RELOAD').to.deep.equal(before);
        expect(await call(srv.port, 'XRANGE', 's', '-', '+')).to.deep.equal([['2-1', ['b', '2']], ['4-1', ['d', '4']]]);
      } finally {
        await srv.close();
      }
    });
  }

  it("a group that read more entries than the stream holds keeps entries-read and lag when pending entries' stream entries are gone (BGREWRITEAOF, DEBUG RELOAD, restart)", async () => {
    // The rewrite adds placeholders for 2-1 and 4-1; XGROUP CREATE ... ENTRIESREAD 7 must not be capped at the 3 XADDs before it.
    const script = [
      ...['1-1', '2-1', '3-1', '4-1', '5-1', '6-1', '7-1'].map((id) => ['XADD', 's', id, 'f', id]),
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'],
      ['XACK', 's', 'g', '1-1', '3-1', '5-1', '6-1', '7-1'],
      ['XDEL', 's', '1-1', '2-1', '3-1', '4-1', '5-1'],
      ['XADD', 's', '8-1', 'f', '8-1'],
    ];
    let srv = await startRivulet({ dir, appendfsync: 'always' });
    try {
      await runCommands(srv.port, script);
      const before = await groupState(srv.port, 's');
      const groups = normalise((await call(srv.port, 'XINFO', 'GROUPS', 's')) as Reply) as unknown[][];
      expect(groups[0].slice(8, 12)).to.deep.equal(['entries-read', 7, 'lag', 1]);
      await call(srv.port, 'BGREWRITEAOF');
      await waitRewrite(srv.port);
      expect(await groupState(srv.port, 's'), 'live after the rewrite').to.deep.equal(before);
      await srv.close();
      srv = await startRivulet({ dir });
      expect(await groupState(srv.port, 's'), 'after a restart').to.deep.equal(before);
      expect(await call(srv.port, 'DEBUG', 'RELOAD')).to.equal('OK');
      expect(await groupState(srv.port, 's'), 'after DEBUG RELOAD').to.deep.equal(before);
    } finally {
      await srv.close();
    }
  });

  const NOTHING_DELIVERED: string[][] = [
    ['XADD', 's', '1-1', 'a', '1'],
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'],
    // History reads raise the delivery count to 3.
    ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
    // Reads and claims that deliver nothing still create their consumer.
    ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'carol', 'STREAMS', 's', '0'],
    ['XCLAIM', 's', 'g', 'dave', '3600000', '1-1'],
    ['XAUTOCLAIM', 's', 'g', 'erin', '3600000', '0-0'],
  ];

  for (const rewrite of [false, true]) {
    it(`delivery counts raised by history reads and consumers created by reads that delivered nothing survive a SIGKILL and restart${rewrite ? ' after BGREWRITEAOF' : ''}, and redis-server loads the files`, async function () {
      // A rivulet-server process killed with SIGKILL (no shutdown step could write anything more).
      const killed = await startRivuletProcess(['--dir', dir, '--appendfsync', 'always']);
      let srv: { port: number; close: () => Promise<void> } = { port: killed.port, close: () => killed.stop() };
      let before: unknown;
      // Every consumer, also those whose read or claim delivered nothing (dave: XCLAIM, erin: XAUTOCLAIM, frank: a read of nothing new).
      const CONSUMERS_NOW = ['alice', 'bob', 'carol', 'dave', 'erin', ...(rewrite ? ['frank'] : [])];
      try {
        await runCommands(srv.port, NOTHING_DELIVERED);
        if (rewrite) {
          await call(srv.port, 'BGREWRITEAOF');
          await waitRewrite(srv.port);
          await call(srv.port, 'XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0');
          await call(srv.port, 'XREADGROUP', 'GROUP', 'g', 'frank', 'STREAMS', 's', '>');
        }
        before = await groupState(srv.port, 's');
        const consumers = ((await call(srv.port, 'XINFO', 'CONSUMERS', 's', 'g')) as Reply[][]).map((cons) => cons[1]);
        expect(consumers).to.deep.equal(CONSUMERS_NOW);
        expect((before as { pending: unknown[] }).pending).to.deep.equal([['1-1', 'alice', rewrite ? 4 : 3]]);
        await srv.close();
        srv = await startRivulet({ dir });
        expect(await groupState(srv.port, 's')).to.deep.equal(before);
      } finally {
        await srv.close();
      }
      if (!HAVE_REDIS) return; // reason: redis-server is not installed; the rivulet side was checked above
      const copy = tmpDir('redis-loads-');
      try {
        fs.cpSync(aofDir(dir), path.join(copy, 'appendonlydir'), { recursive: true });
        const redis = await startRedis(['--appendonly', 'yes', '--dir', copy, '--aof-use-rdb-preamble', 'no']);
        try {
          const theirs = (await call(redis.port, 'XPENDING', 's', 'g', '-', '+', '10')) as Reply[][];
          expect(theirs.map((p) => [p[0], p[1], p[3]])).to.deep.equal((before as { pending: unknown[] }).pending);
          const consumers = ((await call(redis.port, 'XINFO', 'CONSUMERS', 's', 'g')) as Reply[][]).map((cons) => cons[1]);
          expect(consumers).to.deep.equal(CONSUMERS_NOW);
        } finally {
          await redis.stop();
        }
      } finally {
        rmrf(copy);
      }
    });
  }

  it('redis-server loads a base holding pending entries of deleted entries, with the same XPENDING', async function () {
    if (!HAVE_REDIS) this.skip(); // reason: redis-server is not installed on this machine
    const srv = await startRivulet({ dir, appendfsync: 'always' });
    let before: unknown;
    try {
      await runCommands(srv.port, DELETED_PENDING);
      await call(srv.port, 'BGREWRITEAOF');
      await waitRewrite(srv.port);
      before = ((await call(srv.port, 'XPENDING', 's', 'g', '-', '+', '10')) as Reply[][]).map((p) => [p[0], p[1], p[3]]);
    } finally {
      await srv.close();
    }
    const copy = tmpDir('redis-loads-');
    try {
      fs.cpSync(aofDir(dir), path.join(copy, 'appendonlydir'), { recursive: true });
      const redis = await startRedis(['--appendonly', 'yes', '--dir', copy, '--aof-use-rdb-preamble', 'no']);
      try {
        const theirs = (await call(redis.port, 'XPENDING', 's', 'g', '-', '+', '10')) as Reply[][];
        expect(theirs.map((p) => [p[0], p[1], p[3]])).to.deep.equal(before);
        expect(await call(redis.port, 'XRANGE', 's', '-', '+')).to.deep.equal([['2-1', ['b', '2']], ['4-1', ['d', '4']]]);
      } finally {
        await redis.stop();
      }
    } finally {
      rmrf(copy);
    }
  });
});
