/**
 * The C libraries Redis loads into its Lua (deps/lua/src/lua_cjson.c,
 * lua_cmsgpack.c, lua_struct.c), re-implemented in TypeScript over the Lua
 * stack so that their bytes match Redis's: cjson formats numbers with %.14g
 * and escapes '/' as "\/"; cmsgpack picks the smallest integer encoding,
 * float32 when a double survives the round trip, str8/16/32 for strings, and
 * decides array-or-map by "keys are exactly 1..n". Where Redis's output
 * depends on Lua 5.1's hash order (the key order of a JSON object or a
 * msgpack map with several keys), rivulet's follows Lua 5.4's iteration order
 * instead: same content, possibly another order.
 */
import { Lua, LuaRaise, T_BOOLEAN, T_LIGHTUSERDATA, T_NIL, T_NUMBER, T_STRING, T_TABLE } from './lua.js';
import { formatG } from './numbers.js';

const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

/** luaL_where(L, 1): "user_script:3: " for the calling Lua function, "" otherwise. */
export function where(lua: Lua, L: number): string {
  lua.m._luaL_where(L, 1);
  const s = lua.toStr(L, -1) ?? '';
  lua.pop(L, 1);
  return s;
}

/** A luaL_error-style error: the caller's position, then the message. */
export function luaError(lua: Lua, L: number, msg: string): LuaRaise {
  return new LuaRaise(where(lua, L) + msg);
}

// ---------------------------------------------------------------------------
// cjson
// ---------------------------------------------------------------------------

const ESCAPES: (string | null)[] = [];
for (let i = 0; i < 256; i++) ESCAPES.push(null);
for (let i = 0; i < 32; i++) ESCAPES[i] = '\\u' + i.toString(16).padStart(4, '0');
ESCAPES[8] = '\\b';
ESCAPES[9] = '\\t';
ESCAPES[10] = '\\n';
ESCAPES[12] = '\\f';
ESCAPES[13] = '\\r';
ESCAPES[34] = '\\"';
ESCAPES[47] = '\\/';
ESCAPES[92] = '\\\\';
ESCAPES[127] = '\\u007f';

class Out {
  parts: Buffer[] = [];
  str(s: string): void {
    this.parts.push(Buffer.from(s, 'latin1'));
  }
  buf(b: Buffer): void {
    this.parts.push(b);
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function jsonString(out: Out, b: Buffer): void {
  let start = 0;
  out.str('"');
  for (let i = 0; i < b.length; i++) {
    const e = ESCAPES[b[i]];
    if (e !== null) {
      if (i > start) out.buf(b.subarray(start, i));
      out.str(e);
      start = i + 1;
    }
  }
  if (start < b.length) out.buf(b.subarray(start));
  out.str('"');
}

const MAX_DEPTH = 1000;

export function cjsonEncode(lua: Lua, L: number): number {
  if (lua.top(L) !== 1) throw luaError(lua, L, 'bad argument #1 to \'encode\' (expected 1 argument)');
  const out = new Out();
  encodeJson(lua, L, out, 0);
  lua.pushBuf(L, out.done());
  return 1;
}

function encodeJson(lua: Lua, L: number, out: Out, depth: number): void {
  const t = lua.type(L, -1);
  switch (t) {
    case T_STRING:
      jsonString(out, lua.toBuf(L, -1)!);
      return;
    case T_NUMBER: {
      const n = lua.isInteger(L, -1) ? Number(lua.toInteger(L, -1)) : lua.toNumber(L, -1);
      if (!Number.isFinite(n)) throw luaError(lua, L, 'Cannot serialise number: must not be NaN or Inf');
      out.str(formatG(n, 14));
      return;
    }
    case T_BOOLEAN:
      out.str(lua.toBool(L, -1) ? 'true' : 'false');
      return;
    case T_NIL:
      out.str('null');
      return;
    case T_LIGHTUSERDATA:
      if (lua.m._lua_touserdata(L, -1) === 0) {
        out.str('null');
        return;
      }
      break;
    case T_TABLE: {
      depth++;
      if (depth > MAX_DEPTH) throw luaError(lua, L, `Cannot serialise, excessive nesting (${depth})`);
      const len = arrayLength(lua, L);
      if (len > 0) {
        out.str('[');
        for (let i = 1; i <= len; i++) {
          if (i > 1) out.str(',');
          lua.rawGetI(L, -1, i);
          encodeJson(lua, L, out, depth);
          lua.pop(L, 1);
        }
        out.str(']');
      } else {
        out.str('{');
        let first = true;
        lua.pushNil(L);
        while (lua.next(L, -2)) {
          if (!first) out.str(',');
          first = false;
          const kt = lua.type(L, -2);
          if (kt === T_STRING) {
            jsonString(out, lua.toBuf(L, -2)!);
          } else if (kt === T_NUMBER) {
            const k = lua.isInteger(L, -2) ? Number(lua.toInteger(L, -2)) : lua.toNumber(L, -2);
            out.str('"' + formatG(k, 14) + '"');
          } else {
            throw luaError(lua, L, 'Cannot serialise table: table key must be a number or string');
          }
          out.str(':');
          encodeJson(lua, L, out, depth);
          lua.pop(L, 1);
        }
        out.str('}');
      }
      return;
    }
  }
  throw luaError(lua, L, `Cannot serialise ${TYPE_NAMES[t] ?? 'userdata'}: type not supported`);
}

/** cjson's lua_array_length: the max index if every key is an integer >= 1 (and the array is not too sparse), else -1. */
function arrayLength(lua: Lua, L: number): number {
  let max = 0;
  let items = 0;
  lua.pushNil(L);
  while (lua.next(L, -2)) {
    if (lua.type(L, -2) === T_NUMBER) {
      const k = lua.toNumber(L, -2);
      if (Math.floor(k) === k && k >= 1) {
        if (k > max) max = k;
        items++;
        lua.pop(L, 1);
        continue;
      }
    }
    lua.pop(L, 2);
    return -1;
  }
  if (max > items * 2 && max > 10) throw luaError(lua, L, 'Cannot serialise table: excessively sparse array');
  return max;
}

type Tok =
  | { t: 'T_OBJ_BEGIN' | 'T_OBJ_END' | 'T_ARR_BEGIN' | 'T_ARR_END' | 'T_COLON' | 'T_COMMA' | 'T_END' | 'T_NULL'; i: number }
  | { t: 'T_STRING'; i: number; v: Buffer }
  | { t: 'T_NUMBER'; i: number; v: number; int: boolean }
  | { t: 'T_BOOLEAN'; i: number; v: boolean }
  | { t: 'T_ERROR'; i: number; v: string };

class JsonDecoder {
  pos = 0;
  depth = 0;
  constructor(
    readonly s: Buffer,
    readonly lua: Lua,
    readonly L: number,
  ) {}

  fail(expected: string, tok: Tok): never {
    const found = tok.t === 'T_ERROR' ? tok.v : tok.t;
    throw luaError(this.lua, this.L, `Expected ${expected} but found ${found} at character ${tok.i + 1}`);
  }

  next(): Tok {
    const s = this.s;
    while (this.pos < s.length && (s[this.pos] === 32 || s[this.pos] === 9 || s[this.pos] === 10 || s[this.pos] === 13)) this.pos++;
    const i = this.pos;
    if (i >= s.length) return { t: 'T_END', i };
    const c = s[i];
    switch (c) {
      case 123: this.pos++; return { t: 'T_OBJ_BEGIN', i };
      case 125: this.pos++; return { t: 'T_OBJ_END', i };
      case 91: this.pos++; return { t: 'T_ARR_BEGIN', i };
      case 93: this.pos++; return { t: 'T_ARR_END', i };
      case 58: this.pos++; return { t: 'T_COLON', i };
      case 44: this.pos++; return { t: 'T_COMMA', i };
      case 34: return this.string(i);
    }
    if (c === 45 || (c >= 48 && c <= 57)) return this.number(i);
    for (const [word, tok] of [['true', { t: 'T_BOOLEAN', i, v: true }], ['false', { t: 'T_BOOLEAN', i, v: false }], ['null', { t: 'T_NULL', i }]] as const) {
      if (s.subarray(i, i + word.length).toString('latin1') === word) {
        this.pos = i + word.length;
        return tok as Tok;
      }
    }
    return { t: 'T_ERROR', i, v: 'invalid token' };
  }

  string(i: number): Tok {
    const s = this.s;
    let p = i + 1;
    const parts: Buffer[] = [];
    let start = p;
    while (true) {
      if (p >= s.length) return { t: 'T_ERROR', i, v: 'unexpected end of string' };
      const c = s[p];
      if (c === 34) break;
      if (c === 92) {
        if (p > start) parts.push(s.subarray(start, p));
        const e = s[p + 1];
        let rep: string | null = null;
        if (e === 34) rep = '"';
        else if (e === 92) rep = '\\';
        else if (e === 47) rep = '/';
        else if (e === 98) rep = '\b';
        else if (e === 102) rep = '\f';
        else if (e === 110) rep = '\n';
        else if (e === 114) rep = '\r';
        else if (e === 116) rep = '\t';
        else if (e === 117) {
          const hex = s.subarray(p + 2, p + 6).toString('latin1');
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) return { t: 'T_ERROR', i, v: 'invalid unicode escape code' };
          let cp = parseInt(hex, 16);
          let adv = 6;
          if (cp >= 0xd800 && cp <= 0xdbff) {
            const hex2 = s.subarray(p + 8, p + 12).toString('latin1');
            if (s[p + 6] === 92 && s[p + 7] === 117 && /^[0-9a-fA-F]{4}$/.test(hex2)) {
              const lo = parseInt(hex2, 16);
              if (lo >= 0xdc00 && lo <= 0xdfff) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                adv = 12;
              } else return { t: 'T_ERROR', i, v: 'invalid unicode escape code' };
            } else return { t: 'T_ERROR', i, v: 'invalid unicode escape code' };
          } else if (cp >= 0xdc00 && cp <= 0xdfff) return { t: 'T_ERROR', i, v: 'invalid unicode escape code' };
          parts.push(Buffer.from(String.fromCodePoint(cp), 'utf8'));
          p += adv;
          start = p;
          continue;
        } else return { t: 'T_ERROR', i, v: 'invalid escape code' };
        parts.push(Buffer.from(rep, 'latin1'));
        p += 2;
        start = p;
        continue;
      }
      p++;
    }
    if (p > start) parts.push(s.subarray(start, p));
    this.pos = p + 1;
    return { t: 'T_STRING', i, v: Buffer.concat(parts) };
  }

  number(i: number): Tok {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(this.s.subarray(i, i + 400).toString('latin1'));
    if (!m) return { t: 'T_ERROR', i, v: 'invalid number' };
    this.pos = i + m[0].length;
    const v = Number(m[0]);
    return { t: 'T_NUMBER', i, v, int: m[2] === undefined && m[3] === undefined && Number.isSafeInteger(v) };
  }

  value(tok: Tok): void {
    const { lua, L } = this;
    switch (tok.t) {
      case 'T_STRING': lua.pushBuf(L, tok.v); return;
      case 'T_NUMBER': if (tok.int) lua.pushInteger(L, tok.v); else lua.pushNumber(L, tok.v); return;
      case 'T_BOOLEAN': lua.pushBool(L, tok.v); return;
      case 'T_NULL': lua.m._lua_pushlightuserdata(L, 0); return;
      case 'T_OBJ_BEGIN': this.object(); return;
      case 'T_ARR_BEGIN': this.array(); return;
    }
    this.fail('value', tok);
  }

  nest(): void {
    if (++this.depth > MAX_DEPTH) throw luaError(this.lua, this.L, `Found too many nested data structures (${this.depth}) at character ${this.pos}`);
    this.lua.m._luaL_checkstack(this.L, 4, 0);
  }

  object(): void {
    const { lua, L } = this;
    this.nest();
    lua.newTable(L);
    let tok = this.next();
    if (tok.t === 'T_OBJ_END') {
      this.depth--;
      return;
    }
    while (true) {
      if (tok.t !== 'T_STRING') this.fail('object key string', tok);
      lua.pushBuf(L, tok.v);
      tok = this.next();
      if (tok.t !== 'T_COLON') this.fail('colon', tok);
      this.value(this.next());
      lua.rawSet(L, -3);
      tok = this.next();
      if (tok.t === 'T_OBJ_END') break;
      if (tok.t !== 'T_COMMA') this.fail('comma or object end', tok);
      tok = this.next();
    }
    this.depth--;
  }

  array(): void {
    const { lua, L } = this;
    this.nest();
    lua.newTable(L);
    let tok = this.next();
    if (tok.t === 'T_ARR_END') {
      this.depth--;
      return;
    }
    for (let i = 1; ; i++) {
      this.value(tok);
      lua.rawSetI(L, -2, i);
      tok = this.next();
      if (tok.t === 'T_ARR_END') break;
      if (tok.t !== 'T_COMMA') this.fail('comma or array end', tok);
      tok = this.next();
    }
    this.depth--;
  }
}

export function cjsonDecode(lua: Lua, L: number): number {
  if (lua.top(L) !== 1) throw luaError(lua, L, "bad argument #1 to 'decode' (expected 1 argument)");
  const s = lua.toBuf(L, 1);
  if (s === null) throw luaError(lua, L, "bad argument #1 to 'decode' (string expected, got " + TYPE_NAMES[lua.type(L, 1)] + ')');
  const d = new JsonDecoder(s, lua, L);
  d.value(d.next());
  const end = d.next();
  if (end.t !== 'T_END') d.fail('the end', end);
  return 1;
}

// ---------------------------------------------------------------------------
// cmsgpack
// ---------------------------------------------------------------------------

const MP_MAX_NESTING = 16;
const f32 = new Float32Array(1);

function mpInt(out: number[], n: bigint): void {
  const push64 = (tag: number, v: bigint): void => {
    out.push(tag);
    const u = BigInt.asUintN(64, v);
    for (let s = 56n; s >= 0n; s -= 8n) out.push(Number((u >> s) & 0xffn));
  };
  if (n >= 0n) {
    const v = Number(n);
    if (n <= 127n) out.push(v);
    else if (n <= 0xffn) out.push(0xcc, v);
    else if (n <= 0xffffn) out.push(0xcd, v >> 8, v & 0xff);
    else if (n <= 0xffffffffn) out.push(0xce, (v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    else push64(0xcf, n);
  } else {
    const v = Number(n);
    if (n >= -32n) out.push(v & 0xff);
    else if (n >= -128n) out.push(0xd0, v & 0xff);
    else if (n >= -32768n) out.push(0xd1, (v >> 8) & 0xff, v & 0xff);
    else if (n >= -2147483648n) out.push(0xd2, (v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    else push64(0xd3, n);
  }
}

function mpLen(out: number[], n: number, fix: number, fixMax: number, t16: number, t32: number): void {
  if (n < fixMax) out.push(fix | n);
  else if (n <= 0xffff) out.push(t16, n >> 8, n & 0xff);
  else out.push(t32, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function mpEncode(lua: Lua, L: number, out: number[], level: number): void {
  let t = lua.type(L, -1);
  if (t === T_TABLE && level === MP_MAX_NESTING) t = T_NIL;
  switch (t) {
    case T_STRING: {
      const b = lua.toBuf(L, -1)!;
      const n = b.length;
      if (n < 32) out.push(0xa0 | n);
      else if (n <= 0xff) out.push(0xd9, n);
      else if (n <= 0xffff) out.push(0xda, n >> 8, n & 0xff);
      else out.push(0xdb, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
      for (let i = 0; i < n; i++) out.push(b[i]);
      break;
    }
    case T_BOOLEAN:
      out.push(lua.toBool(L, -1) ? 0xc3 : 0xc2);
      break;
    case T_NUMBER: {
      if (lua.isInteger(L, -1)) {
        mpInt(out, lua.toInteger(L, -1));
        break;
      }
      const d = lua.toNumber(L, -1);
      if (Number.isFinite(d) && Number.isInteger(d) && d >= -9223372036854775808 && d < 9223372036854775808) {
        mpInt(out, BigInt(d));
        break;
      }
      f32[0] = d;
      if (f32[0] === d || (Number.isNaN(d) && false)) {
        const b = Buffer.allocUnsafe(4);
        b.writeFloatBE(d);
        out.push(0xca, ...b);
      } else {
        const b = Buffer.allocUnsafe(8);
        b.writeDoubleBE(d);
        out.push(0xcb, ...b);
      }
      break;
    }
    case T_TABLE: {
      lua.m._luaL_checkstack(L, 3, 0);
      if (mpIsArray(lua, L)) {
        const len = lua.rawLen(L, -1);
        mpLen(out, len, 0x90, 16, 0xdc, 0xdd);
        for (let j = 1; j <= len; j++) {
          lua.pushInteger(L, j);
          lua.m._lua_gettable(L, -2);
          mpEncode(lua, L, out, level + 1);
        }
      } else {
        let len = 0;
        lua.pushNil(L);
        while (lua.next(L, -2)) {
          lua.pop(L, 1);
          len++;
        }
        mpLen(out, len, 0x80, 16, 0xde, 0xdf);
        lua.pushNil(L);
        while (lua.next(L, -2)) {
          lua.pushValue(L, -2);
          mpEncode(lua, L, out, level + 1);
          mpEncode(lua, L, out, level + 1);
        }
      }
      break;
    }
    default:
      out.push(0xc0);
  }
  lua.pop(L, 1);
}

/** lua_cmsgpack's table_is_an_array: every key a positive integer and max == count. */
function mpIsArray(lua: Lua, L: number): boolean {
  let count = 0;
  let max = 0;
  const top = lua.top(L);
  lua.pushNil(L);
  while (lua.next(L, -2)) {
    lua.pop(L, 1);
    let n: number;
    if (lua.type(L, -1) !== T_NUMBER) {
      lua.setTop(L, top);
      return false;
    }
    if (lua.isInteger(L, -1)) n = Number(lua.toInteger(L, -1));
    else {
      n = lua.toNumber(L, -1);
      if (!Number.isInteger(n) || n > 2147483647 || n < -2147483648) {
        lua.setTop(L, top);
        return false;
      }
    }
    if (n <= 0) {
      lua.setTop(L, top);
      return false;
    }
    if (n > max) max = n;
    count++;
  }
  lua.setTop(L, top);
  return max === count;
}

export function mpPack(lua: Lua, L: number): number {
  const nargs = lua.top(L);
  if (nargs === 0) throw luaError(lua, L, "bad argument #0 to 'pack' (MessagePack pack needs input.)");
  const out: number[] = [];
  lua.m._luaL_checkstack(L, nargs, 0);
  for (let i = 1; i <= nargs; i++) {
    lua.pushValue(L, i);
    mpEncode(lua, L, out, 0);
  }
  lua.pushBuf(L, Buffer.from(out));
  return 1;
}

class MpEof extends Error {}
class MpBad extends Error {}

function mpDecode(lua: Lua, L: number, s: Buffer, p: { i: number }): void {
  const need = (n: number): void => {
    if (p.i + n > s.length) throw new MpEof();
  };
  need(1);
  const c = s[p.i];
  lua.m._luaL_checkstack(L, 2, 0);
  const str = (hdr: number, len: number): void => {
    need(hdr + len);
    lua.pushBuf(L, s.subarray(p.i + hdr, p.i + hdr + len));
    p.i += hdr + len;
  };
  const arr = (hdr: number, len: number): void => {
    p.i += hdr;
    lua.newTable(L);
    for (let j = 1; j <= len; j++) {
      mpDecode(lua, L, s, p);
      lua.rawSetI(L, -2, j);
    }
  };
  const map = (hdr: number, len: number): void => {
    p.i += hdr;
    lua.newTable(L);
    for (let j = 0; j < len; j++) {
      mpDecode(lua, L, s, p);
      mpDecode(lua, L, s, p);
      lua.m._lua_settable(L, -3);
    }
  };
  switch (c) {
    case 0xcc: need(2); lua.pushInteger(L, s[p.i + 1]); p.i += 2; return;
    case 0xd0: need(2); lua.pushInteger(L, s.readInt8(p.i + 1)); p.i += 2; return;
    case 0xcd: need(3); lua.pushInteger(L, s.readUInt16BE(p.i + 1)); p.i += 3; return;
    case 0xd1: need(3); lua.pushInteger(L, s.readInt16BE(p.i + 1)); p.i += 3; return;
    case 0xce: need(5); lua.pushInteger(L, s.readUInt32BE(p.i + 1)); p.i += 5; return;
    case 0xd2: need(5); lua.pushInteger(L, s.readInt32BE(p.i + 1)); p.i += 5; return;
    case 0xcf: {
      need(9);
      const v = s.readBigUInt64BE(p.i + 1);
      // Lua 5.1 has only doubles: a uint64 beyond int64 becomes a (rounded) number.
      if (v > 0x7fffffffffffffffn) lua.pushNumber(L, Number(v));
      else lua.pushInteger(L, v);
      p.i += 9;
      return;
    }
    case 0xd3: need(9); lua.pushInteger(L, s.readBigInt64BE(p.i + 1)); p.i += 9; return;
    case 0xc0: lua.pushNil(L); p.i += 1; return;
    case 0xc3: lua.pushBool(L, true); p.i += 1; return;
    case 0xc2: lua.pushBool(L, false); p.i += 1; return;
    case 0xca: need(5); lua.pushNumber(L, s.readFloatBE(p.i + 1)); p.i += 5; return;
    case 0xcb: need(9); lua.pushNumber(L, s.readDoubleBE(p.i + 1)); p.i += 9; return;
    case 0xd9: need(2); str(2, s[p.i + 1]); return;
    case 0xda: need(3); str(3, s.readUInt16BE(p.i + 1)); return;
    case 0xdb: need(5); str(5, s.readUInt32BE(p.i + 1)); return;
    case 0xdc: need(3); arr(3, s.readUInt16BE(p.i + 1)); return;
    case 0xdd: need(5); arr(5, s.readUInt32BE(p.i + 1)); return;
    case 0xde: need(3); map(3, s.readUInt16BE(p.i + 1)); return;
    case 0xdf: need(5); map(5, s.readUInt32BE(p.i + 1)); return;
  }
  if ((c & 0x80) === 0) {
    lua.pushInteger(L, c);
    p.i += 1;
  } else if ((c & 0xe0) === 0xe0) {
    lua.pushInteger(L, c - 256);
    p.i += 1;
  } else if ((c & 0xe0) === 0xa0) {
    str(1, c & 0x1f);
  } else if ((c & 0xf0) === 0x90) {
    arr(1, c & 0xf);
  } else if ((c & 0xf0) === 0x80) {
    map(1, c & 0xf);
  } else {
    throw new MpBad();
  }
}

function mpUnpackFull(lua: Lua, L: number, limit: number, offset: number): number {
  const s = lua.toBuf(L, 1);
  if (s === null || lua.type(L, 1) !== T_STRING && lua.type(L, 1) !== T_NUMBER) {
    throw luaError(lua, L, `bad argument #1 to 'unpack' (string expected, got ${TYPE_NAMES[lua.type(L, 1)]})`);
  }
  const decodeAll = limit === 0 && offset === 0;
  if (offset < 0 || limit < 0) throw luaError(lua, L, `Invalid request to unpack with offset of ${offset} and limit of ${s.length}.`);
  if (offset > s.length) throw luaError(lua, L, `Start offset ${offset} greater than input length ${s.length}.`);
  if (decodeAll) limit = 2147483647;
  const p = { i: offset };
  let cnt = 0;
  const base = lua.top(L);
  try {
    for (; p.i < s.length && cnt < limit; cnt++) mpDecode(lua, L, s, p);
  } catch (err) {
    lua.setTop(L, base);
    if (err instanceof MpEof) throw luaError(lua, L, 'Missing bytes in input.');
    if (err instanceof MpBad) throw luaError(lua, L, 'Bad data format in input.');
    throw err;
  }
  if (!decodeAll) {
    lua.pushInteger(L, p.i >= s.length ? -1 : p.i);
    lua.insert(L, base + 1);
    cnt += 1;
  }
  return cnt;
}

export function mpUnpack(lua: Lua, L: number): number {
  return mpUnpackFull(lua, L, 0, 0);
}
export function mpUnpackOne(lua: Lua, L: number): number {
  const offset = lua.top(L) >= 2 ? Number(lua.toInteger(L, 2)) : 0;
  lua.setTop(L, 1);
  return mpUnpackFull(lua, L, 1, offset);
}
export function mpUnpackLimit(lua: Lua, L: number): number {
  const limit = Number(lua.toInteger(L, 2));
  const offset = lua.top(L) >= 3 ? Number(lua.toInteger(L, 3)) : 0;
  lua.setTop(L, 1);
  return mpUnpackFull(lua, L, limit, offset);
}

// ---------------------------------------------------------------------------
// struct (Roberto Ierusalimschy's library, as Redis ships it)
// ---------------------------------------------------------------------------

interface StructState {
  little: boolean;
  align: number;
}

function structOpts(fmt: string, i: { p: number }, st: StructState): { opt: string; size: number } | null {
  while (i.p < fmt.length) {
    const opt = fmt[i.p++];
    const num = (def: number): number => {
      const m = /^\d+/.exec(fmt.slice(i.p));
      if (!m) return def;
      i.p += m[0].length;
      return Number(m[0]);
    };
    switch (opt) {
      case 'b': case 'B': return { opt, size: 1 };
      case 'h': case 'H': return { opt, size: 2 };
      case 'l': case 'L': case 'T': case 'd': return { opt, size: 8 };
      case 'f': return { opt, size: 4 };
      case 'i': case 'I': return { opt, size: num(4) };
      case 'c': return { opt, size: num(1) };
      case 's': case 'x': return { opt, size: opt === 'x' ? 1 : 0 };
      case ' ': continue;
      case '>': st.little = false; continue;
      case '<': st.little = true; continue;
      case '=': st.little = true; continue;
      case '!': st.align = num(8); continue;
      default: throw new Error(`invalid format option '${opt}'`);
    }
  }
  return null;
}

function alignPad(pos: number, size: number, st: StructState): number {
  let a = size;
  if (a <= 1 || st.align <= 1) return 0;
  if (a > st.align) a = st.align;
  return (a - (pos & (a - 1))) & (a - 1);
}

function intBytes(v: bigint, size: number, little: boolean): number[] {
  const out: number[] = [];
  let u = BigInt.asUintN(size * 8, v);
  for (let k = 0; k < size; k++) {
    out.push(Number(u & 0xffn));
    u >>= 8n;
  }
  return little ? out : out.reverse();
}

export function structPack(lua: Lua, L: number): number {
  const fmt = lua.toStr(L, 1) ?? '';
  const st: StructState = { little: true, align: 1 };
  const out: number[] = [];
  const ip = { p: 0 };
  let arg = 2;
  try {
    for (let o = structOpts(fmt, ip, st); o !== null; o = structOpts(fmt, ip, st)) {
      const pad = alignPad(out.length, o.size, st);
      for (let k = 0; k < pad; k++) out.push(0);
      switch (o.opt) {
        case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T': case 'i': case 'I': {
          const n = lua.type(L, arg) === T_NUMBER || lua.isString(L, arg) ? lua.toNumber(L, arg) : NaN;
          if (Number.isNaN(n)) throw new Error(`bad argument #${arg} to 'pack' (number expected, got ${TYPE_NAMES[lua.type(L, arg)]})`);
          arg++;
          out.push(...intBytes(BigInt(Math.trunc(n)), o.size, st.little));
          break;
        }
        case 'x': out.push(0); break;
        case 'f': case 'd': {
          const n = lua.toNumber(L, arg++);
          const b = Buffer.allocUnsafe(o.size);
          if (o.opt === 'f') (st.little ? b.writeFloatLE(n) : b.writeFloatBE(n));
          else (st.little ? b.writeDoubleLE(n) : b.writeDoubleBE(n));
          out.push(...b);
          break;
        }
        case 'c': case 's': {
          const b = lua.toBuf(L, arg);
          if (b === null) throw new Error(`bad argument #${arg} to 'pack' (string expected, got ${TYPE_NAMES[lua.type(L, arg)]})`);
          arg++;
          let len = o.size;
          if (o.opt === 's' || len === 0) len = b.length;
          if (b.length < len) throw new Error(`bad argument #${arg - 1} to 'pack' (string too short)`);
          for (let k = 0; k < len; k++) out.push(b[k]);
          if (o.opt === 's') out.push(0);
          break;
        }
      }
    }
  } catch (err) {
    if (err instanceof LuaRaise) throw err;
    throw luaError(lua, L, (err as Error).message);
  }
  lua.pushBuf(L, Buffer.from(out));
  return 1;
}

export function structUnpack(lua: Lua, L: number): number {
  const fmt = lua.toStr(L, 1) ?? '';
  const data = lua.toBuf(L, 2) ?? Buffer.alloc(0);
  let pos = lua.top(L) >= 3 ? Number(lua.toInteger(L, 3)) - 1 : 0;
  const st: StructState = { little: true, align: 1 };
  const ip = { p: 0 };
  let n = 0;
  try {
    if (pos < 0) throw new Error("bad argument #3 to 'unpack' (offset must be 1 or greater)");
    for (let o = structOpts(fmt, ip, st); o !== null; o = structOpts(fmt, ip, st)) {
      pos += alignPad(pos, o.size, st);
      if (o.size > 0 && pos + o.size > data.length) throw new Error("bad argument #2 to 'unpack' (data string too short)");
      lua.m._luaL_checkstack(L, 2, 0);
      switch (o.opt) {
        case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T': case 'i': case 'I': {
          const bytes = [...data.subarray(pos, pos + o.size)];
          if (!st.little) bytes.reverse();
          let v = 0n;
          for (let k = bytes.length - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[k]);
          const signed = o.opt === 'b' || o.opt === 'h' || o.opt === 'l' || o.opt === 'i';
          if (signed) v = BigInt.asIntN(o.size * 8, v);
          lua.pushNumber(L, Number(v));
          n++;
          break;
        }
        case 'x': break;
        case 'f': lua.pushNumber(L, st.little ? data.readFloatLE(pos) : data.readFloatBE(pos)); n++; break;
        case 'd': lua.pushNumber(L, st.little ? data.readDoubleLE(pos) : data.readDoubleBE(pos)); n++; break;
        case 'c': {
          let size = o.size;
          if (size === 0) {
            if (n === 0 || lua.type(L, -1) !== T_NUMBER) throw new Error('format \'c0\' needs a previous size');
            size = lua.toNumber(L, -1);
            lua.pop(L, 1);
            n--;
            if (pos + size > data.length) throw new Error("bad argument #2 to 'unpack' (data string too short)");
          }
          lua.pushBuf(L, data.subarray(pos, pos + size));
          n++;
          pos += size;
          continue;
        }
        case 's': {
          const e = data.indexOf(0, pos);
          if (e < 0) throw new Error('unfinished string in data');
          lua.pushBuf(L, data.subarray(pos, e));
          n++;
          pos = e + 1;
          continue;
        }
      }
      pos += o.size;
    }
  } catch (err) {
    if (err instanceof LuaRaise) throw err;
    throw luaError(lua, L, (err as Error).message);
  }
  lua.pushInteger(L, pos + 1);
  return n + 1;
}

export function structSize(lua: Lua, L: number): number {
  const fmt = lua.toStr(L, 1) ?? '';
  const st: StructState = { little: true, align: 1 };
  const ip = { p: 0 };
  let pos = 0;
  try {
    for (let o = structOpts(fmt, ip, st); o !== null; o = structOpts(fmt, ip, st)) {
      if (o.opt === 's' || (o.opt === 'c' && o.size === 0)) throw new Error("bad argument #1 to 'size' (options 'c0' - 's' have undefined sizes)");
      pos += alignPad(pos, o.size, st) + o.size;
    }
  } catch (err) {
    throw luaError(lua, L, (err as Error).message);
  }
  lua.pushInteger(L, pos);
  return 1;
}
