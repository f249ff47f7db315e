-- wrk script: client-credentials grants for demo-cli (client_secret_basic).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic ZGVtby1jbGk6ZGVtby1jbGktc2VjcmV0"
wrk.body = "grant_type=client_credentials&scope=orders%3Aread"

local failures = 0
function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end
