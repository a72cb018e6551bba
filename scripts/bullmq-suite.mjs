#!/usr/bin/env node
// npm run bullmq-suite -- <bullmq checkout> [options]
//
// Runs BullMQ's own test suite (vitest, tests/**/*.test.ts as its default
// config selects them) against rivulet and against redis-server, one server at
// a time, and compares the results test by test. Not part of `npm test`: the
// suite takes several minutes per server and needs a BullMQ checkout with its
// dependencies, which this script installs in the checkout when missing
// (`npm install --ignore-scripts`; nothing of BullMQ is copied into rivulet).
//
// The BullMQ tests find the server through REDIS_HOST / REDIS_PORT
// (vitest.setup.ts); each server gets a free loopback port, `--save ''` and
// AOF off, and is stopped when its run ends.
//
// Options:
//   --oracle <path>     a redis-server binary to compare with (repeatable; default: redis-server on PATH)
//   --no-oracle         run rivulet only
//   --files a,b         only these test files (paths relative to the checkout, e.g. tests/queue.test.ts)
//   --config <file>     vitest config inside the checkout (default: its vitest.config.ts)
//   --rerun             rerun, once, the files in which rivulet failed a test that the first oracle passed,
//                       on rivulet and that oracle, to tell steady failures from flaky ones
//   --out <dir>         where to keep the JSON reports and logs (default: a new directory under the OS tmpdir)
//
// Exit status: 0 when every test that passed on the first oracle passed on rivulet too
// (after --rerun, when given), 1 otherwise, 2 on a usage or set-up error.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function usage(msg) {
  if (msg) process.stderr.write(`bullmq-suite: ${msg}\n`);
  process.stderr.write('usage: npm run bullmq-suite -- <bullmq checkout> [--oracle <redis-server>]... [--no-oracle] [--files a,b] [--config f] [--rerun] [--out dir]\n');
  process.exit(2);
}

const args = process.argv.slice(2);
let checkout;
const oracles = [];
let noOracle = false;
let files = [];
let config;
let rerun = false;
let out;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const next = () => (i + 1 < args.length ? args[++i] : usage(`${a} needs a value`));
  if (a === '--oracle') oracles.push(next());
  else if (a === '--no-oracle') noOracle = true;
  else if (a === '--files') files = next().split(',').filter(Boolean);
  else if (a === '--config') config = next();
  else if (a === '--rerun') rerun = true;
  else if (a === '--out') out = next();
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else if (checkout === undefined) checkout = path.resolve(a);
  else usage(`unexpected argument ${a}`);
}
if (!checkout) usage('the path of a BullMQ checkout is required');
let pkg;
try {
  pkg = JSON.parse(fs.readFileSync(path.join(checkout, 'package.json'), 'utf8'));
} catch {
  usage(`${checkout} has no readable package.json`);
}
if (pkg.name !== 'bullmq') usage(`${checkout} is not a BullMQ checkout (package name ${pkg.name})`);
if (!noOracle && oracles.length === 0) oracles.push('redis-server');
out = path.resolve(out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bullmq-suite-')));
fs.mkdirSync(out, { recursive: true });

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: checkout, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    process.stderr.write(`bullmq-suite: ${cmd} ${argv.join(' ')} failed (${r.status ?? r.signal})\n`);
    process.exit(2);
  }
}

// 1. Dependencies, the generated script modules (BullMQ's `pretest` minus its circular-import lint)
//    and its CommonJS build.
if (!fs.existsSync(path.join(checkout, 'node_modules', 'vitest'))) {
  console.log(`installing BullMQ's dependencies in ${checkout} (npm install --ignore-scripts)`);
  run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund']);
}
if (!fs.existsSync(path.join(checkout, 'src', 'scripts', 'index.ts'))) {
  console.log('generating src/scripts from src/commands/*.lua (BullMQ\'s pretest steps)');
  run('npx', ['ts-node', '--project', 'tsconfig-cjs.json', 'scripts/generateRawScripts.ts']);
  run('node', ['scripts/commandTransform.js', './rawScripts', './src/scripts']);
}
// Sandboxed processors (child processes) load BullMQ's CommonJS build from dist/cjs.
if (!fs.existsSync(path.join(checkout, 'dist', 'cjs', 'classes', 'main.js'))) {
  console.log('building dist/cjs (tsc -p tsconfig-cjs.json) for the sandboxed-processor tests');
  run('npx', ['tsc', '-p', 'tsconfig-cjs.json']);
}

// 2. Servers.
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function ping(port) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = '';
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.includes('\r\n')) {
        sock.destroy();
        resolve(buf.startsWith('+PONG'));
      }
    });
    sock.on('error', () => resolve(false));
  });
}

async function startServer(name, bin, port) {
  const dir = fs.mkdtempSync(path.join(out, `${name}-data-`));
  const argv = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const log = fs.openSync(path.join(out, `${name}.server.log`), 'w');
  const child = name === 'rivulet'
    ? spawn(process.execPath, [path.join(root, 'bin', 'rivulet-server'), ...argv], { stdio: ['ignore', log, log] })
    : spawn(bin, argv, { stdio: ['ignore', log, log] });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited at start (${child.exitCode}); see ${out}/${name}.server.log`);
    if (await ping(port)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not answer PING on port ${port} within 30 s`);
}

function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

function serverVersion(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  const m = /v=(\S+)/.exec(r.stdout ?? '');
  return m ? m[1] : '?';
}

// 3. One vitest run against one server; returns Map<test name, {status, message}>.
async function suite(name, bin, testFiles, tag) {
  const port = await freePort();
  const child = await startServer(name, bin, port);
  const report = path.join(out, `${name}${tag}.json`);
  const logFile = path.join(out, `${name}${tag}.log`);
  const started = Date.now();
  console.log(`\n== ${name}${tag}: BullMQ's suite against port ${port} (log: ${logFile})`);
  const vitestArgs = ['vitest', 'run', '--no-file-parallelism', '--reporter=dot', '--reporter=json', `--outputFile.json=${report}`];
  if (config) vitestArgs.push('--config', config);
  vitestArgs.push(...testFiles);
  await new Promise((resolve) => {
    const log = fs.openSync(logFile, 'w');
    const v = spawn('npx', vitestArgs, {
      cwd: checkout,
      stdio: ['ignore', log, log],
      env: { ...process.env, REDIS_HOST: '127.0.0.1', REDIS_PORT: String(port), CI: '' },
    });
    v.on('exit', resolve);
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  await stopServer(child);
  const results = new Map();
  const counts = { passed: 0, failed: 0, pending: 0 };
  let data;
  try {
    data = JSON.parse(fs.readFileSync(report, 'utf8'));
  } catch {
    throw new Error(`${name}: vitest wrote no JSON report; see ${logFile}`);
  }
  for (const file of data.testResults) {
    const rel = path.relative(checkout, file.name);
    for (const t of file.assertionResults) {
      const status = t.status === 'passed' ? 'passed' : t.status === 'failed' ? 'failed' : 'pending';
      counts[status]++;
      // (A few tests share a full name; the comparison keys on the name, the counts do not.)
      results.set(`${rel} > ${t.fullName}`, { file: rel, status, message: (t.failureMessages ?? []).join('\n').split('\n')[0] });
    }
    // A file that failed to load (or whose hooks failed) reports no tests: count it as one failure.
    if (file.assertionResults.length === 0 && file.status === 'failed') {
      results.set(`${rel} > (file)`, { file: rel, status: 'failed', message: (file.message ?? '').split('\n')[0] });
      counts.failed++;
    }
  }
  return { results, counts, seconds };
}

const servers = [['rivulet', null, 'rivulet'], ...oracles.map((bin, i) => {
  const v = serverVersion(bin);
  return [`redis-${v}${oracles.length > 1 ? `-${i}` : ''}`.replace(/[^\w.-]/g, '_'), bin, `redis-server ${v} (${bin})`];
})];
const runs = new Map();
try {
  for (const [name, bin] of servers) runs.set(name, await suite(name, bin, files, ''));
} catch (err) {
  process.stderr.write(`bullmq-suite: ${err.message}\n`);
  process.exit(2);
}

console.log(`\nBullMQ ${pkg.version} (${checkout}) — reports in ${out}\n`);
console.log('| server | passed | failed | pending | seconds |');
console.log('|---|--:|--:|--:|--:|');
for (const [name, , label] of servers) {
  const { counts: c, seconds } = runs.get(name);
  console.log(`| ${label} | ${c.passed} | ${c.failed} | ${c.pending} | ${seconds} |`);
}

const riv = runs.get('rivulet').results;
let regressions = [];
if (servers.length > 1) {
  const baseName = servers[1][0];
  const base = runs.get(baseName).results;
  regressions = [...riv].filter(([k, r]) => r.status === 'failed' && base.get(k)?.status === 'passed').map(([k]) => k);
  const both = [...riv].filter(([k, r]) => r.status === 'failed' && base.get(k)?.status === 'failed').map(([k]) => k);
  const better = [...riv].filter(([k, r]) => r.status === 'passed' && base.get(k)?.status === 'failed').map(([k]) => k);
  const show = (title, keys, src) => {
    console.log(`\n${title}: ${keys.length}`);
    for (const k of keys) console.log(`  - ${k}\n      ${src.get(k)?.message ?? ''}`);
  };
  show(`failed on rivulet, passed on ${baseName}`, regressions, riv);
  show(`failed on both (on ${baseName}'s side too)`, both, base);
  show(`passed on rivulet, failed on ${baseName}`, better, base);

  if (rerun && regressions.length > 0) {
    const again = [...new Set(regressions.map((k) => riv.get(k).file))];
    console.log(`\nrerunning ${again.length} file(s) once on both: ${again.join(', ')}`);
    const r2 = (await suite('rivulet', null, again, '-rerun')).results;
    const b2 = (await suite(baseName, servers[1][1], again, '-rerun')).results;
    const steady = regressions.filter((k) => r2.get(k)?.status === 'failed' && b2.get(k)?.status === 'passed');
    const flaky = regressions.filter((k) => !steady.includes(k));
    show('failed on rivulet again (steady)', steady, r2);
    console.log(`\npassed on the rerun or failed on ${baseName} too (flaky): ${flaky.length}`);
    for (const k of flaky) console.log(`  - ${k}`);
    regressions = steady;
  }
}
process.exit(regressions.length > 0 ? 1 : 0);
