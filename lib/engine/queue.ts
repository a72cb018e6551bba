/**
 * The commands queued between MULTI and EXEC, held as bytes.
 *
 * Redis keeps each queued command's argv (a few dozen bytes of robj and sds
 * per argument); an argv of Buffers costs a JS object of ~100 bytes per
 * argument, so a MULTI with a million small commands held 3-4x Redis's memory.
 * Here every command's arguments are appended to one growing byte area:
 *
 *   [argc: u32] ([len: u32] [bytes...])*     per command, back to back
 *
 * with the command's spec and full name kept beside it, and the argv is
 * rebuilt when EXEC runs the command (one copy of that command's bytes, so an
 * argument a handler keeps holds only its own command's bytes). Whether any
 * queued command is `write`/`denyoom` is kept as it is queued (EXEC's OOM and
 * MISCONF checks are O(1)).
 *
 * A request kept packed (4096+ arguments, lib/resp/packed.ts) is queued as
 * its packed form: its bytes are already its own, and rebuilding it as
 * Buffers would make the object per argument packing avoids (an XADD of
 * 100,000 fields in a transaction).
 */
import type { CommandFlag, CommandSpec } from '../command.js';
import { packedArgv, packedOf, type PackedArgs } from '../resp/packed.js';

export interface QueuedCommand {
  spec: CommandSpec;
  /** Full name for stats (`xgroup|create`). */
  fullName: string;
  argv: Buffer[];
}

export class CommandQueue {
  private bytes: Buffer = Buffer.alloc(0);
  private used = 0;
  /** Start offset of each command's record in `bytes`. */
  private readonly starts: number[] = [];
  private readonly specs: CommandSpec[] = [];
  private readonly names: string[] = [];
  /** Queued requests kept packed, by their index in the queue (their byte record is empty: argc 0). */
  private readonly packed = new Map<number, PackedArgs>();
  private write = false;
  private denyoom = false;

  get length(): number {
    return this.starts.length;
  }

  /** Appends a command (its argument bytes are copied: argv may share memory with the read buffer). O(size of argv). */
  push(spec: CommandSpec, fullName: string, argv: readonly Buffer[]): void {
    const packed = packedOf(argv);
    if (packed !== null) {
      this.packed.set(this.starts.length, packed);
      argv = [];
    }
    let size = 4;
    for (const a of argv) size += 4 + a.length;
    this.reserve(size);
    const b = this.bytes;
    let p = this.used;
    this.starts.push(p);
    b.writeUInt32LE(argv.length, p);
    p += 4;
    for (const a of argv) {
      b.writeUInt32LE(a.length, p);
      p += 4;
      if (a.length < 32) for (let i = 0; i < a.length; i++) b[p + i] = a[i];
      else a.copy(b, p);
      p += a.length;
    }
    this.used = p;
    this.specs.push(spec);
    this.names.push(fullName);
    if (spec.flags.includes('write')) this.write = true;
    if (spec.flags.includes('denyoom')) this.denyoom = true;
  }

  /** Whether some queued command has the flag (`write` and `denyoom` are tracked; others are looked up). */
  has(flag: CommandFlag): boolean {
    if (flag === 'write') return this.write;
    if (flag === 'denyoom') return this.denyoom;
    return this.specs.some((s) => s.flags.includes(flag));
  }

  /** The queued commands in order, each argv rebuilt from its bytes. */
  *commands(): IterableIterator<QueuedCommand> {
    for (let i = 0; i < this.starts.length; i++) {
      const packed = this.packed.get(i);
      if (packed !== undefined) {
        yield { spec: this.specs[i], fullName: this.names[i], argv: packedArgv(packed) };
        continue;
      }
      const start = this.starts[i];
      const end = i + 1 < this.starts.length ? this.starts[i + 1] : this.used;
      const own = Buffer.from(this.bytes.subarray(start, end));
      const argc = own.readUInt32LE(0);
      const argv: Buffer[] = new Array(argc);
      let p = 4;
      for (let j = 0; j < argc; j++) {
        const len = own.readUInt32LE(p);
        p += 4;
        argv[j] = own.subarray(p, p + len);
        p += len;
      }
      yield { spec: this.specs[i], fullName: this.names[i], argv };
    }
  }

  private reserve(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    // Doubling up to 64 MB, then 64 MB steps: amortised O(1) per byte without doubling a huge queue's memory.
    const want = this.used + n;
    let cap = Math.max(256, this.bytes.length);
    while (cap < want) cap = cap < 64 << 20 ? cap * 2 : cap + (64 << 20);
    const next = Buffer.allocUnsafe(cap);
    this.bytes.copy(next, 0, 0, this.used);
    this.bytes = next;
  }
}
