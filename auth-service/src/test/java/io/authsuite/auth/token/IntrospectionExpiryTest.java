package io.authsuite.auth.token;

import static io.authsuite.auth.token.TokenRequests.asClient;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;

import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * RFC 7662 §4 for a token that expired seconds ago. No flow hands out such a token, so it is made in-process, and this
 * test has no twin against the packaged application (an integration test cannot inject the issuer).
 */
@QuarkusTest
class IntrospectionExpiryTest {

    @Inject
    AccessTokenIssuer issuer;

    private static ValidatableResponse introspect(String token) {
        return asClient(TestClients.RESOURCE_SERVER).formParam("token", token).post("/oauth2/introspect")
                .then().statusCode(200);
    }

    private String serviceToken(Instant issuedAt, Instant expiresAt) {
        return issuer.issue(TestClients.SERVICE, TestClients.SERVICE, Set.of("orders-service"), Set.of("orders:read"),
                Map.of(), new AccessTokenIssuer.Ticket(UUID.randomUUID().toString(), issuedAt, expiresAt)).value();
    }

    @Test
    void introspectWhenTokenExpiredSecondsAgoThenOnlyInactive() {
        Instant now = Instant.now();
        introspect(serviceToken(now, now.plusSeconds(60))).body("active", equalTo(true));
        // An expired token MUST be answered inactive, with no clock skew for this server's own tokens.
        introspect(serviceToken(now.minusSeconds(900), now.minusSeconds(5)))
                .body("$", aMapWithSize(1)).body("active", equalTo(false));
    }
}
