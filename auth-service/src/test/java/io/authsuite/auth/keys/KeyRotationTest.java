package io.authsuite.auth.keys;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.exchange;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.token.TokenRequestsAccess;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

/** Managed keys: published before use, rotated on demand, previous keys kept, retired keys refused at once. */
@QuarkusTest
@TestProfile(KeyRotationTest.ManagedKeys.class)
class KeyRotationTest {

    @jakarta.inject.Inject
    io.authsuite.auth.audit.AuditLog audit;

    @jakarta.inject.Inject
    SigningKeys signingKeys;

    @jakarta.inject.Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

    public static class ManagedKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            byte[] kek = new byte[32];
            new SecureRandom().nextBytes(kek);
            // These tests rotate right after the start: no publication lead (KeyPublicationLeadTest has one).
            return Map.of("auth.keys.encryption-key", Base64.getEncoder().encodeToString(kek),
                    "auth.keys.generate", "false", "auth.keys.publish-before-signing", "0s");
        }
    }

    static String adminToken() {
        return adminToken("openid keys:manage");
    }

    static String adminToken(String scope) {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn s = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, scope,
                pkce, null, null), TestClients.ADMIN, TestClients.password(TestClients.ADMIN));
        return exchange(TestClients.SPA, s.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().path("access_token");
    }

    /**
     * The key set as the admin API lists it, once its next key is stored and published: after a fleet's first start
     * the next key follows the active one by a prime search.
     */
    static JsonPath keySet(String admin) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        while (true) {
            JsonPath set = given().auth().oauth2(admin).get("/admin/keys").then().statusCode(200).extract().jsonPath();
            String next = set.getString("find { it.state == 'next' }.kid");
            if (next != null && publishedKids().contains(next) || System.nanoTime() > deadline) {
                return set;
            }
            Thread.sleep(100);
        }
    }

    static String kid(String jwt) throws Exception {
        return JsonWebSignature.fromCompactSerialization(jwt).getKeyIdHeaderValue();
    }

    private static List<String> publishedKids() {
        return given().get("/oauth2/jwks").then().statusCode(200).extract().jsonPath().getList("keys.kid");
    }

    private static boolean active(String token) {
        return TokenRequestsAccess.introspect(token).getBoolean("active");
    }

    @Test
    void rotateThenNextKeySignsOldTokensStayValidAndRetiredKeyTokensRefused() throws Exception {
        String admin = adminToken();
        JsonPath keys = keySet(admin);
        String activeKid = keys.getString("find { it.state == 'active' }.kid");
        String nextKid = keys.getString("find { it.state == 'next' }.kid");
        assertTrue(publishedKids().containsAll(List.of(activeKid, nextKid)), "the next key is published before use");

        String before = TokenRequestsAccess.serviceToken();
        assertEquals(activeKid, kid(before));

        given().auth().oauth2(admin).post("/admin/keys/rotate").then().statusCode(200);
        String after = TokenRequestsAccess.serviceToken();
        assertEquals(nextKid, kid(after), "the published next key signs after a rotation");
        assertTrue(active(before), "tokens of the previous key stay valid");
        assertTrue(active(after));
        assertEquals(3, publishedKids().size(), "previous, active and a new next key");

        given().auth().oauth2(admin).post("/admin/keys/" + activeKid + "/retire").then().statusCode(204);
        assertFalse(active(before), "a retired key's tokens are refused");
        assertEquals("admin", io.authsuite.auth.audit.AuditAssertions.latest(audit,
                io.authsuite.auth.audit.AuditTypes.KEY_ROTATED, e -> nextKid.equals(e.details().get("kid")))
                .details().get("by"));
        io.authsuite.auth.audit.AuditAssertions.latest(audit, io.authsuite.auth.audit.AuditTypes.KEY_RETIRED,
                e -> activeKid.equals(e.details().get("kid")));
        // The key that signs now became active at the rotation above: its age is seconds, not the period.
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher age = java.util.regex.Pattern.compile("^authsuite_signing_key_age_seconds ([0-9.E]+)$",
                java.util.regex.Pattern.MULTILINE).matcher(metrics);
        assertTrue(age.find(), "the key age gauge");
        assertTrue(Double.parseDouble(age.group(1)) < 120, "age " + age.group(1));
        assertTrue(metrics.contains("authsuite_signing_key_rotation_period_seconds "));
        assertTrue(active(after));
        assertFalse(publishedKids().contains(activeKid));
        // The admin's own token was signed by the retired key too.
        given().auth().oauth2(admin).get("/admin/keys").then().statusCode(401);
        given().auth().oauth2(adminToken()).post("/admin/keys/no-such-kid/retire").then().statusCode(404);
    }

    @Test
    void retireWhenKeySetKeepsChangingThenReportedRetiredOnlyOnceItsRecordIsGone() throws Exception {
        JsonPath set = keySet(adminToken());
        String activeKid = set.getString("find { it.state == 'active' }.kid");
        String nextKid = set.getString("find { it.state == 'next' }.kid");
        String activeRecord = redis.hash(String.class).hget(ManagedKeyStore.KEYS, activeKid);
        // Another writer keeps touching the set, as every replica's prune at the same instant or a rotation does:
        // each write drops a transaction watching it.
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            while (!stop.get()) {
                redis.hash(String.class).hset(ManagedKeyStore.KEYS, activeKid, activeRecord);
            }
        });
        writer.start();
        boolean retired;
        try {
            retired = signingKeys.retire(nextKid);
        } catch (SigningKeys.KeySetChanged e) {
            retired = false;
        } finally {
            stop.set(true);
            writer.join();
        }
        assertEquals(retired, redis.hash(String.class).hget(ManagedKeyStore.KEYS, nextKid) == null,
                "reported retired exactly when its record is gone");
        // Once the set is quiet, the retire goes through (or had gone through).
        signingKeys.retire(nextKid);
        assertNull(redis.hash(String.class).hget(ManagedKeyStore.KEYS, nextKid));
        assertFalse(publishedKids().contains(nextKid));
    }

    @Test
    void retireActiveKeyThenRotatesFirst() throws Exception {
        String admin = adminToken();
        String activeKid = kid(TokenRequestsAccess.serviceToken());
        given().auth().oauth2(admin).post("/admin/keys/" + activeKid + "/retire").then().statusCode(204);
        String fresh = TokenRequestsAccess.serviceToken();
        assertNotEquals(activeKid, kid(fresh));
        assertTrue(active(fresh));
    }

    @Test
    void keysAdminNeedsAdmin() {
        given().post("/admin/keys/rotate").then().statusCode(401);
        given().auth().oauth2(TokenRequestsAccess.serviceToken()).get("/admin/keys").then().statusCode(403);
    }

    /**
     * Removes the set's next key, as a replica that stopped between a first start and publishing it leaves the set;
     * returns its kid.
     */
    private String dropNextKey(JsonPath set) {
        String next = set.getString("find { it.state == 'next' }.kid");
        redis.hash(String.class).hdel(ManagedKeyStore.KEYS, next);
        signingKeys.reload();
        return next;
    }

    @Test
    void scheduledCheckWhenKeySetHasNoNextKeyThenPublishesOneOnce() throws Exception {
        String admin = adminToken();
        String next = dropNextKey(keySet(admin));

        // The schedule runs the same check every reload interval, and may be the one that publishes it.
        signingKeys.ensureNextKey();
        assertFalse(signingKeys.ensureNextKey(), "published once");
        JsonPath repaired = given().auth().oauth2(admin).get("/admin/keys").then().statusCode(200).extract().jsonPath();
        String fresh = repaired.getString("find { it.state == 'next' }.kid");
        assertNotNull(fresh);
        assertNotEquals(next, fresh);
        assertTrue(publishedKids().contains(fresh), "published, so that it may sign after the next rotation");
    }

    @Test
    void retireActiveKeyWhenKeySetHasNoNextKeyThenOneIsMadeAndTheRetiredKeysTokensRefused() throws Exception {
        String admin = adminToken();
        JsonPath set = keySet(admin);
        String activeKid = set.getString("find { it.state == 'active' }.kid");
        dropNextKey(set);
        String before = TokenRequestsAccess.serviceToken();

        // A compromised key must not stay active because there was no next key to move to.
        given().auth().oauth2(admin).post("/admin/keys/" + activeKid + "/retire").then().statusCode(204);
        String after = TokenRequestsAccess.serviceToken();
        assertNotEquals(activeKid, kid(after));
        assertFalse(publishedKids().contains(activeKid));
        assertFalse(active(before), "the retired key's tokens are refused");
        assertTrue(active(after));
    }

    @Test
    void keysAdminWhenAdminTokenHasOnlyUsersManageThenInsufficientScopeAndNothingRotated() throws Exception {
        keySet(adminToken());
        String usersAdmin = adminToken("openid users:manage");
        String before = given().get("/oauth2/jwks").then().statusCode(200).extract().asString();
        given().auth().oauth2(usersAdmin).post("/admin/keys/rotate").then().statusCode(403)
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""))
                .header("WWW-Authenticate", containsString("keys:manage"))
                .body("error", equalTo("insufficient_scope"));
        given().auth().oauth2(usersAdmin).get("/admin/keys").then().statusCode(403);
        assertEquals(before, given().get("/oauth2/jwks").then().statusCode(200).extract().asString());
    }
}
