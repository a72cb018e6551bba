/**
 * Shared by XDELEX and XACKDEL (Redis 8.2): the `[KEEPREF|DELREF|ACKED] IDS
 * numids id...` tail, its COMMAND DOCS arguments, and the per-ID deletion
 * under a reference policy.
 */
import type { ArgSpec } from '../../lib/command.js';
import { arg, block, oneof, token } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { idsBlockSpan, isKw, refPolicyArg } from './args.js';
import { RefPolicy } from '../../lib/stream/stream.js';
import type { StreamId } from '../../lib/stream/id.js';
import type { Stream } from '../../lib/stream/stream.js';

/** `KEEPREF | DELREF | ACKED` as COMMAND DOCS describes it (XADD and XTRIM mark it since 8.2.0). */
export function refPolicyArgument(extra: Partial<ArgSpec> = {}): ArgSpec {
  return oneof(
    'condition',
    [token('KEEPREF', { name: 'keepref' }), token('DELREF', { name: 'delref' }), token('ACKED', { name: 'acked' })],
    { optional: true, ...extra },
  );
}

export const idsArgument: ArgSpec = block('ids', [arg('numids', 'integer'), arg('id', 'string', { multiple: true })], { token: 'IDS' });

/**
 * Parses `[KEEPREF|DELREF|ACKED]` and `IDS numids id...` from argv[from] on,
 * in any order (the docs: "The IDS block can be at any position"), as Redis's
 * streamParseAckDelArgsOrReply: a numids above the arguments left is "The
 * `numids` parameter must match the number of arguments", an argument left
 * over after the IDs a syntax error, a second IDS block replaces the first.
 * The IDs themselves are not read here: the commands read them after looking
 * the key up (a missing key answers -1 per ID whatever they are), with
 * strictIdArgs(argv, first, n). Throws Redis's errors; changes nothing.
 */
export function parsePolicyAndIds(argv: Buffer[], from: number): { policy: RefPolicy; first: number; n: number } {
  let policy: RefPolicy | null = null;
  let span: { first: number; n: number } | null = null;
  for (let i = from; i < argv.length; ) {
    const p = refPolicyArg(argv[i]);
    if (p !== null && policy === null) {
      policy = p;
      i++;
    } else if (isKw(argv[i], 'ids') && i + 1 < argv.length) {
      span = idsBlockSpan(argv, i);
      i = span.first + span.n;
    } else {
      throw E.SYNTAX;
    }
  }
  if (span === null) throw E.IDS_REQUIRED;
  return { policy: policy ?? RefPolicy.KeepRef, first: span.first, n: span.n };
}

/** Per-ID reply codes (XDELEX, XACKDEL). */
export const NOT_FOUND = -1;
export const DELETED = 1;
export const STILL_REFERENCED = 2;

/**
 * Deletes one entry under a policy; returns the reply code and counts the
 * changes (deleted entries + removed PEL references) in `changes.n`.
 * DELREF removes dangling references even when the entry is gone. ACKED asks
 * about references before existence, as Redis's xdelexCommand does (can_delete
 * from streamEntryIsReferenced first): an ID some group could still be
 * delivered answers 2 even when no such entry exists.
 */
export function deleteWithPolicy(s: Stream, id: StreamId, policy: RefPolicy, changes: { n: number; deleted: number }): number {
  if (policy === RefPolicy.DelRef) changes.n += s.deleteRefs(id);
  if (policy === RefPolicy.Acked && s.isReferenced(id)) return STILL_REFERENCED;
  if (!s.log.has(id)) return NOT_FOUND;
  s.deleteIds([id]);
  changes.n++;
  changes.deleted++;
  return DELETED;
}
