import { expect } from 'chai';
import { differential } from '../../helpers.js';
import { useStreamOracle } from './fixture.js';
import { capture, resp3 } from './util.js';

describe('XGROUP', () => {
  const fx = useStreamOracle();

  it('answers every subcommand, option and error exactly as redis-server does', async () => {
    await differential(fx.riv.port, fx.oracle.port, [
      ['XADD', 's', '1-1', 'f', 'v'],
      ['XADD', 's', '2-1', 'f', 'v'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XGROUP', 'create', 's', 'g2', '$'],
      ['XGROUP', 'CREATE', 's', 'g3', '1'],
      ['XGROUP', 'CREATE', 's', 'g4', '+'],
      ['XGROUP', 'CREATE', 's', 'g4', '-'],
      ['XGROUP', 'CREATE', 's', 'g4', 'abc'],
      ['XGROUP', 'CREATE', 's', 'g4', '0', 'MKSTREAM', 'foo'],
      ['XGROUP', 'Create', 's', 'g4', '0', 'ENTRIESREAD'],
      ['XGROUP', 'CREATE', 's', 'g4', '0', 'ENTRIESREAD', '-2'],
      ['XGROUP', 'CREATE', 's', 'g4', '0', 'ENTRIESREAD', 'x'],
      ['XGROUP', 'CREATE', 's', 'g4', '0', 'ENTRIESREAD', '-1'],
      ['XGROUP', 'CREATE', 's', 'g5', '0', 'ENTRIESREAD', '1', 'MKSTREAM'],
      ['XGROUP', 'CREATE', 's', 'g6', '$', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM'],
      ['XGROUP', 'CREATE', 'nokey', 'g', '0'],
      ['XGROUP', 'CREATE', 'nokey2', 'g', '$', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM'],
      ['EXISTS', 'nokey2'],
      ['XGROUP', 'CREATE', 'made', 'g', '$', 'MKSTREAM'],
      ['TYPE', 'made'],
      ['XLEN', 'made'],
      ['SET', 'str', 'x'],
      ['XGROUP', 'CREATE', 'str', 'g', '$', 'MKSTREAM'],
      ['XGROUP', 'CREATE', 's', 'g', '0', 'BADOPT'],
      ['XGROUP', 'SETID', 's', 'g', '1-1'],
      ['XGROUP', 'SETID', 's', 'g', '$', 'ENTRIESREAD', '2'],
      ['XGROUP', 'SETID', 's', 'g', '-'],
      ['XGROUP', 'SETID', 's', 'g', '+'],
      ['XGROUP', 'SETID', 's', 'g', 'bad'],
      ['XGROUP', 'SETID', 's', 'g', '0', 'MKSTREAM'],
      ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', '1', 'x'],
      ['XGROUP', 'SETID', 's', 'nog', '0'],
      ['XGROUP', 'SETID', 'nokey', 'g', '0'],
      ['XGROUP', 'SETID', 'str', 'g', '0'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'alice'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'alice'],
      ['XGROUP', 'CREATECONSUMER', 's', 'nog', 'alice'],
      ['XGROUP', 'CREATECONSUMER', 'nokey', 'g', 'alice'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g'],
      ['XGROUP', 'SETID', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'alice'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'alice'],
      ['XGROUP', 'DELCONSUMER', 's', 'nog', 'alice'],
      ['XPENDING', 's', 'g'],
      ['XGROUP', 'DESTROY', 's', 'g'],
      ['XGROUP', 'DESTROY', 's', 'g'],
      ['XGROUP', 'DESTROY', 'nokey', 'g'],
      ['XGROUP', 'DESTROY', 's'],
      ['XGROUP', 'DESTROY', 's', 'g', 'extra'],
      ['XGROUP', 'HELP', 'x'],
      ['XGROUP', 'FOO'],
      ['XGROUP'],
      ['XGROUP', 'CREATE', 's'],
    ]);
  });

  it('XINFO GROUPS shows what CREATE and SETID set (entries-read nil when unknown)', async () => {
    await fx.r.xadd('s', '1-1', 'f', 'v');
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '0', 'ENTRIESREAD', '0');
    await fx.r.call('XGROUP', 'CREATE', 's', 'h', '$');
    expect(await fx.r.call('XINFO', 'GROUPS', 's')).to.deep.equal([
      ['name', 'g', 'consumers', 0, 'pending', 0, 'last-delivered-id', '0-0', 'entries-read', 0, 'lag', 1],
      ['name', 'h', 'consumers', 0, 'pending', 0, 'last-delivered-id', '1-1', 'entries-read', null, 'lag', 0],
    ]);
    expect(await fx.r.call('XGROUP', 'SETID', 's', 'g', '+')).to.equal('OK');
    expect(await fx.r.call('XINFO', 'GROUPS', 's')).to.deep.include([
      'name', 'g', 'consumers', 0, 'pending', 0, 'last-delivered-id', '18446744073709551615-18446744073709551615', 'entries-read', null, 'lag', null,
    ]);
  });

  it('fires t-class events, counts each change as dirty and propagates the subcommands verbatim', async () => {
    const cap = capture(fx.riv);
    await fx.r.xadd('s', '1-1', 'f', 'v');
    cap.reset();
    const dirty = fx.riv.server.dirty;
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '0');
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '0').catch(() => null);
    await fx.r.call('XGROUP', 'SETID', 's', 'g', '$', 'ENTRIESREAD', '1');
    await fx.r.call('XGROUP', 'CREATECONSUMER', 's', 'g', 'c');
    await fx.r.call('XGROUP', 'CREATECONSUMER', 's', 'g', 'c');
    await fx.r.call('XGROUP', 'DELCONSUMER', 's', 'g', 'c');
    await fx.r.call('XGROUP', 'DELCONSUMER', 's', 'g', 'c');
    await fx.r.call('XGROUP', 'DESTROY', 's', 'g');
    await fx.r.call('XGROUP', 'DESTROY', 's', 'g');
    expect(fx.riv.server.dirty - dirty, 'one per successful change').to.equal(5);
    expect(cap.events).to.deep.equal([
      't:xgroup-create:s',
      't:xgroup-setid:s',
      't:xgroup-createconsumer:s',
      't:xgroup-delconsumer:s',
      't:xgroup-destroy:s',
    ]);
    expect(cap.aof).to.deep.equal([
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XGROUP', 'SETID', 's', 'g', '$', 'ENTRIESREAD', '1'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'c'],
      ['XGROUP', 'DESTROY', 's', 'g'],
    ]);
    fx.riv.server.aof = null;
  });

  it('MKSTREAM on a missing key creates an empty stream and fires the new-key event before xgroup-create', async () => {
    const cap = capture(fx.riv);
    await fx.r.call('XGROUP', 'CREATE', 'fresh', 'g', '$', 'MKSTREAM');
    expect(cap.events.filter((e) => e.endsWith(':fresh')).pop()).to.equal('t:xgroup-create:fresh');
    expect(cap.events.some((e) => e.startsWith('n:new:fresh'))).to.equal(true);
    expect(await fx.r.type('fresh')).to.equal('stream');
    fx.riv.server.aof = null;
  });

  it('speaks RESP3: HELP is an array of simple strings, errors are unchanged', async () => {
    const c3 = await resp3(fx.riv.port);
    try {
      const help = await c3.call('XGROUP', 'HELP');
      expect(help.startsWith('*17\r\n+XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n')).to.equal(true);
      expect(help.endsWith('+HELP\r\n+    Print this help.\r\n')).to.equal(true);
      expect(await c3.call('XGROUP', 'CREATE', 'none', 'g', '0')).to.equal(
        '-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n',
      );
    } finally {
      c3.close();
    }
  });
});
