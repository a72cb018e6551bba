import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';
import { sameBytes } from './bytes.js';

describe('HDEL', () => {
  const s = useServers();

  it('removes fields, counts them once, and deletes the key with its last field (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
      ['HDEL', 'h', 'a', 'a', 'zz'],
      ['HDEL', 'h', 'b', 'c', 'b'],
      ['EXISTS', 'h'],
      ['HDEL', 'h', 'a'],
      ['SET', 's', 'x'],
      ['HDEL', 's', 'a'],
      ['HDEL', 's'],
    ]);
  });

  it('fires hdel, then del when the key goes; nothing when no field was removed', async () => {
    await s.raw.call('HSET', 'h', 'a', '1', 'b', '2');
    s.events.length = 0;
    await s.raw.call('HDEL', 'h', 'zz');
    await s.raw.call('HDEL', 'h', 'a');
    await s.raw.call('HDEL', 'h', 'b', 'c');
    expect(s.events).to.deep.equal(['h:hdel:h:0', 'h:hdel:h:0', 'g:del:h:0']);
    expect(s.propagated).to.deep.equal(['HSET h a 1 b 2', 'HDEL h a', 'HDEL h b c']);
  });
});
