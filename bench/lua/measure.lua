-- wrk script shared by every run (bench/run.sh): identical settings for all servers.
--   * counts every response that is not 2xx: a redirect to the sign-in page is a failure here
--     (wrk itself counts only >= 400 as errors)
--   * prints one machine-readable line in done(), with p99.9 (wrk's --latency stops at p99)
-- Headers such as Host and Cookie come from wrk's -H options.

local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	non2xx = 0
end

function response(status, headers, body)
	if status < 200 or status > 299 then
		non2xx = non2xx + 1
	end
end

function done(summary, latency, requests)
	local bad = 0
	for _, thread in ipairs(threads) do
		bad = bad + (thread:get("non2xx") or 0)
	end
	local e = summary.errors
	io.write(string.format(
		"BENCH_RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d\n",
		summary.requests, summary.duration, bad, e.connect + e.read + e.write + e.timeout,
		latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
