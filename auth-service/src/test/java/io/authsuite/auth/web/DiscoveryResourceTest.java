package io.authsuite.auth.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DiscoveryResourceTest {

    @Test
    void authorizationServerMetadataListsEndpointsThatExist() {
        for (String path : new String[] {"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"}) {
            given().get(path).then().statusCode(200)
                    .body("issuer", equalTo("https://auth.test"))
                    .body("token_endpoint", equalTo("https://auth.test/oauth2/token"))
                    .body("jwks_uri", equalTo("https://auth.test/oauth2/jwks"))
                    .body("grant_types_supported", hasItem("client_credentials"))
                    .body("grant_types_supported", not(hasItem("password")))
                    .body("grant_types_supported", not(hasItem("implicit")))
                    .body("token_endpoint_auth_methods_supported", hasItems("client_secret_basic", "client_secret_post"))
                    .body("scopes_supported", hasItems("orders:read", "inventory:reserve"));
        }
    }
}
