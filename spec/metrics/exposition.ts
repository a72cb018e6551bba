/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4),
 * written from the format's documentation, for the metrics specs. It throws
 * on anything a Prometheus server would refuse or that the format forbids:
 * bad metric or label names, bad escapes, bad values, a TYPE or HELP given
 * twice or after the family's first sample, a family's samples not
 * contiguous, a duplicate series, histogram buckets without `le`, not
 * cumulative or without a `+Inf` bucket equal to `_count`, a summary
 * quantile outside [0, 1], a negative counter.
 */

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string | null;
  samples: ParsedSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function fail(lineNo: number, line: string, why: string): never {
  throw new Error(`exposition line ${lineNo}: ${why}: ${JSON.stringify(line)}`);
}

/** A sample value as Prometheus reads it (Go's ParseFloat: NaN and Inf in any case, so prom-client's `Nan` too). */
function parseValue(s: string): number | null {
  const l = s.toLowerCase();
  if (l === 'nan') return NaN;
  if (l === '+inf' || l === 'inf' || l === '+infinity' || l === 'infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  return Number(s);
}

/** The family a sample name belongs to, given the families declared so far. */
function familyOf(name: string, declared: Map<string, ParsedFamily>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const f = declared.get(base);
    if (f && (f.type === 'histogram' || (f.type === 'summary' && suffix !== '_bucket'))) return base;
  }
  return name;
}

export function parseExposition(text: string): Map<string, ParsedFamily> {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a line feed');
  const families = new Map<string, ParsedFamily>();
  const finished = new Set<string>();
  const seen = new Set<string>();
  let current: string | null = null;
  const lines = text.split('\n');
  lines.pop();
  const family = (name: string): ParsedFamily => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: 'untyped', help: null, samples: [] }));
    return f;
  };
  const enter = (name: string, lineNo: number, line: string): void => {
    if (current === name) return;
    if (finished.has(name)) fail(lineNo, line, `family ${name} is not contiguous`);
    if (current !== null) finished.add(current);
    current = name;
  };

  lines.forEach((line, i) => {
    const n = i + 1;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (!m) return; // a plain comment
      const [, kind, name, rest = ''] = m;
      if (!METRIC_NAME.test(name)) fail(n, line, 'bad metric name');
      enter(name, n, line);
      const f = family(name);
      if (f.samples.length > 0) fail(n, line, `${kind} after the first sample of ${name}`);
      if (kind === 'HELP') {
        if (f.help !== null) fail(n, line, 'HELP given twice');
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) fail(n, line, 'bad escape in HELP');
        f.help = rest.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
      } else {
        if ((f as { typed?: boolean }).typed) fail(n, line, 'TYPE given twice');
        if (!TYPES.has(rest.trim())) fail(n, line, 'unknown type');
        f.type = rest.trim() as ParsedFamily['type'];
        (f as { typed?: boolean }).typed = true;
      }
      return;
    }
    // name{labels} value [timestamp]
    const nm = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (!nm) fail(n, line, 'bad metric name');
    const name = nm[1];
    let p = name.length;
    const labels: Record<string, string> = {};
    if (line[p] === '{') {
      p++;
      for (;;) {
        while (line[p] === ' ') p++;
        if (line[p] === '}') {
          p++;
          break;
        }
        const ln = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(p));
        if (!ln || !LABEL_NAME.test(ln[0])) fail(n, line, 'bad label name');
        const lname = ln[0];
        if (lname.startsWith('__')) fail(n, line, 'reserved label name');
        if (lname in labels) fail(n, line, `label ${lname} given twice`);
        p += lname.length;
        if (line[p] !== '=' || line[p + 1] !== '"') fail(n, line, 'expected ="');
        p += 2;
        let v = '';
        for (;;) {
          const c = line[p];
          if (c === undefined) fail(n, line, 'unterminated label value');
          if (c === '"') {
            p++;
            break;
          }
          if (c === '\\') {
            const e = line[p + 1];
            if (e === '\\') v += '\\';
            else if (e === '"') v += '"';
            else if (e === 'n') v += '\n';
            else fail(n, line, 'bad escape in label value');
            p += 2;
            continue;
          }
          v += c;
          p++;
        }
        labels[lname] = v;
        if (line[p] === ',') {
          p++;
          continue;
        }
        if (line[p] === '}') {
          p++;
          break;
        }
        fail(n, line, 'expected , or }');
      }
    }
    if (line[p] !== ' ') fail(n, line, 'expected a space before the value');
    const parts = line.slice(p + 1).split(' ');
    if (parts.length < 1 || parts.length > 2) fail(n, line, 'expected value [timestamp]');
    const value = parseValue(parts[0]);
    if (value === null) fail(n, line, 'bad value');
    if (parts.length === 2 && !/^-?\d+$/.test(parts[1])) fail(n, line, 'bad timestamp');
    const fname = familyOf(name, families);
    enter(fname, n, line);
    const f = family(fname);
    const key = name + JSON.stringify(Object.entries(labels).sort());
    if (seen.has(key)) fail(n, line, 'duplicate series');
    seen.add(key);
    if (f.type === 'counter' && !(value >= 0)) fail(n, line, 'negative or NaN counter');
    if (f.type === 'histogram' && name === fname) fail(n, line, 'histogram sample without _bucket/_sum/_count');
    if (f.type === 'histogram' && name.endsWith('_bucket') && labels.le === undefined) fail(n, line, 'bucket without le');
    if (f.type === 'summary' && name === fname) {
      const q = Number(labels.quantile);
      if (labels.quantile === undefined || !(q >= 0 && q <= 1)) fail(n, line, 'summary sample without a quantile in [0, 1]');
    }
    f.samples.push({ name, labels, value });
  });

  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

function checkHistogram(f: ParsedFamily): void {
  const series = new Map<string, { buckets: [number, number][]; count?: number }>();
  for (const s of f.samples) {
    const rest = Object.entries(s.labels).filter(([k]) => k !== 'le').sort();
    const id = JSON.stringify(rest);
    let e = series.get(id);
    if (!e) series.set(id, (e = { buckets: [] }));
    if (s.name.endsWith('_bucket')) e.buckets.push([parseValue(s.labels.le) ?? NaN, s.value]);
    else if (s.name.endsWith('_count')) e.count = s.value;
  }
  for (const [id, e] of series) {
    e.buckets.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < e.buckets.length; i++) {
      if (e.buckets[i][1] < e.buckets[i - 1][1]) throw new Error(`${f.name}${id}: buckets are not cumulative`);
    }
    const inf = e.buckets[e.buckets.length - 1];
    if (!inf || inf[0] !== Infinity) throw new Error(`${f.name}${id}: no +Inf bucket`);
    if (e.count !== inf[1]) throw new Error(`${f.name}${id}: _count ${e.count} differs from the +Inf bucket ${inf[1]}`);
  }
}

/** The value of the series `name{labels}` (labels must match exactly), or undefined. */
export function valueOf(families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name !== name) continue;
      const a = Object.entries(s.labels).sort();
      const b = Object.entries(labels).sort();
      if (JSON.stringify(a) === JSON.stringify(b)) return s.value;
    }
  }
  return undefined;
}

/** Every sample named `name`. */
export function samplesOf(families: Map<string, ParsedFamily>, name: string): ParsedSample[] {
  const out: ParsedSample[] = [];
  for (const f of families.values()) for (const s of f.samples) if (s.name === name) out.push(s);
  return out;
}
