/**
 * The one-file start-up bundle (scripts/bundle.mjs, bin/launch.ts): npm
 * run build (which npm test runs first) leaves it current, it holds exactly
 * the modules of the ESM build, bin/rivulet-server runs it, and it is never
 * used once it no longer matches dist/.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, ROOT, freePort, rawCommand, rmrf, tmpDir, waitForPing } from '../helpers.js';
import { bundleIsCurrent, BUNDLE_FILE, CACHE_FILE, MANIFEST_FILE } from '../../bin/launch.js';

const DIST = path.join(ROOT, 'dist');

/** The relative modules an ESM file imports, statically or with import(). */
function esmImports(file: string): string[] {
  const code = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']+)\1/g)) out.push(m[2]);
  return out;
}

/** Every ESM file reachable from dist/bin/cli.js through relative imports, relative to dist/. */
function esmGraph(): string[] {
  const seen = new Set<string>();
  const queue = ['bin/cli.js'];
  while (queue.length) {
    const rel = queue.shift()!;
    if (seen.has(rel)) continue;
    seen.add(rel);
    for (const spec of esmImports(path.join(DIST, rel))) queue.push(path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)));
  }
  return [...seen].sort();
}

describe('the start-up bundle (dist/rivulet-server.cjs)', function () {
  this.timeout(60_000);

  it('is current after the build (npm test builds first; after a plain `npx tsc`, run `npm run build`)', () => {
    expect(bundleIsCurrent(), 'dist/rivulet-server.cjs is stale or missing: run `npm run build`').to.equal(true);
  });

  it('stands for exactly the modules the ESM build of rivulet-server loads', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(DIST, MANIFEST_FILE), 'utf8')) as { files: [string, number, number, string][] };
    const listed = manifest.files.map((f) => f[0]).filter((f) => f !== BUNDLE_FILE && f !== CACHE_FILE);
    expect(listed.sort()).to.deep.equal(esmGraph());
    // ... and each of them is a module of the bundle's table.
    const bundle = fs.readFileSync(path.join(DIST, BUNDLE_FILE), 'utf8');
    for (const rel of listed) expect(bundle, rel).to.include(`\n${JSON.stringify(rel)}: function (exports, require, module, __filename, __dirname) {\n`);
  });

  it('bin/rivulet-server runs it (RIVULET_BUNDLE=1 refuses anything else): commands, lazily loaded Lua, SHUTDOWN', async () => {
    const port = await freePort();
    const dir = tmpDir('rivulet-bundle-');
    let out = '';
    const proc = spawn(process.execPath, [BIN, '--port', String(port), '--appendonly', 'no', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RIVULET_BUNDLE: '1' },
    });
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    try {
      await Promise.race([waitForPing(port, 30_000), exited.then(() => Promise.reject(new Error(`exited: ${out}`)))]);
      expect(await rawCommand(port, ['SET', 'k', 'v'])).to.equal('OK');
      expect(String(await rawCommand(port, ['GET', 'k']))).to.equal('v');
      expect(await rawCommand(port, ['EVAL', "return redis.call('INCRBY', KEYS[1], ARGV[1])", '1', 'n', '41'])).to.equal(41);
      expect(await rawCommand(port, ['XADD', 's', '1-1', 'f', 'v'])).to.equal('1-1');
      await rawCommand(port, ['SHUTDOWN', 'NOSAVE']).catch(() => null);
      expect(await exited).to.equal(0);
    } finally {
      proc.kill('SIGKILL');
      rmrf(dir);
    }
  });

  it('is ASCII (the launcher reads it as latin1) and this node accepts its code cache, made after a start to the first PONG', () => {
    const bundle = fs.readFileSync(path.join(DIST, BUNDLE_FILE));
    const firstNonAscii = bundle.findIndex((b) => b > 0x7f);
    expect(firstNonAscii, 'offset of a non-ASCII byte').to.equal(-1);
    // In a child: compiling runs the bundle's module table, which this process should not hold twice.
    const launch = pathToFileURL(path.join(DIST, 'bin', 'launch.js')).href;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const { script } = (await import(${JSON.stringify(launch)})).compileBundle(); process.stdout.write(String(script.cachedDataRejected)); process.exit(0);`], { encoding: 'utf8' });
    expect(r.stdout, r.stderr).to.equal('false');
    // The cache holds more than the modules' top level: a function that only a start runs (cli's run()) is in it,
    // which shows as a cache bigger than one made from the module table alone.
    const topOnly = spawnSync(process.execPath, ['--input-type=module', '-e', `const { script } = (await import(${JSON.stringify(launch)})).compileBundle(undefined, false); process.stdout.write(String(script.createCachedData().length)); process.exit(0);`], { encoding: 'utf8' });
    expect(fs.statSync(path.join(DIST, CACHE_FILE)).size).to.be.greaterThan(Number(topOnly.stdout));
  });

  describe('staleness (a scratch dist/ with a manifest made by scripts/bundle.mjs)', () => {
    let dir: string;
    let fingerprint: (dist: string, rels: string[]) => [string, number, number, string][];
    const write = (rel: string, text: string): void => fs.writeFileSync(path.join(dir, rel), text);
    const manifest = (): void =>
      fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify({ files: fingerprint(dir, ['a.js', BUNDLE_FILE, CACHE_FILE]) }));

    beforeEach(async () => {
      ({ fingerprint } = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'bundle.mjs')).href)) as { fingerprint: typeof fingerprint });
      dir = tmpDir('rivulet-stale-');
      write('a.js', 'export const a = 1;\n');
      write(BUNDLE_FILE, '/* bundle */');
      write(CACHE_FILE, 'cache');
      manifest();
    });
    afterEach(() => rmrf(dir));

    it('an untouched dist/ is current', () => {
      expect(bundleIsCurrent(dir)).to.equal(true);
    });

    it('a rebuilt file of the same size but other content is not (mtime changed, hash differs)', () => {
      write('a.js', 'export const a = 2;\n');
      fs.utimesSync(path.join(dir, 'a.js'), new Date(), new Date(Date.now() + 5000));
      expect(bundleIsCurrent(dir)).to.equal(false);
    });

    it('a file of another size is not, whatever its mtime', () => {
      const st = fs.statSync(path.join(dir, 'a.js'));
      write('a.js', 'export const a = 12;\n');
      fs.utimesSync(path.join(dir, 'a.js'), st.atime, st.mtime);
      expect(bundleIsCurrent(dir)).to.equal(false);
    });

    it('the same content restamped (npm pack, a copy) still is', () => {
      fs.utimesSync(path.join(dir, 'a.js'), new Date(499162500000), new Date(499162500000));
      expect(bundleIsCurrent(dir)).to.equal(true);
    });

    it('a missing file, bundle or manifest is not', () => {
      fs.rmSync(path.join(dir, CACHE_FILE));
      expect(bundleIsCurrent(dir)).to.equal(false);
    });

    it('no manifest at all is not', () => {
      fs.rmSync(path.join(dir, MANIFEST_FILE));
      expect(bundleIsCurrent(dir)).to.equal(false);
    });
  });
});
