-- wrk script: a password-guessing wave (every guess wrong), spread over one real
-- account and many unknown ones; each guess is an Argon2id verification on the
-- server (unknown accounts are verified against a dummy hash, at the same cost).
local n = 0
function request()
  n = n + 1
  local email = "pharmacist@demo.saferelay.local"
  if n % 2 == 0 then email = string.format("guess-%d@example.org", math.random(1e6)) end
  local body = string.format('{"email":"%s","password":"guess-%d-%d"}', email, n, math.random(1e9))
  return wrk.format("POST", "/api/v1/auth/login", {["Content-Type"] = "application/json"}, body)
end

-- Counts the answers: 401 = a guess verified and refused, 503 = the hashing queue
-- was full and the guess was turned away at once.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) c401 = 0; c503 = 0; cother = 0 end
function response(status, headers, body)
  if status == 401 then c401 = c401 + 1 elseif status == 503 then c503 = c503 + 1 else cother = cother + 1 end
end
function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do a = a + t:get("c401"); b = b + t:get("c503"); c = c + t:get("cother") end
  io.write(string.format("FLOOD verified %d turned_away %d other %d secs %.1f\n", a, b, c, summary.duration / 1e6))
end
