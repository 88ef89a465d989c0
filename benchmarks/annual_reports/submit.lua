-- wrk script of the annual-report peak benchmark: every request submits one prepared draft
-- (POST /api/v1/annual_report/{id}/transitions with that organization's own token); each
-- draft is submitted once. Each thread reads its own slice of the prepared lines; the counts of
-- acknowledged (200) and refused answers come back through done().
local threads = {}
local counter = 0

function setup(thread)
  thread:set("slice", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  local path, slices = args[1], tonumber(args[2])
  items, next_item, ok, refused, exhausted = {}, 1, 0, 0, 0
  local n = 0
  for line in io.lines(path) do
    if n % slices == slice then
      local token, id, action = line:match("^(%S+)\t(%d+)\t(%S+)$")
      table.insert(items, {token = token, id = id, action = action})
    end
    n = n + 1
  end
end

function request()
  local item = items[next_item]
  if item == nil then
    exhausted = exhausted + 1
    return wrk.format("GET", "/healthz")
  end
  next_item = next_item + 1
  local body = '{"action":"' .. item.action .. '","expected_state":"draft"}'
  return wrk.format("POST", "/api/v1/annual_report/" .. item.id .. "/transitions", {
    ["Authorization"] = "Bearer " .. item.token,
    ["Content-Type"] = "application/json",
    ["X-Forwarded-Proto"] = "https",
  }, body)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local total_ok, total_refused, total_exhausted = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_refused = total_refused + thread:get("refused")
    total_exhausted = total_exhausted + thread:get("exhausted")
  end
  io.write(string.format("ACKNOWLEDGED %d\nREFUSED %d\nEXHAUSTED %d\n", total_ok, total_refused, total_exhausted))
  io.write(string.format("LATENCY_P50_MS %.3f\nLATENCY_P99_MS %.3f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
