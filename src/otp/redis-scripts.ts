/**
 * Lua scripts of the Redis OTP store. Each runs atomically in Redis, which is what makes
 * approve-once, attempt counting and send counting safe across worker processes.
 * Times come from the caller's clock (ARGV `now`), so injected clocks work against a real Redis;
 * a record whose retainUntil has passed is treated as absent even if its key still lives.
 * They mirror MemoryOtpStore; the shared tests in test/otp run both.
 */

/**
 * KEYS[1] record, KEYS[2] refusal stats hash, KEYS[3..] hourly counters.
 * ARGV: expectSid ('' = expect no record), expectRev, now, n, then n x (limit, windowEndsAt,
 * refusal), then recordTtlMs, then the record's field/value pairs.
 * Returns {'committed'} | {'conflict'} | {'refused', refusal, retryAfterMs}.
 */
export const SEND_SCRIPT = `
local now = tonumber(ARGV[3])
local cur = redis.call('HMGET', KEYS[1], 'sid', 'rev', 'retainUntil')
local curSid = cur[1]
if curSid and tonumber(cur[3]) <= now then curSid = false end
if ARGV[1] == '' then
  if curSid then return {'conflict'} end
elseif curSid ~= ARGV[1] or cur[2] ~= ARGV[2] then
  return {'conflict'}
end
local n = tonumber(ARGV[4])
for i = 1, n do
  local base = 4 + (i - 1) * 3
  local count = tonumber(redis.call('GET', KEYS[2 + i]) or '0')
  if count >= tonumber(ARGV[base + 1]) then
    redis.call('HINCRBY', KEYS[2], ARGV[base + 3], 1)
    return {'refused', ARGV[base + 3], tostring(tonumber(ARGV[base + 2]) - now)}
  end
end
for i = 1, n do
  local base = 4 + (i - 1) * 3
  if redis.call('INCR', KEYS[2 + i]) == 1 then
    -- keep the counter a little past its window so a late reader still sees the full count
    redis.call('PEXPIRE', KEYS[2 + i], tonumber(ARGV[base + 2]) - now + 1000)
  end
end
local ttlIndex = 5 + n * 3
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, ttlIndex + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[ttlIndex])
return {'committed'}
`;

/**
 * KEYS[1] record. ARGV: sid, counter, matched ('1'|'0'), now.
 * Returns {'conflict'} | {outcome, status, attempts}.
 */
export const CHECK_SCRIPT = `
local now = tonumber(ARGV[4])
local r = redis.call('HMGET', KEYS[1], 'sid', 'counter', 'status', 'attempts', 'maxAttempts', 'expiresAt', 'retainUntil')
if r[1] ~= ARGV[1] or r[2] ~= ARGV[2] or tonumber(r[7]) <= now then return {'conflict'} end
local status = r[3]
local attempts = tonumber(r[4])
local maxAttempts = tonumber(r[5])
if status == 'approved' then return {'already_used', status, attempts} end
if status == 'canceled' then return {'canceled', status, attempts} end
if status == 'max_attempts_reached' then return {'max_attempts_reached', status, attempts} end
if now >= tonumber(r[6]) then return {'expired', 'expired', attempts} end
if attempts >= maxAttempts then
  redis.call('HSET', KEYS[1], 'status', 'max_attempts_reached')
  redis.call('HINCRBY', KEYS[1], 'rev', 1)
  return {'max_attempts_reached', 'max_attempts_reached', attempts}
end
attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HINCRBY', KEYS[1], 'rev', 1)
if ARGV[3] == '1' then
  redis.call('HSET', KEYS[1], 'status', 'approved')
  return {'approved', 'approved', attempts}
end
if attempts >= maxAttempts then
  redis.call('HSET', KEYS[1], 'status', 'max_attempts_reached')
  return {'invalid_code', 'max_attempts_reached', attempts}
end
return {'invalid_code', 'pending', attempts}
`;

/**
 * KEYS[1] record, KEYS[2..] hourly counters the send bumped (each goes down by one).
 * ARGV: sid, sendCount, lastSentAt (the send as committed), now, then either '0' (the send
 * created the verification: end it) or '1', sendCount, lastSentAt, counter, codeHash (restore).
 * Returns {refunded ('1'|'0'), status}.
 */
export const REFUND_SCRIPT = `
for i = 2, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
local now = tonumber(ARGV[4])
local r = redis.call('HMGET', KEYS[1], 'sid', 'sendCount', 'lastSentAt', 'status', 'expiresAt', 'retainUntil')
if not r[1] or tonumber(r[6]) <= now then return {'0', 'not_found'} end
local status = r[4]
if r[1] ~= ARGV[1] or r[2] ~= ARGV[2] or r[3] ~= ARGV[3] then
  if status == 'pending' and now >= tonumber(r[5]) then status = 'expired' end
  return {'0', status}
end
if ARGV[5] == '0' then
  if status == 'pending' then status = 'canceled' end
  redis.call('HSET', KEYS[1], 'status', status)
else
  redis.call('HSET', KEYS[1], 'sendCount', ARGV[6], 'lastSentAt', ARGV[7], 'counter', ARGV[8], 'codeHash', ARGV[9])
end
redis.call('HINCRBY', KEYS[1], 'rev', 1)
if status == 'pending' and now >= tonumber(r[5]) then status = 'expired' end
return {'1', status}
`;

/** KEYS[1] record. ARGV: now. Returns {canceled ('1'|'0'), status}. */
export const CANCEL_SCRIPT = `
local now = tonumber(ARGV[1])
local r = redis.call('HMGET', KEYS[1], 'status', 'expiresAt', 'retainUntil')
if not r[1] or tonumber(r[3]) <= now then return {'0', 'not_found'} end
if r[1] ~= 'pending' then return {'0', r[1]} end
if now >= tonumber(r[2]) then return {'0', 'expired'} end
redis.call('HSET', KEYS[1], 'status', 'canceled')
redis.call('HINCRBY', KEYS[1], 'rev', 1)
return {'1', 'canceled'}
`;
