package io.authsuite.auth.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class JwksResourceTest {

    @Test
    void jwksWhenFetchedThenPublicRsaKeyWithKid() {
        given().get("/oauth2/jwks").then().statusCode(200)
                .body("keys", hasSize(1))
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"))
                .body("keys[0].use", equalTo("sig"))
                .body("keys[0]", hasKey("kid"))
                .body("keys[0]", hasKey("n"))
                .body("keys[0]", hasKey("e"));
    }

    @Test
    void jwksNeverContainsPrivateParameters() {
        for (String privatePart : new String[] {"d", "p", "q", "dp", "dq", "qi"}) {
            given().get("/oauth2/jwks").then().body("keys[0]", not(hasKey(privatePart)));
        }
    }
}
