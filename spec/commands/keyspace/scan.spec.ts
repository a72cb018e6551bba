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

  it('keys present throughout are returned when mass deletions mid-scan shrink the keyspace (survivors move; the scan restarts instead of skipping them)', async () => {
    for (let i = 0; i < 400; i++) await s.raw.call('SET', `k${i}`, 'v');
    const survivors = Array.from({ length: 50 }, (_, i) => `k${i * 8 + 3}`);
    const seen = new Set<string>();
    let [cursor, keys] = (await s.raw.call('SCAN', 0, 'COUNT', 30)) as [string, string[]];
    keys.forEach((k) => seen.add(String(k)));
    expect(String(cursor)).to.not.equal('0');
    // Everything but the survivors goes: far fewer keys than slots.
    for (let i = 0; i < 400; i++) if (i % 8 !== 3) await s.raw.call('DEL', `k${i}`);
    expect(await s.raw.call('DBSIZE')).to.equal(50);
    let calls = 0;
    while (String(cursor) !== '0') {
      [cursor, keys] = (await s.raw.call('SCAN', String(cursor), 'COUNT', 30)) as [string, string[]];
      keys.forEach((k) => seen.add(String(k)));
      if (++calls > 100) throw new Error('SCAN did not finish');
    }
    expect(survivors.filter((k) => !seen.has(k))).to.deep.equal([]);
  });

  it('RANDOMKEY returns only live keys of a keyspace thinned by deletes and expiry', async () => {
    for (let i = 0; i < 300; i++) await s.raw.call('SET', `r${i}`, 'v');
    for (let i = 0; i < 300; i++) if (i % 10 !== 0) await s.raw.call('DEL', `r${i}`);
    await s.raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', 0);
    try {
      for (let i = 0; i < 300; i += 20) await s.raw.call('PEXPIRE', `r${i}`, 1);
      await new Promise((r) => setTimeout(r, 20));
      const got = new Set<string>();
      for (let i = 0; i < 200; i++) got.add(String(await s.raw.call('RANDOMKEY')));
      expect([...got].sort()).to.deep.equal(Array.from({ length: 15 }, (_, i) => `r${i * 20 + 10}`).sort());
    } finally {
      await s.raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', 1);
    }
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
