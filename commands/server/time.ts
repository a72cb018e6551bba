/** TIME, LASTSAVE, ROLE: small read-only facts about the server. */
import { rdbOf } from '../../lib/persistence/index.js';
import type { CommandSpec } from '../../lib/command.js';
import type { Engine } from '../../lib/engine/engine.js';

const none = { firstKey: 0, lastKey: 0, step: 0, group: 'server' };

export const time: CommandSpec = {
  name: 'time',
  arity: 1,
  flags: ['loading', 'stale', 'fast'],
  acl: ['fast'],
  ...none,
  tips: ['nondeterministic_output'],
  summary: 'Returns the server time.',
  since: '2.6.0',
  complexity: 'O(1)',
  handler(c) {
    // Microsecond precision from the high-resolution clock, anchored to the wall clock.
    const us = wallClockMicros();
    c.reply.array(2);
    c.reply.bulk(String(Math.floor(us / 1_000_000)));
    c.reply.bulk(String(us % 1_000_000));
  },
};

const origin = { wallMs: Date.now(), hr: process.hrtime.bigint() };
function wallClockMicros(): number {
  const elapsedUs = Number((process.hrtime.bigint() - origin.hr) / 1000n);
  const us = origin.wallMs * 1000 + elapsedUs;
  // Never drift from the wall clock by more than a few ms (NTP adjustments).
  const wall = Date.now() * 1000;
  return Math.abs(us - wall) > 5000 ? wall : us;
}

/** When the data was last saved to an RDB file (unix seconds); the start time before any save. */
export function lastSaveTime(server: Engine): number {
  return Math.floor(rdbOf(server).lastSave / 1000);
}

export const lastsave: CommandSpec = {
  name: 'lastsave',
  arity: 1,
  flags: ['loading', 'stale', 'fast'],
  acl: ['admin', 'fast', 'dangerous'],
  ...none,
  tips: ['nondeterministic_output'],
  summary: 'Returns the Unix timestamp of the last successful save to disk.',
  since: '1.0.0',
  complexity: 'O(1)',
  handler(c) {
    c.reply.int(lastSaveTime(c.server));
  },
};

export const role: CommandSpec = {
  name: 'role',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast'],
  acl: ['admin', 'fast', 'dangerous'],
  ...none,
  summary: 'Returns the replication role.',
  since: '2.8.12',
  complexity: 'O(1)',
  handler(c) {
    // A master with replication offset 0 and no replicas.
    c.reply.array(3);
    c.reply.bulk('master');
    c.reply.int(0);
    c.reply.array(0);
  },
};

export const timeCommands: CommandSpec[] = [time, lastsave, role];
