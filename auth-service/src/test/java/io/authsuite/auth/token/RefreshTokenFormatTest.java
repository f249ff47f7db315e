package io.authsuite.auth.token;

import static io.authsuite.auth.OAuthFlow.refresh;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.TestClients;
import io.authsuite.auth.store.OpaqueTokens;
import io.authsuite.redis.KeyLayout;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A refresh token names its family ({@code <family>.<secret>}), so that a family's keys can share a hash slot on Redis
 * Cluster; tokens issued before that (43 characters) keep working where keys carry no tag, as here.
 */
@QuarkusTest
class RefreshTokenFormatTest {

    @Inject
    RedisDataSource redis;

    @Inject
    KeyLayout layout;

    @Test
    void signInThenRefreshTokenNamesItsFamilyAndRotationKeepsIt() {
        String first = RefreshTokenGrantTest.firstRefreshToken();
        assertTrue(first.matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}"), first);
        String family = first.substring(0, first.indexOf('.'));
        assertEquals(family, redis.hash(String.class).hget(layout.group("auth:", family) + "rt:" + OpaqueTokens.hash(first),
                "family"));
        String second = refresh(TestClients.SPA, first, null).then().statusCode(200).extract().path("refresh_token");
        assertTrue(second.startsWith(family + "."), second);
    }

    @Test
    void refreshWhenTokenFromBeforeFamiliesWereNamedThenRotatesAndReuseStillRevokesFamily() {
        // A family as the previous release stored it: a UUID family id, and a token of 43 characters. Only on one
        // server or behind Sentinels: no such token was ever issued on Redis Cluster.
        Assumptions.assumeFalse(layout.cluster(), "no token from before exists on Redis Cluster");
        String current = RefreshTokenGrantTest.firstRefreshToken();
        String currentFamily = current.substring(0, current.indexOf('.'));
        Map<String, String> family = new java.util.HashMap<>(redis.hash(String.class).hgetall("auth:rtf:" + currentFamily));
        String legacyFamily = UUID.randomUUID().toString();
        String legacy = new OpaqueTokens().next();
        family.put("current", OpaqueTokens.hash(legacy));
        redis.hash(String.class).hset("auth:rtf:" + legacyFamily, family);
        redis.key().expire("auth:rtf:" + legacyFamily, 3600);
        redis.hash(String.class).hset("auth:rt:" + OpaqueTokens.hash(legacy), Map.of("family", legacyFamily,
                "client", TestClients.SPA, "state", "active",
                "expires", Long.toString(java.time.Instant.now().getEpochSecond() + 3600)));
        redis.key().expire("auth:rt:" + OpaqueTokens.hash(legacy), 3600);

        String next = refresh(TestClients.SPA, legacy, null).then().statusCode(200)
                .body("scope", equalTo("openid orders:read orders:write")).extract().path("refresh_token");
        assertEquals(43, next.length(), "a legacy family goes on in its own shape: " + next);
        // RFC 9700 §4.14.2 holds for it as for any family.
        refresh(TestClients.SPA, legacy, null).then().statusCode(400).body("error", equalTo("invalid_grant"));
        refresh(TestClients.SPA, next, null).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }
}
