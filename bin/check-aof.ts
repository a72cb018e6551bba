/**
 * rivulet-check-aof [--fix] <file.aof | file.manifest | appendonlydir>
 * rivulet-check-aof --rebuild-manifest <dir/appendonly.aof.manifest>
 *
 * Checks AOF files the way redis-check-aof does: every record must be a
 * complete, well-formed RESP command and MULTI must be closed by EXEC.
 * Reports where the valid content ends and why; with --fix, after asking
 * (answer `y` on stdin), truncates the last file to its valid part. Damage in
 * a file that is not the last one of a manifest cannot be fixed by
 * truncation (data after it would be lost), so it is only reported.
 * Exit status: 0 when valid (or fixed), 1 otherwise.
 *
 * --rebuild-manifest writes a lost manifest from the AOF files present
 * (rivulet refuses to start on such a directory): the one base file and every
 * incremental file in sequence order. It never replaces a manifest and does
 * not guess between several base files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { scan } from '../lib/persistence/resp.js';
import { parseManifest, ManifestError, emptyManifest, formatManifest, persistManifest, aofFilesIn } from '../lib/persistence/manifest.js';

const out = (s: string): void => void process.stdout.write(s + '\n');

interface Checked {
  ok: boolean;
  size: number;
  validUpTo: number;
}

function check(filePath: string, display: string): Checked {
  const buf = fs.readFileSync(filePath);
  if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') === 'REDIS') {
    out(`AOF ${display} starts with an RDB preamble: rivulet-check-aof only checks RESP AOF files`);
    return { ok: false, size: buf.length, validUpTo: 0 };
  }
  const r = scan(buf);
  if (r.stop) out(`0x${r.stop.offset.toString(16).padStart(16, ' ')}: ${r.stop.reason}`);
  let lines = 0;
  for (let i = 0; i < r.validUpTo; i++) if (buf[i] === 10) lines++;
  out(
    `AOF analyzed: filename=${display}, size=${buf.length}, ok_up_to=${r.validUpTo}, ok_up_to_line=${lines}, diff=${buf.length - r.validUpTo}`,
  );
  return { ok: r.stop === null, size: buf.length, validUpTo: r.validUpTo };
}

function ask(question: string): boolean {
  process.stdout.write(question);
  let answer = '';
  try {
    const b = Buffer.alloc(16);
    const n = fs.readSync(0, b, 0, b.length, null);
    answer = b.subarray(0, n).toString();
  } catch {
    /* no stdin: no */
  }
  return answer.trim().toLowerCase().startsWith('y');
}

/** Checks one file; with fix (and permission) truncates it. Returns whether it ends up valid. */
function checkAndMaybeFix(filePath: string, display: string, fix: boolean, canFix: boolean): boolean {
  const r = check(filePath, display);
  if (r.ok) return true;
  if (!fix) {
    out(`AOF ${display} is not valid. Use the --fix option to try fixing it.`);
    return false;
  }
  if (!canFix) {
    out(`Failed to truncate AOF ${display} because it is not the last file`);
    return false;
  }
  out(`This will shrink the AOF ${display} from ${r.size} bytes, with ${r.size - r.validUpTo} bytes, to ${r.validUpTo} bytes`);
  if (!ask('Continue? [y/N]: ')) {
    out('Aborting...');
    return false;
  }
  fs.truncateSync(filePath, r.validUpTo);
  out(`Successfully truncated AOF ${display}`);
  return true;
}

/** Writes `manifestPath` from the AOF files beside it; see the header. */
function rebuildManifest(manifestPath: string): number {
  const dir = path.dirname(manifestPath);
  const base = path.basename(manifestPath);
  if (!base.endsWith('.manifest')) {
    out(`${manifestPath} is not a manifest path (it must end in .manifest)`);
    return 1;
  }
  if (fs.existsSync(manifestPath)) {
    out(`${manifestPath} exists: not replacing it.`);
    return 1;
  }
  const filename = base.slice(0, -'.manifest'.length);
  const parse = (n: string): { name: string; seq: number; kind: string } => {
    const rest = n.slice(filename.length + 1);
    const dot = rest.indexOf('.');
    return { name: n, seq: Number(rest.slice(0, dot)), kind: rest.slice(dot + 1) };
  };
  const files = aofFilesIn(dir, filename).map(parse).sort((a, b) => a.seq - b.seq);
  const bases = files.filter((f) => f.kind.startsWith('base.'));
  const incrs = files.filter((f) => f.kind === 'incr.aof');
  if (bases.length + incrs.length === 0) {
    out(`No AOF files named ${filename}.<seq>.base.aof or ${filename}.<seq>.incr.aof in ${dir}: nothing to rebuild.`);
    return 1;
  }
  if (bases.length > 1) {
    out(`Several base files: ${bases.map((f) => f.name).join(', ')}. Move the ones that are not the latest out of ${dir} and run again.`);
    return 1;
  }
  const m = emptyManifest();
  if (bases.length === 1) {
    m.base = { name: bases[0].name, seq: bases[0].seq, type: 'b' };
    m.baseSeq = bases[0].seq;
  }
  for (const f of incrs) m.incrs.push({ name: f.name, seq: f.seq, type: 'i' });
  m.incrSeq = incrs.length ? incrs[incrs.length - 1].seq : 0;
  persistManifest(dir, filename, m);
  out(`Rebuilt ${manifestPath} from the files present:`);
  process.stdout.write(formatManifest(m));
  return 0;
}

const USAGE = `Usage: rivulet-check-aof [--fix] <file.manifest|file.aof|appendonlydir>

Checks an append-only file the way redis-check-aof does: every record must be a
complete RESP command and MULTI must be closed by EXEC.
  <file.manifest>   a Redis 7 multi-part AOF: checks the base and incr files it lists
  <file.aof>        a single AOF file
  <directory>       the appendonlydir (or the dir holding it): checks the manifest in it
  --fix             asks, then truncates the last file to its valid part
  --rebuild-manifest <dir/appendonly.aof.manifest>
                    writes a missing manifest from the AOF files beside it
  -h, --help        prints this text
Exit status: 0 when valid (or fixed), 1 otherwise.`;

/**
 * A directory argument: the manifest in it (one *.manifest), or in its
 * appendonlydir/. Returns the manifest path or an error text.
 */
function manifestIn(dir: string): string | { error: string } {
  for (const d of [dir, path.join(dir, 'appendonlydir')]) {
    let names: string[];
    try {
      names = fs.readdirSync(d);
    } catch {
      continue;
    }
    const manifests = names.filter((n) => n.endsWith('.manifest'));
    if (manifests.length === 1) return path.join(d, manifests[0]);
    if (manifests.length > 1) return { error: `Cannot choose: ${d} holds several manifests (${manifests.join(', ')}); give one of them` };
  }
  return { error: `Cannot read file ${dir}: Is a directory with no AOF manifest (give a .manifest or .aof file)` };
}

export function main(argv: string[]): number {
  if (argv[0] === '--rebuild-manifest') {
    if (argv.length !== 2) {
      out('Usage: rivulet-check-aof --rebuild-manifest <dir/appendonly.aof.manifest>');
      return 1;
    }
    return rebuildManifest(argv[1]);
  }
  let fix = false;
  const files: string[] = [];
  for (const a of argv) {
    if (a === '-h' || a === '--help') {
      out(USAGE);
      return 0;
    }
    if (a === '--fix') fix = true;
    else files.push(a);
  }
  if (files.length !== 1) {
    out('Usage: rivulet-check-aof [--fix] <file.manifest|file.aof|appendonlydir> (--help for more)');
    out('       rivulet-check-aof --rebuild-manifest <dir/appendonly.aof.manifest>');
    return 1;
  }
  let target = files[0];
  if (!fs.existsSync(target)) {
    out(`Cannot open file ${target}: No such file or directory`);
    return 1;
  }
  if (fs.statSync(target).isDirectory()) {
    const found = manifestIn(target);
    if (typeof found !== 'string') {
      out(found.error);
      return 1;
    }
    target = found;
  }
  if (!target.endsWith('.manifest')) {
    out('Start checking Old-Style AOF');
    const ok = checkAndMaybeFix(target, target, fix, true);
    if (ok && !fix) out(`AOF ${target} is valid`);
    return ok ? 0 : 1;
  }
  out('Start checking Multi Part AOF');
  const dir = path.dirname(target);
  let m;
  try {
    m = parseManifest(fs.readFileSync(target, 'latin1'));
  } catch (err) {
    if (err instanceof ManifestError) {
      out(`Invalid AOF manifest file ${target}: ${err.message}`);
      return 1;
    }
    throw err;
  }
  const files2 = [...(m.base ? [m.base] : []), ...m.incrs];
  for (let i = 0; i < files2.length; i++) {
    const f = files2[i];
    if (i === 0 && m.base) out('Start to check BASE AOF (RESP format).');
    if (i === (m.base ? 1 : 0)) out('Start to check INCR files.');
    const p = path.join(dir, f.name);
    if (!fs.existsSync(p)) {
      out(`AOF ${f.name} listed in the manifest does not exist`);
      return 1;
    }
    if (f.type === 'i' && fs.statSync(p).size === 0) {
      out(`INCR AOF ${f.name} is empty`);
      continue;
    }
    const ok = checkAndMaybeFix(p, f.name, fix, i === files2.length - 1);
    if (!ok) return 1;
    out(`${f.type === 'b' ? 'BASE' : 'INCR'} AOF ${f.name} is valid`);
  }
  out('All AOF files and manifest are valid');
  return 0;
}
