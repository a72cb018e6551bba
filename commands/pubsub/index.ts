/** The pubsub command family, registered in commands/index.ts. */
import type { CommandSpec } from '../../lib/command.js';
import { subscribe, unsubscribe, psubscribe, punsubscribe, ssubscribe, sunsubscribe } from './subscribe.js';
import { publish, spublish } from './publish.js';
import { pubsub } from './pubsub.js';

export const pubsubCommands: CommandSpec[] = [
  subscribe,
  unsubscribe,
  psubscribe,
  punsubscribe,
  publish,
  ssubscribe,
  sunsubscribe,
  spublish,
  pubsub,
];
