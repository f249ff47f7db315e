package io.authsuite.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.stream.StreamMessage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FollowedSet} against a real redis-server, as every replica starts it. */
class FollowedSetTest {

    @RegisterExtension
    static final RealRedis real = new RealRedis();

    @Test
    void startWhenNothingAddedYetThenLoadedWithoutRedisErrorAndFollowsFirstEntry() throws InterruptedException {
        String prefix = "followed-test:" + UUID.randomUUID();
        String set = prefix + ":set";
        String stream = prefix + ":stream";
        List<String> streamed = new CopyOnWriteArrayList<>();
        real.server.command("CONFIG", "RESETSTAT");
        FollowedSet followed = new FollowedSet(real.blocking, real.vertx.getDelegate(), set, stream, () -> 0, 100,
                Duration.ofMinutes(1), "followed-test", new FollowedSet.Entries() {
                    @Override
                    public void fromSet(String member, double score) {
                    }

                    @Override
                    public void fromStream(StreamMessage<String, String, String> message) {
                        streamed.add(message.payload().get("m"));
                    }

                    @Override
                    public void purge() {
                    }
                });
        followed.start();
        try {
            assertTrue(waitFor(followed::isLoaded), "loaded although neither the set nor the stream exists yet");
            // A new deployment's every replica starts so: an error here is counted by Redis and by each client's
            // redis_commands_failure_total, where an operator looks for real failures.
            assertEquals("", real.server.command("INFO", "errorstats").replace("# Errorstats", "").strip());

            real.server.command("XADD", stream, "*", "m", "first");
            assertTrue(waitFor(() -> streamed.contains("first")), "the stream made after the load is followed");
        } finally {
            followed.stop();
        }
        assertEquals(0, failedCalls("xinfo"));
    }

    private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static long failedCalls(String command) {
        return real.stat("commandstats", "cmdstat_" + command + "\\|stream:calls=\\d+,[^\\n]*failed_calls=(\\d+)");
    }
}
