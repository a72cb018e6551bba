/**
 * The dispatcher: looks a command up in the table and applies every
 * cross-cutting rule once — unknown command, arity, authentication, the
 * RESP2 Pub/Sub context, MULTI queueing, OOM and MISCONF refusal — then runs
 * the handler, records stats and propagates the effect.
 */
import type { Session } from './session.js';
import type { CommandQueue } from './queue.js';
import { arityOk, type CommandSpec, type CommandFlag } from '../command.js';
import * as E from '../errors.js';
import { ReplyError } from '../errors.js';
import { Proto } from '../resp/writer.js';
import { allowProtectedAction } from '../config.js';
import { HELD, REPLY_OFF, REPLY_SKIP } from './ops.js';

/** Commands whose reply is pushes (Redis's cmdHasPushAsReply): their own confirmations are never deferred. */
const PUSH_AS_REPLY = new Set(['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe']);
/** Commands run immediately even inside MULTI. */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);
/** Commands allowed in a RESP2 subscribed context. */
const PUBSUB_ALLOWED = new Set(['subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'ping', 'quit', 'reset']);

/**
 * Command names as clients spell them (`XADD`, `xadd`, `Xadd`) → lower case,
 * so the hot path skips a toLowerCase per call. Only spellings of existing
 * commands are kept, and only so many (a client cycling through casings
 * cannot grow it without bound).
 */
const lowerNames = new Map<string, string>();
const LOWER_NAMES_MAX = 1024;

export interface Resolved {
  readonly spec: CommandSpec;
  /** `get`, or `xgroup|create` for subcommands: the name used in stats and errors. */
  readonly fullName: string;
  /** The flags the dispatcher checks on every call, as bits (F_*), so it scans no flag list per command. */
  readonly bits: number;
}

const F_NO_AUTH = 1;
const F_DENYOOM = 2;
const F_WRITE = 4;
const F_ALLOW_BUSY = 8;
const F_NO_MULTI = 16;
const F_PING = 32;
const F_PUBSUB_ALLOWED = 64;
const F_MULTI_IMMEDIATE = 128;

/**
 * One Resolved per spec (and per subcommand spec), made on first use: the
 * hot path allocates nothing to resolve a command. Shared, so never mutated.
 */
const resolvedBySpec = new WeakMap<CommandSpec, Resolved>();

function resolvedFor(spec: CommandSpec, fullName: string): Resolved {
  let r = resolvedBySpec.get(spec);
  if (r === undefined || r.fullName !== fullName) {
    const f = spec.flags;
    const bits =
      (f.includes('no_auth') ? F_NO_AUTH : 0) |
      (f.includes('denyoom') ? F_DENYOOM : 0) |
      (f.includes('write') ? F_WRITE : 0) |
      (f.includes('allow_busy') ? F_ALLOW_BUSY : 0) |
      (f.includes('no_multi') ? F_NO_MULTI : 0) |
      (fullName === 'ping' ? F_PING : 0) |
      (PUBSUB_ALLOWED.has(fullName) ? F_PUBSUB_ALLOWED : 0) |
      (MULTI_IMMEDIATE.has(fullName) ? F_MULTI_IMMEDIATE : 0);
    r = { spec, fullName, bits };
    resolvedBySpec.set(spec, r);
  }
  return r;
}

/** Why a command could not be resolved. */
export class Refused {
  constructor(
    readonly error: ReplyError,
    /** The command the refusal is counted against in commandstats (wrong arity), or null (unknown command). */
    readonly command: string | null,
  ) {}
}

/**
 * Finds the spec for argv, checking existence and arity. Returns the spec or
 * the Refused reason.
 */
export function resolve(c: Session, argv: Buffer[]): Resolved | Refused {
  const raw = argv[0].toString('latin1');
  let name = lowerNames.get(raw);
  if (name === undefined) name = raw.toLowerCase();
  const spec = c.server.commands.get(name);
  if (spec && lowerNames.size < LOWER_NAMES_MAX) lowerNames.set(raw, name);
  if (!spec) {
    return new Refused(E.unknownCommand(argv[0].toString(), argv.slice(1).map((a) => a.toString())), null);
  }
  // The spec's own name, not the one typed: a command renamed by rename-command keeps its name in stats and errors, as in Redis.
  name = spec.name;
  if (spec.subcommands) {
    if (argv.length < 2) return spec.handler ? resolvedFor(spec, name) : new Refused(E.wrongArity(name), name);
    const subName = argv[1].toString('latin1').toLowerCase();
    const sub = spec.subcommands.find((s) => s.name === subName);
    if (!sub) return new Refused(E.unknownSubcommand(argv[1].toString(), name), null);
    const fullName = `${name}|${subName}`;
    if (!arityOk(sub.arity, argv.length)) return new Refused(E.wrongArity(fullName), fullName);
    return resolvedFor(sub, fullName);
  }
  if (!arityOk(spec.arity, argv.length)) return new Refused(E.wrongArity(name), name);
  return resolvedFor(spec, name);
}

/** Processes one command from the client's input. */
export function processCommand(c: Session, argv: Buffer[]): void {
  const server = c.server;
  const r = resolve(c, argv);
  if (r instanceof Refused) {
    reject(c, r.error, r.command);
    if (c.multi) c.multi.error = true;
    return;
  }
  const { spec, fullName, bits } = r;
  c.lastCommand = fullName;

  // Protected commands (DEBUG) right after existence and arity, as in Redis's processCommand.
  if (spec.protectedBy && !allowProtectedAction(server.config.get(spec.protectedBy), c.link === null ? undefined : c.link.remoteAddress)) {
    reject(c, E.protectedCommand(spec.protectedBy === 'enable-debug-command' ? 'DEBUG' : 'MODULE', spec.protectedBy), fullName);
    if (c.multi) c.multi.error = true;
    return;
  }

  if (!c.authenticated && (bits & F_NO_AUTH) === 0) {
    reject(c, E.NOAUTH, fullName);
    if (c.multi) c.multi.error = true;
    return;
  }
  // OOM and MISCONF come before the Pub/Sub context check and MULTI queueing, as in Redis's processCommand.
  const refusal =
    fullName === 'exec'
      ? refusalForExec(c, spec)
      : (bits & (F_DENYOOM | F_WRITE | F_PING)) !== 0
        ? server.refuseWrite((bits & F_DENYOOM) !== 0, (bits & F_WRITE) !== 0, (bits & F_PING) !== 0)
        : null;
  if (refusal) {
    reject(c, refusal, fullName);
    if (c.multi) c.multi.error = true;
    return;
  }
  if (c.proto === Proto.RESP2 && (bits & F_PUBSUB_ALLOWED) === 0 && c.isSubscribed) {
    reject(
      c,
      E.custom(
        `ERR Can't execute '${fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
      ),
      fullName,
    );
    return;
  }
  // A script is past busy-reply-threshold: only allow_busy commands run (Redis's processCommand).
  if (server.busyScript && (bits & F_ALLOW_BUSY) === 0) {
    reject(c, server.busyScript.isEval ? E.BUSY_EVAL : E.BUSY_FUNCTION, fullName);
    if (c.multi) c.multi.error = true;
    return;
  }
  // A MONITOR client may not touch the keyspace; CLIENT PAUSE postpones what it covers (lib/engine/ops.ts).
  if (c.monitoring || server.ops.paused !== 0) {
    const gate = server.ops.gate(c, spec, argv);
    if (gate === HELD) return;
    if (gate !== null) {
      reject(c, gate, fullName);
      if (c.multi) c.multi.error = true;
      return;
    }
  }
  if (c.multi && (bits & F_MULTI_IMMEDIATE) === 0) {
    if ((bits & F_NO_MULTI) !== 0) {
      reject(c, E.custom(`ERR Command not allowed inside a transaction`), fullName);
      c.multi.error = true;
      return;
    }
    c.multi.queue.push(spec, fullName, argv);
    c.reply.simple('QUEUED');
    return;
  }
  call(c, spec, fullName, argv);
  server.afterCommand();
}

/**
 * Why the server refuses EXEC now (OOM, MISCONF), or null: EXEC counts as
 * write/denyoom when a queued command is, as in Redis. Inside MULTI only
 * denyoom commands are refused, as in Redis 7.4 (7.0 refused every command
 * but EXEC/DISCARD/QUIT/RESET while queueing). Other commands are checked
 * from their flag bits in processCommand (nothing allocated per command).
 */
function refusalForExec(c: Session, spec: CommandSpec): ReplyError | null {
  const queue = c.multi?.queue;
  return c.server.refuseWrite(flagged(spec, queue, 'denyoom'), flagged(spec, queue, 'write'), false);
}

/** Whether the command, or for EXEC any queued command, has the flag. (A plain function: no closure per command.) */
function flagged(spec: CommandSpec, queue: CommandQueue | undefined, flag: CommandFlag): boolean {
  return spec.flags.includes(flag) || (queue !== undefined && queue.has(flag));
}

/** An arity error still counts as a rejected call of that command in INFO commandstats (Redis does so); unknown commands do not. */

/**
 * A command refused before it ran: counts as rejected_calls. A refused EXEC
 * (wrong arity, NOAUTH, OOM, MISCONF, Pub/Sub context) discards the
 * transaction and its WATCHes and names the reason, as Redis's
 * rejectCommand/execCommandAbort do — even outside MULTI.
 */
function reject(c: Session, err: ReplyError, fullName: string | null): void {
  if (fullName === 'exec') {
    c.multi = null;
    c.unwatchAll();
    const reason = err.message.startsWith('ERR ') ? err.message.slice(4) : err.message;
    err = E.custom(`EXECABORT Transaction discarded because of: ${reason}`);
  }
  c.reply.error(err.message);
  c.server.stats.recordError(err.code, fullName, true);
}

/**
 * Runs a handler (directly, or from EXEC). A ReplyError thrown by the handler
 * becomes an error reply, discarding anything the handler had half-written.
 */
export function call(c: Session, spec: CommandSpec, fullName: string, argv: Buffer[], priorUsec = 0): void {
  const server = c.server;
  const prevClient = server.executingClient;
  const prevPushReply = server.executingPushReply;
  server.executingClient = c;
  server.executingPushReply = PUSH_AS_REPLY.has(fullName);
  server.callDepth++;
  const mark = c.reply.mark();
  const dirtyBefore = server.dirty;
  const outer = server.enterCall();
  // What block() would re-run, kept as three fields (no object per command); nested calls restore the outer one.
  const outerSpec = c.runningSpec;
  const outerName = c.runningName;
  const outerArgv = c.runningArgv;
  c.runningSpec = spec;
  c.runningName = fullName;
  c.runningArgv = argv;
  const t0 = performance.now();
  let failed = false;
  try {
    spec.handler!(c, argv);
  } catch (err) {
    failed = true;
    c.reply.rewind(mark);
    if (err instanceof ReplyError) {
      c.reply.error(err.message);
      server.stats.recordError(err.code, fullName, false);
    } else {
      // A bug, not bad input: never let it reach the event loop.
      server.log('warning', `Internal error in '${fullName}': ${(err as Error)?.stack ?? err}`);
      c.reply.error(`ERR internal error while executing '${fullName}'`);
      server.stats.recordError('ERR', fullName, false);
    }
  }
  c.runningSpec = outerSpec;
  c.runningName = outerName;
  c.runningArgv = outerArgv;
  const usec = (performance.now() - t0) * 1000;
  // A command that blocked is counted once, when its block ends (served, timed out or unblocked), as in Redis 7.2+.
  if (c.blocked !== null && !failed) c.blocked.usec += usec;
  else {
    server.stats.recordCall(fullName, usec + priorUsec);
    // SLOWLOG and LATENCY (Infinity while both are off).
    if (usec + priorUsec >= server.ops.slowUsec) server.ops.slow(c, spec, argv, usec + priorUsec);
  }
  // MONITOR feed and client-side caching, only while someone monitors or tracks.
  if (server.ops.watching) server.ops.commandRan(c, spec, argv);
  server.exitCall(c, argv, server.dirty !== dirtyBefore && !failed, outer);
  server.executingClient = prevClient;
  server.executingPushReply = prevPushReply;
  // Pushes the command caused to its own client follow its reply (after EXEC's whole reply inside a transaction).
  // (Under CLIENT REPLY OFF/SKIP the engine appends them after dropping the reply: see Operations.executeSilenced.)
  if (--server.callDepth === 0 && c.deferredPushes && (c.replyControl & (REPLY_OFF | REPLY_SKIP)) === 0) {
    for (const frame of c.deferredPushes) c.reply.raw(frame);
    c.deferredPushes = null;
  }
}
