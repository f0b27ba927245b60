-- wrk script: each request asks for a random user id (fixed seed, so every stack gets the same
-- sequence). WRK_PATH is the template, with {id} replaced.
local template = os.getenv("WRK_PATH") or "/user/{id}"
local max_id = tonumber(os.getenv("WRK_MAX_ID") or "10000")
local fixed = os.getenv("WRK_FIXED_ID")
math.randomseed(42)
request = function()
  local id = fixed or tostring(math.random(1, max_id))
  return wrk.format("GET", (template:gsub("{id}", id)))
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d duration_us=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d non2xx=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors, summary.errors.status))
end
