/**
 * Persistence plugin: installs the AOF controller on a server (config
 * listener, start/stop hooks, INFO persistence fields). Registered in
 * lib/plugins.ts.
 */
import type { Server } from '../server.js';
import { Aof } from './aof.js';

const controllers = new WeakMap<Server, Aof>();

/** The AOF controller of a server (DEBUG, BGREWRITEAOF, SHUTDOWN use it). */
export function aofOf(server: Server): Aof {
  let a = controllers.get(server);
  if (!a) {
    a = new Aof(server);
    controllers.set(server, a);
  }
  return a;
}

export function installPersistence(server: Server): void {
  const aof = aofOf(server);
  server.plugins.push({
    start: () => aof.start(),
    stop: () => aof.stopTimers(),
  });
  server.config.onChange((name, value) => aof.onConfigChange(name, value));
  const extras = server.infoExtras.get('persistence') ?? [];
  extras.push(() => aof.infoFields());
  server.infoExtras.set('persistence', extras);
}

export { Aof } from './aof.js';
