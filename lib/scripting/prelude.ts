/**
 * Lua source run once in every new scripting state, in three steps:
 *
 * 1. COMPAT (before the JS libraries are registered): the Lua 5.1 surface that
 *    Redis scripts can observe, on top of Lua 5.4 — `unpack`, `loadstring`,
 *    `math.mod`/`pow`/`ldexp`/`frexp`/`log10`/`cosh`/..., `table.getn`/`maxn`/
 *    `foreach`/`foreachi`, `string.gfind`, `gcinfo`, `getfenv`; numbers print
 *    as 5.1 prints them (`tostring(10/2)` is "5": %.14g, through a metatable
 *    for numbers that tostring/string.format('%s') consult); `string.format`
 *    accepts fractional numbers for %d/%x/... (5.1 truncates them); the `bit`
 *    library (LuaBitOp semantics: 32-bit signed results); and the globals
 *    Redis does not offer are removed (io, os, require, package, utf8,
 *    dofile, loadfile, print).
 * 2. LOCK (after the JS libraries): every library table and the global table
 *    become read-only proxies, as Redis 7's lua_enablereadonlytable: writing
 *    anything raises "Attempt to modify a readonly table", reading an
 *    undeclared global raises "Script attempted to access nonexistent global
 *    variable 'x'". The real global table (where KEYS and ARGV are set
 *    before each run) stays reachable only from the registry.
 *
 * The error handler (`__redis__err__handler` in Redis) turns any error into
 * Redis 7's error table {err=, source=, line=}.
 */

export const COMPAT = String.raw`
local fmt, type, floor, tointeger, mtype = string.format, type, math.floor, math.tointeger, math.type
_VERSION = 'Lua 5.1'
unpack = table.unpack
loadstring = function(s, chunkname)
  if type(s) ~= 'string' then error("bad argument #1 to 'loadstring' (string expected, got " .. type(s) .. ")", 2) end
  return load(s, chunkname or s, 't')
end
getfenv = function() return _G end
gcinfo = function() return floor(collectgarbage('count')) end
newproxy = function() return setmetatable({}, {}) end
math.mod = math.fmod
math.pow = function(x, y) return x ^ y end
math.ldexp = function(m, e) return m * 2.0 ^ e end
math.frexp = function(x)
  if x == 0 or x ~= x or x == math.huge or x == -math.huge then return x, 0 end
  local e = floor(math.log(math.abs(x), 2)) + 1
  local m = x / 2.0 ^ e
  if math.abs(m) >= 1 then m = m / 2; e = e + 1 elseif math.abs(m) < 0.5 then m = m * 2; e = e - 1 end
  return m, e
end
math.log10 = function(x) return math.log(x, 10) end
math.cosh = function(x) return (math.exp(x) + math.exp(-x)) / 2 end
math.sinh = function(x) return (math.exp(x) - math.exp(-x)) / 2 end
math.tanh = function(x) local a, b = math.exp(x), math.exp(-x) return (a - b) / (a + b) end
do
  local log = math.log
  math.log = function(x) return log(x) end
end
table.getn = function(t) return #t end
table.setn = function() error("'setn' is obsolete", 2) end
table.maxn = function(t)
  local m = 0
  for k in pairs(t) do if type(k) == 'number' and k > m then m = k end end
  return m
end
table.foreach = function(t, f)
  for k, v in pairs(t) do local r = f(k, v) if r ~= nil then return r end end
end
table.foreachi = function(t, f)
  for i = 1, #t do local r = f(i, t[i]) if r ~= nil then return r end end
end
string.gfind = string.gmatch

-- Lua 5.1 coerces strings in arithmetic with its own message (5.4's string metamethods word it differently).
do
  local smt = getmetatable('')
  local function arith(op)
    return function(a, b)
      local x, y = tonumber(a), tonumber(b)
      if x == nil or y == nil then error('attempt to perform arithmetic on a ' .. type(x == nil and a or b) .. ' value', 2) end
      return op(x, y)
    end
  end
  smt.__add = arith(function(x, y) return x + y end)
  smt.__sub = arith(function(x, y) return x - y end)
  smt.__mul = arith(function(x, y) return x * y end)
  smt.__div = arith(function(x, y) return x / y end)
  smt.__mod = arith(function(x, y) return x % y end)
  smt.__pow = arith(function(x, y) return x ^ y end)
  smt.__unm = function(a)
    local x = tonumber(a)
    if x == nil then error('attempt to perform arithmetic on a string value', 2) end
    return -x
  end
end

-- Lua 5.1 prints every number with %.14g ("5", not "5.0").
debug.setmetatable(0, { __tostring = function(n) return fmt('%.14g', n) end })

-- Lua 5.1's string.format casts a fractional number for %d/%i/%o/%u/%x/%X/%c (truncating it).
do
  local sfind, ssub = string.find, string.sub
  local format = string.format
  string.format = function(f, ...)
    local args = table.pack(...)
    if type(f) == 'string' or type(f) == 'number' then
      local s = tostring(f)
      local i, n = 1, 0
      while true do
        local a = sfind(s, '%', i, true)
        if not a then break end
        if ssub(s, a + 1, a + 1) == '%' then
          i = a + 2
        else
          n = n + 1
          local b, e, conv = sfind(s, '^[-+ #0]*%d*%.?%d*([%a])', a + 1)
          if not b then break end
          local v = args[n]
          if (conv == 'd' or conv == 'i' or conv == 'o' or conv == 'u' or conv == 'x' or conv == 'X' or conv == 'c')
              and mtype(v) == 'float' then
            local t = v >= 0 and floor(v) or -floor(-v)
            args[n] = tointeger(t) or v
          end
          i = e + 1
        end
      end
    end
    return format(f, table.unpack(args, 1, args.n))
  end
end

-- LuaBitOp (Lua 5.1's bit library as Redis ships it): 32-bit signed results.
do
  local function tobit(x)
    if type(x) ~= 'number' then x = tonumber(x) or error('bad argument #1 (number expected)', 3) end
    local i = tointeger(x)
    if not i then
      if x ~= x or x == math.huge or x == -math.huge then return 0 end
      i = tointeger(floor(x + 0.5) % 4294967296) or 0
    end
    i = i & 0xFFFFFFFF
    if i >= 0x80000000 then i = i - 0x100000000 end
    return i
  end
  local function norm(i)
    i = i & 0xFFFFFFFF
    if i >= 0x80000000 then i = i - 0x100000000 end
    return i
  end
  local b = {}
  b.tobit = function(x) return tobit(x) end
  b.bnot = function(x) return norm(~tobit(x)) end
  b.band = function(x, ...) local r = tobit(x) for _, v in ipairs({...}) do r = r & tobit(v) end return norm(r) end
  b.bor = function(x, ...) local r = tobit(x) for _, v in ipairs({...}) do r = r | tobit(v) end return norm(r) end
  b.bxor = function(x, ...) local r = tobit(x) for _, v in ipairs({...}) do r = r ~ tobit(v) end return norm(r) end
  b.lshift = function(x, n) return norm((tobit(x) & 0xFFFFFFFF) << (tobit(n) & 31)) end
  b.rshift = function(x, n) return norm((tobit(x) & 0xFFFFFFFF) >> (tobit(n) & 31)) end
  b.arshift = function(x, n)
    local v, s = tobit(x), tobit(n) & 31
    return norm(v >> s | ((v < 0 and s > 0) and ((0xFFFFFFFF << (32 - s)) & 0xFFFFFFFF) or 0))
  end
  b.rol = function(x, n)
    local v, s = tobit(x) & 0xFFFFFFFF, tobit(n) & 31
    return norm((v << s) | (v >> (32 - s)))
  end
  b.ror = function(x, n)
    local v, s = tobit(x) & 0xFFFFFFFF, tobit(n) & 31
    return norm((v >> s) | (v << (32 - s)))
  end
  b.bswap = function(x)
    local v = tobit(x) & 0xFFFFFFFF
    return norm(((v & 0xFF) << 24) | ((v & 0xFF00) << 8) | ((v >> 8) & 0xFF00) | (v >> 24))
  end
  b.tohex = function(x, n)
    n = n == nil and 8 or tobit(n)
    local upper = false
    if n < 0 then upper = true; n = -n end
    if n > 8 then n = 8 end
    local s = fmt(upper and '%08X' or '%08x', tobit(x) & 0xFFFFFFFF)
    return string.sub(s, 9 - n)
  end
  bit = b
end

io = nil; os = nil; require = nil; package = nil; utf8 = nil
dofile = nil; loadfile = nil; print = nil; warn = nil
`;

/** Builds the read-only proxies and installs the error handler; `debug` is removed from the globals afterwards. */
export const LOCK = String.raw`
local real = _G
local setmetatable, rawget, error, tostring, next, type = setmetatable, rawget, error, tostring, next, type
local dbg = debug
local registry = dbg.getregistry()

local function readonly()
  error('Attempt to modify a readonly table', 2)
end

-- FUNCTION LOAD runs a library with only this API (function_lua.c's library globals).
local loadApi = nil
if type(real.redis) == 'table' and real.redis.register_function then
  local r = real.redis
  local api = { register_function = r.register_function, log = r.log,
    LOG_DEBUG = r.LOG_DEBUG, LOG_VERBOSE = r.LOG_VERBOSE, LOG_NOTICE = r.LOG_NOTICE, LOG_WARNING = r.LOG_WARNING,
    REDIS_VERSION = r.REDIS_VERSION, REDIS_VERSION_NUM = r.REDIS_VERSION_NUM }
  r.register_function = nil
  loadApi = { redis = api }
end
local loading = false

local function protect(t)
  local p = {}
  setmetatable(p, {
    __index = t,
    __newindex = readonly,
    __pairs = function() return next, t, nil end,
    __len = function() return #t end,
    __metatable = false,
  })
  return p
end

for _, name in ipairs({ 'string', 'table', 'math', 'coroutine', 'cjson', 'cmsgpack', 'bit', 'struct', 'redis' }) do
  if type(real[name]) == 'table' then real[name] = protect(real[name]) end
end
if loadApi then
  -- The load-time redis table has the error metatable: redis.call there is a "nonexistent global".
  local api = loadApi.redis
  loadApi.redis = setmetatable({}, {
    __index = function(_, k)
      local v = rawget(api, k)
      if v == nil then error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2) end
      return v
    end,
    __newindex = readonly,
    __metatable = false,
  })
end

local function handler(err)
  -- Redis: the function that raised, or its caller when that is a C function.
  -- Frames of rivulet's own Lua (the readonly/global guards, the 5.1 shims) count as C.
  local lvl = 2
  local i = dbg.getinfo(lvl, 'nSl')
  while i and (i.what == 'C' or i.source == '=lock' or i.source == '=compat') do
    lvl = lvl + 1
    i = dbg.getinfo(lvl, 'nSl')
  end
  if type(err) ~= 'table' then
    err = { err = 'ERR ' .. tostring(err) }
  end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end

local G = {}
setmetatable(G, {
  __index = function(_, k)
    local v = rawget(loading and loadApi or real, k)
    if v == nil then
      error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
    end
    return v
  end,
  __newindex = readonly,
  __pairs = function() return next, real, nil end,
  __metatable = false,
})
real._G = G
real.debug = nil
registry[2] = G
local xpcall = xpcall
-- What the runner resumes in a coroutine: the script under the error handler, keeping its first result.
return real, function(f)
  local ok, r = xpcall(f, handler)
  return ok, r
end, handler, function(on) loading = on and loadApi ~= nil end
`;
