-- wrk script for bench/soak.sh: paces each connection so that all of them together send about
-- RATE requests per second (wrk alone sends as fast as it can).
local rate = tonumber(os.getenv("RATE") or "500")
local connections = tonumber(os.getenv("CONNECTIONS") or "50")
local gap = 1000 * connections / rate

function delay()
  return gap
end

local host = os.getenv("SOAK_HOST")
local paths = { "/soak/a", "/soak/b?x=1", "/soak/c/d", "/soak/e?page=2&size=20" }
local i = 0

request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], { ["Host"] = host, ["Accept"] = "application/json" })
end
