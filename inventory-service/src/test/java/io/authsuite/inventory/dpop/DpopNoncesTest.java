package io.authsuite.inventory.dpop;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.authsuite.testing.DpopKey;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Server-provided nonces at a resource service (RFC 9449 §9), switched on as an operator would. */
@QuarkusTest
@TestProfile(DpopNoncesTest.NoncesRequired.class)
class DpopNoncesTest {

    public static class NoncesRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("authsuite.dpop.nonce-required", "true");
        }
    }

    @Test
    void proofWithoutNonceThenUseDpopNonceAndWithItAccepted() {
        DpopKey key = DpopKey.generate();
        String token = TestIssuer.sign(TestIssuer.claims("dpop-user", "inventory-service", "inventory:read")
                .claim("client_id", "dpop-app").claim("cnf", Map.of("jkt", key.thumbprint())));
        String url = RestAssured.baseURI + ":" + RestAssured.port + "/inventory/items";

        Response refused = given().header("Authorization", "DPoP " + token).header("DPoP", key.proof("GET", url, token))
                .get("/inventory/items");
        refused.then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"use_dpop_nonce\""))
                .header("DPoP-Nonce", notNullValue())
                .body("error", equalTo("use_dpop_nonce"))
                // Not TOKEN_INVALID: the token is good, and the client retries with the nonce rather than sign in.
                .body("code", equalTo("DPOP_NONCE_REQUIRED"));
        String nonce = refused.getHeader("DPoP-Nonce");

        Response accepted = given().header("Authorization", "DPoP " + token)
                .header("DPoP", key.proof("GET", url, token, nonce)).get("/inventory/items");
        accepted.then().statusCode(200).header("DPoP-Nonce", notNullValue());
        // Every DPoP answer names the nonce to use next, so the client follows its rotation. It is the same nonce
        // unless the period turned between the two calls (every 5 minutes of the wall clock), so the test uses it
        // rather than compare it.
        String next = accepted.getHeader("DPoP-Nonce");
        given().header("Authorization", "DPoP " + token)
                .header("DPoP", key.proof("GET", url, token, next)).get("/inventory/items")
                .then().statusCode(200);

        given().header("Authorization", "DPoP " + token)
                .header("DPoP", key.proof("GET", url, token, "stale-or-made-up")).get("/inventory/items")
                .then().statusCode(401).body("error", equalTo("use_dpop_nonce"));
    }
}
