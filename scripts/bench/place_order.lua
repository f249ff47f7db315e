-- wrk script: POST /orders, one line of BENCH_SKU, with a bearer token of demo-cli. Counts created orders per
-- status so that the caller can check the stock against them (done() prints the tallies).
wrk.method = "POST"
wrk.path = "/orders"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.body = '{"lines":[{"sku":"' .. os.getenv("BENCH_SKU") .. '","quantity":1}]}'

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

created = 0
other = 0
function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  io.write(string.format("orders_created %d\norders_refused %d\n", c, o))
end
