/**
 * Redis 8.10 MAXCOUNT and MAXSIZE on XREAD and XREADGROUP. No oracle
 * (redis-server 7.0 lacks them): each test states the documented behaviour
 * it checks — redis.io XREAD/XREADGROUP pages ("the maximum number of
 * entries to return in total across all streams"), and the 8.10 release
 * notes as client libraries describe them (redis/redis#15282, jedis #4627:
 * streams served in caller order, the rest skipped once MAXCOUNT is reached;
 * MAXSIZE a soft byte cap that still returns one oversized entry).
 */
import { expect } from 'chai';
import { startRivulet, RawConnection, type Reply } from '../../../helpers.js';
import type { RivuletServer } from '../../../../lib/index.js';

const err = (r: Reply): string => (r as Error).message;
type ReadReply = [string, [string, string[]][]][] | null;
const shape = (r: Reply): [string, string[]][] => ((r as ReadReply) ?? []).map(([k, es]) => [k, es.map((e) => e[0])]);

describe('MAXCOUNT and MAXSIZE (Redis 8.10)', () => {
  let rs: RivuletServer;
  let c: RawConnection;
  before(async () => {
    rs = await startRivulet();
    c = await RawConnection.open(rs.port);
  });
  after(async () => {
    c.close();
    await rs.close();
  });
  beforeEach(async () => {
    await c.call('FLUSHALL');
    for (const k of ['s1', 's2', 's3']) for (let i = 1; i <= 3; i++) await c.call('XADD', k, `${i}-0`, 'f', `${k}v${i}`);
  });

  describe('XREAD', () => {
    it('COUNT is per stream; MAXCOUNT caps the total, serving streams in order and skipping the rest (docs example)', async () => {
      expect(shape(await c.call('XREAD', 'COUNT', '2', 'STREAMS', 's1', 's2', 's3', '0', '0', '0'))).to.deep.equal([
        ['s1', ['1-0', '2-0']],
        ['s2', ['1-0', '2-0']],
        ['s3', ['1-0', '2-0']],
      ]);
      expect(shape(await c.call('XREAD', 'COUNT', '2', 'MAXCOUNT', '3', 'STREAMS', 's1', 's2', 's3', '0', '0', '0'))).to.deep.equal([
        ['s1', ['1-0', '2-0']],
        ['s2', ['1-0']],
      ]);
      expect(shape(await c.call('XREAD', 'MAXCOUNT', '4', 'STREAMS', 's1', 's2', 's3', '0', '0', '0'))).to.deep.equal([
        ['s1', ['1-0', '2-0', '3-0']],
        ['s2', ['1-0']],
      ]);
    });

    it('streams with nothing to read do not use the budget', async () => {
      expect(shape(await c.call('XREAD', 'MAXCOUNT', '2', 'STREAMS', 'nokey', 's1', 's2', '0', '2-0', '0'))).to.deep.equal([
        ['s1', ['3-0']],
        ['s2', ['1-0']],
      ]);
    });

    it('MAXSIZE is a soft cap on the reply bytes: it stops before the entry that would exceed it', async () => {
      // Each entry `[ "n-0", ["f", "s1vN"] ]` is 34 bytes in RESP (*2, $3 id, *2, $1 f, $4 value).
      expect(shape(await c.call('XREAD', 'MAXSIZE', '80', 'STREAMS', 's1', 's2', '0', '0'))).to.deep.equal([['s1', ['1-0', '2-0']]]);
      expect(shape(await c.call('XREAD', 'MAXSIZE', '120', 'STREAMS', 's1', 's2', '0', '0'))).to.deep.equal([['s1', ['1-0', '2-0', '3-0']]]);
      expect(shape(await c.call('XREAD', 'MAXSIZE', '200', 'STREAMS', 's1', 's2', '0', '0'))).to.deep.equal([
        ['s1', ['1-0', '2-0', '3-0']],
        ['s2', ['1-0', '2-0']],
      ]);
    });

    it('MAXSIZE still returns a single entry larger than itself, so a reader always progresses', async () => {
      await c.call('XADD', 'big', '1-0', 'f', 'x'.repeat(1000));
      await c.call('XADD', 'big', '2-0', 'f', 'y');
      expect(shape(await c.call('XREAD', 'MAXSIZE', '10', 'STREAMS', 'big', 's1', '0', '0'))).to.deep.equal([['big', ['1-0']]]);
    });

    it('both options together: whichever limit is reached first', async () => {
      expect(shape(await c.call('XREAD', 'MAXCOUNT', '5', 'MAXSIZE', '80', 'STREAMS', 's1', '0'))).to.deep.equal([['s1', ['1-0', '2-0']]]);
      expect(shape(await c.call('XREAD', 'MAXCOUNT', '1', 'MAXSIZE', '1000', 'STREAMS', 's1', '0'))).to.deep.equal([['s1', ['1-0']]]);
    });

    it('a blocked reader is served within the limits when entries arrive', async () => {
      const w = await RawConnection.open(rs.port);
      try {
        const p = w.call('XREAD', 'MAXCOUNT', '1', 'BLOCK', '2000', 'STREAMS', 's1', 's2', '$', '$');
        await new Promise((r) => setTimeout(r, 30));
        await c.call('MULTI');
        await c.call('XADD', 's1', '7-0', 'f', 'a');
        await c.call('XADD', 's1', '8-0', 'f', 'b');
        await c.call('XADD', 's2', '7-0', 'f', 'c');
        await c.call('EXEC');
        expect(shape(await p)).to.deep.equal([['s1', ['7-0']]]);
      } finally {
        w.close();
      }
    });

    it('refuses non-positive or non-integer values, and MAXCOUNT below COUNT', async () => {
      for (const v of ['0', '-1', 'x']) {
        expect(err(await c.call('XREAD', 'MAXCOUNT', v, 'STREAMS', 's1', '0'))).to.equal('ERR MAXCOUNT must be a positive integer');
        expect(err(await c.call('XREAD', 'MAXSIZE', v, 'STREAMS', 's1', '0'))).to.equal('ERR MAXSIZE must be a positive integer');
      }
      expect(err(await c.call('XREAD', 'COUNT', '5', 'MAXCOUNT', '4', 'STREAMS', 's1', '0'))).to.equal(
        'ERR MAXCOUNT must be greater than or equal to COUNT',
      );
      expect(shape(await c.call('XREAD', 'COUNT', '2', 'MAXCOUNT', '2', 'STREAMS', 's1', '0'))).to.deep.equal([['s1', ['1-0', '2-0']]]);
    });
  });

  describe('XREADGROUP', () => {
    beforeEach(async () => {
      for (const k of ['s1', 's2', 's3']) await c.call('XGROUP', 'CREATE', k, 'g', '0');
    });

    it('MAXCOUNT caps the total; entries left out are not delivered (no PEL entry, the group does not move past them)', async () => {
      expect(shape(await c.call('XREADGROUP', 'GROUP', 'g', 'a', 'MAXCOUNT', '4', 'STREAMS', 's1', 's2', 's3', '>', '>', '>'))).to.deep.equal([
        ['s1', ['1-0', '2-0', '3-0']],
        ['s2', ['1-0']],
      ]);
      expect(await c.call('XPENDING', 's2', 'g')).to.deep.equal([1, '1-0', '1-0', [['a', '1']]]);
      expect(await c.call('XPENDING', 's3', 'g')).to.deep.equal([0, null, null, null]);
      expect(shape(await c.call('XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 's2', 's3', '>', '>'))).to.deep.equal([
        ['s2', ['2-0', '3-0']],
        ['s3', ['1-0', '2-0', '3-0']],
      ]);
    });

    it('MAXSIZE applies to new entries and to history reads', async () => {
      expect(shape(await c.call('XREADGROUP', 'GROUP', 'g', 'a', 'MAXSIZE', '80', 'STREAMS', 's1', '>'))).to.deep.equal([['s1', ['1-0', '2-0']]]);
      expect(shape(await c.call('XREADGROUP', 'GROUP', 'g', 'a', 'MAXSIZE', '10', 'STREAMS', 's1', '0'))).to.deep.equal([['s1', ['1-0']]]);
    });

    it('claimed entries count against MAXCOUNT too (CLAIM + MAXCOUNT)', async () => {
      await c.call('XREADGROUP', 'GROUP', 'g', 'a', 'COUNT', '2', 'STREAMS', 's1', '>');
      const r = (await c.call('XREADGROUP', 'GROUP', 'g', 'b', 'MAXCOUNT', '3', 'CLAIM', '0', 'STREAMS', 's1', 's2', '>', '>')) as [string, unknown[][]][];
      expect(r.map(([k, es]) => [k, es.map((e) => e[0])])).to.deep.equal([
        ['s1', ['1-0', '2-0', '3-0']],
      ]);
    });

    it('refuses a bad MAXCOUNT and MAXSIZE as XREAD does', async () => {
      expect(err(await c.call('XREADGROUP', 'GROUP', 'g', 'a', 'MAXCOUNT', '0', 'STREAMS', 's1', '>'))).to.equal('ERR MAXCOUNT must be a positive integer');
      expect(err(await c.call('XREADGROUP', 'GROUP', 'g', 'a', 'MAXSIZE', '-3', 'STREAMS', 's1', '>'))).to.equal('ERR MAXSIZE must be a positive integer');
    });
  });

  it('COMMAND DOCS lists MAXCOUNT and MAXSIZE since 8.10.0 with history entries', async () => {
    const docs = (await c.call('COMMAND', 'DOCS', 'xread', 'xreadgroup')) as unknown[];
    for (let i = 0; i < docs.length; i += 2) {
      const flat = docs[i + 1] as unknown[];
      const m = new Map<string, unknown>();
      for (let j = 0; j < flat.length; j += 2) m.set(String(flat[j]), flat[j + 1]);
      expect(m.get('history'), String(docs[i])).to.deep.include(['8.10.0', 'Added the `MAXCOUNT` and `MAXSIZE` options.']);
      const args = JSON.stringify(m.get('arguments'));
      expect(args).to.contain('"token","MAXCOUNT"');
      expect(args).to.contain('"token","MAXSIZE"');
    }
  });
});
