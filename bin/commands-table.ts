/**
 * Prints the README's table of supported commands from the command table
 * itself (`npm run commands-table`), so the README cannot drift from what
 * the server answers.
 */
import { COMMANDS } from '../commands/index.js';
import type { CommandSpec } from '../lib/command.js';

function row(name: string, spec: CommandSpec): string {
  const arity = spec.arity < 0 ? `≥ ${-spec.arity}` : String(spec.arity);
  return `| \`${name.toUpperCase()}\` | ${spec.group} | ${spec.summary.replace(/\|/g, '\\|')} | ${arity} |`;
}

export function commandsTable(): string {
  const lines = ['| Command | Group | Summary | Arity |', '| --- | --- | --- | --- |'];
  const sorted = [...COMMANDS].sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
  for (const spec of sorted) {
    if (spec.subcommands) {
      for (const sub of [...spec.subcommands].sort((a, b) => a.name.localeCompare(b.name))) {
        lines.push(row(`${spec.name} ${sub.name}`, { ...sub, group: spec.group }));
      }
    } else {
      lines.push(row(spec.name, spec));
    }
  }
  return lines.join('\n');
}

process.stdout.write(commandsTable() + '\n');
