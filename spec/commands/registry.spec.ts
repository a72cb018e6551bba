/**
 * Every command a file in commands/ declares is reachable from the command
 * table (commands/index.ts): a command file that was written but never
 * registered fails here, instead of answering "unknown command" in
 * production. Helper modules that export no CommandSpec are ignored.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers.js';
import { COMMANDS } from '../../commands/index.js';
import type { CommandSpec } from '../../lib/command.js';

function isCommandSpec(v: unknown): v is CommandSpec {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Partial<CommandSpec>;
  return typeof o.name === 'string' && typeof o.arity === 'number' && Array.isArray(o.flags) && (typeof o.handler === 'function' || Array.isArray(o.subcommands));
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

describe('the command table', () => {
  it('registers every command declared by a file in commands/', async () => {
    const registered = new Set<CommandSpec>();
    const walk = (specs: CommandSpec[]): void => {
      for (const s of specs) {
        registered.add(s);
        if (s.subcommands) walk(s.subcommands);
      }
    };
    walk(COMMANDS);
    const missing: string[] = [];
    let declared = 0;
    for (const file of sourceFiles(path.join(ROOT, 'commands'))) {
      const rel = path.relative(ROOT, file).replace(/\.ts$/, '.js');
      const mod = (await import(pathToFileURL(path.join(ROOT, 'dist', rel)).href)) as Record<string, unknown>;
      for (const [exported, value] of Object.entries(mod)) {
        if (!isCommandSpec(value)) continue;
        declared++;
        if (!registered.has(value)) missing.push(`${rel}: ${exported} (${value.name})`);
      }
    }
    expect(declared, 'command files were found and read').to.be.above(50);
    expect(missing, 'declared in commands/ but not in the command table').to.deep.equal([]);
  });

  it('has no two commands of the same name', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).to.deep.equal([]);
  });
});
