import { expect } from 'chai';
import { useServers, errorText, resp3Replies } from './keyspace/fixture.js';
import { RawConnection, sleep } from '../helpers.js';

describe('MULTI, EXEC, DISCARD, WATCH, UNWATCH', () => {
  const s = useServers();

  it('runs queued commands and replies with all their replies, errors inside included', async () => {
    await s.diff([
      ['MULTI'],
      ['SET', 'a', '1'],
      ['INCR', 'a'],
      ['XADD', 's', '1-1', 'f', 'v'],
      ['INCR', 's'],
      ['GET', 'a'],
      ['EXEC'],
      ['GET', 'a'],
    ]);
  });

  it('a queue-time error aborts EXEC with EXECABORT and nothing runs', async () => {
    await s.diff([
      ['MULTI'],
      ['SET', 'a', '1'],
      ['NOSUCHCOMMAND'],
      ['GET'],
      ['EXEC'],
      ['EXISTS', 'a'],
      ['EXEC'],
    ]);
  });

  it('nesting, EXEC/DISCARD without MULTI and WATCH inside MULTI are refused like Redis', async () => {
    await s.diff([
      ['EXEC'],
      ['DISCARD'],
      ['MULTI'],
      ['MULTI'],
      ['WATCH', 'x'],
      ['SET', 'a', '1'],
      ['EXEC'],
      ['MULTI'],
      ['SET', 'b', '1'],
      ['DISCARD'],
      ['EXISTS', 'b'],
      ['MULTI', 'extra'],
      ['WATCH'],
    ]);
  });

  it('a key changed by another client after WATCH aborts EXEC with a null array', async () => {
    const other = await RawConnection.open(s.port);
    try {
      expect(await s.raw.call('WATCH', 'w')).to.equal('OK');
      await other.call('SET', 'w', 'theirs');
      await s.raw.call('MULTI');
      await s.raw.call('SET', 'w', 'mine');
      expect(await s.raw.call('EXEC')).to.equal(null);
      expect(await s.raw.call('GET', 'w')).to.equal('theirs');
      // EXEC unwatched everything: the next transaction runs.
      await other.call('SET', 'w', 'again');
      await s.raw.call('MULTI');
      await s.raw.call('SET', 'w', 'mine');
      expect(await s.raw.call('EXEC')).to.deep.equal(['OK']);
    } finally {
      other.close();
    }
  });

  it('the aborted EXEC is the RESP2 *-1 and the RESP3 null', async () => {
    await s.raw.call('WATCH', 'w');
    await s.redis.set('w', '1');
    await s.raw.call('MULTI');
    s.raw.received = Buffer.alloc(0);
    await s.raw.call('EXEC');
    expect(s.raw.received.toString()).to.equal('*-1\r\n');
    const out = await resp3Replies(s.port, [['WATCH', 'w'], ['SET', 'w', '2'], ['MULTI'], ['PING'], ['EXEC']]);
    // The client's own SET after WATCH dooms the transaction.
    expect(out).to.equal('+OK\r\n+OK\r\n+OK\r\n+QUEUED\r\n_\r\n');
    const out2 = await resp3Replies(s.port, [['WATCH', 'w'], ['MULTI'], ['PING'], ['EXEC']]);
    expect(out2).to.equal('+OK\r\n+OK\r\n+QUEUED\r\n*1\r\n+PONG\r\n');
  });

  it('a change by the watching client itself also aborts, and UNWATCH forgets the keys', async () => {
    await s.diff([
      ['WATCH', 'x'],
      ['SET', 'x', '1'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['WATCH', 'x'],
      ['SET', 'x', '2'],
      ['UNWATCH'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ]);
  });

  it('a watched key that expires before EXEC aborts it', async () => {
    await s.raw.call('SET', 'x', '1', 'PX', 30);
    await s.raw.call('WATCH', 'x');
    await sleep(50);
    await s.raw.call('MULTI');
    await s.raw.call('PING');
    expect(await s.raw.call('EXEC')).to.equal(null);
  });

  it('watching a key that was already expired does not fail EXEC when it is deleted', async () => {
    const db = s.rivulet.server.dbs[0];
    // Without active expiry the stale key stays in memory until touched, so the test cannot race the cron.
    await s.raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      await s.raw.call('SET', 'x', 'foo', 'PX', 1);
      await sleep(5);
      expect(db.data.has('x')).to.equal(true); // stale but not yet removed
      await s.raw.call('WATCH', 'x');
      await s.redis.del('x');
      await s.raw.call('MULTI');
      await s.raw.call('PING');
      expect(await s.raw.call('EXEC')).to.deep.equal(['PONG']);
    } finally {
      await s.raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    }
  });

  it('FLUSHDB touches watched keys', async () => {
    await s.diff([['SET', 'x', '1'], ['WATCH', 'x'], ['FLUSHDB'], ['MULTI'], ['PING'], ['EXEC']]);
  });

  it('commands flagged no_multi are refused at queue time and doom the transaction', async () => {
    await s.raw.call('MULTI');
    expect(errorText(await s.raw.call('SHUTDOWN'))).to.equal('ERR Command not allowed inside a transaction');
    expect(errorText(await s.raw.call('EXEC'))).to.equal('EXECABORT Transaction discarded because of previous errors.');
  });

  it('the AOF gets one MULTI ... EXEC unit with the deterministic effects', async () => {
    await s.raw.call('MULTI');
    await s.raw.call('SET', 'a', '1');
    await s.raw.call('GET', 'a');
    await s.raw.call('PEXPIREAT', 'a', 4102444800000);
    await s.raw.call('INCR', 'missing-type-ok');
    await s.raw.call('EXEC');
    expect(s.propagated).to.deep.equal(['MULTI', 'SET a 1', 'PEXPIREAT a 4102444800000', 'INCR missing-type-ok', 'EXEC']);
  });

  it('a transaction of one write is propagated without MULTI/EXEC, and a read-only one not at all', async () => {
    await s.raw.call('MULTI');
    await s.raw.call('SET', 'a', '1');
    await s.raw.call('GET', 'a');
    await s.raw.call('EXEC');
    await s.raw.call('MULTI');
    await s.raw.call('GET', 'a');
    await s.raw.call('EXEC');
    expect(s.propagated).to.deep.equal(['SET a 1']);
  });

  it('a blocking command inside EXEC sees that it must not block', async () => {
    let seen: boolean | null = null;
    const spec = s.rivulet.server.commands.get('ping')!;
    const original = spec.handler!;
    spec.handler = (c, argv) => {
      seen = c.inExec;
      original(c, argv);
    };
    try {
      await s.raw.call('MULTI');
      await s.raw.call('PING');
      await s.raw.call('EXEC');
    } finally {
      spec.handler = original;
    }
    expect(seen).to.equal(true);
  });

  it('ioredis transactions work end to end', async () => {
    const r = await s.redis.multi().set('k', 'v').incr('n').get('k').exec();
    expect(r).to.deep.equal([
      [null, 'OK'],
      [null, 1],
      [null, 'v'],
    ]);
  });
});
