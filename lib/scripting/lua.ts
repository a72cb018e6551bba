/**
 * A thin, binary-safe binding to the Lua 5.4 C API compiled to WebAssembly
 * (the `wasmoon` package's module). wasmoon's own high-level wrapper converts
 * through JS strings (UTF-8, not binary safe) and proxies; rivulet talks to
 * the exported C functions directly: strings are copied in and out of the
 * WASM heap as bytes, integers cross as BigInt (lua_Integer is 64-bit),
 * pointers and size_t are 32-bit.
 *
 * Errors: a JS function registered with `fn()` raises a Lua error by calling
 * `raise()` (lua_error performs a longjmp, which Emscripten implements as a
 * JS throw that unwinds through the JS frame back into the VM). Any other
 * exception thrown by a callback is turned into a Lua error the same way, so
 * a bug never tears through the VM's C frames.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
type M = any;

export const LUA_REGISTRYINDEX = -1001000;
export const LUA_RIDX_GLOBALS = 2n;
export const T_NIL = 0;
export const T_BOOLEAN = 1;
export const T_LIGHTUSERDATA = 2;
export const T_NUMBER = 3;
export const T_STRING = 4;
export const T_TABLE = 5;
export const T_FUNCTION = 6;
export const T_USERDATA = 7;
export const T_THREAD = 8;
export const LUA_OK = 0;
export const LUA_YIELD = 1;
export const LUA_MASKCOUNT = 8;

/** Thrown inside a callback to make it raise a Lua error with this value (a string or a prepared table on the stack). */
export class LuaRaise {
  /** `message` null: the error value is already on top of the stack (`pushed` documents that at the call site). */
  constructor(
    readonly message: string | null,
    readonly pushed = false,
  ) {}
}

export class Lua {
  readonly m: M;
  private scratch = 0;
  private scratchSize = 0;
  private readonly lenp: number;
  private readonly cstrings = new Map<string, number>();

  private constructor(m: M) {
    this.m = m;
    this.lenp = m._malloc(8);
  }

  /** Loads the WebAssembly module (once per process; each Lua state is cheap after that). */
  static async load(): Promise<Lua> {
    loading ??= (async () => {
      const { LuaFactory } = (await import('wasmoon')) as unknown as { LuaFactory: new () => { getLuaModule(): Promise<{ module: M }> } };
      // wasmoon's build wraps every exported C function in a JS function that asserts the runtime
      // is initialised and forwards with apply(): about 7 % of a BullMQ worker's server time (bench/PROFILE.md).
      // The instance's own exports are the same functions without that wrapper; they are seen
      // here by watching the one WebAssembly.instantiate call the module makes while it loads.
      const seen: WebAssembly.Exports[] = [];
      const instantiate = WebAssembly.instantiate;
      (WebAssembly as { instantiate: unknown }).instantiate = async (...args: unknown[]) => {
        const r = await (instantiate as (...a: unknown[]) => Promise<{ instance?: WebAssembly.Instance }>)(...args);
        if (r.instance) seen.push(r.instance.exports);
        return r;
      };
      let w: { module: M };
      try {
        w = await new LuaFactory().getLuaModule();
      } finally {
        WebAssembly.instantiate = instantiate;
      }
      if (seen.length === 1) bypassWrappers(w.module, seen[0]);
      return new Lua(w.module);
    })();
    return loading;
  }

  newState(): number {
    const L = this.m._luaL_newstate();
    this.m._luaL_openlibs(L);
    return L;
  }

  /** A NUL-terminated copy of an ASCII string in the heap, kept for the process's life (field and global names). */
  cstr(s: string): number {
    let p = this.cstrings.get(s);
    if (p === undefined) {
      const b = Buffer.from(s + '\0', 'latin1');
      p = this.m._malloc(b.length) as number;
      this.m.HEAPU8.set(b, p);
      this.cstrings.set(s, p);
    }
    return p;
  }

  private heapCopy(b: Buffer): number {
    if (b.length > this.scratchSize) {
      if (this.scratch) this.m._free(this.scratch);
      this.scratchSize = Math.max(256, b.length * 2);
      this.scratch = this.m._malloc(this.scratchSize);
    }
    this.m.HEAPU8.set(b, this.scratch);
    return this.scratch;
  }

  // ---- stack ------------------------------------------------------------------
  top(L: number): number {
    return this.m._lua_gettop(L);
  }
  setTop(L: number, i: number): void {
    this.m._lua_settop(L, i);
  }
  pop(L: number, n: number): void {
    this.m._lua_settop(L, -n - 1);
  }
  type(L: number, i: number): number {
    return this.m._lua_type(L, i);
  }
  pushValue(L: number, i: number): void {
    this.m._lua_pushvalue(L, i);
  }
  /** Moves the top element to position i (lua_insert). */
  insert(L: number, i: number): void {
    this.m._lua_rotate(L, i, 1);
  }
  remove(L: number, i: number): void {
    this.m._lua_rotate(L, i, -1);
    this.pop(L, 1);
  }

  pushNil(L: number): void {
    this.m._lua_pushnil(L);
  }
  pushBool(L: number, b: boolean): void {
    this.m._lua_pushboolean(L, b ? 1 : 0);
  }
  pushNumber(L: number, n: number): void {
    this.m._lua_pushnumber(L, n);
  }
  pushInteger(L: number, n: number | bigint): void {
    this.m._lua_pushinteger(L, typeof n === 'bigint' ? n : BigInt(n));
  }
  pushBuf(L: number, b: Buffer): void {
    const p = b.length === 0 ? this.heapCopy(EMPTY) : this.heapCopy(b);
    this.m._lua_pushlstring(L, p, b.length);
  }
  pushStr(L: number, s: string): void {
    this.pushBuf(L, Buffer.from(s, 'utf8'));
  }
  pushLatin1(L: number, s: string): void {
    this.pushBuf(L, Buffer.from(s, 'latin1'));
  }

  /** lua_tolstring: the bytes of a string (or number, converted in place), else null. */
  toBuf(L: number, i: number): Buffer | null {
    const p = this.m._lua_tolstring(L, i, this.lenp);
    if (p === 0) return null;
    const len = this.m.HEAPU32[this.lenp >> 2];
    const out = Buffer.allocUnsafe(len);
    out.set(this.m.HEAPU8.subarray(p, p + len));
    return out;
  }
  toStr(L: number, i: number): string | null {
    const b = this.toBuf(L, i);
    return b === null ? null : b.toString('utf8');
  }
  isInteger(L: number, i: number): boolean {
    return this.m._lua_isinteger(L, i) !== 0;
  }
  toNumber(L: number, i: number): number {
    return this.m._lua_tonumberx(L, i, 0);
  }
  toInteger(L: number, i: number): bigint {
    return this.m._lua_tointegerx(L, i, 0);
  }
  toBool(L: number, i: number): boolean {
    return this.m._lua_toboolean(L, i) !== 0;
  }
  isString(L: number, i: number): boolean {
    return this.m._lua_isstring(L, i) !== 0;
  }
  rawLen(L: number, i: number): number {
    return Number(this.m._lua_rawlen(L, i));
  }

  // ---- tables -----------------------------------------------------------------
  newTable(L: number, narr = 0, nrec = 0): void {
    this.m._lua_createtable(L, narr, nrec);
  }
  /** t[k] = top, t at index i (raw), pops the value. */
  setField(L: number, i: number, k: string): void {
    this.m._lua_setfield(L, i, this.cstr(k));
  }
  getField(L: number, i: number, k: string): number {
    return this.m._lua_getfield(L, i, this.cstr(k));
  }
  rawGetField(L: number, i: number, k: string): number {
    const abs = this.m._lua_absindex(L, i);
    this.pushLatin1(L, k);
    return this.m._lua_rawget(L, abs);
  }
  rawSetI(L: number, i: number, n: number): void {
    this.m._lua_rawseti(L, i, BigInt(n));
  }
  rawGetI(L: number, i: number, n: number): number {
    return this.m._lua_rawgeti(L, i, BigInt(n));
  }
  rawSet(L: number, i: number): void {
    this.m._lua_rawset(L, i);
  }
  next(L: number, i: number): boolean {
    return this.m._lua_next(L, i) !== 0;
  }
  setGlobal(L: number, name: string): void {
    this.m._lua_setglobal(L, this.cstr(name));
  }
  getGlobal(L: number, name: string): number {
    return this.m._lua_getglobal(L, this.cstr(name));
  }
  ref(L: number): number {
    return this.m._luaL_ref(L, LUA_REGISTRYINDEX);
  }
  unref(L: number, r: number): void {
    this.m._luaL_unref(L, LUA_REGISTRYINDEX, r);
  }
  getRef(L: number, r: number): void {
    this.rawGetI(L, LUA_REGISTRYINDEX, r);
  }

  // ---- functions ----------------------------------------------------------------
  /**
   * Registers a JS function as a Lua C function pointer. The callback returns
   * the number of results it pushed; to raise a Lua error it throws LuaRaise
   * (a message, or null when the error value is already on top of the stack).
   */
  fn(cb: (L: number) => number): number {
    const m = this.m;
    const self = this;
    return m.addFunction((L: number) => {
      let raise: LuaRaise | null = null;
      try {
        return cb(L);
      } catch (err) {
        if (err instanceof LuaRaise) raise = err;
        else if (typeof err === 'number' || err === Infinity) throw err; // a longjmp passing through
        else raise = new LuaRaise(`internal error: ${(err as Error)?.message ?? String(err)}`);
      }
      if (raise.message !== null) self.pushStr(L, raise.message);
      return m._lua_error(L);
    }, 'ii');
  }

  pushFn(L: number, ptr: number): void {
    this.m._lua_pushcclosure(L, ptr, 0);
  }

  /** Compiles a chunk; returns null with the function on the stack, or the error message (popped). */
  load(L: number, code: Buffer, chunkName: string): string | null {
    const p = this.heapCopy(code.length === 0 ? EMPTY : code);
    const st = this.m._luaL_loadbufferx(L, p, code.length, this.cstr(chunkName), this.cstr('t'));
    if (st === LUA_OK) return null;
    const msg = this.toStr(L, -1) ?? 'load error';
    this.pop(L, 1);
    return msg;
  }

  /** lua_pcall; returns the status. */
  pcall(L: number, nargs: number, nres: number, errfunc: number): number {
    return this.m._lua_pcallk(L, nargs, nres, errfunc, 0, 0);
  }

  /** Runs a chunk of trusted set-up code; throws on error. */
  exec(L: number, code: string, name = '=setup'): void {
    const err = this.load(L, Buffer.from(code), name);
    if (err !== null) throw new Error(err);
    if (this.pcall(L, 0, 0, 0) !== LUA_OK) {
      const msg = this.toStr(L, -1);
      this.pop(L, 1);
      throw new Error(String(msg));
    }
  }

  newThread(L: number): number {
    return this.m._lua_newthread(L);
  }

  /** lua_resume(co, from, nargs) → [status, nresults]. */
  resume(co: number, from: number, nargs: number): [number, number] {
    const st = this.m._lua_resume(co, from, nargs, this.lenp);
    return [st, this.m.HEAP32[this.lenp >> 2]];
  }

  sethook(L: number, fnPtr: number, mask: number, count: number): void {
    this.m._lua_sethook(L, fnPtr, mask, count);
  }

  hookFn(cb: (L: number) => void): number {
    return this.m.addFunction((L: number) => {
      cb(L);
    }, 'vii');
  }

  isYieldable(L: number): boolean {
    return this.m._lua_isyieldable(L) !== 0;
  }

  /** Yields from inside a hook (lua_yield(L, 0)): only valid when isYieldable(L). */
  yieldFromHook(L: number): void {
    this.m._lua_yieldk(L, 0, 0, 0);
  }

  closeThread(L: number): void {
    if (typeof this.m._lua_closethread === 'function') this.m._lua_closethread(L, 0);
    else if (typeof this.m._lua_resetthread === 'function') this.m._lua_resetthread(L);
  }

  close(L: number): void {
    this.m._lua_close(L);
  }
}

const EMPTY = Buffer.from([0]);
let loading: Promise<Lua> | null = null;

/**
 * Points the module's `_name` entries at the instance's `name` exports where both exist (same
 * C function, minus the JS assertion wrapper). Memory views (HEAPU8 ...) are left alone: the
 * module refreshes them when the memory grows.
 */
function bypassWrappers(m: M, exports: WebAssembly.Exports): void {
  for (const key of Object.keys(m)) {
    if (key.charCodeAt(0) !== 95 /* _ */ || typeof m[key] !== 'function') continue;
    const raw = exports[key.slice(1)];
    if (typeof raw === 'function') m[key] = raw;
  }
}
