import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';

describe('APPEND', () => {
  const s = useServers();

  it('creates or extends the string and returns the new length', async () => {
    await s.diff([
      ['APPEND', 'k', 'hello'],
      ['APPEND', 'k', ' world'],
      ['GET', 'k'],
      ['APPEND', 'k', ''],
      ['EXPIRE', 'k', 100],
      ['APPEND', 'k', '!'],
      ['TTL', 'k'],
      ['XADD', 's', '1-1', 'f', 'v'],
      ['APPEND', 's', 'x'],
      ['APPEND', 'k'],
    ]);
  });

  it('many small appends build the exact string, and earlier GET replies stay intact', async () => {
    let expected = '';
    const snapshots: [string, string][] = [];
    for (let i = 0; i < 300; i++) {
      const piece = `<${i}>`;
      expected += piece;
      await s.redis.append('k', piece);
      if (i % 50 === 0) snapshots.push([expected, (await s.redis.get('k')) as string]);
    }
    expect(await s.redis.get('k')).to.equal(expected);
    for (const [want, got] of snapshots) expect(got).to.equal(want);
  });

  it('a value copied before an append does not change', async () => {
    await s.redis.set('a', 'x');
    await s.redis.append('a', 'y');
    await s.redis.copy('a', 'b');
    await s.redis.append('a', 'z');
    await s.redis.append('b', 'w');
    expect(await s.redis.mget('a', 'b')).to.deep.equal(['xyz', 'xyw']);
  });

  it('refuses to grow beyond proto-max-bulk-len', async () => {
    s.rivulet.server.config.apply('proto-max-bulk-len', ['1048576']);
    try {
      await s.redis.set('k', Buffer.alloc(1048576, 97));
      const r = await s.raw.call('APPEND', 'k', 'x');
      expect((r as Error).message).to.equal('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
    } finally {
      s.rivulet.server.config.apply('proto-max-bulk-len', [String(512 * 1024 * 1024)]);
    }
  });
});
