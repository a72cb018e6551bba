/**
 * Keyspace notifications, compared byte for byte with redis-server: a
 * subscriber on `__key*__:*` sees exactly the events Redis publishes, in
 * the same order, for stream commands and generic key commands; flag
 * letters filter classes and channels as in Redis; CONFIG SET validates
 * and canonicalises `notify-keyspace-events`.
 */
import { expect } from 'chai';
import { startRivulet, startRedis, RawConnection, HAVE_REDIS, encodeCommand, type ExternalServer } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';
import { sameTranscripts, type ScriptStep } from './transcript.js';

/** Connection 0 listens to every keyspace and keyevent channel (one pattern: a defined order). */
const listen: ScriptStep = [0, 'PSUBSCRIBE', '__key*__:*'];

// KEA is what people usually set; KEAn adds `new` (not part of A), fired when a command creates a key.
for (const flags of ['KEA', 'KEAn']) describe(`keyspace notifications with ${flags} (differential against redis-server)`, function () {
  let riv: RivuletServer;
  let redis: ExternalServer;

  before(async function () {
    if (!HAVE_REDIS) this.skip(); // the oracle is not installed on this machine
    riv = await startRivulet({ 'notify-keyspace-events': flags });
    redis = await startRedis(['--notify-keyspace-events', flags, '--enable-debug-command', 'yes']);
  });
  after(async () => {
    await riv?.close();
    await redis?.stop();
  });

  const same = (script: ScriptStep[]): Promise<string[]> => sameTranscripts(riv.port, redis.port, 2, [[1, 'FLUSHALL'], listen, ...script]);

  it('XADD publishes xadd on both channels, keyspace first', async () => {
    const [t] = await same([[1, 'XADD', 's', '1-1', 'f', 'v'], [1, 'XADD', 's', '1-2', 'f', 'v']]);
    expect(t).to.contain(
      '*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$16\r\n__keyspace@0__:s\r\n$4\r\nxadd\r\n' +
        '*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$19\r\n__keyevent@0__:xadd\r\n$1\r\ns\r\n',
    );
  });

  it('XADD with trimming, XTRIM, XDEL and XSETID fire xadd, xtrim, xdel and xsetid', async () => {
    const [t] = await same([
      [1, 'XADD', 's', '1-1', 'f', 'v'],
      [1, 'XADD', 's', '1-2', 'f', 'v'],
      [1, 'XADD', 's', 'MAXLEN', '1', '1-3', 'f', 'v'],
      [1, 'XADD', 's', '1-4', 'f', 'v'],
      [1, 'XTRIM', 's', 'MAXLEN', '1'],
      [1, 'XTRIM', 's', 'MAXLEN', '5'],
      [1, 'XDEL', 's', '1-4'],
      [1, 'XDEL', 's', '9-9'],
      [1, 'XSETID', 's', '5-0'],
      [1, 'XADD', 's', 'NOMKSTREAM', '6-0', 'f', 'v'],
      [1, 'XADD', 'missing', 'NOMKSTREAM', '6-0', 'f', 'v'],
    ]);
    expect(t).to.contain('__keyevent@0__:xadd\r\n');
    expect(t).to.contain('__keyevent@0__:xtrim\r\n');
    expect(t).to.contain('__keyevent@0__:xdel\r\n');
    expect(t).to.contain('__keyevent@0__:xsetid\r\n');
  });

  it('XGROUP CREATE, CREATECONSUMER, DELCONSUMER, SETID and DESTROY fire their xgroup-* events', async () => {
    const [t] = await same([
      [1, 'XADD', 's', '1-1', 'f', 'v'],
      [1, 'XGROUP', 'CREATE', 's', 'g', '$'],
      [1, 'XGROUP', 'CREATE', 's', 'g', '$'],
      [1, 'XGROUP', 'CREATE', 'fresh', 'g', '$', 'MKSTREAM'],
      [1, 'XGROUP', 'CREATECONSUMER', 's', 'g', 'alice'],
      [1, 'XGROUP', 'CREATECONSUMER', 's', 'g', 'alice'],
      [1, 'XGROUP', 'DELCONSUMER', 's', 'g', 'alice'],
      [1, 'XGROUP', 'SETID', 's', 'g', '0'],
      [1, 'XGROUP', 'DESTROY', 's', 'g'],
      [1, 'XGROUP', 'DESTROY', 's', 'g'],
    ]);
    expect(t).to.contain('__keyevent@0__:xgroup-create\r\n');
    expect(t).to.contain('__keyevent@0__:xgroup-createconsumer\r\n');
    expect(t).to.contain('__keyevent@0__:xgroup-delconsumer\r\n');
    expect(t).to.contain('__keyevent@0__:xgroup-setid\r\n');
    expect(t).to.contain('__keyevent@0__:xgroup-destroy\r\n');
  });

  it('XREADGROUP, XCLAIM and XAUTOCLAIM announce the consumers they create', async () => {
    const [t] = await same([
      [1, 'XADD', 's', '1-1', 'f', 'v'],
      [1, 'XGROUP', 'CREATE', 's', 'g', '0'],
      [1, 'XREADGROUP', 'GROUP', 'g', 'reader', 'COUNT', '1', 'STREAMS', 's', '>'],
      [1, 'XCLAIM', 's', 'g', 'claimer', '0', '1-1'],
      [1, 'XAUTOCLAIM', 's', 'g', 'auto', '0', '0'],
      [1, 'XACK', 's', 'g', '1-1'],
    ]);
    expect(t).to.contain('__keyevent@0__:xgroup-createconsumer\r\n');
  });

  it('generic commands fire new, set, del, expire, rename_from/rename_to, persist', async () => {
    const [t] = await same([
      [1, 'SET', 'k', 'v'],
      [1, 'SET', 'k', 'v2'],
      [1, 'EXPIRE', 'k', '100'],
      [1, 'PERSIST', 'k'],
      [1, 'RENAME', 'k', 'k2'],
      [1, 'DEL', 'k2', 'nothing'],
      [1, 'SET', 'k3', 'v', 'EX', '100'],
      [1, 'EXPIRE', 'k3', '-1'],
      [1, 'XADD', 'st', '1-1', 'f', 'v'],
      [1, 'RENAME', 'st', 'st2'],
      [1, 'DEL', 'st2'],
    ]);
    expect(t).to.contain('__keyevent@0__:set\r\n');
    expect(t).to.contain('__keyevent@0__:del\r\n');
    expect(t).to.contain('__keyevent@0__:expire\r\n');
    expect(t).to.contain('__keyevent@0__:rename_from\r\n');
    expect(t).to.contain('__keyevent@0__:rename_to\r\n');
    expect(t).to.contain('__keyevent@0__:persist\r\n');
  });

  it('a key that expires fires expired once', async () => {
    // Active expiry off on both servers, so that the key expires on the GET in each (with it on,
    // which server's expiry cycle ran during the pause decided the step the event fell in,
    // and on a busy machine they differed); the event must come once either way.
    const script: ScriptStep[] = [
      [1, 'FLUSHALL'],
      [1, 'DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      listen,
      [1, 'SET', 'short', 'v', 'PX', '1'],
    ];
    try {
      const [t] = await sameTranscripts(riv.port, redis.port, 2, [...script, [-1, 20], [1, 'GET', 'short'], [1, 'EXISTS', 'short']]);
      expect(t.split('expired').length - 1, 'expired on both channels, once').to.equal(2);
    } finally {
      for (const port of [riv.port, redis.port]) {
        const c = await RawConnection.open(port);
        await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
        c.close();
      }
    }
  });
});

describe('keyspace notification flags', function () {
  let riv: RivuletServer;
  let redis: ExternalServer | null = null;
  before(async () => {
    riv = await startRivulet();
    if (HAVE_REDIS) redis = await startRedis();
  });
  after(async () => {
    await riv?.close();
    await redis?.stop();
  });

  /** Events seen by a `__key*__:*` subscriber while `commands` run under `flags`. */
  async function seen(flags: string, commands: (string | number)[][]): Promise<string[]> {
    riv.server.config.apply('notify-keyspace-events', [flags]);
    const sub = await RawConnection.open(riv.port);
    const c = await RawConnection.open(riv.port);
    try {
      await sub.call('PSUBSCRIBE', '__key*__:*');
      await c.call('FLUSHALL');
      for (const cmd of commands) await c.call(...cmd);
      sub.write(encodeCommand(['PING', 'end']));
      const out: string[] = [];
      for (;;) {
        const m = (await sub.next()) as string[];
        if (m[0] === 'pong') return out;
        out.push(`${m[2]} ${m[3]}`);
      }
    } finally {
      sub.close();
      c.close();
    }
  }

  it('publishes nothing while notify-keyspace-events is empty (the default)', async () => {
    expect(await seen('', [['XADD', 's', '1-1', 'f', 'v'], ['DEL', 's']])).to.deep.equal([]);
  });

  it('publishes nothing with a class but neither K nor E', async () => {
    expect(await seen('A', [['XADD', 's', '1-1', 'f', 'v']])).to.deep.equal([]);
  });

  it('K alone uses only __keyspace@<db>__, E alone only __keyevent@<db>__', async () => {
    expect(await seen('Kt', [['XADD', 's', '1-1', 'f', 'v']])).to.deep.equal(['__keyspace@0__:s xadd']);
    expect(await seen('Et', [['XADD', 's', '1-1', 'f', 'v']])).to.deep.equal(['__keyevent@0__:xadd s']);
  });

  it('class letters filter: t shows stream events, g shows generic ones, n adds new', async () => {
    const cmds = [
      ['XADD', 's', '1-1', 'f', 'v'],
      ['DEL', 's'],
    ];
    expect(await seen('Kt', cmds)).to.deep.equal(['__keyspace@0__:s xadd']);
    expect(await seen('Kg', cmds)).to.deep.equal(['__keyspace@0__:s del']);
    expect(await seen('Ktn', cmds)).to.deep.equal(['__keyspace@0__:s new', '__keyspace@0__:s xadd']);
  });

  it('events carry the database number and binary key names', async () => {
    const sub = await RawConnection.open(riv.port, true);
    const c = await RawConnection.open(riv.port);
    riv.server.config.apply('notify-keyspace-events', ['KEt']);
    try {
      await sub.call('PSUBSCRIBE', '__keyspace@3__:*');
      await c.call('SELECT', 3);
      const key = Buffer.from([0x6b, 0x00, 0xff, 0x0d, 0x0a]);
      await c.call('XADD', key, '1-1', 'f', 'v');
      const m = (await sub.next()) as Buffer[];
      expect(m[0].toString()).to.equal('pmessage');
      expect(m[2].equals(Buffer.concat([Buffer.from('__keyspace@3__:'), key]))).to.equal(true);
      expect(m[3].toString()).to.equal('xadd');
    } finally {
      sub.close();
      c.close();
    }
  });

  it('CONFIG SET validates the letters and CONFIG GET shows the canonical form, as redis-server', async function () {
    const probe = await RawConnection.open(riv.port);
    const hasConfig = !((await probe.call('CONFIG', 'GET', 'notify-keyspace-events')) instanceof Error);
    probe.close();
    if (!hasConfig || !redis) this.skip(); // needs the CONFIG command (server engineer) and the oracle
    const values = ['KEA', 'Kg', 'Ex', 'g$lshzxetmd', 'g$lshzxetmdKE', 'An', 'nK', 'KEn', 'mn', 'nd$lshzxetKEm', 'KK', 'Y', 'Ab', 'a', 'k', 'K E', ''];
    const script: ScriptStep[] = [];
    for (const v of values) script.push([0, 'CONFIG', 'SET', 'notify-keyspace-events', v], [0, 'CONFIG', 'GET', 'notify-keyspace-events']);
    const [t] = await sameTranscripts(riv.port, redis.port, 1, script);
    expect(t).to.contain(
      "-ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.\r\n",
    );
    expect(t).to.contain('$3\r\nAKE\r\n');
  });

  it('"An" reads back as "A" yet still publishes new-key events, as in Redis', async () => {
    expect(await seen('AnK', [['XADD', 's', '1-1', 'f', 'v']])).to.deep.equal(['__keyspace@0__:s new', '__keyspace@0__:s xadd']);
    expect(riv.server.config.get('notify-keyspace-events')).to.equal('AK');
  });

  it('a bad letter in the config file stops start-up with Redis\'s reason', async () => {
    let err: Error | null = null;
    await startRivulet({ 'notify-keyspace-events': 'KEy' }).catch((e: Error) => (err = e));
    expect(err).to.not.equal(null);
    expect(err!.message).to.contain("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  });
});
