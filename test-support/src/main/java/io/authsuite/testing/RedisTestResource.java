package io.authsuite.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts one real redis-server for a Quarkus test run and points {@code quarkus.redis.hosts} at it.
 *
 * <p>With {@code REDIS_URL} set, that Redis is used instead and nothing is started.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile RedisServer server;
    private String url;

    @Override
    public Map<String, String> start() {
        String external = System.getenv("REDIS_URL");
        if (external != null && !external.isBlank()) {
            url = external;
        } else {
            synchronized (RedisTestResource.class) {
                if (server == null) {
                    server = RedisServer.start();
                    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                }
                url = server.url();
            }
        }
        return Map.of("quarkus.redis.hosts", url);
    }

    /** The server this resource started, for tests that inspect Redis directly; null with an external Redis. */
    public static RedisServer server() {
        return server;
    }

    @Override
    public void stop() {
        // The server lives as long as the test JVM: Quarkus restarts between test profiles would otherwise lose data.
    }
}
