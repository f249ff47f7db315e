package io.authsuite.inventory.dpop;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.authsuite.testing.DpopKey;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
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
}
