#!/usr/bin/env node
// The `prepare` script. npm runs it after `npm install`/`npm ci` in a clone and
// when installing rivulet from git (npm then installs the devDependencies first):
// build dist/ when TypeScript is there. Under `npm ci --omit=dev` TypeScript is
// absent: an existing dist/ (built earlier, e.g. in a Docker build stage) is
// kept, and otherwise this says what to do instead of failing the install.
// Tarballs (npm pack, the registry) already contain dist/ and never run it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let haveTsc = true;
try {
  createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  haveTsc = false;
}
if (haveTsc) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
if (!fs.existsSync(path.join(root, 'dist', 'bin', 'cli.js'))) {
  process.stderr.write(
    'rivulet: TypeScript is not installed (devDependencies omitted), so dist/ was not built.\n' +
      '  Build it with `npm ci && npm run build` (then `npm prune --omit=dev` if you like),\n' +
      '  or install the packed tarball (`npm pack`), which contains dist/.\n',
  );
}
