package io.authsuite.auth.token;

import io.authsuite.auth.TestClients;

/** A client-credentials token for tests in other packages. */
public final class TokenRequestsAccess {
    private TokenRequestsAccess() {
    }

    public static String serviceToken() {
        return TokenRequests.asClient(TestClients.SERVICE).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
    }
}
