import { expect } from 'chai';
import { startRivulet, startRedis, RawConnection, differential, HAVE_REDIS, type ExternalServer, type Reply } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';
import { resp3 } from './util.js';

const MAX = '18446744073709551615';
const err = (r: Reply): string => (r as Error).message;
const e = (id: string, ...f: string[]): Reply => [id, f];

describe('XRANGE and XREVRANGE', () => {
  let rs: RivuletServer;
  let c: RawConnection;
  before(async () => {
    rs = await startRivulet();
    c = await RawConnection.open(rs.port);
    await c.call('FLUSHALL');
    for (const id of ['1-0', '1-1', '2-0', '3-5']) await c.call('XADD', 's', id, 'f', id);
    await c.call('XADD', 'big', `${MAX}-0`, 'a', '1');
    await c.call('XADD', 'big', `${MAX}-${MAX}`, 'b', '2');
  });
  after(async () => {
    c.close();
    await rs.close();
  });

  it('- and + cover the whole stream, in both directions', async () => {
    expect(await c.call('XRANGE', 's', '-', '+')).to.deep.equal([e('1-0', 'f', '1-0'), e('1-1', 'f', '1-1'), e('2-0', 'f', '2-0'), e('3-5', 'f', '3-5')]);
    expect(await c.call('XREVRANGE', 's', '+', '-')).to.deep.equal([e('3-5', 'f', '3-5'), e('2-0', 'f', '2-0'), e('1-1', 'f', '1-1'), e('1-0', 'f', '1-0')]);
  });

  it('an incomplete ID means sequence 0 as a start and the largest sequence as an end', async () => {
    expect(await c.call('XRANGE', 's', '1', '1')).to.deep.equal([e('1-0', 'f', '1-0'), e('1-1', 'f', '1-1')]);
    expect(await c.call('XREVRANGE', 's', '3', '2')).to.deep.equal([e('3-5', 'f', '3-5'), e('2-0', 'f', '2-0')]);
  });

  it('( makes a bound exclusive', async () => {
    expect(await c.call('XRANGE', 's', '(1-0', '(3-5')).to.deep.equal([e('1-1', 'f', '1-1'), e('2-0', 'f', '2-0')]);
    expect(await c.call('XREVRANGE', 's', '(3-5', '(1-1')).to.deep.equal([e('2-0', 'f', '2-0')]);
    expect(await c.call('XRANGE', 's', '(1', '+')).to.deep.equal([e('1-1', 'f', '1-1'), e('2-0', 'f', '2-0'), e('3-5', 'f', '3-5')]);
  });

  it('an exclusive bound with no successor or predecessor is refused', async () => {
    expect(err(await c.call('XRANGE', 's', `(${MAX}-${MAX}`, '+'))).to.equal('ERR invalid start ID for the interval');
    expect(err(await c.call('XRANGE', 's', '-', '(0-0'))).to.equal('ERR invalid end ID for the interval');
    expect(err(await c.call('XREVRANGE', 's', '(0-0', '-'))).to.equal('ERR invalid end ID for the interval');
  });

  it('(- and (+ are invalid IDs, and so is a lone (', async () => {
    for (const [a, b] of [['(-', '+'], ['-', '(+'], ['(', '+'], ['abc', '+']]) {
      expect(err(await c.call('XRANGE', 's', a, b))).to.equal('ERR Invalid stream ID specified as stream command argument');
    }
  });

  it('COUNT limits the reply; COUNT 0 or negative gives a null array; a missing key gives an empty array', async () => {
    expect(await c.call('XRANGE', 's', '-', '+', 'COUNT', '2')).to.deep.equal([e('1-0', 'f', '1-0'), e('1-1', 'f', '1-1')]);
    expect(await c.call('XREVRANGE', 's', '+', '-', 'count', '1')).to.deep.equal([e('3-5', 'f', '3-5')]);
    expect(await c.call('XRANGE', 's', '-', '+', 'COUNT', '0')).to.equal(null);
    expect(await c.call('XRANGE', 's', '-', '+', 'COUNT', '-3')).to.equal(null);
    expect(await c.call('XRANGE', 'nokey', '-', '+', 'COUNT', '0')).to.deep.equal([]);
    expect(await c.call('XRANGE', 's', '-', '+', 'COUNT', '5', 'COUNT', '1')).to.deep.equal([e('1-0', 'f', '1-0')]);
  });

  it('bad COUNT syntax is refused', async () => {
    expect(err(await c.call('XRANGE', 's', '-', '+', 'COUNT'))).to.equal('ERR syntax error');
    expect(err(await c.call('XRANGE', 's', '-', '+', 'COUNT', '1', 'X'))).to.equal('ERR syntax error');
    expect(err(await c.call('XRANGE', 's', '-', '+', 'COUNT', 'x'))).to.equal('ERR value is not an integer or out of range');
  });

  it('a start above the end gives an empty array', async () => {
    expect(await c.call('XRANGE', 's', '+', '-')).to.deep.equal([]);
  });

  it('works at the top of the 64-bit ID space', async () => {
    expect(await c.call('XRANGE', 'big', `${MAX}-1`, '+')).to.deep.equal([e(`${MAX}-${MAX}`, 'b', '2')]);
    expect(await c.call('XREVRANGE', 'big', '+', '-', 'COUNT', '1')).to.deep.equal([e(`${MAX}-${MAX}`, 'b', '2')]);
  });

  it('on a string key is WRONGTYPE (after the arguments are parsed)', async () => {
    await c.call('SET', 'str', 'x');
    expect(err(await c.call('XRANGE', 'str', '-', '+'))).to.equal('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(err(await c.call('XRANGE', 'str', 'bad', '+'))).to.equal('ERR Invalid stream ID specified as stream command argument');
  });

  it('replies in RESP3 with arrays of [id, [field, value]] and _ for COUNT 0', async () => {
    const r3 = await resp3(rs.port);
    try {
      expect(await r3.call('XRANGE', 's', '2', '3')).to.equal('*2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$3\r\n2-0\r\n*2\r\n$3\r\n3-5\r\n*2\r\n$1\r\nf\r\n$3\r\n3-5\r\n');
      expect(await r3.call('XRANGE', 's', '-', '+', 'COUNT', '0')).to.equal('_\r\n');
      expect(await r3.call('XRANGE', 'nokey', '-', '+')).to.equal('*0\r\n');
    } finally {
      r3.close();
    }
  });

  (HAVE_REDIS ? describe : describe.skip)('against redis-server (differential)', () => {
    let oracle: ExternalServer;
    before(async () => {
      oracle = await startRedis();
    });
    after(async () => {
      await oracle.stop();
    });

    it('ranges, bounds, COUNT and errors give identical replies, across chunk boundaries', async () => {
      const script: (string | number)[][] = [['CONFIG', 'SET', 'stream-node-max-entries', '3']];
      for (let i = 1; i <= 20; i++) script.push(['XADD', 's', `${i}-${i % 3}`, 'f', `v${i}`, ...(i % 4 === 0 ? ['g', 'x'] : [])]);
      script.push(['XDEL', 's', '4-1', '5-2', '6-0', '10-1']);
      for (const [a, b] of [['-', '+'], ['3', '9'], ['(3-0', '(9-0'], ['5', '5'], ['4', '7'], ['(1', '(20'], ['0', '0'], ['+', '-']]) {
        script.push(['XRANGE', 's', a, b], ['XREVRANGE', 's', b, a], ['XRANGE', 's', a, b, 'COUNT', 2], ['XREVRANGE', 's', b, a, 'COUNT', 3]);
      }
      script.push(
        ['XRANGE', 's', '-', '+', 'COUNT', 0],
        ['XRANGE', 'nokey', '-', '+', 'COUNT', 0],
        ['XRANGE', 's', '(-', '+'],
        ['XRANGE', 's', `(${MAX}-${MAX}`, '+'],
        ['XRANGE', 's', '-', '(0-0'],
        ['XRANGE', 's', '-', '+', 'COUNT'],
        ['XRANGE', 's', '-', '+', 'LIMIT', 1],
        ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
      );
      await differential(rs.port, oracle.port, script);
    });
  });
});
