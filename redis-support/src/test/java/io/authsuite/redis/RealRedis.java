package io.authsuite.redis;

import io.authsuite.testing.RedisServer;
import io.quarkus.redis.runtime.datasource.BlockingRedisDataSourceImpl;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real redis-server and the two data sources a service builds on it (as the operator, {@code default}), for the
 * tests of this module, which run without Quarkus: {@code @RegisterExtension static final RealRedis redis}.
 */
final class RealRedis implements BeforeAllCallback, AfterAllCallback {

    RedisServer server;
    Vertx vertx;
    ReactiveRedisDataSourceImpl reactive;
    BlockingRedisDataSourceImpl blocking;
    private Redis client;

    /** The number {@code pattern} captures in {@code INFO section}, or 0: Redis' own count of what it was sent. */
    long stat(String section, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(server.command("INFO", section));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServer.start();
        vertx = Vertx.vertx();
        String user = RedisServer.ADMIN;
        client = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://" + user + ":"
                + URLEncoder.encode(server.password(user), StandardCharsets.UTF_8) + "@127.0.0.1:" + server.port()));
        reactive = new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client));
        blocking = new BlockingRedisDataSourceImpl(reactive, Duration.ofSeconds(5));
    }

    @Override
    public void afterAll(ExtensionContext context) {
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
}
