/**
 * How a script's redis.call reaches the command table: the one file that
 * knows today's Client/dispatch shapes. A socket-less client (never flushed,
 * never listed) runs each command through dispatch's call(), and its reply
 * bytes are handed back for the engine to turn into Lua values — the same
 * way Redis runs scripts through a fake client and parses its output buffer.
 * When the engine's socket-less Session lands, this becomes a thin call into
 * engine.call(session, argv).
 *
 * The checks Redis's scriptCall() makes before running a command are here:
 * unknown command / wrong arity, `noscript` commands, writes from read-only
 * scripts, and (before the script's first write) MISCONF and OOM.
 */
import type { Session } from '../engine/session.js';
import type { Engine } from '../engine/engine.js';
import { call, resolve, Refused } from '../engine/dispatch.js';
import type { RunCtx } from './engine.js';
import * as E from '../errors.js';

export class ScriptBridge {
  private readonly client: Session;
  private opened = false;

  constructor(readonly server: Engine) {
    this.client = server.createSession('lua');
    // Blocking commands never block inside a script (they answer as on timeout).
    this.client.noBlock = true;
    // MONITOR shows its commands as [<db> lua].
    this.client.isScript = true;
  }

  /** Before a script runs for `caller`: its database, and one propagation unit for everything it writes. */
  begin(caller: Session): void {
    this.client.db = caller.db;
    // Effects replication: the script command itself is never logged, the commands it ran are, as one unit
    // that stays open while the script runs in slices (busy-reply-threshold).
    this.server.suppressPropagation();
    this.server.beginUnit();
    this.opened = true;
  }

  /** After the script: its effects reach the AOF as one unit (MULTI/EXEC when more than one command). */
  end(_caller: Session): void {
    if (this.opened) this.server.endUnit();
    this.opened = false;
  }

  /** Runs one command for a script: its reply bytes, or the refusal text. */
  call(ctx: RunCtx, argv: Buffer[]): Buffer | string {
    const server = this.server;
    const sc = this.client;
    sc.reply.proto = ctx.resp;
    const r = resolve(sc, argv);
    if (r instanceof Refused) {
      server.stats.recordError('ERR', r.command, true);
      return r.command === null ? 'Unknown Redis command called from script' : 'Wrong number of args calling Redis command from script';
    }
    const { spec, fullName } = r;
    const flags = spec.flags;
    const refuse = (msg: string, code = 'ERR'): string => {
      server.stats.recordError(code, fullName, true);
      return msg;
    };
    if (flags.includes('noscript')) return refuse('This Redis command is not allowed from script');
    const write = flags.includes('write');
    if (ctx.readOnly && (write || flags.includes('may_replicate'))) return refuse('Write commands are not allowed from read-only scripts.');
    if (write && !ctx.writeDirty) {
      const err = server.aof?.writeError() ?? null;
      if (err) return refuse('-' + err.message, err.code);
    }
    if (!ctx.allowOom && !ctx.writeDirty && flags.includes('denyoom')) {
      const maxmemory = server.config.int('maxmemory');
      if (maxmemory > 0 && server.usedMemory() > maxmemory) return refuse('-' + E.OOM.message, 'OOM');
    }
    if (write) ctx.writeDirty = true;
    sc.lastCommand = fullName;
    call(sc, spec, fullName, argv);
    return sc.reply.take();
  }

  /** Whether argv names a command (redis.acl_check_cmd). */
  commandExists(argv: Buffer[]): boolean {
    return !(resolve(this.client, argv) instanceof Refused);
  }
}
