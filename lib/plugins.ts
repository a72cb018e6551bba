/**
 * Optional subsystems that hook into a Server (persistence, pub/sub,
 * keyspace notifications). Each registers itself here, so the server core
 * does not import them.
 */
import type { Server } from './server.js';

type Installer = (server: Server) => void;

const INSTALLERS: Installer[] = [];

export function installPlugins(server: Server): void {
  for (const install of INSTALLERS) install(server);
}
