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
import net from 'node:net';
import { Client } from '../client.js';
import { resolve, Refused } from '../dispatch.js';
import { ReplyError } from '../errors.js';
import type { Server } from '../server.js';
import { scan, type ScanResult } from './resp.js';

export class AofLoadError extends Error {}

/** A client that runs commands for the loader; it is never registered with the server and never replies. */
export function makeLoaderClient(server: Server): Client {
  const sock = new net.Socket();
  const c = new Client(server, sock, 0);
  c.authenticated = true;
  c.name = 'aof-loader';
  return c;
}

/** Runs one unit (a command, or the commands of a MULTI/EXEC) through the command table. */
export function runUnit(server: Server, c: Client, argvs: Buffer[][], file: string): void {
  for (const argv of argvs) {
    const r = resolve(c, argv);
    if (r instanceof Refused) {
      const name = argv[0].toString();
      if (!server.commands.has(name.toLowerCase())) throw new AofLoadError(`Unknown command '${name}' reading the append only file ${file}`);
      throw new AofLoadError(`Bad file format reading the append only file ${file}: ${r.error.message}`);
    }
    try {
      r.spec.handler!(c, argv);
    } catch (err) {
      // A command that fails on replay changed nothing, as it changed nothing when it first ran.
      if (!(err instanceof ReplyError)) throw err;
      server.log('verbose', `AOF ${file}: '${r.fullName}' replied ${err.message}`);
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
export function loadBuffer(server: Server, buf: Buffer, file: string, isLast: boolean, allowTruncated: boolean): LoadFileResult {
  if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') === 'REDIS') {
    throw new AofLoadError(
      `The AOF file ${file} starts with an RDB preamble, which rivulet cannot load: rewrite it with aof-use-rdb-preamble no (CONFIG SET aof-use-rdb-preamble no, then BGREWRITEAOF on redis-server)`,
    );
  }
  const c = makeLoaderClient(server);
  let res: ScanResult;
  try {
    res = scan(buf, (argvs) => runUnit(server, c, argvs, file));
  } finally {
    c.socket.destroy();
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
      `Unexpected end of file reading the append only file ${file} at offset ${res.validUpTo} (${stop.reason}): it is not the last file, so it cannot be truncated safely`,
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
export function loadFile(server: Server, filePath: string, displayName: string, isLast: boolean, allowTruncated: boolean): LoadFileResult {
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
      fs.truncateSync(filePath, r.truncatedAt);
    } catch (err) {
      throw new AofLoadError(`Error truncating the AOF file ${displayName}: ${(err as Error).message}`);
    }
    server.log('warning', `AOF ${displayName} loaded anyway because aof-load-truncated is enabled`);
  }
  return r;
}
