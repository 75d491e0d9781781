-- wrk script: POST /api/events with a batch of 100 realistic events (agent, file and custom events).
local events = {}
for i = 1, 100 do
  local kind = i % 4
  if kind == 0 then
    events[i] = string.format('{"event":"agent_activity","data":{"session_id":"bench-session","agent":"python-engineer","action":"invoked","description":"task %d"}}', i)
  elseif kind == 1 then
    events[i] = string.format('{"event":"file_operation","data":{"session_id":"bench-session","agent":"python-engineer","file":"/src/project/module_%d.py","operation":"edit","size":%d}}', i, i * 100)
  else
    events[i] = string.format('{"event":"custom_event","data":{"message":"benchmark event %d","count":%d,"tags":["a","b"]}}', i, i)
  end
end
wrk.method = "POST"
wrk.body = "[" .. table.concat(events, ",") .. "]"
wrk.headers["Content-Type"] = "application/json"

local non202 = 0
function response(status, headers, body)
  if status ~= 202 then non202 = non202 + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("events/s: %.0f (requests/s %.0f x 100), non-202 responses seen by thread 1: %d\n",
    summary.requests / (summary.duration / 1e6) * 100, summary.requests / (summary.duration / 1e6), non202))
end
