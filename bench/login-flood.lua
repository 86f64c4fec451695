-- wrk script: a password-guessing wave against one real account (every guess wrong),
-- each one an Argon2id verification on the server.
local n = 0
function request()
  n = n + 1
  local body = string.format('{"email":"pharmacist@demo.saferelay.local","password":"guess-%d-%d"}', n, math.random(1e9))
  return wrk.format("POST", "/api/v1/auth/login", {["Content-Type"] = "application/json"}, body)
end
