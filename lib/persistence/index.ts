/**
 * Persistence plugin: installs the AOF and RDB controllers on a server
 * (config listener, start/stop hooks, INFO persistence fields). Registered
 * in lib/plugins.ts.
 *
 * Start-up, as redis-server: with appendonly yes the AOF is loaded; with
 * appendonly no, dbfilename (dump.rdb) is. One addition: with appendonly yes
 * and no AOF on disk at all (a fresh directory), an existing dump.rdb is
 * loaded and the AOF's first base is written from it, so pointing rivulet
 * at a directory holding a Redis dump.rdb keeps the data.
 */
import type { Engine } from '../engine/engine.js';
import { Aof } from './aof.js';
import { rdbOf } from './rdb.js';

export { rdbOf };

const controllers = new WeakMap<Engine, Aof>();

/** The AOF controller of a server (DEBUG, BGREWRITEAOF, SHUTDOWN use it). */
export function aofOf(server: Engine): Aof {
  let a = controllers.get(server);
  if (!a) {
    a = new Aof(server);
    controllers.set(server, a);
  }
  return a;
}

export function installPersistence(server: Engine): void {
  const aof = aofOf(server);
  const rdb = rdbOf(server);
  aof.rdb = rdb;
  server.plugins.push({
    start: async () => {
      const aofOn = server.config.bool('appendonly');
      const freshAof = aofOn && !aof.existsOnDisk();
      let loaded = 0;
      if ((!aofOn || freshAof) && rdb.fileExists()) {
        server.loading = true;
        try {
          loaded = rdb.loadFile();
          await rdb.settleFunctions();
        } finally {
          server.loading = false;
        }
      }
      rdb.dirtyAtSave = server.dirty;
      await aof.start();
      if (freshAof && loaded > 0) aof.startRewrite();
      rdb.startCron(() => aof.rewriteInProgress);
    },
    stop: async () => {
      aof.stopTimers();
      rdb.stopCron();
      await rdb.settle();
      // Like redis-server on SIGTERM / SHUTDOWN: a final save when save points are configured.
      if (!rdb.finalSaveDone && !rdb.diskless && server.config.get('save').trim() !== '') {
        rdb.finalSaveDone = true;
        try {
          rdb.saveSync();
        } catch (err) {
          server.log('warning', `Error trying to save the DB on shutdown: ${(err as Error).message}`);
        }
      }
    },
  });
  server.durability = aof;
  server.config.onChange((name, value) => aof.onConfigChange(name, value));
  const extras = server.infoExtras.get('persistence') ?? [];
  extras.push(() => aof.infoFields());
  extras.push(() => rdb.infoFields());
  server.infoExtras.set('persistence', extras);
}

export { Aof } from './aof.js';
export { RdbController } from './rdb.js';
