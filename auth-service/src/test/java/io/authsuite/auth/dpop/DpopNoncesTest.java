package io.authsuite.auth.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.dpop.DpopNonces;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Nonce rotation on the real Redis of the tests, with a clock the test turns (RFC 9449 §8.2). */
@QuarkusTest
class DpopNoncesTest {

    @Inject
    ReactiveRedisDataSource redis;

    /** A clock the test sets. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void nonceWhenPeriodTurnsThenPreviousStillAcceptedAndOlderRefused() {
        TestClock clock = new TestClock();
        DpopNonces nonces = new DpopNonces(redis, "auth:test-" + UUID.randomUUID() + ":", Duration.ofMinutes(5), clock);
        String first = nonces.current().await().indefinitely();
        assertTrue(nonces.accepts(first).await().indefinitely());

        clock.now = clock.now.plus(Duration.ofMinutes(5));
        String second = nonces.current().await().indefinitely();
        assertNotEquals(first, second);
        assertTrue(nonces.accepts(first).await().indefinitely(), "the previous nonce stays valid for a period");
        assertTrue(nonces.accepts(second).await().indefinitely());

        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertFalse(nonces.accepts(first).await().indefinitely(), "two periods on, a nonce is refused");
        assertFalse(nonces.accepts(null).await().indefinitely());
        assertFalse(nonces.accepts("").await().indefinitely());
    }

    @Test
    void nonceWhenTwoReplicasThenTheSameNonce() {
        TestClock clock = new TestClock();
        String prefix = "auth:test-" + UUID.randomUUID() + ":";
        DpopNonces one = new DpopNonces(redis, prefix, Duration.ofMinutes(5), clock);
        DpopNonces other = new DpopNonces(redis, prefix, Duration.ofMinutes(5), clock);
        String nonce = one.current().await().indefinitely();
        assertEquals(nonce, other.current().await().indefinitely());
        assertTrue(other.accepts(nonce).await().indefinitely());
    }
}
