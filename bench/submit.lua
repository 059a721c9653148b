-- wrk script for EngineBench's throughput-wrk scenario: POSTs diagnostic tasks (3 steps of 0 ms)
-- spread over 100 entities and counts answers other than 202 Accepted.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  n = id * 1000003
  rejected = 0
end

function request()
  n = n + 1
  local body = '{"entityId":"wrk-' .. (n % 100) .. '","steps":3,"stepMillis":0}'
  return wrk.format("POST", "/api/tasks/diagnostic", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status ~= 202 then
    rejected = rejected + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + t:get("rejected")
  end
  io.write(string.format("wrk: %d requests, %d not accepted, %d socket errors, latency p50 %.1f ms p99 %.1f ms\n",
    summary.requests, total,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
