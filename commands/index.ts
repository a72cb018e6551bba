/**
 * The command registry: every command rivulet answers, listed explicitly
 * (no directory scan). Each family folder exports its list from index.ts.
 */
import type { CommandSpec } from '../lib/command.js';
import { connectionCommands } from './connection.js';
import { command } from './command.js';
import { keyspaceCommands } from './keyspace/index.js';
import { stringCommands } from './strings/index.js';
import { serverCommands } from './server/index.js';
import { streamCommands } from './stream/index.js';
import { pubsubCommands } from './pubsub/index.js';
import { hashCommands } from './hash/index.js';
import { listCommands } from './list/index.js';
import { setCommands } from './set/index.js';
import { zsetCommands } from './zset/index.js';
import { sortCommands } from './sort/index.js';
import { scriptingCommands } from './scripting/index.js';

export const COMMANDS: CommandSpec[] = [
  ...connectionCommands,
  command,
  ...keyspaceCommands,
  ...stringCommands,
  ...serverCommands,
  ...streamCommands,
  ...pubsubCommands,
  ...hashCommands,
  ...listCommands,
  ...setCommands,
  ...zsetCommands,
  ...sortCommands,
  ...scriptingCommands,
];
