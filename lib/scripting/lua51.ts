/**
 * Reads a script as Lua 5.1's lexer reads it and hands Lua 5.4 a chunk with
 * the same meaning (Redis runs scripts in Lua 5.1; rivulet's VM is 5.4).
 *
 * What the two lexers read differently, and what is done about it:
 * - string escapes: 5.1 knows \a \b \f \n \r \t \v \\ \" \' \<newline> and
 *   \ddd; any other escaped character is that character ("\x41" is "x41",
 *   "\z" is "z"), where 5.4 decodes \x, \z, \u{} and rejects the rest. A
 *   literal with such an escape is re-written with decimal escapes (its
 *   physical line breaks kept, so line numbers stay the script's).
 * - numbers: every 5.1 number is a double, read by strtod (so `0xff` and
 *   `0x1p4` are hex doubles). A literal that 5.4 would read as a different
 *   value (a decimal integer above 2^53, a hex integer above 2^53, which 5.4
 *   wraps at 2^64) is re-written as the decimal double 5.1 reads; 5.4-only
 *   forms that 5.1 splits (`0xA.8p1` is `0xA` then `.8p1`) fail as in 5.1.
 * - operators 5.1 does not have (`//`, `&`, `|`, `~` alone, `<<`, `>>`, `::`)
 *   and the `<const>`/`<close>` attributes: the character 5.1 stops at is
 *   replaced by `$` (no token in either Lua), so 5.4's parser stops at the same
 *   place and its message names the original character again.
 * - lexical errors (unfinished string, malformed number, escape sequence too
 *   large, invalid long string delimiter, nested [[ in a level-0 long string)
 *   are raised here with 5.1's words.
 * - `goto` is a name in 5.1 (a keyword in 5.4): renamed in the chunk.
 * 5.4's parser words some syntax errors differently; fixParseError re-words
 * the common ones.
 */

const enum Ch {
  NL = 10,
  CR = 13,
  QUOTE = 34,
  APOS = 39,
  BACKSLASH = 92,
  LBRACKET = 91,
  RBRACKET = 93,
  EQ = 61,
  DASH = 45,
  DOT = 46,
  DOLLAR = 36,
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isAlnum = (c: number): boolean => isAlpha(c) || isDigit(c);
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 11 || c === 12;

export type From51 = { code: Buffer; placeholders: Map<number, string> } | { error: string };

/** The 5.1 value of a numeral as its lexer saw it (strtod, then strtoul for hex), or null when malformed. */
function numeralValue(t: string): number | null {
  // glibc strtod: decimal, or hexadecimal with an optional binary exponent.
  let m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.exec(t);
  if (m) return Number(t);
  m = /^0[xX]([0-9a-fA-F]+)(?:[pP]([+-]?\d+))?$/.exec(t);
  if (m) {
    const v = Number(BigInt('0x' + m[1]));
    return m[2] === undefined ? v : v * 2 ** Number(m[2]);
  }
  return null;
}

/** A double as 5.4 source that 5.4 reads as that float. */
function float54(v: number): string {
  if (!Number.isFinite(v)) return '1e999';
  const s = String(v);
  return /[.eE]/.test(s) ? s : s + '.0';
}

/**
 * 5.4 source text for a 5.1 numeral of value v. 5.4 reads an integer-looking
 * numeral as an integer: kept up to 2^53 (same value), a double above. A
 * numeral 5.4 reads as a float that holds a small integral value (`3.0`,
 * `1e3`) becomes an integer, so that it prints as 5.1 prints it ("3", where
 * 5.4 prints a float as "3.0"); up to 2^31 only, so that products of such
 * literals stay far from 5.4's 64-bit integer overflow.
 */
function numeral54(t: string, v: number): string {
  // Compared exactly: 9007199254740993 reads as ...992 in 5.1, so it is re-written too.
  if (/^\d+$/.test(t) || /^0[xX][0-9a-fA-F]+$/.test(t)) return BigInt(t) <= 2n ** 53n ? t : float54(v);
  if (Number.isInteger(v) && v !== 0 && Math.abs(v) <= 2 ** 31) return String(v);
  return /^0[xX]/.test(t) ? float54(v) : t;
}

/**
 * Converts a 5.1 chunk. `display` is the chunk's name in messages
 * (`user_script`). On a lexical error returns 5.1's message
 * (`user_script:3: unfinished string near '"abc'`).
 */
export function from51(src: Buffer, display: string): From51 {
  const n = src.length;
  const parts: Buffer[] = [];
  let copied = 0;
  let line = 1;
  let i = 0;
  /** line → the original text of the first `$` placeholder put on it. */
  const placeholders = new Map<number, string>();
  const replace = (start: number, end: number, text: string | Buffer): void => {
    parts.push(src.subarray(copied, start), typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
    copied = end;
  };
  const placeholder = (at: number, original: string): void => {
    replace(at, at + 1, '$');
    if (!placeholders.has(line)) placeholders.set(line, original);
  };
  const fail = (msg: string, near: string): From51 => ({ error: `${display}:${line}: ${msg} near '${near}'` });
  // Token history for the local-attribute check: 'local' NAME {',' NAME} '<'.
  let inLocalNames = false;
  let prev = '';

  /** `[` or `]` at p followed by `=`*: the level if the same bracket follows, else -(count)-1 (lexer's skip_sep). */
  const skipSep = (p: number): { level: number; end: number } => {
    const s = src[p];
    let q = p + 1;
    let count = 0;
    while (q < n && src[q] === Ch.EQ) {
      q++;
      count++;
    }
    return src[q] === s ? { level: count, end: q + 1 } : { level: -count - 1, end: q };
  };

  /** Reads a long string/comment whose opening bracket ends at p; returns the index after it, or an error. */
  const longString = (p: number, level: number, isComment: boolean): number | From51 => {
    // A newline right after the opening bracket is skipped (both Luas).
    let q = p;
    for (;;) {
      if (q >= n) return fail(isComment ? 'unfinished long comment' : 'unfinished long string', '<eof>');
      const c = src[q];
      if (c === Ch.RBRACKET) {
        const r = skipSep(q);
        if (r.level === level) return r.end;
        q = r.end === q + 1 ? q + 1 : r.end;
        continue;
      }
      if (c === Ch.LBRACKET) {
        const r = skipSep(q);
        if (r.level === level && level === 0) return fail('nesting of [[...]] is deprecated', '[');
        q = r.end;
        continue;
      }
      if (c === Ch.NL || c === Ch.CR) {
        q++;
        if (q < n && (src[q] === Ch.NL || src[q] === Ch.CR) && src[q] !== c) q++;
        line++;
        continue;
      }
      q++;
    }
  };

  while (i < n) {
    const c = src[i];
    if (c === Ch.NL || c === Ch.CR) {
      i++;
      if (i < n && (src[i] === Ch.NL || src[i] === Ch.CR) && src[i] !== c) i++;
      line++;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    let tok: string;
    if (c === Ch.DASH) {
      if (src[i + 1] !== Ch.DASH) {
        i++;
        tok = '-';
      } else {
        i += 2;
        if (src[i] === Ch.LBRACKET) {
          const r = skipSep(i);
          if (r.level >= 0) {
            const end = longString(r.end, r.level, true);
            if (typeof end !== 'number') return end;
            i = end;
            continue;
          }
        }
        while (i < n && src[i] !== Ch.NL && src[i] !== Ch.CR) i++;
        continue;
      }
    } else if (c === Ch.LBRACKET) {
      const r = skipSep(i);
      if (r.level >= 0) {
        const end = longString(r.end, r.level, false);
        if (typeof end !== 'number') return end;
        i = end;
        tok = '<string>';
      } else if (r.level === -1) {
        i++;
        tok = '[';
      } else {
        return fail('invalid long string delimiter', src.toString('latin1', i, r.end));
      }
    } else if (c === Ch.QUOTE || c === Ch.APOS) {
      // 5.1 read_string: decoded bytes in `buf` (what an error shows); physical line breaks marked.
      const start = i;
      const buf: number[] = [c];
      const out: (number | 'NL')[] = [];
      let rewrite = false;
      i++;
      for (;;) {
        if (i >= n) return fail('unfinished string', '<eof>');
        const d = src[i];
        if (d === c) {
          i++;
          break;
        }
        if (d === Ch.NL || d === Ch.CR) return fail('unfinished string', Buffer.from(buf).toString('latin1'));
        if (d !== Ch.BACKSLASH) {
          buf.push(d);
          out.push(d);
          i++;
          continue;
        }
        i++;
        if (i >= n) continue; // raises "unfinished string" on the next turn
        const e = src[i];
        const simple = SIMPLE_ESCAPES[e];
        if (simple !== undefined) {
          buf.push(simple);
          out.push(simple);
          i++;
        } else if (e === Ch.NL || e === Ch.CR) {
          buf.push(Ch.NL);
          out.push('NL');
          i++;
          if (i < n && (src[i] === Ch.NL || src[i] === Ch.CR) && src[i] !== e) i++;
          line++;
        } else if (isDigit(e)) {
          let v = 0;
          let k = 0;
          do {
            v = 10 * v + (src[i] - 48);
            i++;
          } while (++k < 3 && i < n && isDigit(src[i]));
          if (v > 255) return fail('escape sequence too large', Buffer.from(buf).toString('latin1'));
          buf.push(v);
          out.push(v);
        } else {
          // \\ \" \' keep their meaning in 5.4; any other character stands for itself in 5.1 only.
          if (e !== Ch.BACKSLASH && e !== Ch.QUOTE && e !== Ch.APOS) rewrite = true;
          buf.push(e);
          out.push(e);
          i++;
        }
      }
      if (rewrite) {
        let text = '"';
        for (const b of out) {
          if (b === 'NL') text += '\\\n';
          else if (b >= 32 && b < 127 && b !== Ch.QUOTE && b !== Ch.BACKSLASH) text += String.fromCharCode(b);
          else text += '\\' + String(b).padStart(3, '0');
        }
        replace(start, i, text + '"');
      }
      tok = '<string>';
    } else if (isDigit(c) || (c === Ch.DOT && isDigit(src[i + 1]))) {
      // 5.1 read_numeral: digits and dots, an exponent sign, then any alphanumerics.
      const start = i;
      while (i < n && (isDigit(src[i]) || src[i] === Ch.DOT)) i++;
      if (i < n && (src[i] === 69 || src[i] === 101)) {
        i++;
        if (i < n && (src[i] === 43 || src[i] === 45)) i++;
      }
      while (i < n && isAlnum(src[i])) i++;
      const t = src.toString('latin1', start, i);
      const v = numeralValue(t);
      if (v === null) return fail('malformed number', t);
      let text = numeral54(t, v);
      // 5.1 ends a numeral where 5.4 would read on ("0xA.8" is two tokens in 5.1).
      if (i < n && src[i] === Ch.DOT) text += ' ';
      if (text !== t) replace(start, i, text);
      tok = '<number>';
    } else if (isAlpha(c)) {
      const start = i;
      while (i < n && isAlnum(src[i])) i++;
      tok = src.toString('latin1', start, i);
      // A name in 5.1, a keyword in 5.4.
      if (tok === 'goto') replace(start, i, GOTO_NAME);
    } else if (c === Ch.DOT) {
      i++;
      if (src[i] === Ch.DOT) {
        i++;
        if (src[i] === Ch.DOT) i++;
      }
      tok = '.';
    } else if (c === 60 || c === 62) {
      // < <= << > >= >>
      if (src[i + 1] === Ch.EQ) {
        i += 2;
        tok = '<=';
      } else if (src[i + 1] === c) {
        placeholder(i + 1, String.fromCharCode(c));
        i += 2;
        tok = '<';
      } else if (c === 60 && inLocalNames && prev === '<name>') {
        placeholder(i, '<');
        i++;
        tok = '<';
      } else {
        i++;
        tok = '<';
      }
    } else if (c === 126) {
      // ~= is 5.1's only use of ~
      if (src[i + 1] === Ch.EQ) i += 2;
      else {
        placeholder(i, '~');
        i++;
      }
      tok = '~';
    } else if (c === 47 && src[i + 1] === 47) {
      placeholder(i + 1, '/');
      i += 2;
      tok = '/';
    } else if (c === 38 || c === 124) {
      placeholder(i, String.fromCharCode(c));
      i++;
      tok = '&';
    } else if (c === 58 && src[i + 1] === 58) {
      placeholder(i + 1, ':');
      i += 2;
      tok = ':';
    } else if (c === Ch.DOLLAR) {
      // `$` is no token in either Lua; keep its own name in messages.
      if (!placeholders.has(line)) placeholders.set(line, '$');
      i++;
      tok = '$';
    } else {
      i++;
      tok = String.fromCharCode(c);
    }
    // 'local' NAME {',' NAME}: a '<' right after one of the names is a 5.4 attribute.
    const kind = isAlpha(c) && !KEYWORDS.has(tok) ? '<name>' : tok;
    if (kind === 'local') inLocalNames = true;
    else if (inLocalNames) inLocalNames = kind === '<name>' || (kind === ',' && prev === '<name>');
    prev = kind;
  }
  if (copied === 0) return { code: src, placeholders };
  parts.push(src.subarray(copied));
  return { code: Buffer.concat(parts), placeholders };
}

/** What the 5.1 name `goto` is called in the 5.4 chunk (messages name it `goto` again). */
const GOTO_NAME = '__goto51';

/** \a \b \f \n \r \t \v by the escaped letter's byte. */
const SIMPLE_ESCAPES: Record<number, number> = { 97: 7, 98: 8, 102: 12, 110: 10, 114: 13, 116: 9, 118: 11 };

const KEYWORDS = new Set([
  'and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'if', 'in',
  'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while',
]);

/**
 * A 5.4 compile error of a converted chunk, worded as 5.1 would word it:
 * a `$` placeholder is named by the character it replaced, and 5.4's
 * "syntax error" for a name not followed by `=` is 5.1's "'=' expected".
 */
export function fixParseError(msg: string, placeholders: Map<number, string>): string {
  const m = /^(.*?):(\d+): (.*) near '\$'$/s.exec(msg);
  if (m) {
    const original = placeholders.get(Number(m[2]));
    if (original !== undefined) msg = `${m[1]}:${m[2]}: ${m[3]} near '${original}'`;
  }
  return msg
    .replaceAll(GOTO_NAME, 'goto')
    .replace(/ near <eof>$/s, " near '<eof>'")
    .replace(/^(.*?:\d+: )syntax error near ('(?:[^=,]|[^']{2,})')$/s, "$1'=' expected near $2")
    .replace(/^(.*?:\d+: )(<\w+>) expected/s, "$1'$2' expected");
}
