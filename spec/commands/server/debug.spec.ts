import { expect } from 'chai';
import { startRivulet, RawConnection, sleep } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';

describe('DEBUG', () => {
  let server: RivuletServer;
  let c: RawConnection;
  before(async () => {
    server = await startRivulet();
    c = await RawConnection.open(server.port);
  });
  after(async () => {
    c.close();
    await server.close();
  });

  it('SET-ACTIVE-EXPIRE 0 leaves expired keys in memory until they are accessed, and 1 lets the cron remove them', async () => {
    const db = server.server.dbs[0];
    expect(await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).to.equal('OK');
    await c.call('SET', 'k', 'v', 'PX', '1');
    await sleep(300); // three cron periods at hz 10
    expect(db.data.has('k')).to.equal(true);
    expect(await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')).to.equal('OK');
    const deadline = Date.now() + 2000;
    while (db.data.has('k') && Date.now() < deadline) await sleep(20);
    expect(db.data.has('k')).to.equal(false);
  });

  it('an unknown subcommand is refused with Redis\'s text', async () => {
    expect(((await c.call('DEBUG', 'NOPE')) as Error).message).to.equal("ERR unknown subcommand 'NOPE'. Try DEBUG HELP.");
  });
});

describe('enable-debug-command', () => {
  const REFUSED =
    'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, ' +
    'otherwise you need to set this option in the configuration file, and then restart the server.';

  for (const [mode, allowed] of [['no', false], ['local', true], ['yes', true]] as const) {
    it(`${mode}: DEBUG from a loopback client is ${allowed ? 'run' : "refused with Redis's text, counted in errorstats"}`, async () => {
      const server = await startRivulet({ 'enable-debug-command': mode });
      const c = await RawConnection.open(server.port);
      try {
        const r = await c.call('DEBUG', 'SLEEP', '0');
        if (allowed) expect(r).to.equal('OK');
        else expect((r as Error).message).to.equal(REFUSED);
        // Existence and arity are checked first, as in Redis.
        expect(((await c.call('DEBUG')) as Error).message).to.equal("ERR wrong number of arguments for 'debug' command");
        const stats = String(await c.call('INFO', 'errorstats'));
        expect(stats.includes('errorstat_ERR:count=')).to.equal(true);
        expect(await c.call('CONFIG', 'GET', 'enable-debug-command')).to.deep.equal(['enable-debug-command', mode]);
        expect(((await c.call('CONFIG', 'SET', 'enable-debug-command', 'yes')) as Error).message).to.equal(
          "ERR CONFIG SET failed (possibly related to argument 'enable-debug-command') - can't set immutable config",
        );
      } finally {
        c.close();
        await server.close();
      }
    });
  }

  it('inside MULTI a refused DEBUG aborts the transaction', async () => {
    const server = await startRivulet({ 'enable-debug-command': 'no' });
    const c = await RawConnection.open(server.port);
    try {
      await c.call('MULTI');
      expect((await c.call('DEBUG', 'SLEEP', '0')) instanceof Error).to.equal(true);
      expect(((await c.call('EXEC')) as Error).message).to.equal('EXECABORT Transaction discarded because of previous errors.');
    } finally {
      c.close();
      await server.close();
    }
  });

  it('enable-module-command is accepted with no/yes/local, and is immutable', async () => {
    for (const mode of ['no', 'yes', 'local']) {
      const server = await startRivulet({ 'enable-module-command': mode });
      try {
        const c = await RawConnection.open(server.port);
        expect(await c.call('CONFIG', 'GET', 'enable-module-command')).to.deep.equal(['enable-module-command', mode]);
        c.close();
      } finally {
        await server.close();
      }
    }
    await startRivulet({ 'enable-module-command': 'maybe' }).then(
      () => expect.fail('started with a bad value'),
      (err: Error) => expect(err.message).to.match(/enable-module-command/),
    );
  });
});
