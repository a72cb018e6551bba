/**
 * Redis 8.6 idempotent production: XADD IDMP/IDMPAUTO, XCFGSET, the
 * stream-idmp-* directives, the XINFO STREAM fields and XIDMPRECORD. No
 * oracle (redis-server 7.0 lacks them): each test states the documented
 * behaviour it checks (redis.io XADD, XCFGSET, XIDMPRECORD pages and
 * "Idempotent message processing"; see /work/notes/redis8-facts.md).
 */
import net from 'node:net';
import { expect } from 'chai';
import { RawConnection, encodeCommand, sleep, type Reply } from '../../../helpers.js';
import { useStreamRaw } from '../fixture.js';

const err = (r: Reply): string => (r as Error).message;

function infoMap(r: Reply): Map<string, unknown> {
  const flat = r as unknown[];
  const m = new Map<string, unknown>();
  for (let i = 0; i < flat.length; i += 2) m.set(String(flat[i]), flat[i + 1]);
  return m;
}

describe('Idempotent XADD (Redis 8.6): IDMP, IDMPAUTO, XCFGSET', () => {
  const fx = useStreamRaw();
  beforeEach(async () => {
    await fx.c.call('FLUSHALL');
    await fx.c.call('CONFIG', 'SET', 'stream-idmp-duration', '100', 'stream-idmp-maxsize', '100');
    fx.cap.reset();
  });

  describe('XADD IDMP / IDMPAUTO', () => {
    it('a duplicate (producer-id, idempotent-id) returns the original entry ID and adds nothing', async () => {
      const id = (await fx.c.call('XADD', 's', 'IDMP', 'p1', 'order-1', '*', 'f', 'v')) as string;
      expect(await fx.c.call('XADD', 's', 'IDMP', 'p1', 'order-1', '*', 'f', 'other')).to.equal(id);
      expect(await fx.c.call('XLEN', 's')).to.equal(1);
      // Another iid, or the same iid from another producer, is new.
      expect(await fx.c.call('XADD', 's', 'IDMP', 'p1', 'order-2', '*', 'f', 'v')).to.not.equal(id);
      expect(await fx.c.call('XADD', 's', 'IDMP', 'p2', 'order-1', '*', 'f', 'v')).to.not.equal(id);
      expect(await fx.c.call('XLEN', 's')).to.equal(3);
    });

    it('IDMPAUTO derives the idempotent ID from the field-value pairs', async () => {
      const id = (await fx.c.call('XADD', 's', 'IDMPAUTO', 'p1', '*', 'a', '1', 'b', '2')) as string;
      expect(await fx.c.call('XADD', 's', 'IDMPAUTO', 'p1', '*', 'a', '1', 'b', '2')).to.equal(id);
      expect(await fx.c.call('XADD', 's', 'IDMPAUTO', 'p1', '*', 'a', '1', 'b', '3')).to.not.equal(id);
      expect(await fx.c.call('XADD', 's', 'IDMPAUTO', 'p1', '*', 'a1', '', 'b', '2')).to.not.equal(id);
      expect(await fx.c.call('XADD', 's', 'IDMPAUTO', 'p2', '*', 'a', '1', 'b', '2')).to.not.equal(id);
      expect(await fx.c.call('XLEN', 's')).to.equal(4);
    });

    it('returns the original ID even after the entry was deleted (the ID is kept in the IDMP data)', async () => {
      const id = (await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v')) as string;
      await fx.c.call('XDEL', 's', id);
      expect(await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v')).to.equal(id);
      expect(await fx.c.call('XLEN', 's')).to.equal(0);
    });

    it('combines with NOMKSTREAM, trimming and the reference policies', async () => {
      expect(await fx.c.call('XADD', 'none', 'NOMKSTREAM', 'IDMP', 'p', 'i', '*', 'f', 'v')).to.equal(null);
      await fx.c.call('XADD', 's', 'IDMP', 'p', 'a', 'MAXLEN', '1', '*', 'f', 'v');
      await fx.c.call('XADD', 's', 'KEEPREF', 'IDMP', 'p', 'b', 'MAXLEN', '=', '1', '*', 'f', 'v');
      expect(await fx.c.call('XLEN', 's')).to.equal(1);
    });

    it('can only be used with `*`, and refuses empty producer or idempotent IDs, changing nothing', async () => {
      // Redis's texts (src/t_stream.c streamParseAddOrTrimArgsOrReply, 2026 sources: "syntax error, ..."),
      // each reported where the parser meets it: empty IDs at their option, `*` at the ID, a second IDMP at it.
      expect(err(await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '1-1', 'f', 'v'))).to.equal('ERR syntax error, IDMP/IDMPAUTO can be used only with auto-generated IDs');
      expect(err(await fx.c.call('XADD', 's', 'IDMPAUTO', 'p', '5-*', 'f', 'v'))).to.equal('ERR syntax error, IDMP/IDMPAUTO can be used only with auto-generated IDs');
      expect(err(await fx.c.call('XADD', 's', 'IDMP', 'p', '*', 'f', 'v'))).to.equal('ERR Invalid stream ID specified as stream command argument');
      expect(err(await fx.c.call('XADD', 's', 'IDMP', '', 'i', '*', 'f', 'v'))).to.equal('ERR syntax error, IDMP requires a non-empty producer ID');
      expect(err(await fx.c.call('XADD', 's', 'IDMP', 'p', '', '*', 'f', 'v'))).to.equal('ERR syntax error, IDMP requires a non-empty idempotent ID');
      expect(err(await fx.c.call('XADD', 's', 'IDMPAUTO', '', '*', 'f', 'v'))).to.equal('ERR syntax error, IDMPAUTO requires a non-empty producer ID');
      expect(err(await fx.c.call('XADD', 's', 'IDMP', '', 'i', '1-1', 'f', 'v'))).to.equal('ERR syntax error, IDMP requires a non-empty producer ID');
      expect(err(await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', 'IDMPAUTO', '', '*', 'f', 'v'))).to.equal('ERR syntax error, IDMP/IDMPAUTO specified multiple times');
      expect(err(await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', 'IDMP', 'q', 'j', '*', 'f', 'v'))).to.equal('ERR syntax error, IDMP/IDMPAUTO specified multiple times');
      expect(await fx.c.call('EXISTS', 's')).to.equal(0);
      expect(fx.cap.aof).to.deep.equal([]);
    });

    it('is logged as XADD with the ID chosen followed by XIDMPRECORD; a duplicate logs nothing', async () => {
      const id = (await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', 'MAXLEN', '~', '10', '*', 'f', 'v')) as string;
      await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v');
      // One MULTI/EXEC unit: a torn tail can never keep the XADD without its idempotency record.
      expect(fx.cap.aof).to.deep.equal([
        ['MULTI'],
        ['XADD', 's', 'MAXLEN', '=', '1', id, 'f', 'v'],
        ['XIDMPRECORD', 's', 'p', 'i', id],
        ['EXEC'],
      ]);
    });

    it('works inside MULTI', async () => {
      await fx.c.call('MULTI');
      await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v');
      await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v');
      const [a, b] = (await fx.c.call('EXEC')) as string[];
      expect(a).to.equal(b);
      expect(await fx.c.call('XLEN', 's')).to.equal(1);
    });
  });

  describe('retention', () => {
    it('forgets an idempotent ID after IDMP-DURATION seconds', async () => {
      await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v');
      expect(await fx.c.call('XCFGSET', 's', 'IDMP-DURATION', '1')).to.equal('OK');
      const id = await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v');
      expect(await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v')).to.equal(id);
      await sleep(1100);
      expect(await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v')).to.not.equal(id);
      expect(await fx.c.call('XLEN', 's')).to.equal(3);
    });

    it('keeps at most IDMP-MAXSIZE idempotent IDs per producer, evicting the oldest', async () => {
      await fx.c.call('XADD', 's', '*', 'f', 'v');
      await fx.c.call('XCFGSET', 's', 'IDMP-MAXSIZE', '2');
      const first = await fx.c.call('XADD', 's', 'IDMP', 'p', 'a', '*', 'f', 'v');
      await fx.c.call('XADD', 's', 'IDMP', 'p', 'b', '*', 'f', 'v');
      await fx.c.call('XADD', 's', 'IDMP', 'q', 'x', '*', 'f', 'v'); // another producer does not count
      await fx.c.call('XADD', 's', 'IDMP', 'p', 'c', '*', 'f', 'v');
      expect(await fx.c.call('XADD', 's', 'IDMP', 'p', 'a', '*', 'f', 'v')).to.not.equal(first);
      expect(await fx.c.call('XLEN', 's')).to.equal(6);
    });

    it('streams without XCFGSET follow stream-idmp-duration and stream-idmp-maxsize (defaults 100 and 100)', async () => {
      expect(await fx.c.call('CONFIG', 'GET', 'stream-idmp-*')).to.have.members(['stream-idmp-duration', '100', 'stream-idmp-maxsize', '100']);
      await fx.c.call('CONFIG', 'SET', 'stream-idmp-maxsize', '1');
      const a = await fx.c.call('XADD', 's', 'IDMP', 'p', 'a', '*', 'f', 'v');
      await fx.c.call('XADD', 's', 'IDMP', 'p', 'b', '*', 'f', 'v');
      expect(await fx.c.call('XADD', 's', 'IDMP', 'p', 'a', '*', 'f', 'v')).to.not.equal(a);
      expect(err(await fx.c.call('CONFIG', 'SET', 'stream-idmp-duration', '0'))).to.match(
        /^ERR CONFIG SET failed \(possibly related to argument 'stream-idmp-duration'\) - argument must be between 1 and 86400 inclusive$/,
      );
      expect(err(await fx.c.call('CONFIG', 'SET', 'stream-idmp-maxsize', '10001'))).to.match(/argument must be between 1 and 10000 inclusive$/);
    });
  });

  describe('XCFGSET', () => {
    beforeEach(async () => {
      await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v');
      fx.cap.reset();
    });

    it('sets duration and maxsize, clears every producer map, and is logged as sent', async () => {
      expect(await fx.c.call('XCFGSET', 's', 'IDMP-DURATION', '600', 'IDMP-MAXSIZE', '500')).to.equal('OK');
      const info = infoMap(await fx.c.call('XINFO', 'STREAM', 's'));
      expect([info.get('idmp-duration'), info.get('idmp-maxsize'), info.get('pids-tracked'), info.get('iids-tracked')]).to.deep.equal([600, 500, 0, 0]);
      // The map was cleared: the same iid adds a new entry.
      await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v');
      expect(await fx.c.call('XLEN', 's')).to.equal(2);
      expect(fx.cap.aof[0]).to.deep.equal(['XCFGSET', 's', 'IDMP-DURATION', '600', 'IDMP-MAXSIZE', '500']);
      // One option alone keeps the other.
      expect(await fx.c.call('XCFGSET', 's', 'IDMP-MAXSIZE', '7')).to.equal('OK');
      expect(infoMap(await fx.c.call('XINFO', 'STREAM', 's')).get('idmp-duration')).to.equal(600);
    });

    it('accepts the bounds 1..86400 and 1..10000 and refuses values outside them', async () => {
      expect(await fx.c.call('XCFGSET', 's', 'IDMP-DURATION', '1', 'IDMP-MAXSIZE', '1')).to.equal('OK');
      expect(await fx.c.call('XCFGSET', 's', 'IDMP-DURATION', '86400', 'IDMP-MAXSIZE', '10000')).to.equal('OK');
      for (const v of ['0', '86401', '-5']) {
        expect(err(await fx.c.call('XCFGSET', 's', 'IDMP-DURATION', v))).to.equal('ERR IDMP-DURATION must be between 1 and 86400 seconds');
      }
      for (const v of ['0', '10001', '-50']) {
        expect(err(await fx.c.call('XCFGSET', 's', 'IDMP-MAXSIZE', v))).to.equal('ERR IDMP-MAXSIZE must be between 1 and 10000 entries');
      }
      for (const v of ['x', '1.5', '000000000', '120-5', 'IDMP-DURATION']) {
        expect(err(await fx.c.call('XCFGSET', 's', 'IDMP-DURATION', v))).to.equal('ERR value is not an integer or out of range');
        expect(err(await fx.c.call('XCFGSET', 's', 'IDMP-MAXSIZE', v))).to.equal('ERR value is not an integer or out of range');
      }
      expect(err(await fx.c.call('XCFGSET', 's', 'IDMP-DURATION', 'INVALID', 'IDMP-MAXSIZE'))).to.equal('ERR value is not an integer or out of range');
    });

    it('needs an existing stream (checked first), an option given once, and known words (xcfgsetCommand)', async () => {
      await fx.c.call('XADD', 'q', '1-1', 'f', 'v');
      fx.cap.reset();
      expect(err(await fx.c.call('XCFGSET', 'q'))).to.equal('ERR At least one parameter must be specified');
      expect(err(await fx.c.call('XCFGSET', 'q', 'IDMP-DURATION'))).to.equal('ERR syntax error');
      expect(err(await fx.c.call('XCFGSET', 'q', 'DURATION', '5'))).to.equal('ERR syntax error');
      expect(err(await fx.c.call('XCFGSET', 'q', 'IDMP-DURATION', '5', 'IDMP-DURATION', '6'))).to.equal('ERR IDMP-DURATION specified multiple times');
      expect(err(await fx.c.call('XCFGSET', 'q', 'IDMP-MAXSIZE', '5', 'IDMP-MAXSIZE', '6'))).to.equal('ERR IDMP-MAXSIZE specified multiple times');
      expect(err(await fx.c.call('XCFGSET', 'nokey', 'IDMP-DURATION', '5'))).to.equal('ERR no such key');
      // The key is looked up before the options are read.
      expect(err(await fx.c.call('XCFGSET', 'nokey'))).to.equal('ERR no such key');
      expect(err(await fx.c.call('XCFGSET', 'nokey', 'BOGUS'))).to.equal('ERR no such key');
      await fx.c.call('SET', 'str', 'x');
      expect(err(await fx.c.call('XCFGSET', 'str', 'IDMP-DURATION', 'x'))).to.equal('WRONGTYPE Operation against a key holding the wrong kind of value');
      expect(await fx.c.call('EXISTS', 'nokey')).to.equal(0);
      // Values equal to the current ones (the defaults here) are no write: nothing logged.
      expect(await fx.c.call('XCFGSET', 'q', 'IDMP-DURATION', '100', 'IDMP-MAXSIZE', '100')).to.equal('OK');
      expect(fx.cap.aof).to.deep.equal([['SET', 'str', 'x']]);
    });
  });

  describe('XINFO STREAM', () => {
    it('reports the IDMP fields for every stream, with the server defaults before any IDMP use (Redis 8.6)', async () => {
      await fx.c.call('XADD', 's', '*', 'f', 'v');
      const info = infoMap(await fx.c.call('XINFO', 'STREAM', 's'));
      expect(['idmp-duration', 'idmp-maxsize', 'pids-tracked', 'iids-tracked', 'iids-added', 'iids-duplicates'].map((k) => info.get(k))).to.deep.equal([100, 100, 0, 0, 0, 0]);
      const full = infoMap(await fx.c.call('XINFO', 'STREAM', 's', 'FULL'));
      expect(full.get('idmp-duration')).to.equal(100);
    });

    it("a stream keeps the stream-idmp-* values of its creation: CONFIG SET changes only streams created after it (Redis's streamNew)", async () => {
      await fx.c.call('XADD', 's', '*', 'f', 'v');
      try {
        expect(await fx.c.call('CONFIG', 'SET', 'stream-idmp-duration', '50', 'stream-idmp-maxsize', '7')).to.equal('OK');
        await fx.c.call('XGROUP', 'CREATE', 't', 'g', '$', 'MKSTREAM');
        const limits = async (k: string): Promise<unknown[]> => {
          const info = infoMap(await fx.c.call('XINFO', 'STREAM', k));
          return [info.get('idmp-duration'), info.get('idmp-maxsize')];
        };
        expect(await limits('s')).to.deep.equal([100, 100]);
        expect(await limits('t')).to.deep.equal([50, 7]);
        // Values equal to the stream's own are no change: the history stays.
        const id = await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v');
        expect(await fx.c.call('XCFGSET', 's', 'IDMP-DURATION', '100')).to.equal('OK');
        expect(await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v')).to.equal(id);
        // COPY keeps them.
        expect(await fx.c.call('COPY', 't', 't2')).to.equal(1);
        expect(await limits('t2')).to.deep.equal([50, 7]);
      } finally {
        await fx.c.call('CONFIG', 'SET', 'stream-idmp-duration', '100', 'stream-idmp-maxsize', '100');
      }
    });

    it('IDMPAUTO deduplicates on the set of field-value pairs, whatever their order', async () => {
      const id = await fx.c.call('XADD', 's', 'IDMPAUTO', 'p', '*', 'a', '1', 'b', '2');
      expect(await fx.c.call('XADD', 's', 'IDMPAUTO', 'p', '*', 'b', '2', 'a', '1')).to.equal(id);
      expect(await fx.c.call('XADD', 's', 'IDMPAUTO', 'p', '*', 'a', '2', 'b', '1')).not.to.equal(id);
      expect(await fx.c.call('XLEN', 's')).to.equal(2);
    });

    it('XCFGSET with the values already in effect keeps the history (and iids-tracked); a change clears it', async () => {
      const id = await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v');
      expect(await fx.c.call('XCFGSET', 's', 'IDMP-DURATION', '100', 'IDMP-MAXSIZE', '100')).to.equal('OK');
      expect(infoMap(await fx.c.call('XINFO', 'STREAM', 's')).get('iids-tracked')).to.equal(1);
      expect(await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v')).to.equal(id);
      expect(await fx.c.call('XCFGSET', 's', 'IDMP-MAXSIZE', '50')).to.equal('OK');
      expect(await fx.c.call('XCFGSET', 's', 'IDMP-MAXSIZE', '50')).to.equal('OK');
      expect(infoMap(await fx.c.call('XINFO', 'STREAM', 's')).get('iids-tracked')).to.equal(0);
      expect(await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v')).not.to.equal(id);
      expect(infoMap(await fx.c.call('XINFO', 'STREAM', 's')).get('iids-tracked')).to.equal(1);
    });

    it('reports idmp-duration, idmp-maxsize, pids-tracked, iids-tracked, iids-added and iids-duplicates', async () => {
      await fx.c.call('XADD', 's', 'IDMP', 'p1', 'a', '*', 'f', 'v');
      await fx.c.call('XADD', 's', 'IDMP', 'p1', 'b', '*', 'f', 'v');
      await fx.c.call('XADD', 's', 'IDMP', 'p2', 'a', '*', 'f', 'v');
      await fx.c.call('XADD', 's', 'IDMP', 'p1', 'a', '*', 'f', 'v');
      await fx.c.call('XADD', 's', 'IDMPAUTO', 'p2', '*', 'f', 'v');
      await fx.c.call('XADD', 's', 'IDMPAUTO', 'p2', '*', 'f', 'v');
      const info = infoMap(await fx.c.call('XINFO', 'STREAM', 's'));
      const keys = [...info.keys()];
      expect(keys.slice(7, 13)).to.deep.equal(['idmp-duration', 'idmp-maxsize', 'pids-tracked', 'iids-tracked', 'iids-added', 'iids-duplicates']);
      expect(keys.length).to.equal(16);
      expect(keys.slice(13)).to.deep.equal(['groups', 'first-entry', 'last-entry']);
      expect(keys.slice(7, 13).map((k) => info.get(k))).to.deep.equal([100, 100, 2, 4, 4, 2]);
      const full = infoMap(await fx.c.call('XINFO', 'STREAM', 's', 'FULL'));
      expect(full.get('iids-added')).to.equal(4);
      expect(full.size).to.equal(15);
    });
  });

  describe('XIDMPRECORD', () => {
    it('records a pair for an existing entry; OK again for the same ID; refuses another ID and bad input', async () => {
      const id = (await fx.c.call('XADD', 's', '*', 'f', 'v')) as string;
      const other = (await fx.c.call('XADD', 's', '*', 'f', 'v')) as string;
      expect(await fx.c.call('XIDMPRECORD', 's', 'p', 'i', id)).to.equal('OK');
      expect(await fx.c.call('XIDMPRECORD', 's', 'p', 'i', id)).to.equal('OK');
      expect(await fx.c.call('XADD', 's', 'IDMP', 'p', 'i', '*', 'f', 'v')).to.equal(id);
      // xidmprecordCommand's texts and order (src/t_stream.c, 2026 sources): ID, pid, iid, key, entry, pair.
      expect(err(await fx.c.call('XIDMPRECORD', 's', 'p', 'i', other))).to.equal('ERR IID already exists for this producer with a different stream ID');
      expect(err(await fx.c.call('XIDMPRECORD', 's', 'p', 'j', '999-0'))).to.equal('ERR No such message in stream');
      expect(err(await fx.c.call('XIDMPRECORD', 's', '', 'j', id))).to.equal('ERR producer ID must be non-empty');
      expect(err(await fx.c.call('XIDMPRECORD', 'nokey', 'p', '', id))).to.equal('ERR idempotent ID must be non-empty');
      expect(err(await fx.c.call('XIDMPRECORD', 'nokey', 'p', 'j', id))).to.equal('ERR no such key');
      expect(err(await fx.c.call('XIDMPRECORD', 'nokey', '', 'j', 'bad'))).to.equal('ERR Invalid stream ID specified as stream command argument');
    });
  });

  describe('a producer that retries after a dropped connection', () => {
    it('never creates a duplicate entry, whether or not the cut request was applied', async () => {
      const messages = 40;
      for (let n = 0; n < messages; n++) {
        // Send and cut the connection before reading the reply: the producer cannot know whether it was added.
        const sock = net.connect(fx.rs.port, '127.0.0.1');
        await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
        sock.write(encodeCommand(['XADD', 'orders', 'IDMP', 'producer-1', `msg-${n}`, '*', 'n', String(n)]));
        if (n % 2 === 0) await sleep(2); // sometimes the server gets it, sometimes the cut wins
        sock.destroy();
        // Retry on a new connection until a reply arrives.
        const retry = await RawConnection.open(fx.rs.port);
        const id = (await retry.call('XADD', 'orders', 'IDMP', 'producer-1', `msg-${n}`, '*', 'n', String(n))) as string;
        expect(id).to.match(/^\d+-\d+$/);
        retry.close();
      }
      await sleep(20);
      const entries = (await fx.c.call('XRANGE', 'orders', '-', '+')) as [string, string[]][];
      expect(entries.map((e) => e[1][1])).to.deep.equal(Array.from({ length: messages }, (_, i) => String(i)));
    });
  });

  it('COMMAND DOCS lists IDMP/IDMPAUTO on XADD since 8.6.0, and XCFGSET since 8.6.0', async () => {
    const docs = (await fx.c.call('COMMAND', 'DOCS', 'xadd', 'xcfgset', 'xidmprecord')) as unknown[];
    const m = new Map<string, Map<string, unknown>>();
    for (let i = 0; i < docs.length; i += 2) m.set(String(docs[i]), infoMap(docs[i + 1] as Reply));
    expect(m.get('xadd')!.get('history')).to.deep.include(['8.6.0', 'Added the `IDMPAUTO` and `IDMP` options.']);
    expect(JSON.stringify(m.get('xadd')!.get('arguments'))).to.contain('"IDMPAUTO"');
    expect(m.get('xcfgset')!.get('since')).to.equal('8.6.0');
    expect(m.get('xidmprecord')!.get('since')).to.equal('8.8.0');
  });
});
