package io.authsuite.resourceserver.revocation;

import io.authsuite.redis.KeyLayout;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XReadArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The revoked access tokens this resource service refuses, kept in memory so that the request path makes no call
 * to Redis or auth-service.
 *
 * <p>auth-service appends every revocation to the Redis stream {@code auth:revocations} and keeps the live ones in
 * the sorted set {@code auth:denied} (on Redis Cluster both carry one hash tag: {@link KeyLayout#denied()}). A background thread follows the stream (blocking reads, so a revocation is
 * seen within milliseconds) and, whenever it (re)connects, reloads the whole set first, so nothing published while
 * it was away is missed. Entries are dropped once the tokens they cover have expired.
 */
@ApplicationScoped
public class DenyList {

    private static final Logger LOG = Logger.getLogger(DenyList.class);
    private final String denied;
    private final String stream;

    /** entry → epoch second after which it no longer matters. */
    private final Map<String, Long> tokens = new ConcurrentHashMap<>();
    private final Map<String, Long> keys = new ConcurrentHashMap<>();
    /** subject → latest revocation moment (tokens issued at or before it are refused), with its expiry. */
    private final Map<String, long[]> subjects = new ConcurrentHashMap<>();
    /** client id → the same, for a disabled or deleted client. */
    private final Map<String, long[]> clients = new ConcurrentHashMap<>();

    private final RedisDataSource redis;
    private final boolean enabled;
    private final Timer feedLag;
    private volatile boolean connected;
    private volatile Instant lastSync = Instant.EPOCH;
    private volatile boolean running;
    private Thread follower;

    public DenyList(RedisDataSource redis, KeyLayout layout,
                    @ConfigProperty(name = "authsuite.revocation.enabled", defaultValue = "true") boolean enabled,
                    MeterRegistry metrics) {
        this.redis = redis;
        Gauge.builder("authsuite.revocation.denylist.size", this, DenyList::size)
                .description("Entries in the in-memory deny list (tokens, subjects, clients, keys)")
                .register(metrics);
        this.feedLag = Timer.builder("authsuite.revocation.feed.lag")
                .description("From a revocation's publication (its stream id) to this service applying it")
                .publishPercentiles(0.5, 0.99)
                .register(metrics);
        this.denied = layout.denied();
        this.stream = layout.revocationStream();
        this.enabled = enabled;
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        running = true;
        follower = Thread.ofPlatform().daemon().name("revocation-follower").start(this::follow);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (follower != null) {
            follower.interrupt();
        }
    }

    /** True when the token must be refused. */
    public boolean isDenied(String jti, String subject, long issuedAt, String kid) {
        return isDenied(jti, subject, issuedAt, kid, null);
    }

    /** True when the token must be refused; {@code clientId} is its {@code client_id}, or null. */
    public boolean isDenied(String jti, String subject, long issuedAt, String kid, String clientId) {
        long now = Instant.now().getEpochSecond();
        Long until = jti == null ? null : tokens.get(jti);
        if (until != null && until >= now) {
            return true;
        }
        Long keyUntil = kid == null ? null : keys.get(kid);
        if (keyUntil != null && keyUntil >= now) {
            return true;
        }
        long[] bySubject = subject == null ? null : subjects.get(subject);
        if (bySubject != null && bySubject[1] >= now && issuedAt <= bySubject[0]) {
            return true;
        }
        long[] byClient = clientId == null ? null : clients.get(clientId);
        return byClient != null && byClient[1] >= now && issuedAt <= byClient[0];
    }

    /** Whether the feed is live (for readiness). */
    public boolean isConnected() {
        return !enabled || connected;
    }

    public Instant lastSync() {
        return lastSync;
    }

    public int size() {
        return tokens.size() + keys.size() + subjects.size() + clients.size();
    }

    private void follow() {
        String lastId = null;
        long lastPurge = 0;
        while (running) {
            try {
                if (lastId == null) {
                    lastId = reload();
                    connected = true;
                    LOG.infof("Revocation list loaded: %d entries", size());
                }
                List<StreamMessage<String, String, String>> messages = redis.stream(String.class)
                        .xread(stream, lastId, new XReadArgs().block(Duration.ofSeconds(2)).count(500));
                for (StreamMessage<String, String, String> m : messages) {
                    apply(m.payload().get("entry"), Long.parseLong(m.payload().getOrDefault("until", "0")));
                    lastId = m.id();
                    // A stream id starts with the publication's epoch millisecond.
                    long published = Long.parseLong(m.id().substring(0, m.id().indexOf('-')));
                    feedLag.record(Math.max(0, System.currentTimeMillis() - published), TimeUnit.MILLISECONDS);
                }
                lastSync = Instant.now();
                long now = lastSync.getEpochSecond();
                if (now - lastPurge > 60) {
                    purge(now);
                    lastPurge = now;
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (connected) {
                    LOG.warnf("Revocation feed lost (%s); reloading when Redis is back", e.getMessage());
                }
                connected = false;
                lastId = null;
                sleep(500);
            }
        }
    }

    /** Loads every live entry; returns the stream position to follow from. */
    private String reload() {
        // Position first: entries added while the set is read are then read again from the stream (harmless).
        List<StreamMessage<String, String, String>> last = redis.stream(String.class)
                .xrevrange(stream, StreamRange.of("+", "-"), 1);
        String position = last.isEmpty() ? "0-0" : last.get(0).id();
        long now = Instant.now().getEpochSecond();
        List<ScoredValue<String>> live = redis.sortedSet(String.class)
                .zrangebyscoreWithScores(denied, ScoreRange.from((double) now, Double.POSITIVE_INFINITY));
        for (ScoredValue<String> v : live) {
            apply(v.value(), (long) v.score());
        }
        return position;
    }

    void apply(String entry, long until) {
        if (entry == null) {
            return;
        }
        if (entry.startsWith("jti:")) {
            tokens.merge(entry.substring(4), until, Math::max);
        } else if (entry.startsWith("kid:")) {
            keys.merge(entry.substring(4), until, Math::max);
        } else if (entry.startsWith("sub:")) {
            cutOff(subjects, entry.substring(4), until);
        } else if (entry.startsWith("client:")) {
            cutOff(clients, entry.substring(7), until);
        }
    }

    /** {@code <name>:<epoch second>}: every token of that name issued up to that moment. */
    private static void cutOff(Map<String, long[]> into, String nameAndMoment, long until) {
        int at = nameAndMoment.lastIndexOf(':');
        if (at > 0) {
            long moment = Long.parseLong(nameAndMoment.substring(at + 1));
            into.merge(nameAndMoment.substring(0, at), new long[] {moment, until},
                    (a, b) -> new long[] {Math.max(a[0], b[0]), Math.max(a[1], b[1])});
        }
    }

    private void purge(long now) {
        tokens.values().removeIf(until -> until < now);
        keys.values().removeIf(until -> until < now);
        subjects.values().removeIf(v -> v[1] < now);
        clients.values().removeIf(v -> v[1] < now);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
