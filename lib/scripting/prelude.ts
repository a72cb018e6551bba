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
getfenv = function() return _G end
gcinfo = function() return floor(collectgarbage('count')) end
newproxy = function() return setmetatable({}, {}) end
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

-- Runtime error messages as Lua 5.1 words them. 5.4 puts the variable after the type
-- ("attempt to index a nil value (local 'x')"), 5.1 before it ("attempt to index local 'x'
-- (a nil value)"); 5.4's 'for' and string.char messages differ too. Applied by the error handler
-- (LOCK) to errors that end a script, and by pcall below to the messages scripts catch.
local sgsub, rawpcall, select, error, rawlen, rawget, rawset = string.gsub, pcall, select, error, rawlen, rawget, rawset
local KINDS51 = { ['global'] = true, ['local'] = true, ['field'] = true, ['upvalue'] = true, ['method'] = true }
local function msg51(m)
  if type(m) ~= 'string' then return m end
  m = sgsub(m, "attempt to ([%a ]-) a (%a+) value %(([%a ]+) '(.-)'%)$", function(what, t, kind, name)
    if KINDS51[kind] then return 'attempt to ' .. what .. ' ' .. kind .. " '" .. name .. "' (a " .. t .. ' value)' end
    return 'attempt to ' .. what .. ' a ' .. t .. ' value'
  end)
  m = sgsub(m, "bad 'for' ([%a ]-) %(number expected, got [%a ]+%)$", "'for' %1 must be a number")
  m = sgsub(m, "(bad argument #%d+ to '[%w.]*char') %(value out of range%)$", '%1 (invalid value)')
  m = sgsub(m, "(bad argument #%d+ to '[^']*') %(thread expected, got [%a ]+%)$", '%1 (coroutine expected)')
  return m
end
debug.getregistry()['rivulet.msg51'] = msg51

-- A library function re-implemented in Lua calls the C original through pcall and re-raises its
-- error at the script's position (level 2), as the C function would have, under the 5.1 name.
local function cfail(m, name)
  if type(m) == 'string' then m = sgsub(m, "^bad argument (#%d+) to '[^']*'", "bad argument %1 to '" .. name .. "'") end
  return msg51(m)
end
local function argtype(n, i, v)
  return i > n and 'no value' or type(v)
end

-- The library functions re-implemented in Lua below (pcall treats them as C functions).
local shims = setmetatable({}, { __mode = 'k' })

-- Redis 7's pcall: an error table ({err=...}, as redis.call raises) is caught as its message string.
do
  local getinfo = debug.getinfo
  -- Lua 5.1 names no function that pcall called directly: "bad argument #1 to '?'".
  local function unnamed(f, e)
    if type(f) == 'function' and (shims[f] or getinfo(f, 'S').what == 'C') then
      return (sgsub(e, "^bad argument (#%d+) to '[^']*'", "bad argument %1 to '?'"))
    end
    return e
  end
  local function ret(f, ok, ...)
    if ok then return true, ... end
    local e = ...
    if type(e) == 'table' then
      local m = rawget(e, 'err')
      if type(m) == 'string' or type(m) == 'number' then e = m end
    elseif type(e) == 'string' then
      e = unnamed(f, msg51(e))
    end
    return false, e
  end
  pcall = function(...)
    -- Redis calls its placeholder result when pcall has no argument.
    if select('#', ...) == 0 then return false, 'attempt to call a boolean value' end
    return ret((...), rawpcall(...))
  end
end

-- Lua 5.1's string.format: %d/%i/%o/%u/%x/%X/%c cast any number (fractions truncated, numeric
-- strings converted, out-of-range values to the C cast's INT64_MIN); %s wants a string or a number
-- (numbers printed %.14g); %q quotes as 5.1 does; an unknown conversion is an "invalid option".
do
  local format, sfind, ssub, tunpack, concat = string.format, string.find, string.sub, table.unpack, table.concat
  local MININT, TWO63 = math.mininteger, 2^63
  local INTCONV = { d = true, i = true, o = true, u = true, x = true, X = true, c = true }
  local NUMCONV = { e = true, E = true, f = true, g = true, G = true }
  local QESC = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\\n', ['\r'] = '\\r', ['\0'] = '\\000' }
  string.format = function(...)
    local n = select('#', ...)
    local f = ...
    if type(f) ~= 'string' and type(f) ~= 'number' then
      error("bad argument #1 to 'format' (string expected, got " .. argtype(n, 1, f) .. ')', 2)
    end
    local args = { ... }
    local s = tostring(f)
    local i, k, out, changed = 1, 1, {}, false
    while true do
      local a = sfind(s, '%', i, true)
      if not a then break end
      if ssub(s, a + 1, a + 1) == '%' then
        i = a + 2
      else
        k = k + 1
        if k > n then error('bad argument #' .. k .. " to 'format' (no value)", 2) end
        -- 5.1's scanformat: at most 5 flags, 2 width digits, 2 precision digits.
        local _, fe, flags = sfind(s, '^([-+ #0]*)', a + 1)
        if #flags >= 6 then error('invalid format (repeated flags)', 2) end
        local p = fe + 1
        if sfind(s, '^%d', p) then p = p + 1 end
        if sfind(s, '^%d', p) then p = p + 1 end
        if ssub(s, p, p) == '.' then
          p = p + 1
          if sfind(s, '^%d', p) then p = p + 1 end
          if sfind(s, '^%d', p) then p = p + 1 end
        end
        if sfind(s, '^%d', p) then error('invalid format (width or precision too long)', 2) end
        local e, conv, spec = p, ssub(s, p, p), ssub(s, a + 1, p - 1)
        local v = args[k]
        if INTCONV[conv] then
          if type(v) == 'string' then v = tonumber(v) or v end
          if mtype(v) == 'float' then
            if v ~= v or v >= TWO63 or v < -TWO63 then v = MININT
            else v = tointeger(v >= 0 and floor(v) or -floor(-v)) end
          end
          args[k] = v
        elseif NUMCONV[conv] then
          if type(v) == 'string' then args[k] = tonumber(v) or v end
        elseif conv == 's' then
          if type(v) == 'number' then args[k] = fmt('%.14g', v)
          elseif type(v) ~= 'string' then
            error('bad argument #' .. k .. " to 'format' (string expected, got " .. argtype(n, k, v) .. ')', 2)
          end
        elseif conv == 'q' then
          if type(v) == 'number' then v = fmt('%.14g', v)
          elseif type(v) ~= 'string' then
            error('bad argument #' .. k .. " to 'format' (string expected, got " .. argtype(n, k, v) .. ')', 2)
          end
          args[k] = '"' .. sgsub(v, '["\\\n\r%z]', QESC) .. '"'
          out[#out + 1] = { a, e, '%' .. spec .. 's' }
          changed = true
        else
          error("invalid option '%" .. conv .. "' to 'format'", 2)
        end
        i = e + 1
      end
    end
    if changed then
      local parts, pos = {}, 1
      for _, r in ipairs(out) do
        parts[#parts + 1] = ssub(s, pos, r[1] - 1)
        parts[#parts + 1] = r[3]
        pos = r[2] + 1
      end
      parts[#parts + 1] = ssub(s, pos)
      s = concat(parts)
    end
    local ok, r = rawpcall(format, s, tunpack(args, 2, n))
    if ok then return r end
    error(cfail(r, 'format'), 2)
  end
end

-- Lua 5.1's string.rep has no separator argument.
do
  local rep = string.rep
  string.rep = function(...)
    local ok, r
    if select('#', ...) <= 2 then ok, r = rawpcall(rep, ...)
    else local s, n = ... ok, r = rawpcall(rep, s, n) end
    if ok then return r end
    error(cfail(r, 'rep'), 2)
  end
end

-- math.fmod in 5.1 works on doubles: fmod(7, 0) is nan, not the 5.4 integer error.
do
  local fmod = math.fmod
  local function fl(x) if mtype(x) == 'integer' then return x + 0.0 end return x end
  math.fmod = function(a, b)
    local ok, r = rawpcall(fmod, fl(a), fl(b))
    if ok then return r end
    error(cfail(r, 'fmod'), 2)
  end
  math.mod = math.fmod
end

-- Lua 5.1's table.insert/table.remove: any insert position (the array grows to it), a remove
-- outside 1..#t removes and returns nothing; raw accesses (lua_rawgeti/rawseti).
do
  local MININT = math.mininteger
  local R = { rawset = rawset } -- LOCK swaps in a rawset that refuses the read-only library tables
  debug.getregistry()['rivulet.compat'] = R
  local function toint(v, i, n, name)
    local x = tonumber(v)
    if x == nil then error('bad argument #' .. i .. " to '" .. name .. "' (number expected, got " .. argtype(n, i, v) .. ')', 3) end
    if mtype(x) == 'float' then
      if x ~= x or x >= 2^63 or x < -2^63 then return MININT end
      x = tointeger(x >= 0 and floor(x) or -floor(-x))
    end
    return x
  end
  table.insert = function(...)
    local n = select('#', ...)
    local t, a, b = ...
    if type(t) ~= 'table' then error("bad argument #1 to 'insert' (table expected, got " .. argtype(n, 1, t) .. ')', 2) end
    local e = rawlen(t) + 1
    if n == 2 then
      R.rawset(t, e, a)
    elseif n == 3 then
      local pos = toint(a, 2, n, 'insert')
      if pos > e then e = pos end
      for j = e, pos + 1, -1 do R.rawset(t, j, rawget(t, j - 1)) end
      R.rawset(t, pos, b)
    else
      error("wrong number of arguments to 'insert'", 2)
    end
  end
  table.remove = function(...)
    local n = select('#', ...)
    local t, p = ...
    if type(t) ~= 'table' then error("bad argument #1 to 'remove' (table expected, got " .. argtype(n, 1, t) .. ')', 2) end
    local e = rawlen(t)
    local pos = e
    if p ~= nil then pos = toint(p, 2, n, 'remove') end
    if not (1 <= pos and pos <= e) then return end
    local v = rawget(t, pos)
    for j = pos, e - 1 do R.rawset(t, j, rawget(t, j + 1)) end
    R.rawset(t, e, nil)
    return v
  end
end

-- unpack checks its table as 5.1 does and takes the raw length.
do
  local tunpack = table.unpack
  unpack = function(...)
    local n = select('#', ...)
    local t, i, j = ...
    if type(t) ~= 'table' then error("bad argument #1 to 'unpack' (table expected, got " .. argtype(n, 1, t) .. ')', 2) end
    return tunpack(t, i or 1, j or rawlen(t))
  end
end

-- ipairs wants a table in 5.1.
do
  local ipairs = ipairs
  _G.ipairs = function(...)
    local t = ...
    if type(t) ~= 'table' then error("bad argument #1 to 'ipairs' (table expected, got " .. argtype(select('#', ...), 1, t) .. ')', 2) end
    return ipairs(t)
  end
end

-- load takes only a function in 5.1 (loadstring takes the string).
do
  local load = load
  loadstring = function(s, chunkname)
    if type(s) ~= 'string' then error("bad argument #1 to 'loadstring' (string expected, got " .. type(s) .. ")", 2) end
    return load(s, chunkname or s, 't')
  end
  _G.load = function(f, chunkname)
    if type(f) ~= 'function' then error("bad argument #1 to 'load' (function expected, got " .. (f == nil and 'no value' or type(f)) .. ')', 2) end
    return load(f, chunkname or '=(load)', 't')
  end
end

for _, f in ipairs({ string.format, string.rep, math.fmod, table.insert, table.remove, unpack, loadstring, load, ipairs }) do shims[f] = true end

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
-- What Lua 5.4 added to the libraries, absent in Redis's 5.1 (so "type(table.pack)" is "nil" there too).
table.pack = nil; table.unpack = nil; table.move = nil
math.type = nil; math.tointeger = nil; math.ult = nil; math.maxinteger = nil; math.mininteger = nil
string.pack = nil; string.unpack = nil; string.packsize = nil
coroutine.isyieldable = nil; coroutine.close = nil
_G.rawlen = nil
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

local msg51 = registry['rivulet.msg51']
local compat = registry['rivulet.compat']
registry['rivulet.msg51'] = nil
registry['rivulet.compat'] = nil
local proxies = setmetatable({}, { __mode = 'k' })

local function protect(t)
  local p = {}
  proxies[p] = true
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
    err = { err = 'ERR ' .. tostring(msg51(err)) }
  end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end

local G = {}
proxies[G] = true
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
-- rawset (and the 5.1 table.insert/remove) may not write into the read-only proxies either.
do
  local rawset = rawset
  local function guarded(t, k, v)
    if proxies[t] then error('Attempt to modify a readonly table', 0) end
    return rawset(t, k, v)
  end
  compat.rawset = guarded
  real.rawset = guarded
end
real.debug = nil
registry[2] = G
local xpcall = xpcall
-- What the runner resumes in a coroutine: the script under the error handler, keeping its first result.
return real, function(f)
  local ok, r = xpcall(f, handler)
  return ok, r
end, handler, function(on) loading = on and loadApi ~= nil end
`;
