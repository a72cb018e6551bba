/**
 * Scripting: the EVAL script cache, FUNCTION libraries, and the run loop
 * that keeps a script atomic while still answering other clients.
 *
 * A script runs synchronously until it ends or passes busy-reply-threshold.
 * Past it, the count hook yields the script's coroutine; the server then
 * marks itself busy (every command without the allow_busy flag gets
 * `BUSY ...`), suspends the caller's input, and resumes the script slice by
 * slice on later event-loop turns, so its socket and everyone else's keep
 * being served. Nothing else touches the data meanwhile, so the script is
 * still atomic; SCRIPT KILL / FUNCTION KILL / SHUTDOWN NOSAVE get through.
 * Scripts run inside EXEC or while loading never yield.
 *
 * Registered as a plugin in lib/plugins.ts (before persistence, so that the
 * Lua states exist when the AOF's FUNCTION LOAD records are replayed).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { Session } from '../engine/session.js';
import { Lua } from './lua.js';
import { LuaEngine, type RunCtx, type Run, type ScriptHost } from './engine.js';
import { ScriptBridge } from './bridge.js';
import * as E from '../errors.js';
import type { ReplyError } from '../errors.js';
import { FunctionRegistry } from './functions.js';
import { rewritePreambles } from '../persistence/aof.js';
import { functionsHooks } from '../persistence/rdb.js';
import { encodeCommand } from '../persistence/resp.js';
import { parseShebang, type ScriptFlags, type CachedScript } from './flags.js';

export { parseShebang, noFlags, FLAG_NAMES, type ScriptFlags, type CachedScript } from './flags.js';

export function sha1hex(b: Buffer): string {
  return crypto.createHash('sha1').update(b).digest('hex');
}

interface Running {
  /** The command that started it (FUNCTION STATS). */
  argv: Buffer[];
  run: Run;
  caller: Session;
  isEval: boolean;
}

export class Scripting {
  /** The WebAssembly Lua, loaded in the background at start (null until then). */
  lua: Lua | null = null;
  private evalState: LuaEngine | null = null;
  private fnState: LuaEngine | null = null;
  /** Commands that needed Lua before it was loaded: re-run once it is. */
  private deferred: { c: Session; argv: Buffer[] }[] = [];
  private loading: Promise<void> | null = null;
  readonly bridge: ScriptBridge;
  readonly scripts = new Map<string, CachedScript>();
  /** Bytes of script bodies held (used_memory_scripts_eval). */
  scriptsMemory = 0;
  readonly functions = new FunctionRegistry(() => this.fnEngine);
  /** The script that yielded and is being resumed slice by slice, or null. */
  running: Running | null = null;
  private stopped = false;

  constructor(readonly server: Engine) {
    this.bridge = new ScriptBridge(server);
  }

  /** Function libraries a loaded RDB held, installed as soon as Lua is loaded (which they start). */
  private pendingLibraries: Buffer[] | null = null;
  /** Why the last deferred library install failed (settleLibraries() reports it once). */
  private libraryError: Error | null = null;

  /** Resolves once deferred libraries are installed; rejects with why they could not be. */
  async settleLibraries(): Promise<void> {
    if (this.pendingLibraries !== null) await this.load();
    const err = this.libraryError;
    this.libraryError = null;
    if (err) throw err;
  }

  /** Installs the function libraries of a loaded RDB (same-named ones replaced); deferred until Lua is loaded. */
  restoreLibraries(codes: Buffer[]): void {
    if (this.lua) {
      this.functions.restore(codes, 'replace');
      return;
    }
    this.pendingLibraries = [...(this.pendingLibraries ?? []), ...codes];
    void this.load();
  }

  /** The code of every function library, including ones still waiting for Lua (what a snapshot saves). */
  libraryCodes(): Buffer[] {
    return [...[...this.functions.libraries.values()].map((l) => l.code), ...(this.pendingLibraries ?? [])];
  }

  /**
   * Loads the WebAssembly Lua only when something needs it: at start when
   * there is an AOF to replay (it may hold FUNCTION LOAD records), otherwise
   * on the first command that runs or loads a script (see ready()). A start
   * without scripts never pays for wasmoon: its load and compile cost more
   * than the rest of start-up, and its memory stays resident.
   */
  async start(): Promise<void> {
    const cfg = this.server.config;
    const aofDir = path.join(cfg.get('dir') || '.', cfg.get('appenddirname'));
    if (cfg.bool('appendonly') && fs.existsSync(aofDir)) await this.load();
  }

  /** Starts loading Lua (once); resolves when it is loaded. Commands that waited for it are re-run then. */
  private load(): Promise<void> {
    this.loading ??= Lua.load().then((lua) => {
      this.lua = lua;
      if (this.pendingLibraries !== null) {
        const codes = this.pendingLibraries;
        this.pendingLibraries = null;
        try {
          this.functions.restore(codes, 'replace');
        } catch (err) {
          // At start settleLibraries() turns this into a refused start; later (DEBUG RELOAD
          // before any script ran) it is logged as Redis logs it.
          this.libraryError = err as Error;
          this.server.log('warning', `Failed loading library, ${(err as Error).message}`);
        }
      }
      if (this.stopped) return;
      const waiting = this.deferred;
      this.deferred = [];
      for (const { c, argv } of waiting) {
        c.scriptSuspended = false;
        if (c.closing) continue;
        this.server.execute(c, argv);
        c.scheduleResume();
      }
    });
    return this.loading;
  }

  /**
   * Whether Lua is loaded; if not, starts loading it, holds the client's
   * input and re-runs this command once it is (the caller returns without
   * replying).
   */
  ready(c: Session, argv: Buffer[]): boolean {
    if (this.lua) return true;
    c.scriptSuspended = true;
    this.deferred.push({ c, argv });
    void this.load().catch((err: unknown) => this.loadFailed(err));
    return false;
  }

  /** Lua could not be loaded: every waiting command gets an error instead of hanging. */
  private loadFailed(err: unknown): void {
    this.loading = null;
    this.server.log('warning', `Could not load the Lua engine: ${(err as Error)?.message ?? err}`);
    const waiting = this.deferred;
    this.deferred = [];
    for (const { c } of waiting) {
      c.scriptSuspended = false;
      if (c.closing) continue;
      c.reply.error(E.LUA_NOT_LOADED.message);
      c.flush();
      c.scheduleResume();
    }
  }

  private host(): ScriptHost {
    return {
      call: (ctx: RunCtx, argv: Buffer[]) => this.bridge.call(ctx, argv),
      log: (level: number, msg: string) => this.server.log((['debug', 'verbose', 'notice', 'warning'] as const)[level], msg),
      commandExists: (argv: Buffer[]) => this.bridge.commandExists(argv),
    };
  }

  /** The EVAL Lua state, created on first use. */
  get evalEngine(): LuaEngine {
    if (!this.lua) throw new Error('Lua is not loaded yet');
    return (this.evalState ??= new LuaEngine(this.lua, 'eval', this.host()));
  }

  /** The FUNCTION Lua state, created on first use. */
  get fnEngine(): LuaEngine {
    if (!this.lua) throw new Error('Lua is not loaded yet');
    return (this.fnState ??= new LuaEngine(this.lua, 'function', this.host()));
  }

  stop(): void {
    this.stopped = true;
  }

  // ---- the EVAL cache ------------------------------------------------------------
  /** Compiles and caches a script body (or returns the cached one); throws the compile/shebang error. */
  loadScript(body: Buffer): { sha: string; script: CachedScript } {
    const sha = sha1hex(body);
    const hit = this.scripts.get(sha);
    if (hit) return { sha, script: hit };
    const { flags, skip } = parseShebang(body);
    // The shebang line is skipped but its line feed kept, so line numbers stay the user's.
    const r = this.evalEngine.compile(body.subarray(skip), '@user_script');
    if ('error' in r) throw E.scriptCompile(r.error);
    const script = { body, ref: r.ref, flags };
    this.scripts.set(sha, script);
    this.scriptsMemory += body.length + 40;
    return { sha, script };
  }

  flushScripts(): void {
    if (this.scripts.size === 0) return;
    for (const s of this.scripts.values()) this.evalEngine.release(s.ref);
    this.scripts.clear();
    this.scriptsMemory = 0;
    this.evalEngine.gc();
  }

  // ---- running -------------------------------------------------------------------
  /**
   * The checks Redis's scriptPrepareForRun makes for scripts that declared
   * flags: MISCONF and *_RO for scripts that may write, OOM without allow-oom.
   */
  prepare(flags: ScriptFlags, ro: boolean): ReplyError | null {
    if (flags.compat) return null;
    if (!flags.noWrites) {
      const err = this.server.aof?.writeError() ?? null;
      if (err) return E.scriptMisconf(err.message.replace(/^MISCONF Errors writing to the AOF file: /, ''));
      if (ro) return E.SCRIPT_RO_WRITE;
    }
    if (!flags.allowOom && !flags.noWrites) {
      const maxmemory = this.server.config.int('maxmemory');
      if (maxmemory > 0 && this.server.usedMemory() > maxmemory) return E.SCRIPT_OOM;
    }
    return null;
  }

  /**
   * Runs a compiled function for client c and writes its reply to c.reply,
   * now or — if the script outlives busy-reply-threshold — when it ends.
   */
  run(c: Session, engine: LuaEngine, ref: number, keys: Buffer[], args: Buffer[], opts: { funcname: string; flags: ScriptFlags; ro: boolean; isEval: boolean; argv: Buffer[] }): void {
    const server = this.server;
    const threshold = server.config.int('busy-reply-threshold');
    const ctx: RunCtx = {
      funcname: opts.funcname,
      resp: 2,
      readOnly: opts.ro || (!opts.flags.compat && opts.flags.noWrites),
      allowOom: !opts.flags.compat && (opts.flags.allowOom || opts.flags.noWrites),
      writeDirty: false,
      killed: false,
      isEval: opts.isEval,
      start: Date.now(),
      mayYield: !c.inExec && !server.loading && c.id !== 0,
      busyAfter: threshold,
    };
    this.bridge.begin(c);
    let run: Run;
    try {
      run = engine.start(ref, keys, args, ctx);
    } catch (err) {
      this.bridge.end(c);
      throw err;
    }
    if (run.finished) {
      this.finish(c, run);
      return;
    }
    // Busy: answer others with BUSY, hold this client's input, go on in slices.
    this.running = { run, caller: c, isEval: opts.isEval, argv: opts.argv };
    server.busyScript = { isEval: opts.isEval };
    c.scriptSuspended = true;
    this.server.log('warning', `Slow script detected: still in execution after ${Date.now() - ctx.start} milliseconds. You can try killing the script using the ${opts.isEval ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${opts.funcname}.`);
    setImmediate(() => this.slice());
  }

  private slice(): void {
    const r = this.running;
    if (!r) return;
    if (this.stopped) {
      this.running = null;
      this.server.busyScript = null;
      return;
    }
    r.run.step();
    if (!r.run.finished) {
      setImmediate(() => this.slice());
      return;
    }
    this.running = null;
    this.server.busyScript = null;
    r.caller.scriptSuspended = false;
    this.finish(r.caller, r.run);
    this.server.afterCommand();
    r.caller.scheduleResume();
  }

  private finish(c: Session, run: Run): void {
    run.reply(c.reply);
    this.bridge.end(c);
  }

  /** SCRIPT KILL (isEval) / FUNCTION KILL. */
  kill(isEval: boolean): void {
    const r = this.running;
    if (!r) throw E.NOTBUSY;
    if (r.run.ctx.writeDirty) throw E.UNKILLABLE;
    if (isEval && !r.isEval) throw E.BUSY_FUNCTION;
    if (!isEval && r.isEval) throw E.BUSY_EVAL;
    r.run.ctx.killed = true;
  }

  /** INFO memory fields. */
  info(): [string, string | number][] {
    // An unused state is reported at Redis's figures for an empty one.
    const lua = this.evalState ? this.evalState.memory() : 31744;
    const fn = this.fnState ? this.fnState.memory() : 32768;
    const fnMem = this.functions.memory();
    return [
      ['used_memory_lua', lua],
      ['used_memory_vm_eval', lua],
      ['used_memory_lua_human', human(lua)],
      ['used_memory_scripts_eval', this.scriptsMemory],
      ['number_of_cached_scripts', this.scripts.size],
      ['number_of_functions', this.functions.functionCount()],
      ['number_of_libraries', this.functions.libraries.size],
      ['used_memory_vm_functions', fn],
      ['used_memory_vm_total', lua + fn],
      ['used_memory_vm_total_human', human(lua + fn)],
      ['used_memory_functions', fnMem],
      ['used_memory_scripts', this.scriptsMemory + fnMem],
      ['used_memory_scripts_human', human(this.scriptsMemory + fnMem)],
    ];
  }
}

function human(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(2)}K`;
  return `${(n / 1024 / 1024).toFixed(2)}M`;
}

const registry = new WeakMap<Engine, Scripting>();

export function scriptingOf(server: Engine): Scripting {
  let s = registry.get(server);
  if (!s) {
    s = new Scripting(server);
    registry.set(server, s);
  }
  return s;
}

let preambleRegistered = false;

export function installScripting(server: Engine): void {
  const s = scriptingOf(server);
  if (!preambleRegistered) {
    preambleRegistered = true;
    rewritePreambles.push((srv) => {
      const fns = registry.get(srv)?.functions;
      if (!fns) return [];
      return [...fns.libraries.values()].map((l) => encodeCommand([Buffer.from('FUNCTION'), Buffer.from('LOAD'), l.code]));
    });
    functionsHooks.push({
      codes: (srv) => registry.get(srv)?.libraryCodes() ?? [],
      // A loaded snapshot's libraries replace same-named ones (DEBUG RELOAD of a file holding the libraries in memory).
      load: (srv, codes) => scriptingOf(srv).restoreLibraries(codes),
      settle: (srv) => scriptingOf(srv).settleLibraries(),
    });
  }
  server.plugins.push({ start: () => s.start(), stop: () => s.stop() });
  // lua-time-limit is Redis's old name of busy-reply-threshold: keep the two in step.
  server.config.onChange((name, value) => {
    const other = name === 'lua-time-limit' ? 'busy-reply-threshold' : name === 'busy-reply-threshold' ? 'lua-time-limit' : null;
    if (other !== null && server.config.get(other) !== value) server.config.apply(other, [value]);
  });
  const extras = server.infoExtras.get('memory') ?? [];
  extras.push(() => s.info());
  server.infoExtras.set('memory', extras);
}
