package io.authsuite.auth.par;

import static io.authsuite.auth.OAuthFlow.authorize;
import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.query;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

/**
 * A {@code request_uri} used while no Redis replica acknowledges the write that spends it: the test Redis has no
 * replica, and this profile asks for one, so every durable write is left unacknowledged.
 */
@QuarkusTest
@TestProfile(PushedRequestNotReplicatedTest.NoReplicaAcknowledges.class)
// Durable writes (WAIT) are refused on Redis Cluster at start, so the cluster run has nothing to test here.
@DisabledIfEnvironmentVariable(named = "AUTHSUITE_REDIS_CLUSTER", matches = "1")
public class PushedRequestNotReplicatedTest {

    public static class NoReplicaAcknowledges implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("authsuite.redis.durable-replicas", "1", "authsuite.redis.durable-timeout", "PT0.05S");
        }
    }

    @Test
    void authorizeWhenSpendingRequestUriNotReplicatedThenTemporarilyUnavailableAtRedirectUriAndRequestUriSpent() {
        String requestUri = given().contentType("application/x-www-form-urlencoded")
                .formParams(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(),
                        "pushed-state", null))
                .post("/oauth2/par").then().statusCode(201).extract().path("request_uri");
        Map<String, String> byReference = Map.of("client_id", TestClients.SPA, "request_uri", requestUri);

        // RFC 6749 §4.1.2.1: the client hears it at its redirect URI, with its state, and starts a new flow.
        Response r = authorize(byReference, null);
        assertEquals(303, r.statusCode(), r.asString());
        String location = r.getHeader("Location");
        assertEquals(TestClients.SPA_REDIRECT, location.split("\\?")[0]);
        Map<String, String> redirect = query(location);
        assertEquals("temporarily_unavailable", redirect.get("error"));
        assertEquals("pushed-state", redirect.get("state"));
        org.hamcrest.MatcherAssert.assertThat(redirect.get("error_description"), containsString("start again"));

        // Spent all the same (RFC 9126 §4): the same URL does not start a flow.
        Response again = authorize(byReference, null);
        assertEquals(400, again.statusCode(), again.asString());
        assertNull(again.getHeader("Location"));
        org.hamcrest.MatcherAssert.assertThat(again.asString(), containsString("request_uri"));
    }
}
