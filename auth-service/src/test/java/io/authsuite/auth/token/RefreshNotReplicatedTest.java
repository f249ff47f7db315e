package io.authsuite.auth.token;

import static io.authsuite.auth.OAuthFlow.refresh;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.authsuite.auth.TestClients;
import io.authsuite.auth.par.PushedRequestNotReplicatedTest;
import io.authsuite.auth.store.RefreshTokenStore;
import io.authsuite.auth.users.UserStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

/** A refresh whose rotation no Redis replica acknowledges (the test Redis has none; the profile asks for one). */
@QuarkusTest
@TestProfile(PushedRequestNotReplicatedTest.NoReplicaAcknowledges.class)
// Durable writes (WAIT) are refused on Redis Cluster at start, so the cluster run has nothing to test here.
@DisabledIfEnvironmentVariable(named = "AUTHSUITE_REDIS_CLUSTER", matches = "1")
class RefreshNotReplicatedTest {

    @Inject
    RefreshTokenStore refreshTokens;

    @Inject
    UserStore users;

    @Test
    void refreshWhenRotationNotReplicatedThenTemporarilyUnavailableWithoutRetryAfterAndSignInAgain() {
        // Started directly: a code exchange waits for a replica too, and none acknowledges here.
        String subject = users.byUsername(TestClients.USER).orElseThrow().subject();
        String token = refreshTokens.start(TestClients.SPA, subject, "openid orders:read", null,
                java.time.Instant.now().getEpochSecond()).token();

        Response answer = refresh(TestClients.SPA, token, null);
        answer.then().statusCode(503).body("error", equalTo("temporarily_unavailable"))
                .body("error_description", containsString("start a new sign-in"));
        // Without a reuse grace the retry a Retry-After invites would be reuse, and revoke the grant.
        assertNull(answer.getHeader("Retry-After"));
    }
}
