/**
 * Loading AOF files: every record runs through the command table, as if a
 * client had sent it, against a private fake client whose replies go
 * nowhere. Nothing is re-propagated (the caller keeps server.aof null while
 * loading).
 *
 * Each file starts in database 0 (Redis loads each file with a fresh fake
 * client). A torn tail (the file ends inside a record, or inside a MULTI
 * that never reached EXEC) is dropped — and the file truncated — only in the
 * last file and only with aof-load-truncated yes; anything else stops the
 * load with the file, the offset and the reason.
 */
import fs from 'node:fs';
import type { Session } from '../engine/session.js';
import { resolve, Refused } from '../engine/dispatch.js';
import { ReplyError } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import { scan, type ScanResult } from './resp.js';
import { rdbOf, RdbLoadError } from './rdb.js';
import { looksLikeRdb } from '../rdb/file.js';

export class AofLoadError extends Error {}

/** A session that runs commands for the loader; it has no connection and its replies are dropped. */
export function makeLoaderClient(server: Engine): Session {
  return server.createSession('aof-loader');
}

/** A command for a message: arguments as text, long ones and long lists shortened. */
export function describeCommand(argv: Buffer[]): string {
  const shown = argv.slice(0, 8).map((a) => {
    const t = a.subarray(0, 64).toString('latin1').replace(/[\x00-\x1f\x7f-\xff]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
    return a.length > 64 ? `${t}...` : t;
  });
  return shown.join(' ') + (argv.length > 8 ? ` ... (${argv.length} arguments)` : '');
}

/**
 * Runs one unit (a command, or the commands of a MULTI/EXEC) through the
 * command table. A command that replies an error stops the load
 * (AofLoadError naming the file, the command's offset and its unit's, the
 * command and the error) unless aof-load-failed-records is yes, which logs
 * it at warning level and goes on, as redis-server does. `offsets`: the
 * own offset of each command of a MULTI/EXEC unit, `shift` added to each
 * (scan's offsets are relative to what it scanned).
 */
export function runUnit(server: Engine, c: Session, argvs: Buffer[][], file: string, offset = -1, offsets: readonly number[] | null = null, shift = 0): void {
  for (let i = 0; i < argvs.length; i++) {
    const argv = argvs[i];
    const r = resolve(c, argv);
    const where = offset < 0 ? '' : offsets === null ? ` at offset ${offset}` : ` at offset ${offsets[i] + shift} (in the MULTI/EXEC unit at offset ${offset})`;
    if (r instanceof Refused) {
      // An unknown command or a wrong argument count: another server's file, or a damaged byte that still parses.
      const name = argv[0].toString();
      const what = !server.commands.has(name.toLowerCase())
        ? `Unknown command '${name}' reading the append only file ${file}${where}`
        : `Bad file format reading the append only file ${file}${where}: '${describeCommand(argv)}' is refused: ${r.error.message}`;
      if (!server.config.bool('aof-load-failed-records')) {
        throw new AofLoadError(
          `${what}. The files are left as they are. To load them anyway, skipping every record that fails, set aof-load-failed-records yes and restart.`,
        );
      }
      server.log('warning', `== CRITICAL == ${what}; skipped because aof-load-failed-records is yes`);
      continue;
    }
    try {
      r.spec.handler!(c, argv);
    } catch (err) {
      if (!(err instanceof ReplyError)) throw err;
      // Only effects that succeeded are logged, so a failure here means the files and the server disagree
      // (another server's files, a damaged byte, a config such as `databases`): loading on would build a different dataset.
      if (!server.config.bool('aof-load-failed-records')) {
        throw new AofLoadError(
          `Error replaying the append only file ${file}${where}: '${describeCommand(argv)}' replied '${err.message}'. ` +
            'The files are left as they are. To load them anyway, skipping every record that fails, set aof-load-failed-records yes and restart.',
        );
      }
      server.log('warning', `== CRITICAL == The AOF ${file}${where}: '${describeCommand(argv)}' replied '${err.message}'; skipped because aof-load-failed-records is yes`);
    }
    c.reply.rewind(0);
  }
}

export interface LoadFileResult {
  /** Bytes of valid content (the file size after any truncation). */
  size: number;
  records: number;
  /** Set when the tail was dropped. */
  truncatedAt: number | null;
}

/**
 * Loads one file's bytes. `isLast` allows dropping a torn tail (the caller
 * truncates the file); `allowTruncated` is aof-load-truncated.
 */
export function loadBuffer(server: Engine, buf: Buffer, file: string, isLast: boolean, allowTruncated: boolean): LoadFileResult {
  // A base written with aof-use-rdb-preamble yes: an RDB image, then (possibly) RESP commands.
  let at = 0;
  if (looksLikeRdb(buf)) {
    try {
      at = rdbOf(server).loadImage(buf, true, file).end;
    } catch (err) {
      if (err instanceof RdbLoadError) {
        throw new AofLoadError(
          `Bad file format reading the append only file ${file} (RDB preamble): ${err.message}. The files are left as they are. Restore the file from a backup ('rivulet-check-rdb <file>' reports the damage).`,
        );
      }
      throw err;
    }
    server.log('notice', `Reading RDB base file on AOF loading...`);
  }
  const c = makeLoaderClient(server);
  let res: ScanResult = scan(at === 0 ? buf : buf.subarray(at), (argvs, offset, offsets) => runUnit(server, c, argvs, file, offset + at, offsets, at));
  if (at !== 0) {
    res = { ...res, validUpTo: res.validUpTo + at };
    if (res.stop !== null && res.stop.kind === 'bad') res = { ...res, stop: { ...res.stop, offset: res.stop.offset + at } };
  }
  if (res.stop === null) return { size: buf.length, records: res.records, truncatedAt: null };
  const stop = res.stop;
  if (stop.kind === 'bad') {
    throw new AofLoadError(
      `Bad file format reading the append only file ${file} at offset ${stop.offset}: ${stop.reason}. Make a backup of your AOF file, then use rivulet-check-aof --fix <filename.manifest>`,
    );
  }
  if (!isLast) {
    throw new AofLoadError(
      `Unexpected end of file reading the append only file ${file} at offset ${res.validUpTo} (${stop.reason}): it is not the last file, so it cannot be truncated safely. ` +
        `The files are left as they are. Restore the file from a backup ('rivulet-check-aof <manifest>' reports where each file's valid content ends).`,
    );
  }
  if (!allowTruncated) {
    throw new AofLoadError(
      `Unexpected end of file reading the append only file ${file} at offset ${res.validUpTo} (${stop.reason}). You can: 1) Make a backup of your AOF file, then use rivulet-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`,
    );
  }
  server.log('warning', `!!! Warning: short read while loading the AOF file ${file}!!!`);
  server.log('warning', `!!! Truncating the AOF ${file} at offset ${res.validUpTo} !!!`);
  return { size: res.validUpTo, records: res.records, truncatedAt: res.validUpTo };
}

/** Reads and loads one file from disk, truncating a torn tail in place when allowed. */
export function loadFile(server: Engine, filePath: string, displayName: string, isLast: boolean, allowTruncated: boolean): LoadFileResult {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(filePath);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new AofLoadError(`The AOF file ${displayName} doesn't exist`);
    throw new AofLoadError(`Fatal error: can't open the append log file ${displayName} for reading: ${e.message}`);
  }
  const r = loadBuffer(server, buf, displayName, isLast, allowTruncated);
  if (r.truncatedAt !== null) {
    try {
      keepTornTail(filePath, buf.subarray(r.truncatedAt), r.truncatedAt);
      fs.truncateSync(filePath, r.truncatedAt);
    } catch (err) {
      throw new AofLoadError(`Error truncating the AOF file ${displayName}: ${(err as Error).message}`);
    }
    server.log('warning', `AOF ${displayName} loaded anyway because aof-load-truncated is enabled`);
  }
  return r;
}

/**
 * Before a torn tail is cut off, its bytes go to `<file>.torn-<offset>` beside
 * it (fsynced), so a start never destroys a byte it did not write: the tail
 * was never acknowledged, but an operator may still want to look at it.
 * Redis's loader ignores files not named by the manifest.
 */
function keepTornTail(filePath: string, tail: Buffer, offset: number): void {
  let target = `${filePath}.torn-${offset}`;
  for (let n = 1; fs.existsSync(target); n++) target = `${filePath}.torn-${offset}.${n}`;
  const fd = fs.openSync(target, 'wx', 0o644);
  try {
    fs.writeSync(fd, tail);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
