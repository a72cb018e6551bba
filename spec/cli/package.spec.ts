/**
 * The package as a user gets it: `npm pack` the repository, install the
 * tarball into a scratch project (offline: rivulet has no runtime
 * dependencies), then start `npx rivulet-server`, import it as ESM, require it
 * as CommonJS (with require(esm) turned off, as in Jest's CommonJS runtime),
 * and type-check a consumer with `tsc --strict` for both module systems.
 *
 * Needs the full build (`npm run build`: dist/ and dist/cjs/), which `npm test` runs first.
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { ROOT, tmpDir, rmrf, freePort, waitForPing, rawCommand, runProgram } from '../helpers.js';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion with a deadline. */
function run(cmd: string, args: string[], cwd: string, timeoutMs = 60_000, env: Record<string, string> = {}): Promise<Ran> {
  return runProgram(cmd, args, { cwd, timeoutMs, env: { ...process.env, npm_config_update_notifier: 'false', ...env } });
}

const TSC = createRequire(path.join(ROOT, 'package.json')).resolve('typescript/bin/tsc');

/** A consumer script: starts rivulet through the package's public entry, PINGs it over TCP, prints the reply, closes. */
const consumer = (load: string): string => `${load}
const net = require('node:net');
(async () => {
  const srv = await createServer({ port: 0, 'stream-node-max-entries': 50, appendonly: false });
  const reply = await new Promise((resolve, reject) => {
    const s = net.connect(srv.port, '127.0.0.1', () => s.write('*1\\r\\n$4\\r\\nPING\\r\\n'));
    s.once('data', (d) => { resolve(d.toString()); s.destroy(); });
    s.once('error', reject);
  });
  await srv.close();
  process.stdout.write(JSON.stringify(reply));
})();
`;

describe('the npm package, installed from its tarball into a scratch project', function () {
  // npm pack + npm install from the local tarball: several seconds, more on a busy machine.
  this.timeout(180_000);
  let dir: string;
  let project: string;
  let tarball: string;

  before(async () => {
    for (const f of ['dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/cjs/lib/index.js', 'dist/cjs/lib/index.d.ts', 'dist/bin/cli.js']) {
      if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run \`npm run build\` (npm test does) before this spec`);
    }
    dir = tmpDir('rivulet-pack-');
    // --ignore-scripts: the build already ran (prepack would run it again, for minutes on a busy machine).
    const packed = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], ROOT);
    expect(packed.code, packed.stderr).to.equal(0);
    tarball = path.join(dir, packed.stdout.trim().split('\n').pop()!);
    project = path.join(dir, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }, null, 2));
    const installed = await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--omit=dev', tarball], project, 120_000);
    expect(installed.code, installed.stdout + installed.stderr).to.equal(0);
  });
  after(() => {
    if (dir) rmrf(dir);
  });

  it('the tarball holds the compiled server, the CommonJS build and the shims, and no specs or source maps', () => {
    const files = execFileSync('tar', ['tzf', tarball]).toString().split('\n');
    for (const f of [
      'package/bin/rivulet-server',
      'package/bin/rivulet-check-aof',
      'package/bin/rivulet-check-rdb',
      'package/dist/bin/cli.js',
      'package/dist/bin/launch.js',
      'package/dist/rivulet-server.cjs',
      'package/dist/rivulet-server.cache',
      'package/dist/rivulet-server.json',
      'package/dist/bin/check-aof.js',
      'package/dist/bin/check-rdb.js',
      'package/dist/lib/index.js',
      'package/dist/lib/index.d.ts',
      'package/dist/cjs/lib/index.js',
      'package/dist/cjs/package.json',
      'package/dist/dashboard/index.html',
      'package/dist/dashboard/app.js',
      'package/dist/dashboard/style.css',
      'package/README.md',
      'package/LICENSE',
    ]) {
      expect(files, f).to.include(f);
    }
    expect(files.filter((f) => f.startsWith('package/dist/spec/') || f.startsWith('package/dist/bench/'))).to.deep.equal([]);
    expect(files.filter((f) => f.endsWith('.map'))).to.deep.equal([]);
    expect(files.filter((f) => /^package\/(lib|commands|spec)\//.test(f))).to.deep.equal([]);
  });

  it('`npx rivulet-server --version` runs the installed server', async () => {
    const r = await run('npx', ['--offline', '--no-install', 'rivulet-server', '--version'], project);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^rivulet server v=\d+\.\d+\.\d+ redis=7\.4\.0 node=v\d+/);
  });

  it('the installed server starts from its one-file bundle (npm pack restamps every mtime; the contents still match)', async () => {
    const r = await run(process.execPath, [path.join(project, 'node_modules', 'rivulet', 'bin', 'rivulet-server'), '--version'], project, 60_000, {
      RIVULET_BUNDLE: '1',
    });
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/^rivulet server v=\d+\.\d+\.\d+ redis=7\.4\.0 node=v\d+/);
  });

  it('`npx rivulet-server --port N` serves clients', async () => {
    const port = await freePort();
    // A process group of its own, so the npx wrapper and the server under it stop together.
    const p = spawn('npx', ['--offline', '--no-install', 'rivulet-server', '--port', String(port), '--appendonly', 'no'], {
      cwd: project,
      stdio: 'ignore',
      detached: true,
    });
    try {
      await waitForPing(port, 60_000);
      expect(await rawCommand(port, ['SET', 'k', 'v'])).to.equal('OK');
      expect(String(await rawCommand(port, ['GET', 'k']))).to.equal('v');
    } finally {
      try {
        process.kill(-p.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });

  it("an ES module imports { createServer } from 'rivulet'", async () => {
    fs.writeFileSync(path.join(project, 'esm.mjs'), consumer("import { createServer } from 'rivulet';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);"));
    const r = await run(process.execPath, ['esm.mjs'], project);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.equal('+PONG\r\n');
  });

  it("CommonJS require('rivulet') works without require(esm) (as in Jest's CommonJS runtime)", async () => {
    fs.writeFileSync(path.join(project, 'cjs.cjs'), consumer("const { createServer } = require('rivulet');"));
    const r = await run(process.execPath, ['--no-experimental-require-module', 'cjs.cjs'], project);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.equal('+PONG\r\n');
    // Resolved to the CommonJS build, not the ESM one.
    const resolved = execFileSync(process.execPath, ['-p', "require.resolve('rivulet')"], { cwd: project }).toString().trim();
    expect(resolved).to.equal(path.join(fs.realpathSync(project), 'node_modules', 'rivulet', 'dist', 'cjs', 'lib', 'index.js'));
  });

  it('a TypeScript consumer type-checks under --strict (ESM and CommonJS), and a misspelt option does not', async () => {
    fs.writeFileSync(
      path.join(project, 'ok.mts'),
      "import { createServer, type ServerOptions } from 'rivulet';\n" +
        "const options: ServerOptions = { port: 0, appendonly: false, 'notify-keyspace-events': 'KEA', maxmemory: '10mb' };\n" +
        'const srv = await createServer(options);\nconst port: number = srv.port;\nawait srv.close();\nexport { port };\n',
    );
    fs.writeFileSync(
      path.join(project, 'ok.cts'),
      "import rivulet = require('rivulet');\nexport async function start(): Promise<number> {\n  const srv = await rivulet.createServer({ 'stream-node-max-bytes': '4kb' });\n  return srv.port;\n}\n",
    );
    fs.writeFileSync(path.join(project, 'bad.mts'), "import { createServer } from 'rivulet';\nawait createServer({ prot: 0 });\n");
    // One run over all three files (tsc is slow on a busy machine): the only errors must be bad.mts's.
    const r = await run(
      process.execPath,
      [
        TSC,
        '--strict',
        '--noEmit',
        '--skipLibCheck',
        '--target',
        'es2022',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--types',
        'node',
        '--typeRoots',
        path.join(ROOT, 'node_modules', '@types'),
        'ok.mts',
        'ok.cts',
        'bad.mts',
      ],
      project,
      120_000,
    );
    const errors = r.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    expect(errors, r.stdout + r.stderr).to.deep.equal([
      "bad.mts(2,22): error TS2353: Object literal may only specify known properties, and 'prot' does not exist in type 'ServerOptions'.",
    ]);
  });

  it('the bin shims explain a missing build instead of printing a stack trace', async () => {
    const bare = path.join(dir, 'bare');
    fs.mkdirSync(path.join(bare, 'bin'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'bin', 'rivulet-server'), path.join(bare, 'bin', 'rivulet-server'));
    fs.copyFileSync(path.join(ROOT, 'bin', 'rivulet-check-aof'), path.join(bare, 'bin', 'rivulet-check-aof'));
    fs.writeFileSync(path.join(bare, 'package.json'), JSON.stringify({ name: 'rivulet', type: 'module' }));
    const server = await run(process.execPath, [path.join(bare, 'bin', 'rivulet-server')], bare);
    expect(server.code).to.equal(1);
    expect(server.stderr).to.equal(
      'rivulet-server: the compiled server (dist/bin/launch.js) is missing.\n' +
        'In a clone of rivulet, build it: `npm ci && npm run build`.\n' +
        'As a dependency, install a packed tarball (`npm pack`) or from git; both contain it.\n',
    );
    const check = await run(process.execPath, [path.join(bare, 'bin', 'rivulet-check-aof')], bare);
    expect(check.code).to.equal(1);
    expect(check.stderr).to.contain('rivulet-check-aof: the compiled tool (dist/bin/check-aof.js) is missing.');
  });
});
