-- wrk script: refresh-token grants with rotation. Every refresh token is used once; the token each response
-- returns goes back into the pool of its thread, so no token is ever presented twice (which would revoke its
-- family). The pool is seeded from a file of refresh tokens, split between the threads. Only successful refreshes
-- are counted (done() prints them); a thread whose pool is momentarily empty sends a cheap health probe instead.
local seeds = {}
for line in io.lines(os.getenv("BENCH_REFRESH_TOKENS")) do seeds[#seeds + 1] = line end

local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  threads[#threads + 1] = thread
end

pool = {}
ok = 0
failed = 0
function init(args)
  local n = tonumber(os.getenv("BENCH_THREADS") or "2")
  for i = id, #seeds, n do pool[#pool + 1] = seeds[i] end
end

function request()
  local token = table.remove(pool, 1)
  if token == nil then return wrk.format("GET", "/q/health/live") end
  return wrk.format("POST", "/oauth2/token", {["Content-Type"] = "application/x-www-form-urlencoded"},
    "grant_type=refresh_token&client_id=web-app&refresh_token=" .. token)
end

function response(status, headers, body)
  local token = body:match('"refresh_token":"([^"]+)"')
  if token then
    pool[#pool + 1] = token
    ok = ok + 1
  elseif status ~= 200 then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local total_ok, total_failed = 0, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_failed = total_failed + t:get("failed")
  end
  io.write(string.format("refreshes_ok %d\nrefreshes_failed %d\nduration_us %d\n", total_ok, total_failed, summary.duration))
  -- The live end of every family, for the next run (BENCH_REFRESH_NEXT): the warm-up hands its families on to the
  -- measured run. Tokens in flight when wrk stopped are lost, and their families with them.
  local next_file = os.getenv("BENCH_REFRESH_NEXT")
  if next_file and next_file ~= "" then
    local f = assert(io.open(next_file, "w"))
    for _, t in ipairs(threads) do
      for _, token in ipairs(t:get("pool")) do f:write(token, "\n") end
    end
    f:close()
  end
end
