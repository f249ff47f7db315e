package io.authsuite.auth.keys;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.token.TokenRequestsAccess;
import io.authsuite.testing.RedisServer;
import io.authsuite.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Managed keys with a folder of keys as well: a fleet's first start takes the folder's keys into the new set, so
 * tokens signed before a switch from files to managed keys keep verifying and no prime search holds the start up.
 */
@QuarkusTest
@TestProfile(KeySeedTest.ManagedKeysSeededFromFiles.class)
class KeySeedTest {

    public static class ManagedKeysSeededFromFiles extends KeyRotationTest.ManagedKeys {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A first start: whatever set an earlier test profile left in Redis is gone.
            dropKeySet();
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            try {
                Path dir = Files.createTempDirectory("signing-keys");
                Files.writeString(dir.resolve("key-old.pem"), SigningKeysTest.pem(SigningKeysTest.generate(2048)));
                Files.writeString(dir.resolve("key-current.pem"), SigningKeysTest.pem(SigningKeysTest.generate(2048)));
                overrides.put("auth.keys.dir", dir.toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            overrides.put("auth.keys.active", "key-current");
            return overrides;
        }
    }

    @AfterAll
    static void dropKeySet() {
        RedisServer redis = RedisTestResource.server();
        if (redis != null) {
            redis.command("DEL", ManagedKeyStore.KEYS);
        }
    }

    @Test
    void firstStartWhenFolderOfKeysThenSetStartsFromThemAndOnlyTheNextKeyIsNew() throws Exception {
        // The profile runs in another class loader than this test: the kids come from the files it wrote.
        Path dir = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("auth.keys.dir", Path.class);
        String currentKid = kid(dir.resolve("key-current.pem"));
        String oldKid = kid(dir.resolve("key-old.pem"));

        assertEquals(currentKid, KeyRotationTest.kid(TokenRequestsAccess.serviceToken()), "the folder's active key signs");
        JsonPath set = KeyRotationTest.keySet(KeyRotationTest.adminToken());
        assertEquals(currentKid, set.getString("find { it.state == 'active' }.kid"));
        assertEquals(oldKid, set.getString("find { it.state == 'previous' }.kid"));
        long retireAfter = set.getLong("find { it.state == 'previous' }.retireAfter");
        long now = System.currentTimeMillis() / 1000;
        // Kept until every token it may have signed has expired: the access and ID token lifetimes, and then some.
        assertTrue(retireAfter > now && retireAfter <= now + 3600, "retireAfter " + retireAfter);
        String nextKid = set.getString("find { it.state == 'next' }.kid");
        assertNotEquals(currentKid, nextKid);
        assertNotEquals(oldKid, nextKid);

        // Resource services verify the old key's tokens against the JWKS: it stays published beside the new ones.
        List<String> published = given().get("/oauth2/jwks").then().statusCode(200).extract().jsonPath()
                .getList("keys.kid");
        assertTrue(published.containsAll(List.of(oldKid, currentKid, nextKid)), "published " + published);
    }

    private static String kid(Path pem) throws IOException {
        return SigningKeys.fromPem(Files.readString(pem), pem).kid();
    }
}
