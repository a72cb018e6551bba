/**
 * The one HELP writer, for every `<CONTAINER> HELP` (CLIENT, CONFIG, MEMORY,
 * OBJECT, PUBSUB, COMMAND, XGROUP, XINFO) and DEBUG HELP.
 *
 * Redis's addReplyHelp: a header line, the command's lines, then `HELP` /
 * `    Print this help.` (Redis 7.2+; 7.0 said "Prints"), all simple strings.
 *
 * A container's text is a list of entries, each naming the subcommand it
 * documents; only entries whose subcommand the container actually has are
 * written, so HELP can never advertise a subcommand rivulet does not answer.
 */
import type { CommandSpec } from './command.js';
import type { Session } from './engine/session.js';

/** One HELP entry: the subcommand it documents (null: always listed, e.g. COMMAND's "(no subcommand)") and its lines, as Redis prints them. */
export type HelpEntry = readonly [subcommand: string | null, lines: readonly string[]];

/** Writes Redis's addReplyHelp reply for `cmd` (upper case, as shown in the header) with `lines` between header and footer. */
export function writeHelp(c: Session, cmd: string, lines: readonly string[]): void {
  c.reply.array(lines.length + 3);
  c.reply.simple(`${cmd} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) c.reply.simple(l);
  c.reply.simple('HELP');
  c.reply.simple('    Print this help.');
}

/** The lines of the entries whose subcommand `container` has (null entries always). */
export function helpLines(container: CommandSpec | undefined, entries: readonly HelpEntry[]): string[] {
  const have = new Set((container?.subcommands ?? []).map((s) => s.name));
  const out: string[] = [];
  for (const [sub, lines] of entries) if (sub === null || have.has(sub)) out.push(...lines);
  return out;
}

/**
 * The HELP subcommand of the container registered as `container` (lower
 * case): arity 2, flags loading+stale, as every Redis container's HELP.
 * `meta` gives what differs between containers (group, ACL categories, since).
 */
export function helpSubcommand(
  container: string,
  entries: readonly HelpEntry[],
  meta: Pick<CommandSpec, 'group' | 'acl' | 'since'> & Partial<CommandSpec>,
): CommandSpec {
  const upper = container.toUpperCase();
  return {
    name: 'help',
    arity: 2,
    flags: ['loading', 'stale'],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    summary: 'Returns helpful text about the different subcommands.',
    complexity: 'O(1)',
    ...meta,
    handler(c: Session) {
      writeHelp(c, upper, helpLines(c.server.commands.get(container), entries));
    },
  };
}
