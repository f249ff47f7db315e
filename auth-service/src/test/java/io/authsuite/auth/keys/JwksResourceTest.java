package io.authsuite.auth.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;
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
    void jwksWhenFetchedThenNoKeyHasPrivateParameters() {
        // RFC 7517 §9.2 / RFC 7518 §6.3.2: the JWKS is public; no key in it may carry a private part.
        given().get("/oauth2/jwks").then().statusCode(200)
                .body("keys", not(empty()))
                .body("keys.collectMany { it.keySet() }", everyItem(not(oneOf("d", "p", "q", "dp", "dq", "qi", "oth", "k"))));
    }
}
