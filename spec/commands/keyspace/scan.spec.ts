import { expect } from 'chai';
import { useServers, errorText } from './fixture.js';
import { normalise, ORACLE_AT_LEAST_7_4 } from '../../helpers.js';

describe('SCAN', () => {
  const s = useServers();

  async function scanAll(...opts: (string | number)[]): Promise<string[]> {
    const seen: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = (await s.raw.call('SCAN', cursor, ...opts)) as [Buffer | string, string[]];
      cursor = String(next);
      seen.push(...keys.map(String));
    } while (cursor !== '0');
    return seen;
  }

  it('a full iteration returns every key exactly once', async () => {
    for (let i = 0; i < 250; i++) await s.raw.call('SET', `k${i}`, 'v');
    const seen = await scanAll('COUNT', 7);
    expect(seen.length).to.equal(250);
    expect(new Set(seen).size).to.equal(250);
  });

  it('MATCH and TYPE filter the keys (TYPE case-insensitively)', async () => {
    await s.raw.call('MSET', 'user:1', 'a', 'user:2', 'b', 'other', 'c');
    expect((await scanAll('MATCH', 'user:*')).sort()).to.deep.equal(['user:1', 'user:2']);
    expect((await scanAll('TYPE', 'STRING')).length).to.equal(3);
    expect(await scanAll('TYPE', 'stream')).to.deep.equal([]);
    expect(await scanAll('TYPE', 'nosuchtype')).to.deep.equal([]);
  });

  it('keys present throughout are returned even while others are added and deleted', async () => {
    for (let i = 0; i < 100; i++) await s.raw.call('SET', `stable${i}`, 'v');
    const seen = new Set<string>();
    let cursor = '0';
    let round = 0;
    do {
      const [next, keys] = (await s.raw.call('SCAN', cursor, 'COUNT', 10)) as [string, string[]];
      keys.forEach((k) => seen.add(String(k)));
      await s.raw.call('SET', `new${round}`, 'v');
      await s.raw.call('DEL', `stable${99 - round}`);
      round++;
      cursor = String(next);
    } while (cursor !== '0');
    for (let i = 0; i < 100 - round; i++) expect(seen.has(`stable${i}`), `stable${i}`).to.equal(true);
  });

  it('replies a bulk cursor and an array', async () => {
    expect(await s.raw.call('SCAN', 0)).to.deep.equal(['0', []]);
  });

  it('refuses bad cursors and options with Redis\'s errors', async () => {
    await s.diff([
      ['SCAN', 'abc'],
      ['SCAN', '18446744073709551616'],
      ['SCAN', 0, 'COUNT', 0],
      ['SCAN', 0, 'COUNT', 'x'],
      ['SCAN', 0, 'COUNT'],
      ['SCAN', 0, 'FOO', 'bar'],
      ['SCAN', 0, 'MATCH'],
      ['SCAN'],
    ]);
    expect(errorText(await s.raw.call('SCAN', '-'))).to.equal('ERR invalid cursor');
  });

  it('reads cursors as Redis 7.4 (string2ull): leading space and + accepted, negative and empty refused', async () => {
    const script = [
      ['SCAN', ' 1'],
      ['SCAN', '\t+7'],
      ['SCAN', '01'],
      ['SCAN', '-0'],
      ['SCAN', '-1'],
      ['SCAN', ''],
      ['SCAN', ' '],
      ['SCAN', '1 '],
      ['SCAN', ' 18446744073709551616'],
    ];
    const ours = [];
    for (const cmd of script) ours.push(normalise(await s.raw.call(...cmd)));
    const empty = ['0', []];
    const bad = { error: 'ERR invalid cursor' };
    expect(ours).to.deep.equal([empty, empty, empty, empty, bad, bad, bad, bad, bad]);
    // Redis 7.0 (strtoul) refused ' 1' and took '' as 0 and '-1' as 2^64-1.
    if (ORACLE_AT_LEAST_7_4) await s.diff(script);
  });
});
