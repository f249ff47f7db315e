package io.authsuite.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.RedisServer;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.runtime.datasource.BlockingRedisDataSourceImpl;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link FollowedSet} against a real redis-server, as every replica starts it. */
class FollowedSetTest {

    private static RedisServer server;
    private static Vertx vertx;
    private static Redis client;
    private static BlockingRedisDataSourceImpl blocking;

    @BeforeAll
    static void start() {
        server = RedisServer.start();
        vertx = Vertx.vertx();
        String user = RedisServer.ADMIN;
        client = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://" + user + ":"
                + URLEncoder.encode(server.password(user), StandardCharsets.UTF_8) + "@127.0.0.1:" + server.port()));
        blocking = new BlockingRedisDataSourceImpl(new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client)),
                Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        try {
            if (client != null) {
                client.close();
            }
            if (vertx != null) {
                vertx.closeAndAwait();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void startWhenNothingAddedYetThenLoadedWithoutRedisErrorAndFollowsFirstEntry() throws InterruptedException {
        String prefix = "followed-test:" + UUID.randomUUID();
        String set = prefix + ":set";
        String stream = prefix + ":stream";
        List<String> streamed = new CopyOnWriteArrayList<>();
        server.command("CONFIG", "RESETSTAT");
        FollowedSet followed = new FollowedSet(blocking, vertx.getDelegate(), set, stream, () -> 0, 100,
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
            assertEquals("", server.command("INFO", "errorstats").replace("# Errorstats", "").strip());

            server.command("XADD", stream, "*", "m", "first");
            assertTrue(waitFor(() -> streamed.contains("first")), "the stream made after the load is followed");
        } finally {
            followed.stop();
        }
        assertEquals(0, failedCalls("xinfo"));
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
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
        Matcher m = Pattern.compile("cmdstat_" + command + "\\|stream:calls=\\d+,[^\\n]*failed_calls=(\\d+)")
                .matcher(server.command("INFO", "commandstats"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
