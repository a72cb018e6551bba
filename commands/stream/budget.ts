/**
 * MAXCOUNT / MAXSIZE (Redis 8.10): limits on a whole XREAD/XREADGROUP reply,
 * across all its streams, where COUNT limits each stream. Streams are served
 * in the caller's order; once the budget is spent the remaining streams are
 * skipped. MAXSIZE is a soft cap on the reply's bytes: an entry that would
 * push the total past it is left out — unless it is the first entry of the
 * reply, so a reader always makes progress.
 *
 * Invariant: `entriesLeft` and `bytesLeft` only decrease; Infinity means the
 * option was not given.
 */
import { type StreamId, formatId } from '../../lib/stream/id.js';

export class ReadBudget {
  private entriesLeft: number;
  private bytesLeft: number;
  private taken = 0;

  constructor(maxCount: number, maxSize: number) {
    this.entriesLeft = maxCount > 0 ? maxCount : Infinity;
    this.bytesLeft = maxSize > 0 ? maxSize : Infinity;
  }

  /** True when no option limits anything (the 7.x behaviour). */
  get unlimited(): boolean {
    return this.entriesLeft === Infinity && this.bytesLeft === Infinity;
  }

  /** Nothing more may be added: skip the remaining streams. */
  get spent(): boolean {
    return this.entriesLeft <= 0 || (this.bytesLeft <= 0 && this.taken > 0);
  }

  /** How many entries the next stream may return, given its COUNT (0 = no limit); 0 = no limit. */
  perStream(count: number): number {
    if (this.entriesLeft === Infinity) return count;
    return count > 0 ? Math.min(count, this.entriesLeft) : this.entriesLeft;
  }

  /** Takes one entry of `bytes` reply bytes if the budget allows; false (nothing taken) when it does not. */
  admit(bytes: number): boolean {
    if (this.entriesLeft <= 0) return false;
    if (this.taken > 0 && bytes > this.bytesLeft) {
      this.bytesLeft = 0; // soft cap reached: stop here, as Redis does
      return false;
    }
    this.entriesLeft--;
    this.bytesLeft -= bytes;
    this.taken++;
    return true;
  }
}

/** The bytes an entry takes in a RESP reply: `*2`, its ID, `*n` and each field and value as bulk strings. */
export function entryReplyBytes(id: StreamId, fields: Buffer[] | null): number {
  let n = 4 + bulkBytes(formatId(id).length);
  if (fields === null) return n + 5;
  n += 3 + digits(fields.length);
  for (let i = 0; i < fields.length; i++) n += bulkBytes(fields[i].length);
  return n;
}

function bulkBytes(len: number): number {
  return 5 + digits(len) + len;
}

function digits(n: number): number {
  return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : String(n).length;
}
