/**
 * Glob matching exactly as Redis's stringmatchlen does it (KEYS, SCAN MATCH,
 * CONFIG GET, PSUBSCRIBE): `*`, `?`, `[abc]`, `[^a]`, `[a-z]`, `\x` escapes.
 * Works on bytes (Buffers or latin1 strings) so binary patterns match.
 */

type Bytes = { readonly length: number; [i: number]: number };

function toBytes(s: Buffer | string): Bytes {
  return typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
}

const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

export function globMatch(pattern: Buffer | string, subject: Buffer | string, nocase = false): boolean {
  const p = toBytes(pattern);
  const s = toBytes(subject);
  // stringmatchlen only matches inside its `while (patternLen && stringLen)` loop, so an empty subject
  // matches nothing but the empty pattern: PSUBSCRIBE * never receives PUBLISH "" (KEYS/SCAN special-case a lone `*`).
  if (s.length === 0) return p.length === 0;
  return matchAt(p, 0, s, 0, nocase, 0) === 1;
}

/** 1 = match, 0 = no match, -1 = no match possible for any suffix (prunes `*` backtracking, as Redis does). */
function matchAt(p: Bytes, pi: number, s: Bytes, si: number, nocase: boolean, depth: number): number {
  // Redis caps recursion to avoid stack exhaustion on hostile patterns.
  if (depth > 1000) return -1;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    const pc = p[pi];
    if (pc === 42 /* * */) {
      while (pi + 1 < plen && p[pi + 1] === 42) pi++;
      if (pi + 1 === plen) return 1;
      for (let k = si; k < slen; k++) {
        const r = matchAt(p, pi + 1, s, k, nocase, depth + 1);
        if (r === 1) return 1;
        if (r === -1) return -1;
      }
      return -1;
    } else if (pc === 63 /* ? */) {
      si++;
    } else if (pc === 91 /* [ */) {
      pi++;
      const not = p[pi] === 94; /* ^ */
      if (not) pi++;
      let match = false;
      for (;;) {
        if (pi >= plen) {
          pi--; // unterminated class: Redis treats the end as closing it
          break;
        }
        if (p[pi] === 92 /* \ */ && pi + 1 < plen) {
          pi++;
          if (p[pi] === s[si]) match = true;
        } else if (p[pi] === 93 /* ] */) {
          break;
        } else if (pi + 2 < plen && p[pi + 1] === 45 /* - */) {
          let start = p[pi];
          let end = p[pi + 2];
          let c = s[si];
          if (start > end) [start, end] = [end, start];
          if (nocase) {
            start = lower(start);
            end = lower(end);
            c = lower(c);
          }
          pi += 2;
          if (c >= start && c <= end) match = true;
        } else if (nocase ? lower(p[pi]) === lower(s[si]) : p[pi] === s[si]) {
          match = true;
        }
        pi++;
      }
      if (not) match = !match;
      if (!match) return 0;
      si++;
    } else {
      if (pc === 92 /* \ */ && pi + 1 < plen) pi++;
      if (nocase ? lower(p[pi]) !== lower(s[si]) : p[pi] !== s[si]) return 0;
      si++;
    }
    pi++;
  }
  if (si === slen) {
    while (pi < plen && p[pi] === 42) pi++;
  }
  return pi === plen && si === slen ? 1 : 0;
}
