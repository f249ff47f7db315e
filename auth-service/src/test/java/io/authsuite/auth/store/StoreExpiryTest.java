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

    @Inject
    RevocationStore revocations;

    @Inject
    io.authsuite.redis.KeyLayout layout;

    @Test
    void denyEntryThenKeptPastTheTokensEndForTheResourceServicesClockSkew() {
        // A resource service accepts a token until exp plus its clock skew: the entry must still be there then, and an
        // access token revoked just after its exp (still accepted there) must still be published.
        long now = java.time.Instant.now().getEpochSecond();
        String live = "jti-" + UUID.randomUUID();
        String justExpired = "jti-" + UUID.randomUUID();
        revocations.denyToken(live, now + 100);
        revocations.denyToken(justExpired, now - 5);
        var denied = redis.sortedSet(String.class);
        assertEquals(now + 100 + RevocationStore.SKEW_MARGIN_SECONDS,
                (long) denied.zscore(layout.denied(), "jti:" + live).orElseThrow());
        assertTrue(denied.zscore(layout.denied(), "jti:" + justExpired).orElseThrow() >= now + 60,
                "a token 5 s past its exp is still accepted within a 30-60 s skew");
        assertTrue(revocations.isTokenDenied(justExpired));
    }

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

    /** The families in a person's index, whatever their expiry. */
    private java.util.Set<String> indexed(String subject) {
        return new java.util.HashSet<>(redis.sortedSet(String.class).zrange(RefreshTokenStore.BY_SUBJECT + subject, 0,
                -1));
    }

    /** Lets a family's absolute lifetime run out: Redis expires its key, and its index entry is past its expiry. */
    private void expire(String subject, String family) {
        redis.key().del(refreshTokens.familyKey(family));
        redis.sortedSet(String.class).zadd(RefreshTokenStore.BY_SUBJECT + subject,
                java.time.Instant.now().getEpochSecond() - 1, family);
    }

    @Test
    void familyStartedWhenEarlierFamiliesExpiredThenSubjectIndexHoldsOnlyLiveFamilies() {
        String subject = "s-" + UUID.randomUUID();
        String gone = refreshTokens.start("web-app", subject, "openid", null, 0).family().id();
        String alive = refreshTokens.start("web-app", subject, "openid", null, 0).family().id();
        expire(subject, gone);
        String newest = refreshTokens.start("web-app", subject, "openid", null, 0).family().id();
        assertEquals(java.util.Set.of(alive, newest), indexed(subject));
    }

    @Test
    void familyStartedWhileAnotherIsStillBeingWrittenThenBothStayIndexedAndBothRevoked() {
        String subject = "s-" + UUID.randomUUID();
        // Another sign-in of this person has indexed its family and not written it yet (start() indexes first).
        String inFlight = "inflight" + UUID.randomUUID().toString().substring(0, 14);
        redis.sortedSet(String.class).zadd(RefreshTokenStore.BY_SUBJECT + subject,
                java.time.Instant.now().getEpochSecond() + 3600, inFlight);
        String newest = refreshTokens.start("web-app", subject, "openid", null, 0).family().id();
        assertEquals(java.util.Set.of(inFlight, newest), indexed(subject),
                "a family not written yet is not an expired one");
        assertEquals(2, refreshTokens.revokeSubject(subject));
    }

    @Test
    void revokeSubjectThenOnlyTheFamiliesItReadLeaveTheIndex() {
        String subject = "s-" + UUID.randomUUID();
        String old = refreshTokens.start("web-app", subject, "openid", null, 0).family().id();
        // A family from before the index was a sorted set is still found, and revoked.
        redis.set(String.class).sadd(RefreshTokenStore.BY_SUBJECT_BEFORE + subject, "before-" + old);
        // An entry the read does not return (past its expiry) stands for one added after the read: it must stay, as
        // a deletion of the whole index would not let it.
        redis.sortedSet(String.class).zadd(RefreshTokenStore.BY_SUBJECT + subject,
                java.time.Instant.now().getEpochSecond() - 5, "not-read");
        assertEquals(2, refreshTokens.revokeSubject(subject));
        assertTrue(refreshTokens.isRevoked(old));
        assertEquals(java.util.Set.of("not-read"), indexed(subject));
        String later = refreshTokens.start("web-app", subject, "openid", null, 0).family().id();
        assertEquals(java.util.Set.of(later), indexed(subject));
        assertEquals(1, refreshTokens.revokeSubject(subject));
    }

    @Test
    void familyStartedWhenManyFamiliesLiveThenExpiredOnesDroppedAndLiveOnesListed() {
        String subject = "s-" + UUID.randomUUID();
        java.util.List<String> families = new java.util.ArrayList<>();
        // As many as one person may hold (auth.refresh-token.max-families-per-subject, 100), with the one below.
        for (int i = 0; i < 99; i++) {
            families.add(refreshTokens.start("web-app", subject, "openid", null, 0).family().id());
        }
        java.util.Set<String> live = new java.util.HashSet<>(families);
        // A third of them ran out (every third).
        for (int i = 0; i < families.size(); i += 3) {
            expire(subject, families.get(i));
            live.remove(families.get(i));
        }
        live.add(refreshTokens.start("web-app", subject, "openid", null, 0).family().id());
        assertEquals(live, indexed(subject));
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
