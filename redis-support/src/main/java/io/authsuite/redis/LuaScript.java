package io.authsuite.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run atomically by Redis: sent once ({@code EVAL}), then called by its SHA-1 ({@code EVALSHA}), falling
 * back to {@code EVAL} when the server does not have it (after a restart or failover).
 */
public final class LuaScript {

    private final String source;
    private final String sha;
    /**
     * Whether Redis ran the script for this process yet. Until then the script goes out whole: an {@code EVALSHA}
     * first would draw a NOSCRIPT error at every start of every replica, counted by Redis' errorstats and by the
     * client's {@code redis_commands_failure_total}, where an operator reads real failures. Per process, not per
     * server: after a restart or failover one NOSCRIPT still comes back, and the fallback sends the source again.
     */
    private volatile boolean sent;

    public LuaScript(String source) {
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Response run(RedisDataSource redis, List<String> keys, List<String> args) {
        if (!sent) {
            Response response = redis.execute("EVAL", arguments(source, keys, args));
            sent = true;
            return response;
        }
        try {
            return redis.execute("EVALSHA", arguments(sha, keys, args));
        } catch (RuntimeException e) {
            if (!isNoScript(e)) {
                throw e;
            }
            return redis.execute("EVAL", arguments(source, keys, args));
        }
    }

    /** {@link #run(RedisDataSource, List, List)} without blocking: for request paths that run on the event loop. */
    public Uni<Response> run(ReactiveRedisDataSource redis, List<String> keys, List<String> args) {
        if (!sent) {
            return redis.execute("EVAL", arguments(source, keys, args)).invoke(() -> sent = true);
        }
        return redis.execute("EVALSHA", arguments(sha, keys, args))
                .onFailure(LuaScript::isNoScript)
                .recoverWithUni(() -> redis.execute("EVAL", arguments(source, keys, args)));
    }

    /** The server does not know the script (a restart or failover emptied its script cache). */
    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
    }

    private static String[] arguments(String script, List<String> keys, List<String> args) {
        List<String> all = new ArrayList<>(2 + keys.size() + args.size());
        all.add(script);
        all.add(Integer.toString(keys.size()));
        all.addAll(keys);
        all.addAll(args);
        return all.toArray(String[]::new);
    }
}
