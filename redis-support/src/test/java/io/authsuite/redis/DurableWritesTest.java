package io.authsuite.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.RedisServer;
import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DurableWrites} against a real redis-server that stops being a primary between the writes and their
 * {@code WAIT}, as the old primary does in a hand-over (k8s/components/redis-sentinel/redis-prestop.sh). Redis then
 * refuses the {@code WAIT} outright; the writes ran, so the caller must hear "not known to survive" (a 503 with
 * Retry-After), never the raw error (a 500) and never success.
 */
class DurableWritesTest {

    private static final Duration WAIT = Duration.ofMillis(200);

    @RegisterExtension
    static final RealRedis real = new RealRedis();

    @AfterEach
    void primaryAgain() {
        assertEquals("+OK", real.server.command("REPLICAOF", "NO", "ONE"));
    }

    private static DurableWrites oneReplica() {
        return new DurableWrites(1, WAIT, KeyLayout.of(false));
    }

    /** REPLICAOF's arguments naming a primary that does not exist: the server keeps its data and refuses WAIT. */
    private static String[] demotion() {
        return new String[] {"127.0.0.1", Integer.toString(RedisServer.freePort())};
    }

    /** A blocking durable SET of {@code key}, the server made a replica before the WAIT when {@code demote}. */
    private static String setThroughBlocking(String key, boolean demote) {
        return oneReplica().write((RedisDataSource) real.blocking, redis -> {
            redis.value(String.class).set(key, "written");
            if (demote) {
                redis.execute("REPLICAOF", demotion());
            }
            return "written";
        });
    }

    @Test
    void blockingWriteWhenServerDemotedBeforeWaitThenNotReplicated() {
        String key = "durable-test:" + UUID.randomUUID();
        DurableWrites.NotReplicatedException refused = assertThrows(DurableWrites.NotReplicatedException.class,
                () -> setThroughBlocking(key, true));
        assertTrue(RedisFailures.isUnavailable(refused), "a passing outage, answered 503 with Retry-After");
        assertEquals("written", real.server.command("GET", key), "the write itself ran");
    }

    @Test
    void reactiveWriteWhenServerDemotedBeforeWaitThenNotReplicated() {
        String key = "durable-test:" + UUID.randomUUID();
        Uni<String> write = oneReplica().write(real.reactive, redis -> redis.value(String.class).set(key, "written")
                .chain(() -> redis.execute("REPLICAOF", demotion()))
                .replaceWith("written"));
        Throwable refused = assertThrows(DurableWrites.NotReplicatedException.class,
                () -> write.await().atMost(Duration.ofSeconds(5)));
        assertTrue(RedisFailures.isUnavailable(refused), "a passing outage, answered 503 with Retry-After");
        assertEquals("written", real.server.command("GET", key), "the write itself ran");
    }

    @Test
    void writeWhenPrimaryHasNoReplicaThenNotReplicatedAfterTheTimeout() {
        String key = "durable-test:" + UUID.randomUUID();
        DurableWrites.NotReplicatedException refused = assertThrows(DurableWrites.NotReplicatedException.class,
                () -> setThroughBlocking(key, false));
        assertTrue(refused.getMessage().startsWith("0 of 1 Redis replica(s) acknowledged"), refused.getMessage());
    }

    @Test
    void writeWhenServerAlreadyReplicaThenRefusedAsReadOnlyNotAsDemoted() {
        String key = "durable-test:" + UUID.randomUUID();
        String[] primary = demotion();
        assertEquals("+OK", real.server.command("REPLICAOF", primary[0], primary[1]));
        // A replica refuses the write itself: that error is the caller's to see, not a "not replicated".
        RuntimeException readOnly = assertThrows(RuntimeException.class, () -> setThroughBlocking(key, false));
        assertTrue(readOnly.getMessage().contains("READONLY"), readOnly.getMessage());
        assertTrue(RedisFailures.isUnavailable(readOnly));
        assertFalse(RedisFailures.isDemoted(readOnly), "READONLY is a refused write, which did not run");
    }
}
