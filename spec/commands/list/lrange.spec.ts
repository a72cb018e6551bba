import { useServers } from '../keyspace/fixture.js';
import { sameBytes } from '../hash/bytes.js';

describe('LLEN, LRANGE, LINDEX', () => {
  const s = useServers();

  it('read ranges and single elements with negative and out-of-range indexes (bytes)', async () => {
    await sameBytes(s.port, s.oracle.port, [
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
      ['LLEN', 'l'],
      ['LLEN', 'nokey'],
      ['LRANGE', 'l', '0', '-1'],
      ['LRANGE', 'l', '1', '2'],
      ['LRANGE', 'l', '-2', '-1'],
      ['LRANGE', 'l', '-100', '100'],
      ['LRANGE', 'l', '3', '1'],
      ['LRANGE', 'l', '5', '10'],
      ['LRANGE', 'l', '0', '-6'],
      ['LRANGE', 'l', '9223372036854775807', '-9223372036854775808'],
      ['LRANGE', 'nokey', '0', '-1'],
      ['LRANGE', 'l', 'x', '1'],
      ['LRANGE', 'nokey', '0', 'x'],
      ['LINDEX', 'l', '0'],
      ['LINDEX', 'l', '-1'],
      ['LINDEX', 'l', '4'],
      ['LINDEX', 'l', '5'],
      ['LINDEX', 'l', '-6'],
      ['LINDEX', 'l', 'x'],
      ['LINDEX', 'nokey', 'x'],
      ['LINDEX', 'nokey', '0'],
      ['SET', 's', 'v'],
      ['LLEN', 's'],
      ['LRANGE', 's', '0', '1'],
      ['LINDEX', 's', '0'],
    ]);
  });

  it('long lists spanning many chunks read the same as Redis', async () => {
    const cmds: (string | number)[][] = [];
    for (let i = 0; i < 20; i++) cmds.push(['RPUSH', 'l', ...Array.from({ length: 500 }, (_, j) => `${i}:${j}:${'x'.repeat(j % 40)}`)]);
    for (let i = 0; i < 10; i++) cmds.push(['LPUSH', 'l', ...Array.from({ length: 300 }, (_, j) => `${-i}:${j}`)]);
    cmds.push(['LLEN', 'l'], ['LRANGE', 'l', '2990', '3010'], ['LRANGE', 'l', '-5000', '-4990'], ['LINDEX', 'l', '6000'], ['LINDEX', 'l', '-7777']);
    cmds.push(['LRANGE', 'l', '0', '-1']);
    await sameBytes(s.port, s.oracle.port, cmds, [2]);
  });
});
