package io.authsuite.auth.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.token.AccessTokenIssuer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * RFC 9068 §4 at this server's own APIs: a token must name the issuer among its audiences. No flow issues a token with
 * their scopes but without that audience, so the token is made in-process (and this test has no native twin).
 */
@QuarkusTest
class BearerTokensAudienceTest {

    private static final Map<String, Object> ADMIN = Map.of("groups", List.of("admin"));

    @Inject
    AccessTokenIssuer issuer;

    @Inject
    AuthConfig config;

    @Test
    void adminTokenForAnotherAudienceThenInvalidToken() {
        String forOrders = issuer.issue("someone", "web-app", Set.of("orders-service"), Set.of("openid", "users:manage"),
                ADMIN).value();
        given().auth().oauth2(forOrders).get("/admin/users").then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("error", equalTo("invalid_token"));
        given().auth().oauth2(forOrders).get("/oauth2/userinfo").then().statusCode(401)
                .body("error", equalTo("invalid_token"));
    }

    @Test
    void adminTokenNamingThisServerAmongItsAudiencesThenServed() {
        String forUs = issuer.issue("someone", "web-app", Set.of(config.issuer(), "orders-service"),
                Set.of("openid", "users:manage"), ADMIN).value();
        given().auth().oauth2(forUs).get("/admin/users").then().statusCode(200);
    }
}
