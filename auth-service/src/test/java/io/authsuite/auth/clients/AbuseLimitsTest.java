package io.authsuite.auth.clients;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.TestClients;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Throttles and request limits of the OAuth endpoints, with small limits and a short window. */
@QuarkusTest
@TestProfile(AbuseLimitsTest.SmallLimits.class)
class AbuseLimitsTest {

    @jakarta.inject.Inject
    io.authsuite.auth.audit.AuditLog audit;

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.limits.client-auth-failures-before-backoff", "3",
                    "auth.limits.client-auth-failures-per-address", "12",
                    "auth.limits.window", "PT3S",
                    "auth.clients.test-post-only.token-requests-per-minute", "5",
                    "auth.limits.device-authorizations-per-address", "3",
                    "auth.clients.test-device.token-requests-per-minute", "5",
                    "auth.clients.test-public.token-requests-per-minute", "5",
                    // Connections from 127.0.0.1 act as the Ingress; 127.0.0.2 is an ordinary, untrusted caller.
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
        }
    }

    /**
     * The test classes before this one share its Redis and fail client authentication from 127.0.0.1 too, under a
     * 5-minute window: their counts would still hold here, where 12 failures close an address. So would their token
     * requests of this minute for the clients whose rate this class limits.
     */
    @BeforeEach
    void forgetCountsOfEarlierClasses() {
        io.authsuite.testing.RedisServer redis = io.authsuite.testing.RedisTestResource.server();
        if (redis == null) {
            return;
        }
        for (String pattern : List.of("auth:client-auth:{" + INGRESS + "}*", "auth:client-auth:{" + UNTRUSTED + "}*",
                "auth:client-rate:" + TestClients.POST_ONLY + ":*", "auth:client-rate:" + TestClients.DEVICE + "*",
                "auth:client-rate:" + TestClients.PUBLIC + "*")) {
            redis.command("EVAL", "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end "
                    + "return 0", "0", pattern);
        }
    }

    /** The token endpoint, called over a socket bound to {@code from}, optionally with an X-Forwarded-For. */
    @TestHTTPResource("/oauth2/token")
    URI tokenEndpoint;

    private int tokenFrom(String from, String forwardedFor, String id, String secret) throws Exception {
        return answerFrom(from, forwardedFor, id, secret).statusCode();
    }

    private HttpResponse<Void> answerFrom(String from, String forwardedFor, String id, String secret) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName(from)).build()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(tokenEndpoint)
                    .header("Authorization", basic(id, secret))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"));
            if (forwardedFor != null) {
                request.header("X-Forwarded-For", forwardedFor);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    @TestHTTPResource("/oauth2/device_authorization")
    URI deviceAuthorization;

    private int deviceAuthorizationFrom(String forwardedFor) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName(INGRESS)).build()) {
            return client.send(HttpRequest.newBuilder(deviceAuthorization)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Forwarded-For", forwardedFor)
                    .POST(HttpRequest.BodyPublishers.ofString("client_id=" + TestClients.DEVICE + "&scope=openid"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    /** Per-minute limits count in wall-clock minutes: start a count well inside one. */
    private static void awayFromMinuteBoundary() throws InterruptedException {
        long intoMinute = System.currentTimeMillis() % 60_000;
        if (intoMinute > 55_000) {
            Thread.sleep(60_500 - intoMinute);
        }
    }

    @Test
    void deviceAuthorizationsBeyondAddressThenClientLimitThenTooManyRequests() throws Exception {
        awayFromMinuteBoundary();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, deviceAuthorizationFrom("198.51.100.20"));
        }
        assertEquals(429, deviceAuthorizationFrom("198.51.100.20"), "the address' limit: 3 a minute");
        assertEquals(200, deviceAuthorizationFrom("198.51.100.21"));
        assertEquals(200, deviceAuthorizationFrom("198.51.100.22"));
        assertEquals(200, deviceAuthorizationFrom("198.51.100.23"),
                "a public client's 5 a minute count per address: the others' requests spend none of this one's");
    }

    /** A code exchange of the public client with a code nobody issued, forwarded by the Ingress for {@code forwardedFor}. */
    private HttpResponse<String> publicCodeExchangeFrom(String forwardedFor) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName(INGRESS)).build()) {
            return client.send(HttpRequest.newBuilder(tokenEndpoint)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Forwarded-For", forwardedFor)
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&client_id=" + TestClients.PUBLIC
                            + "&code=not-a-code-anyone-was-given&code_verifier=" + "v".repeat(43)
                            + "&redirect_uri=" + URLEncoder.encode(TestClients.SPA_REDIRECT, StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void publicClientFloodedByOneAddressThenOtherAddressesKeepTheirTokenBudget() throws Exception {
        awayFromMinuteBoundary();
        for (int i = 0; i < 5; i++) {
            assertEquals(400, publicCodeExchangeFrom("198.51.100.30").statusCode());
        }
        HttpResponse<String> flooded = publicCodeExchangeFrom("198.51.100.30");
        assertEquals(429, flooded.statusCode(), "the flooding address spent its own budget");
        assertTrue(flooded.body().contains("\"error\":\"temporarily_unavailable\""), flooded.body());
        HttpResponse<String> other = publicCodeExchangeFrom("198.51.100.31");
        assertEquals(400, other.statusCode(), "anyone can send a public client's id; another user's budget is intact");
        assertTrue(other.body().contains("\"error\":\"invalid_grant\""), other.body());
    }

    private static final String INGRESS = "127.0.0.1";
    private static final String UNTRUSTED = "127.0.0.2";

    private int[] flood(String from, String forwardedFor, String id, int attempts) throws Exception {
        int[] byStatus = new int[600];
        for (int i = 0; i < attempts; i++) {
            byStatus[tokenFrom(from, forwardedFor, id, "wrong")]++;
        }
        return byStatus;
    }

    @Test
    void clientAuthFloodFromOneAddressThenRightSecretFromAnotherAddressAccepted() throws Exception {
        int[] flooded = flood(INGRESS, "198.51.100.1", TestClients.SERVICE, 10);
        assertEquals(3, flooded[401], "three failures, then the flooding caller backs off");
        assertEquals(7, flooded[429]);
        String right = TestClients.secret(TestClients.SERVICE);
        assertEquals(200, tokenFrom(INGRESS, "198.51.100.2", TestClients.SERVICE, right),
                "another caller of the same client is not refused for the flood");
        assertEquals(200, token(TestClients.SERVICE, right).statusCode(), "nor is the Ingress' own address");
        assertEquals(429, tokenFrom(INGRESS, "198.51.100.1", TestClients.SERVICE, right),
                "the flooding caller waits, whatever it sends");
    }

    @Test
    void clientAuthFailuresThenRetryAfterDoublesAndRightSecretWaitsUntilItPasses() throws Exception {
        String address = "198.51.100.3";
        String right = TestClients.secret(TestClients.SERVICE);
        for (int i = 0; i < 3; i++) {
            assertEquals(401, tokenFrom(INGRESS, address, TestClients.SERVICE, "wrong"));
        }
        HttpResponse<Void> first = answerFrom(INGRESS, address, TestClients.SERVICE, right);
        assertEquals(429, first.statusCode(), "the right secret waits too");
        assertEquals("1", first.headers().firstValue("Retry-After").orElse(null), "first backoff: 1 s");
        // Waiting as long as the server said, never less: the checks that follow cannot pass early.
        waitRetryAfter(first);
        assertEquals(401, tokenFrom(INGRESS, address, TestClients.SERVICE, "wrong"));
        HttpResponse<Void> second = answerFrom(INGRESS, address, TestClients.SERVICE, right);
        assertEquals(429, second.statusCode());
        assertEquals("2", second.headers().firstValue("Retry-After").orElse(null), "one more failure doubles it");
        waitRetryAfter(second);
        assertEquals(200, tokenFrom(INGRESS, address, TestClients.SERVICE, right));
        assertEquals(401, tokenFrom(INGRESS, address, TestClients.SERVICE, "wrong"),
                "a success clears the caller's failures");
    }

    private static void waitRetryAfter(HttpResponse<?> answer) throws InterruptedException {
        Thread.sleep(Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow()) * 1000 + 100);
    }

    @jakarta.inject.Inject
    FailureWatch watch;

    /** Throttle scripts run on the test Redis so far: each one reads the caller's backoff with one PTTL. */
    private static long throttleRoundTrips() {
        String stats = io.authsuite.testing.RedisTestResource.server().command("INFO", "commandstats");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmdstat_pttl:calls=(\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void rightSecretFromAddressWithoutFailuresThenNoThrottleRoundTripUntilItFails() throws Exception {
        String address = "198.51.100.30";
        String right = TestClients.secret(TestClients.SERVICE);
        for (int i = 0; i < 100 && !watch.isLive(); i++) {
            Thread.sleep(50);
        }
        assertTrue(watch.isLive(), "the replica follows the failures of all replicas");
        long before = throttleRoundTrips();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, tokenFrom(INGRESS, address, TestClients.SERVICE, right));
        }
        assertEquals(0, throttleRoundTrips() - before, "no failure from the address: nothing to ask Redis");
        assertEquals(401, tokenFrom(INGRESS, address, TestClients.SERVICE, "wrong"));
        before = throttleRoundTrips();
        assertEquals(200, tokenFrom(INGRESS, address, TestClients.SERVICE, right));
        assertEquals(1, throttleRoundTrips() - before, "after a failure the right secret consults the throttle");
        assertEquals(200, tokenFrom(INGRESS, "198.51.100.31", TestClients.SERVICE, right));
        assertEquals(1, throttleRoundTrips() - before, "other addresses still settle locally");
    }

    @Test
    void clientAuthFailuresOverAddressLimitThenAddressRefusedForEveryClient() throws Exception {
        String address = "198.51.100.4";
        for (int i = 0; i < 6; i++) {
            // Two failures each for six client ids: no caller backs off, but the address reaches its limit of 12.
            assertEquals(401, tokenFrom(INGRESS, address, "guess-" + i, "wrong"));
            assertEquals(401, tokenFrom(INGRESS, address, "guess-" + i, "wrong"));
        }
        assertEquals(429, tokenFrom(INGRESS, address, TestClients.SERVICE, TestClients.secret(TestClients.SERVICE)));
        assertEquals(200, tokenFrom(INGRESS, "198.51.100.5", TestClients.SERVICE, TestClients.secret(TestClients.SERVICE)));
    }

    @Test
    void forwardedForFromUntrustedPeerThenIgnored() throws Exception {
        String spoofed = "198.51.100.6";
        String id = "guess-untrusted";
        int[] flooded = flood(UNTRUSTED, spoofed, id, 4);
        assertEquals(3, flooded[401]);
        assertEquals(1, flooded[429]);
        // The failures were counted against the untrusted peer's own address, not the one it named.
        assertEquals(401, tokenFrom(INGRESS, spoofed, id, "wrong"), "the named address has no failures");
        assertEquals(429, tokenFrom(UNTRUSTED, "198.51.100.7", id, "wrong"),
                "naming another address does not reset the untrusted peer's backoff");
    }

    @Test
    void forwardedForFromTrustedProxyThenAddressesThrottledSeparately() throws Exception {
        int[] first = flood(INGRESS, "198.51.100.8", TestClients.SERVICE, 5);
        assertEquals(3, first[401]);
        assertEquals(2, first[429]);
        int[] second = flood(INGRESS, "198.51.100.9", TestClients.SERVICE, 3);
        assertEquals(3, second[401], "the second forwarded address has its own budget");
    }

    private static String basic(String id, String secret) {
        String pair = URLEncoder.encode(id, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static Response token(String id, String secret) {
        return given().header("Authorization", basic(id, secret)).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post("/oauth2/token");
    }

    @Test
    void clientAuthFailuresThenThrottledWithRetryAfterThenLifted() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, token(TestClients.POST_ONLY + "-y", "wrong").statusCode());
        }
        Response blocked = token(TestClients.POST_ONLY + "-y", "wrong");
        assertEquals(429, blocked.statusCode());
        assertEquals("temporarily_unavailable", blocked.jsonPath().getString("error"));
        long retryAfter = Long.parseLong(blocked.getHeader("Retry-After"));
        assertEquals(1, retryAfter, "the first backoff is one second");
        String requestId = blocked.getHeader("X-Request-Id");
        var limited = io.authsuite.auth.audit.AuditAssertions.latest(audit, io.authsuite.auth.audit.AuditTypes.RATE_LIMITED,
                e -> requestId.equals(e.requestId()));
        assertEquals("throttled", limited.outcome());
        assertEquals("too many failed authentications; retry later", limited.reason());
        Thread.sleep(1_100);
        assertEquals(401, token(TestClients.POST_ONLY + "-y", "wrong").statusCode());
    }

    @Test
    void tokenRequestsBeyondClientRateThenTooManyRequests() throws Exception {
        awayFromMinuteBoundary();
        int ok = 0;
        Response last = null;
        for (int i = 0; i < 7; i++) {
            last = given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                    .formParam("client_id", TestClients.POST_ONLY).formParam("client_secret", TestClients.secret(TestClients.POST_ONLY))
                    .post("/oauth2/token");
            if (last.statusCode() == 200) {
                ok++;
            }
        }
        assertEquals(5, ok);
        assertEquals(429, last.statusCode());
        assertTrue(Long.parseLong(last.getHeader("Retry-After")) > 0);
    }

    @Test
    void oversizedOrOverlongRequestsThenOAuthErrorNotServerError() {
        given().header("Authorization", basic(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE)))
                .contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&scope=" + "a".repeat(70_000))
                .post("/oauth2/token").then().statusCode(413).body("error", equalTo("invalid_request"));
        StringBuilder many = new StringBuilder("grant_type=client_credentials");
        for (int i = 0; i < 60; i++) {
            many.append("&p").append(i).append("=x");
        }
        given().header("Authorization", basic(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE)))
                .contentType("application/x-www-form-urlencoded").body(many.toString())
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().header("Authorization", basic(TestClients.RESOURCE_SERVER, TestClients.secret(TestClients.RESOURCE_SERVER)))
                .contentType("application/x-www-form-urlencoded").formParam("token", "x".repeat(9000))
                .post("/oauth2/introspect").then().statusCode(400).body("error", equalTo("invalid_request"));
    }
}
