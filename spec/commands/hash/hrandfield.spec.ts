import { expect } from 'chai';
import { useServers, resp3Replies } from '../keyspace/fixture.js';
import { sameBytes } from './bytes.js';

describe('HRANDFIELD', () => {
  const s = useServers();

  it('deterministic cases match redis-server: missing key, whole hash, zero count, errors (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['HRANDFIELD', 'nokey'],
      ['HRANDFIELD', 'nokey', '3'],
      ['HRANDFIELD', 'nokey', '-3', 'WITHVALUES'],
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
      ['HRANDFIELD', 'h', '3'],
      ['HRANDFIELD', 'h', '10', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '0'],
      ['HRANDFIELD', 'h', '0', 'withvalues'],
      ['HRANDFIELD', 'h', 'x'],
      ['HRANDFIELD', 'h', '1', 'x'],
      ['HRANDFIELD', 'h', '1', 'WITHVALUES', 'x'],
      ['HRANDFIELD', 'h', '-9223372036854775808'],
      ['HRANDFIELD', 'h', '-9223372036854775807', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '9223372036854775807', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '4611686018427387903', 'WITHVALUES'],
      ['SET', 's', 'x'],
      ['HRANDFIELD', 's'],
      ['HRANDFIELD', 's', '1'],
      ['HRANDFIELD', 'x', 'abc'],
    ]);
  });

  it('a negative count repeats fields; a smaller positive count gives distinct ones', async () => {
    await s.raw.call('HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4');
    const many = (await s.raw.call('HRANDFIELD', 'h', '-50')) as Buffer[];
    expect(many).to.have.length(50);
    expect(new Set(many.map(String)).size).to.be.at.most(4);
    for (const f of many) expect(['a', 'b', 'c', 'd']).to.include(String(f));
    const some = (await s.raw.call('HRANDFIELD', 'h', '3')) as Buffer[];
    expect(new Set(some.map(String)).size).to.equal(3);
    const withValues = (await s.raw.call('HRANDFIELD', 'h', '-5', 'WITHVALUES')) as Buffer[];
    expect(withValues).to.have.length(10);
    for (let i = 0; i < 10; i += 2) expect(String(withValues[i + 1])).to.equal(String(' abcd'.indexOf(String(withValues[i])))); 
    const one = await s.raw.call('HRANDFIELD', 'h');
    expect(['a', 'b', 'c', 'd']).to.include(String(one));
  });

  it('RESP3 WITHVALUES replies with [field, value] pairs', async () => {
    await s.raw.call('HSET', 'h', 'a', '1');
    const raw = await resp3Replies(s.port, [['HRANDFIELD', 'h', '-2', 'WITHVALUES']]);
    expect(raw).to.equal('*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n');
  });

  it('a hashtable-encoded hash gives distinct random fields', async () => {
    const args: string[] = [];
    for (let i = 0; i < 200; i++) args.push(`f${i}`, `v${i}`);
    await s.raw.call('HSET', 'big', ...args);
    const r = (await s.raw.call('HRANDFIELD', 'big', '50', 'WITHVALUES')) as Buffer[];
    expect(r).to.have.length(100);
    const fields = r.filter((_, i) => i % 2 === 0).map(String);
    expect(new Set(fields).size).to.equal(50);
    for (let i = 0; i < r.length; i += 2) expect(String(r[i + 1])).to.equal('v' + String(r[i]).slice(1));
  });
});
