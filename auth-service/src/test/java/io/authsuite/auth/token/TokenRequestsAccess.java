package io.authsuite.auth.token;

import io.authsuite.auth.TestClients;

/** Tokens for tests in other packages: a client-credentials one, a first refresh token. */
public final class TokenRequestsAccess {
    private TokenRequestsAccess() {
    }

    public static io.restassured.path.json.JsonPath introspect(String token) {
        return TokenRequests.asClient(TestClients.RESOURCE_SERVER).formParam("token", token).post("/oauth2/introspect")
                .then().statusCode(200).extract().jsonPath();
    }

    /** A first refresh token of {@code TestClients.SPA}, for the test user. */
    public static String firstRefreshToken() {
        return RefreshTokenGrantTest.firstRefreshToken();
    }

    public static String serviceToken() {
        return TokenRequests.asClient(TestClients.SERVICE).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
    }
}
