/**
 * Damaged AOF directories (issue 20): every start either loads an
 * acknowledged prefix of the writes or refuses, naming the file and the fix;
 * and no start deletes or shortens a file it did not create (a torn tail it
 * cuts off is first saved beside the file as <file>.torn-<offset>).
 *
 * The directory is written by rivulet itself under appendfsync always, with
 * the incr file's size recorded after each acknowledged unit (a command, or
 * MULTI..EXEC), so "an acknowledged prefix" is known exactly: the state after
 * the first j units, for the j whose records lie entirely before the damage.
 * The units include commands that write several records (XREADGROUP's
 * XCLAIMs + XGROUP SETID, a history read's XCLAIM RETRYCOUNT, XCLAIM of two
 * IDs) and a transaction, so cuts inside one unit are covered.
 *
 * Cost: npm test checks every cut inside the last unit and around each record
 * boundary inside a multi-record unit, plus a seeded sample (DAMAGE_SEED, printed on failure) of
 * other cuts and flips. `npm run damage` (DAMAGE_ALL=1) checks every byte
 * offset of the incr file cut, and every byte flipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startRivulet, tmpDir, rmrf, RawConnection, normalise, sleep, aofRecordEnds } from '../helpers.js';
import { prng } from './group-crash.js';

const ALL = process.env.DAMAGE_ALL === '1';
const SEED = Number(process.env.DAMAGE_SEED) || Math.floor(Math.random() * 2 ** 31);

/** Units of the script: each is acknowledged as a whole (MULTI..EXEC is one unit). */
const UNITS: string[][][] = [
  [['XGROUP', 'CREATE', 's', 'g', '0', 'MKSTREAM']],
  [['SET', 'k1', 'one']],
  [['XADD', 's', '1-1', 'f', 'a']],
  [['XADD', 's', '2-1', 'f', 'b']],
  [['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '>']],
  [['SET', 'k2', 'two', 'PXAT', '99999999999999']],
  [['XACK', 's', 'g', '1-1']],
  [['MULTI'], ['SET', 'k4', 'four'], ['XADD', 's', '3-1', 'f', 'c'], ['INCR', 'n'], ['EXEC']],
  [['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>']],
  [['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '0']],
  [['XCLAIM', 's', 'g', 'carol', '0', '2-1', '3-1']],
  [['XAUTOCLAIM', 's', 'g', 'dave', '0', '0-0', 'COUNT', '2']],
  [['XADD', 's', '4-1', 'f', 'd']],
  [['SET', 'k3', 'three']],
];

const AOF = 'appendonlydir';
const INCR = 'appendonly.aof.1.incr.aof';
const BASE = 'appendonly.aof.1.base.aof';
const MANIFEST = 'appendonly.aof.manifest';
const QUIET = { loglevel: 'nothing' } as const;

/** `n` distinct values of `from` picked with the seed (all of them when ALL). */
function sample(from: number[], n: number, salt: number): number[] {
  if (ALL || from.length <= n) return from;
  const rnd = prng(SEED ^ salt);
  const pool = [...from];
  const out: number[] = [];
  while (out.length < n) out.push(pool.splice(Math.floor(rnd() * pool.length), 1)[0]);
  return out.sort((a, b) => a - b);
}

/** What is compared: the strings, the expiry, the stream and the group state (without clock-driven fields). */
async function observe(port: number): Promise<unknown> {
  const c = await RawConnection.open(port);
  try {
    const pending = normalise(await c.call('XPENDING', 's', 'g', '-', '+', '100'));
    const groups = normalise(await c.call('XINFO', 'GROUPS', 's'));
    const consumers = Array.isArray(groups) && groups.length > 0 ? (normalise(await c.call('XINFO', 'CONSUMERS', 's', 'g')) as unknown[][]).map((x) => [x[1], x[3]]) : null;
    return {
      strings: normalise(await c.call('MGET', 'k1', 'k2', 'k3', 'k4', 'n')),
      expiry: normalise(await c.call('PEXPIRETIME', 'k2')),
      range: normalise(await c.call('XRANGE', 's', '-', '+')),
      // [id, consumer, delivery count]: the idle time is the clock's.
      pending: Array.isArray(pending) ? (pending as unknown[][]).map((p) => [p[0], p[1], p[3]]) : pending,
      groups,
      consumers,
    };
  } finally {
    c.close();
  }
}

interface Written {
  dir: string;
  /** Incr file size after each acknowledged unit (index j: after the first j+1 units). */
  sizes: number[];
  /** observe() after the first j units (index 0: nothing). */
  states: unknown[];
}

/** Sends one unit; MULTI's queued replies are read as they come. */
async function send(c: RawConnection, unit: string[][]): Promise<void> {
  for (const cmd of unit) {
    const r = await c.call(...cmd);
    if (r instanceof Error) throw new Error(`${cmd.join(' ')}: ${r.message}`);
  }
}

/** Writes the script through rivulet (appendfsync always), recording sizes, and the states a model reaches after each prefix. */
async function writeDir(): Promise<Written> {
  const dir = tmpDir('rivulet-damage-');
  const srv = await startRivulet({ dir, appendonly: 'yes', appendfsync: 'always', ...QUIET });
  const model = await startRivulet(QUIET);
  const sizes: number[] = [];
  const states: unknown[] = [await observe(model.port)];
  try {
    const c = await RawConnection.open(srv.port);
    const m = await RawConnection.open(model.port);
    for (const unit of UNITS) {
      await send(c, unit);
      await send(m, unit);
      sizes.push(fs.statSync(path.join(dir, AOF, INCR)).size);
      states.push(await observe(model.port));
    }
    c.close();
    m.close();
  } finally {
    await srv.close();
    await model.close();
  }
  return { dir, sizes, states };
}

/** Every file of the AOF directory with its bytes. */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const f of fs.readdirSync(path.join(dir, AOF)).sort()) out.set(f, fs.readFileSync(path.join(dir, AOF, f)));
  return out;
}

/** A copy of an AOF directory to damage. */
function copyOf(src: string): string {
  const d = tmpDir('rivulet-damaged-');
  fs.cpSync(path.join(src, AOF), path.join(d, AOF), { recursive: true });
  return d;
}

/** Starts on dir: the observed state, or the refusal's message. */
async function attempt(dir: string, opts: Record<string, string> = {}): Promise<{ state?: unknown; error?: string }> {
  let srv;
  try {
    srv = await startRivulet({ dir, appendonly: 'yes', ...QUIET, ...opts });
  } catch (err) {
    return { error: (err as Error).message };
  }
  try {
    return { state: await observe(srv.port) };
  } finally {
    await srv.close();
  }
}

/** The files before a start are all still there byte for byte; only a cut torn tail may be missing, kept beside its file. */
function expectKept(before: Map<string, Buffer>, after: Map<string, Buffer>, label: string): void {
  for (const [name, bytes] of before) {
    const now = after.get(name);
    expect(now, `${label}: ${name} deleted`).to.not.equal(undefined);
    if (now!.equals(bytes)) continue;
    const torn = [...after.keys()].find((f) => f.startsWith(`${name}.torn-`) && !before.has(f));
    expect(torn, `${label}: ${name} changed without its cut tail kept`).to.not.equal(undefined);
    expect(Buffer.concat([now!, after.get(torn!)!]).equals(bytes), `${label}: ${name} + ${torn} are the bytes before the start`).to.equal(true);
  }
}

/**
 * A start on `dir` after damage at byte `intact` of the incr file: it loaded
 * the acknowledged prefix whose records end at or before `intact` (when
 * `exact`; payload damage loads something else), or refused naming `file` and
 * a fix; and it kept every byte.
 */
async function checkStartOn(d: string, w: Written, intact: number, label: string, exact: boolean, file = INCR): Promise<'loaded' | 'refused'> {
  const before = files(d);
  const r = await attempt(d);
  expectKept(before, files(d), label);
  if (r.error !== undefined) {
    expect(r.error, `${label}: names the file`).to.contain(file);
    expect(r.error, `${label}: names a fix`).to.match(/rivulet-check-aof|rivulet-check-rdb|aof-load-truncated|aof-load-failed-records/);
    return 'refused';
  }
  if (exact) {
    let j = 0;
    while (j < w.sizes.length && w.sizes[j] <= intact) j++;
    expect(r.state, `${label}: loads the first ${j} acknowledged units`).to.deep.equal(w.states[j]);
  }
  return 'loaded';
}

async function checkIncr(w: Written, damagedIncr: Buffer, intact: number, label: string, exact = true): Promise<'loaded' | 'refused'> {
  const d = copyOf(w.dir);
  try {
    fs.writeFileSync(path.join(d, AOF, INCR), damagedIncr);
    return await checkStartOn(d, w, intact, `${label} (seed ${SEED})`, exact);
  } finally {
    rmrf(d);
  }
}

/** Offsets of the RESP framing bytes (`*N\r\n`, `$L\r\n`, the CRLF after each bulk) of a well-formed file. */
function structuralOffsets(buf: Buffer): Set<number> {
  const out = new Set<number>();
  let p = 0;
  const line = (): number => {
    let n = 0;
    out.add(p++); // '*' or '$'
    while (p < buf.length && buf[p] !== 13) {
      n = n * 10 + (buf[p] - 48);
      out.add(p++);
    }
    out.add(p++);
    out.add(p++);
    return n;
  };
  while (p < buf.length) {
    const argc = line();
    for (let i = 0; i < argc; i++) {
      const len = line();
      p += len;
      out.add(p++);
      out.add(p++);
    }
  }
  return out;
}

const recordCount = (buf: Buffer): number => aofRecordEnds(buf).length;

/**
 * Offsets where a cut leaves a well-formed file: after a record outside
 * MULTI..EXEC (unit ends, and also the SELECT the file opens with). A cut
 * there is not damage anyone can see: the file loads as it is.
 */
function cleanEnds(buf: Buffer): Set<number> {
  const out = new Set<number>([0]);
  let inMulti = false;
  let start = 0;
  for (const end of aofRecordEnds(buf)) {
    const m = /^\*\d+\r\n\$\d+\r\n([A-Za-z]+)/.exec(buf.subarray(start, end).toString('latin1'));
    if (m === null) throw new Error(`not a command record at ${start}: ${JSON.stringify(buf.subarray(start, Math.min(end, start + 40)).toString('latin1'))}`);
    const name = m[1].toUpperCase();
    if (name === 'MULTI') inMulti = true;
    else if (name === 'EXEC') inMulti = false;
    if (!inMulti) out.add(end);
    start = end;
  }
  return out;
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

describe('damaged AOF directories (issue 20)', function () {
  this.timeout(ALL ? 0 : 240000);
  let w: Written;
  let full: Buffer;
  /** Start offset of each unit's records in the incr file. */
  let starts: number[];
  before(async () => {
    w = await writeDir();
    full = fs.readFileSync(path.join(w.dir, AOF, INCR));
    starts = [0, ...w.sizes.slice(0, -1)];
  });
  after(() => rmrf(w.dir));

  it('the script writes several records for the multi-record units (so cuts inside them are meaningful)', () => {
    const multi = UNITS.map((_, i) => recordCount(full.subarray(starts[i], w.sizes[i]))).filter((n) => n > 1);
    // MULTI/EXEC, XREADGROUP >, the history read, XCLAIM and XAUTOCLAIM of two IDs each wrote a MULTI..EXEC of several records.
    expect(multi.length, 'units with several records').to.be.at.least(5);
  });

  it("the incr file cut at every byte of the last unit, around each record boundary inside a unit, and at a sample elsewhere loads the acknowledged prefix, keeping the cut bytes", async () => {
    const offsets = new Set<number>(ALL ? range(0, full.length + 1) : range(starts[UNITS.length - 1], full.length + 1));
    // Inside a unit of several records: the cuts at each record boundary (half a unit on disk) and a byte either side.
    for (let i = 0; i < UNITS.length; i++) {
      for (const e of aofRecordEnds(full.subarray(starts[i], w.sizes[i]))) for (const p of [e - 1, e, e + 1]) offsets.add(starts[i] + p);
    }
    for (const p of sample(range(0, full.length), 40, 1)) offsets.add(p);
    let loaded = 0;
    for (const cut of [...offsets].sort((a, b) => a - b)) {
      if ((await checkIncr(w, full.subarray(0, cut), cut, `cut at ${cut}`)) === 'loaded') loaded++;
    }
    expect(loaded, 'a torn tail loads (aof-load-truncated yes)').to.equal(offsets.size);
  });

  it('a cut with aof-load-truncated no is refused naming the file and the fix, and nothing is changed', async () => {
    for (const cut of sample(range(1, full.length), 6, 2)) {
      const d = copyOf(w.dir);
      try {
        fs.writeFileSync(path.join(d, AOF, INCR), full.subarray(0, cut));
        const before = files(d);
        const r = await attempt(d, { 'aof-load-truncated': 'no' });
        expect(files(d), `cut at ${cut}: nothing changed`).to.deep.equal(before);
        if (cleanEnds(full).has(cut)) {
          let j = 0;
          while (j < w.sizes.length && w.sizes[j] <= cut) j++;
          expect(r.state, `cut at ${cut} (a record boundary outside MULTI) loads`).to.deep.equal(w.states[j]);
        } else {
          expect(r.error, `cut at ${cut}`).to.contain(`Unexpected end of file reading the append only file ${INCR}`);
          expect(r.error, `cut at ${cut}: names the fixes`).to.match(/rivulet-check-aof --fix.*aof-load-truncated/);
        }
      } finally {
        rmrf(d);
      }
    }
  });

  it('a flipped framing byte (headers, lengths, terminators) is refused naming the file and the fix, or loads an acknowledged prefix', async () => {
    const structural = [...structuralOffsets(full)];
    const lastTwo = structural.filter((p) => p >= starts[UNITS.length - 2]);
    const offsets = new Set([...lastTwo, ...sample(structural, 40, 3)]);
    let refused = 0;
    for (const at of [...offsets].sort((a, b) => a - b)) {
      for (const mask of ALL ? [0x01, 0x02, 0x10, 0x20, 0x80] : [0x01]) {
        const bad = Buffer.from(full);
        bad[at] ^= mask;
        if ((await checkIncr(w, bad, at, `byte ${at} ^ 0x${mask.toString(16)}`)) === 'refused') refused++;
      }
    }
    expect(refused).to.be.greaterThan(0);
  });

  it('a flipped payload byte (inside a name, key or value) is refused naming the file, or loads; never a crash, never a changed file', async () => {
    // Payload bytes carry no checksum, in Redis as here: a flip may load another value, so only the refusal and the files are checked.
    const structural = structuralOffsets(full);
    const payload = range(0, full.length).filter((p) => !structural.has(p));
    for (const at of sample(payload, 30, 4)) {
      const bad = Buffer.from(full);
      bad[at] ^= 0x01;
      await checkIncr(w, bad, at, `payload byte ${at} flipped`, false);
    }
  });

  it('an empty incr file loads the base alone; an empty base with the incr loads everything', async () => {
    const d = copyOf(w.dir);
    try {
      fs.writeFileSync(path.join(d, AOF, INCR), '');
      expect((await attempt(d)).state).to.deep.equal(w.states[0]);
      fs.writeFileSync(path.join(d, AOF, INCR), full);
      fs.writeFileSync(path.join(d, AOF, BASE), '');
      expect((await attempt(d)).state).to.deep.equal(w.states[UNITS.length]);
    } finally {
      rmrf(d);
    }
  });

  describe('two incremental files (the layout a failed rewrite leaves)', () => {
    const INCR2 = 'appendonly.aof.2.incr.aof';
    /** The script split at a unit boundary into incr 1 and incr 2. */
    function split(d: string, at: number): void {
      fs.writeFileSync(path.join(d, AOF, INCR), full.subarray(0, at));
      fs.writeFileSync(path.join(d, AOF, INCR2), full.subarray(at));
      fs.writeFileSync(path.join(d, AOF, MANIFEST), `file ${BASE} seq 1 type b\nfile ${INCR} seq 1 type i\nfile ${INCR2} seq 2 type i\n`);
    }

    it('both intact load everything', async () => {
      const d = copyOf(w.dir);
      try {
        split(d, w.sizes[5]);
        expect((await attempt(d)).state).to.deep.equal(w.states[UNITS.length]);
      } finally {
        rmrf(d);
      }
    });

    it('the first one cut (not the last file) is refused naming it and the fix, and nothing is changed', async () => {
      const at = w.sizes[5];
      for (const cut of sample(range(1, at), 8, 5)) {
        const d = copyOf(w.dir);
        try {
          split(d, at);
          fs.writeFileSync(path.join(d, AOF, INCR), full.subarray(0, cut));
          const before = files(d);
          const r = await attempt(d);
          expect(files(d), `cut at ${cut}: nothing changed`).to.deep.equal(before);
          if (cleanEnds(full).has(cut)) continue; // a cut at a record boundary outside MULTI is a well-formed (shorter) file: indistinguishable
          expect(r.error, `cut at ${cut}`).to.contain(`Unexpected end of file reading the append only file ${INCR}`);
          expect(r.error, `cut at ${cut}: says why and the fix`).to.match(/not the last file.*rivulet-check-aof/);
        } finally {
          rmrf(d);
        }
      }
    });

    it('the last one cut loads the acknowledged prefix, keeping the cut bytes', async () => {
      const at = w.sizes[5];
      for (const cut of sample(range(at, full.length), 12, 6)) {
        const d = copyOf(w.dir);
        try {
          split(d, at);
          fs.writeFileSync(path.join(d, AOF, INCR2), full.subarray(at, cut));
          expect(await checkStartOn(d, w, cut, `incr 2 cut at ${cut - at} (seed ${SEED})`, true, INCR2)).to.equal('loaded');
        } finally {
          rmrf(d);
        }
      }
    });
  });

  describe('a base with an RDB preamble (aof-use-rdb-preamble yes)', () => {
    let rdbDir: string;
    let rdbBase: string;
    before(async () => {
      rdbDir = tmpDir('rivulet-damage-rdb-');
      const srv = await startRivulet({ dir: rdbDir, appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': 'yes', ...QUIET });
      try {
        const c = await RawConnection.open(srv.port);
        for (const unit of UNITS.slice(0, 8)) await send(c, unit);
        await c.call('BGREWRITEAOF');
        for (let i = 0; ; i++) {
          const info = String(await c.call('INFO', 'persistence'));
          if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info) && fs.readdirSync(path.join(rdbDir, AOF)).some((f) => f.endsWith('.base.rdb'))) break;
          if (i > 1000) throw new Error('the rewrite did not finish');
          await sleep(20);
        }
        for (const unit of UNITS.slice(8)) await send(c, unit);
        c.close();
      } finally {
        await srv.close();
      }
      rdbBase = fs.readdirSync(path.join(rdbDir, AOF)).find((f) => f.endsWith('.base.rdb'))!;
    });
    after(() => rmrf(rdbDir));

    it('intact, it loads everything', async () => {
      expect((await attempt(rdbDir)).state).to.deep.equal(w.states[UNITS.length]);
    });

    it('a flipped byte or a cut in the RDB base is refused naming the base and the fix, and nothing is changed', async () => {
      const bytes = fs.readFileSync(path.join(rdbDir, AOF, rdbBase));
      const cases: [string, Buffer][] = [];
      for (const at of sample(range(0, bytes.length), 10, 7)) {
        const bad = Buffer.from(bytes);
        bad[at] ^= 0x01;
        cases.push([`byte ${at} flipped`, bad]);
      }
      for (const cut of sample(range(1, bytes.length), 5, 8)) cases.push([`cut at ${cut}`, bytes.subarray(0, cut)]);
      for (const [what, bad] of cases) {
        const d = copyOf(rdbDir);
        try {
          fs.writeFileSync(path.join(d, AOF, rdbBase), bad);
          const before = files(d);
          const r = await attempt(d);
          expect(files(d), `${what}: nothing changed`).to.deep.equal(before);
          expect(r.error, `${what} (seed ${SEED})`).to.contain(rdbBase);
          expect(r.error, `${what}: names the fix`).to.match(/rivulet-check-rdb|rivulet-check-aof/);
        } finally {
          rmrf(d);
        }
      }
    });
  });

  const manifestCases: [string, (d: string) => void, RegExp][] = [
    ['an empty manifest', (d) => fs.writeFileSync(path.join(d, AOF, MANIFEST), ''), /Found an empty AOF manifest/],
    ['a manifest with a garbage line', (d) => fs.appendFileSync(path.join(d, AOF, MANIFEST), 'garbage\n'), /Invalid AOF manifest file format/],
    ['a manifest cut in the middle of a line', (d) => fs.writeFileSync(path.join(d, AOF, MANIFEST), fs.readFileSync(path.join(d, AOF, MANIFEST)).subarray(0, 30)), /Invalid AOF manifest file format/],
    ['a manifest with a flipped byte in a sequence number', (d) => fs.writeFileSync(path.join(d, AOF, MANIFEST), fs.readFileSync(path.join(d, AOF, MANIFEST), 'latin1').replace('seq 1 type i', 'seq x type i')), /Invalid AOF manifest file format/],
    [
      'a manifest naming a missing file',
      (d) => fs.appendFileSync(path.join(d, AOF, MANIFEST), 'file appendonly.aof.2.incr.aof seq 2 type i\n'),
      /The AOF file appendonly\.aof\.2\.incr\.aof doesn't exist/,
    ],
    ['a manifest naming a missing base', (d) => fs.rmSync(path.join(d, AOF, BASE)), /The AOF file appendonly\.aof\.1\.base\.aof doesn't exist/],
  ];
  for (const [what, damage, reason] of manifestCases) {
    it(`${what}: the start is refused naming the manifest or file and the fix, and nothing is changed`, async () => {
      const d = copyOf(w.dir);
      try {
        damage(d);
        const before = files(d);
        const r = await attempt(d);
        expect(r.error, what).to.match(reason);
        expect(r.error, `${what}: names the manifest`).to.contain(path.join(d, AOF, MANIFEST));
        expect(r.error, `${what}: names a fix`).to.match(/rivulet-check-aof|restore/i);
        expect(files(d), `${what}: nothing changed`).to.deep.equal(before);
      } finally {
        rmrf(d);
      }
    });
  }

  it('a missing manifest with the files present is refused naming them and the fix, and nothing is changed', async () => {
    const d = copyOf(w.dir);
    try {
      fs.rmSync(path.join(d, AOF, MANIFEST));
      const before = files(d);
      const r = await attempt(d);
      expect(r.error).to.contain(`${BASE}, ${INCR}`);
      expect(r.error).to.contain(`rivulet-check-aof --rebuild-manifest ${path.join(d, AOF, MANIFEST)}`);
      expect(files(d), 'nothing changed').to.deep.equal(before);
    } finally {
      rmrf(d);
    }
  });
});
