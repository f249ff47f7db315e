package io.authsuite.inventory.dpop;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.testing.DpopKey;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** inventory-service enforces DPoP-bound tokens as orders-service does (the shared resource-server module). */
@QuarkusTest
class DpopBoundTokensTest {

    private static final String ITEMS = "/inventory/items";

    /** The claims of a token of dpop-app bound to {@code key}, for {@code scope}. */
    private static io.smallrye.jwt.build.JwtClaimsBuilder bound(DpopKey key, String scope) {
        return TestIssuer.claims("dpop-user", "inventory-service", scope).claim("client_id", "dpop-app")
                .claim("cnf", Map.of("jkt", key.thumbprint()));
    }

    /** The WWW-Authenticate challenges of a GET of the items with {@code token} under the DPoP scheme. */
    private static List<String> dpopChallenges(DpopKey key, String token, int status, String error) {
        String url = RestAssured.baseURI + ":" + RestAssured.port + ITEMS;
        return given().header("Authorization", "DPoP " + token).header("DPoP", key.proof("GET", url, token))
                .get(ITEMS).then().statusCode(status).contentType("application/problem+json")
                .body("error", equalTo(error)).extract().headers().getValues("WWW-Authenticate");
    }

    @Test
    void boundTokenWithProofThenAcceptedAndAsBearerRefused() {
        DpopKey key = DpopKey.generate();
        String token = TestIssuer.sign(bound(key, "inventory:read"));
        String url = RestAssured.baseURI + ":" + RestAssured.port + ITEMS;
        given().header("Authorization", "DPoP " + token).header("DPoP", key.proof("GET", url, token))
                .get("/inventory/items").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/inventory/items").then().statusCode(401)
                .body("error", equalTo("invalid_token")).header("WWW-Authenticate", startsWith("DPoP "));
        given().header("Authorization", "DPoP " + token).header("DPoP", key.proof("GET", url, token) + "x")
                .get("/inventory/items").then().statusCode(401).body("error", equalTo("invalid_dpop_proof"));
    }

    @Test
    void inventoryWhenDpopSchemeAndTokenExpiredThenDpopChallenge() {
        DpopKey key = DpopKey.generate();
        long past = Instant.now().getEpochSecond() - 3600;
        String expired = TestIssuer.sign(bound(key, "inventory:read").issuedAt(past - 900).expiresAt(past));
        String url = RestAssured.baseURI + ":" + RestAssured.port + ITEMS;
        given().header("Authorization", "DPoP " + expired).header("DPoP", key.proof("GET", url, expired)).get(ITEMS)
                .then().statusCode(401).body("code", equalTo("TOKEN_EXPIRED"));
        // RFC 9449 §7.1: the DPoP scheme is answered with a DPoP challenge only.
        assertEquals(List.of("DPoP algs=\"ES256 PS256 RS256\", error=\"invalid_token\", "
                + "error_description=\"The access token expired\""), dpopChallenges(key, expired, 401, "invalid_token"));
    }

    @Test
    void inventoryWhenDpopSchemeAndScopeMissingThenDpopInsufficientScope() {
        DpopKey key = DpopKey.generate();
        String token = TestIssuer.sign(bound(key, "inventory:reserve"));
        assertEquals(List.of("DPoP algs=\"ES256 PS256 RS256\", error=\"insufficient_scope\", "
                + "scope=\"inventory:read\""), dpopChallenges(key, token, 403, "insufficient_scope"));
    }
}
