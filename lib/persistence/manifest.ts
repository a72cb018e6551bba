/**
 * The multi-part AOF manifest, as Redis 7 writes it:
 *
 *   file appendonly.aof.2.base.aof seq 2 type b
 *   file appendonly.aof.2.incr.aof seq 2 type i
 *   file appendonly.aof.3.incr.aof seq 3 type i
 *
 * Invariants: at most one base (type b); incremental files (type i) in
 * increasing seq order, the last one being the file appended to; history
 * files (type h) are leftovers of a finished rewrite, to be deleted.
 * The manifest is replaced atomically: write a temp file, fsync, rename,
 * fsync the directory, so a crash leaves either the old or the new one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { splitConfigLine } from '../config.js';
import { faultPoint } from './faults.js';

export type AofFileType = 'b' | 'h' | 'i';

export interface AofFileInfo {
  name: string;
  seq: number;
  type: AofFileType;
}

export interface Manifest {
  base: AofFileInfo | null;
  incrs: AofFileInfo[];
  history: AofFileInfo[];
  /** Highest base / incr sequence numbers handed out (new files take the next one). */
  baseSeq: number;
  incrSeq: number;
}

export class ManifestError extends Error {}

export function emptyManifest(): Manifest {
  return { base: null, incrs: [], history: [], baseSeq: 0, incrSeq: 0 };
}

export function cloneManifest(m: Manifest): Manifest {
  return { base: m.base && { ...m.base }, incrs: m.incrs.map((f) => ({ ...f })), history: m.history.map((f) => ({ ...f })), baseSeq: m.baseSeq, incrSeq: m.incrSeq };
}

/** Parses manifest text; throws ManifestError with Redis's wording. */
export function parseManifest(text: string): Manifest {
  const m = emptyManifest();
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  for (const raw of lines) {
    if (raw.startsWith('#')) continue;
    if (raw.length > 1024) throw new ManifestError('The AOF manifest file contains too long line');
    const words = splitConfigLine(raw.trim());
    if (words === null || words.length === 0 || words.length % 2 !== 0) throw new ManifestError('Invalid AOF manifest file format');
    let name: string | undefined;
    let seq: number | undefined;
    let type: string | undefined;
    for (let i = 0; i < words.length; i += 2) {
      const k = words[i];
      const v = words[i + 1];
      if (k === 'file') name = v;
      else if (k === 'seq') seq = /^\d+$/.test(v) ? Number(v) : NaN;
      else if (k === 'type') type = v;
      // Unknown keys are ignored, as Redis does (forward compatibility).
    }
    if (name === undefined || seq === undefined || type === undefined || Number.isNaN(seq) || name.includes('/')) {
      throw new ManifestError('Invalid AOF manifest file format');
    }
    const info: AofFileInfo = { name, seq, type: type as AofFileType };
    if (type === 'b') {
      if (m.base) throw new ManifestError('Found duplicate base file information');
      m.base = info;
      m.baseSeq = seq;
    } else if (type === 'h') {
      m.history.push(info);
    } else if (type === 'i') {
      if (seq <= m.incrSeq) throw new ManifestError('Found a non-monotonic sequence number');
      m.incrs.push(info);
      m.incrSeq = seq;
    } else {
      throw new ManifestError('Unknown AOF file type');
    }
  }
  if (!m.base && m.incrs.length === 0) throw new ManifestError('Found an empty AOF manifest');
  return m;
}

function quoteName(name: string): string {
  if (/^[\x21-\x7e]+$/.test(name) && !/["'\\]/.test(name)) return name;
  let out = '"';
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 32 || c > 126) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** The manifest text: base first, then history, then incremental files (Redis's order). */
export function formatManifest(m: Manifest): string {
  let out = '';
  const line = (f: AofFileInfo): string => `file ${quoteName(f.name)} seq ${f.seq} type ${f.type}\n`;
  if (m.base) out += line(m.base);
  for (const h of m.history) out += line(h);
  for (const i of m.incrs) out += line(i);
  return out;
}

/** fsyncs a directory so a rename or a file creation in it is durable. */
export function fsyncDir(dir: string): void {
  let fd = -1;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    /* some filesystems refuse fsync on directories: nothing better to do */
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

/** Writes the manifest atomically (temp file, fsync, rename, fsync dir). Throws on I/O errors. `fault` names a test crash point between the temp file and the rename. */
export function persistManifest(dir: string, filename: string, m: Manifest, fault?: string): void {
  const finalPath = path.join(dir, `${filename}.manifest`);
  const tempPath = path.join(dir, `temp-${filename}.manifest`);
  const fd = fs.openSync(tempPath, 'w', 0o644);
  try {
    fs.writeSync(fd, formatManifest(m));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (fault) faultPoint(fault);
  fs.renameSync(tempPath, finalPath);
  fsyncDir(dir);
}

export const baseName = (filename: string, seq: number, rdb = false): string => `${filename}.${seq}.base.${rdb ? 'rdb' : 'aof'}`;
export const incrName = (filename: string, seq: number): string => `${filename}.${seq}.incr.aof`;

/** Names of files in `dir` that look like parts of the AOF `filename` (`<filename>.<seq>.base.aof|rdb`, `<filename>.<seq>.incr.aof`), sorted. */
export function aofFilesIn(dir: string, filename: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const esc = filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^${esc}\\.(\\d+)\\.(base\\.aof|base\\.rdb|incr\\.aof)$`);
  return names.filter((n) => re.test(n)).sort();
}
