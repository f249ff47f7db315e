-- wrk script: GET /inventory/items/BENCH_SKU with a bearer token of demo-cli.
wrk.method = "GET"
wrk.path = "/inventory/items/" .. os.getenv("BENCH_SKU")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
