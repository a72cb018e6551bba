/**
 * Appending to the current incremental AOF file, under one of Redis's fsync
 * policies:
 *
 * - always: a reply to a write is held until the write is on disk. Group
 *   commit: everything fed during one event-loop turn goes out as one write at
 *   the end of the turn, then one fdatasync (in the thread pool) covers it and
 *   whatever was written while the previous fsync ran; then every held reply
 *   it covers is released in order.
 * - everysec: bytes reach the kernel before the replies that acknowledge
 *   them are sent, so a process crash loses nothing: as under always, one
 *   write at the end of the event-loop turn covers every client served in it
 *   (Redis's beforeSleep), and their held replies go right after it; an
 *   fdatasync runs once a second off the event loop.
 * - no: as everysec without the fsync.
 *
 * Counters (all in bytes, across files, monotonic):
 *   synced <= written <= fed; fed - written = bytes still pending in memory.
 *
 * A failed write or fsync sets `lastError`; the server then refuses writes
 * with MISCONF (see writeError) until a retry succeeds. Pending bytes are
 * kept and retried once a second; a partial write is truncated away first so
 * the file never holds half a record followed by a whole one.
 */
import fs from 'node:fs';
import { encodeCommand } from './resp.js';

export type FsyncPolicy = 'always' | 'everysec' | 'no';

/** File operations, replaceable by tests to simulate a failing disk. */
export interface AofIo {
  writeSync(fd: number, buf: Buffer): number;
  fdatasync(fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void;
  fdatasyncSync(fd: number): void;
  ftruncateSync(fd: number, len: number): void;
}

export const realIo: AofIo = {
  writeSync: (fd, buf) => fs.writeSync(fd, buf, 0, buf.length),
  fdatasync: (fd, cb) => fs.fdatasync(fd, cb),
  fdatasyncSync: (fd) => fs.fdatasyncSync(fd),
  ftruncateSync: (fd, len) => fs.ftruncateSync(fd, len),
};

const SELECT = Buffer.from('SELECT');
const DB_NAMES: Buffer[] = [];
const dbName = (id: number): Buffer => (DB_NAMES[id] ??= Buffer.from(String(id)));

/** strerror() texts for the errors a disk write can plausibly return (Redis prints strerror). */
const STRERROR: Record<string, string> = {
  ENOSPC: 'No space left on device',
  EIO: 'Input/output error',
  EDQUOT: 'Disk quota exceeded',
  EROFS: 'Read-only file system',
  EBADF: 'Bad file descriptor',
  EFBIG: 'File too large',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EINVAL: 'Invalid argument',
  ENOENT: 'No such file or directory',
};

export function strerror(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return (e?.code && STRERROR[e.code]) || e?.message || String(err);
}

export class AofWriter {
  /** Bytes fed / handed to write() successfully / covered by a completed fsync. */
  fed = 0;
  written = 0;
  synced = 0;
  /** Unix ms when the last fsync completed (0: none yet); read by the metrics endpoint. */
  lastSyncedAt = 0;
  /** Size of the current file as far as completed writes go. */
  fileSize: number;
  /** strerror text of the last failed write/fsync, null when healthy. */
  lastError: string | null = null;
  io: AofIo = realIo;

  private chunks: Buffer[] = [];
  private pendingLen = 0;
  /** Database the current file's last record ran against (-1: a fresh file, SELECT first). */
  private selectedDb = -1;
  /** Called whenever `synced` advances (the network layer releases replies held for it). */
  onSynced: (() => void) | null = null;
  /** `fed` at the previous replyMark call: more means the batch being replied to wrote something. */
  private fedAtLastGate = 0;
  /** The fd of the background fdatasync in flight, or -1. */
  private fsyncFd = -1;
  /** Old fds to close once the fsync running on them completes. */
  private retired: number[] = [];
  private turnScheduled = false;
  private timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    public fd: number,
    fileSize: number,
    public policy: FsyncPolicy,
    private readonly log: (level: 'notice' | 'warning', msg: string) => void,
  ) {
    this.fileSize = fileSize;
    // Once a second: background fsync (everysec) and retries after an error.
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  get pendingBytes(): number {
    return this.pendingLen;
  }

  get fsyncInFlight(): boolean {
    return this.fsyncFd !== -1;
  }

  /**
   * The offset up to which held replies may leave: what is fsynced under
   * always; under everysec/no what reached the kernel — or everything fed once
   * a write has failed (Redis keeps answering then, and refuses later writes
   * with MISCONF).
   */
  get releasable(): number {
    if (this.policy === 'always') return this.synced;
    return this.lastError !== null ? this.fed : this.written;
  }

  /** Appends commands run against database dbId (SELECT first when the db changes). */
  append(dbId: number, argvs: Buffer[][]): void {
    if (dbId !== this.selectedDb) {
      this.push(encodeCommand([SELECT, dbName(dbId)]));
      this.selectedDb = dbId;
    }
    for (const argv of argvs) {
      this.push(encodeCommand(argv));
      // A SELECT inside a MULTI unit leaves the file on another database.
      if (argv.length === 2 && argv[0].length === 6 && argv[0].toString('latin1').toUpperCase() === 'SELECT') {
        this.selectedDb = Number(argv[1].toString('latin1'));
      }
    }
    if (!this.turnScheduled) {
      this.turnScheduled = true;
      setImmediate(() => this.endOfTurn());
    }
  }

  private push(b: Buffer): void {
    this.chunks.push(b);
    this.pendingLen += b.length;
    this.fed += b.length;
  }

  /**
   * Where replies about to be written must wait (see DurabilityLog.replyMark
   * in lib/engine/engine.ts): under `always`, the `fed` offset when this batch
   * wrote or when unsynced data could be visible (unless the disk is failing:
   * then reads must keep working); otherwise null, after putting the batch's
   * writes in the kernel so a process crash loses nothing acknowledged.
   */
  replyMark(): number | null {
    if (this.policy !== 'always') {
      // The end-of-turn write (scheduled by append) covers this batch and every other of the turn.
      return this.pendingLen > 0 && this.lastError === null ? this.fed : null;
    }
    const batchWrote = this.fed > this.fedAtLastGate;
    this.fedAtLastGate = this.fed;
    if (batchWrote || (this.fed > this.synced && this.lastError === null)) return this.fed;
    return null;
  }

  private endOfTurn(): void {
    this.turnScheduled = false;
    if (this.closed || this.lastError !== null) return;
    if (!this.writePendingSync()) return;
    if (this.policy === 'always') this.startFsync();
  }

  /** Synchronous write of everything pending. Returns false on error (the bytes stay pending). */
  writePendingSync(): boolean {
    if (this.pendingLen === 0) return true;
    const buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.pendingLen);
    this.chunks = [];
    this.pendingLen = 0;
    let off = 0;
    try {
      while (off < buf.length) off += this.io.writeSync(this.fd, off === 0 ? buf : buf.subarray(off));
    } catch (err) {
      this.writeFailed(buf, off, err as NodeJS.ErrnoException);
      // everysec/no: replies held for this write go anyway (see releasable).
      if (this.policy !== 'always') this.release();
      return false;
    }
    this.written += buf.length;
    this.fileSize += buf.length;
    if (this.policy !== 'always') {
      this.recovered();
      this.release();
    }
    return true;
  }

  private writeFailed(buf: Buffer, off: number, err: NodeJS.ErrnoException): void {
    let keepFrom = 0;
    if (off > 0) {
      try {
        this.io.ftruncateSync(this.fd, this.fileSize);
      } catch {
        // Could not remove the partial record: it stays, so only the rest is retried.
        keepFrom = off;
        this.written += off;
        this.fileSize += off;
      }
    }
    const rest = buf.subarray(keepFrom);
    this.chunks.unshift(rest);
    this.pendingLen += rest.length;
    this.fail('write', err);
  }

  /** Starts a background fdatasync covering everything written so far (unless one is running: it chains). */
  private startFsync(): void {
    if (this.fsyncFd !== -1 || this.closed) return;
    if (this.written === this.synced) {
      this.release();
      return;
    }
    const target = this.written;
    const fd = this.fd;
    this.fsyncFd = fd;
    this.io.fdatasync(fd, (err) => {
      this.fsyncFd = -1;
      this.closeRetired();
      if (fd !== this.fd) return; // the file was switched (and fsynced synchronously) meanwhile
      if (err) {
        this.fail('fsync', err);
        return;
      }
      if (target > this.synced) this.synced = target;
      this.lastSyncedAt = Date.now();
      this.recovered();
      this.release();
      // Group commit: what was written while this fsync ran goes in the next one.
      if (this.policy === 'always' && this.written > this.synced) this.startFsync();
    });
  }

  private fail(what: 'write' | 'fsync', err: NodeJS.ErrnoException): void {
    const reason = strerror(err);
    if (this.lastError === null) {
      this.log('warning', what === 'write' ? `Error writing to the AOF file: ${reason}` : `Error fsyncing the AOF file: ${reason}`);
    }
    this.lastError = reason;
  }

  private recovered(): void {
    if (this.lastError !== null) {
      this.lastError = null;
      this.log('warning', 'AOF write error looks solved, Redis can write again.');
    }
  }

  /** Tells the listener that `synced` moved (held replies it covers may go). */
  private release(): void {
    this.onSynced?.();
  }

  private tick(): void {
    if (this.closed) return;
    // Retries after an error, and everysec's background fsync.
    if (!this.writePendingSync()) return;
    if (this.policy !== 'no' || this.lastError !== null) {
      if (this.written === this.synced) this.recovered();
      else this.startFsync();
    }
  }

  /**
   * Writes and fsyncs everything pending, synchronously, and releases held
   * replies: before switching files, closing, or reloading. Throws when the
   * disk fails (the data stays pending, writes get MISCONF).
   */
  flushSync(): void {
    if (!this.writePendingSync()) throw new Error(`Error writing to the AOF file: ${this.lastError}`);
    try {
      this.io.fdatasyncSync(this.fd);
    } catch (err) {
      this.fail('fsync', err as NodeJS.ErrnoException);
      throw new Error(`Error fsyncing the AOF file: ${this.lastError}`);
    }
    this.synced = this.written;
    this.lastSyncedAt = Date.now();
    this.recovered();
    this.release();
  }

  /** Continues in a new file (call flushSync first): the next record starts with SELECT. The old fd is closed here or when its fsync ends. */
  switchFile(fd: number): void {
    this.retired.push(this.fd);
    this.fd = fd;
    this.fileSize = 0;
    this.selectedDb = -1;
    this.closeRetired();
  }

  private closeRetired(): void {
    if (this.fsyncFd !== -1) return;
    for (const fd of this.retired) {
      try {
        fs.closeSync(fd);
      } catch {
        /* already closed */
      }
    }
    this.retired = [];
  }

  setPolicy(p: FsyncPolicy): void {
    if (p === this.policy) return;
    this.policy = p;
    // Leaving `always`: held replies go once what they wait for is on disk.
    if (p !== 'always' && this.fed > this.synced && this.writePendingSync()) this.startFsync();
  }

  /** Flushes, fsyncs, stops the timer and closes the file. */
  close(): void {
    clearInterval(this.timer);
    try {
      this.flushSync();
    } finally {
      this.closed = true;
      this.retired.push(this.fd);
      this.fd = -1;
      if (this.fsyncFd === -1) this.closeRetired();
    }
  }
}
