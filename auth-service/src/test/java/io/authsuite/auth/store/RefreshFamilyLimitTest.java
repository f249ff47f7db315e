package io.authsuite.auth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.TestClients;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One person holds at most {@code auth.refresh-token.max-families-per-subject} live families, on the real Redis: each
 * family keeps its consumed tokens for its life, so an account signing in in a loop would otherwise fill Redis.
 */
@QuarkusTest
@TestProfile(RefreshFamilyLimitTest.ThreeFamilies.class)
class RefreshFamilyLimitTest {

    public static class ThreeFamilies implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.refresh-token.max-families-per-subject", "3", "auth.refresh-token.max-rotations", "2");
        }
    }

    @Inject
    RefreshTokenStore refreshTokens;

    @Inject
    RedisDataSource redis;

    @Inject
    RevocationStore revocations;

    @Test
    void startWhenSubjectHasMaxFamiliesThenOldestRevokedWithItsAccessTokenAndItsRefreshTokenRefused() {
        String subject = "limit-" + UUID.randomUUID();
        String firstAccessToken = "jti-" + UUID.randomUUID();
        List<RefreshTokenStore.Rotation.Rotated> started = new ArrayList<>();
        started.add(refreshTokens.start(TestClients.SPA, subject, "openid", null, 0L, null, firstAccessToken,
                Instant.now().getEpochSecond() + 900));
        for (int i = 1; i < 5; i++) {
            started.add(start(subject));
        }

        assertTrue(refreshTokens.isRevoked(started.get(0).family().id()));
        assertTrue(refreshTokens.isRevoked(started.get(1).family().id()));
        assertTrue(revocations.isTokenDenied(firstAccessToken), "the family's access tokens go with it");
        List<String> live = refreshTokens.activeFamilies(subject).stream()
                .map(RefreshTokenStore.ActiveFamily::id).toList();
        assertEquals(List.of(started.get(4).family().id(), started.get(3).family().id(), started.get(2).family().id()),
                live, "the newest three, newest first");
        assertTrue(indexed(subject, started.get(0)).isEmpty(), "revoked to the end, it left the person's index");

        RefreshTokenStore.Rotation evicted = rotate(started.get(0).token());
        assertFalse(evicted instanceof RefreshTokenStore.Rotation.Rotated, evicted.toString());
        assertInstanceOf(RefreshTokenStore.Rotation.Rotated.class, rotate(started.get(4).token()));
    }

    @Test
    void startWhenALaterFamilyWasLoggedOutThenOnlyLiveOnesCountAndNoneIsRevoked() {
        String subject = "limit-" + UUID.randomUUID();
        List<RefreshTokenStore.Rotation.Rotated> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            started.add(start(subject));
        }
        refreshTokens.revokeFamily(started.get(1).family().id());

        started.add(start(subject));

        assertFalse(refreshTokens.isRevoked(started.get(0).family().id()), "three live families: within the limit");
        assertEquals(3, refreshTokens.activeFamilies(subject).size());
    }

    @Test
    void startWhenIndexNamesAFamilyNotWrittenYetThenItStaysIndexed() {
        String subject = "limit-" + UUID.randomUUID();
        // Another replica indexes a family before writing it: until then its key is missing, and dropping it from the
        // index would let it escape "log out everywhere" for its whole life.
        String unwritten = "unwritten-" + UUID.randomUUID();
        redis.sortedSet(String.class).zadd(RefreshTokenStore.BY_SUBJECT + subject,
                Instant.now().plus(Duration.ofDays(30)).getEpochSecond(), unwritten);
        for (int i = 0; i < 4; i++) {
            start(subject);
        }

        assertTrue(redis.sortedSet(String.class).zscore(RefreshTokenStore.BY_SUBJECT + subject, unwritten).isPresent());
        assertEquals(3, refreshTokens.activeFamilies(subject).size());
    }

    @Test
    void rotateWhenFamilyRotatedAsOftenAsItMayThenRefusedAndIntrospectedInactive() {
        RefreshTokenStore.Rotation.Rotated first = start("limit-" + UUID.randomUUID());
        var second = assertInstanceOf(RefreshTokenStore.Rotation.Rotated.class, rotate(first.token()));
        assertTrue(refreshTokens.describeActive(second.token(), 0L).isPresent(), "one rotation left");
        var third = assertInstanceOf(RefreshTokenStore.Rotation.Rotated.class, rotate(second.token()));
        assertTrue(refreshTokens.describeActive(third.token(), 0L).isEmpty(),
                "RFC 7662 §2.2: a token the token endpoint refuses is not active");
        assertEquals(new RefreshTokenStore.Rotation.Refused("exhausted"), rotate(third.token()));
    }

    private java.util.OptionalDouble indexed(String subject, RefreshTokenStore.Rotation.Rotated family) {
        return redis.sortedSet(String.class).zscore(RefreshTokenStore.BY_SUBJECT + subject, family.family().id());
    }

    /** A family started a few milliseconds after the previous one: families are ordered by the ms each began. */
    private RefreshTokenStore.Rotation.Rotated start(String subject) {
        try {
            Thread.sleep(3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return refreshTokens.start(TestClients.SPA, subject, "openid", null, 0L);
    }

    private RefreshTokenStore.Rotation rotate(String token) {
        return refreshTokens.rotate(token, TestClients.SPA, "jti-" + UUID.randomUUID(), 0L, null, null, 0L, null, false)
                .await().atMost(Duration.ofSeconds(10));
    }
}
