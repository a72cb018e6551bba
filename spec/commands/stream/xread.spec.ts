import { expect } from 'chai';
import net from 'node:net';
import { startRivulet, startRedis, RawConnection, differential, encodeCommand, sleep, HAVE_REDIS, ORACLE_AFTER_7_4, type ExternalServer, type Reply } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';
import { Connection } from '../../../lib/network/connection.js';
import { resp3 } from './util.js';

const MAX = '18446744073709551615';
const err = (r: Reply): string => (r as Error).message;

/** Sends a command without waiting for its reply (for clients that will block). */
function send(c: RawConnection, ...args: (string | number)[]): void {
  c.write(encodeCommand(args));
}

/** Waits until the server counts `n` blocked clients. */
async function blockedCount(rs: RivuletServer, n: number): Promise<void> {
  for (let i = 0; i < 400 && rs.server.blocking.blockedClients !== n; i++) await sleep(5);
  expect(rs.server.blocking.blockedClients).to.equal(n);
}

describe('XREAD', () => {
  let rs: RivuletServer;
  let c: RawConnection;
  const extra: RawConnection[] = [];
  const open = async (): Promise<RawConnection> => {
    const x = await RawConnection.open(rs.port);
    extra.push(x);
    return x;
  };
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
  });
  afterEach(() => {
    for (const x of extra.splice(0)) x.close();
  });

  describe('without BLOCK', () => {
    beforeEach(async () => {
      for (const id of ['1-0', '2-0', '3-0']) await c.call('XADD', 'a', id, 'f', id);
      await c.call('XADD', 'b', '5-0', 'g', 'x');
    });

    it('returns, per stream with newer entries, [key, entries] in the order the keys were given', async () => {
      expect(await c.call('XREAD', 'STREAMS', 'b', 'a', '0', '1-0')).to.deep.equal([
        ['b', [['5-0', ['g', 'x']]]],
        ['a', [['2-0', ['f', '2-0']], ['3-0', ['f', '3-0']]]],
      ]);
    });

    it('leaves out streams with nothing newer, missing keys included, and answers a null array when nothing at all', async () => {
      expect(await c.call('XREAD', 'STREAMS', 'nokey', 'a', 'b', '0', '2', '5')).to.deep.equal([['a', [['3-0', ['f', '3-0']]]]]);
      expect(await c.call('XREAD', 'STREAMS', 'a', 'nokey', '3', '0')).to.equal(null);
      expect(c.received.toString().endsWith('*-1\r\n')).to.equal(true);
    });

    it('COUNT limits entries per stream; 0 or negative means no limit', async () => {
      expect(await c.call('XREAD', 'COUNT', '1', 'STREAMS', 'a', 'b', '0', '0')).to.deep.equal([
        ['a', [['1-0', ['f', '1-0']]]],
        ['b', [['5-0', ['g', 'x']]]],
      ]);
      expect(((await c.call('XREAD', 'COUNT', '-2', 'STREAMS', 'a', '0')) as Reply[][])[0][1]).to.have.length(3);
    });

    it('$ means only entries added after the call, so it answers null without BLOCK', async () => {
      expect(await c.call('XREAD', 'STREAMS', 'a', '$')).to.equal(null);
    });

    it('+ returns the last entry (Redis 7.4), even after the newest one was deleted', async () => {
      expect(await c.call('XREAD', 'STREAMS', 'a', 'b', '+', '+')).to.deep.equal([
        ['a', [['3-0', ['f', '3-0']]]],
        ['b', [['5-0', ['g', 'x']]]],
      ]);
      await c.call('XDEL', 'a', '3-0');
      expect(await c.call('XREAD', 'STREAMS', 'a', '+')).to.deep.equal([['a', [['2-0', ['f', '2-0']]]]]);
      expect(await c.call('XREAD', 'STREAMS', 'nokey', '+')).to.equal(null);
    });

    it('reads across the whole 64-bit ID space', async () => {
      await c.call('XADD', 'big', `${MAX}-${MAX}`, 'f', 'v');
      expect(await c.call('XREAD', 'STREAMS', 'big', `${MAX}-${Number.MAX_SAFE_INTEGER}`)).to.deep.equal([['big', [[`${MAX}-${MAX}`, ['f', 'v']]]]]);
      expect(await c.call('XREAD', 'STREAMS', 'big', `${MAX}-${MAX}`)).to.equal(null);
    });

    it('replies with a map of key → entries in RESP3, and _ when nothing', async () => {
      const r3 = await resp3(rs.port);
      try {
        expect(await r3.call('XREAD', 'STREAMS', 'a', 'b', '2', '0')).to.equal(
          '%2\r\n$1\r\na\r\n*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$3\r\n3-0\r\n$1\r\nb\r\n*1\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\ng\r\n$1\r\nx\r\n',
        );
        expect(await r3.call('XREAD', 'STREAMS', 'a', '$')).to.equal('_\r\n');
        expect(await r3.call('XREAD', 'BLOCK', '10', 'STREAMS', 'a', '$')).to.equal('_\r\n');
      } finally {
        r3.close();
      }
    });

    it('argument errors are Redis\'s, checked key by key in order', async () => {
      await c.call('SET', 'str', 'x');
      const cases: [(string | number)[], string][] = [
        [['STREAMS', 'a'], "ERR wrong number of arguments for 'xread' command"],
        [['STREAMS', 'a', 'b', '0'], "ERR Unbalanced 'xread' list of streams: for each stream key an ID, '+', or '$' must be specified."],
        [['COUNT', '1', 'BLOCK', '1'], 'ERR syntax error'],
        [['FOO', 'STREAMS', 'a', '0'], 'ERR syntax error'],
        [['COUNT', 'x', 'STREAMS', 'a', '0'], 'ERR value is not an integer or out of range'],
        [['BLOCK', 'x', 'STREAMS', 'a', '0'], 'ERR timeout is not an integer or out of range'],
        [['BLOCK', '-1', 'STREAMS', 'a', '0'], 'ERR timeout is negative'],
        [['BLOCK', '9223372036854775807', 'STREAMS', 'a', '0'], 'ERR timeout is out of range'],
        [['GROUP', 'g', 'c', 'STREAMS', 'a', '0'], 'ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.'],
        [['NOACK', 'STREAMS', 'a', '0'], 'ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.'],
        [['STREAMS', 'a', '>'], 'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.'],
        [['STREAMS', 'a', 'bad'], 'ERR Invalid stream ID specified as stream command argument'],
        [['STREAMS', 'a', '-'], 'ERR Invalid stream ID specified as stream command argument'],
        [['STREAMS', 'str', 'bad'], 'WRONGTYPE Operation against a key holding the wrong kind of value'],
        [['STREAMS', 'a', 'str', 'bad', '0'], 'ERR Invalid stream ID specified as stream command argument'],
        [['STREAMS', 'a', 'str', '0', '0'], 'WRONGTYPE Operation against a key holding the wrong kind of value'],
      ];
      for (const [args, msg] of cases) expect(err(await c.call('XREAD', ...args)), args.join(' ')).to.equal(msg);
    });
  });

  describe('with BLOCK', () => {
    it('BLOCK 0 waits until an XADD adds an entry, then returns just the new entries', async () => {
      await c.call('XADD', 's', '1-0', 'f', 'old');
      const r = await open();
      send(r, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await blockedCount(rs, 1);
      await c.call('XADD', 's', '2-0', 'f', 'new');
      expect(await r.next()).to.deep.equal([['s', [['2-0', ['f', 'new']]]]]);
      await blockedCount(rs, 0);
    });

    it('a timeout answers a null array', async () => {
      const r = await open();
      const t0 = Date.now();
      expect(await r.call('XREAD', 'BLOCK', '50', 'STREAMS', 's', '$')).to.equal(null);
      expect(Date.now() - t0).to.be.at.least(45);
      expect(r.received.toString().endsWith('*-1\r\n')).to.equal(true);
    });

    it('one XADD wakes every reader of the key in the same turn, in the order they blocked', async () => {
      const readers = [await open(), await open(), await open()];
      const ids: number[] = [];
      for (const r of readers) {
        ids.push((await r.call('CLIENT', 'ID')) as number);
        send(r, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
        await blockedCount(rs, ids.length);
      }
      const order: number[] = [];
      // Record the order in which replies reach the sockets (the one write path of the network layer).
      const proto = Connection.prototype;
      const write = proto.write;
      proto.write = function (this: Connection, data: Buffer): void {
        order.push(this.session.id);
        write.call(this, data);
      };
      try {
        await c.call('XADD', 's', '7-0', 'f', 'v');
        for (const r of readers) expect(await r.next()).to.deep.equal([['s', [['7-0', ['f', 'v']]]]]);
      } finally {
        proto.write = write;
      }
      expect(order.filter((id) => ids.includes(id))).to.deep.equal(ids);
    });

    it('readers woken at one position share one encoded reply, yet each gets its own protocol, COUNT and start', async () => {
      await c.call('XADD', 's', '1-0', 'f', 'old');
      const same = [await open(), await open(), await open()];
      for (const r of same) send(r, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      const counted = await open();
      send(counted, 'XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', '1-0');
      // A RESP3 reader at the same position: a map, not an array.
      const r3 = net.connect(rs.port, '127.0.0.1');
      let bytes3 = '';
      r3.on('data', (d) => (bytes3 += d.toString('latin1')));
      r3.write(encodeCommand(['HELLO', '3']));
      for (let i = 0; i < 200 && !bytes3.includes('modules'); i++) await sleep(5);
      bytes3 = '';
      r3.write(encodeCommand(['XREAD', 'BLOCK', '0', 'STREAMS', 's', '1-0']));
      try {
        await blockedCount(rs, 5);
        await c.call('XADD', 's', '2-0', 'f', 'new', 'g', 'x');
        for (const r of same) expect(await r.next()).to.deep.equal([['s', [['2-0', ['f', 'new', 'g', 'x']]]]]);
        expect(await counted.next()).to.deep.equal([['s', [['2-0', ['f', 'new', 'g', 'x']]]]]);
        for (let i = 0; i < 200 && bytes3.length < 60; i++) await sleep(5);
        expect(bytes3).to.equal('%1\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\nf\r\n$3\r\nnew\r\n$1\r\ng\r\n$1\r\nx\r\n');
      } finally {
        r3.destroy();
      }
      // The last reply kept for sharing (COUNT 1 from 1-1) is not handed out once the stream changed.
      await c.call('XADD', 's', '3-0', 'f', 'third');
      expect(await c.call('XREAD', 'COUNT', '1', 'STREAMS', 's', '1-0')).to.deep.equal([['s', [['2-0', ['f', 'new', 'g', 'x']]]]]);
      expect(await c.call('XDEL', 's', '2-0')).to.equal(1);
      expect(await c.call('XREAD', 'COUNT', '1', 'STREAMS', 's', '1-0')).to.deep.equal([['s', [['3-0', ['f', 'third']]]]]);
    });

    it('waits on several keys and is served by whichever gets an entry', async () => {
      const r = await open();
      send(r, 'XREAD', 'BLOCK', '0', 'STREAMS', 'k1', 'k2', '$', '$');
      await blockedCount(rs, 1);
      await c.call('XADD', 'k2', '3-0', 'f', 'v');
      expect(await r.next()).to.deep.equal([['k2', [['3-0', ['f', 'v']]]]]);
    });

    it('$ is resolved when the read starts: entries deleted and re-added below it do not wake it', async () => {
      await c.call('XADD', 's', '5-0', 'f', 'v');
      const r = await open();
      send(r, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await blockedCount(rs, 1);
      // Deleting the key and re-creating it with a smaller ID: that entry is not above 5-0.
      await c.call('DEL', 's');
      await c.call('XADD', 's', '2-0', 'f', 'v');
      await sleep(30);
      expect(rs.server.blocking.blockedClients).to.equal(1);
      await c.call('XADD', 's', '6-0', 'f', 'w');
      expect(await r.next()).to.deep.equal([['s', [['6-0', ['f', 'w']]]]]);
    });

    it('keeps waiting when the key is deleted or becomes another type', async () => {
      await c.call('XADD', 's', '1-0', 'f', 'v');
      const r = await open();
      send(r, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await blockedCount(rs, 1);
      await c.call('DEL', 's');
      await c.call('SET', 's', 'str');
      await sleep(30);
      expect(rs.server.blocking.blockedClients).to.equal(1);
      await c.call('DEL', 's');
      await c.call('XADD', 's', '9-0', 'f', 'v');
      expect(await r.next()).to.deep.equal([['s', [['9-0', ['f', 'v']]]]]);
    });

    it('+ on an empty stream blocks and returns the last entry added', async () => {
      const r = await open();
      send(r, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '+');
      await blockedCount(rs, 1);
      await c.call('MULTI');
      await c.call('XADD', 's', '1-0', 'f', 'a');
      await c.call('XADD', 's', '2-0', 'f', 'b');
      await c.call('EXEC');
      expect(await r.next()).to.deep.equal([['s', [['2-0', ['f', 'b']]]]]);
    });

    it('BLOCK inside MULTI/EXEC does not block: it answers as a timeout', async () => {
      expect(await c.call('MULTI')).to.equal('OK');
      expect(await c.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$')).to.equal('QUEUED');
      expect(await c.call('EXEC')).to.deep.equal([null]);
      expect(rs.server.blocking.blockedClients).to.equal(0);
    });

    it('a blocked client shows flags=b in CLIENT LIST and counts in INFO blocked_clients', async () => {
      const r = await open();
      const id = (await r.call('CLIENT', 'ID')) as number;
      send(r, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await blockedCount(rs, 1);
      const list = (await c.call('CLIENT', 'LIST')) as string;
      const line = list.split('\n').find((l) => l.startsWith(`id=${id} `))!;
      expect(line).to.match(/ flags=b /);
      expect(line).to.match(/ cmd=xread /);
      expect(await c.call('INFO', 'clients')).to.match(/\r\nblocked_clients:1\r\n/);
    });

    it('a disconnected blocked client leaves nothing behind', async () => {
      const r = await open();
      send(r, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await blockedCount(rs, 1);
      r.close();
      await blockedCount(rs, 0);
      expect(rs.server.blocking.hasWaiters(rs.server.dbs[0], 's')).to.equal(false);
      expect(await c.call('XADD', 's', '1-0', 'f', 'v')).to.equal('1-0');
    });

    it('pipelined commands after a blocking XREAD run once it is served', async () => {
      const r = await open();
      r.write(Buffer.concat([encodeCommand(['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']), encodeCommand(['PING'])]));
      await blockedCount(rs, 1);
      await c.call('XADD', 's', '1-0', 'f', 'v');
      expect(await r.next()).to.deep.equal([['s', [['1-0', ['f', 'v']]]]]);
      expect(await r.next()).to.equal('PONG');
    });
  });

  (HAVE_REDIS ? describe : describe.skip)('against redis-server (differential)', () => {
    let oracle: ExternalServer;
    before(async () => {
      oracle = await startRedis();
    });
    after(async () => {
      await oracle.stop();
    });

    it('an unbalanced STREAMS list gets the late-2024 text naming + (differential against a post-7.4 oracle)', async function () {
      if (!ORACLE_AFTER_7_4) return this.skip(); // Redis 7.0-7.4 releases say "an ID or '$'"; the literal is checked above.
      await differential(rs.port, oracle.port, [
        ['XREAD', 'STREAMS', 'a', 'b', '0'],
        ['XREAD', 'COUNT', 1, 'STREAMS', 'a'],
        ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', 'b', '>'],
      ]);
    });

    // Redis 7.0 differs from 7.4 on `+` (an invalid ID in 7.0), the Unbalanced message and BLOCK overflow, so those stay out.
    it('non-blocking reads, COUNT and errors give identical replies', async () => {
      await differential(rs.port, oracle.port, [
        ['XADD', 'a', '1-0', 'f', 'v'],
        ['XADD', 'a', '2-0', 'f', 'v', 'g', 'w'],
        ['XADD', 'b', '1-5', 'x', 'y'],
        ['XREAD', 'STREAMS', 'a', 'b', '0', '0'],
        ['XREAD', 'COUNT', 1, 'STREAMS', 'a', 'b', '0', '0'],
        ['XREAD', 'COUNT', 1, 'COUNT', 0, 'STREAMS', 'a', '1'],
        ['XREAD', 'STREAMS', 'a', 'b', '2', '1-5'],
        ['XREAD', 'STREAMS', 'a', '$'],
        ['XREAD', 'BLOCK', 10, 'STREAMS', 'a', '$'],
        ['XREAD', 'STREAMS', 'nokey', '0'],
        ['XREAD', 'STREAMS', 'a', '>'],
        ['XREAD', 'BLOCK', -1, 'STREAMS', 'a', '0'],
        ['XREAD', 'GROUP', 'g', 'c', 'STREAMS', 'a', '0'],
        ['XREAD', 'NOACK', 'STREAMS', 'a', '0'],
        ['XREAD', 'STREAMS', 'a', '1-x'],
        ['SET', 'str', 'x'],
        ['XREAD', 'STREAMS', 'a', 'str', 'bad', '0'],
        ['XREAD', 'STREAMS', 'str', 'a', '0', 'bad'],
        ['XDEL', 'a', '2-0'],
        ['XREAD', 'STREAMS', 'a', '1-0'],
        ['MULTI'],
        ['XREAD', 'BLOCK', 0, 'STREAMS', 'a', '$'],
        ['EXEC'],
      ]);
    });
  });
});
