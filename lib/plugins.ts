/**
 * Optional subsystems that hook into a Server (persistence, pub/sub,
 * keyspace notifications, the metrics endpoint). Each registers itself here, so the server core
 * does not import them.
 */
import type { Server } from './server.js';
import { installInfo } from './info.js';
import { installPubSub } from './pubsub.js';
import { installPersistence } from './persistence/index.js';
import { installMetrics } from './metrics/index.js';

type Installer = (server: Server) => void;

const INSTALLERS: Installer[] = [installPubSub, installInfo, installPersistence, installMetrics];

export function installPlugins(server: Server): void {
  for (const install of INSTALLERS) install(server);
}
