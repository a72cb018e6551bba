#!/usr/bin/env node
// npm run build: the ESM build (tsconfig.json → dist/) and the CommonJS build of
// the library (tsconfig.cjs.json → dist/cjs/, marked "type": "commonjs" so Node
// and Jest read its .js files as CommonJS inside this "type": "module" package),
// a copy of the dashboard's static files in dist/dashboard/, and the one-file
// start-up bundle of rivulet-server (scripts/bundle.mjs) from the CommonJS build.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { writeBundle } from './bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
const incremental = process.argv.includes('--incremental');
for (const project of ['tsconfig.json', 'tsconfig.cjs.json']) {
  const args = [tsc, '-p', project];
  if (incremental) args.push('--incremental', '--tsBuildInfoFile', `.${project.replace(/\.json$/, '')}.tsbuildinfo`);
  execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
}
fs.writeFileSync(path.join(root, 'dist', 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
// The metrics dashboard's files, served as they are: the tarball carries them in dist/dashboard/
// (a checkout serves lib/metrics/dashboard/ itself, so an edit there shows without a build).
fs.cpSync(path.join(root, 'lib', 'metrics', 'dashboard'), path.join(root, 'dist', 'dashboard'), { recursive: true });
// Last: the bundle records the ESM files as they are now (bin/launch.ts checks them).
writeBundle(root);
