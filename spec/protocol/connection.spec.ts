import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { startRivulet, connect, RawConnection, type Reply } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

describe('connection commands', () => {
  let server: RivuletServer;
  let redis: Redis;
  before(async () => {
    server = await startRivulet();
    redis = connect(server.port);
  });
  after(async () => {
    redis.disconnect();
    await server.close();
  });

  it('PING answers PONG, and PING with a message echoes it', async () => {
    expect(await redis.ping()).to.equal('PONG');
    expect(await redis.ping('hi')).to.equal('hi');
  });

  it('ECHO returns its argument byte for byte', async () => {
    expect(await redis.echo('h\u00e9llo')).to.equal('h\u00e9llo');
  });

  it('an unknown command gets Redis\'s error with the first arguments quoted', async () => {
    const c = await RawConnection.open(server.port);
    const r = (await c.call('FOO', 'bar', 'baz')) as Reply;
    expect((r as Error).message).to.equal("ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' ");
    c.close();
  });

  it('wrong arity is refused with the command name in lower case', async () => {
    const c = await RawConnection.open(server.port);
    expect(((await c.call('ECHO')) as Error).message).to.equal("ERR wrong number of arguments for 'echo' command");
    c.close();
  });
});
