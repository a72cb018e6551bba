/**
 * Summarises a V8 .cpuprofile (written by `node --cpu-prof`): self time per
 * function and per source file, from the sample list (each sample's time
 * delta is charged to the node it landed in).
 *
 *   node dist/bench/cpuprofile.js FILE.cpuprofile [--top 30]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  /** Microseconds on the monotonic clock (the one process.hrtime reads), so windows can be given from another process. */
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  pct: number;
}

export interface Summary {
  /** For the heaviest functions: which callers their self time came through. */
  callers: { name: string; where: string; ms: number; via: SelfTime[] }[];
  totalMs: number;
  /** Total minus (idle). */
  busyMs: number;
  functions: SelfTime[];
  files: SelfTime[];
}

function shortUrl(url: string): string {
  if (url === '') return '';
  const u = url.replace(/^file:\/\//, '');
  const i = u.indexOf('/dist/');
  if (i >= 0) return u.slice(i + 6);
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) return u.slice(nm);
  return u;
}

/** Self time per function and file; with a window (monotonic µs), only samples taken inside it count. */
export function summarise(profile: CpuProfile, window?: { fromUs: number; toUs: number }): Summary {
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byId.set(n.id, n);
  const selfById = new Map<number, number>();
  let total = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    total += dt;
    selfById.set(profile.samples[i], (selfById.get(profile.samples[i]) ?? 0) + dt);
  }
  const parent = new Map<number, ProfileNode>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const fn = new Map<string, SelfTime>();
  const via = new Map<string, Map<string, SelfTime>>();
  const file = new Map<string, SelfTime>();
  let idle = 0;
  for (const [id, us] of selfById) {
    const cf = byId.get(id)!.callFrame;
    if (cf.functionName === '(idle)') idle += us;
    const where = shortUrl(cf.url);
    const name = cf.functionName || '(anonymous)';
    const fkey = `${name}@${where}:${cf.lineNumber + 1}`;
    const f = fn.get(fkey) ?? { name, where: where ? `${where}:${cf.lineNumber + 1}` : '', ms: 0, pct: 0 };
    f.ms += us / 1000;
    fn.set(fkey, f);
    const p = parent.get(id);
    if (p) {
      const pf = p.callFrame;
      const pw = shortUrl(pf.url);
      const pkey = `${pf.functionName || '(anonymous)'}@${pw}:${pf.lineNumber + 1}`;
      const m = via.get(fkey) ?? new Map<string, SelfTime>();
      const v = m.get(pkey) ?? { name: pf.functionName || '(anonymous)', where: pw ? `${pw}:${pf.lineNumber + 1}` : '', ms: 0, pct: 0 };
      v.ms += us / 1000;
      m.set(pkey, v);
      via.set(fkey, m);
    }
    const filekey = where || name; // (garbage collector), (program), (idle) stand for themselves
    const g = file.get(filekey) ?? { name: filekey, where: '', ms: 0, pct: 0 };
    g.ms += us / 1000;
    file.set(filekey, g);
  }
  const busy = (total - idle) / 1000;
  const finish = (m: Map<string, SelfTime>) =>
    [...m.values()]
      .map((x) => ({ ...x, pct: busy > 0 ? (100 * x.ms) / busy : 0 }))
      .sort((a, b) => b.ms - a.ms);
  const functions = finish(fn);
  const callers = [...fn.entries()]
    .filter(([, f]) => f.name !== '(idle)')
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 12)
    .map(([k, f]) => ({ name: f.name, where: f.where, ms: f.ms, via: finish(via.get(k) ?? new Map()).slice(0, 4) }));
  return { totalMs: total / 1000, busyMs: busy, functions, files: finish(file), callers };
}

export function formatSummary(s: Summary, top: number): string {
  const lines: string[] = [];
  lines.push(`profile: ${s.totalMs.toFixed(0)} ms sampled, ${s.busyMs.toFixed(0)} ms busy (percentages are of busy time)`);
  lines.push('', `top ${top} functions by self time:`);
  for (const f of s.functions.filter((x) => x.name !== '(idle)').slice(0, top))
    lines.push(`  ${f.pct.toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}  ${f.where}`);
  lines.push('', 'callers of the heaviest functions (share of that function\'s self time):');
  for (const c of s.callers) {
    const parts = c.via.map((v) => `${v.name} ${v.where} ${((100 * v.ms) / c.ms).toFixed(0)}%`);
    lines.push(`  ${c.name} ${c.where} ← ${parts.join('; ')}`);
  }
  lines.push('', 'self time by file:');
  for (const f of s.files.filter((x) => x.name !== '(idle)').slice(0, 15)) lines.push(`  ${f.pct.toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}`);
  return lines.join('\n');
}

/**
 * The longest stretches of busy samples (runs between (idle) samples, so
 * roughly one event-loop turn each: the time no other client was served),
 * each with its heaviest functions by self time.
 */
export function busyStretches(profile: CpuProfile, window: { fromUs: number; toUs: number } | undefined, count: number): string {
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byId.set(n.id, n);
  const stretches: { startUs: number; us: number; self: Map<number, number> }[] = [];
  let cur: { startUs: number; us: number; self: Map<number, number> } | null = null;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    const id = profile.samples[i];
    if (byId.get(id)!.callFrame.functionName === '(idle)') {
      cur = null;
      continue;
    }
    if (cur === null) {
      cur = { startUs: t - dt, us: 0, self: new Map() };
      stretches.push(cur);
    }
    cur.us += dt;
    cur.self.set(id, (cur.self.get(id) ?? 0) + dt);
  }
  stretches.sort((a, b) => b.us - a.us);
  const lines = [`longest ${count} busy stretches:`];
  for (const s of stretches.slice(0, count)) {
    const byName = new Map<string, number>();
    for (const [id, us] of s.self) {
      const cf = byId.get(id)!.callFrame;
      const key = `${cf.functionName || '(anonymous)'} ${shortUrl(cf.url)}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
      byName.set(key, (byName.get(key) ?? 0) + us);
    }
    const top = [...byName.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    lines.push(`  ${(s.us / 1000).toFixed(1)} ms at +${((s.startUs - (window?.fromUs ?? profile.startTime)) / 1000).toFixed(0)} ms: ` +
      top.map(([k, us]) => `${k} ${(us / 1000).toFixed(1)}`).join('; '));
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/cpuprofile.js FILE.cpuprofile [--top N]\n');
    process.exit(2);
  }
  const ti = process.argv.indexOf('--top');
  const top = ti > 0 ? Number(process.argv[ti + 1]) : 30;
  process.stdout.write(formatSummary(summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile), top) + '\n');
}
