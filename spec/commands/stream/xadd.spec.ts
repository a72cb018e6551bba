import { expect } from 'chai';
import { startRedis, differential, HAVE_REDIS, type ExternalServer, type Reply } from '../../helpers.js';
import { useStreamRaw } from './fixture.js';
import { resp3 } from './util.js';

const MAX = '18446744073709551615';
const err = (r: Reply): string => (r as Error).message;

describe('XADD', () => {
  const fx = useStreamRaw();
  beforeEach(async () => {
    await fx.c.call('FLUSHALL');
    fx.cap.reset();
  });

  it('returns the explicit ID it was given and stores the fields in order', async () => {
    expect(await fx.c.call('XADD', 's', '1-1', 'f1', 'v1', 'f2', 'v2')).to.equal('1-1');
    expect(await fx.c.call('XRANGE', 's', '-', '+')).to.deep.equal([['1-1', ['f1', 'v1', 'f2', 'v2']]]);
  });

  it('with * picks the current time and sequence 0, then increments the sequence within the same millisecond', async () => {
    const before = Date.now();
    const id = (await fx.c.call('XADD', 's', '*', 'f', 'v')) as string;
    const [ms, seq] = id.split('-').map(Number);
    expect(ms).to.be.within(before, Date.now());
    expect(seq).to.equal(0);
    // A last ID in the future: * continues from it instead of going back in time.
    await fx.c.call('XADD', 'f', `${Date.now() + 100000}-5`, 'f', 'v');
    const next = (await fx.c.call('XADD', 'f', '*', 'f', 'v')) as string;
    expect(next.endsWith('-6')).to.equal(true);
  });

  it('with ms-* starts at sequence 0 for a new millisecond and increments within the last one', async () => {
    expect(await fx.c.call('XADD', 's', '5-*', 'f', 'v')).to.equal('5-0');
    expect(await fx.c.call('XADD', 's', '5-*', 'f', 'v')).to.equal('5-1');
    expect(await fx.c.call('XADD', 's', '6-*', 'f', 'v')).to.equal('6-0');
    expect(await fx.c.call('XADD', 'z', '0-*', 'f', 'v')).to.equal('0-1');
  });

  it('accepts an ID without a sequence as sequence 0', async () => {
    expect(await fx.c.call('XADD', 's', '7', 'f', 'v')).to.equal('7-0');
  });

  it('XADD with an ID equal to the top item is refused, and so is a smaller one', async () => {
    await fx.c.call('XADD', 's', '5-5', 'f', 'v');
    expect(err(await fx.c.call('XADD', 's', '5-5', 'f', 'v'))).to.equal('ERR The ID specified in XADD is equal or smaller than the target stream top item');
    expect(err(await fx.c.call('XADD', 's', '5-4', 'f', 'v'))).to.equal('ERR The ID specified in XADD is equal or smaller than the target stream top item');
    expect(err(await fx.c.call('XADD', 's', '4-*', 'f', 'v'))).to.equal('ERR The ID specified in XADD is equal or smaller than the target stream top item');
    expect(await fx.c.call('XLEN', 's')).to.equal(1);
  });

  it('XADD 0-0 is refused without creating the key', async () => {
    expect(err(await fx.c.call('XADD', 's', '0-0', 'f', 'v'))).to.equal('ERR The ID specified in XADD must be greater than 0-0');
    expect(err(await fx.c.call('XADD', 's', '0', 'f', 'v'))).to.equal('ERR The ID specified in XADD must be greater than 0-0');
    expect(await fx.c.call('EXISTS', 's')).to.equal(0);
  });

  it('ms-* whose sequence would overflow is refused as not greater than the top item (7.4; Redis 7.0 says "Elements are too large")', async () => {
    await fx.c.call('XADD', 's', `5-${MAX}`, 'f', 'v');
    expect(err(await fx.c.call('XADD', 's', '5-*', 'f', 'v'))).to.equal('ERR The ID specified in XADD is equal or smaller than the target stream top item');
    expect(await fx.c.call('XADD', 's', '6-*', 'f', 'v')).to.equal('6-0');
  });

  it('full 64-bit IDs work, and a stream at the maximum ID is exhausted', async () => {
    expect(await fx.c.call('XADD', 's', `${MAX}-${MAX}`, 'f', 'v')).to.equal(`${MAX}-${MAX}`);
    expect(await fx.c.call('XRANGE', 's', '-', '+')).to.deep.equal([[`${MAX}-${MAX}`, ['f', 'v']]]);
    const exhausted = 'ERR The stream has exhausted the last possible ID, unable to add more items';
    expect(err(await fx.c.call('XADD', 's', '*', 'f', 'v'))).to.equal(exhausted);
    expect(err(await fx.c.call('XADD', 's', `${MAX}-*`, 'f', 'v'))).to.equal(exhausted);
    expect(await fx.c.call('XADD', 't', `${MAX}-*`, 'f', 'v')).to.equal(`${MAX}-0`);
    expect(await fx.c.call('XADD', 't', `${MAX}-*`, 'f', 'v')).to.equal(`${MAX}-1`);
    expect(await fx.c.call('XADD', 'u', `9007199254740993-${MAX}`, 'f', 'v')).to.equal(`9007199254740993-${MAX}`);
    expect(await fx.c.call('XADD', 'u', '*', 'f', 'v')).to.equal('9007199254740994-0');
  });

  it('IDs beyond 64 bits or malformed are invalid', async () => {
    const invalid = 'ERR Invalid stream ID specified as stream command argument';
    for (const id of ['18446744073709551616-0', `1-${MAX}0`, 'abc', '1-x', '1-2-3', '-', '+', '1-**', 'x'.repeat(200)]) {
      expect(err(await fx.c.call('XADD', 's', id, 'f', 'v')), id).to.equal(invalid);
    }
    expect(await fx.c.call('EXISTS', 's')).to.equal(0);
  });

  it('parses ID halves as Redis does with strtoull: leading blanks, a sign and leading zeros are accepted', async () => {
    expect(await fx.c.call('XADD', 's', ' 5-+3', 'f', 'v')).to.equal('5-3');
    expect(await fx.c.call('XADD', 's', '007-01', 'f', 'v')).to.equal('7-1');
    expect(await fx.c.call('XADD', 's', '8--01', 'f', 'v')).to.equal(`8-${MAX}`);
  });

  it('an odd number of field/value arguments or none is an arity error', async () => {
    const arity = "ERR wrong number of arguments for 'xadd' command";
    expect(err(await fx.c.call('XADD', 's', '*', 'f', 'v', 'g'))).to.equal(arity);
    expect(err(await fx.c.call('XADD', 's', 'MAXLEN', '5', '*', 'f'))).to.equal(arity);
    expect(err(await fx.c.call('XADD', 's', '*'))).to.equal(arity);
    expect(err(await fx.c.call('XADD', 's', '*', 'f'))).to.equal(arity);
  });

  it('NOMKSTREAM on a missing key answers nil and creates nothing; on an existing one it adds', async () => {
    expect(await fx.c.call('XADD', 's', 'NOMKSTREAM', '*', 'f', 'v')).to.equal(null);
    expect(await fx.c.call('EXISTS', 's')).to.equal(0);
    expect(fx.cap.aof).to.deep.equal([]);
    await fx.c.call('XADD', 's', '1-1', 'f', 'v');
    expect(await fx.c.call('XADD', 's', 'nomkstream', '2-1', 'f', 'v')).to.equal('2-1');
  });

  it('trim option errors are Redis\'s, word for word', async () => {
    const cases: [string[], string][] = [
      [['MAXLEN', '-1'], 'ERR The MAXLEN argument must be >= 0.'],
      [['MAXLEN', 'x'], 'ERR value is not an integer or out of range'],
      [['MAXLEN', '~', 'x'], 'ERR value is not an integer or out of range'],
      [['MAXLEN', '1', 'LIMIT', '5'], 'ERR syntax error, LIMIT cannot be used without the special ~ option'],
      [['MAXLEN', '=', '1', 'LIMIT', '5'], 'ERR syntax error, LIMIT cannot be used without the special ~ option'],
      [['LIMIT', '5'], 'ERR syntax error, LIMIT cannot be used without specifying a trimming strategy'],
      [['LIMIT', '-1'], 'ERR The LIMIT argument must be >= 0.'],
      [['LIMIT', 'x'], 'ERR value is not an integer or out of range'],
      [['MAXLEN', '1', 'MINID', '1'], 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible'],
      [['MINID', '1', 'MAXLEN', '1'], 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible'],
      [['MINID', 'x'], 'ERR Invalid stream ID specified as stream command argument'],
      [['MINID', '-'], 'ERR Invalid stream ID specified as stream command argument'],
    ];
    for (const [opts, msg] of cases) {
      expect(err(await fx.c.call('XADD', 's', ...opts, '*', 'f', 'v')), opts.join(' ')).to.equal(msg);
    }
    expect(await fx.c.call('EXISTS', 's')).to.equal(0);
    expect(fx.cap.aof).to.deep.equal([]);
  });

  it('LIMIT 0 without a strategy passes the strategy check but not the ~ check, as in Redis', async () => {
    expect(err(await fx.c.call('XADD', 's', 'LIMIT', '0', '1-1', 'f', 'v'))).to.equal(
      'ERR syntax error, LIMIT cannot be used without the special ~ option',
    );
  });

  it('MAXLEN and MINID trim exactly after the add', async () => {
    for (let i = 1; i <= 5; i++) await fx.c.call('XADD', 's', `${i}-0`, 'f', 'v');
    expect(await fx.c.call('XADD', 's', 'MAXLEN', '3', '6-0', 'f', 'v')).to.equal('6-0');
    expect(await fx.c.call('XLEN', 's')).to.equal(3);
    expect(await fx.c.call('XADD', 's', 'MINID', '=', '6', '7-0', 'f', 'v')).to.equal('7-0');
    expect(await fx.c.call('XRANGE', 's', '-', '+')).to.deep.equal([
      ['6-0', ['f', 'v']],
      ['7-0', ['f', 'v']],
    ]);
    // MAXLEN 0 keeps the (now empty) stream.
    expect(await fx.c.call('XADD', 's', 'MAXLEN', '0', '8-0', 'f', 'v')).to.equal('8-0');
    expect(await fx.c.call('XLEN', 's')).to.equal(0);
    expect(await fx.c.call('TYPE', 's')).to.equal('stream');
  });

  it('propagates * and ms-* as the concrete ID chosen', async () => {
    const id = (await fx.c.call('XADD', 's', '*', 'f', 'v')) as string;
    await fx.c.call('XADD', 's', '99999999999999-*', 'g', 'w');
    await fx.c.call('XADD', 's', '99999999999999-7', 'h', 'x');
    expect(fx.cap.aof).to.deep.equal([
      ['XADD', 's', id, 'f', 'v'],
      ['XADD', 's', '99999999999999-0', 'g', 'w'],
      ['XADD', 's', '99999999999999-7', 'h', 'x'],
    ]);
  });

  it('propagates a ~ trim as the exact trim it achieved, without LIMIT', async () => {
    await fx.c.call('CONFIG', 'SET', 'stream-node-max-entries', '10');
    try {
      for (let i = 1; i <= 30; i++) await fx.c.call('XADD', 's', `${i}-0`, 'f', 'v');
      fx.cap.reset();
      await fx.c.call('XADD', 's', 'NOMKSTREAM', 'MAXLEN', '~', '15', 'LIMIT', '100', '31-0', 'f', 'v');
      await fx.c.call('XADD', 's', 'MINID', '~', '25', '32-*', 'f', 'v');
      await fx.c.call('XADD', 's', 'MAXLEN', '~', '100', '*', 'f', 'v');
      const lastId = fx.cap.aof[2][5];
      expect(fx.cap.aof).to.deep.equal([
        ['XADD', 's', 'NOMKSTREAM', 'MAXLEN', '=', '21', '31-0', 'f', 'v'],
        ['XADD', 's', 'MINID', '=', '21-0', '32-0', 'f', 'v'],
        ['XADD', 's', 'MAXLEN', '=', '13', lastId, 'f', 'v'],
      ]);
      expect(await fx.c.call('XLEN', 's')).to.equal(13);
    } finally {
      await fx.c.call('CONFIG', 'SET', 'stream-node-max-entries', '100');
    }
  });

  it('fires xadd, then xtrim when entries were trimmed, and new for a created key', async () => {
    await fx.c.call('XADD', 's', '1-0', 'f', 'v');
    await fx.c.call('XADD', 's', '2-0', 'f', 'v');
    await fx.c.call('XADD', 's', 'MAXLEN', '1', '3-0', 'f', 'v');
    await fx.c.call('XADD', 's', 'MAXLEN', '5', '4-0', 'f', 'v');
    expect(fx.cap.events).to.deep.equal(['n:new:s', 't:xadd:s', 't:xadd:s', 't:xadd:s', 't:xtrim:s', 't:xadd:s']);
  });

  it('XADD on a string key is WRONGTYPE and changes nothing', async () => {
    await fx.c.call('SET', 'str', 'x');
    fx.cap.reset();
    const wrongtype = 'WRONGTYPE Operation against a key holding the wrong kind of value';
    expect(err(await fx.c.call('XADD', 'str', '*', 'f', 'v'))).to.equal(wrongtype);
    expect(err(await fx.c.call('XADD', 'str', 'NOMKSTREAM', '*', 'f', 'v'))).to.equal(wrongtype);
    expect(await fx.c.call('GET', 'str')).to.equal('x');
    expect(fx.cap.aof).to.deep.equal([]);
  });

  it('stream-node-max-entries changed with CONFIG SET applies to the next append', async () => {
    await fx.c.call('CONFIG', 'SET', 'stream-node-max-entries', '2');
    try {
      for (let i = 1; i <= 6; i++) await fx.c.call('XADD', 's', `${i}-0`, 'f', 'v');
      // Three chunks of two: ~ trimming to 3 can drop exactly one whole chunk.
      expect(await fx.c.call('XTRIM', 's', 'MAXLEN', '~', '3')).to.equal(2);
    } finally {
      await fx.c.call('CONFIG', 'SET', 'stream-node-max-entries', '100');
    }
  });

  it('replies with a bulk string in RESP3 and _ for NOMKSTREAM on a missing key', async () => {
    const r3 = await resp3(fx.rs.port);
    try {
      expect(await r3.call('XADD', 's', '1-1', 'f', 'v')).to.equal('$3\r\n1-1\r\n');
      expect(await r3.call('XADD', 'nokey', 'NOMKSTREAM', '*', 'f', 'v')).to.equal('_\r\n');
      expect(await r3.call('XADD', 's', '1-1', 'f', 'v')).to.equal(
        '-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n',
      );
    } finally {
      r3.close();
    }
    expect((await fx.c.call('XADD', 'nokey', 'NOMKSTREAM', '*', 'f', 'v')) as unknown).to.equal(null);
    expect(fx.c.received.toString().endsWith('$-1\r\n')).to.equal(true);
  });

  (HAVE_REDIS ? describe : describe.skip)('against redis-server (differential)', () => {
    let oracle: ExternalServer;
    before(async () => {
      oracle = await startRedis();
    });
    after(async () => {
      await oracle.stop();
    });

    it('ID forms, ID errors, option errors and trimming give identical replies', async () => {
      await differential(fx.rs.port, oracle.port, [
        ['XADD', 's', '0-0', 'f', 'v'],
        ['XADD', 's', '0-*', 'f', 'v'],
        ['XADD', 's', '0-*', 'f', 'v'],
        ['XADD', 's', '-', 'f', 'v'],
        ['XADD', 's', '+', 'f', 'v'],
        ['XADD', 's', '1-1', 'f'],
        ['XADD', 's', '5--01', 'f', 'v'],
        ['XADD', 's2', '5-+3', 'f', 'v'],
        ['XADD', 's2', ' 7', 'f', 'v'],
        ['XADD', 's2', '007-1', 'f', 'v'],
        ['XADD', 's2', '8-x', 'f', 'v'],
        ['XADD', 's2', '9-1-1', 'f', 'v'],
        ['XADD', 's2', '10--3', 'f', 'v'],
        ['XADD', 's2', '11--0', 'f', 'v'],
        ['XADD', 's3', `${MAX}-${MAX}`, 'f', 'v'],
        ['XADD', 's3', '*', 'f', 'v'],
        ['XADD', 's3', `${MAX}-*`, 'f', 'v'],
        ['XADD', 's4', `${MAX}0-1`, 'f', 'v'],
        ['XADD', 's6', 'NOMKSTREAM', '*', 'f', 'v'],
        ['EXISTS', 's6'],
        ['XADD', 's6', 'MAXLEN', '-1', '*', 'f', 'v'],
        ['XADD', 's6', 'MAXLEN', '1', 'LIMIT', '5', '*', 'f', 'v'],
        ['XADD', 's6', 'LIMIT', '5', '*', 'f', 'v'],
        ['XADD', 's6', 'LIMIT', '0', '1-0', 'f', 'v'],
        ['XADD', 's6', 'LIMIT', '-1', '*', 'f', 'v'],
        ['XADD', 's6', 'MAXLEN', '1', 'MINID', '1', '*', 'f', 'v'],
        ['XADD', 's6', 'MINID', '-', '1-1', 'f', 'v'],
        ['XADD', 's6', 'MAXLEN', '~'],
        ['XADD', 's6', 'MAXLEN', '~', '1', '2-1'],
        ['XADD', 's6', 'MAXLEN', '=', '1', '3-1', 'a', 'b'],
        ['XADD', 's6', 'MAXLEN', '~', '1', 'LIMIT', '2', '4-1', 'a', 'b'],
        ['XADD', 's6', 'nomkstream', 'maxlen', '1', '5-1', 'a', 'b', 'c', 'd'],
        ['XRANGE', 's6', '-', '+'],
        ['XADD', 's7', 'MAXLEN', '0', '1-1', 'f', 'v'],
        ['EXISTS', 's7'],
        ['XLEN', 's7'],
        ['SET', 'str', 'x'],
        ['XADD', 'str', '*', 'f', 'v'],
        ['XADD', 'str', 'NOMKSTREAM', '*', 'f', 'v'],
      ]);
    });

    it('~ trimming during XADD keeps exactly what Redis keeps with the same stream-node-max-entries', async () => {
      const script: (string | number)[][] = [['CONFIG', 'SET', 'stream-node-max-entries', '10']];
      for (let i = 1; i <= 40; i++) script.push(['XADD', 'w', 'MAXLEN', '~', '15', `${i}-0`, 'f', `v${i}`]);
      script.push(['XLEN', 'w'], ['XRANGE', 'w', '-', '+', 'COUNT', '1']);
      for (let i = 1; i <= 40; i++) script.push(['XADD', 'w2', 'MINID', '~', `${i - 12}`, `${i}-0`, 'f', `v${i}`, 'g', 'h']);
      script.push(['XLEN', 'w2'], ['XRANGE', 'w2', '-', '+', 'COUNT', '1']);
      for (let i = 1; i <= 40; i++) script.push(['XADD', 'w3', 'MAXLEN', '~', '5', 'LIMIT', '10', `${i}-0`, 'f', `v${i}`]);
      script.push(['XLEN', 'w3'], ['CONFIG', 'SET', 'stream-node-max-entries', '100']);
      await differential(fx.rs.port, oracle.port, script);
    });
  });
});

