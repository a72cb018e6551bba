/**
 * Prints the README's table of supported commands from the command table
 * itself (`npm run commands-table`), so the README cannot drift from what
 * the server answers. `npm run commands-table -- --write` replaces the table
 * between the README's commands-table markers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../commands/index.js';
import type { CommandSpec } from '../lib/command.js';

/** The Redis version that introduced the command, then (in brackets) the versions that added options since 8.0. */
function since(spec: CommandSpec): string {
  const later = (spec.history ?? []).map(([v]) => v).filter((v) => Number(v.split('.')[0]) >= 8);
  return later.length === 0 ? spec.since : `${spec.since} (options: ${later.join(', ')})`;
}

function row(name: string, spec: CommandSpec): string {
  const arity = spec.arity < 0 ? `≥ ${-spec.arity}` : String(spec.arity);
  return `| \`${name.toUpperCase()}\` | ${spec.group} | ${spec.summary.replace(/\|/g, '\\|')} | ${arity} | ${since(spec)} |`;
}

export function commandsTable(): string {
  const lines = ['| Command | Group | Summary | Arity | Since |', '| --- | --- | --- | --- | --- |'];
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

const START = '<!-- commands-table:start -->';
const END = '<!-- commands-table:end -->';

if (process.argv.includes('--write')) {
  const readme = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a === -1 || b < a) throw new Error(`README.md has no ${START} ... ${END} block`);
  fs.writeFileSync(readme, text.slice(0, a + START.length) + '\n' + commandsTable() + '\n' + text.slice(b));
  process.stdout.write('README.md command table updated\n');
} else {
  process.stdout.write(commandsTable() + '\n');
}
