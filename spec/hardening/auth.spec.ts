/**
 * Who may connect: requirepass with AUTH / HELLO AUTH (the `default` user),
 * NOAUTH for everything but AUTH, HELLO, QUIT and RESET before
 * authentication, WRONGPASS, and protected mode refusing non-loopback
 * clients when no password is set.
 *
 * Non-loopback clients come from a network namespace joined to this host by a
 * veth pair on a private /30 (10.231.7.1 here, 10.231.7.2 there) that exists
 * only inside this sandbox for the duration of the test; the namespace is
 * created and deleted by the test itself.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { createClient } from 'redis';
import {
  startRivulet,
  startRedis,
  connect,
  RawConnection,
  normalise,
  hasBinary,
  HAVE_REDIS,
  type ExternalServer,
  ORACLE_AT_LEAST_7_2,
} from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

const NOAUTH = { error: 'NOAUTH Authentication required.' };
const WRONGPASS = { error: 'WRONGPASS invalid username-password pair or user is disabled.' };

/** Starts redis-server and then sets requirepass (the helper waits for an unauthenticated PING). */
async function startLockedRedis(password: string): Promise<ExternalServer> {
  const r = await startRedis();
  const c = await RawConnection.open(r.port);
  await c.call('CONFIG', 'SET', 'requirepass', password);
  c.close();
  return r;
}

/** Runs `script` on one fresh connection; HELLO's map is reduced to its proto field (version and id differ by design). */
async function runScript(port: number, script: (string | number)[][]): Promise<unknown[]> {
  const c = await RawConnection.open(port);
  const out: unknown[] = [];
  try {
    for (const cmd of script) {
      const r = normalise(await c.call(...cmd));
      out.push(String(cmd[0]).toUpperCase() === 'HELLO' && Array.isArray(r) ? ['hello', ...r.slice(4, 6)] : r);
    }
  } finally {
    c.close();
  }
  return out;
}

describe('authentication (requirepass, AUTH, HELLO AUTH)', function () {
  this.timeout(20000);
  let riv: RivuletServer;
  let redis: ExternalServer | null = null;

  before(async () => {
    riv = await startRivulet({ requirepass: 's3cret', loglevel: 'nothing' });
    if (HAVE_REDIS) redis = await startLockedRedis('s3cret');
  });
  after(async () => {
    await riv?.close();
    await redis?.stop();
  });

  const script: (string | number)[][] = [
    ['PING'],
    ['GET', 'k'],
    ['XADD', 's', '*', 'f', 'v'],
    ['XREAD', 'STREAMS', 's', '0'],
    ['SELECT', '1'],
    ['ECHO', 'x'],
    ['COMMAND', 'COUNT'],
    ['CLIENT', 'SETNAME', 'n'],
    ['CONFIG', 'GET', 'requirepass'],
    ['MULTI'],
    ['EXEC'],
    ['SUBSCRIBE', 'ch'],
    ['NOSUCHCOMMAND', 'a'],
    ['GET'],
    ['AUTH', 'wrong'],
    ['AUTH', 'default', 'wrong'],
    ['AUTH', 'nobody', 's3cret'],
    ['AUTH', 'a', 'b', 'c'],
    ['HELLO', '2'],
    ['HELLO', '2', 'AUTH', 'default', 'wrong'],
    ['HELLO', '2', 'AUTH', 'nobody', 's3cret'],
    ['HELLO', '4'],
    ['HELLO', '2', 'AUTH', 'default'],
    ['RESET'],
    ['GET', 'k'],
    ['AUTH', 's3cret'],
    ['SET', 'k', 'v'],
    ['GET', 'k'],
    ['RESET'],
    ['GET', 'k'],
    ['AUTH', 'default', 's3cret'],
    ['GET', 'k'],
    ['RESET'],
    ['HELLO', '2', 'AUTH', 'default', 's3cret'],
    ['GET', 'k'],
    ['DEL', 'k'],
  ];

  it('answers nothing but AUTH, HELLO, QUIT and RESET before authentication, with NOAUTH and WRONGPASS texts', async () => {
    const ours = await runScript(riv.port, script);
    const at = (cmd: string): unknown => ours[script.findIndex((s) => s.join(' ') === cmd)];
    for (const cmd of ['PING', 'GET k', 'XADD s * f v', 'XREAD STREAMS s 0', 'SELECT 1', 'MULTI', 'SUBSCRIBE ch', 'CONFIG GET requirepass']) {
      expect(at(cmd), cmd).to.deep.equal(NOAUTH);
    }
    expect(at('AUTH wrong')).to.deep.equal(WRONGPASS);
    expect(at('AUTH default wrong')).to.deep.equal(WRONGPASS);
    expect(at('AUTH nobody s3cret')).to.deep.equal(WRONGPASS);
    expect(at('HELLO 2')).to.deep.equal({
      error:
        'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    });
    expect(at('RESET')).to.equal('RESET');
    expect(at('AUTH s3cret')).to.equal('OK');
    expect(at('SET k v')).to.equal('OK');
    expect(ours[ours.length - 2]).to.equal('v'); // GET after HELLO AUTH
  });

  it('answers the same script exactly as redis-server with requirepass', async function () {
    if (!redis) return this.skip(); // reason: redis-server is not installed
    const ours = await runScript(riv.port, script);
    const theirs = await runScript(redis.port, script);
    for (let i = 0; i < script.length; i++) {
      // Redis 7.2+ names the argument order in this text ("HELLO <proto> AUTH ..."); 7.0 says "HELLO AUTH ...". rivulet follows 7.4.
      if (script[i].join(' ') === 'HELLO 2' && !ORACLE_AT_LEAST_7_2) {
        expect(theirs[i]).to.deep.equal({ error: (ours[i] as { error: string }).error.replace('HELLO <proto> AUTH', 'HELLO AUTH') });
        continue;
      }
      expect(ours[i], script[i].join(' ')).to.deep.equal(theirs[i]);
    }
  });

  it('QUIT before authentication is answered OK and the connection closes', async () => {
    const c = await RawConnection.open(riv.port);
    expect(await c.call('QUIT')).to.equal('OK');
    await c.waitClosed();
    expect(c.closed).to.equal(true);
  });

  it('a wrong password never authenticates, whatever its length or shared prefix', async () => {
    const c = await RawConnection.open(riv.port);
    try {
      for (const pw of ['', 's', 's3cre', 's3cret ', 's3cretX', 'S3CRET', 's3cret'.repeat(100), '\u0000s3cret']) {
        expect(normalise(await c.call('AUTH', pw)), JSON.stringify(pw)).to.deep.equal(WRONGPASS);
        expect(normalise(await c.call('GET', 'k'))).to.deep.equal(NOAUTH);
      }
    } finally {
      c.close();
    }
  });

  it('ioredis with the password option connects and works; with a wrong one it gets WRONGPASS', async () => {
    const good = connect(riv.port, { password: 's3cret' });
    expect(await good.set('io', '1')).to.equal('OK');
    expect(await good.get('io')).to.equal('1');
    good.disconnect();
    const bad = connect(riv.port, { password: 'nope', lazyConnect: true });
    const seen: string[] = [];
    bad.on('error', (err: Error) => seen.push(err.message));
    await bad.connect().catch((err: Error) => seen.push(err.message));
    await bad.get('io').catch((err: Error) => seen.push(err.message));
    bad.disconnect();
    expect(seen).to.include('WRONGPASS invalid username-password pair or user is disabled.');
  });

  it('node-redis with RESP3 authenticates through HELLO 3 AUTH default <password>', async () => {
    const client = createClient({ socket: { port: riv.port, host: '127.0.0.1' }, password: 's3cret', RESP: 3 });
    client.on('error', () => {});
    await client.connect();
    try {
      expect(await client.set('n', 'redis')).to.equal('OK');
      expect(await client.get('n')).to.equal('redis');
    } finally {
      await client.quit();
    }
  });

  it('without requirepass, AUTH <password> is an error and AUTH default <anything> succeeds, as in redis-server', async () => {
    const open = await startRivulet({ loglevel: 'nothing' });
    const oracle = HAVE_REDIS ? await startRedis() : null;
    try {
      const s = [['AUTH', 'x'], ['AUTH', 'default', 'anything'], ['AUTH', 'other', 'x'], ['PING']];
      const ours = await runScript(open.port, s);
      expect(ours).to.deep.equal([
        { error: 'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?' },
        'OK',
        WRONGPASS,
        'PONG',
      ]);
      if (oracle) expect(ours).to.deep.equal(await runScript(oracle.port, s));
    } finally {
      await open.close();
      await oracle?.stop();
    }
  });
});

// ---------------------------------------------------------------------------
// Protected mode from a non-loopback address
// ---------------------------------------------------------------------------

const NS = `rvt7-${process.pid}`;
const HOST_IF = `rv7h${process.pid % 100000}`;
const NS_IF = `rv7n${process.pid % 100000}`;
const HOST_ADDR = '10.231.7.1';
const NS_ADDR = '10.231.7.2';

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** Creates the namespace and veth pair; returns null on success or why it could not. */
function setUpNamespace(): string | null {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not running as root (ip netns needs CAP_NET_ADMIN)';
  if (!hasBinary('ip')) return 'the ip command (iproute2) is not installed';
  try {
    ip('netns', 'add', NS);
    ip('link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF);
    ip('link', 'set', NS_IF, 'netns', NS);
    ip('addr', 'add', `${HOST_ADDR}/30`, 'dev', HOST_IF);
    ip('link', 'set', HOST_IF, 'up');
    ip('netns', 'exec', NS, 'ip', 'addr', 'add', `${NS_ADDR}/30`, 'dev', NS_IF);
    ip('netns', 'exec', NS, 'ip', 'link', 'set', NS_IF, 'up');
    ip('netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up');
    return null;
  } catch (err) {
    tearDownNamespace();
    return `could not create a network namespace with a veth pair: ${(err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message}`;
  }
}

function tearDownNamespace(): void {
  // Deleting the namespace deletes its veth end, and with it the host's peer.
  for (const args of [['netns', 'del', NS], ['link', 'del', HOST_IF]]) {
    try {
      ip(...args);
    } catch {
      /* already gone */
    }
  }
}

/** Script run inside the namespace: connects, sends the commands, prints what came back and whether the server closed. */
const NS_CLIENT = `
const net = require('node:net');
const [host, port, payload] = process.argv.slice(1);
const s = net.connect(+port, host);
let out = '';
const done = (how) => { process.stdout.write(JSON.stringify({ how, text: out })); process.exit(0); };
s.on('connect', () => s.write(payload));
// 'open' means: a reply came and the connection stayed up for a grace period after it
// (or nothing came for 5 s). A fixed 1 s from the start misjudged a slow reply on a busy machine.
let grace = null;
s.on('data', (d) => {
  out += d.toString('latin1');
  clearTimeout(grace);
  grace = setTimeout(() => done('open'), 500);
});
s.on('close', () => done('closed'));
// A server that closes while our request is still unread in its socket sends a reset
// instead of a FIN: that is a close too (what arrived before it has been read already).
s.on('error', (e) => done(e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'closed' : e.code));
setTimeout(() => done('open'), 5000);
`;

/**
 * Connects from inside the namespace to host:port, sends `payload`, and reports the outcome.
 * Asynchronous: the embedded server under test runs on this process's event loop.
 */
async function fromNamespace(port: number, payload: string, host = HOST_ADDR): Promise<{ how: string; text: string }> {
  const { stdout } = await promisify(execFile)('ip', ['netns', 'exec', NS, process.execPath, '-e', NS_CLIENT, host, String(port), payload], {
    timeout: 10000,
  });
  return JSON.parse(stdout) as { how: string; text: string };
}

const DENIED =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

describe('protected mode, from a non-loopback address (network namespace + veth pair)', function () {
  this.timeout(30000);
  let skipReason: string | null = null;
  let riv: RivuletServer | null = null;
  let redis: ExternalServer | null = null;

  before(async () => {
    skipReason = setUpNamespace();
    if (skipReason) return;
    riv = await startRivulet({ bind: `127.0.0.1 ${HOST_ADDR}`, 'protected-mode': 'yes', loglevel: 'nothing' });
    if (HAVE_REDIS) redis = await startRedis(['--bind', '127.0.0.1', HOST_ADDR, '--protected-mode', 'yes']);
  });
  after(async () => {
    await riv?.close();
    await redis?.stop();
    if (!skipReason) tearDownNamespace();
  });
  beforeEach(function () {
    if (skipReason) {
      console.log(`      skipped: ${skipReason}`);
      this.skip();
    }
  });

  it('refuses a client from another address with Redis\'s -DENIED text and closes the connection', async () => {
    expect(await fromNamespace(riv!.port, 'PING\r\n')).to.deep.equal({ how: 'closed', text: DENIED });
  });

  it('redis-server sends the very same bytes (7.0: with its "Setup a an" typo)', async function () {
    if (!redis) return this.skip(); // reason: redis-server is not installed
    const text = ORACLE_AT_LEAST_7_2 ? DENIED : DENIED.replace('4) Set up an', '4) Setup a an');
    expect(await fromNamespace(redis.port, 'PING\r\n')).to.deep.equal({ how: 'closed', text });
  });

  it('counts the refusal in rejected_connections and still serves loopback clients', async () => {
    const c = await RawConnection.open(riv!.port);
    const count = async (): Promise<number> => Number(/rejected_connections:(\d+)/.exec(String(await c.call('INFO', 'stats')))![1]);
    const before = await count();
    await fromNamespace(riv!.port, 'PING\r\n');
    expect(await count()).to.equal(before + 1);
    expect(await c.call('PING')).to.equal('PONG');
    c.close();
  });

  it('admits the client once protected-mode is turned off from the loopback interface', async () => {
    const c = await RawConnection.open(riv!.port);
    try {
      expect(await c.call('CONFIG', 'SET', 'protected-mode', 'no')).to.equal('OK');
      expect(await fromNamespace(riv!.port, 'PING\r\n')).to.deep.equal({ how: 'open', text: '+PONG\r\n' });
    } finally {
      await c.call('CONFIG', 'SET', 'protected-mode', 'yes');
      c.close();
    }
  });

  it('with a password set, admits the client but answers NOAUTH until it authenticates', async () => {
    const c = await RawConnection.open(riv!.port);
    try {
      expect(await c.call('CONFIG', 'SET', 'requirepass', 'pw')).to.equal('OK');
      expect(await fromNamespace(riv!.port, 'PING\r\nAUTH wrong\r\nAUTH pw\r\nPING\r\n')).to.deep.equal({
        how: 'open',
        text: '-NOAUTH Authentication required.\r\n-WRONGPASS invalid username-password pair or user is disabled.\r\n+OK\r\n+PONG\r\n',
      });
    } finally {
      await c.call('AUTH', 'pw');
      await c.call('CONFIG', 'SET', 'requirepass', '');
      c.close();
    }
  });

  it('bound to 0.0.0.0, the refusal is the same', async () => {
    const any = await startRivulet({ bind: '0.0.0.0', loglevel: 'nothing' });
    try {
      expect(await fromNamespace(any.port, 'PING\r\n')).to.deep.equal({ how: 'closed', text: DENIED });
    } finally {
      await any.close();
    }
  });

  it('the default bind (127.0.0.1 -::1) does not listen on other addresses at all', async () => {
    const local = await startRivulet({ loglevel: 'nothing' });
    try {
      expect(local.server.config.get('bind')).to.equal('127.0.0.1 -::1');
      expect(await fromNamespace(local.port, 'PING\r\n')).to.deep.equal({ how: 'ECONNREFUSED', text: '' });
    } finally {
      await local.close();
    }
  });
});
