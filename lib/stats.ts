/** Counters behind INFO stats, commandstats and errorstats. */

export interface CommandStat {
  calls: number;
  usec: number;
  rejected: number;
  failed: number;
}

export class Stats {
  commandsProcessed = 0;
  connectionsReceived = 0;
  rejectedConnections = 0;
  expiredKeys = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  protocolErrors = 0;
  totalErrorReplies = 0;
  /** Per command (`xgroup|create` for subcommands). */
  readonly commands = new Map<string, CommandStat>();
  /** Per error code (`ERR`, `NOGROUP`, ...). */
  readonly errors = new Map<string, number>();

  private stat(name: string): CommandStat {
    let s = this.commands.get(name);
    if (!s) this.commands.set(name, (s = { calls: 0, usec: 0, rejected: 0, failed: 0 }));
    return s;
  }

  recordCall(name: string, usec: number): void {
    const s = this.stat(name);
    s.calls++;
    s.usec += usec;
  }

  /** An error reply; `rejected` when the command never ran (arity, auth, OOM...), else it failed while running. */
  recordError(code: string, command: string | null, rejected: boolean): void {
    this.totalErrorReplies++;
    // Redis caps distinct error codes at 128 to bound memory.
    if (this.errors.has(code) || this.errors.size < 128) this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
    if (command === null) return;
    const s = this.stat(command);
    if (rejected) s.rejected++;
    else s.failed++;
  }

  reset(): void {
    this.commandsProcessed = 0;
    this.connectionsReceived = 0;
    this.rejectedConnections = 0;
    this.expiredKeys = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.totalErrorReplies = 0;
    this.commands.clear();
    this.errors.clear();
  }
}
