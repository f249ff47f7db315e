-- wrk script: client-credentials grants, client_secret_basic. By default demo-cli at auth-service; bench-keycloak
-- points it at another client with BENCH_BASIC (the Authorization header's value) and BENCH_BODY.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = os.getenv("BENCH_BASIC") or "Basic ZGVtby1jbGk6ZGVtby1jbGktc2VjcmV0"
wrk.body = os.getenv("BENCH_BODY") or "grant_type=client_credentials&scope=orders%3Aread"
-- No response() callback: wrk counts non-2xx answers itself (the report's "Non-2xx" line), and a callback makes it
-- hand every status, header and body to Lua, CPU taken from the same two cores the server runs on.
-- BENCH_PACE_MS: each connection waits that long between two requests, for a steady load below saturation.
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "")
if pace then
  function delay() return pace end
end
