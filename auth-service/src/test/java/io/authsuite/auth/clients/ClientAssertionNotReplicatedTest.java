package io.authsuite.auth.clients;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.authsuite.auth.par.PushedRequestNotReplicatedTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

/**
 * A client assertion whose single use no Redis replica acknowledges (the test Redis has none; the profile asks for
 * one): a failover could lose the marker and let the same assertion authenticate again, so it authenticates nothing.
 */
@QuarkusTest
@TestProfile(PushedRequestNotReplicatedTest.NoReplicaAcknowledges.class)
// Durable writes (WAIT) are refused on Redis Cluster at start, so the cluster run has nothing to test here.
@DisabledIfEnvironmentVariable(named = "AUTHSUITE_REDIS_CLUSTER", matches = "1")
class ClientAssertionNotReplicatedTest {

    @Test
    void clientAssertionWhenItsUseIsNotReplicatedThenTemporarilyUnavailableAndSpent() throws Exception {
        String assertion = PrivateKeyJwtTest.assertion(c -> { });
        // RFC 6749 §5.2's shape for an outage: the client tries again with a new assertion.
        PrivateKeyJwtTest.grant(assertion).statusCode(503).body("error", equalTo("temporarily_unavailable"));
        // The primary holds the marker all the same: this assertion is spent (RFC 7523 §3 item 7).
        PrivateKeyJwtTest.grant(assertion).statusCode(401).body("error", equalTo("invalid_client"))
                .body("error_description", containsString("already used"));
    }
}
