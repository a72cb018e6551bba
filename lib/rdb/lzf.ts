/**
 * LZF, as Redis's bundled liblzf (lzf_c.c / lzf_d.c) with its settings
 * (HLOG 16, VERY_FAST, not ULTRA_FAST), so a compressed RDB string is
 * byte-for-byte what redis-server writes for the same input.
 *
 * Format of the compressed stream:
 *   000LLLLL <L+1 bytes>           literal run of 1..32 bytes
 *   LLLooooo oooooooo              back reference, length L+2 (L 1..6), offset o+1
 *   111ooooo LLLLLLLL oooooooo     back reference, length L+9, offset o+1
 *
 * One difference from the C code, on purpose: the hash table starts empty
 * for every call (liblzf leaves it uninitialised, so stale slots from an
 * earlier call can, very rarely, pick a different but equally valid match).
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/** Slot → input position + 1 (0 = empty). Reused between calls, cleared per call. */
let table = new Int32Array(HSIZE);

const idx = (h: number): number => (((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1)) >>> 0;

/**
 * Compresses input into at most `outLen` bytes; returns the compressed bytes,
 * or null when they would not fit (Redis then stores the string verbatim).
 */
export function lzfCompress(input: Uint8Array, outLen: number): Buffer | null {
  const inLen = input.length;
  if (inLen === 0 || outLen <= 0) return null;
  const out = Buffer.allocUnsafe(outLen);
  const htab = table;
  htab.fill(0);
  let ip = 0;
  let op = 0;
  let lit = 0;
  op++; // start run
  let hval = (input[0] << 8) | input[1];
  while (ip < inLen - 2) {
    hval = ((hval << 8) | input[ip + 2]) >>> 0;
    const slot = idx(hval);
    const refPlus = htab[slot];
    htab[slot] = ip + 1;
    const ref = refPlus - 1;
    let off: number;
    if (
      refPlus !== 0 &&
      ref < ip &&
      (off = ip - ref - 1) < MAX_OFF &&
      ref > 0 &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      let len = 2;
      let maxlen = inLen - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outLen) {
        if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= outLen) return null;
      }
      out[op - lit - 1] = lit - 1; // stop run
      if (lit === 0) op--; // undo run if length is zero
      // The C code checks 16 bytes unrolled without the maxlen bound when maxlen > 16,
      // so a match may run up to two bytes past maxlen; kept for identical output.
      matched: {
        if (maxlen > 16) {
          for (let k = 0; k < 16; k++) {
            len++;
            if (input[ref + len] !== input[ip + len]) break matched;
          }
        }
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // len is now #octets - 1
      ip++;
      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= inLen - 2) break;
      // VERY_FAST: hash the two positions before the new ip.
      ip -= 2;
      hval = (input[ip] << 8) | input[ip + 1];
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[idx(hval)] = ip + 1;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[idx(hval)] = ip + 1;
      ip++;
    } else {
      if (op >= outLen) return null;
      lit++;
      out[op++] = input[ip++];
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outLen) return null;
  while (ip < inLen) {
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  return out.subarray(0, op);
}

/**
 * Decompresses exactly `outLen` bytes. Returns null on malformed input (a
 * reference before the start, a run past either end, or a different length).
 */
export function lzfDecompress(input: Uint8Array, outLen: number): Buffer | null {
  const out = Buffer.allocUnsafe(outLen);
  const inLen = input.length;
  let ip = 0;
  let op = 0;
  while (ip < inLen) {
    let ctrl = input[ip++];
    if (ctrl < 1 << 5) {
      ctrl++;
      if (op + ctrl > outLen || ip + ctrl > inLen) return null;
      for (let i = 0; i < ctrl; i++) out[op++] = input[ip++];
    } else {
      let len = ctrl >>> 5;
      if (len === 7) {
        if (ip >= inLen) return null;
        len += input[ip++];
      }
      if (ip >= inLen) return null;
      let ref = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++];
      len += 2;
      if (op + len > outLen || ref < 0) return null;
      for (let i = 0; i < len; i++) out[op++] = out[ref++];
    }
  }
  return op === outLen ? out : null;
}
