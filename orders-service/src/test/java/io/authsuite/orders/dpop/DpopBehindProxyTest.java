package io.authsuite.orders.dpop;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.authsuite.testing.DpopKey;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The prod overlay's setting: TLS ends at the Ingress, which forwards plain HTTP. A client's proof names the public
 * https URL (RFC 9449 §4.2 htu), so the service must see the URL the client used, from the trusted proxy's headers.
 */
@QuarkusTest
@TestProfile(DpopBehindProxyTest.BehindTrustedProxy.class)
class DpopBehindProxyTest {

    private static final String PUBLIC = "https://api.example.com/orders";

    private final DpopKey key = DpopKey.generate();

    public static class BehindTrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // As k8s/overlays/prod sets them, with the test client as the proxy.
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.enable-forwarded-host", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
        }
    }

    private String bound() {
        return TestIssuer.sign(TestIssuer.claims("dpop-user", "orders-service", "orders:read")
                .claim("client_id", "dpop-app").claim("cnf", Map.of("jkt", key.thumbprint())));
    }

    @Test
    void proofForPublicHttpsUrlWhenForwardedByTrustedProxyThenAccepted() {
        String token = bound();
        given().header("Authorization", "DPoP " + token).header("DPoP", key.proof("GET", PUBLIC, token))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.example.com")
                .header("X-Forwarded-Port", "443")
                .get("/orders").then().statusCode(200);
    }

    @Test
    void proofForPublicHttpsUrlWhenNotForwardedThenRefused() {
        String token = bound();
        // RFC 9449 §4.3 check 9: without the proxy's word, this request's URL is the service's own http one.
        given().header("Authorization", "DPoP " + token).header("DPoP", key.proof("GET", PUBLIC, token))
                .get("/orders").then().statusCode(401).body("error", equalTo("invalid_dpop_proof"));
    }
}
