/**
 * Redis 8.2 reference policies: XDELEX, XACKDEL and KEEPREF|DELREF|ACKED on
 * XADD/XTRIM trimming. Debian's redis-server 7.0 has none of this, so there is
 * no oracle: each test names the documented behaviour it checks (redis.io
 * command pages XDELEX, XACKDEL, XADD; see /work/notes/redis8-facts.md).
 */
import { expect } from 'chai';
import type { Reply } from '../../../helpers.js';
import { useStreamRaw } from '../fixture.js';

const err = (r: Reply): string => (r as Error).message;

describe('Redis 8.2 reference policies (XDELEX, XACKDEL, KEEPREF|DELREF|ACKED)', () => {
  const fx = useStreamRaw();
  /** s: 1-0..5-0; group g1 read 1-0..3-0 by alice (pending); group g2 read everything and acked 1-0, 2-0. */
  beforeEach(async () => {
    await fx.c.call('FLUSHALL');
    for (let i = 1; i <= 5; i++) await fx.c.call('XADD', 's', `${i}-0`, 'f', `v${i}`);
    await fx.c.call('XGROUP', 'CREATE', 's', 'g1', '0');
    await fx.c.call('XGROUP', 'CREATE', 's', 'g2', '0');
    await fx.c.call('XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '3', 'STREAMS', 's', '>');
    await fx.c.call('XREADGROUP', 'GROUP', 'g2', 'bob', 'STREAMS', 's', '>');
    await fx.c.call('XACK', 's', 'g2', '1-0', '2-0');
    fx.cap.reset();
  });

  const pendingIds = async (group: string): Promise<string[]> =>
    ((await fx.c.call('XPENDING', 's', group, '-', '+', '100')) as string[][]).map((e) => e[0]);

  describe('XDELEX', () => {
    it('KEEPREF (the default) deletes entries and leaves the PEL references dangling, like XDEL', async () => {
      expect(await fx.c.call('XDELEX', 's', 'IDS', '2', '1-0', '9-0')).to.deep.equal([1, -1]);
      expect(await fx.c.call('XDELEX', 's', 'KEEPREF', 'IDS', '1', '2-0')).to.deep.equal([1]);
      expect(await fx.c.call('XLEN', 's')).to.equal(3);
      expect(await pendingIds('g1')).to.deep.equal(['1-0', '2-0', '3-0']);
      expect(fx.cap.events).to.deep.equal(['t:xdel:s', 't:xdel:s']);
      expect(fx.cap.aof).to.deep.equal([
        ['XDELEX', 's', 'IDS', '2', '1-0', '9-0'],
        ['XDELEX', 's', 'KEEPREF', 'IDS', '1', '2-0'],
      ]);
    });

    it('DELREF deletes entries and removes their references from every group, dangling ones included', async () => {
      await fx.c.call('XDEL', 's', '3-0'); // 3-0 now dangles in g1 and g2
      expect(await fx.c.call('XDELEX', 's', 'DELREF', 'IDS', '2', '1-0', '3-0')).to.deep.equal([1, -1]);
      expect(await pendingIds('g1')).to.deep.equal(['2-0']);
      expect(await pendingIds('g2')).to.deep.equal(['4-0', '5-0']);
    });

    it('ACKED deletes only entries every group delivered and acknowledged; the others answer 2', async () => {
      // 1-0: pending in g1 → 2; acknowledge it there and it goes.
      expect(await fx.c.call('XDELEX', 's', 'ACKED', 'IDS', '1', '1-0')).to.deep.equal([2]);
      await fx.c.call('XACK', 's', 'g1', '1-0');
      // 4-0: never delivered to g1 → still referenced. 7-0 does not exist, but g1 could still be
      // delivered it: Redis's xdelexCommand asks streamEntryIsReferenced before looking the ID up → 2.
      // 0-5 does not exist and no group can be delivered it → -1.
      expect(await fx.c.call('XDELEX', 's', 'ACKED', 'IDS', '4', '1-0', '4-0', '7-0', '0-5')).to.deep.equal([1, 2, 2, -1]);
      expect(await fx.c.call('XLEN', 's')).to.equal(4);
    });

    it("after XGROUP DESTROY the destroyed groups' references no longer count for ACKED", async () => {
      // 4-0: not yet delivered to g1, pending in g2 (see the set-up): referenced until both groups go.
      expect(await fx.c.call('XDELEX', 's', 'ACKED', 'IDS', '1', '4-0')).to.deep.equal([2]);
      expect(await fx.c.call('XGROUP', 'DESTROY', 's', 'g1')).to.equal(1);
      expect(await fx.c.call('XGROUP', 'DESTROY', 's', 'g2')).to.equal(1);
      expect(await fx.c.call('XDELEX', 's', 'ACKED', 'IDS', '1', '4-0')).to.deep.equal([1]);
      // COPY keeps the stream's had-groups state.
      expect(await fx.c.call('COPY', 's', 's2')).to.equal(1);
      expect(await fx.c.call('XDELEX', 's2', 'ACKED', 'IDS', '1', '5-0')).to.deep.equal([1]);
    });

    it('ACKED deletes on a stream without consumer groups: nothing references its entries', async () => {
      // Redis's streamEntryIsReferenced (2026 sources): "if (!s->cgroups || !raxSize(s->cgroups)) return 0;".
      await fx.c.call('XADD', 'plain', '1-0', 'f', 'v');
      await fx.c.call('XADD', 'plain', '2-0', 'f', 'v');
      expect(await fx.c.call('XDELEX', 'plain', 'ACKED', 'IDS', '2', '1-0', '3-0')).to.deep.equal([1, -1]);
      expect(await fx.c.call('XDELEX', 'plain', 'IDS', '1', '2-0')).to.deep.equal([1]);
    });

    it('a missing key answers -1 for every ID and writes nothing', async () => {
      expect(await fx.c.call('XDELEX', 'nokey', 'IDS', '3', '1-0', '2-0', '3')).to.deep.equal([-1, -1, -1]);
      expect(await fx.c.call('EXISTS', 'nokey')).to.equal(0);
      expect(fx.cap.aof).to.deep.equal([]);
    });

    it('the IDS block may come before the policy', async () => {
      expect(await fx.c.call('XDELEX', 's', 'IDS', '1', '5-0', 'DELREF')).to.deep.equal([1]);
      expect(await pendingIds('g2')).to.deep.equal(['3-0', '4-0']);
    });

    it('refuses a bad numids, a count that does not match, bad IDs and unknown words, changing nothing', async () => {
      expect(err(await fx.c.call('XDELEX', 's', 'IDS', '0', '1-0'))).to.equal('ERR Number of IDs must be a positive integer');
      expect(err(await fx.c.call('XDELEX', 's', 'IDS', 'x', '1-0'))).to.equal('ERR Number of IDs must be a positive integer');
      expect(err(await fx.c.call('XDELEX', 's', 'IDS', '-1', '1-0'))).to.equal('ERR Number of IDs must be a positive integer');
      // Redis's stream tests: more IDs announced than given is its own error, fewer (an argument left over) a syntax error.
      expect(err(await fx.c.call('XDELEX', 's', 'IDS', '3', '1-0', '2-0'))).to.equal('ERR The `numids` parameter must match the number of arguments');
      expect(err(await fx.c.call('XDELEX', 's', 'IDS', '1', '1-0', '2-0'))).to.equal('ERR syntax error');
      expect(err(await fx.c.call('XDELEX', 's', 'BOGUS', 'IDS', '1', '1-0'))).to.equal('ERR syntax error');
      expect(err(await fx.c.call('XDELEX', 's', 'IDS', '2', '1-0', 'bad'))).to.equal(
        'ERR Invalid stream ID specified as stream command argument',
      );
      expect(err(await fx.c.call('XDELEX', 's', 'IDS'))).to.equal("ERR wrong number of arguments for 'xdelex' command");
      expect(await fx.c.call('XLEN', 's')).to.equal(5);
      expect(fx.cap.aof).to.deep.equal([]);
    });

    it('a key of another type is WRONGTYPE', async () => {
      await fx.c.call('SET', 'str', 'x');
      expect(err(await fx.c.call('XDELEX', 'str', 'IDS', '1', '1-0'))).to.equal(
        'WRONGTYPE Operation against a key holding the wrong kind of value',
      );
      // The type is checked before the arguments are (xdelexCommand: checkType, then the parser).
      expect(err(await fx.c.call('XDELEX', 'str', 'BOGUS', 'IDS', '1', '1-0'))).to.equal(
        'WRONGTYPE Operation against a key holding the wrong kind of value',
      );
    });

    it('reads the IDs only for an existing key, after the options; a second IDS block replaces the first', async () => {
      // streamParseAckDelArgsOrReply counts the IDs; xdelexCommand answers -1s for a missing key before reading them.
      expect(await fx.c.call('XDELEX', 'nokey', 'IDS', '2', 'bad', 'worse')).to.deep.equal([-1, -1]);
      expect(err(await fx.c.call('XDELEX', 's', 'IDS', '1', 'bad', 'BOGUS'))).to.equal('ERR syntax error');
      expect(err(await fx.c.call('XDELEX', 's', 'IDS', '1', 'bad'))).to.equal('ERR Invalid stream ID specified as stream command argument');
      expect(await fx.c.call('XDELEX', 's', 'IDS', '1', 'bad', 'IDS', '1', '5-0')).to.deep.equal([1]);
      expect(await fx.c.call('XACKDEL', 'nokey', 'g1', 'IDS', '1', 'bad')).to.deep.equal([-1]);
      expect(await fx.c.call('XACKDEL', 's', 'nogroup', 'IDS', '1', 'bad')).to.deep.equal([-1]);
      expect(err(await fx.c.call('XACKDEL', 's', 'g1', 'IDS', '1', 'bad'))).to.equal('ERR Invalid stream ID specified as stream command argument');
      expect(await fx.c.call('XLEN', 's')).to.equal(4);
    });
  });

  describe('XACKDEL', () => {
    it('KEEPREF acknowledges in the group and deletes, keeping other groups\' references (docs example)', async () => {
      expect(await fx.c.call('XACKDEL', 's', 'g1', 'KEEPREF', 'IDS', '2', '1-0', '2-0')).to.deep.equal([1, 1]);
      expect(await pendingIds('g1')).to.deep.equal(['3-0']);
      expect(await pendingIds('g2')).to.deep.equal(['3-0', '4-0', '5-0']);
      expect(await fx.c.call('XLEN', 's')).to.equal(3);
      expect(fx.cap.events).to.deep.equal(['t:xdel:s']);
    });

    it('DELREF acknowledges, deletes and removes every group\'s references', async () => {
      expect(await fx.c.call('XACKDEL', 's', 'g1', 'DELREF', 'IDS', '1', '3-0')).to.deep.equal([1]);
      expect(await pendingIds('g1')).to.deep.equal(['1-0', '2-0']);
      expect(await pendingIds('g2')).to.deep.equal(['4-0', '5-0']);
    });

    it('ACKED acknowledges, and deletes only when no other group still references the entry (2 otherwise)', async () => {
      // 1-0 and 2-0: g2 acked them; acking in g1 frees them. 3-0: g2 still has it pending.
      expect(await fx.c.call('XACKDEL', 's', 'g1', 'ACKED', 'IDS', '3', '1-0', '3-0', '8-0')).to.deep.equal([1, 2, -1]);
      expect(await pendingIds('g1')).to.deep.equal(['2-0']);
      expect((await fx.c.call('XRANGE', 's', '-', '+') as string[][]).map((e) => e[0])).to.deep.equal(['2-0', '3-0', '4-0', '5-0']);
    });

    it('a missing key or group answers -1 per ID (no NOGROUP); numids and policy errors as Redis\'s tests', async () => {
      expect(await fx.c.call('XACKDEL', 'nokey', 'g', 'IDS', '2', '1-0', '2-0')).to.deep.equal([-1, -1]);
      // A missing group, like a missing key, answers -1 per ID (Redis 8.2): no NOGROUP.
      expect(await fx.c.call('XACKDEL', 's', 'nogroup', 'IDS', '1', '1-0')).to.deep.equal([-1]);
      // Redis's tests (stream-cgroups.tcl "XACKDEL IDS parameter validation"): too few IDs has its own text, one too many is a syntax error.
      expect(err(await fx.c.call('XACKDEL', 's', 'g1', 'IDS', '2', '1-0'))).to.equal('ERR The `numids` parameter must match the number of arguments');
      expect(err(await fx.c.call('XACKDEL', 's', 'g1', 'IDS', '1', '1-0', '2-0'))).to.equal('ERR syntax error');
      expect(err(await fx.c.call('XACKDEL', 's', 'g1', 'IDS', '0', '1-0'))).to.equal('ERR Number of IDs must be a positive integer');
      expect(err(await fx.c.call('XACKDEL', 's', 'g1', 'KEEPREF', 'DELREF', 'IDS', '1', '1-0'))).to.equal('ERR syntax error');
      expect(await pendingIds('g1')).to.deep.equal(['1-0', '2-0', '3-0']);
    });

    it('an ID not pending in the group answers -1 and stays in the stream, whatever the policy', async () => {
      // jedis's xackdelUnreadMessages (run against Redis 8.2): an entry the group never read is not found, and not deleted.
      // 4-0 and 5-0 were never delivered to g1; 9-0 does not exist at all.
      expect(await fx.c.call('XACKDEL', 's', 'g1', 'IDS', '3', '4-0', '5-0', '9-0')).to.deep.equal([-1, -1, -1]);
      expect(await fx.c.call('XACKDEL', 's', 'g1', 'DELREF', 'IDS', '1', '4-0')).to.deep.equal([-1]);
      // 1-0 and 2-0 were acknowledged in g2 already: not pending there any more.
      expect(await fx.c.call('XACKDEL', 's', 'g2', 'KEEPREF', 'IDS', '2', '1-0', '2-0')).to.deep.equal([-1, -1]);
      expect(await fx.c.call('XLEN', 's')).to.equal(5);
      expect(await pendingIds('g2')).to.deep.equal(['3-0', '4-0', '5-0']);
      expect(fx.cap.events).to.deep.equal([]);
    });

    it('a pending ID whose entry is already deleted is acknowledged and answers 1', async () => {
      await fx.c.call('XDEL', 's', '1-0');
      fx.cap.reset();
      expect(await fx.c.call('XACKDEL', 's', 'g1', 'IDS', '1', '1-0')).to.deep.equal([1]);
      expect(await pendingIds('g1')).to.deep.equal(['2-0', '3-0']);
      // Nothing was deleted from the stream by this call: no xdel event.
      expect(fx.cap.events).to.deep.equal([]);
      // Acknowledged again, it is no longer pending: -1.
      expect(await fx.c.call('XACKDEL', 's', 'g1', 'IDS', '1', '1-0')).to.deep.equal([-1]);
    });

    it('works inside MULTI and is logged as sent', async () => {
      await fx.c.call('MULTI');
      await fx.c.call('XACKDEL', 's', 'g1', 'IDS', '1', '1-0');
      expect(await fx.c.call('EXEC')).to.deep.equal([[1]]);
      expect(fx.cap.aof).to.deep.include(['XACKDEL', 's', 'g1', 'IDS', '1', '1-0']);
    });
  });

  describe('trimming with XADD and XTRIM', () => {
    it('takes one policy word: a second is a syntax error for XTRIM and the ID for XADD (streamParseAddOrTrimArgsOrReply)', async () => {
      expect(err(await fx.c.call('XTRIM', 's', 'MAXLEN', '2', 'ACKED', 'DELREF'))).to.equal('ERR syntax error');
      expect(err(await fx.c.call('XTRIM', 's', 'KEEPREF', 'KEEPREF', 'MAXLEN', '2'))).to.equal('ERR syntax error');
      expect(err(await fx.c.call('XADD', 's', 'ACKED', 'KEEPREF', '*', 'f', 'v'))).to.equal('ERR Invalid stream ID specified as stream command argument');
      expect(await fx.c.call('XLEN', 's')).to.equal(5);
      expect(fx.cap.aof).to.deep.equal([]);
    });

    it('KEEPREF trims regardless of references and keeps them dangling', async () => {
      expect(await fx.c.call('XTRIM', 's', 'MAXLEN', '2', 'KEEPREF')).to.equal(3);
      expect(await pendingIds('g1')).to.deep.equal(['1-0', '2-0', '3-0']);
    });

    it('DELREF trims and removes the trimmed entries from every PEL', async () => {
      expect(await fx.c.call('XTRIM', 's', 'DELREF', 'MINID', '3-0')).to.equal(2);
      expect(await pendingIds('g1')).to.deep.equal(['3-0']);
      expect(await fx.c.call('XADD', 's', 'DELREF', 'MAXLEN', '1', '6-0', 'f', 'v')).to.equal('6-0');
      expect(await pendingIds('g1')).to.deep.equal([]);
      expect(await pendingIds('g2')).to.deep.equal([]);
      expect(fx.cap.aof).to.deep.equal([
        ['XTRIM', 's', 'DELREF', 'MINID', '3-0'],
        ['XADD', 's', 'DELREF', 'MAXLEN', '1', '6-0', 'f', 'v'],
      ]);
    });

    it('ACKED trims only entries every group acknowledged (head case)', async () => {
      // Nothing: 1-0 is pending in g1.
      expect(await fx.c.call('XTRIM', 's', 'MAXLEN', '0', 'ACKED')).to.equal(0);
      await fx.c.call('XACK', 's', 'g1', '1-0', '2-0');
      // 1-0 and 2-0 are free; 3-0 is pending in g1 and g2: MAXLEN 0 still stops there.
      expect(await fx.c.call('XTRIM', 's', 'MAXLEN', '0', 'ACKED')).to.equal(2);
      expect(await fx.c.call('XLEN', 's')).to.equal(3);
      await fx.c.call('XACK', 's', 'g1', '3-0');
      await fx.c.call('XACK', 's', 'g2', '3-0', '4-0', '5-0');
      // 4-0 was never delivered to g1: MINID 9 stops at it.
      expect(await fx.c.call('XTRIM', 's', 'MINID', '9', 'ACKED')).to.equal(1);
      expect((await fx.c.call('XRANGE', 's', '-', '+') as string[][]).map((e) => e[0])).to.deep.equal(['4-0', '5-0']);
    });

    it('ACKED with MAXLEN trims no further than MAXLEN asks', async () => {
      await fx.c.call('XACK', 's', 'g1', '1-0', '2-0', '3-0');
      await fx.c.call('XACK', 's', 'g2', '3-0');
      expect(await fx.c.call('XADD', 's', 'ACKED', 'MAXLEN', '5', '6-0', 'f', 'v')).to.equal('6-0');
      expect(await fx.c.call('XLEN', 's')).to.equal(5);
    });

    it('without consumer groups ACKED and DELREF delete every entry in range', async () => {
      for (let i = 1; i <= 4; i++) await fx.c.call('XADD', 'plain', `${i}-0`, 'f', 'v');
      expect(await fx.c.call('XTRIM', 'plain', 'MAXLEN', '1', 'ACKED')).to.equal(3);
      expect(await fx.c.call('XTRIM', 'plain', 'MAXLEN', '0', 'DELREF')).to.equal(1);
      // redis/redis#14769 (Redis 8.6): "xtrim foo MINID ~ 1114 LIMIT 4 ACKED" on four entries and no groups → 4.
      for (let i = 1110; i <= 1113; i++) await fx.c.call('XADD', 'foo', String(i), 'x', 'y');
      expect(await fx.c.call('XTRIM', 'foo', 'MINID', '~', '1114', 'LIMIT', '4', 'ACKED')).to.equal(4);
      expect(await fx.c.call('XLEN', 'foo')).to.equal(0);
      // `~` does not stop ACKED at a node it cannot drop whole (one node of 4 here); KEEPREF `~` does.
      for (let i = 1; i <= 4; i++) await fx.c.call('XADD', 'bar', `${i}-0`, 'f', 'v');
      expect(await fx.c.call('XTRIM', 'bar', 'MAXLEN', '~', '1')).to.equal(0);
      expect(await fx.c.call('XTRIM', 'bar', 'MAXLEN', '~', '1', 'ACKED')).to.equal(3);
    });

    /*
     * Redis 8.2+ streamTrim for DELREF/ACKED as fixed by redis/redis#14623 ("Fix XTRIM/XADD with approx
     * not deletes entries for DELREF/ACKED strategies", Dec 2025; src/t_stream.c: "if (approx &&
     * delete_strategy == DELETE_STRATEGY_KEEPREF) break;"): the walk goes entry by entry, skips what is
     * referenced and goes on; after a node wholly in range it goes to the next node, after any other it stops.
     */
    describe('ACKED and DELREF walk entry by entry (redis/redis#14623)', () => {
      afterEach(async () => {
        await fx.c.call('CONFIG', 'SET', 'stream-node-max-entries', '100');
      });

      it('ACKED skips a pending entry and deletes the acknowledged ones after it', async () => {
        // g1: 1-0..3-0 delivered, 1-0 and 3-0 acknowledged, 2-0 pending; g2 acknowledges everything.
        await fx.c.call('XACK', 's', 'g1', '1-0', '3-0');
        await fx.c.call('XACK', 's', 'g2', '3-0', '4-0', '5-0');
        // 1-0 and 3-0 go; 2-0 (pending in g1), 4-0 and 5-0 (not delivered to g1) stay.
        expect(await fx.c.call('XTRIM', 's', 'MAXLEN', '0', 'ACKED')).to.equal(2);
        expect((await fx.c.call('XRANGE', 's', '-', '+') as string[][]).map((e) => e[0])).to.deep.equal(['2-0', '4-0', '5-0']);
        expect(fx.cap.aof).to.deep.equal([
          ['XACK', 's', 'g1', '1-0', '3-0'],
          ['XACK', 's', 'g2', '3-0', '4-0', '5-0'],
          ['XTRIM', 's', 'MAXLEN', '0', 'ACKED'],
        ]);
      });

      it("redis/redis#14623's test: XTRIM MINID ~ 5-0 ACKED drops the acknowledged node and keeps the other", async () => {
        await fx.c.call('CONFIG', 'SET', 'stream-node-max-entries', '2');
        for (let i = 1; i <= 4; i++) await fx.c.call('XADD', 'm', `${i}-0`, 'f', 'v');
        await fx.c.call('XGROUP', 'CREATE', 'm', 'g', '0');
        await fx.c.call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'm', '>');
        await fx.c.call('XACK', 'm', 'g', '1-0', '2-0');
        expect(await fx.c.call('XTRIM', 'm', 'MINID', '~', '5-0', 'ACKED')).to.equal(2);
        expect(await fx.c.call('XLEN', 'm')).to.equal(2);
        expect(await fx.c.call('XRANGE', 'm', '-', '+')).to.deep.equal([['3-0', ['f', 'v']], ['4-0', ['f', 'v']]]);
      });

      it('`~` ACKED goes on past a node it could not empty, and stops inside the first node not wholly in range', async () => {
        await fx.c.call('CONFIG', 'SET', 'stream-node-max-entries', '2');
        for (let i = 1; i <= 6; i++) await fx.c.call('XADD', 'm', `${i}-0`, 'f', 'v');
        await fx.c.call('XGROUP', 'CREATE', 'm', 'g', '0');
        await fx.c.call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'm', '>');
        await fx.c.call('XACK', 'm', 'g', '1-0', '3-0', '4-0', '5-0', '6-0');
        fx.cap.reset();
        // Nodes [1,2] [3,4] [5,6]: in [1,2] 1-0 goes and 2-0 (pending) stays, the walk goes on; [3,4] goes
        // whole; [5,6] is not wholly below 6-0: 5-0 goes, the walk stops at 6-0 and ends there.
        expect(await fx.c.call('XTRIM', 'm', 'MINID', '~', '6-0', 'ACKED')).to.equal(4);
        expect((await fx.c.call('XRANGE', 'm', '-', '+') as string[][]).map((e) => e[0])).to.deep.equal(['2-0', '6-0']);
        // Logged as the exact MINID where the walk stopped, so that a replay deletes the same entries.
        expect(fx.cap.aof).to.deep.equal([['XTRIM', 'm', 'MINID', '=', '6-0', 'ACKED']]);
        const info = (await fx.c.call('XINFO', 'STREAM', 'm')) as unknown[];
        expect(info.slice(0, 4)).to.deep.equal(['length', 2, 'radix-tree-keys', 2]);
      });

      it('MAXLEN ~ ACKED: the LIMIT is checked against each node before it is walked', async () => {
        await fx.c.call('CONFIG', 'SET', 'stream-node-max-entries', '2');
        for (let i = 1; i <= 6; i++) await fx.c.call('XADD', 'm', `${i}-0`, 'f', 'v');
        await fx.c.call('XGROUP', 'CREATE', 'm', 'g', '$');
        fx.cap.reset();
        // 2 (node [1,2]) + 2 (node [3,4]) > LIMIT 3: only the first node goes.
        expect(await fx.c.call('XTRIM', 'm', 'MAXLEN', '~', '0', 'LIMIT', '3', 'ACKED')).to.equal(2);
        expect(fx.cap.aof).to.deep.equal([['XTRIM', 'm', 'MINID', '=', '3-0', 'ACKED']]);
        expect(await fx.c.call('XTRIM', 'm', 'MAXLEN', '~', '1', 'ACKED')).to.equal(3);
        expect((await fx.c.call('XRANGE', 'm', '-', '+') as string[][]).map((e) => e[0])).to.deep.equal(['6-0']);
      });

      it('XADD MAXLEN ~ DELREF trims entry by entry and drops the trimmed entries\' references', async () => {
        // One node of 5 entries: KEEPREF `~` could not drop it; DELREF trims inside it.
        expect(await fx.c.call('XADD', 's', 'DELREF', 'MAXLEN', '~', '2', '6-0', 'f', 'v')).to.equal('6-0');
        expect((await fx.c.call('XRANGE', 's', '-', '+') as string[][]).map((e) => e[0])).to.deep.equal(['5-0', '6-0']);
        expect(await pendingIds('g1')).to.deep.equal([]);
        expect(await pendingIds('g2')).to.deep.equal(['5-0']);
        expect(fx.cap.aof).to.deep.equal([['XADD', 's', 'DELREF', 'MINID', '=', '5-0', '6-0', 'f', 'v']]);
      });
    });

    it('COMMAND DOCS shows the policy options and their history on XADD and XTRIM, and the new commands since 8.2.0', async () => {
      const docs = (await fx.c.call('COMMAND', 'DOCS', 'xadd', 'xtrim', 'xdelex', 'xackdel')) as unknown[];
      const byName = new Map<string, Map<string, unknown>>();
      for (let i = 0; i < docs.length; i += 2) {
        const flat = docs[i + 1] as unknown[];
        const m = new Map<string, unknown>();
        for (let j = 0; j < flat.length; j += 2) m.set(String(flat[j]), flat[j + 1]);
        byName.set(String(docs[i]), m);
      }
      expect(byName.get('xadd')!.get('history')).to.deep.include(['8.2.0', 'Added the `KEEPREF`, `DELREF` and `ACKED` options.']);
      expect(byName.get('xtrim')!.get('history')).to.deep.include(['8.2.0', 'Added the `KEEPREF`, `DELREF` and `ACKED` options.']);
      expect(byName.get('xdelex')!.get('since')).to.equal('8.2.0');
      expect(byName.get('xackdel')!.get('since')).to.equal('8.2.0');
      expect(JSON.stringify(byName.get('xadd')!.get('arguments'))).to.contain('"KEEPREF"');
      expect(await fx.c.call('COMMAND', 'INFO', 'xdelex')).to.deep.equal([
        ['xdelex', -5, ['write', 'fast'], 1, 1, 1, ['@write', '@stream', '@fast'], [],
          [['flags', ['RW', 'delete'], 'begin_search', ['type', 'index', 'spec', ['index', 1]], 'find_keys', ['type', 'range', 'spec', ['lastkey', 0, 'keystep', 1, 'limit', 0]]]], []],
      ]);
    });
  });
});
