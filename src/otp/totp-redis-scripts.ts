/**
 * Lua scripts of the Redis authenticator store. Each runs atomically in Redis and decides on
 * Redis's own clock (TIME), so n8n processes whose clocks disagree still agree on lockouts,
 * pending deadlines and the time a code is matched against. ARGV[1] is '' in production; tests
 * that move time pass their clock there (RedisTotpStoreOptions.testClock).
 *
 * One hash per user: sealed (confirmed secret), pending + pendingUntil (an enrolment waiting for
 * its first good code), lastStep, failLog (ms of the wrong codes still counting, oldest first,
 * comma-separated). A key with a confirmed secret never expires; any other is kept only as long
 * as something in it matters.
 */

/** The store's clock (ms), and `keep(ms)`: the expiry rule above. Prepended to every script. */
const PRELUDE = `
local now
if ARGV[1] ~= '' then
  now = tonumber(ARGV[1])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function keep(ms)
  if redis.call('HEXISTS', KEYS[1], 'sealed') == 1 then
    redis.call('PERSIST', KEYS[1])
    return
  end
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < ms then redis.call('PEXPIRE', KEYS[1], math.max(1, math.floor(ms))) end
end
local function pendingLive(pending, untilMs)
  return pending and untilMs and tonumber(untilMs) > now
end
`;

/** Returns {now, sealed, pending, pendingUntil, lastStep, failLog} ('' for absent; a lapsed pending reads as absent). */
export const TOTP_READ_SCRIPT = `${PRELUDE}
local r = redis.call('HMGET', KEYS[1], 'sealed', 'pending', 'pendingUntil', 'lastStep', 'failLog')
local live = pendingLive(r[2], r[3])
return {string.format('%d', now), r[1] or '', live and r[2] or '', live and r[3] or '', r[4] or '', r[5] or ''}
`;

/**
 * ARGV: testNow, sealed, pendingMs, replace ('1'|'0').
 * Returns {'already_enrolled'} | {'pending', pendingUntil, replacing ('1'|'0')}.
 */
export const TOTP_ENROL_SCRIPT = `${PRELUDE}
local active = redis.call('HGET', KEYS[1], 'sealed')
if active and ARGV[4] ~= '1' then return {'already_enrolled'} end
local untilMs = now + tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'pending', ARGV[2], 'pendingUntil', string.format('%d', untilMs))
keep(tonumber(ARGV[3]))
return {'pending', string.format('%d', untilMs), active and '1' or '0'}
`;

/** ARGV: testNow, keepMs (how long wrong codes are kept). Returns 1 if a confirmed or pending secret was removed. */
export const TOTP_REMOVE_SCRIPT = `${PRELUDE}
local r = redis.call('HMGET', KEYS[1], 'sealed', 'pending', 'pendingUntil', 'failLog')
local had = r[1] or pendingLive(r[2], r[3])
redis.call('HDEL', KEYS[1], 'sealed', 'pending', 'pendingUntil', 'lastStep')
if r[4] and r[4] ~= '' then keep(tonumber(ARGV[2])) else redis.call('DEL', KEYS[1]) end
if had then return 1 end
return 0
`;

/**
 * ARGV: testNow, maxFailures, periodMs, matchedStep ('' = wrong code), matchedSlot
 * ('active'|'pending'|''), rejectReplay ('1'|'0'), mode ('user': check expected secrets |
 * 'secret': a secret the workflow passes), expectActive, expectPending ('' = none), forgetAfterMs, maxLog.
 * Returns {outcome, failures, retryAfterMs}.
 */
export const TOTP_CHECK_SCRIPT = `${PRELUDE}
local r = redis.call('HMGET', KEYS[1], 'sealed', 'pending', 'pendingUntil', 'lastStep', 'failLog')
local pending = pendingLive(r[2], r[3]) and r[2] or false
if ARGV[7] == 'user' then
  if not r[1] and not pending then return {'not_enrolled', 0, 0} end
  if (r[1] or '') ~= ARGV[8] or (pending or '') ~= ARGV[9] then return {'conflict', 0, 0} end
end
local maxFailures = tonumber(ARGV[2])
local periodMs = tonumber(ARGV[3])
local counting = {}
for t in string.gmatch(r[5] or '', '[^,]+') do
  if now - tonumber(t) < periodMs then counting[#counting + 1] = tonumber(t) end
end
if #counting >= maxFailures then
  return {'too_many_attempts', #counting, math.max(1, counting[#counting - maxFailures + 1] + periodMs - now)}
end
local outcome = 'invalid_code'
if ARGV[4] ~= '' then
  local step = tonumber(ARGV[4])
  local lastStep = tonumber(r[4] or '-1')
  if ARGV[5] == 'pending' then
    outcome = 'confirmed'
    redis.call('HSET', KEYS[1], 'sealed', pending, 'lastStep', step)
    redis.call('HDEL', KEYS[1], 'pending', 'pendingUntil')
  elseif ARGV[6] == '1' and step <= lastStep then
    outcome = 'already_used'
  else
    outcome = 'approved'
    if step > lastStep then redis.call('HSET', KEYS[1], 'lastStep', step) end
  end
end
if outcome ~= 'approved' and outcome ~= 'confirmed' then counting[#counting + 1] = now end
local first = math.max(1, #counting - tonumber(ARGV[11]) + 1)
local log = {}
for i = first, #counting do log[#log + 1] = string.format('%d', counting[i]) end
redis.call('HSET', KEYS[1], 'failLog', table.concat(log, ','))
if ARGV[7] == 'user' then keep(periodMs) else keep(math.max(periodMs, tonumber(ARGV[10]))) end
return {outcome, #log, 0}
`;
