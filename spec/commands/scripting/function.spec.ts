/**
 * FUNCTION LOAD/LIST/DELETE/FLUSH/DUMP/RESTORE/STATS/KILL/HELP and
 * FCALL/FCALL_RO, differentially against redis-server, then what only
 * rivulet can show: DUMP/RESTORE round trips, Redis's own (LZF-compressed)
 * payloads restored, and libraries surviving a restart through the AOF
 * (FUNCTION LOAD records, and the rewrite's base file).
 */
import { expect } from 'chai';
import { useScriptServers } from './fixture.js';
import { ORACLE_AT_LEAST_7_2, startRivulet, tmpDir, rmrf, connect, sleep } from '../../helpers.js';

const LIB = "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return args[1] end)";

describe('FUNCTION and FCALL against redis-server', () => {
  const s = useScriptServers();

  it('loads a library, calls its function, refuses a second load without REPLACE', async () => {
    await s.same([
      ['FUNCTION', 'LOAD', LIB],
      ['FCALL', 'myfunc', 0, 'hello'],
      ['FUNCTION', 'LOAD', LIB],
      [
        'FUNCTION', 'LOAD', 'REPLACE',
        "#!lua name=mylib\nredis.register_function{function_name='myfunc', callback=function(keys, args) return redis.call('set', keys[1], args[1]) end, flags={'no-writes'}, description='d'}",
      ],
      ['FCALL', 'myfunc', 1, 'k', 'v'],
      ['FCALL_RO', 'myfunc', 1, 'k', 'v'],
      ['FUNCTION', 'LIST'],
      ['FUNCTION', 'LIST', 'WITHCODE'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME', 'my*'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME', 'x*'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME'],
      ['FUNCTION', 'LIST', 'bad'],
      ['FUNCTION', 'LOAD', 'bad', 'x'],
      ['FUNCTION', 'STATS'],
      ['FUNCTION', 'DELETE', 'nosuch'],
      ['FUNCTION', 'KILL'],
      ['FUNCTION', 'FLUSH', 'bad'],
    ]);
  });

  it('reports library metadata and registration errors with Redis\'s texts', async () => {
    await s.same([
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'LOAD', LIB],
      ['FUNCTION', 'LOAD', "redis.register_function('x', function() end)"],
      ['FUNCTION', 'LOAD', '#!lua\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!lua name=a b=c\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!lua name=a name=b\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!lua name=a\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!lua name=a-b\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!foo name=ab\nreturn 1'],
      ['FUNCTION', 'LOAD', "#!lua name=ab\nredis.register_function('f-1', function() end)"],
      ['FUNCTION', 'LOAD', "#!lua name=ab\nredis.register_function('f1')"],
      ['FUNCTION', 'LOAD', "#!lua name=ab\nredis.register_function('f1', function() end, 3)"],
      ['FUNCTION', 'LOAD', "#!lua name=ab\nredis.register_function(1, function() end)"],
      ['FUNCTION', 'LOAD', "#!lua name=ab\nredis.register_function{function_name='f1', callback=function() end, flags={'bad'}}"],
      ['FUNCTION', 'LOAD', "#!lua name=ab\nredis.register_function{function_name='f1', callback=function() end, flags='no-writes'}"],
      ['FUNCTION', 'LOAD', "#!lua name=ab\nredis.register_function{function_name='f1', callbak=function() end}"],
      ['FUNCTION', 'LOAD', "#!lua name=ab\nredis.register_function{callback=function() end}"],
      ['FUNCTION', 'LOAD', "#!lua name=ab\nredis.register_function{function_name='f1'}"],
      ['FUNCTION', 'LOAD', "#!lua name=ab\nredis.register_function('f1', function() end)\nredis.register_function('f1', function() end)"],
      ['FUNCTION', 'LOAD', "#!lua name=ab\nredis.call('set','x','y')"],
      ['FUNCTION', 'LOAD', "#!lua name=ab\nlocal x = string.len('a')"],
      ['FUNCTION', 'LOAD', "#!lua name=ab\nredis.register_function('myfunc', function() end)"],
      ['FUNCTION', 'LOAD', "#!lua name=ab\nerror('at load')"],
      ['FCALL', 'nosuch', 0],
      ['FCALL', 'myfunc', 'x'],
      ['FCALL', 'myfunc', 5],
      ['FCALL', 'myfunc', -1],
    ]);
  });

  it('runs functions with their keys and arguments, errors naming the function', async () => {
    await s.same([
      ['FUNCTION', 'FLUSH'],
      [
        'FUNCTION', 'LOAD',
        "#!lua name=lib2\nredis.register_function('f2', function(keys, args) return {keys[1], args[1], redis.REDIS_VERSION ~= nil} end)\nredis.register_function('f3', function() error('oops') end)\nredis.register_function('f4', function() return redis.call('nosuch') end)\nredis.register_function('f5', function(keys) return redis.call('set', keys[1], 'v') end)\nredis.register_function{function_name='f6', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}",
      ],
      ['FCALL', 'f2', 1, 'a', 'b'],
      ['FCALL', 'f3', 0],
      ['FCALL', 'f4', 0],
      ['FCALL', 'f5', 1, 'fk'],
      ['FCALL_RO', 'f5', 1, 'fk'],
      ['FCALL_RO', 'f6', 1, 'fk'],
      ['FUNCTION', 'STATS'],
      ['FLUSHALL'],
      ['FCALL', 'f2', 1, 'still', 'there'],
      ['FUNCTION', 'DELETE', 'lib2'],
      ['FCALL', 'f2', 0],
      ['FUNCTION', 'LIST'],
      ['SCRIPT', 'KILL'],
      ['FUNCTION', 'FLUSH', 'ASYNC'],
    ]);
  });

  it('restores a payload dumped by redis-server (LZF-compressed library code)', async () => {
    await s.theirs.call('FUNCTION', 'FLUSH');
    await s.theirs.call('FUNCTION', 'LOAD', LIB);
    const payload = (await s.theirs.call('FUNCTION', 'DUMP')) as string;
    const raw = Buffer.from(payload, 'latin1');
    await s.ours.call('FUNCTION', 'FLUSH');
    // RawConnection decodes bulk strings as utf8 text; fetch the payload's bytes again as a Buffer.
    const { RawConnection } = await import('../../helpers.js');
    const bin = await RawConnection.open(s.oracle.port, true);
    const bytes = (await bin.call('FUNCTION', 'DUMP')) as Buffer;
    bin.close();
    expect(bytes.length).to.be.greaterThan(10);
    void raw;
    expect(await s.ours.call('FUNCTION', 'RESTORE', bytes)).to.equal('OK');
    expect(await s.ours.call('FCALL', 'myfunc', 0, 'restored')).to.equal('restored');
  });

  it('HELP lists the subcommands (7.2+ wording)', async function () {
    if (!ORACLE_AT_LEAST_7_2) this.skip(); // 7.0 says "Prints this help." and lists a library description; rivulet follows 7.4
    await s.same([['FUNCTION', 'HELP']]);
  });
});

describe('FUNCTION DUMP / RESTORE', () => {
  it('round-trips libraries with the FLUSH, APPEND and REPLACE policies', async () => {
    const srv = await startRivulet();
    const r = connect(srv.port);
    try {
      await r.function('LOAD', LIB);
      const dump = (await r.callBuffer('FUNCTION', 'DUMP')) as Buffer;
      expect(await r.function('RESTORE', dump).catch((e: Error) => e.message)).to.equal('ERR Library mylib already exists');
      expect(await r.function('RESTORE', dump, 'REPLACE')).to.equal('OK');
      await r.function('FLUSH');
      expect(await r.function('RESTORE', dump)).to.equal('OK');
      expect(await r.fcall('myfunc', 0, 'x')).to.equal('x');
      expect(await r.function('RESTORE', dump, 'FLUSH')).to.equal('OK');
      expect(await r.call('FUNCTION', 'RESTORE', dump, 'BAD').catch((e: Error) => e.message)).to.equal(
        'ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.',
      );
      const broken = Buffer.from(dump);
      broken[broken.length - 1] ^= 0xff;
      expect(await r.function('RESTORE', broken).catch((e: Error) => e.message)).to.equal('ERR DUMP payload version or checksum are wrong');
    } finally {
      r.disconnect();
      await srv.close();
    }
  });
});

describe('functions persist in the AOF', () => {
  it('FUNCTION LOAD / DELETE records replay on restart, and a rewrite keeps the libraries', async () => {
    const dir = tmpDir();
    try {
      let srv = await startRivulet({ dir, appendfsync: 'always' });
      let r = connect(srv.port);
      await r.function('LOAD', LIB);
      await r.function('LOAD', "#!lua name=gone\nredis.register_function('g', function() return 1 end)");
      await r.function('DELETE', 'gone');
      r.disconnect();
      await srv.close();

      srv = await startRivulet({ dir });
      r = connect(srv.port);
      expect(await r.fcall('myfunc', 0, 'after restart')).to.equal('after restart');
      expect(await r.fcall('g', 0).catch((e: Error) => e.message)).to.equal('ERR Function not found');
      await r.call('BGREWRITEAOF');
      for (let i = 0; i < 100 && /aof_rewrite_in_progress:1/.test(await r.info('persistence')); i++) await sleep(20);
      r.disconnect();
      await srv.close();

      srv = await startRivulet({ dir });
      r = connect(srv.port);
      expect(await r.fcall('myfunc', 0, 'after rewrite')).to.equal('after rewrite');
      r.disconnect();
      await srv.close();
    } finally {
      rmrf(dir);
    }
  });
});
