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

-- A queue: pool[head..tail] are the tokens to present next (table.remove(pool, 1) would shift the whole pool on
-- every request, CPU that wrk takes from the cores the server runs on).
pool = {}
head, tail = 1, 0
ok = 0
failed = 0
function init(args)
  local n = tonumber(os.getenv("BENCH_THREADS") or "2")
  for i = id, #seeds, n do
    tail = tail + 1
    pool[tail] = seeds[i]
  end
end

function request()
  if head > tail then return wrk.format("GET", "/q/health/live") end
  local token = pool[head]
  pool[head] = nil
  head = head + 1
  return wrk.format("POST", "/oauth2/token", {["Content-Type"] = "application/x-www-form-urlencoded"},
    "grant_type=refresh_token&client_id=web-app&refresh_token=" .. token)
end

function response(status, headers, body)
  local token = body:match('"refresh_token":"([^"]+)"')
  if token then
    tail = tail + 1
    pool[tail] = token
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
      local queued = t:get("pool")
      for i = t:get("head"), t:get("tail") do f:write(queued[i], "\n") end
    end
    f:close()
  end
end
