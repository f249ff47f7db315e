package io.authsuite.auth.clients;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.redis.BackgroundThreads;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Token requests per client per minute, across every replica, without a Redis round trip on the request path:
 * each replica counts locally and adds its count to the fleet's counter in Redis every
 * {@code auth.limits.rate-sync-interval}, learning the fleet's total in the same call. A request is refused (429)
 * once the fleet's last known total plus this replica's unsent count reaches the limit.
 *
 * <p>Exact within one replica; across N replicas a client can exceed its limit by at most what the other replicas
 * accept in one sync interval. Windows are wall-clock minutes.
 *
 * <p>A public client is counted per source address (an IPv6 /64): it authenticates with its {@code client_id} alone,
 * which anyone can send, so one budget for the whole client would let a stranger spend it for every user of the app.
 */
@ApplicationScoped
public class ClientRates {

    private static final Logger LOG = Logger.getLogger(ClientRates.class);
    private static final String KEY = "auth:client-rate:";

    /** KEYS[1] the client's counter for one minute; ARGV[1] what this replica adds. Returns the fleet's total. */
    private static final LuaScript ADD = new LuaScript("""
            local n = redis.call('INCRBY', KEYS[1], tonumber(ARGV[1]))
            if n == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], 120) end
            return n
            """);

    /** One client's current minute on this replica. */
    private static final class Window {
        final long minute;
        final LongAdder unsent = new LongAdder();
        /** Counted here and on its way to Redis: still ours until the fleet's total that includes it is known. */
        final AtomicLong sending = new AtomicLong();
        volatile long fleet;

        long known() {
            return fleet + sending.get() + unsent.sum();
        }

        Window(long minute) {
            this.minute = minute;
        }
    }

    private final RedisDataSource redis;
    private final AuthConfig.Limits limits;
    private final Clock clock;
    private final Vertx vertx;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public ClientRates(RedisDataSource redis, AuthConfig config, Vertx vertx) {
        this.redis = redis;
        this.vertx = vertx;
        this.limits = config.limits();
        this.clock = Clock.systemUTC();
    }

    /**
     * Counts a token request of an authenticated client, sent from {@code source} ({@code Addresses.source}); 429
     * beyond its rate.
     */
    public void count(RegisteredClient client, String source) {
        int limit = client.tokenRequestsPerMinute().orElse(limits.tokenRequestsPerMinute());
        // RFC 6749 §10.2: a public client's identity proves nothing, so its budget cannot be the client's alone.
        String counted = client.isPublic() ? client.id() + "@" + source : client.id();
        long now = clock.millis();
        long minute = now / 60_000;
        Window window = windows.get(counted);
        if (window == null || window.minute != minute) {
            // A new minute: what the last one did not send no longer counts.
            window = windows.compute(counted, (id, w) -> w != null && w.minute == minute ? w : new Window(minute));
        }
        if (window.known() >= limit) {
            // Refused until the window ends.
            throw ClientThrottle.tooMany((minute + 1) * 60_000 - now, client.isPublic()
                    ? "too many token requests for this client from this address" : "too many token requests for this client");
        }
        window.unsent.increment();
    }

    /** Quarkus' scheduler runs nothing more often than once a second; the sync needs a finer clock. */
    private ScheduledExecutorService syncer;

    void start(@Observes StartupEvent event) {
        syncer = BackgroundThreads.scheduler(vertx, "client-rates-sync");
        long every = Math.max(10, limits.rateSyncInterval().toMillis());
        syncer.scheduleWithFixedDelay(this::sync, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (syncer != null) {
            syncer.shutdownNow();
        }
    }

    void sync() {
        long minute = clock.millis() / 60_000;
        windows.forEach((clientId, window) -> {
            if (window.minute < minute) {
                windows.remove(clientId, window);
                return;
            }
            long unsent = window.unsent.sum();
            if (unsent == 0) {
                return;
            }
            // Each step adds before it subtracts: a concurrent check may count a request twice for an instant,
            // never zero times, so one replica never lets more through than its limit.
            window.sending.addAndGet(unsent);
            window.unsent.add(-unsent);
            try {
                window.fleet = ADD.run(redis, List.of(KEY + clientId + ":" + window.minute), List.of(Long.toString(unsent)))
                        .toLong();
            } catch (RuntimeException e) {
                // Redis is away: keep the count, so it is sent (and counted here) on the next sync.
                window.unsent.add(unsent);
                LOG.debugf(e, "cannot sync the token rate of %s", clientId);
            }
            window.sending.addAndGet(-unsent);
        });
    }
}
