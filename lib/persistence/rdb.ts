/**
 * RDB snapshots on disk: SAVE (synchronous), BGSAVE (a point-in-time copy
 * written over many event-loop turns while clients keep running, like the
 * AOF rewrite), the `save` schedule, LASTSAVE and INFO's rdb_* fields, and
 * loading `dir`/`dbfilename` at start.
 *
 * A snapshot is written to a temp file, fsynced, renamed over dbfilename and
 * the directory fsynced, so a crash leaves the old or the new file, never a
 * torn one (as Redis's rdbSave).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import { unpack, type Value } from '../engine/keyspace.js';
import { REDIS_VERSION } from '../version.js';
import { writeRdb, readRdb, type RdbDb, type LoadedKey } from '../rdb/file.js';
import { RdbError } from '../rdb/encoding.js';
import { canWrite } from '../rdb/values.js';
import { limitsFrom } from '../rdb/limits.js';
import { takeSnapshot, type DbSnapshot } from './serialize.js';
import { fsyncDir } from './manifest.js';

/** Time one BGSAVE slice may hold the event loop. */
const SLICE_MS = 5;

export class RdbLoadError extends Error {}

/**
 * Server state a snapshot carries besides keys: function libraries. The
 * scripting layer registers itself here (persistence does not import it):
 * `codes` gives the libraries' code to save, `load` installs the libraries
 * a loaded snapshot held (throws with the reason when one cannot be loaded).
 */
export interface FunctionsHook {
  codes(server: Engine): Buffer[];
  load(server: Engine, codes: Buffer[]): void;
  /**
   * Resolves once libraries handed to `load` are installed (the scripting engine may still be
   * loading when a snapshot is read at start); rejects with the reason when one cannot be.
   */
  settle(server: Engine): Promise<void>;
}
export const functionsHooks: FunctionsHook[] = [];

/** The function library codes to write into a snapshot of this server now. */
export function functionCodes(server: Engine): Buffer[] {
  return functionsHooks.flatMap((h) => h.codes(server));
}

const controllers = new WeakMap<Engine, RdbController>();

/** The RDB controller of a server (SAVE, BGSAVE, LASTSAVE, DEBUG RELOAD, SHUTDOWN, AOF preambles). */
export function rdbOf(server: Engine): RdbController {
  let r = controllers.get(server);
  if (!r) {
    r = new RdbController(server);
    controllers.set(server, r);
  }
  return r;
}

interface BgsaveJob {
  startedAt: number;
  dirtyAtStart: number;
  tempPath: string;
  aborted: boolean;
  done: Promise<void>;
}

/** The save points of the `save` directive: [seconds, changes] pairs. */
export function savePoints(value: string): [number, number][] {
  const words = value.trim().split(/\s+/).filter((w) => w.length > 0);
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < words.length; i += 2) out.push([Number(words[i]), Number(words[i + 1])]);
  return out;
}

/** A database snapshot in the shape the RDB writer takes. */
export function toRdbDbs(snaps: DbSnapshot[]): RdbDb[] {
  return snaps.map((s) => ({ id: s.dbId, keys: s.keys, values: s.values.map(unpack), expires: s.expires }));
}

export class RdbController {
  /** Unix ms of the last successful save (LASTSAVE); the start time until then. */
  lastSave: number;
  saves = 0;
  lastBgsaveStatus: 'ok' | 'err' = 'ok';
  lastBgsaveTimeSec = -1;
  lastBgsaveTry = 0;
  bgsave: BgsaveJob | null = null;
  /** BGSAVE SCHEDULE (or a BGSAVE during an AOF rewrite) waiting for its turn. */
  scheduled = false;
  /** server.dirty when the data on disk was last written. */
  dirtyAtSave = 0;
  lastLoadKeysLoaded = 0;
  lastLoadKeysExpired = 0;
  /** An embedded server without `dir`: keeps no files (DEBUG RELOAD stays in memory). */
  diskless = false;
  /** Set by SHUTDOWN NOSAVE / SAVE: the final save on close is decided already. */
  finalSaveDone = false;
  private cronTimer: NodeJS.Timeout | null = null;

  constructor(readonly server: Engine) {
    this.lastSave = server.startTime;
  }

  get filePath(): string {
    return path.resolve(this.server.config.get('dir') || '.', this.server.config.get('dbfilename'));
  }

  get changesSinceSave(): number {
    return this.server.dirty - this.dirtyAtSave;
  }

  /** What a snapshot is written with: the config in force now, and the function libraries now (or `functions`, taken earlier). */
  writeOptions(aofBase = false, functions: Buffer[] = functionCodes(this.server)): Parameters<typeof writeRdb>[1] {
    const cfg = this.server.config;
    return {
      functions,
      limits: limitsFrom(cfg),
      compress: cfg.bool('rdbcompression'),
      checksum: cfg.bool('rdbchecksum'),
      redisVersion: REDIS_VERSION,
      aofBase,
      lru: cfg.get('maxmemory-policy').includes('lru'),
      usedMem: process.memoryUsage().heapUsed,
      ctime: Math.floor(Date.now() / 1000),
    };
  }

  /** The databases as the writer takes them (live references: only for synchronous writes). */
  private liveDbs(): RdbDb[] {
    const now = this.server.now();
    const out: RdbDb[] = [];
    for (const db of this.server.dbs) {
      if (db.data.size === 0) continue;
      const d: RdbDb = { id: db.id, keys: [], values: [], expires: [], idle: [] };
      for (const [k, v] of db.data) {
        const at = db.expires.get(k);
        d.keys.push(k);
        d.values.push(unpack(v));
        d.expires.push(at);
        d.idle!.push(db.idleMs(k));
      }
      void now;
      out.push(d);
    }
    return out;
  }

  /** Throws when some value has no RDB encoding yet (the save would be incomplete). */
  private checkWritable(dbs: RdbDb[]): void {
    for (const d of dbs)
      for (const v of d.values) if (!canWrite(v)) throw new Error(`values of type ${(v as Exclude<Value, Buffer>).kind} cannot be written to RDB yet`);
  }

  /** Does every value have an RDB encoding? */
  canSnapshot(): boolean {
    for (const db of this.server.dbs) for (const v of db.data.values()) if (typeof v !== 'string' && !canWrite(v)) return false;
    return true;
  }

  /**
   * The whole dataset as one RDB image (DEBUG RELOAD, SYNC for redis-cli
   * --rdb, tests); `data` / `functions` false leave the keys / the function
   * libraries out (REPLCONF rdb-filter-only).
   */
  image(include: { data?: boolean; functions?: boolean } = {}): Buffer {
    const dbs = include.data === false ? [] : this.liveDbs();
    this.checkWritable(dbs);
    return Buffer.concat([...writeRdb(dbs, this.writeOptions(false, include.functions === false ? [] : functionCodes(this.server)))]);
  }

  /** SAVE: writes dbfilename synchronously. Throws (with the reason) on failure. */
  saveSync(): void {
    const dbs = this.liveDbs();
    this.checkWritable(dbs);
    const dirtyBefore = this.server.dirty;
    const final = this.filePath;
    const temp = path.join(path.dirname(final), `temp-${process.pid}.rdb`);
    const fd = fs.openSync(temp, 'w', 0o644);
    try {
      for (const chunk of writeRdb(dbs, this.writeOptions())) fs.writeSync(fd, chunk);
      fs.fsyncSync(fd);
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(temp, { force: true });
      this.server.log('warning', `Failed opening the temp RDB file ${path.basename(temp)} (in server root dir ${path.dirname(final)}) for saving: ${(err as Error).message}`);
      throw err;
    }
    fs.closeSync(fd);
    fs.renameSync(temp, final);
    fsyncDir(path.dirname(final));
    this.server.log('notice', 'DB saved on disk');
    this.dirtyAtSave = dirtyBefore;
    this.lastSave = Date.now();
    this.saves++;
    this.lastBgsaveStatus = 'ok';
  }

  /** BGSAVE: snapshot now, write over later turns. Throws when one runs already. */
  startBgsave(): void {
    if (this.bgsave) throw new Error('Background save already in progress');
    this.lastBgsaveTry = Date.now();
    const snaps = takeSnapshot(this.server.dbs, this.server.now());
    const dbs = toRdbDbs(snaps);
    this.checkWritable(dbs);
    const options = this.writeOptions();
    const final = this.filePath;
    const job: BgsaveJob = {
      startedAt: Date.now(),
      dirtyAtStart: this.server.dirty,
      tempPath: path.join(path.dirname(final), `temp-bgsave-${process.pid}.rdb`),
      aborted: false,
      done: Promise.resolve(),
    };
    this.bgsave = job;
    this.scheduled = false;
    this.server.log('notice', 'Background saving started');
    job.done = this.writeInSlices(job, dbs, final, options);
    job.done.then(
      () => this.finished(job, true),
      (err) => {
        this.server.log('warning', `Background saving error: ${(err as Error).message}`);
        this.finished(job, false);
      },
    );
  }

  private async writeInSlices(job: BgsaveJob, dbs: RdbDb[], final: string, options: Parameters<typeof writeRdb>[1]): Promise<void> {
    const fh = await fs.promises.open(job.tempPath, 'w', 0o644);
    try {
      const gen = writeRdb(dbs, options, 256 * 1024);
      let done = false;
      while (!done) {
        if (job.aborted) throw new Error('background save aborted');
        const sliceEnd = Date.now() + SLICE_MS;
        const parts: Buffer[] = [];
        while (Date.now() < sliceEnd) {
          const r = gen.next();
          if (r.done) {
            done = true;
            break;
          }
          parts.push(r.value);
        }
        if (parts.length > 0) await fh.write(Buffer.concat(parts));
        await new Promise<void>((r) => setImmediate(r));
      }
      await fh.datasync();
    } finally {
      await fh.close();
    }
    if (job.aborted) throw new Error('background save aborted');
    fs.renameSync(job.tempPath, final);
    fsyncDir(path.dirname(final));
  }

  private finished(job: BgsaveJob, ok: boolean): void {
    if (this.bgsave !== job) return;
    this.bgsave = null;
    this.lastBgsaveTimeSec = Math.floor((Date.now() - job.startedAt) / 1000);
    if (ok) {
      this.server.log('notice', 'Background saving terminated with success');
      this.dirtyAtSave = job.dirtyAtStart;
      this.lastSave = Date.now();
      this.saves++;
      this.lastBgsaveStatus = 'ok';
    } else {
      fs.rmSync(job.tempPath, { force: true });
      if (!job.aborted) this.lastBgsaveStatus = 'err';
    }
  }

  /** Waits for a running BGSAVE (tests, shutdown). */
  async settle(): Promise<void> {
    await this.bgsave?.done.catch(() => {});
  }

  startCron(isAofRewriting: () => boolean): void {
    this.cronTimer = setInterval(() => this.cron(isAofRewriting), 100);
    this.cronTimer.unref();
  }

  stopCron(): void {
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = null;
  }

  /** serverCron's save-point check: a BGSAVE when enough changes are old enough (retrying 5 s after a failure). */
  private cron(isAofRewriting: () => boolean): void {
    if (this.bgsave || isAofRewriting()) return;
    const now = Date.now();
    const tryBg = (why: string): void => {
      try {
        this.server.log('notice', why);
        this.startBgsave();
      } catch (err) {
        this.lastBgsaveStatus = 'err';
        this.server.log('warning', `Can't save in background: ${(err as Error).message}`);
      }
    };
    if (this.scheduled) return tryBg('Starting the scheduled background save');
    const changes = this.changesSinceSave;
    for (const [secs, min] of savePoints(this.server.config.get('save'))) {
      if (changes >= min && now - this.lastSave > secs * 1000 && (this.lastBgsaveStatus === 'ok' || now - this.lastBgsaveTry > 5000)) {
        return tryBg(`${min} changes in ${secs} seconds. Saving...`);
      }
    }
  }

  /** Is there an RDB file to load? */
  fileExists(): boolean {
    try {
      return fs.statSync(this.filePath).isFile();
    } catch {
      return false;
    }
  }

  /**
   * Loads dbfilename into the (empty) databases. Expired keys are skipped
   * (as a master does). Throws RdbLoadError with the reason.
   */
  /**
   * After a load at start: waits until the snapshot's function libraries are installed. A
   * library that does not load stops the start, as redis-server's "Failed loading library"
   * does (rather than serving without it and dropping it at the next save).
   */
  async settleFunctions(): Promise<void> {
    try {
      for (const h of functionsHooks) await h.settle(this.server);
    } catch (err) {
      // (The scripting layer has logged "Failed loading library, ..." as Redis does.)
      throw new RdbLoadError(`Fatal error loading the DB, check server logs. (Failed loading library, ${(err as Error).message})`);
    }
  }

  loadFile(): number {
    const file = this.filePath;
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (err) {
      throw new RdbLoadError(`Fatal error loading the DB, check server logs. (${(err as Error).message})`);
    }
    const t0 = Date.now();
    const r = this.loadImage(buf, false, path.basename(file));
    this.server.log('notice', `DB loaded from disk: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
    return r.keys;
  }

  /**
   * Loads an RDB image into the databases (an RDB file, an AOF base's
   * preamble, DEBUG RELOAD). `aofPreamble` keeps expired keys (the AOF that
   * follows assumes them). Returns where the RDB part ended.
   */
  loadImage(buf: Buffer, aofPreamble: boolean, name: string, allowDup = false): { end: number; keys: number } {
    const server = this.server;
    const now = server.now();
    let loaded = 0;
    let expired = 0;
    const functions: Buffer[] = [];
    try {
      const r = readRdb(buf, {
        onFunction: (code) => void functions.push(code),
        checksum: server.config.bool('rdbchecksum'),
        limits: limitsFrom(server.config),
        databases: server.dbs.length,
        onWarning: (m) => server.log('warning', m),
        onKey: (k: LoadedKey) => {
          const db = server.dbs[k.db];
          if (!aofPreamble && k.expireAt !== undefined && k.expireAt < now) {
            expired++;
            return;
          }
          if (db.data.has(k.key)) {
            if (!allowDup) throw new RdbError(`RDB has duplicated key '${k.key}' in DB ${k.db}`);
            db.delete(k.key);
          }
          db.set(k.key, k.value);
          if (k.expireAt !== undefined) db.setExpire(k.key, k.expireAt);
          if (k.idleSecs !== undefined) db.setIdle(k.key, k.idleSecs * 1000);
          loaded++;
        },
      });
      if (functions.length > 0) {
        try {
          for (const h of functionsHooks) h.load(server, functions);
        } catch (err) {
          server.log('warning', `Failed loading library, ${(err as Error).message}`);
          throw new RdbError(`Failed loading the function libraries: ${(err as Error).message}`);
        }
      }
      this.lastLoadKeysLoaded = loaded;
      this.lastLoadKeysExpired = expired;
      server.log('notice', `Done loading RDB, keys loaded: ${loaded}, keys expired: ${expired}.`);
      return { end: r.end, keys: loaded };
    } catch (err) {
      if (err instanceof RdbError) throw new RdbLoadError(`Short read or corrupt RDB ${name}: ${err.message}`);
      throw err;
    }
  }

  infoFields(): [string, string | number][] {
    const now = Date.now();
    return [
      ['rdb_changes_since_last_save', this.changesSinceSave],
      ['rdb_bgsave_in_progress', this.bgsave ? 1 : 0],
      ['rdb_last_save_time', Math.floor(this.lastSave / 1000)],
      ['rdb_last_bgsave_status', this.lastBgsaveStatus],
      ['rdb_last_bgsave_time_sec', this.lastBgsaveTimeSec],
      ['rdb_current_bgsave_time_sec', this.bgsave ? Math.floor((now - this.bgsave.startedAt) / 1000) : -1],
      ['rdb_saves', this.saves],
      ['rdb_last_load_keys_expired', this.lastLoadKeysExpired],
      ['rdb_last_load_keys_loaded', this.lastLoadKeysLoaded],
    ];
  }
}
