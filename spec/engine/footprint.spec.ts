/**
 * The compact forms behind the footprint figures (issue 20, "Resources"; the
 * figures themselves are in `npm run bench -- --only footprint`): small plain
 * strings held as JS strings, the MULTI queue held as bytes. Each must give
 * back exactly what was stored.
 */
import { expect } from 'chai';
import { CommandQueue } from '../../lib/engine/queue.js';
import type { CommandSpec } from '../../lib/command.js';
import { startRivulet, RawConnection, normalise } from '../helpers.js';

const spec = (name: string, flags: string[]): CommandSpec => ({ name, arity: -1, flags, acl: [], firstKey: 0, lastKey: 0, step: 0, summary: '', since: '1.0.0', group: 'generic', complexity: 'O(1)' }) as unknown as CommandSpec;

describe('compact value and queue forms (issue 20)', () => {
  it('the MULTI queue gives back every argv byte for byte (empty, binary, long arguments) with its spec and name, in order', () => {
    const q = new CommandQueue();
    const get = spec('get', ['readonly', 'fast']);
    const set = spec('set', ['write', 'denyoom']);
    const long = Buffer.alloc(100_000, 0xab);
    const argvs = [
      [Buffer.from('GET'), Buffer.from('k')],
      [Buffer.from('SET'), Buffer.alloc(0), Buffer.from([0, 13, 10, 255]), long],
      [Buffer.from('GET'), Buffer.from('k2')],
    ];
    q.push(get, 'get', argvs[0]);
    expect(q.has('write'), 'write after a read only').to.equal(false);
    q.push(set, 'set', argvs[1]);
    q.push(get, 'get', argvs[2]);
    expect(q.length).to.equal(3);
    expect([q.has('write'), q.has('denyoom'), q.has('fast'), q.has('noscript')]).to.deep.equal([true, true, true, false]);
    // The queue copied the bytes: changing the originals changes nothing queued.
    argvs[0][1][0] = 0x78;
    const back = [...q.commands()];
    expect(back.map((c) => c.fullName)).to.deep.equal(['get', 'set', 'get']);
    expect(back[1].spec).to.equal(set);
    expect(back.map((c) => c.argv.map((a) => a.toString('hex')))).to.deep.equal([
      ['474554', '6b'],
      ['534554', '', '000d0aff', long.toString('hex')],
      ['474554', '6b32'],
    ]);
  });

  it('small plain strings are held compactly; values with a forced encoding or APPEND room stay Buffers; every read gives the same bytes and encoding', async () => {
    const srv = await startRivulet();
    try {
      const c = await RawConnection.open(srv.port);
      const db = srv.server.dbs[0];
      await c.call('SET', 'small', 'value:1');
      await c.call('SET', 'int', '12345');
      await c.call('SET', 'bin', Buffer.from([0, 200, 13, 10, 255]));
      await c.call('SET', 'big', 'x'.repeat(45));
      await c.call('SET', 'app', 'a');
      await c.call('APPEND', 'app', 'b');
      await c.call('SET', 'float', '1');
      await c.call('INCRBYFLOAT', 'float', '1.5');
      expect(['small', 'int', 'bin', 'big', 'app', 'float'].map((k) => typeof db.data.get(k))).to.deep.equal(['string', 'string', 'string', 'object', 'object', 'object']);
      const enc = [];
      for (const k of ['small', 'int', 'bin', 'big', 'app', 'float']) enc.push(normalise(await c.call('OBJECT', 'ENCODING', k)));
      expect(enc).to.deep.equal(['embstr', 'int', 'embstr', 'raw', 'raw', 'embstr']);
      const raw = await RawConnection.open(srv.port, true);
      expect(((await raw.call('GET', 'bin')) as Buffer).toString('hex')).to.equal('00c80d0aff');
      raw.close();
      // A reader mutating the Buffer it got changes nothing stored.
      (db.peek('small') as Buffer)[0] = 0x58;
      expect(await c.call('GET', 'small')).to.equal('value:1');
      expect(await c.call('APPEND', 'small', '!')).to.equal(8);
      expect(await c.call('GET', 'small')).to.equal('value:1!');
      expect(await c.call('STRLEN', 'int')).to.equal(5);
      expect(await c.call('INCR', 'int')).to.equal(12346);
      c.close();
    } finally {
      await srv.close();
    }
  });
});

describe('used_memory with string keys measured without a per-key cost entry (issue 20)', () => {
  it('equals the idle figure plus every key\'s MEMORY USAGE (and 24 bytes per TTL) through overwrites, expiry changes, type changes, deletes and FLUSHDB', async () => {
    const srv = await startRivulet();
    try {
      const c = await RawConnection.open(srv.port);
      const used = async (): Promise<number> => Number(/used_memory:(\d+)/.exec(String(await c.call('INFO', 'memory')))![1]);
      const expected = async (): Promise<number> => {
        let sum = 0;
        for (const k of (await c.call('KEYS', '*')) as string[]) {
          sum += (await c.call('MEMORY', 'USAGE', k)) as number;
          if (((await c.call('PTTL', k)) as number) >= 0) sum += 24;
        }
        return sum;
      };
      const base = await used();
      const steps: (string | number)[][] = [
        ['SET', 'a', 'small'],
        ['SET', 'b', '12345'],
        ['SET', 'c', 'x'.repeat(100)],
        ['SET', 'a', 'another small value'],
        ['SET', 'a', 'again', 'EX', '1000'],
        ['EXPIRE', 'b', '1000'],
        ['PERSIST', 'a'],
        ['APPEND', 'b', 'more'],
        ['HSET', 'h', 'f', 'v'],
        ['SET', 'h', 'now a string'],
        ['DEL', 'a'],
        ['RPUSH', 'a', 'x', 'y'],
        ['SET', 'a', 'string again'],
        ['INCR', 'n'],
        ['INCRBY', 'n', '100000000000'],
        ['GETEX', 'n', 'PX', '100000'],
      ];
      for (const s of steps) {
        const r = await c.call(...s);
        expect(r instanceof Error, `${s.join(' ')}: ${String(r)}`).to.equal(false);
        expect((await used()) - base, `after ${s.join(' ')}`).to.equal(await expected());
      }
      // A key that expires (lazily deleted by the GET): measured only once it is gone, the clock being what it is.
      await c.call('SET', 'gone', 'soon', 'PX', '1');
      await new Promise((r) => setTimeout(r, 20));
      expect(await c.call('GET', 'gone')).to.equal(null);
      expect((await used()) - base, 'after a lazy expiry').to.equal(await expected());
      await c.call('FLUSHDB');
      await c.call('SET', 'z', 'after the flush');
      expect((await used()) - base, 'after FLUSHDB').to.equal(await expected());
      await c.call('DEL', 'z');
      expect(await used(), 'back to the idle figure').to.equal(base);
      c.close();
    } finally {
      await srv.close();
    }
  });
});
