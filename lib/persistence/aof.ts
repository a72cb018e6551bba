/**
 * The append-only file, Redis 7 style: a directory `<dir>/<appenddirname>`
 * with a manifest, one base file and incremental files (see manifest.ts).
 *
 * Life cycle:
 * - start (before listening): load the files named by the manifest (or
 *   upgrade a legacy `<dir>/<appendfilename>`), then open the last
 *   incremental file for appending and become `server.aof`.
 * - every write's effect is fed to the writer (writer.ts: fsync policies,
 *   group commit, MISCONF on disk errors).
 * - rewrite (BGREWRITEAOF, automatic growth rule, turning appendonly on at
 *   run time): new writes go to a fresh incremental file from the start of
 *   the rewrite; a point-in-time snapshot is serialised into a temp base file
 *   over many event-loop turns; then the base is renamed into place and the
 *   manifest swapped atomically. A crash at any step leaves a loadable
 *   directory: until the swap the old manifest (old base + old incrs + the
 *   new incr) describes all the data.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AofSink, DurabilityLog, Engine } from '../engine/engine.js';
import * as E from '../errors.js';
import type { ReplyError } from '../errors.js';
import {
  type Manifest,
  type AofFileInfo,
  ManifestError,
  parseManifest,
  persistManifest,
  emptyManifest,
  cloneManifest,
  baseName,
  incrName,
  fsyncDir,
  aofFilesIn,
} from './manifest.js';
import { AofWriter, type FsyncPolicy, strerror } from './writer.js';
import { loadFile, loadBuffer, AofLoadError } from './loader.js';
import { takeSnapshot, serializeSnapshot } from './serialize.js';
import { faultPoint } from './faults.js';
import { type RdbController, toRdbDbs, functionCodes } from './rdb.js';
import { writeRdb } from '../rdb/file.js';
import { rdbKeepsAll } from '../rdb/values.js';

/** Time one rewrite slice may hold the event loop before yielding to clients. */
const SLICE_MS = 5;
/** Bytes gathered before a write() to the temp base file. */
const WRITE_BATCH = 1 << 20;

interface RewriteJob {
  startedAt: number;
  /** Turning AOF on: the manifest on disk does not list the new incr until the base is done. */
  initial: boolean;
  /** The incremental file opened at the start of this rewrite (first of the new generation); null when the AOF is off. */
  newIncr: AofFileInfo | null;
  tempPath: string;
  aborted: boolean;
  done: Promise<void>;
  /** The base is an RDB image (named *.base.rdb, as Redis names it). */
  rdbBase?: boolean;
  /** Records written before the keys (see rewritePreambles). */
  preamble: Buffer[];
  /** Function library codes at the snapshot (an RDB base writes them). */
  functions?: Buffer[];
}

/**
 * Providers of records that open a rewritten base file (scripting registers
 * one FUNCTION LOAD per library); each returns encoded commands.
 */
export const rewritePreambles: ((server: Engine) => Buffer[])[] = [];

export class Aof implements AofSink, DurabilityLog {
  manifest: Manifest = emptyManifest();
  /** The RDB controller (set by installPersistence): base files with an RDB preamble go through it. */
  rdb: RdbController | null = null;
  writer: AofWriter | null = null;
  rewrite: RewriteJob | null = null;
  /** INFO counters, named after Redis's fields. */
  rewrites = 0;
  rewriteScheduled = false;
  lastRewriteTimeSec = -1;
  lastBgrewriteStatus: 'ok' | 'err' = 'ok';
  consecutiveFailures = 0;
  /** Size of all AOF files right after the last load or rewrite (aof_base_size; the auto-rewrite growth is measured from it). */
  baseSize = 0;
  /** Sizes of the files before the current incremental one (base + older incrs). */
  private olderFilesSize = 0;
  private cronTimer: NodeJS.Timeout | null = null;
  private enabled = false;
  private started = false;

  constructor(readonly server: Engine) {}

  // ---- paths and config ----
  get filename(): string {
    return this.server.config.get('appendfilename');
  }

  /** Fixed when the AOF is turned on, so a later CONFIG SET dir cannot split one AOF over two directories. */
  private fixedDir: string | null = null;

  get dirPath(): string {
    return this.fixedDir ?? path.resolve(this.server.config.get('dir') || '.', this.server.config.get('appenddirname'));
  }

  private policy(): FsyncPolicy {
    return this.server.config.get('appendfsync') as FsyncPolicy;
  }

  private log(level: 'notice' | 'warning', msg: string): void {
    this.server.log(level, msg);
  }

  /** Current total size of the AOF (aof_current_size). */
  get currentSize(): number {
    return this.olderFilesSize + (this.writer ? this.writer.fileSize + this.writer.pendingBytes : 0);
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  // ---- start-up ----
  /** Loads the AOF (if appendonly yes) and opens it for appending. Throws AofLoadError/ManifestError with a message for the operator. */
  async start(): Promise<void> {
    this.started = true;
    this.cronTimer = setInterval(() => this.cron(), 100);
    this.cronTimer.unref();
    if (!this.server.config.bool('appendonly')) return;
    this.fixedDir = this.dirPath;
    try {
      fs.mkdirSync(this.dirPath, { recursive: true });
      this.upgradeLegacy();
      this.refuseOrphans();
      const t0 = Date.now();
      this.loadFromDisk();
      this.log('notice', `DB loaded from append only file: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
      this.removeLeftovers();
      this.openForAppend('on server start');
    } catch (err) {
      // A refused start leaves nothing running in an embedding process (no close(): it could save an empty dump.rdb).
      this.stopTimers();
      throw err;
    }
    this.enabled = true;
    this.server.aof = this;
  }

  /** A single `<dir>/<appendfilename>` from Redis < 7 becomes the base of a new manifest, as Redis upgrades it. */
  private upgradeLegacy(): void {
    const dir = this.dirPath;
    const manifestPath = path.join(dir, `${this.filename}.manifest`);
    const legacy = path.resolve(this.server.config.get('dir') || '.', this.filename);
    const inDir = path.join(dir, this.filename);
    if (!fs.existsSync(manifestPath)) {
      if (!isFile(legacy)) return;
      // Manifest first: if we crash before the move, the next start finishes it (below).
      const m = emptyManifest();
      m.base = { name: this.filename, seq: 1, type: 'b' };
      m.baseSeq = 1;
      persistManifest(dir, this.filename, m);
    }
    if (isFile(legacy) && !fs.existsSync(inDir)) {
      const m = this.readManifest();
      if (m.base?.name === this.filename) {
        fs.renameSync(legacy, inDir);
        fsyncDir(dir);
        fsyncDir(path.dirname(legacy));
        this.log('notice', `Successfully migrated an old-style AOF file (${this.filename}) into the AOF directory (${this.server.config.get('appenddirname')}).`);
      }
    }
  }

  /**
   * AOF files in the directory but no manifest (lost in a backup/restore, or
   * deleted by hand): starting empty would hide them and the next file
   * created could take one of their names, so refuse, naming them and the fix.
   */
  private refuseOrphans(): void {
    const dir = this.dirPath;
    const manifestPath = path.join(dir, `${this.filename}.manifest`);
    if (fs.existsSync(manifestPath)) return;
    const orphans = aofFilesIn(dir, this.filename);
    if (orphans.length === 0) return;
    throw new AofLoadError(
      `The AOF directory ${dir} holds AOF files but no manifest (${this.filename}.manifest): ${orphans.join(', ')}. ` +
        `Not starting, so that they are neither ignored nor overwritten. Rebuild the manifest from them with ` +
        `'rivulet-check-aof --rebuild-manifest ${manifestPath}', or move them out of the directory to start empty.`,
    );
  }

  /** The first sequence number >= `from` whose file (made by `name`) does not exist: a file this process did not create is never reused. */
  private freeSeq(from: number, name: (filename: string, seq: number) => string): number {
    let seq = from;
    while (fs.existsSync(path.join(this.dirPath, name(this.filename, seq)))) seq++;
    return seq;
  }

  /** History files of a finished rewrite and temp files of an interrupted one (a crash) are garbage. */
  private removeLeftovers(): void {
    const dir = this.dirPath;
    const m = this.manifest;
    if (m.history.length > 0) {
      for (const h of m.history) {
        this.log('notice', `Removing the history file ${h.name} in the background`);
        fs.rmSync(path.join(dir, h.name), { force: true });
      }
      m.history = [];
      persistManifest(dir, this.filename, m);
    }
    for (const name of fs.readdirSync(dir)) {
      if (/^temp-rewriteaof-.*\.aof$/.test(name) || name === `temp-${this.filename}.manifest`) fs.rmSync(path.join(dir, name), { force: true });
    }
  }

  /** Is there any AOF on disk (a manifest, or a legacy single file to upgrade)? */
  existsOnDisk(): boolean {
    const dir = this.dirPath;
    if (fs.existsSync(path.join(dir, `${this.filename}.manifest`))) return true;
    return isFile(path.resolve(this.server.config.get('dir') || '.', this.filename));
  }

  private readManifest(): Manifest {
    const p = path.join(this.dirPath, `${this.filename}.manifest`);
    let text: string;
    try {
      text = fs.readFileSync(p, 'latin1');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyManifest();
      throw new AofLoadError(`Can't open the AOF manifest ${p} for reading: ${(err as Error).message}`);
    }
    try {
      return parseManifest(text);
    } catch (err) {
      if (err instanceof ManifestError) {
        throw new AofLoadError(
          `${err.message} (manifest ${p}). Restore the manifest from a backup, or move it aside and rebuild it from the AOF files with 'rivulet-check-aof --rebuild-manifest ${p}'.`,
        );
      }
      throw err;
    }
  }

  /** Loads base + incrs into the (empty) databases. */
  loadFromDisk(): void {
    const m = this.readManifest();
    this.manifest = m;
    const files = [...(m.base ? [m.base] : []), ...m.incrs];
    // Every file first: a missing one stops the start before anything is loaded.
    for (const f of files) {
      if (!fs.existsSync(path.join(this.dirPath, f.name))) {
        const mp = path.join(this.dirPath, `${this.filename}.manifest`);
        throw new AofLoadError(
          `The AOF file ${f.name} doesn't exist (named by the manifest ${mp}). Restore it from a backup; to start without its data, remove its line from the manifest (rivulet-check-aof ${mp} checks the result).`,
        );
      }
    }
    const server = this.server;
    const dirtyBefore = server.dirty;
    const savedAof = server.aof;
    server.aof = null;
    server.loading = true;
    let total = 0;
    try {
      files.forEach((f, i) => {
        const r = loadFile(server, path.join(this.dirPath, f.name), f.name, i === files.length - 1, server.config.bool('aof-load-truncated'));
        total += r.size;
        if (f.type === 'b') this.log('notice', `DB loaded from base file ${f.name}`);
        else this.log('notice', `DB loaded from incr file ${f.name}`);
      });
    } finally {
      server.loading = false;
      server.aof = savedAof;
      server.dirty = dirtyBefore;
    }
    this.baseSize = total;
  }

  /**
   * Makes sure there is a base and an incremental file to append to (Redis
   * creates an empty base on a fresh start), persisting the manifest when it
   * changes; opens the last incr file.
   */
  private openForAppend(why: string): void {
    const dir = this.dirPath;
    const m = this.manifest;
    let changed = false;
    if (!m.base && m.incrs.length === 0) {
      m.baseSeq = this.freeSeq(m.baseSeq + 1, baseName);
      m.base = { name: baseName(this.filename, m.baseSeq), seq: m.baseSeq, type: 'b' };
      fs.closeSync(fs.openSync(path.join(dir, m.base.name), 'wx', 0o644));
      this.log('notice', `Creating AOF base file ${m.base.name} ${why}`);
      changed = true;
    }
    if (m.incrs.length === 0) {
      m.incrSeq = this.freeSeq(m.incrSeq + 1, incrName);
      const inc: AofFileInfo = { name: incrName(this.filename, m.incrSeq), seq: m.incrSeq, type: 'i' };
      fs.closeSync(fs.openSync(path.join(dir, inc.name), 'wx', 0o644));
      m.incrs.push(inc);
      this.log('notice', `Creating AOF incr file ${inc.name} ${why}`);
      changed = true;
    }
    if (changed) {
      fsyncDir(dir);
      persistManifest(dir, this.filename, m);
    }
    const last = m.incrs[m.incrs.length - 1];
    const fd = fs.openSync(path.join(dir, last.name), 'a', 0o644);
    const size = fs.fstatSync(fd).size;
    this.olderFilesSize = this.sizeOf([...(m.base ? [m.base] : []), ...m.incrs.slice(0, -1)]);
    this.writer = this.attach(new AofWriter(fd, size, this.policy(), (l, msg) => this.log(l, msg)));
    if (this.baseSize === 0) this.baseSize = this.currentSize;
  }

  private sizeOf(files: AofFileInfo[]): number {
    let n = 0;
    for (const f of files) {
      try {
        n += fs.statSync(path.join(this.dirPath, f.name)).size;
      } catch {
        /* missing: counts as 0 */
      }
    }
    return n;
  }

  // ---- AofSink ----
  feed(dbId: number, argvs: Buffer[][]): void {
    this.writer?.append(dbId, argvs);
  }

  // ---- DurabilityLog: offsets across every writer this server had, so they never go back ----
  /** Bytes fed to writers that were closed (fully flushed) before the current one. */
  private fedBase = 0;
  private durableListeners: (() => void)[] = [];

  replyMark(): number | null {
    const m = this.writer?.replyMark() ?? null;
    return m === null ? null : this.fedBase + m;
  }

  /** Where held replies may be released up to (AofWriter.releasable: fsynced under always, written otherwise). */
  get durableOffset(): number {
    return this.fedBase + (this.writer?.releasable ?? 0);
  }

  onDurable(listener: () => void): void {
    this.durableListeners.push(listener);
  }

  private emitDurable(): void {
    for (const l of this.durableListeners) l();
  }

  /** Makes `w` the current writer, reporting its fsyncs. */
  private attach(w: AofWriter): AofWriter {
    w.onSynced = () => this.emitDurable();
    return w;
  }

  /** Closes a writer that is no longer current (flush + fsync); what it was fed counts as durable from now on. */
  private retire(w: AofWriter): void {
    try {
      w.close();
    } finally {
      this.fedBase += w.fed;
      this.emitDurable();
    }
  }

  writeError(): ReplyError | null {
    const err = this.writer?.lastError;
    return err ? E.misconfAof(err) : null;
  }

  /** Plugin stop hook: no more automatic rewrites. (close() flushes.) */
  stopTimers(): void {
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = null;
  }

  async close(): Promise<void> {
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = null;
    if (this.rewrite) {
      this.rewrite.aborted = true;
      await this.rewrite.done.catch(() => {});
    }
    const w = this.writer;
    if (!w) return;
    this.writer = null;
    this.log('notice', 'Calling fsync() on the AOF file.');
    this.retire(w);
  }

  // ---- run-time configuration ----
  onConfigChange(name: string, value: string): void {
    if (!this.started) return;
    if (name === 'appendfsync') this.writer?.setPolicy(value as FsyncPolicy);
    else if (name === 'appendonly') {
      if (value === 'yes' && !this.enabled) this.turnOn();
      else if (value === 'no' && this.enabled) this.turnOff();
    }
  }

  /** CONFIG SET appendonly yes: write a base from the current data first (a rewrite), appending new writes meanwhile. */
  private turnOn(): void {
    this.fixedDir = null;
    this.fixedDir = this.dirPath;
    fs.mkdirSync(this.dirPath, { recursive: true });
    try {
      this.refuseOrphans();
      this.manifest = this.readManifest();
    } catch (err) {
      this.log('warning', `Can't turn on the AOF: ${(err as Error).message}`);
      return;
    }
    this.enabled = true;
    try {
      this.startRewrite(true);
    } catch (err) {
      this.enabled = false;
      this.log('warning', `Can't turn on the AOF: ${(err as Error).message}`);
    }
  }

  /** CONFIG SET appendonly no: flush, fsync and close; a running rewrite is abandoned. */
  private turnOff(): void {
    this.enabled = false;
    if (this.rewrite) this.rewrite.aborted = true;
    this.server.aof = null;
    const w = this.writer;
    this.writer = null;
    if (!w) return;
    try {
      this.retire(w);
    } catch (err) {
      this.log('warning', `Error flushing the AOF while turning it off: ${(err as Error).message}`);
    }
  }

  // ---- rewrite ----
  get rewriteInProgress(): boolean {
    return this.rewrite !== null;
  }

  /**
   * Starts a background rewrite: synchronously switches to a new incremental
   * file and takes the snapshot; the base is written over later turns
   * (`job.done` settles at the end). Throws when one is already running or
   * the switch fails.
   */
  startRewrite(initial = false): void {
    if (this.rewrite) throw new Error('Background append only file rewriting already in progress');
    const m = this.manifest;
    const dir = this.dirPath;
    fs.mkdirSync(dir, { recursive: true });
    // With the AOF off (BGREWRITEAOF on an in-memory server) only a base is written, as in Redis.
    const appending = this.enabled;
    const incrSeq = appending ? this.freeSeq(m.incrSeq + 1, incrName) : 0;
    const newIncr: AofFileInfo | null = appending ? { name: incrName(this.filename, incrSeq), seq: incrSeq, type: 'i' } : null;
    const job: RewriteJob = {
      startedAt: Date.now(),
      initial,
      newIncr,
      tempPath: path.join(dir, `temp-rewriteaof-bg-${process.pid}.aof`),
      aborted: false,
      preamble: [],
      done: Promise.resolve(),
    };
    this.rewrite = job;
    this.rewriteScheduled = false;
    try {
      // 1. Everything written so far goes to the old files; new writes to the new incr.
      if (newIncr) {
        if (this.writer) this.writer.flushSync();
        const fd = fs.openSync(path.join(dir, newIncr.name), 'wx', 0o644);
        m.incrSeq = newIncr.seq;
        if (this.writer) {
          this.olderFilesSize += this.writer.fileSize;
          this.writer.switchFile(fd);
        } else {
          this.writer = this.attach(new AofWriter(fd, 0, this.policy(), (l, msg) => this.log(l, msg)));
        }
        this.log('notice', `Creating AOF incr file ${newIncr.name} on background rewrite`);
        if (!initial) {
          m.incrs.push(newIncr);
          fsyncDir(dir);
          persistManifest(dir, this.filename, m);
        }
      }
      faultPoint('rewrite-incr-opened');
      // 2. The point-in-time copy the base is made of (the state the new incr starts from).
      const snapshot = takeSnapshot(this.server.dbs, Date.now());
      // Server state that is not keys (function libraries) goes first, as Redis's rewriteFunctions.
      job.preamble = rewritePreambles.flatMap((f) => f(this.server));
      job.functions = functionCodes(this.server);
      if (initial) this.server.aof = this;
      this.log('notice', 'Background append only file rewriting started');
      job.done = this.writeBase(job, snapshot);
    } catch (err) {
      this.rewrite = null;
      throw err;
    }
    job.done.then(
      () => this.rewriteFinished(job, true),
      (err) => {
        this.log('warning', `Background AOF rewrite failed: ${(err as Error).message}`);
        this.rewriteFinished(job, false);
      },
    );
  }

  /**
   * Should this rewrite write an RDB base? (aof-use-rdb-preamble yes, and the
   * RDB form keeps every value whole: a stream with IDMP state keeps the
   * whole base in RESP form, which has XCFGSET/XIDMPRECORD records.)
   */
  private rdbPreamble(snapshot: ReturnType<typeof takeSnapshot>): boolean {
    if (!this.server.config.bool('aof-use-rdb-preamble') || this.rdb === null) return false;
    for (const s of snapshot) for (const v of s.values) if (typeof v !== 'string' && !rdbKeepsAll(v)) return false;
    return true;
  }

  private async writeBase(job: RewriteJob, snapshot: ReturnType<typeof takeSnapshot>): Promise<void> {
    const dir = this.dirPath;
    const fd = await fs.promises.open(job.tempPath, 'w', 0o644);
    let written = 0;
    try {
      // aof-use-rdb-preamble yes: the base is an RDB image (redis-server writes and reads it the same way);
      // values without an RDB encoding yet keep the RESP form.
      const rdbBase = this.rdbPreamble(snapshot);
      job.rdbBase = rdbBase;
      // Function libraries open a RESP base (FUNCTION LOAD records); an RDB base carries them as RDB_OPCODE_FUNCTION2 records.
      if (!rdbBase && job.preamble.length > 0) {
        const head = Buffer.concat(job.preamble);
        await fd.write(head);
        written += head.length;
      }
      const gen = rdbBase ? writeRdb(toRdbDbs(snapshot), this.rdb!.writeOptions(true, job.functions), 64 * 1024) : serializeSnapshot(snapshot);
      const totalKeys = snapshot.reduce((n, s) => n + s.keys.length, 0);
      let keysSeen = 0;
      let halfReported = false;
      let parts: Buffer[] = [];
      let partsLen = 0;
      let done = false;
      while (!done) {
        if (job.aborted) throw new Error('rewrite aborted');
        const sliceEnd = Date.now() + SLICE_MS;
        while (partsLen < WRITE_BATCH) {
          const r = gen.next();
          if (r.done) {
            done = true;
            break;
          }
          parts.push(r.value);
          partsLen += r.value.length;
          keysSeen++;
          if ((keysSeen & 255) === 0 && Date.now() > sliceEnd) break;
          // (Test crash point: stop half way with a partly written temp file.)
          if (!halfReported && keysSeen * 2 >= totalKeys) break;
        }
        if (partsLen > 0) {
          await fd.write(Buffer.concat(parts, partsLen));
          written += partsLen;
          parts = [];
          partsLen = 0;
        }
        if (!halfReported && keysSeen * 2 >= totalKeys) {
          halfReported = true;
          faultPoint('rewrite-base-half');
        }
        // Let clients run between slices.
        await new Promise<void>((r) => setImmediate(r));
      }
      await fd.datasync();
    } finally {
      await fd.close();
    }
    if (job.aborted) throw new Error('rewrite aborted');
    this.log('notice', `Successfully created the temporary AOF base file ${path.basename(job.tempPath)}`);
    faultPoint('rewrite-base-written');
    // 3. Swap: rename the base into place, then the manifest (the commit point).
    const m = this.manifest;
    const newBaseSeq = this.freeSeq(m.baseSeq + 1, baseName);
    const newBase: AofFileInfo = { name: baseName(this.filename, newBaseSeq, job.rdbBase), seq: newBaseSeq, type: 'b' };
    // (link + unlink rather than rename: link refuses to replace a file that appeared meanwhile.)
    try {
      fs.linkSync(job.tempPath, path.join(dir, newBase.name));
      fs.unlinkSync(job.tempPath);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
      fs.renameSync(job.tempPath, path.join(dir, newBase.name)); // a filesystem without hard links
    }
    fsyncDir(dir);
    this.log('notice', `Successfully renamed the temporary AOF base file ${path.basename(job.tempPath)} into ${newBase.name}`);
    faultPoint('rewrite-base-renamed');
    const next = cloneManifest(m);
    const keepFrom = job.newIncr ? m.incrs.findIndex((f) => f.seq >= job.newIncr!.seq) : -1;
    const oldIncrs = keepFrom === -1 ? m.incrs : m.incrs.slice(0, keepFrom);
    const newIncrs = keepFrom === -1 ? [] : m.incrs.slice(keepFrom);
    if (job.initial && job.newIncr) newIncrs.unshift(job.newIncr);
    const history = [...(m.base ? [m.base] : []), ...oldIncrs].filter((f) => f.name !== newBase.name);
    next.base = newBase;
    next.baseSeq = newBase.seq;
    next.incrs = newIncrs.map((f) => ({ ...f }));
    next.history = [...m.history, ...history.map((f) => ({ ...f, type: 'h' as const }))];
    persistManifest(dir, this.filename, next, 'rewrite-manifest-temp-written');
    this.manifest = next;
    faultPoint('rewrite-manifest-swapped');
    // 4. History files are garbage now.
    for (const h of next.history) {
      this.log('notice', `Removing the history file ${h.name} in the background`);
      fs.rmSync(path.join(dir, h.name), { force: true });
    }
    next.history = [];
    persistManifest(dir, this.filename, next);
    this.olderFilesSize = written + this.sizeOf(next.incrs.slice(0, -1));
    this.baseSize = this.currentSize;
  }

  private rewriteFinished(job: RewriteJob, ok: boolean): void {
    if (this.rewrite !== job) return;
    this.rewrite = null;
    this.lastRewriteTimeSec = Math.floor((Date.now() - job.startedAt) / 1000);
    if (ok) {
      this.rewrites++;
      this.consecutiveFailures = 0;
      this.lastBgrewriteStatus = 'ok';
      this.log('notice', 'Background AOF rewrite finished successfully');
    } else {
      fs.rmSync(job.tempPath, { force: true });
      if (!job.aborted) {
        this.lastBgrewriteStatus = 'err';
        this.consecutiveFailures++;
      }
      if (job.initial && !job.aborted && this.writer) {
        // Could not create the first base: AOF stays off, as in Redis.
        this.enabled = false;
        this.server.aof = null;
        const w = this.writer;
        this.writer = null;
        try {
          this.retire(w);
        } catch {
          /* the AOF is being abandoned */
        }
      }
    }
  }

  /** Automatic rewrite when the AOF grew by auto-aof-rewrite-percentage over its size after the last rewrite. */
  private cron(): void {
    if (!this.enabled || this.rewrite || !this.writer) return;
    if (this.rewriteScheduled) {
      this.tryRewrite();
      return;
    }
    const pct = this.server.config.int('auto-aof-rewrite-percentage');
    const min = this.server.config.int('auto-aof-rewrite-min-size');
    const size = this.currentSize;
    if (pct <= 0 || size < min) return;
    const base = this.baseSize > 0 ? this.baseSize : 1;
    const growth = Math.floor(((size - base) * 100) / base);
    if (growth >= pct) {
      this.log('notice', `Starting automatic rewriting of AOF on ${growth}% growth`);
      this.tryRewrite();
    }
  }

  private tryRewrite(): void {
    try {
      this.startRewrite();
    } catch (err) {
      this.lastBgrewriteStatus = 'err';
      this.consecutiveFailures++;
      this.log('warning', `Can't rewrite the AOF: ${(err as Error).message}`);
    }
  }

  // ---- DEBUG LOADAOF / RELOAD ----
  /** Flushes and fsyncs what is pending, empties the data and loads it back from the files. */
  reloadFromDisk(): void {
    if (this.writer) this.writer.flushSync();
    emptyAll(this.server);
    this.loadFromDisk();
    this.baseSize = this.currentSize;
  }

  /** INFO persistence fields (aof_*). */
  infoFields(): [string, string | number][] {
    const now = Date.now();
    const f: [string, string | number][] = [
      ['aof_enabled', this.enabled ? 1 : 0],
      ['aof_rewrite_in_progress', this.rewrite ? 1 : 0],
      ['aof_rewrite_scheduled', this.rewriteScheduled ? 1 : 0],
      ['aof_last_rewrite_time_sec', this.lastRewriteTimeSec],
      ['aof_current_rewrite_time_sec', this.rewrite ? Math.floor((now - this.rewrite.startedAt) / 1000) : -1],
      ['aof_last_bgrewrite_status', this.lastBgrewriteStatus],
      ['aof_rewrites', this.rewrites],
      ['aof_rewrites_consecutive_failures', this.consecutiveFailures],
      ['aof_last_write_status', this.writer?.lastError ? 'err' : 'ok'],
    ];
    if (this.enabled) {
      f.push(
        ['aof_current_size', this.currentSize],
        ['aof_base_size', this.baseSize],
        ['aof_pending_rewrite', this.rewriteScheduled ? 1 : 0],
        ['aof_buffer_length', this.writer?.pendingBytes ?? 0],
        ['aof_pending_bio_fsync', this.writer?.fsyncInFlight ? 1 : 0],
        ['aof_delayed_fsync', 0],
      );
    }
    return f;
  }
}

/** Empties every database (DEBUG RELOAD / LOADAOF), telling watchers. */
export function emptyAll(server: Engine): void {
  for (const db of server.dbs) db.flush();
}

/** Loads RESP commands from memory (DEBUG RELOAD's round trip). */
export function loadFromBuffer(server: Engine, buf: Buffer): void {
  const savedAof = server.aof;
  const dirtyBefore = server.dirty;
  server.aof = null;
  server.loading = true;
  try {
    loadBuffer(server, buf, '(DEBUG RELOAD)', true, false);
  } finally {
    server.loading = false;
    server.aof = savedAof;
    server.dirty = dirtyBefore;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export { strerror };
