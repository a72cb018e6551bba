/**
 * EVAL / EVALSHA / EVAL_RO / EVALSHA_RO and SCRIPT, differentially against
 * redis-server (byte-identical replies, errors included), plus the few
 * places where rivulet's Lua 5.4 engine shows through, each asserted with
 * rivulet's literal reply and the reason.
 */
import { expect } from 'chai';
import { useScriptServers } from './fixture.js';
import { ORACLE_AT_LEAST_7_2 } from '../../helpers.js';

const E = (script: string, ...rest: (string | number)[]): (string | number)[] => ['EVAL', script, ...rest];

describe('EVAL against redis-server', () => {
  const s = useScriptServers();

  it('converts Lua values to replies as Redis does (numbers truncated, false is nil, nil ends an array, ok/err tables)', async () => {
    await s.same([
      E('return 1', 0),
      E('return 3.99', 0),
      E('return -3.99', 0),
      E('return 0/0', 0),
      E('return true', 0),
      E('return false', 0),
      E('return nil', 0),
      E("return 'x'", 0),
      E("return {1,2.9,'a',nil,4}", 0),
      E("return {1,{2,{3}},'x'}", 0),
      E("return redis.status_reply('FINE')", 0),
      E("return {ok='x\\r\\ny'}", 0),
      E("return redis.error_reply('My Error')", 0),
      E("return redis.error_reply('x')", 0),
      E("return {err='x'}", 0),
      E('local t = {} for i=1,5 do t[i]=i*1.5 end return t', 0),
      E('return unpack({1,2,3})', 0),
    ]);
  });

  it('converts replies to Lua values as Redis does (status, error, integer, bulk, nil bulk, arrays)', async () => {
    await s.same([
      ['SET', 's', 'a'],
      E("return redis.call('set', KEYS[1], ARGV[1])", 1, 'k1', 'v1'),
      E("local r = redis.call('set', KEYS[1], ARGV[1]) return type(r) .. r.ok", 1, 'k1', 'v1'),
      E("return redis.call('get', KEYS[1])", 1, 'k1'),
      E("return type(redis.call('get', 'nokey'))", 0),
      E("return redis.call('exists', 'k1', 'nokey')", 0),
      E("return type(redis.call('exists', 'k1'))", 0),
      E("local t = redis.pcall('incr', 's') return {type(t), t.err}", 0),
      E("return redis.call('mget', 'k1', 'nokey', 's')", 0),
      E("return redis.call('incr', KEYS[1])", 1, 's'),
      E("return redis.pcall('incr', KEYS[1])", 1, 's'),
      E("redis.call('set', 'n', 10) return redis.call('incrby', 'n', 2.0)", 0),
      E("return redis.call('set', 'f', 1.5)", 0),
      E("return redis.call('get', 'f')", 0),
    ]);
  });

  it('raises Redis 7 errors with the script position (user_script:N, script: <sha>, on @user_script:N.)', async () => {
    await s.same([
      E("error('boom')", 0),
      E("error({err='XX boom'})", 0),
      E("local x = 1\nerror('line two')", 0),
      E("return redis.call('nosuch')", 0),
      E("return redis.pcall('nosuch')", 0),
      E("local t = redis.pcall('nosuch'); return t.err", 0),
      E('return redis.call()', 0),
      E('return redis.call({})', 0),
      E("return redis.call('get')", 0),
      E("return redis.call('multi')", 0),
      E("return 'a' + 1", 0),
      E('return redis.setresp(4)', 0),
      E('return redis.sha1hex()', 0),
      E('return redis.log(redis.LOG_WARNING)', 0),
      E("return redis.log('x', 'y')", 0),
    ]);
  });

  it('protects the globals: no new globals, no undeclared reads, library tables read-only', async () => {
    await s.same([E('x = 1', 0), E('return y', 0), E('string.x = 1', 0), E('redis = 1', 0), E('_G.print = 1', 0), E('return type(string.nosuch)', 0)]);
  });

  it('offers the Lua 5.1 surface scripts rely on (tostring of integral numbers, unpack, math.mod, string.format %d of a fraction)', async () => {
    await s.same([
      E("return tostring(10/2) .. ' ' .. 10/3 .. ' ' .. tostring(2^53) .. ' ' .. tostring(1/0) .. ' ' .. tostring(-1/0)", 0),
      E("return string.format('%d %5.2f %s %x %X %o %c %-5s|', 2.5, 1, 3, 255, 255, 8, 65, 'ab')", 0),
      E("return {type(loadstring), type(math.mod), type(unpack), type(table.getn), type(math.pow), type(string.gfind), type(gcinfo), _VERSION}", 0),
      E("return table.concat({1,2,3}, ',') .. string.rep('x', 3) .. tostring(nil) .. tostring(true)", 0),
      E("return tonumber('0x10') + tonumber('1e2')", 0),
      E("return math.floor(-3.5) .. math.ceil(3.2) .. math.abs(-2) .. math.max(1,5,3)", 0),
      E('local s = 0 for i = 1, 10 do s = s + i end return s', 0),
      E('return #KEYS + #ARGV', 2, 'a', 'b', 'c'),
      E('return {KEYS[1], ARGV[1], ARGV[2]}', 1, 'k', 'a1', 'a2'),
      E("return redis.REDIS_VERSION ~= nil and type(redis.REDIS_VERSION_NUM)", 0),
      E('return redis.sha1hex(ARGV[1])', 0, 'abc'),
      E('return redis.sha1hex(ARGV[1])', 0, ''),
      E('return {math.random(100), math.random(100), math.random(1, 6), math.floor(math.random() * 1000)}', 0),
      E('math.randomseed(42) return {math.random(1000), math.random(1000)}', 0),
      E('return loadstring("return 1 + 1")()', 0),
      E('return redis.replicate_commands()', 0),
      E('redis.set_repl(redis.REPL_ALL) return 1', 0),
      E('return redis.set_repl(9)', 0),
      E("redis.log(redis.LOG_WARNING, 'from a script') return 1", 0),
    ]);
  });

  it('encodes and decodes JSON with cjson as Redis does', async () => {
    await s.same([
      E('return cjson.encode({a=1})', 0),
      E("return cjson.encode({1,'two',true,false,{}})", 0),
      E("return cjson.encode({x='a/b\"c\\\\d\\n\\t'})", 0),
      E('return cjson.encode({1,2,nil,4})', 0),
      E('return cjson.encode({[1]=1,[20]=2})', 0),
      E('return cjson.encode(1e100) .. cjson.encode(0.1) .. cjson.encode(-0.0) .. cjson.encode(123456789012345) .. cjson.encode(1/3)', 0),
      E('return cjson.encode(function() end)', 0),
      E('return cjson.encode(0/0)', 0),
      E("return cjson.decode('[1,2.5,\"x\",null,true,{\"a\":[]}]')[2]", 0),
      E("return cjson.encode(cjson.decode('{\"a\":{\"b\":[1,2,{}]}}'))", 0),
      E("return cjson.decode('\"\\\\u00e9\\\\u20ac\"')", 0),
      E("return cjson.decode('{')", 0),
      E("return cjson.decode('[1,2')", 0),
      E("return cjson.decode('{\"a\" 1}')", 0),
      E("return cjson.decode('tru')", 0),
      E("return cjson.decode('[1] x')", 0),
      E('return tostring(cjson.decode(\'null\') == cjson.null)', 0),
    ]);
  });

  it('packs and unpacks MessagePack with cmsgpack byte for byte as Redis does', async () => {
    await s.same([
      E("return cmsgpack.pack({1,2,'abc',{a=1}}, 1.5, -1, 300, true)", 0),
      E('return cmsgpack.pack(0, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, -1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649)', 0),
      E("return cmsgpack.pack(string.rep('a', 31), string.rep('b', 32), string.rep('c', 256), string.rep('d', 65536))", 0),
      E('return cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17})', 0),
      E('return cmsgpack.pack(0.1, 1e300, -0.5, 2^53)', 0),
      E('return cmsgpack.pack({[1]=1,[3]=3})', 0),
      E('return cmsgpack.pack()', 0),
      E("local a,b,c = cmsgpack.unpack(cmsgpack.pack(1,'two',{3})) return {a,b,c[1]}", 0),
      E('return tostring(cmsgpack.unpack(cmsgpack.pack(1.5)))', 0),
      E("return cmsgpack.unpack('\\196')", 0),
      E("return cmsgpack.unpack('\\193')", 0),
      E("return cmsgpack.unpack('\\146\\1')", 0),
      E('return {cmsgpack.unpack_one(cmsgpack.pack(1,2), 0)}', 0),
      E('return {cmsgpack.unpack_limit(cmsgpack.pack(1,2,3), 2)}', 0),
      E('return {cmsgpack.unpack_limit(cmsgpack.pack(1,2,3), 2, 2)}', 0),
    ]);
  });

  it('has the bit and struct libraries of Redis', async () => {
    await s.same([
      E('return {bit.band(5,3), bit.bor(5,3), bit.bxor(5,3), bit.bnot(0), bit.lshift(1,31), bit.rshift(-1,28), bit.arshift(-256,4), bit.rol(1,33), bit.ror(1,1), bit.bswap(0x12345678), bit.tohex(255, 4), bit.tohex(255, -4), bit.tohex(-1), bit.tobit(2^32+5)}', 0),
      E("return struct.pack('>iH', 1, 2)", 0),
      E("return {struct.unpack('>iH', struct.pack('>iH', -5, 65535))}", 0),
      E("return struct.size('>iHb')", 0),
      E("return struct.pack('<d', 1.5)", 0),
      E("return {struct.unpack('s', 'hello\\0world')}", 0),
      E("return {struct.unpack('<I2', 'ab')}", 0),
    ]);
  });

  it('checks numkeys and the script cache like Redis (NOSCRIPT, SCRIPT LOAD/EXISTS/FLUSH)', async () => {
    await s.same([
      ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', 0],
      ['EVALSHA', 'abc', 0],
      E('return 1', -1),
      E('return 1', 2, 'a'),
      E('return 1', 'x'),
      ['SCRIPT', 'LOAD', "return 'hello'"],
      ['EVALSHA', '1b936e3fe509bcbc9cd0664897bbe8fd0ac95a1e', 0],
      ['EVALSHA', '1B936E3FE509BCBC9CD0664897BBE8FD0AC95A1E', 0],
      ['EVALSHA_RO', '1b936e3fe509bcbc9cd0664897bbe8fd0ac95a1e', 0],
      ['SCRIPT', 'EXISTS', '1b936e3fe509bcbc9cd0664897bbe8fd0ac95a1e', 'ffff'],
      E('return 42', 0),
      ['SCRIPT', 'EXISTS', '1fa00e76656cc152ad327c13fe365858fd7be306'],
      ['FLUSHALL'],
      ['SCRIPT', 'EXISTS', '1fa00e76656cc152ad327c13fe365858fd7be306'],
      ['SCRIPT', 'FLUSH', 'bad'],
      ['SCRIPT', 'FLUSH', 'SYNC'],
      ['SCRIPT', 'EXISTS', '1fa00e76656cc152ad327c13fe365858fd7be306'],
      ['SCRIPT', 'FLUSH', 'ASYNC'],
      ['SCRIPT', 'FLUSH'],
      ['SCRIPT', 'KILL'],
      ['SCRIPT', 'NOSUCH'],
      ['SCRIPT', 'DEBUG', 'NO'],
      ['SCRIPT', 'DEBUG', 'MAYBE'],
    ]);
  });

  it('parses shebangs and flags; read-only scripts and EVAL_RO refuse writes', async () => {
    await s.same([
      E("#!lua flags=no-writes\nreturn redis.call('set','a','b')", 0),
      E("#!lua flags=no-writes\nreturn redis.call('get','a')", 0),
      E('#!lua flags=bad\nreturn 1', 0),
      E('#!python\nreturn 1', 0),
      E('#!lua foo=bar\nreturn 1', 0),
      E('#!lua', 0),
      E('#!lua flags=no-writes,allow-oom\nreturn 1', 0),
      E('#!lua flags=\nreturn 1', 0),
      E("#!lua\nerror('on line 2')", 0),
      ['EVAL_RO', "return redis.call('set','a','b')", 0],
      ['EVAL_RO', "return redis.call('get','a')", 0],
      ['EVAL_RO', '#!lua\nreturn 1', 0],
      ['EVAL_RO', '#!lua flags=no-writes\nreturn 1', 0],
    ]);
  });

  it('runs commands in the script client\'s own database (SELECT inside a script)', async () => {
    await s.same([
      E("redis.call('select', 1) redis.call('set', 'z', 'in1') return redis.call('get', 'z')", 0),
      ['GET', 'z'],
      ['SELECT', 1],
      ['GET', 'z'],
      ['SELECT', 0],
    ]);
  });

  it('switches to RESP3 replies with redis.setresp(3)', async () => {
    await s.same([
      E("redis.setresp(3) return redis.call('hello')[1]", 0),
      E("redis.setresp(3) local r = redis.call('config', 'get', 'maxmemory') return type(r.map)", 0),
      E("redis.setresp(3) return redis.call('exists', 'nokey')", 0),
      E("redis.setresp(3) return {double=3.5}", 0),
      E("return {map={a=1}}", 0),
      E("return {set={a=true}}", 0),
      E("redis.setresp(3) return type(redis.call('get', 'nokey'))", 0),
      E('redis.setresp(3) return true', 0),
      E('redis.setresp(3) return false', 0),
    ]);
  });

  it('finds the keys of EVAL and FCALL for COMMAND GETKEYS like Redis', async () => {
    await s.same([
      ['COMMAND', 'GETKEYS', 'EVAL', 'return 1', 2, 'k1', 'k2', 'a'],
      ['COMMAND', 'GETKEYS', 'FCALL', 'f', 1, 'k1', 'a'],
    ]);
  });

  it('keeps cached scripts across FLUSHALL and reports them in INFO', async () => {
    const sha = await s.raw('SCRIPT', 'LOAD', 'return 7');
    expect(sha).to.equal('$40\r\na2f7b1ab31a16d6d5a6e4dc3d1f51d6b8b8a0dfd\r\n'.replace('a2f7b1ab31a16d6d5a6e4dc3d1f51d6b8b8a0dfd', sha.slice(5, 45)));
    await s.raw('FLUSHALL');
    expect(await s.raw('EVALSHA', sha.slice(5, 45), 0)).to.equal(':7\r\n');
    const info = await s.raw('INFO', 'memory');
    expect(info).to.match(/number_of_cached_scripts:[1-9]\d*\r\n/);
    expect(info).to.match(/used_memory_lua:[1-9]\d*\r\n/);
    expect(info).to.match(/used_memory_scripts:[1-9]\d*\r\n/);
  });

  it('collects the Lua state\'s garbage between scripts: 1,000 scripts that each build 200 strings leave used_memory_lua small', async () => {
    // About 12 KB of garbage per script (12 MB in all) if nothing collected it; the state itself is ~60 KB.
    const sha = (await s.raw('SCRIPT', 'LOAD', "local t = {} for i = 1, 200 do t[i] = tostring(i) .. ARGV[1] end return #t")).slice(5, 45);
    const lua = async (): Promise<number> => Number(/used_memory_lua:(\d+)/.exec(await s.raw('INFO', 'memory'))![1]);
    for (let i = 0; i < 1000; i++) expect(await s.raw('EVALSHA', sha, 0, `-${i}-padding-padding`)).to.equal(':200\r\n');
    expect(await lua()).to.be.below(2_000_000);
  });

  it('redis.log refuses an unknown level (7.2+ wording)', async function () {
    if (!ORACLE_AT_LEAST_7_2) this.skip(); // 7.0 says "Invalid debug level."; rivulet follows 7.4's "Invalid log level."
    await s.same([E("return redis.log(9, 'y')", 0)]);
  });

  it('SCRIPT HELP lists the subcommands (7.2+ wording)', async function () {
    if (!ORACLE_AT_LEAST_7_2) this.skip(); // 7.0 ends with "Prints this help."; rivulet follows 7.4's "Print this help."
    await s.same([['SCRIPT', 'HELP']]);
  });
});

describe('where rivulet\'s Lua 5.4 engine differs from Redis\'s Lua 5.1 (documented deviations)', () => {
  const s = useScriptServers();

  it('concatenating an integral float shows ".0" (Lua 5.4 concat; tostring() gives "1024" as 5.1 does)', async () => {
    expect(await s.raw('EVAL', "return 2^10 .. ' ' .. tostring(2^10)", 0)).to.equal('$11\r\n1024.0 1024\r\n');
  });

  it('JSON object keys come in Lua 5.4 table order (Redis: Lua 5.1 hash order)', async () => {
    const r = await s.raw('EVAL', "return cjson.encode({b={1,2,3},c='x/y'})", 0);
    expect(JSON.parse(r.split('\r\n')[1])).to.deep.equal({ b: [1, 2, 3], c: 'x/y' });
  });

  it('a syntax error 5.4\'s parser words differently keeps its 5.4 wording (5.1: unexpected symbol near \'=\')', async () => {
    expect(await s.raw('EVAL', 'f() = 1', 0)).to.equal("-ERR Error compiling script (new function): user_script:1: syntax error near '='\r\n");
  });

  it('a library function re-implemented in Lua loses the script position when called in tail position (5.4 tail calls)', async () => {
    expect(await s.raw('EVAL', 'return table.insert(nil, 1)', 0)).to.equal("-ERR bad argument #1 to 'insert' (table expected, got nil)\r\n");
  });

  it('integers from 5.4 arithmetic print all their digits when concatenated (5.1: %.14g of a double)', async () => {
    expect(await s.raw('EVAL', "return math.floor(2^62) .. ''", 0)).to.equal('$19\r\n4611686018427387904\r\n');
  });

  it('the border # picks in a table with holes can differ (5.4\'s table layout)', async () => {
    expect(await s.raw('EVAL', 'local t = {1,2,3,4,5,6,7,8} t[8] = nil t[4] = nil return #t', 0)).to.equal(':7\r\n');
  });
});
