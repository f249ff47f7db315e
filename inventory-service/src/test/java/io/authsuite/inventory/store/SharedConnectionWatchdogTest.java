package io.authsuite.inventory.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.redis.EventLoopRedis;
import io.authsuite.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shared connection of an event loop whose server stops answering (held here with CLIENT PAUSE) is closed, not
 * handed back to the loop's pool, from where the next connect would lease the dead socket again.
 */
@QuarkusTest
@TestProfile(SharedConnectionWatchdogTest.ShortDeadline.class)
public class SharedConnectionWatchdogTest {

    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.timeout", "1s");
        }
    }

    @Inject
    EventLoopRedis loops;

    @Inject
    Vertx vertx;

    /** The Redis client id of the loop's shared connection, asked through it. */
    private String sharedConnectionId(ContextInternal context) throws Exception {
        CompletableFuture<String> id = new CompletableFuture<>();
        context.runOnContext(v -> loops.pipelined(ds -> ds.execute("CLIENT", "ID")).subscribe()
                .with(reply -> id.complete(reply.toString()), id::completeExceptionally));
        return id.get(10, TimeUnit.SECONDS);
    }

    @Test
    void sharedConnectionUnansweredForTheDeadlineThenItsSocketIsClosedAndTheLoopOpensAnother() throws Exception {
        // On Redis Cluster the shared connection is the cluster client's, over one pooled connection per node, which
        // the SELECT cannot taint: there the dropped connections go back to their pools (the note of this test's
        // commit says so). The cluster client finds a failed-over node through its slots instead.
        Assumptions.assumeFalse(RedisTestResource.server().clustered(), "a standalone or Sentinel deployment");
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        String before = sharedConnectionId(context);
        assertTrue(RedisTestResource.server().command("CLIENT", "LIST", "ID", before).contains("id=" + before));
        // Nothing answers for 4 s: the watchdog's PING goes unanswered for the 1 s deadline within that.
        RedisTestResource.server().command("CLIENT", "PAUSE", "4000", "ALL");
        Thread.sleep(4500);
        assertFalse(RedisTestResource.server().command("CLIENT", "LIST", "ID", before).contains("id=" + before),
                "the unanswered connection is closed, not kept in a pool");
        assertNotEquals(before, sharedConnectionId(context));
    }
}
