/**
 * Optional subsystems that hook into a Server (persistence, pub/sub,
 * keyspace notifications). Each registers itself here, so the server core
 * does not import them.
 */
import type { Server } from './server.js';
import { installInfo } from './info.js';
import { installPubSub } from './pubsub.js';
import { installPersistence } from './persistence/index.js';

type Installer = (server: Server) => void;

const INSTALLERS: Installer[] = [installPubSub, installInfo, installPersistence];

export function installPlugins(server: Server): void {
  for (const install of INSTALLERS) install(server);
}
