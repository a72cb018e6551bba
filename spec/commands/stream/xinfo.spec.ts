import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect, differential, HAVE_REDIS_CLI, withoutRedis8StreamFrames, dropPairs, REDIS8_STREAM_INFO_FIELDS, type Step } from '../../helpers.js';
import { useStreamOracle } from './fixture.js';
import { resp3 } from './util.js';

/** redis-cli runs asynchronously: the embedded server shares this event loop and must keep answering. */
const run = promisify(execFile);
async function cli(port: number, ...args: string[]): Promise<string> {
  return (await run('redis-cli', ['-3', '-p', String(port), ...args], { encoding: 'utf8', timeout: 5000 })).stdout;
}

/** Flat RESP2 map → object. */
function asMap(x: unknown): Record<string, unknown> {
  const a = x as unknown[];
  const o: Record<string, unknown> = {};
  for (let i = 0; i < a.length; i += 2) o[String(a[i])] = a[i + 1];
  return o;
}

/**
 * XINFO STREAM, comparing everything but radix-tree-nodes (rax internals,
 * approximated by rivulet) and the Redis 8 fields the 7.x oracle lacks.
 */
function streamInfo(cmd: (string | number)[]): Step {
  return {
    cmd,
    normalise: (f) => dropPairs(withoutRedis8StreamFrames(f), ['radix-tree-nodes']),
  };
}

describe('XINFO', () => {
  const fx = useStreamOracle();

  it('STREAM, GROUPS, HELP and their errors match redis-server (lag and entries-read included)', async () => {
    await differential(fx.riv.port, fx.oracle.port, [
      ['XGROUP', 'CREATE', 'e', 'g', '$', 'MKSTREAM'],
      streamInfo(['XINFO', 'STREAM', 'e']),
      ['XINFO', 'GROUPS', 'e'],
      ['XADD', 's', '1-1', 'a', '1'],
      ['XADD', 's', '2-1', 'b', '2'],
      ['XADD', 's', '3-1', 'c', '3'],
      ['XADD', 's', '4-1', 'd', '4'],
      ['XADD', 's', '5-1', 'e', '5'],
      ['XGROUP', 'CREATE', 's', 'zero', '0'],
      ['XGROUP', 'CREATE', 's', 'last', '$'],
      ['XGROUP', 'CREATE', 's', 'mid', '3-1'],
      ['XGROUP', 'CREATE', 's', 'known', '3-1', 'ENTRIESREAD', '3'],
      ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'zero', 'c', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'mid', 'c', 'COUNT', '1', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'],
      ['XDEL', 's', '4-1'],
      ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'zero', 'c', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'],
      ['XDEL', 's', '1-1'],
      ['XTRIM', 's', 'MAXLEN', '2'],
      ['XINFO', 'GROUPS', 's'],
      ['XADD', 's', '6-1', 'f', '6'],
      ['XINFO', 'GROUPS', 's'],
      streamInfo(['XINFO', 'STREAM', 's']),
      ['XINFO', 'STREAM', 'nokey'],
      ['XINFO', 'GROUPS', 'nokey'],
      ['XINFO', 'CONSUMERS', 'nokey', 'g'],
      ['XINFO', 'CONSUMERS', 's', 'nog'],
      ['XINFO', 'STREAM', 's', 'FULLX'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNTX', '1'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', 'x'],
      ['XINFO', 'STREAM', 'nokey', 'FULLX'],
      ['SET', 'str', 'x'],
      ['XINFO', 'STREAM', 'str'],
      ['XINFO', 'GROUPS', 'str'],
      ['XINFO', 'GROUPS', 's', 'extra'],
      ['XINFO', 'HELP', 'x'],
      ['XINFO', 'FOO', 's'],
      ['XINFO'],
    ]);
  });

  it('GROUPS lists groups bytewise by name', async () => {
    await fx.r.call('XGROUP', 'CREATE', 's', 'b', '$', 'MKSTREAM');
    await fx.r.call('XGROUP', 'CREATE', 's', 'B', '$');
    await fx.r.call('XGROUP', 'CREATE', 's', 'a', '$');
    await fx.r.call('XGROUP', 'CREATE', 's', 'ab', '$');
    const names = ((await fx.r.call('XINFO', 'GROUPS', 's')) as unknown[][]).map((g) => g[1]);
    expect(names).to.deep.equal(['B', 'a', 'ab', 'b']);
  });

  it('STREAM FULL has 7.4 consumer fields (seen-time, active-time) and honours COUNT', async () => {
    for (let i = 1; i <= 12; i++) await fx.r.xadd('s', `${i}-0`, 'f', String(i));
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '0');
    const t0 = Date.now();
    await fx.r.xreadgroup('GROUP', 'g', 'reader', 'STREAMS', 's', '>');
    await fx.r.call('XGROUP', 'CREATECONSUMER', 's', 'g', 'lazy');
    const full = asMap(await fx.r.call('XINFO', 'STREAM', 's', 'FULL'));
    expect(Object.keys(full)).to.deep.equal([
      'length', 'radix-tree-keys', 'radix-tree-nodes', 'last-generated-id', 'max-deleted-entry-id', 'entries-added',
      'recorded-first-entry-id', 'idmp-duration', 'idmp-maxsize', 'pids-tracked', 'iids-tracked', 'iids-added', 'iids-duplicates',
      'entries', 'groups',
    ]);
    expect(full['entries']).to.have.length(10);
    const [g] = full['groups'] as unknown[][];
    const gm = asMap(g);
    expect(Object.keys(gm)).to.deep.equal(['name', 'last-delivered-id', 'entries-read', 'lag', 'pel-count', 'nacked-count', 'pending', 'consumers']);
    expect([gm['name'], gm['last-delivered-id'], gm['entries-read'], gm['lag'], gm['pel-count']]).to.deep.equal(['g', '12-0', 12, 0, 12]);
    expect(gm['pending']).to.have.length(10);
    const [p0] = gm['pending'] as unknown[][];
    expect([p0[0], p0[1], p0[3]]).to.deep.equal(['1-0', 'reader', 1]);
    expect(p0[2]).to.be.within(t0, Date.now());
    const [lazy, reader] = (gm['consumers'] as unknown[][]).map(asMap);
    expect(Object.keys(reader)).to.deep.equal(['name', 'seen-time', 'active-time', 'pel-count', 'pending']);
    expect([lazy['name'], lazy['active-time'], lazy['pel-count'], lazy['pending']]).to.deep.equal(['lazy', -1, 0, []]);
    expect(reader['active-time']).to.be.within(t0, Date.now());
    expect(reader['pending']).to.have.length(10);
    const all = asMap(await fx.r.call('XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0'));
    expect(all['entries']).to.have.length(12);
    expect(asMap((all['groups'] as unknown[][])[0])['pending']).to.have.length(12);
    const one = asMap(await fx.r.call('XINFO', 'STREAM', 's', 'FULL', 'COUNT', '1'));
    expect(one['entries']).to.deep.equal([['1-0', ['f', '1']]]);
  });

  it('CONSUMERS reports name, pending, idle and (7.2+) inactive', async () => {
    await fx.r.xadd('s', '1-0', 'f', 'v');
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '0');
    await fx.r.xreadgroup('GROUP', 'g', 'c', 'STREAMS', 's', '>');
    await fx.r.call('XGROUP', 'CREATECONSUMER', 's', 'g', 'idle-one');
    const list = ((await fx.r.call('XINFO', 'CONSUMERS', 's', 'g')) as unknown[]).map(asMap);
    expect(list.map((m) => Object.keys(m))).to.deep.equal([
      ['name', 'pending', 'idle', 'inactive'],
      ['name', 'pending', 'idle', 'inactive'],
    ]);
    expect([list[0]['name'], list[0]['pending']]).to.deep.equal(['c', 1]);
    expect(list[0]['inactive']).to.be.within(0, 2000);
    expect([list[1]['name'], list[1]['pending'], list[1]['inactive']]).to.deep.equal(['idle-one', 0, -1]);
  });

  it('speaks RESP3 maps, with _ for unknown entries-read and lag', async () => {
    await fx.r.xadd('s', '1-0', 'f', 'v');
    await fx.r.xadd('s', '2-0', 'f', 'v');
    await fx.r.xadd('s', '3-0', 'f', 'v');
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '1-0');
    const c3 = await resp3(fx.riv.port);
    try {
      expect(await c3.call('XINFO', 'GROUPS', 's')).to.equal(
        '*1\r\n%6\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n' +
          '$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n_\r\n$3\r\nlag\r\n:2\r\n',
      );
      await fx.r.xdel('s', '2-0');
      expect(await c3.call('XINFO', 'GROUPS', 's')).to.match(/\$3\r\nlag\r\n_\r\n$/);
      const info = await c3.call('XINFO', 'STREAM', 's');
      expect(info.startsWith('%16\r\n$6\r\nlength\r\n:2\r\n')).to.equal(true);
      expect(info).to.contain('$20\r\nmax-deleted-entry-id\r\n$3\r\n2-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n');
      expect(info.endsWith('$10\r\nlast-entry\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n')).to.equal(true);
    } finally {
      c3.close();
    }
  });

  (HAVE_REDIS_CLI ? it : it.skip)('redis-cli -3 prints XINFO as RESP3 maps, exactly as it does for redis-server', async () => {
    const o = connect(fx.oracle.port);
    try {
      await o.flushall();
      for (const c of [fx.r, o]) {
        await c.xadd('s', '1-0', 'f', 'v');
        await c.call('XGROUP', 'CREATE', 's', 'g', '0');
      }
      const ours = await cli(fx.riv.port, '--no-raw', 'XINFO', 'GROUPS', 's');
      expect(ours).to.equal(await cli(fx.oracle.port, '--no-raw', 'XINFO', 'GROUPS', 's'));
      expect(ours).to.equal(
        '1) 1# "name" => "g"\n   2# "consumers" => (integer) 0\n   3# "pending" => (integer) 0\n' +
          '   4# "last-delivered-id" => "0-0"\n   5# "entries-read" => (nil)\n   6# "lag" => (integer) 1\n',
      );
      const stream = await cli(fx.riv.port, '--no-raw', 'XINFO', 'STREAM', 's');
      const theirs = await cli(fx.oracle.port, '--no-raw', 'XINFO', 'STREAM', 's');
      // radix-tree-nodes is rax-internal (approximated by rivulet), and the Redis 8.6 IDMP fields are not in 7.x;
      // every other line is identical once renumbered.
      const redis8 = [...REDIS8_STREAM_INFO_FIELDS].map((f) => `"${f}"`);
      const comparable = (t: string): string[] =>
        t.split('\n').filter((l) => !l.includes('radix-tree-nodes') && !redis8.some((f) => l.includes(f))).map((l) => l.replace(/^\s*\d+# /, ''));
      expect(comparable(stream)).to.deep.equal(comparable(theirs));
      expect(stream.split('\n')[0]).to.equal(' 1# "length" => (integer) 1');
    } finally {
      o.disconnect();
    }
  });
});
