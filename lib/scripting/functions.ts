/**
 * Redis 7 functions: libraries loaded with FUNCTION LOAD, each registering
 * named functions (with flags and a description) through
 * redis.register_function while its code runs once (functions.c,
 * function_lua.c). Libraries are replaced or dropped as a whole; a load
 * either fully succeeds or changes nothing.
 */
import type { LuaEngine } from './engine.js';
import { T_FUNCTION, T_NIL, T_TABLE, LuaRaise } from './lua.js';
import { FLAG_NAMES, noFlags, type ScriptFlags } from './flags.js';

export interface FunctionInfo {
  name: string;
  ref: number;
  description: string | null;
  flags: ScriptFlags;
  /** Flag names as declared (FUNCTION LIST shows Redis's canonical spelling). */
  flagNames: string[];
  library: Library;
}

export interface Library {
  name: string;
  engine: string;
  code: Buffer;
  functions: Map<string, FunctionInfo>;
}

const NAME_RE = /^[A-Za-z0-9_]+$/;

/** Parses `#!lua name=mylib` (functionExtractLibMetaData); returns engine and name, or throws the message. */
export function libraryMetadata(code: Buffer): { engine: string; name: string } {
  if (code[0] !== 35 || code[1] !== 33) throw new Error('Missing library metadata');
  const nl = code.indexOf(10);
  if (nl < 0) throw new Error('Invalid library metadata');
  const parts = code.toString('latin1', 0, nl).split(/[ \t\r]+/).filter(Boolean);
  if (parts.length === 0) throw new Error('Invalid library metadata');
  const engine = parts[0].slice(2);
  let name: string | null = null;
  for (const p of parts.slice(1)) {
    if (p.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) throw new Error('Invalid metadata value, name argument was given multiple times');
      name = p.slice(5);
      continue;
    }
    throw new Error(`Invalid metadata value given: ${p}`);
  }
  if (name === null) throw new Error('Library name was not given');
  return { engine, name };
}

export class FunctionRegistry {
  readonly libraries = new Map<string, Library>();
  readonly functions = new Map<string, FunctionInfo>();

  /** The engine is created on first use (see Scripting): only a load needs it. */
  constructor(private readonly engineOf: () => LuaEngine) {}

  get engine(): LuaEngine {
    return this.engineOf();
  }

  functionCount(): number {
    return this.functions.size;
  }

  memory(): number {
    let n = 0;
    for (const l of this.libraries.values()) n += l.code.length + 64 * (l.functions.size + 1);
    return n;
  }

  /**
   * FUNCTION LOAD: compiles and runs the library, then installs it
   * (replacing a library of the same name only with `replace`). Returns
   * the library name; throws an Error whose message is Redis's (without
   * the ERR code).
   */
  load(code: Buffer, replace: boolean, timeoutMs = 500): string {
    const md = libraryMetadata(code);
    if (!NAME_RE.test(md.name)) {
      throw new Error('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long');
    }
    if (md.engine.toUpperCase() !== 'LUA') throw new Error(`Engine '${md.engine}' not found`);
    const old = this.libraries.get(md.name);
    if (old && !replace) throw new Error(`Library '${md.name}' already exists`);
    const lib: Library = { name: md.name, engine: 'LUA', code, functions: new Map() };
    const eng = this.engine;
    const lua = eng.lua;
    const err = eng.loadLibrary(code, (L) => this.register(L, lib), timeoutMs);
    const dispose = (): void => {
      for (const f of lib.functions.values()) eng.release(f.ref);
    };
    if (err !== null) {
      dispose();
      throw new Error(err);
    }
    if (lib.functions.size === 0) throw new Error('No functions registered');
    for (const f of lib.functions.keys()) {
      const existing = this.functions.get(f);
      if (existing && existing.library !== old) {
        dispose();
        throw new Error(`Function ${f} already exists`);
      }
    }
    if (old) this.drop(old);
    this.libraries.set(lib.name, lib);
    for (const f of lib.functions.values()) this.functions.set(f.name, f);
    void lua;
    return lib.name;
  }

  /** redis.register_function(name, fn) or redis.register_function{function_name=, callback=, flags=, description=}. */
  private register(L: number, lib: Library): void {
    const eng = this.engine;
    const lua = eng.lua;
    const fail = (msg: string): never => {
      lua.newTable(L);
      lua.pushStr(L, `ERR ${msg}`);
      lua.setField(L, -2, 'err');
      throw new LuaRaise(null, true);
    };
    const argc = lua.top(L);
    if (argc < 1 || argc > 2) fail('wrong number of arguments to redis.register_function');
    let name: string | null = null;
    let desc: string | null = null;
    let ref = 0;
    let flags = noFlags(false);
    const flagNames: string[] = [];
    const release = (): void => {
      if (ref) eng.release(ref);
      ref = 0;
    };
    if (argc === 1) {
      if (lua.type(L, 1) !== T_TABLE) fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).');
      lua.pushNil(L);
      while (lua.next(L, 1)) {
        if (!lua.isString(L, -2)) {
          release();
          fail('named argument key given to redis.register_function is not a string');
        }
        const key = lua.toStr(L, -2)!.toLowerCase();
        if (key === 'function_name') {
          if (!lua.isString(L, -1)) { release(); fail('function_name argument given to redis.register_function must be a string'); }
          name = lua.toStr(L, -1);
        } else if (key === 'description') {
          if (!lua.isString(L, -1)) { release(); fail('description argument given to redis.register_function must be a string'); }
          desc = lua.toStr(L, -1);
        } else if (key === 'callback') {
          if (lua.type(L, -1) !== T_FUNCTION) { release(); fail('callback argument given to redis.register_function must be a function'); }
          lua.pushValue(L, -1);
          release();
          ref = lua.ref(L);
        } else if (key === 'flags') {
          if (lua.type(L, -1) !== T_TABLE) { release(); fail('flags argument to redis.register_function must be a table representing function flags'); }
          flags = noFlags(false);
          for (let j = 1; ; j++) {
            const t = lua.rawGetI(L, -1, j);
            if (t === T_NIL) { lua.pop(L, 1); break; }
            const s = lua.isString(L, -1) ? lua.toStr(L, -1)!.toLowerCase() : null;
            lua.pop(L, 1);
            const known = s === null ? undefined : FLAG_NAMES.find(([, n]) => n === s);
            if (!known) { release(); fail('unknown flag given'); }
            flags[known![0]] = true;
            flagNames.push(known![1]);
          }
        } else {
          release();
          fail('unknown argument given to redis.register_function');
        }
        lua.pop(L, 1);
      }
      if (name === null) { release(); fail('redis.register_function must get a function name argument'); }
      if (!ref) fail('redis.register_function must get a callback argument');
    } else {
      if (!lua.isString(L, 1)) fail('first argument to redis.register_function must be a string');
      if (lua.type(L, 2) !== T_FUNCTION) fail('second argument to redis.register_function must be a function');
      name = lua.toStr(L, 1);
      lua.pushValue(L, 2);
      ref = lua.ref(L);
    }
    if (!NAME_RE.test(name!)) {
      release();
      fail('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long');
    }
    if (lib.functions.has(name!)) {
      release();
      fail('Function already exists in the library');
    }
    lib.functions.set(name!, { name: name!, ref, description: desc, flags, flagNames: FLAG_NAMES.filter(([k]) => flags[k]).map(([, n]) => n), library: lib });
  }

  private drop(lib: Library): void {
    for (const f of lib.functions.values()) {
      this.functions.delete(f.name);
      this.engine.release(f.ref);
    }
    this.libraries.delete(lib.name);
  }

  /**
   * FUNCTION RESTORE: flush (drop everything first), append (a library name
   * collision aborts before anything changes) or replace.
   */
  restore(codes: Buffer[], policy: 'flush' | 'append' | 'replace'): void {
    if (policy === 'append') {
      for (const code of codes) {
        const { name } = libraryMetadata(code);
        if (this.libraries.has(name)) throw new Error(`Library ${name} already exists`);
      }
    }
    if (policy === 'flush') this.flush();
    const added: string[] = [];
    try {
      for (const code of codes) added.push(this.load(code, policy === 'replace'));
    } catch (err) {
      if (policy !== 'replace') for (const n of added) this.delete(n);
      throw err;
    }
  }

  delete(name: string): boolean {
    const lib = this.libraries.get(name);
    if (!lib) return false;
    this.drop(lib);
    return true;
  }

  flush(): void {
    if (this.libraries.size === 0) return;
    for (const lib of [...this.libraries.values()]) this.drop(lib);
    this.engine.gc();
  }
}
