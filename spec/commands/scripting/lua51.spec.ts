/**
 * Lua 5.1 as Redis scripts observe it, on rivulet's Lua 5.4 engine: the
 * library surface (what 5.4 added is absent, as in Redis), 5.1's
 * string.format / string.rep / table.insert / table.remove / unpack / math.fmod
 * / load semantics, Redis 7's pcall (an error table is caught as its message)
 * and 5.1's wording of runtime errors. Every reply is compared byte for byte
 * with redis-server's. Errors raised by a re-implemented library function are
 * tested outside tail position (`local r = f() return r`): see the README's
 * deviations for why a tail call loses the script position.
 */
import { useScriptServers } from './fixture.js';
import { ORACLE_AT_LEAST_7_2 } from '../../helpers.js';

const E = (script: string, ...rest: (string | number)[]): (string | number)[] => ['EVAL', script, ...rest];

describe('Lua 5.1 semantics against redis-server', () => {
  const s = useScriptServers();

  it('offers only the Lua 5.1 library: 5.4 additions (table.pack, math.type, string.pack, rawlen...) are absent; rawset cannot write read-only tables', async () => {
    await s.same([
      E("return {type(table.pack), type(table.unpack), type(table.move), type(math.type), type(math.tointeger), type(math.ult), type(math.maxinteger), type(math.mininteger), type(string.pack), type(string.unpack), type(string.packsize), type(coroutine.isyieldable), type(coroutine.close), type(unpack), type(table.getn), type(math.mod)}", 0),
      E("return rawlen", 0),
      E("rawset(string, 'x', 1)", 0),
      E("rawset(_G, 'x', 1)", 0),
      E("local t = {} rawset(t, 'x', 1) return t.x", 0),
    ]);
  });

  it('string.format casts numbers for %d/%x/%c like 5.1, quotes %q like 5.1, wants strings for %s, and names an unknown conversion an invalid option; string.rep takes no separator', async () => {
    await s.same([
      E("local r = {string.format('%d|%i|%x', '3.5', 2.99, 255.9), string.format('%d', 2^63), string.format('%d', -2^63), string.format('%d', 0/0), string.format('%c%c', 72.9, 105), string.format('%.3f', '2.5'), string.format('%5.1s|', 'abc')} return r", 0),
      E("return string.format('%q', 'a\"b\\\\c\\r\\n\\0\\1z')", 0),
      E("return string.format('%q|%q', 12.5, 1/3)", 0),
      E("local ok, e = pcall(string.format, '%s', {}) return e", 0),
      E("local r = string.format('%s', {}) return r", 0),
      E("local r = string.format('%s %s', 1, nil) return r", 0),
      E("local r = string.format('%y', 1) return r", 0),
      E("local r = string.format() return r", 0),
      E("return string.rep('ab', 3, ',')", 0),
      E("return {pcall(string.rep)}", 0),
    ]);
  });

  it('table.insert accepts any position, table.remove outside 1..#t returns nothing, unpack checks its table (5.1 semantics and errors)', async () => {
    await s.same([
      E("local t = {1,2,3} table.insert(t, 6, 'x') return {#t, t[4], t[6]}", 0),
      E("local t = {1,2,3} table.insert(t, 0, 'x') return {t[0], #t}", 0),
      E("local t = {1,2,3} table.insert(t, 2.7, 'x') table.insert(t, '1', 'y') return t", 0),
      E("local t = {} table.insert(t, 1, 2, 3) return t", 0),
      E("local t = {} table.insert(t) return t", 0),
      E("table.insert(nil, 1) return 1", 0),
      E("local t = {1,2} table.insert(t, 'x', 3) return t", 0),
      E("local t = {1,2,3} return {table.remove(t, 1), t[1], t[2], #t}", 0),
      E("local t = {1,2,3} return {select('#', table.remove(t, 7)), select('#', table.remove({})), #t}", 0),
      E("local t = {1,2,3} return {table.remove(t, 0)}", 0),
      E("table.remove(nil) return 1", 0),
      E("local t = {unpack(nil)} return t", 0),
      E("return {unpack({1,2,3}, 2), select('#', unpack({}, 1, 3))}", 0),
      E("return {pcall(unpack)}", 0),
      E("return {pcall(table.insert)}", 0),
    ]);
  });

  it('pcall catches an error table (from redis.call or error({err=...})) as its message, as Redis 7 does', async () => {
    await s.same([
      E("return {pcall(redis.call, 'get')}", 0),
      E("local ok, e = pcall(redis.call, 'nosuch') return {ok, e}", 0),
      E("local ok, e = pcall(error, {err='MY code'}) return {type(e), e}", 0),
      E("local ok, e = pcall(error, {code=1}) return {type(e), e.code}", 0),
      E("local ok, e = pcall(error, 'plain', 0) return e", 0),
      E("return pcall()", 0),
    ]);
  });

  it('words runtime errors as Lua 5.1 does ("attempt to index local \'x\' (a nil value)", "\'for\' initial value must be a number")', async () => {
    await s.same([
      E("return {pcall(function() local x = nil; return x.y end)}", 0),
      E("return {pcall(function() local t = {} return t.a.b end)}", 0),
      E("return {pcall(function() local s = {} return s + 1 end)}", 0),
      E("return {pcall(function() local s = nil return 'a' .. s end)}", 0),
      E("return {pcall(function() local t = nil; t() end)}", 0),
      E("return {pcall(function() local t = {} t.f() end)}", 0),
      E("return {pcall(function() local t = {} t:m() end)}", 0),
      E("return {pcall(function() local u = nil; local function f() return u.x end return f() end)}", 0),
      E("return {pcall(function() local t = {} return #t.x end)}", 0),
      E("local x = nil; return x.y", 0),
      E("local t = {} t.a.b = 1", 0),
      E("for i = 'a', 2 do end", 0),
      E("for i = 1, 'x' do end", 0),
      E("for i = 1, 2, {} do end", 0),
    ]);
  });

  it('words library argument errors as 5.1 does (unnamed function under pcall, char, ipairs, coroutine.resume) and keeps 5.1 math.fmod/load', async () => {
    await s.same([
      E("local c = string.char(256) return c", 0),
      E("return {pcall(string.char, -1)}", 0),
      E("local ok, e = pcall(ipairs) return e", 0),
      E("for _ in ipairs(nil) do end", 0),
      E("local ok, e = pcall(coroutine.resume) return e", 0),
      E("return {tostring(math.fmod(7, 0)), math.fmod(7, 3), math.fmod(-7, 3), tostring(math.fmod(7.5, 2)), tostring(math.mod(1, 0))}", 0),
      E("local f = load('return 1') return f", 0),
      E("local f = load(function() return nil end) return type(f)", 0),
      E("local ok, e = pcall(string.sub) return e", 0),
      E("local ok, e = pcall(math.floor, 'x') return e", 0),
      E("local ok, e = pcall(tonumber) return e", 0),
      E("local ok, e = pcall(select, 0) return e", 0),
    ]);
  });
  it('reads scripts with Lua 5.1\'s lexer: escapes, numerals as doubles, no 5.4 operators, goto a name, 5.1\'s lexical and common syntax error messages', async () => {
    await s.same([
      E("return 9007199254740993 == 9007199254740992", 0),
      E("return {tostring(9007199254740993), tostring(0x7fffffffffffffff), tostring(0xffffffffffffffff), tostring(0x1p4), 3.0 .. '', 1e3 .. '', 0.5 .. '', 1e15 .. '', tostring(123456789012345678)}", 0),
      E("return {\"\\x41\", \"\\z\", \"a\\q\", \"\\u{48}\", \"\\65\\066\\0067\", 'it\\'s', \"tab\\tnl\\\\\", 'x\\\ny'}", 0),
      E("return \"abc\\300\"", 0),
      E("return \"abc", 0),
      E("return 'abc\nx'", 0),
      E("return [==[abc", 0),
      E("return [=x", 0),
      E("return 0xA.8p1", 0),
      E("return 3e", 0),
      E("return 1..2", 0),
      E("return 7 // 2", 0),
      E("return 5 & 3", 0),
      E("return 5 | 3", 0),
      E("return 1 << 4", 0),
      E("return 1 >> 4", 0),
      E("return ~5", 0),
      E("return 1 ~ 2", 0),
      E("local x = 1 goto done ::done:: return x", 0),
      E("::top:: return 1", 0),
      E("local goto = 3 return goto", 0),
      E("local a <const> = 1 return a", 0),
      E("local a, b <close> = 1, 2 return a", 0),
      E("retur 1", 0),
      E("x =", 0),
      E("local t = {} t.x", 0),
      E("return $", 0),
      E("return (1", 0),
      E("if x then", 0),
      E("local function f() return 1", 0),
      E("return 'a' .. \"\\x\" .. [[b]]", 0),
      E("-- comment \\x\nreturn 1 --[[ long \\x ]] + 1", 0),
      E("--[==[ unfinished", 0),
      E("return \"\\1234\"", 0),
      E("return 0x", 0),
      E("return .5 + 5. + 1e-2", 0),
      E("return 1E2 .. ''", 0),
    ]);
  });

  it('a long string nested in a level-0 long string is refused (7.4; Debian\'s 7.0 Lua allows it)', async function () {
    if (!ORACLE_AT_LEAST_7_2) this.skip(); // Debian's redis-server 7.0 links a system Lua 5.1 built without the nesting check
    await s.same([E('return [[a [[b]] ]]', 0)]);
  });

  it('passes numbers to redis.call as Redis 7.2+ does: integers within 2^62 as integers, others in the shortest form (7.0: %.17g)', async function () {
    if (!ORACLE_AT_LEAST_7_2) this.skip(); // Redis 7.0 printed every number with %.17g
    await s.same([
      E("local r = {} for _, v in ipairs({123456789012345678, 2^53+0.5, 10/2, 1/3, 1e20, 2^62, 2^63, -2^63, 1e15, 0.1, -0.0, 1e300, 5e-324, 100, 3.0, 1e-7, 123.456, 2^70}) do redis.call('set', 'k', v) r[#r+1] = redis.call('get','k') end return r", 0),
      E("redis.call('set', 'k', 1/0) local a = redis.call('get', 'k') redis.call('set', 'k', -1/0) return {a, redis.call('get', 'k')}", 0),
    ]);
  });
});
