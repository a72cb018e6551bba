/**
 * DEBUG: the subset of Redis's debugging container that makes sense here
 * (no jemalloc, no replication): SLEEP, RELOAD (through RDB), LOADAOF,
 * SET-ACTIVE-EXPIRE, HELP.
 * Like Redis, DEBUG is one command (arity -2) that switches on its first
 * argument, not a table of subcommands.
 */
import fs from 'node:fs';
import type { CommandSpec } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { writeHelp } from '../../lib/help.js';
import { aofOf, rdbOf } from '../../lib/persistence/index.js';
import { emptyAll, loadFromBuffer } from '../../lib/persistence/aof.js';
import { serializeSnapshot, takeSnapshot } from '../../lib/persistence/serialize.js';
import type { Session } from '../../lib/engine/session.js';

/** DEBUG HELP: the subcommands rivulet's DEBUG answers (written by lib/help.ts). */
const HELP = [
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not accessed (otherwise the',
  '    Redis behavior). Setting it to 1 reenables back the default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
];

/** Blocks the whole process, as DEBUG SLEEP blocks redis-server. */
function blockFor(ms: number): void {
  if (!(ms > 0)) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE], as Redis: save the dataset as RDB
 * (into dbfilename unless NOSAVE or the server keeps no files), empty it
 * (unless NOFLUSH), and load the RDB back (MERGE: loaded keys replace
 * existing ones). Values of a type without an RDB encoding yet make the
 * round trip go through the AOF rewrite's commands instead.
 */
function reload(c: Session, merge: boolean, flush: boolean, save: boolean): void {
  const server = c.server;
  const rdb = rdbOf(server);
  if (!rdb.canSnapshot()) return reloadThroughCommands(c);
  let image: Buffer;
  if (rdb.diskless) {
    // An embedded server without `dir` keeps no files: the round trip stays in memory.
    image = rdb.image();
  } else {
    if (save) {
      try {
        rdb.saveSync();
      } catch (err) {
        server.log('warning', `DEBUG RELOAD could not save: ${(err as Error).message}`);
        throw E.SAVE_FAILED;
      }
    }
    try {
      image = fs.readFileSync(rdb.filePath);
    } catch (err) {
      server.log('warning', `DEBUG RELOAD could not read ${rdb.filePath}: ${(err as Error).message}`);
      throw E.DEBUG_RELOAD_FAILED;
    }
  }
  if (flush) emptyAll(server);
  const dirtyBefore = server.dirty;
  const savedAof = server.aof;
  server.aof = null;
  server.loading = true;
  try {
    rdb.loadImage(image, false, '(DEBUG RELOAD)', merge);
  } catch (err) {
    server.log('warning', `DEBUG RELOAD failed: ${(err as Error).message}`);
    throw E.DEBUG_RELOAD_FAILED;
  } finally {
    server.loading = false;
    server.aof = savedAof;
    server.dirty = dirtyBefore;
  }
  server.log('notice', 'DB reloaded by DEBUG RELOAD');
}

function reloadThroughCommands(c: Session): void {
  const server = c.server;
  const parts: Buffer[] = [];
  for (const b of serializeSnapshot(takeSnapshot(server.dbs, Date.now()))) parts.push(b);
  emptyAll(server);
  try {
    loadFromBuffer(server, Buffer.concat(parts));
  } catch (err) {
    server.log('warning', `DEBUG RELOAD failed: ${(err as Error).message}`);
    throw E.DEBUG_RELOAD_FAILED;
  }
  server.log('notice', 'DB reloaded by DEBUG RELOAD');
}

export const debug: CommandSpec = {
  name: 'debug',
  arity: -2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  protectedBy: 'enable-debug-command',
  acl: ['admin', 'slow', 'dangerous'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'A container for debugging commands.',
  since: '1.0.0',
  group: 'server',
  complexity: 'Depends on subcommand.',
  docFlags: ['syscmd'],
  handler(c, argv) {
    const sub = argv[1].toString('latin1').toLowerCase();
    if (sub === 'help' && argv.length === 2) {
      writeHelp(c, 'DEBUG', HELP);
    } else if (sub === 'sleep' && argv.length === 3) {
      // strtod semantics: garbage reads as 0.
      const secs = parseFloat(argv[2].toString());
      blockFor(Number.isFinite(secs) ? secs * 1000 : 0);
      c.reply.ok();
    } else if (sub === 'set-active-expire' && argv.length === 3) {
      // Tests use this to make lazy-expiry behaviour deterministic, as Redis's own test suite does.
      c.server.activeExpireEnabled = argv[2].toString() !== '0';
      c.reply.ok();
    } else if (sub === 'reload') {
      let merge = false;
      let flush = true;
      let save = true;
      for (let i = 2; i < argv.length; i++) {
        const opt = argv[i].toString('latin1').toLowerCase();
        if (opt === 'merge') merge = true;
        else if (opt === 'noflush') flush = false;
        else if (opt === 'nosave') save = false;
        else throw E.DEBUG_RELOAD_OPTIONS;
      }
      reload(c, merge, flush, save);
      c.reply.ok();
    } else if (sub === 'loadaof' && argv.length === 2) {
      const aof = aofOf(c.server);
      if (!aof.isEnabled) {
        c.reply.ok();
        return;
      }
      try {
        aof.reloadFromDisk();
      } catch (err) {
        c.server.log('warning', `DEBUG LOADAOF failed: ${(err as Error).message}`);
        throw E.DEBUG_LOADAOF_FAILED;
      }
      c.server.log('notice', 'Append Only File loaded by DEBUG LOADAOF');
      c.reply.ok();
    } else {
      throw E.unknownSubcommand(argv[1].toString(), 'debug');
    }
  },
};
