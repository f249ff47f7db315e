package io.authsuite.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes that must survive a failover: after them, on the same connection, {@code WAIT} until
 * {@code authsuite.redis.durable-replicas} replicas hold them, at most {@code authsuite.redis.durable-timeout}.
 *
 * <p>Redis replicates asynchronously: a primary that dies right after answering takes its latest writes with it, and
 * the replica the Sentinels promote has never seen them. For a revocation or a consumed refresh token, that brings a
 * revoked token back to life. Waiting for one replica's acknowledgement closes that window (it is not a consensus:
 * a replica that acknowledged and then dies together with the primary still loses it). When no replica acknowledges in
 * time the write may or may not survive, so the caller must not report success: {@link NotReplicatedException}, which
 * {@link RedisFailures} classes as a passing outage (503 with Retry-After).
 *
 * <p>{@code WAIT} counts only the writes of its own connection, so the writes run on one connection borrowed from the
 * pool. They must therefore be single commands or Lua scripts: the data source's {@code withTransaction} takes a
 * connection of its own. With 0 replicas (the default, for a Redis without replicas) nothing waits.
 */
@Singleton
public class DurableWrites {

    private static final Logger LOG = Logger.getLogger(DurableWrites.class);

    private final int replicas;
    private final Duration timeout;

    DurableWrites(@ConfigProperty(name = "authsuite.redis.durable-replicas", defaultValue = "0") int replicas,
                  @ConfigProperty(name = "authsuite.redis.durable-timeout", defaultValue = "PT1S") Duration timeout,
                  KeyLayout layout) {
        if (replicas < 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("authsuite.redis.durable-replicas must be >= 0 and "
                    + "authsuite.redis.durable-timeout > 0");
        }
        if (replicas > 0 && layout.cluster()) {
            // The cluster client sends a keyless WAIT to any node, which would count another node's replicas: refuse
            // at start rather than acknowledge writes that no replica holds.
            throw new IllegalArgumentException("authsuite.redis.durable-replicas (REDIS_DURABLE_REPLICAS) is not "
                    + "supported with quarkus.redis.client-type=cluster; set it to 0");
        }
        this.replicas = replicas;
        this.timeout = timeout;
        if (replicas > 0) {
            LOG.infof("Durable writes wait for %d Redis replica(s), at most %d ms", replicas, timeout.toMillis());
        }
    }

    /** Runs {@code writes} and returns once enough replicas hold them; see the class comment. */
    public <T> T write(RedisDataSource redis, Function<RedisDataSource, T> writes) {
        return write(redis, writes, result -> true);
    }

    /**
     * {@link #write(RedisDataSource, Function)} that waits only when {@code mustSurvive} says so of the result: for a
     * script whose frequent outcomes may be lost (a device's poll that found it still pending) and whose rare one may
     * not (the poll that used the approval up).
     */
    public <T> T write(RedisDataSource redis, Function<RedisDataSource, T> writes, Predicate<T> mustSurvive) {
        if (replicas == 0) {
            return writes.apply(redis);
        }
        AtomicReference<T> result = new AtomicReference<>();
        redis.withConnection(connection -> {
            result.set(writes.apply(connection));
            if (!mustSurvive.test(result.get())) {
                return;
            }
            long acknowledged;
            try {
                acknowledged = connection.execute("WAIT", Integer.toString(replicas),
                        Long.toString(timeout.toMillis())).toLong();
            } catch (RuntimeException e) {
                // The write ran; whether it survives the new primary is not known.
                throw RedisFailures.isDemoted(e) ? new NotReplicatedException(0, replicas, timeout) : e;
            }
            if (acknowledged < replicas) {
                throw new NotReplicatedException(acknowledged, replicas, timeout);
            }
        });
        return result.get();
    }

    /** {@link #write(RedisDataSource, Function)} without blocking: for request paths that run on the event loop. */
    public <T> Uni<T> write(ReactiveRedisDataSource redis, Function<ReactiveRedisDataSource, Uni<T>> writes) {
        if (replicas == 0) {
            return writes.apply(redis);
        }
        AtomicReference<T> result = new AtomicReference<>();
        return redis.withConnection(connection -> writes.apply(connection)
                        .invoke(result::set)
                        .chain(() -> connection.execute("WAIT", Integer.toString(replicas),
                                Long.toString(timeout.toMillis())))
                        .onFailure(RedisFailures::isDemoted)
                        .transform(e -> new NotReplicatedException(0, replicas, timeout))
                        .invoke(reply -> {
                            if (reply.toLong() < replicas) {
                                throw new NotReplicatedException(reply.toLong(), replicas, timeout);
                            }
                        })
                        .replaceWithVoid())
                .map(done -> result.get());
    }

    /**
     * {@link #write(ReactiveRedisDataSource, Function)} on the event loop's shared connection when nothing waits
     * ({@link EventLoopRedis#pipelined}); {@code WAIT} would hold that connection, and every request's commands behind
     * it, until the replicas answer, so with replicas the writes take a connection of their own.
     */
    public <T> Uni<T> write(EventLoopRedis redis, Function<ReactiveRedisDataSource, Uni<T>> writes) {
        return replicas == 0 ? redis.pipelined(writes) : write(redis.current(), writes);
    }

    /** {@link #write} for writes without a result. */
    public void run(RedisDataSource redis, Consumer<RedisDataSource> writes) {
        write(redis, connection -> {
            writes.accept(connection);
            return null;
        });
    }

    public int replicas() {
        return replicas;
    }

    /** Fewer replicas than required acknowledged a write in time: it may be lost in a failover. */
    public static final class NotReplicatedException extends RuntimeException {
        NotReplicatedException(long acknowledged, int required, Duration timeout) {
            super(acknowledged + " of " + required + " Redis replica(s) acknowledged the write within "
                    + timeout.toMillis() + " ms", null, false, false);
        }
    }
}
