package io.authsuite.auth.clients;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.redis.EventLoopRedis;
import io.authsuite.redis.FollowedSet;
import io.authsuite.redis.KeyLayout;
import io.authsuite.redis.LuaScript;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The source addresses with a recent failed client authentication, known to every replica, so that the right secret
 * from any other address settles the {@link ClientThrottle} without a Redis round trip.
 *
 * <p>The throttle can refuse a caller that presents the right secret only while it backs off or while its address is
 * over its limit, and both need failures from that address within {@code auth.limits.window} (a backoff lasts at most
 * {@code client-auth-max-backoff}). Each failure therefore adds its address to a sorted set, scored by when it stops
 * mattering, and to a stream, in one script. A thread follows the stream with blocking reads (within milliseconds of
 * the failure, as the resource services follow revocations) and reloads the set whenever it (re)connects
 * ({@link FollowedSet}). Until it has loaded the set, whenever the feed is lost or late, and while more than
 * {@value #MAX_WATCHED} addresses are watched, every authentication consults Redis, as it did before.
 */
@ApplicationScoped
public class FailureWatch {

    private static final Logger LOG = Logger.getLogger(FailureWatch.class);
    /** Beyond this many watched addresses (an attack from a whole network) nothing is decided locally. */
    static final int MAX_WATCHED = 100_000;
    /**
     * A feed read blocks for 2 s at most: silence beyond this means Redis stopped answering. Until then a right secret
     * from a clean address is still served while a wrong one waits for Redis and gets 503: the window in which a
     * stalled Redis tells a guess from the right secret, so it is kept short.
     */
    private static final long LATE_MILLIS = 2_500;
    /** Replicas' clocks differ a little; an address stays watched this much longer. */
    private static final long SKEW_MILLIS = 2_000;

    /**
     * KEYS[1] watched addresses by expiry (ms), KEYS[2] the feed. ARGV[1] the expiry, ARGV[2] the address, ARGV[3]
     * now (ms), ARGV[4] the feed's length.
     */
    private static final LuaScript MARK = new LuaScript("""
            redis.call('ZADD', KEYS[1], 'GT', ARGV[1], ARGV[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
            redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'a', ARGV[2], 'u', ARGV[1])
            return 1
            """);

    private final EventLoopRedis reactive;
    private final String watched;
    private final String feed;
    private final long relevanceMillis;
    /** address → epoch millisecond until which a failure from it may still refuse a right secret. */
    private final Map<String, Long> addresses = new ConcurrentHashMap<>();
    private final FollowedSet follower;

    public FailureWatch(RedisDataSource redis, EventLoopRedis reactive, KeyLayout layout, AuthConfig config,
                        MeterRegistry metrics, Vertx vertx) {
        this.reactive = reactive;
        String group = layout.group("auth:", "client-auth-watch");
        this.watched = group + "client-auth-watched";
        this.feed = group + "client-auth-failures";
        AuthConfig.Limits limits = config.limits();
        this.relevanceMillis = Math.max(limits.window().toMillis(), limits.clientAuthMaxBackoff().toMillis())
                + SKEW_MILLIS;
        this.follower = new FollowedSet(redis, vertx, watched, feed, System::currentTimeMillis, MAX_WATCHED,
                Duration.ofSeconds(10), "client-auth-watch", new FollowedSet.Entries() {
                    @Override
                    public void fromSet(String address, double until) {
                        addresses.merge(address, (long) until, Math::max);
                    }

                    @Override
                    public void fromStream(StreamMessage<String, String, String> m) {
                        apply(m.payload().get("a"), m.payload().get("u"));
                    }

                    @Override
                    public void purge() {
                        long now = System.currentTimeMillis();
                        addresses.values().removeIf(until -> until < now);
                    }

                    @Override
                    public void lost(RuntimeException cause) {
                        LOG.warnf("Client-authentication failures of other replicas no longer followed (%s); every"
                                + " client authentication consults Redis until the feed is back", cause.getMessage());
                    }
                });
        Gauge.builder("authsuite.client.auth.watched.addresses", addresses, Map::size)
                .description("Source addresses with a recent failed client authentication (a right secret from"
                        + " them consults Redis)")
                .register(metrics);
        Gauge.builder("authsuite.client.auth.watch.live", this, w -> w.isLive() ? 1 : 0)
                .description("1 while this replica follows the failures of every replica (0: every client"
                        + " authentication consults Redis)")
                .register(metrics);
    }

    void start(@Observes StartupEvent event) {
        follower.start();
    }

    void stop(@Observes ShutdownEvent event) {
        follower.stop();
    }

    /** True when nothing can have put a caller at {@code address} under the throttle: no round trip is needed. */
    public boolean isClear(String address) {
        if (!isLive() || addresses.size() >= MAX_WATCHED) {
            return false;
        }
        Long until = addresses.get(address);
        return until == null || until < System.currentTimeMillis();
    }

    /** Whether the feed is followed and current. */
    public boolean isLive() {
        return follower.isLoaded() && System.currentTimeMillis() - follower.lastRead() < LATE_MILLIS;
    }

    /** Records a failure from {@code address}: here at once, at every other replica through Redis. */
    public Uni<Void> failed(String address) {
        long now = System.currentTimeMillis();
        long until = now + relevanceMillis;
        addresses.merge(address, until, Math::max);
        return MARK.run(reactive.current(), List.of(watched, feed), List.of(Long.toString(until), address, Long.toString(now),
                        Integer.toString(MAX_WATCHED)))
                .replaceWithVoid();
    }

    private void apply(String address, String until) {
        if (address != null && until != null) {
            try {
                addresses.merge(address, Long.parseLong(until), Math::max);
            } catch (NumberFormatException e) {
                // Not written by this code: the address is watched for the whole relevance period instead.
                addresses.merge(address, System.currentTimeMillis() + relevanceMillis, Math::max);
            }
        }
    }
}
