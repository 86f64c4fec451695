-- wrk script: authenticated POST /api/v1/signals with a unique Idempotency-Key and a
-- realistic body per request, spread over the relay staff tokens in $BENCH_TOKENS.
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
end

local tokens = {}
local n = 0
local run = os.getenv("BENCH_RUN") or tostring(os.time())

function init(args)
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
end

function request()
  n = n + 1
  local token = tokens[(n * 13 + tid) % #tokens + 1]
  local urgency = (n % 50 == 0) and "immediate_danger" or "standard"
  local body = string.format(
    '{"phone":"0470 %02d %02d %02d","alias":"Anna","language":"fr",' ..
    '"safe_windows":[{"day":"tue","start":"09:00","end":"11:30"}],"voicemail_ok":false,' ..
    '"urgency":"%s","consent":true,"note":"prefers a female voice"}',
    math.floor(n / 10000) % 100, math.floor(n / 100) % 100, n % 100, urgency)
  return wrk.format("POST", "/api/v1/signals", {
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = run .. "-" .. tid .. "-" .. n,
    ["Content-Type"] = "application/json",
  }, body)
end
