/**
 * Consumer groups: last-delivered ID, entries-read, the group's pending
 * entries list (PEL) and its consumers. (Skeleton: the consumer-group work
 * fills this in.)
 */
import { type StreamId, MIN_ID } from './id.js';

export class ConsumerGroup {
  constructor(
    readonly name: string,
    public lastId: StreamId = MIN_ID,
    /** Entries read by the group so far, or -1 when unknown (Redis's SCG_INVALID_ENTRIES_READ). */
    public entriesRead = -1,
  ) {}

  memoryUsage(): number {
    return 64;
  }

  clone(): ConsumerGroup {
    return new ConsumerGroup(this.name, this.lastId, this.entriesRead);
  }
}
