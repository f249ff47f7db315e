package io.authsuite.auth.clients;

import static io.authsuite.auth.clients.PrivateKeyJwtTest.assertion;
import static io.authsuite.auth.clients.PrivateKeyJwtTest.grant;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code auth.client-registry.endpoint-audiences}: the endpoint's URL as well, for clients that cannot name the issuer. */
@QuarkusTest
@TestProfile(PrivateKeyJwtEndpointAudiencesTest.EndpointAudiences.class)
class PrivateKeyJwtEndpointAudiencesTest {

    public static class EndpointAudiences implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.client-registry.endpoint-audiences", "true");
        }
    }

    @Test
    void assertionWhenEndpointAudiencesAllowedThenTokenEndpointAcceptedButStillAlone() throws Exception {
        grant(assertion(c -> c.setAudience("https://auth.test/oauth2/token"))).statusCode(200);
        grant(assertion(c -> c.setAudience("https://auth.test"))).statusCode(200);
        grant(assertion(c -> c.setAudience("https://auth.test/oauth2/token", "https://other-as.example")))
                .statusCode(401).body("error", equalTo("invalid_client"));
    }
}
