package io.authsuite.auth.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.token.TokenRequestsAccess;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A next key signs only once verifiers can hold it; a compromised active key is retired without waiting. */
@QuarkusTest
@TestProfile(KeyPublicationLeadTest.ManagedKeysWithLead.class)
class KeyPublicationLeadTest {

    public static class ManagedKeysWithLead extends KeyRotationTest.ManagedKeys {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("auth.keys.publish-before-signing", "1h");
            // Due at once: only the lead holds the scheduled rotation back.
            overrides.put("auth.keys.rotation-period", "PT1S");
            return overrides;
        }
    }

    @Inject
    SigningKeys keys;

    @Test
    void rotateWhenNextKeyPublishedTooRecentlyThenConflictWithRetryAfterAndScheduledRotationWaits() throws Exception {
        String admin = KeyRotationTest.adminToken();
        String signing = keys.active().kid();

        given().auth().oauth2(admin).post("/admin/keys/rotate").then().statusCode(409)
                .body("error", equalTo("conflict")).body("error_description", containsString("retire the active key"))
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[0-9]+"));
        assertFalse(keys.rotate(false), "the scheduled rotation is due, but waits for the next key's lead");
        assertEquals(signing, KeyRotationTest.kid(TokenRequestsAccess.serviceToken()));
    }

    @Test
    void retireActiveKeyWhenNextKeyIsNewThenNextSignsAtOnce() throws Exception {
        String admin = KeyRotationTest.adminToken();
        JsonPath set = KeyRotationTest.keySet(admin);
        String active = set.getString("find { it.state == 'active' }.kid");
        String next = set.getString("find { it.state == 'next' }.kid");
        assertTrue(keys.secondsUntilNextMaySign() > 0);

        given().auth().oauth2(admin).post("/admin/keys/" + active + "/retire").then().statusCode(204);
        assertEquals(next, KeyRotationTest.kid(TokenRequestsAccess.serviceToken()));
    }
}
