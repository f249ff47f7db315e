package io.authsuite.auth.token;

import io.authsuite.auth.TestClients;

/** A client-credentials token for tests in other packages. */
public final class TokenRequestsAccess {
    private TokenRequestsAccess() {
    }

    public static io.restassured.path.json.JsonPath introspect(String token) {
        return TokenRequests.asClient(TestClients.RESOURCE_SERVER).formParam("token", token).post("/oauth2/introspect")
                .then().statusCode(200).extract().jsonPath();
    }

    public static String serviceToken() {
        return TokenRequests.asClient(TestClients.SERVICE).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
    }
}
