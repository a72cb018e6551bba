import { expect } from 'chai';
import { createClient } from 'redis';
import { connect, differential, encodeCommand, RawConnection, sleep, useRivulet, ORACLE_AT_LEAST_7_4 } from '../../helpers.js';

const FIELDS = [
  'id', 'addr', 'laddr', 'fd', 'name', 'age', 'idle', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'watch', 'qbuf', 'qbuf-free',
  'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'events', 'cmd', 'user', 'redir', 'resp', 'lib-name', 'lib-ver',
];

function fields(line: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of line.trim().split(' ')) m.set(part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1));
  return m;
}

describe('CLIENT', () => {
  const fx = useRivulet();

  it('CLIENT ID is a unique integer per connection, and CLIENT INFO shows it', async () => {
    const other = connect(fx.server.port);
    const a = (await fx.redis.call('CLIENT', 'ID')) as number;
    const b = (await other.call('CLIENT', 'ID')) as number;
    expect(a).to.be.a('number');
    expect(b).to.not.equal(a);
    expect(fields((await other.call('CLIENT', 'INFO')) as string).get('id')).to.equal(String(b));
    other.disconnect();
  });

  it('CLIENT INFO has Redis 7.4 fields in Redis order, ending with a newline', async () => {
    const c = await RawConnection.open(fx.server.port);
    const line = (await c.call('CLIENT', 'INFO')) as string;
    c.close();
    expect(line.endsWith('\n')).to.equal(true);
    expect([...fields(line).keys()]).to.deep.equal(FIELDS);
    const f = fields(line);
    expect(f.get('flags')).to.equal('N');
    expect(f.get('cmd')).to.equal('client|info');
    expect(f.get('user')).to.equal('default');
    expect(f.get('resp')).to.equal('2');
    expect(f.get('multi')).to.equal('-1');
    expect(f.get('addr')).to.match(/^127\.0\.0\.1:\d+$/);
    expect(f.get('laddr')).to.equal(`127.0.0.1:${fx.server.port}`);
  });

  it('SETNAME / GETNAME round-trip; an empty name clears it; bad characters are refused', async () => {
    expect(await fx.redis.call('CLIENT', 'GETNAME')).to.equal(null);
    expect(await fx.redis.call('CLIENT', 'SETNAME', 'worker-1')).to.equal('OK');
    expect(await fx.redis.call('CLIENT', 'GETNAME')).to.equal('worker-1');
    expect(fields((await fx.redis.call('CLIENT', 'INFO')) as string).get('name')).to.equal('worker-1');
    const err = await fx.redis.call('CLIENT', 'SETNAME', 'a b').catch((e: Error) => e);
    expect((err as Error).message).to.equal('ERR Client names cannot contain spaces, newlines or special characters.');
    expect(await fx.redis.call('CLIENT', 'SETNAME', '')).to.equal('OK');
    expect(await fx.redis.call('CLIENT', 'GETNAME')).to.equal(null);
  });

  it('CLIENT SETINFO records lib-name and lib-ver (node-redis sends them on connect)', async () => {
    const client = createClient({ socket: { port: fx.server.port, host: '127.0.0.1' }, RESP: 3 });
    await client.connect();
    const line = String(await client.sendCommand(['CLIENT', 'INFO']));
    const f = fields(line);
    expect(f.get('resp')).to.equal('3');
    expect(f.get('lib-name')).to.match(/^node-redis/);
    expect(f.get('lib-ver')).to.match(/^\d+\.\d+/);
    await client.quit();
  });

  it('CLIENT SETINFO validates the attribute and its characters (Redis 7.2+ texts)', async () => {
    const c = await RawConnection.open(fx.server.port);
    expect(await c.call('CLIENT', 'SETINFO', 'LIB-NAME', 'mylib')).to.equal('OK');
    expect(await c.call('CLIENT', 'SETINFO', 'lib-ver', '1.2.3')).to.equal('OK');
    expect(((await c.call('CLIENT', 'SETINFO', 'foo', 'bar')) as Error).message).to.equal("ERR Unrecognized option 'foo'");
    expect(((await c.call('CLIENT', 'SETINFO', 'LIB-NAME', 'a b')) as Error).message).to.equal(
      'ERR LIB-NAME cannot contain spaces, newlines or special characters.',
    );
    const f = fields((await c.call('CLIENT', 'INFO')) as string);
    expect(f.get('lib-name')).to.equal('mylib');
    expect(f.get('lib-ver')).to.equal('1.2.3');
    c.close();
  });

  it('CLIENT LIST shows every connection; TYPE and ID filter it', async () => {
    const other = connect(fx.server.port);
    const otherId = (await other.call('CLIENT', 'ID')) as number;
    const myId = (await fx.redis.call('CLIENT', 'ID')) as number;
    const all = ((await fx.redis.call('CLIENT', 'LIST')) as string).split('\n').filter(Boolean);
    expect(all.map((l) => fields(l).get('id'))).to.include.members([String(otherId), String(myId)]);
    const byId = ((await fx.redis.call('CLIENT', 'LIST', 'ID', String(otherId), '999999')) as string).split('\n').filter(Boolean);
    expect(byId.map((l) => fields(l).get('id'))).to.deep.equal([String(otherId)]);
    const normal = ((await fx.redis.call('CLIENT', 'LIST', 'TYPE', 'normal')) as string).split('\n').filter(Boolean);
    expect(normal.length).to.equal(all.length);
    expect(await fx.redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).to.equal('');
    other.disconnect();
  });

  it('flags show MULTI (x) and a blocked client (b); multi counts queued commands', async () => {
    const c = await RawConnection.open(fx.server.port);
    await c.call('MULTI');
    await c.call('PING');
    const id = await c.call('CLIENT', 'ID');
    expect(id).to.equal('QUEUED');
    const line = ((await fx.redis.call('CLIENT', 'LIST')) as string).split('\n').find((l) => fields(l).get('flags') === 'x');
    expect(line, 'a client in MULTI').to.not.equal(undefined);
    expect(fields(line!).get('multi')).to.equal('2');
    c.close();
  });

  it('CLIENT KILL by ID closes that connection and replies with the count', async () => {
    const victim = await RawConnection.open(fx.server.port);
    const id = (await victim.call('CLIENT', 'ID')) as number;
    expect(await fx.redis.call('CLIENT', 'KILL', 'ID', String(id))).to.equal(1);
    await victim.waitClosed();
    expect(await fx.redis.call('CLIENT', 'KILL', 'ID', String(id))).to.equal(0);
  });

  it('CLIENT KILL with the old address form replies OK, or "No such client"', async () => {
    const victim = await RawConnection.open(fx.server.port);
    const addr = fields((await victim.call('CLIENT', 'INFO')) as string).get('addr')!;
    expect(await fx.redis.call('CLIENT', 'KILL', addr)).to.equal('OK');
    await victim.waitClosed();
    const err = await fx.redis.call('CLIENT', 'KILL', addr).catch((e: Error) => e);
    expect((err as Error).message).to.equal('ERR No such client');
  });

  it('CLIENT KILL skips the caller unless SKIPME no, and then closes it after the reply', async () => {
    const c = await RawConnection.open(fx.server.port);
    const addr = fields((await c.call('CLIENT', 'INFO')) as string).get('addr')!;
    expect(await c.call('CLIENT', 'KILL', 'ADDR', addr)).to.equal(0);
    expect(await c.call('CLIENT', 'KILL', 'ADDR', addr, 'SKIPME', 'no')).to.equal(1);
    await c.waitClosed();
  });

  it('CLIENT KILL by LADDR, TYPE, USER and MAXAGE (7.4)', async () => {
    const victim = await RawConnection.open(fx.server.port);
    await victim.call('PING');
    await sleep(1100);
    // MAXAGE 1 matches connections at least a second old (our own ioredis connection is skipped by SKIPME).
    const killed = (await fx.redis.call('CLIENT', 'KILL', 'MAXAGE', '1', 'LADDR', `127.0.0.1:${fx.server.port}`, 'TYPE', 'normal', 'USER', 'default')) as number;
    expect(killed).to.be.at.least(1);
    await victim.waitClosed();
  });

  it('CLIENT KILL MAXAGE must be a positive integer (Redis 7.4 texts)', async function () {
    const c = await RawConnection.open(fx.server.port);
    try {
      for (const [age, text] of [
        ['-1', 'ERR maxage should be greater than 0'],
        ['0', 'ERR maxage should be greater than 0'],
        ['x', 'ERR maxage is not an integer or out of range'],
        ['9223372036854775808', 'ERR maxage is not an integer or out of range'],
      ]) {
        expect(((await c.call('CLIENT', 'KILL', 'MAXAGE', age)) as Error).message, age).to.equal(text);
      }
      expect(await c.call('CLIENT', 'KILL', 'MAXAGE', '9223372036854775807')).to.equal(0);
    } finally {
      c.close();
    }
    // MAXAGE arrived in 7.4; Debian's 7.0 answers a syntax error.
    if (fx.oracle && ORACLE_AT_LEAST_7_4) {
      await differential(fx.server.port, fx.oracle.port, [
        ['CLIENT', 'KILL', 'MAXAGE', '-1'],
        ['CLIENT', 'KILL', 'MAXAGE', '0'],
        ['CLIENT', 'KILL', 'MAXAGE', 'x'],
        ['CLIENT', 'KILL', 'MAXAGE', '9223372036854775807'],
      ]);
    }
  });

  it('CLIENT UNBLOCK ends a block with the timeout reply or an UNBLOCKED error, replying 1, else 0', async () => {
    const reader = await RawConnection.open(fx.server.port);
    const id = (await reader.call('CLIENT', 'ID')) as number;
    expect(await fx.redis.call('CLIENT', 'UNBLOCK', String(id))).to.equal(0);
    const blocked = fx.server.server.clients.get(id)!;
    // A real blocking read, waited for until the server has it blocked.
    const block = async (): Promise<void> => {
      reader.write(encodeCommand(['XREAD', 'BLOCK', '0', 'STREAMS', 'unblock-test', '$']));
      for (let i = 0; i < 400 && blocked.blocked === null; i++) await sleep(5);
      expect(blocked.blocked).to.not.equal(null);
    };
    await block();
    expect(fields((await fx.redis.call('CLIENT', 'LIST', 'ID', String(id))) as string).get('flags')).to.equal('b');
    expect(await fx.redis.call('CLIENT', 'UNBLOCK', String(id))).to.equal(1);
    expect(await reader.next()).to.equal(null);
    await block();
    expect(await fx.redis.call('CLIENT', 'UNBLOCK', String(id), 'ERROR')).to.equal(1);
    expect(((await reader.next()) as Error).message).to.equal('UNBLOCKED client unblocked via CLIENT UNBLOCK');
    expect(await reader.call('PING')).to.equal('PONG');
    reader.close();
  });

  it('NO-EVICT and NO-TOUCH take on/off and show in the flags', async () => {
    const c = await RawConnection.open(fx.server.port);
    expect(await c.call('CLIENT', 'NO-EVICT', 'on')).to.equal('OK');
    expect(await c.call('CLIENT', 'NO-TOUCH', 'ON')).to.equal('OK');
    expect(fields((await c.call('CLIENT', 'INFO')) as string).get('flags')).to.equal('eT');
    expect(await c.call('CLIENT', 'NO-EVICT', 'off')).to.equal('OK');
    expect(await c.call('CLIENT', 'NO-TOUCH', 'off')).to.equal('OK');
    expect(((await c.call('CLIENT', 'NO-TOUCH', 'maybe')) as Error).message).to.equal('ERR syntax error');
    c.close();
  });

  it('errors match redis-server word for word', async function () {
    if (!fx.oracle) this.skip(); // redis-server not installed
    await differential(fx.server.port, fx.oracle!.port, [
      ['CLIENT', 'KILL', '1.2.3.4:5'],
      ['CLIENT', 'KILL', 'ID', 'abc'],
      ['CLIENT', 'KILL', 'ID', '0'],
      ['CLIENT', 'KILL', 'ID', '999999'],
      ['CLIENT', 'KILL', 'TYPE', 'foo'],
      ['CLIENT', 'KILL', 'SKIPME', 'maybe'],
      ['CLIENT', 'KILL', 'foo', 'bar'],
      ['CLIENT', 'KILL', 'ID'],
      ['CLIENT', 'KILL', 'ID', '1', 'TYPE'],
      ['CLIENT', 'KILL', 'USER', 'nobody'],
      ['CLIENT', 'KILL', 'LADDR', '1.1.1.1:1'],
      ['CLIENT', 'KILL'],
      ['CLIENT', 'LIST', 'TYPE', 'foo'],
      ['CLIENT', 'LIST', 'ID', 'abc'],
      ['CLIENT', 'LIST', 'ID', '999998', '999999'],
      ['CLIENT', 'LIST', 'foo'],
      ['CLIENT', 'LIST', 'TYPE', 'normal', 'extra'],
      ['CLIENT', 'UNBLOCK', 'abc'],
      ['CLIENT', 'UNBLOCK', '5', 'foo'],
      ['CLIENT', 'UNBLOCK', '999999'],
      ['CLIENT', 'UNBLOCK', '999999', 'ERROR'],
      ['CLIENT', 'SETNAME', 'a b'],
      ['CLIENT', 'SETNAME', 'a\nb'],
      ['CLIENT', 'SETNAME'],
      ['CLIENT', 'GETNAME', 'x'],
      ['CLIENT', 'NO-EVICT', 'maybe'],
      ['CLIENT', 'NO-EVICT', 'on'],
      ['CLIENT', 'NO-EVICT', 'off'],
      ['CLIENT', 'GETREDIR'],
      ['CLIENT', 'NOSUCH'],
      ['CLIENT'],
    ]);
  });
});
