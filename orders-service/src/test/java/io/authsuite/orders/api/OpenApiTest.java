package io.authsuite.orders.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OpenApiTest {

    @Test
    void openApiDescribesTheOAuthSchemeWithTheIssuerAndScopes() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo("orders-service"))
                .body("components.securitySchemes.oauth2.type", equalTo("oauth2"))
                .body("components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl",
                        equalTo("https://issuer.test.authsuite/oauth2/token"))
                .body("components.securitySchemes.oauth2.flows.clientCredentials.scopes", hasKey("orders:cancel"))
                .body("paths", hasKey("/orders/{id}/cancel"));
    }
}
