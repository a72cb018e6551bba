/** The server command family, registered in commands/index.ts. */
import type { CommandSpec } from '../../lib/command.js';
import { info } from './info.js';
import { config } from './config.js';
import { client } from './client.js';
import { dbCommands } from './db.js';
import { timeCommands } from './time.js';
import { debug } from './debug.js';
import { shutdown } from './shutdown.js';
import { bgrewriteaof } from './bgrewriteaof.js';
import { saveCommands } from './save.js';
import { monitor } from './monitor.js';
import { slowlog } from './slowlog.js';
import { latency } from './latency.js';
import { module } from './module.js';
import { syncCommands } from './sync.js';

export const serverCommands: CommandSpec[] = [info, config, client, ...dbCommands, ...timeCommands, debug, shutdown, bgrewriteaof, ...saveCommands, monitor, slowlog, latency, module, ...syncCommands];
