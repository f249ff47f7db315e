package io.authsuite.auth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every key a store writes carries its expiry from the moment it exists: no partial write leaves one forever. */
@QuarkusTest
class StoreExpiryTest {

    @Inject
    RedisDataSource redis;

    @Inject
    RefreshTokenStore refreshTokens;

    @Inject
    SessionStore sessions;

    private String sessionKey(SessionStore.LoginSession session) {
        return "auth:session:" + SessionStore.reference(session.id());
    }

    @Test
    void sessionCreatedThenExpiresAfterIdleTimeoutUnlessUsed() {
        SessionStore.LoginSession session = sessions.create("s-" + UUID.randomUUID());
        long ttl = redis.key().ttl(sessionKey(session));
        assertTrue(ttl > 3500 && ttl <= 3600, "the idle timeout (1 h), not the 8 h lifetime: " + ttl);
        // Most of the hour went by unused; a lookup renews it to a whole idle timeout again.
        redis.key().expire(sessionKey(session), 10);
        assertTrue(sessions.find(session.id()).isPresent());
        ttl = redis.key().ttl(sessionKey(session));
        assertTrue(ttl > 3500 && ttl <= 3600, "renewed by the lookup: " + ttl);
    }

    @Test
    void sessionNearItsLifetimeWhenUsedThenExpiryNotPastTheLifetime() {
        SessionStore.LoginSession session = sessions.create("s-" + UUID.randomUUID());
        long signedIn = java.time.Instant.now().getEpochSecond() - 8 * 3600 + 100;
        redis.hash(String.class).hset(sessionKey(session), "authTime", Long.toString(signedIn));
        assertTrue(sessions.find(session.id()).isPresent());
        long ttl = redis.key().ttl(sessionKey(session));
        assertTrue(ttl > 0 && ttl <= 100, "ends 8 h after its sign-in however often it is used: " + ttl);
    }

    @Test
    void sessionPastItsLifetimeWhenLookedUpThenGoneAndDeleted() {
        SessionStore.LoginSession session = sessions.create("s-" + UUID.randomUUID());
        long signedIn = java.time.Instant.now().getEpochSecond() - 8 * 3600 - 1;
        redis.hash(String.class).hset(sessionKey(session), "authTime", Long.toString(signedIn));
        assertTrue(sessions.find(session.id()).isEmpty());
        assertFalse(redis.key().exists(sessionKey(session)));
    }

    @Test
    void revokeFamilyWhenFamilyAlreadyExpiredThenNoKeyWithoutExpiryLeftBehind() {
        String family = UUID.randomUUID().toString();
        refreshTokens.revokeFamily(family);
        assertFalse(redis.key().exists(refreshTokens.familyKey(family)));
    }

    @Test
    void familyStartedThenItsSessionAndSubjectIndexesExpire() {
        String subject = "s-" + UUID.randomUUID();
        String session = "ref-" + UUID.randomUUID();
        refreshTokens.start("web-app", subject, "openid", session, 0);
        assertTrue(redis.key().ttl(RefreshTokenStore.BY_SESSION + session) > 0);
        assertTrue(redis.key().ttl(RefreshTokenStore.BY_SUBJECT + subject) > 0);
    }

    @Test
    void familyStartedWhenEarlierFamiliesExpiredThenSubjectIndexHoldsOnlyLiveFamilies() {
        String subject = "s-" + UUID.randomUUID();
        String gone = refreshTokens.start("web-app", subject, "openid", null, 0).family().id();
        String alive = refreshTokens.start("web-app", subject, "openid", null, 0).family().id();
        // The first family's absolute lifetime ran out: Redis expired its key.
        redis.key().del(refreshTokens.familyKey(gone));
        String newest = refreshTokens.start("web-app", subject, "openid", null, 0).family().id();
        assertEquals(java.util.Set.of(alive, newest), redis.set(String.class).smembers(RefreshTokenStore.BY_SUBJECT
                + subject));
    }

    @Test
    void familyStartedWhenHundredsOfFamiliesLiveThenExpiredOnesDroppedAndLiveOnesListed() {
        String subject = "s-" + UUID.randomUUID();
        java.util.List<String> families = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            families.add(refreshTokens.start("web-app", subject, "openid", null, 0).family().id());
        }
        java.util.Set<String> live = new java.util.HashSet<>(families);
        // A third of them ran out (every third): far more checks than the connection pool has room to queue.
        for (int i = 0; i < families.size(); i += 3) {
            redis.key().del(refreshTokens.familyKey(families.get(i)));
            live.remove(families.get(i));
        }
        live.add(refreshTokens.start("web-app", subject, "openid", null, 0).family().id());
        assertEquals(live, redis.set(String.class).smembers(RefreshTokenStore.BY_SUBJECT + subject));
        assertEquals(live, refreshTokens.activeFamilies(subject).stream().map(RefreshTokenStore.ActiveFamily::id)
                .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void sessionCreatedThenSessionAndItsIndexExpire() {
        String subject = "s-" + UUID.randomUUID();
        SessionStore.LoginSession session = sessions.create(subject);
        long ttl = redis.key().ttl("auth:session:" + OpaqueTokens.hash(session.id()));
        long indexTtl = redis.key().ttl("auth:subject-sessions:" + subject);
        assertTrue(ttl > 0 && indexTtl > 0, ttl + " / " + indexTtl);
    }
}
