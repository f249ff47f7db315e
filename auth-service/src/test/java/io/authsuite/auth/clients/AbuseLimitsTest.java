package io.authsuite.auth.clients;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Throttles and request limits of the OAuth endpoints, with small limits and a short window. */
@QuarkusTest
@TestProfile(AbuseLimitsTest.SmallLimits.class)
class AbuseLimitsTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.limits.client-auth-failures-per-client", "3",
                    "auth.limits.client-auth-failures-per-address", "1000",
                    "auth.limits.window", "PT3S",
                    "auth.clients.test-post-only.token-requests-per-minute", "5");
        }
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
            assertEquals(401, token(TestClients.SERVICE, "wrong").statusCode());
        }
        Response blocked = token(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE));
        assertEquals(429, blocked.statusCode());
        assertEquals("temporarily_unavailable", blocked.jsonPath().getString("error"));
        long retryAfter = Long.parseLong(blocked.getHeader("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 3, "Retry-After " + retryAfter);
        Thread.sleep((retryAfter + 1) * 1000);
        assertEquals(200, token(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE)).statusCode());
    }

    @Test
    void tokenRequestsBeyondClientRateThenTooManyRequests() {
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
