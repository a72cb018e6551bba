/**
 * One sandboxed Lua state (Redis keeps two: one for EVAL scripts, one for
 * FUNCTION libraries), with the redis.* API, the libraries Redis loads, and
 * the conversions between Lua values and RESP in both directions
 * (script_lua.c's redisProtocolToLuaType and luaReplyToRedisReply).
 *
 * A script runs in a coroutine so that a count hook can yield out of a long
 * script: the server then answers other clients with BUSY between slices
 * and resumes the script on the next event-loop turn (see Run).
 */
import crypto from 'node:crypto';
import { Lua, LuaRaise, LUA_OK, LUA_YIELD, LUA_MASKCOUNT, T_BOOLEAN, T_NIL, T_NUMBER, T_STRING, T_TABLE, LUA_REGISTRYINDEX } from './lua.js';
import { COMPAT, LOCK } from './prelude.js';
import { from51, fixParseError } from './lua51.js';
import * as codecs from './codecs.js';
import { numberArg, replyInteger, Rand48 } from './numbers.js';
import type { ReplyWriter } from '../resp/writer.js';
import { REDIS_VERSION } from '../version.js';

/** The state of one script or function invocation. */
export interface RunCtx {
  /** The SHA1 of an EVAL script, or the FCALL function name (error messages say "script: <funcname>"). */
  funcname: string;
  /** Protocol redis.call replies are parsed with (redis.setresp). */
  resp: 2 | 3;
  /** EVAL_RO/FCALL_RO, or a script with the no-writes flag: write commands are refused. */
  readOnly: boolean;
  /** allow-oom flag (or no-writes). */
  allowOom: boolean;
  /** Set once a write command ran: SCRIPT KILL is refused from then on. */
  writeDirty: boolean;
  /** Set by SCRIPT KILL / FUNCTION KILL: the next hook raises. */
  killed: boolean;
  /** Whether this is EVAL (SCRIPT KILL) or FCALL (FUNCTION KILL). */
  isEval: boolean;
  /** Date.now() at start. */
  start: number;
  /** Whether the hook may yield (not inside EXEC or while loading). */
  mayYield: boolean;
  /** Milliseconds after which the script counts as busy (busy-reply-threshold; 0 = never). */
  busyAfter: number;
}

/** What the engine needs from the server. */
export interface ScriptHost {
  /**
   * Runs one command for the running script. Returns the reply bytes (RESP
   * of ctx.resp), or a string error ("-CODE msg" or "msg") when the command
   * was refused before running.
   */
  call(ctx: RunCtx, argv: Buffer[]): Buffer | string;
  log(level: number, msg: string): void;
  /** Whether `argv[0]` names a command (redis.acl_check_cmd). */
  commandExists(argv: Buffer[]): boolean;
}

const LOG_LEVELS = ['LOG_DEBUG', 'LOG_VERBOSE', 'LOG_NOTICE', 'LOG_WARNING'];
/** Redis's version as a number (0x070400 for 7.4.0). */
const VERSION_NUM = REDIS_VERSION.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
/** Instructions between hook calls (Redis uses 100000 too). */
const HOOK_EVERY = 100000;

export type RunResult = { done: true } | { done: false };

export class LuaEngine {
  readonly L: number;
  private realRef = 0;
  private runnerRef = 0;
  private setLoadRef = 0;
  /** The invocation in progress (redis.call needs it), or null. */
  current: RunCtx | null = null;
  /** Set while FUNCTION LOAD runs a library: redis.register_function's target. */
  loading: ((L: number) => void) | null = null;
  private readonly hook: number;
  readonly rand = new Rand48();

  constructor(
    readonly lua: Lua,
    readonly kind: 'eval' | 'function',
    readonly host: ScriptHost,
  ) {
    const L = (this.L = lua.newState());
    lua.exec(L, COMPAT, '=compat');
    this.registerApi();
    const top = lua.top(L);
    const err = lua.load(L, Buffer.from(LOCK), '=lock');
    if (err !== null) throw new Error(err);
    if (lua.pcall(L, 0, 4, 0) !== LUA_OK) throw new Error(String(lua.toStr(L, -1)));
    this.setLoadRef = lua.ref(L);
    lua.pop(L, 1); // the handler (the runner holds it)
    this.runnerRef = lua.ref(L);
    this.realRef = lua.ref(L);
    lua.setTop(L, top);
    this.hook = lua.hookFn((co) => this.onHook(co));
  }

  // ---- the API ----------------------------------------------------------------
  private registerApi(): void {
    const { lua, L } = this;
    const fn = (t: number, name: string, cb: (L: number) => number): void => {
      lua.pushFn(L, lua.fn(cb));
      lua.setField(L, t, name);
    };
    // redis.*
    lua.newTable(L);
    const r = lua.top(L);
    fn(r, 'call', (l) => this.redisCall(l, true));
    fn(r, 'pcall', (l) => this.redisCall(l, false));
    fn(r, 'error_reply', (l) => {
      if (lua.top(l) !== 1 || lua.type(l, 1) !== T_STRING) throw new LuaRaise(null, pushErrTable(lua, l, 'wrong number or type of arguments'));
      let msg = lua.toStr(l, 1)!;
      if (!msg.startsWith('-')) msg = '-' + msg;
      pushErrorBuff(lua, l, msg);
      return 1;
    });
    fn(r, 'status_reply', (l) => {
      if (lua.top(l) !== 1 || lua.type(l, 1) !== T_STRING) throw new LuaRaise(null, pushErrTable(lua, l, 'wrong number or type of arguments'));
      lua.newTable(l);
      lua.pushValue(l, 1);
      lua.setField(l, -2, 'ok');
      return 1;
    });
    fn(r, 'sha1hex', (l) => {
      if (lua.top(l) !== 1) throw new LuaRaise(null, pushErrTable(lua, l, 'wrong number of arguments'));
      const b = lua.toBuf(l, 1) ?? Buffer.alloc(0);
      lua.pushLatin1(l, crypto.createHash('sha1').update(b).digest('hex'));
      return 1;
    });
    fn(r, 'log', (l) => {
      const argc = lua.top(l);
      if (argc < 2) throw new LuaRaise(null, pushErrTable(lua, l, 'redis.log() requires two arguments or more.'));
      if (lua.type(l, 1) !== T_NUMBER) throw new LuaRaise(null, pushErrTable(lua, l, 'First argument must be a number (log level).'));
      const level = lua.toNumber(l, 1);
      if (level < 0 || level > 3 || !Number.isInteger(level)) throw new LuaRaise(null, pushErrTable(lua, l, 'Invalid log level.'));
      const parts: string[] = [];
      for (let i = 2; i <= argc; i++) parts.push(lua.toStr(l, i) ?? '');
      this.host.log(level, parts.join(' '));
      return 0;
    });
    fn(r, 'setresp', (l) => {
      if (!this.current) throw new LuaRaise(null, pushErrTable(lua, l, 'redis.setresp can only be called inside a script invocation'));
      if (lua.top(l) !== 1) throw new LuaRaise(null, pushErrTable(lua, l, 'redis.setresp() requires one argument.'));
      const v = lua.toNumber(l, 1);
      if (v !== 2 && v !== 3) throw new LuaRaise(null, pushErrTable(lua, l, 'RESP version must be 2 or 3.'));
      this.current.resp = v;
      return 0;
    });
    fn(r, 'set_repl', (l) => {
      if (!this.current) throw new LuaRaise(null, pushErrTable(lua, l, 'redis.set_repl can only be called inside a script invocation'));
      if (lua.top(l) !== 1) throw new LuaRaise(null, pushErrTable(lua, l, 'redis.set_repl() requires one argument.'));
      const v = lua.toNumber(l, 1);
      if (!(v >= 0 && v <= 3 && Number.isInteger(v))) throw new LuaRaise(null, pushErrTable(lua, l, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.'));
      return 0;
    });
    fn(r, 'replicate_commands', (l) => {
      lua.pushBool(l, true);
      return 1;
    });
    fn(r, 'breakpoint', (l) => {
      lua.pushBool(l, false);
      return 1;
    });
    fn(r, 'debug', () => 0);
    fn(r, 'acl_check_cmd', (l) => {
      const argc = lua.top(l);
      if (argc === 0) throw new LuaRaise(null, pushErrTable(lua, l, 'Please specify at least one argument for this redis lib call'));
      const argv: Buffer[] = [];
      for (let i = 1; i <= argc; i++) argv.push(lua.toBuf(l, i) ?? Buffer.alloc(0));
      if (!this.host.commandExists(argv)) throw new LuaRaise(null, pushErrTable(lua, l, 'Invalid command passed to redis.acl_check_cmd()'));
      lua.pushBool(l, true);
      return 1;
    });
    if (this.kind === 'function') {
      fn(r, 'register_function', (l) => {
        if (!this.loading) throw new LuaRaise(null, pushErrTable(lua, l, 'redis.register_function can only be called on FUNCTION LOAD command'));
        this.loading(l);
        return 0;
      });
    }
    const num = (name: string, v: number): void => {
      lua.pushInteger(L, v);
      lua.setField(L, r, name);
    };
    LOG_LEVELS.forEach((n, i) => num(n, i));
    num('REPL_NONE', 0);
    num('REPL_AOF', 1);
    num('REPL_SLAVE', 2);
    num('REPL_REPLICA', 2);
    num('REPL_ALL', 3);
    lua.pushLatin1(L, REDIS_VERSION);
    lua.setField(L, r, 'REDIS_VERSION');
    num('REDIS_VERSION_NUM', VERSION_NUM);
    lua.setGlobal(L, 'redis');

    // cjson
    lua.newTable(L);
    const cj = lua.top(L);
    fn(cj, 'encode', (l) => codecs.cjsonEncode(lua, l));
    fn(cj, 'decode', (l) => codecs.cjsonDecode(lua, l));
    for (const opt of ['encode_keep_buffer', 'encode_max_depth', 'decode_max_depth', 'encode_number_precision', 'encode_sparse_array', 'encode_invalid_numbers', 'decode_invalid_numbers']) {
      fn(cj, opt, (l) => {
        lua.setTop(l, 0);
        return 0;
      });
    }
    lua.m._lua_pushlightuserdata(L, 0);
    lua.setField(L, cj, 'null');
    lua.pushLatin1(L, '2.1.0');
    lua.setField(L, cj, '_VERSION');
    lua.pushLatin1(L, 'cjson');
    lua.setField(L, cj, '_NAME');
    lua.setGlobal(L, 'cjson');

    // cmsgpack
    lua.newTable(L);
    const mp = lua.top(L);
    fn(mp, 'pack', (l) => codecs.mpPack(lua, l));
    fn(mp, 'unpack', (l) => codecs.mpUnpack(lua, l));
    fn(mp, 'unpack_one', (l) => codecs.mpUnpackOne(lua, l));
    fn(mp, 'unpack_limit', (l) => codecs.mpUnpackLimit(lua, l));
    lua.pushLatin1(L, 'lua-cmsgpack 0.4.0');
    lua.setField(L, mp, '_VERSION');
    lua.setGlobal(L, 'cmsgpack');

    // struct
    lua.newTable(L);
    const st = lua.top(L);
    fn(st, 'pack', (l) => codecs.structPack(lua, l));
    fn(st, 'unpack', (l) => codecs.structUnpack(lua, l));
    fn(st, 'size', (l) => codecs.structSize(lua, l));
    lua.setGlobal(L, 'struct');

    // math.random / math.randomseed over Redis's rand48
    lua.getGlobal(L, 'math');
    const m = lua.top(L);
    fn(m, 'random', (l) => {
      const rnd = this.rand.random();
      const argc = lua.top(l);
      if (argc === 0) lua.pushNumber(l, rnd);
      else if (argc === 1) {
        const u = Math.trunc(lua.toNumber(l, 1));
        if (!(u >= 1)) throw codecs.luaError(lua, l, "bad argument #1 to 'random' (interval is empty)");
        lua.pushNumber(l, Math.floor(rnd * u) + 1);
      } else if (argc === 2) {
        const lo = Math.trunc(lua.toNumber(l, 1));
        const up = Math.trunc(lua.toNumber(l, 2));
        if (!(lo <= up)) throw codecs.luaError(lua, l, "bad argument #2 to 'random' (interval is empty)");
        lua.pushNumber(l, Math.floor(rnd * (up - lo + 1)) + lo);
      } else throw new LuaRaise(null, pushErrTable(lua, l, 'wrong number of arguments'));
      return 1;
    });
    fn(m, 'randomseed', (l) => {
      this.rand.seed(lua.toNumber(l, 1));
      return 0;
    });
    lua.pop(L, 1);
  }

  /** redis.call (raise = true) and redis.pcall. */
  private redisCall(L: number, raise: boolean): number {
    const lua = this.lua;
    const ctx = this.current;
    if (!ctx) {
      throw new LuaRaise(null, pushErrTable(lua, L, `redis.${raise ? 'call' : 'pcall'} can only be called inside a script invocation`));
    }
    const argc = lua.top(L);
    if (argc === 0) return this.fail(L, raise, 'Please specify at least one argument for this redis lib call');
    const argv: Buffer[] = new Array(argc);
    for (let i = 1; i <= argc; i++) {
      const t = lua.type(L, i);
      if (t === T_NUMBER) {
        argv[i - 1] = Buffer.from(numberArg(lua.isInteger(L, i) ? Number(lua.toInteger(L, i)) : lua.toNumber(L, i)), 'latin1');
      } else if (t === T_STRING) {
        argv[i - 1] = lua.toBuf(L, i)!;
      } else {
        return this.fail(L, raise, 'Lua redis lib command arguments must be strings or integers');
      }
    }
    lua.setTop(L, 0);
    const reply = this.host.call(ctx, argv);
    if (typeof reply === 'string') {
      pushErrorBuff(lua, L, reply);
      lua.pushBool(L, true);
      lua.setField(L, -2, 'ignore_error_stats_update');
      if (raise) throw new LuaRaise(null, true);
      return 1;
    }
    const isError = reply[0] === 45; /* '-' */
    pushResp(lua, L, reply);
    if (isError && raise) throw new LuaRaise(null, true);
    return 1;
  }

  private fail(L: number, raise: boolean, msg: string): number {
    pushErrTable(this.lua, L, msg);
    if (raise) throw new LuaRaise(null, true);
    return 1;
  }

  // ---- compiling and running ---------------------------------------------------
  /** Compiles a chunk; returns a registry reference to the function, or the compile error. */
  compile(body: Buffer, chunkName: string): { ref: number } | { error: string } {
    const conv = from51(body, chunkName.replace(/^[@=]/, ''));
    if ('error' in conv) return { error: conv.error };
    const err = this.lua.load(this.L, conv.code, chunkName);
    if (err !== null) return { error: fixParseError(err, conv.placeholders) };
    return { ref: this.lua.ref(this.L) };
  }

  release(ref: number): void {
    this.lua.unref(this.L, ref);
  }

  /** Sets the global tables KEYS and ARGV in the real global table (EVAL). */
  private setKeysArgs(keys: Buffer[], args: Buffer[]): void {
    const { lua, L } = this;
    lua.getRef(L, this.realRef);
    for (const [name, list] of [['KEYS', keys], ['ARGV', args]] as const) {
      lua.newTable(L, list.length, 0);
      for (let i = 0; i < list.length; i++) {
        lua.pushBuf(L, list[i]);
        lua.rawSetI(L, -2, i + 1);
      }
      lua.pushLatin1(L, name);
      lua.insert(L, -2);
      lua.rawSet(L, -3);
    }
    lua.pop(L, 1);
  }

  private pushList(L: number, list: Buffer[]): void {
    const lua = this.lua;
    lua.newTable(L, list.length, 0);
    for (let i = 0; i < list.length; i++) {
      lua.pushBuf(L, list[i]);
      lua.rawSetI(L, -2, i + 1);
    }
  }

  /**
   * Starts running the function `ref`: EVAL scripts get KEYS/ARGV as
   * globals, functions get them as arguments. Returns a Run that is either
   * finished, or suspended by the busy hook (resume it later).
   */
  start(ref: number, keys: Buffer[], args: Buffer[], ctx: RunCtx): Run {
    const { lua, L } = this;
    if (this.kind === 'eval') this.setKeysArgs(keys, args);
    const co = lua.newThread(L);
    const coRef = lua.ref(L);
    lua.getRef(co, this.runnerRef);
    if (this.kind === 'eval') {
      lua.getRef(co, ref);
    } else {
      // The runner takes one function: wrap the callback with its two arguments in a closure.
      lua.getRef(co, this.wrapRef());
      lua.getRef(co, ref);
      this.pushList(co, keys);
      this.pushList(co, args);
      lua.m._lua_callk(co, 3, 1, 0, 0);
    }
    lua.sethook(co, this.hook, LUA_MASKCOUNT, HOOK_EVERY);
    const run = new Run(this, co, coRef, ctx);
    run.step();
    return run;
  }

  private wrapFnRef = 0;
  /** A Lua helper: wrap(f, keys, args) → function() return f(keys, args) end. */
  private wrapRef(): number {
    if (this.wrapFnRef === 0) {
      const err = this.lua.load(this.L, Buffer.from('local f, k, a = ... return function() return f(k, a) end'), '=wrap');
      if (err !== null) throw new Error(err);
      this.wrapFnRef = this.lua.ref(this.L);
    }
    return this.wrapFnRef;
  }

  /** Switches the function engine's globals between the library-load API and the normal globals. */
  setLoadMode(on: boolean): void {
    const { lua, L } = this;
    lua.getRef(L, this.setLoadRef);
    lua.pushBool(L, on);
    if (lua.pcall(L, 1, 0, 0) !== LUA_OK) lua.pop(L, 1);
  }

  /** Runs a FUNCTION LOAD library body with `register` receiving each redis.register_function call. Returns an error message or null. */
  loadLibrary(body: Buffer, register: (L: number) => void, timeoutMs: number): string | null {
    const { lua, L } = this;
    const top = lua.top(L);
    this.setLoadMode(true);
    this.loading = register;
    const start = Date.now();
    let hookPtr = 0;
    try {
      // The metadata line is skipped but its line feed kept, so line numbers stay the user's.
      const nl = body.indexOf(10);
      const conv = from51(nl < 0 ? body : body.subarray(nl), 'user_function');
      if ('error' in conv) return `Error compiling function: ${conv.error}`;
      const err = lua.load(L, conv.code, '@user_function');
      if (err !== null) return `Error compiling function: ${fixParseError(err, conv.placeholders)}`;
      hookPtr = lua.hookFn((l) => {
        if (timeoutMs > 0 && Date.now() - start > timeoutMs) {
          pushErrTable(lua, l, 'FUNCTION LOAD timeout');
          lua.m._lua_error(l);
        }
      });
      lua.sethook(L, hookPtr, LUA_MASKCOUNT, HOOK_EVERY);
      if (lua.pcall(L, 0, 0, 0) !== LUA_OK) {
        const msg = errorMessage(lua, L);
        return `Error registering functions: ${msg}`;
      }
      return null;
    } finally {
      lua.sethook(L, 0, 0, 0);
      if (hookPtr) lua.m.removeFunction(hookPtr);
      this.loading = null;
      this.setLoadMode(false);
      lua.setTop(L, top);
    }
  }

  /** The count hook: raise if killed; yield once past busy-reply-threshold (when the stack allows it). */
  private onHook(co: number): void {
    const ctx = this.current;
    if (!ctx) return;
    if (ctx.killed) {
      this.lua.sethook(co, this.hook, 0, 0);
      pushErrTable(this.lua, co, 'Script killed by user with SCRIPT KILL...');
      this.lua.m._lua_error(co);
      return;
    }
    if (ctx.mayYield && ctx.busyAfter > 0 && Date.now() - ctx.start >= ctx.busyAfter && this.lua.isYieldable(co)) {
      this.lua.yieldFromHook(co);
    }
  }

  private gcRef = 0;
  /** collectgarbage(op, arg) through a Lua helper (lua_gc is variadic, not exported by the WASM build). */
  private collect(op: string, arg = 0): number {
    const { lua, L } = this;
    if (this.gcRef === 0) {
      const err = lua.load(L, Buffer.from('local op, arg = ... return collectgarbage(op, arg)'), '=gc');
      if (err !== null) throw new Error(err);
      this.gcRef = lua.ref(L);
    }
    lua.getRef(L, this.gcRef);
    lua.pushLatin1(L, op);
    lua.pushInteger(L, arg);
    if (lua.pcall(L, 2, 1, 0) !== LUA_OK) {
      lua.pop(L, 1);
      return 0;
    }
    const v = lua.toNumber(L, -1);
    lua.pop(L, 1);
    return v;
  }

  /** Bytes of memory the Lua state uses (collectgarbage('count')). */
  memory(): number {
    return Math.round(this.collect('count') * 1024);
  }

  gc(): void {
    this.collect('collect');
  }

  /** Scripts run in this state since its last explicit GC step. */
  private scriptsSinceGc = 0;

  /**
   * After each script. As Redis's luaGC (LUA_GC_CYCLE_PERIOD, counted per state): every 50th
   * script, a collection step of that size. A step after every script cost a quarter of
   * EVALSHA's time in the VM's collector; Lua's own collector still runs by allocation.
   */
  gcStep(): void {
    if (++this.scriptsSinceGc < 50) return;
    this.scriptsSinceGc = 0;
    this.collect('step', 50);
  }

  close(): void {
    this.lua.close(this.L);
  }

  /** Writes the Lua value on top of `co` as a reply (luaReplyToRedisReply); pops it. */
  writeReply(co: number, w: ReplyWriter, scriptResp: 2 | 3): void {
    toReply(this.lua, co, w, scriptResp);
  }
}

/** A script invocation in progress (or finished). */
export class Run {
  finished = false;
  /** ok = the script returned normally (value on the coroutine's stack); else the error table. */
  constructor(
    readonly engine: LuaEngine,
    readonly co: number,
    private readonly coRef: number,
    readonly ctx: RunCtx,
  ) {}

  /** Runs until the script ends or the busy hook yields. */
  step(): void {
    const eng = this.engine;
    const prev = eng.current;
    eng.current = this.ctx;
    try {
      const [st] = eng.lua.resume(this.co, eng.L, this.finishedOnce ? 0 : 1);
      this.finishedOnce = true;
      if (st === LUA_YIELD) return;
      this.finished = true;
      this.status = st;
    } finally {
      eng.current = prev;
    }
  }

  private finishedOnce = false;
  private status = LUA_OK;

  /** Writes the script's reply (or error) to w, and frees the coroutine. Call once finished. */
  reply(w: ReplyWriter): void {
    const { lua } = this.engine;
    const co = this.co;
    try {
      if (this.status !== LUA_OK) {
        // The runner itself failed (out of memory, or an error in the handler).
        const msg = lua.toStr(co, -1) ?? 'execution failure';
        w.error(`ERR Error running script ${this.ctx.funcname}, ${msg.slice(0, 100)}`);
        return;
      }
      // Stack: ok, result
      const ok = lua.toBool(co, -2);
      if (ok) {
        lua.m._luaL_checkstack(co, 8, 0);
        toReply(lua, co, w, this.ctx.resp);
        return;
      }
      if (lua.type(co, -1) !== T_TABLE) {
        const msg = lua.toStr(co, -1) ?? 'execution failure';
        w.error(`ERR Error running script ${this.ctx.funcname}, ${msg.slice(0, 100)}`);
        return;
      }
      const info = errorInfo(lua, co);
      let text = info.msg;
      if (info.line !== null && info.source !== null) text += ` script: ${this.ctx.funcname}, on ${info.source}:${info.line}.`;
      w.error(text);
    } finally {
      lua.setTop(co, 0);
      lua.closeThread(co);
      lua.unref(this.engine.L, this.coRef);
      this.engine.gcStep();
    }
  }
}

// ---- error tables ------------------------------------------------------------

/** Pushes {err = 'ERR ' .. msg} (luaPushError for a message without a code). Returns true (for LuaRaise). */
function pushErrTable(lua: Lua, L: number, msg: string): true {
  pushErrorBuff(lua, L, msg);
  return true;
}

/**
 * luaPushErrorBuff: "-CODE msg" → {err = "CODE msg"}; "msg" → {err = "ERR msg"};
 * a "-word" without a space gets the ERR code; trailing CR/LF trimmed.
 */
function pushErrorBuff(lua: Lua, L: number, buf: string): void {
  let code = 'ERR';
  let msg = buf;
  if (buf.startsWith('-')) {
    const sp = buf.indexOf(' ');
    if (sp < 0) msg = buf.slice(1);
    else {
      code = buf.slice(1, sp);
      msg = buf.slice(sp + 1);
    }
  }
  msg = msg.replace(/^[\r\n]+|[\r\n]+$/g, '');
  lua.newTable(L);
  lua.pushStr(L, `${code} ${msg}`);
  lua.setField(L, -2, 'err');
}

/** luaExtractErrorInformation over the value on top (a string or an error table). */
function errorInfo(lua: Lua, L: number): { msg: string; source: string | null; line: string | null } {
  if (lua.type(L, -1) === T_STRING || lua.type(L, -1) === T_NUMBER) return { msg: `ERR ${lua.toStr(L, -1)}`, source: null, line: null };
  const get = (k: string): string | null => {
    lua.getField(L, -1, k);
    const v = lua.isString(L, -1) ? lua.toStr(L, -1) : null;
    lua.pop(L, 1);
    return v;
  };
  return { msg: get('err') ?? '', source: get('source'), line: get('line') };
}

function errorMessage(lua: Lua, L: number): string {
  if (lua.type(L, -1) === T_TABLE) return errorInfo(lua, L).msg;
  return `ERR ${lua.toStr(L, -1) ?? 'unknown error'}`;
}

// ---- RESP → Lua ----------------------------------------------------------------

/** Pushes the Lua value of one RESP reply (redisProtocolToLuaType). */
export function pushResp(lua: Lua, L: number, b: Buffer): void {
  const p = { i: 0 };
  pushOne(lua, L, b, p);
}

function line(b: Buffer, p: { i: number }): string {
  const e = b.indexOf(13, p.i);
  const s = b.toString('latin1', p.i + 1, e);
  p.i = e + 2;
  return s;
}

function pushOne(lua: Lua, L: number, b: Buffer, p: { i: number }): void {
  lua.m._luaL_checkstack(L, 5, 0);
  const t = b[p.i];
  switch (t) {
    case 43: { // '+' status → {ok=...}
      const e = b.indexOf(13, p.i);
      lua.newTable(L);
      lua.pushBuf(L, b.subarray(p.i + 1, e));
      lua.setField(L, -2, 'ok');
      p.i = e + 2;
      return;
    }
    case 45: { // '-' error → {err=...}
      const e = b.indexOf(13, p.i);
      pushErrorBuff(lua, L, b.toString('utf8', p.i, e));
      p.i = e + 2;
      return;
    }
    case 58: { // ':' integer
      const s = line(b, p);
      const n = Number(s);
      lua.pushInteger(L, Number.isSafeInteger(n) ? n : BigInt(s));
      return;
    }
    case 36: { // '$' bulk
      const n = Number(line(b, p));
      if (n < 0) {
        lua.pushBool(L, false);
        return;
      }
      lua.pushBuf(L, b.subarray(p.i, p.i + n));
      p.i += n + 2;
      return;
    }
    case 42: // '*' array
    case 62: { // '>' push
      const n = Number(line(b, p));
      if (n < 0) {
        lua.pushBool(L, false);
        return;
      }
      lua.newTable(L, n, 0);
      for (let j = 1; j <= n; j++) {
        pushOne(lua, L, b, p);
        lua.rawSetI(L, -2, j);
      }
      return;
    }
    case 37: { // '%' map → {map={...}}
      const n = Number(line(b, p));
      lua.newTable(L);
      lua.newTable(L);
      for (let j = 0; j < n; j++) {
        pushOne(lua, L, b, p);
        pushOne(lua, L, b, p);
        lua.m._lua_settable(L, -3);
      }
      lua.setField(L, -2, 'map');
      return;
    }
    case 126: { // '~' set → {set={member=true}}
      const n = Number(line(b, p));
      lua.newTable(L);
      lua.newTable(L);
      for (let j = 0; j < n; j++) {
        pushOne(lua, L, b, p);
        lua.pushBool(L, true);
        lua.m._lua_settable(L, -3);
      }
      lua.setField(L, -2, 'set');
      return;
    }
    case 95: // '_' null → nil
      p.i += 3;
      lua.pushNil(L);
      return;
    case 35: { // '#' boolean
      const v = b[p.i + 1] === 116;
      p.i += 4;
      lua.pushBool(L, v);
      return;
    }
    case 44: { // ',' double → {double=n}
      const s = line(b, p);
      const d = s === 'inf' ? Infinity : s === '-inf' ? -Infinity : s === 'nan' ? NaN : Number(s);
      lua.newTable(L);
      lua.pushNumber(L, d);
      lua.setField(L, -2, 'double');
      return;
    }
    case 40: { // '(' big number
      const s = line(b, p);
      lua.newTable(L);
      lua.pushLatin1(L, s);
      lua.setField(L, -2, 'big_number');
      return;
    }
    case 61: { // '=' verbatim → {verbatim_string={format=, string=}}
      const n = Number(line(b, p));
      const body = b.subarray(p.i, p.i + n);
      p.i += n + 2;
      lua.newTable(L);
      lua.newTable(L);
      lua.pushBuf(L, body.subarray(4));
      lua.setField(L, -2, 'string');
      lua.pushBuf(L, body.subarray(0, 3));
      lua.setField(L, -2, 'format');
      lua.setField(L, -2, 'verbatim_string');
      return;
    }
    case 124: { // '|' attribute: skipped, then the value that follows
      const n = Number(line(b, p));
      const top = lua.top(L);
      for (let j = 0; j < 2 * n; j++) pushOne(lua, L, b, p);
      lua.setTop(L, top);
      pushOne(lua, L, b, p);
      return;
    }
  }
  throw new Error(`unexpected reply type ${String.fromCharCode(t)}`);
}

// ---- Lua → RESP ----------------------------------------------------------------

/** luaReplyToRedisReply: writes the value on top of L to w and pops it. */
function toReply(lua: Lua, L: number, w: ReplyWriter, scriptResp: 2 | 3): void {
  const t = lua.type(L, -1);
  if (lua.m._lua_checkstack(L, 4) === 0) {
    w.error('ERR reached lua stack limit');
    lua.pop(L, 1);
    return;
  }
  switch (t) {
    case T_STRING:
      w.bulk(lua.toBuf(L, -1)!);
      break;
    case T_BOOLEAN:
      if (scriptResp === 2) {
        if (lua.toBool(L, -1)) w.int(1);
        else w.nullBulk();
      } else w.bool(lua.toBool(L, -1));
      break;
    case T_NUMBER:
      w.int(lua.isInteger(L, -1) ? bigToNum(lua.toInteger(L, -1)) : replyInteger(lua.toNumber(L, -1)));
      break;
    case T_TABLE: {
      if (lua.rawGetField(L, -1, 'err') === T_STRING) {
        lua.pop(L, 1);
        const info = errorInfo(lua, L);
        w.error(info.msg);
        lua.pop(L, 1);
        return;
      }
      lua.pop(L, 1);
      if (lua.rawGetField(L, -1, 'ok') === T_STRING) {
        w.simple(lua.toBuf(L, -1)!.toString('latin1').replace(/[\r\n]/g, ' '));
        lua.pop(L, 2);
        return;
      }
      lua.pop(L, 1);
      if (lua.rawGetField(L, -1, 'double') === T_NUMBER) {
        w.double(lua.toNumber(L, -1));
        lua.pop(L, 2);
        return;
      }
      lua.pop(L, 1);
      if (lua.rawGetField(L, -1, 'big_number') === T_STRING) {
        const s = lua.toBuf(L, -1)!.toString('latin1').replace(/[\r\n]/g, ' ');
        if (w.proto === 3) w.raw(Buffer.from(`(${s}\r\n`, 'latin1'));
        else w.bulk(s);
        lua.pop(L, 2);
        return;
      }
      lua.pop(L, 1);
      if (lua.rawGetField(L, -1, 'verbatim_string') === T_TABLE) {
        if (lua.rawGetField(L, -1, 'format') === T_STRING) {
          const format = lua.toBuf(L, -1)!;
          if (lua.rawGetField(L, -2, 'string') === T_STRING) {
            const str = lua.toBuf(L, -1)!;
            if (w.proto === 3) {
              w.raw(Buffer.from(`=${str.length + 4}\r\n`, 'latin1'));
              w.raw(Buffer.concat([format.subarray(0, 3), Buffer.from(':'), str, Buffer.from('\r\n')]));
            } else w.bulk(str);
            lua.pop(L, 4);
            return;
          }
          lua.pop(L, 1);
        }
        lua.pop(L, 1);
      }
      lua.pop(L, 1);
      if (lua.rawGetField(L, -1, 'map') === T_TABLE) {
        const mark = w.mark();
        let n = 0;
        const body = new ReplyCollector(w);
        lua.pushNil(L);
        while (lua.next(L, -2)) {
          lua.pushValue(L, -2);
          toReply(lua, L, w, scriptResp);
          toReply(lua, L, w, scriptResp);
          n++;
        }
        body.header(mark, n, 'map');
        lua.pop(L, 2);
        return;
      }
      lua.pop(L, 1);
      if (lua.rawGetField(L, -1, 'set') === T_TABLE) {
        const mark = w.mark();
        let n = 0;
        const body = new ReplyCollector(w);
        lua.pushNil(L);
        while (lua.next(L, -2)) {
          lua.pop(L, 1);
          lua.pushValue(L, -1);
          toReply(lua, L, w, scriptResp);
          n++;
        }
        body.header(mark, n, 'set');
        lua.pop(L, 2);
        return;
      }
      lua.pop(L, 1);
      // An array: elements 1..n up to the first nil.
      const mark = w.mark();
      let n = 0;
      for (let j = 1; ; j++) {
        if (lua.rawGetI(L, -1, j) === T_NIL) {
          lua.pop(L, 1);
          break;
        }
        toReply(lua, L, w, scriptResp);
        n++;
      }
      w.insertArrayHeader(mark, n);
      break;
    }
    default:
      w.nullBulk();
  }
  lua.pop(L, 1);
}

function bigToNum(n: bigint): number | bigint {
  const v = Number(n);
  return Number.isSafeInteger(v) ? v : n;
}

/** Inserts a map/set header in front of elements already written (deferred length). */
class ReplyCollector {
  constructor(readonly w: ReplyWriter) {}
  header(mark: number, n: number, kind: 'map' | 'set'): void {
    const w = this.w;
    const tail = w.take();
    const body = tail.subarray(mark);
    const head = tail.subarray(0, mark);
    w.raw(head);
    if (kind === 'map') w.map(n);
    else w.set(n);
    w.raw(body);
  }
}

export { LUA_REGISTRYINDEX };
