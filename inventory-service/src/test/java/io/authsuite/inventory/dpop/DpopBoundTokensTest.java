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

    @Test
    void boundTokenWithProofThenAcceptedAndAsBearerRefused() {
        DpopKey key = DpopKey.generate();
        String token = TestIssuer.sign(TestIssuer.claims("dpop-user", "inventory-service", "inventory:read")
                .claim("client_id", "dpop-app").claim("cnf", Map.of("jkt", key.thumbprint())));
        String url = RestAssured.baseURI + ":" + RestAssured.port + "/inventory/items";
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
        String expired = TestIssuer.sign(TestIssuer.claims("dpop-user", "inventory-service", "inventory:read")
                .claim("client_id", "dpop-app").claim("cnf", Map.of("jkt", key.thumbprint()))
                .issuedAt(past - 900).expiresAt(past));
        String url = RestAssured.baseURI + ":" + RestAssured.port + "/inventory/items";
        List<String> challenges = given().header("Authorization", "DPoP " + expired)
                .header("DPoP", key.proof("GET", url, expired)).get("/inventory/items").then()
                .statusCode(401).contentType("application/problem+json")
                .body("error", equalTo("invalid_token")).body("code", equalTo("TOKEN_EXPIRED"))
                .extract().headers().getValues("WWW-Authenticate");
        // RFC 9449 §7.1: the DPoP scheme is answered with a DPoP challenge only.
        assertEquals(List.of("DPoP algs=\"ES256 PS256 RS256\", error=\"invalid_token\", "
                + "error_description=\"The access token expired\""), challenges);
    }

    @Test
    void inventoryWhenDpopSchemeAndScopeMissingThenDpopInsufficientScope() {
        DpopKey key = DpopKey.generate();
        String token = TestIssuer.sign(TestIssuer.claims("dpop-user", "inventory-service", "inventory:reserve")
                .claim("client_id", "dpop-app").claim("cnf", Map.of("jkt", key.thumbprint())));
        String url = RestAssured.baseURI + ":" + RestAssured.port + "/inventory/items";
        List<String> challenges = given().header("Authorization", "DPoP " + token)
                .header("DPoP", key.proof("GET", url, token)).get("/inventory/items").then()
                .statusCode(403).contentType("application/problem+json")
                .body("error", equalTo("insufficient_scope"))
                .extract().headers().getValues("WWW-Authenticate");
        assertEquals(List.of("DPoP algs=\"ES256 PS256 RS256\", error=\"insufficient_scope\", "
                + "scope=\"inventory:read\""), challenges);
    }
}
