/**
 * What bin/rivulet-server runs: the one-file bundle of the server
 * (dist/rivulet-server.cjs, written by `npm run build` through
 * scripts/bundle.mjs) when it is current, else the ESM build
 * (dist/bin/cli.js). Loading one file instead of ~200 ESM modules, compiled
 * from V8's code cache (dist/rivulet-server.cache, made at build time), is
 * most of rivulet-server's start-up time on Node 20, which has no module
 * compile cache (bench/PROFILE.md has the figures).
 *
 * "Current" means every file listed in dist/rivulet-server.json — the ESM
 * files the bundle stands for, the bundle and its code cache — still has the
 * size and modification time recorded when the bundle was written: after a
 * plain `npx tsc` (which rewrites the ESM files) the ESM build runs, so a
 * stale bundle is never used. RIVULET_BUNDLE=0 forces the ESM build,
 * RIVULET_BUNDLE=1 refuses to start without a current bundle.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { createRequire } from 'node:module';

// Only what every start needs is imported (each builtin an ESM module imports costs a facade at start-up):
// node:crypto is taken only when the manifest's hashes must be compared, node:v8 only for its setFlagsFromString.
const DIST = path.resolve(path.dirname(process.getBuiltinModule('node:url').fileURLToPath(import.meta.url)), '..');
export const BUNDLE_FILE = 'rivulet-server.cjs';
export const CACHE_FILE = 'rivulet-server.cache';
export const MANIFEST_FILE = 'rivulet-server.json';

interface Cli {
  main(argv: string[]): Promise<void>;
}

interface Manifest {
  /** [file relative to dist/, size, mtime in ms, sha1 of the content] */
  files: [string, number, number, string][];
}

/**
 * Whether dist/rivulet-server.cjs exists and was built from the files now in
 * dist/. Fast path: every size and mtime as recorded. When only mtimes differ
 * (npm pack stamps every file with one fixed date; copies and checkouts
 * restamp them), the contents' hashes decide.
 */
export function bundleIsCurrent(dist = DIST): boolean {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dist, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch {
    return false;
  }
  if (!Array.isArray(manifest.files) || !manifest.files.some((f) => f[0] === BUNDLE_FILE)) return false;
  let sameTimes = true;
  for (const [rel, size, mtime] of manifest.files) {
    // Plain concatenation: path.join per file would cost more than the stat itself.
    const st = fs.statSync(dist + path.sep + rel, { throwIfNoEntry: false });
    if (st === undefined || st.size !== size) return false;
    if (Math.round(st.mtimeMs) !== mtime) sameTimes = false;
  }
  if (sameTimes) return true;
  const crypto = process.getBuiltinModule('node:crypto');
  for (const [rel, , , sha1] of manifest.files) {
    if (crypto.createHash('sha1').update(fs.readFileSync(dist + path.sep + rel)).digest('hex') !== sha1) return false;
  }
  return true;
}

/**
 * Compiles the bundle (dist/rivulet-server.cjs is ASCII: scripts/bundle.mjs
 * escapes everything else, so it is read as latin1 into a one-byte string,
 * without UTF-8 decoding) and runs its module table (not the server),
 * returning the script and its entry's exports. With `useCache`, compiles
 * from the code cache when V8 accepts it (same Node version and flags);
 * scripts/bundle.mjs compiles without it, starts a server, answers a PING,
 * then writes the cache with `script.createCachedData()`, so the cache holds
 * every function a start runs, not only the modules' top level.
 */
export function compileBundle(dist = DIST, useCache = true): { script: vm.Script; cli: Cli } {
  const file = path.join(dist, BUNDLE_FILE);
  const source = fs.readFileSync(file, 'latin1');
  let cachedData: Buffer | undefined;
  if (useCache) {
    try {
      cachedData = fs.readFileSync(path.join(dist, CACHE_FILE));
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const fn = script.runInThisContext() as (this: unknown, exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;
  const mod = { exports: {} as Cli };
  fn.call(mod.exports, mod.exports, createRequire(file), mod, file, dist);
  return { script, cli: mod.exports };
}

/** The bundle's entry (bin/cli.js), compiled from the code cache when V8 accepts it. */
export function loadBundle(dist = DIST): Cli {
  return compileBundle(dist).cli;
}

/** What RIVULET_BUNDLE=1 says when the bundle cannot be used. */
const NOT_CURRENT = 'rivulet-server: RIVULET_BUNDLE=1 but dist/rivulet-server.cjs is missing or not current (run `npm run build`)\n';

/**
 * Keeps V8's young generation at its initial size instead of letting it grow
 * to 16 MB per semi-space under a burst of commands and keep that for ever
 * (V8 shrinks it only in memory-reducing collections, which an idle server
 * does not get). A 1M-entry XADD fill grew RSS ~30 B per entry with the
 * default, ~15 B with this (Redis: 14), for no measurable CPU per command
 * (bench/PROFILE.md, "Young generation"). Set after the bundle is compiled,
 * so its code cache (keyed by V8's flags) is still accepted. A semi-space
 * flag given to node explicitly wins.
 */
export function limitYoungGeneration(): void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  if (/semi[-_]space/.test(given)) return;
  process.getBuiltinModule('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
}

export async function main(argv: string[]): Promise<void> {
  // RIVULET_BUNDLE=0 runs the ESM build; =1 requires the bundle (the specs use it to prove that it is current).
  const want = process.env.RIVULET_BUNDLE;
  let cli: Cli;
  if (want !== '0' && bundleIsCurrent()) {
    cli = loadBundle();
  } else if (want === '1') {
    process.stderr.write(NOT_CURRENT);
    process.exit(1);
  } else {
    cli = await import('./cli.js');
  }
  limitYoungGeneration();
  return cli.main(argv);
}
