/**
 * Optional subsystems that hook into an Engine (persistence, pub/sub,
 * keyspace notifications, the metrics endpoint). Each registers itself here, so the server core
 * does not import them.
 */
import type { Engine } from './engine/engine.js';
import { installInfo } from './info.js';
import { installPubSub } from './pubsub.js';
import { installPersistence } from './persistence/index.js';
import { installMetrics } from './metrics/index.js';
import { installScripting } from './scripting/index.js';

type Installer = (server: Engine) => void;

// Scripting before persistence: the Lua states must exist when the AOF's FUNCTION LOAD records replay.
const INSTALLERS: Installer[] = [installPubSub, installInfo, installScripting, installPersistence, installMetrics];

export function installPlugins(server: Engine): void {
  for (const install of INSTALLERS) install(server);
}
