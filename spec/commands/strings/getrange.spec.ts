import { useServers } from '../keyspace/fixture.js';

describe('GETRANGE and SUBSTR', () => {
  const s = useServers();

  it('clamps and converts negative indexes like Redis', async () => {
    const ranges: [number | string, number | string][] = [
      [0, 3], [0, -1], [-3, -1], [5, 3], [-1, -5], [-100, 100], [100, 200], [3, 3], [0, 0], [-1, -1], ['-9223372036854775808', '9223372036854775807'],
    ];
    await s.diff([
      ['SET', 'k', 'This is a string'],
      ...ranges.map(([a, b]) => ['GETRANGE', 'k', a, b]),
      ...ranges.map(([a, b]) => ['SUBSTR', 'k', a, b]),
      ['GETRANGE', 'missing', 0, -1],
      ['SET', 'e', ''],
      ['GETRANGE', 'e', 0, -1],
      ['SET', 'n', '12345'],
      ['GETRANGE', 'n', 1, 2],
      ['GETRANGE', 'k', 'a', 1],
      ['GETRANGE', 'k', 0, '1.5'],
      ['XADD', 's', '1-1', 'f', 'v'],
      ['GETRANGE', 's', 0, 1],
      ['GETRANGE', 'k', 0],
    ]);
  });
});
