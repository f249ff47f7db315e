package io.authsuite.auth.clients;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.authsuite.auth.audit.AuditAssertions;
import io.authsuite.auth.audit.AuditEvent;
import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** What a refused client authentication says back and writes down: never a part of what the client sent as secret. */
@QuarkusTest
class ClientAuthenticationEchoTest {

    @Inject
    AuditLog audit;

    @Test
    void clientCredentialsWhenAuthorizationHeaderIsBareSecretThenNeitherAnsweredNorAudited() {
        // A client that sends its secret without a scheme: nothing of it may come back in the answer or the audit.
        String secret = "S3cr3tWithoutAScheme-" + java.util.UUID.randomUUID();
        String description = given().header("Authorization", secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post("/oauth2/token")
                .then().statusCode(401).body("error", equalTo("invalid_client"))
                .extract().path("error_description");
        assertFalse(description.contains("S3cr3t"), description);
        AuditEvent event = AuditAssertions.latest(audit, AuditTypes.CLIENT_AUTHENTICATION,
                e -> description.equals(e.reason()));
        assertFalse(String.valueOf(event).contains("S3cr3t"), String.valueOf(event));
        // A scheme is still named, to say what went wrong.
        given().header("Authorization", "Digest abc").contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post("/oauth2/token")
                .then().statusCode(401).body("error_description", containsString("Digest"));
    }
}
