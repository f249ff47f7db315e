package io.authsuite.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts one real redis-server for a Quarkus test run and connects the service under test to it as the Redis user
 * named by the init argument {@code user} (a user of {@code redis/users.acl}, as in production), so the tests run
 * within that user's rights.
 *
 * <p>With {@code REDIS_URL} set, that Redis is used instead (as whatever user its URL names) and nothing is started.
 * With {@code AUTHSUITE_REDIS_CLUSTER=1} the server runs in cluster mode, holding every slot, and the service connects
 * as to a Redis Cluster ({@code make test-cluster}): any script or transaction whose keys span hash slots fails.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile RedisServer server;
    private String user = RedisServer.ADMIN;

    @Override
    public void init(Map<String, String> initArgs) {
        user = initArgs.getOrDefault("user", RedisServer.ADMIN);
    }

    @Override
    public Map<String, String> start() {
        String external = System.getenv("REDIS_URL");
        if (external != null && !external.isBlank()) {
            return Map.of("quarkus.redis.hosts", external);
        }
        synchronized (RedisTestResource.class) {
            if (server == null) {
                server = "1".equals(System.getenv("AUTHSUITE_REDIS_CLUSTER"))
                        ? RedisServer.startOneNodeCluster() : RedisServer.start();
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            }
            return server.clientConfig(user);
        }
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
