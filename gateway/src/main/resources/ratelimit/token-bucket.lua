-- Token buckets, refilled by Redis' clock so replicas' clocks do not matter.
-- KEYS[i] a bucket; ARGV[2i-1] its tokens per second, ARGV[2i] its capacity; the last ARGV is
-- 1 to take a token from every bucket (from none unless each has one) or -1 to give one back.
-- Returns {1, 0, 0} when done, {0, milliseconds until the next token, i} when bucket i is empty.
local cost = tonumber(ARGV[#ARGV])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local tokens = {}
for i = 1, #KEYS do
  local rate = tonumber(ARGV[2 * i - 1])
  local capacity = tonumber(ARGV[2 * i])
  local bucket = redis.call('HMGET', KEYS[i], 'tokens', 'at')
  local held = tonumber(bucket[1])
  local at = tonumber(bucket[2])
  if held == nil or at == nil then
    held = capacity
    at = now
  end
  held = math.min(capacity, held + math.max(0, now - at) * rate / 1000)
  if cost > 0 and held < 1 then
    -- nothing is written: the stored state still yields this refill next time
    return {0, math.ceil((1 - held) * 1000 / rate), i}
  end
  tokens[i] = held
end
for i = 1, #KEYS do
  local rate = tonumber(ARGV[2 * i - 1])
  local capacity = tonumber(ARGV[2 * i])
  redis.call('HSET', KEYS[i], 'tokens', tostring(math.min(capacity, tokens[i] - cost)), 'at', tostring(now))
  -- gone once it would be full again: an idle organisation or client costs nothing
  redis.call('PEXPIRE', KEYS[i], math.ceil(capacity * 1000 / rate) + 1000)
end
return {1, 0, 0}
