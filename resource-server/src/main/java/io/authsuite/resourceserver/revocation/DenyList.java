package io.authsuite.resourceserver.revocation;

import io.authsuite.redis.FollowedSet;
import io.authsuite.redis.KeyLayout;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
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
 * it was away is missed ({@link FollowedSet}). Entries are dropped once the tokens they cover have expired.
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

    private final boolean enabled;
    private final Timer feedLag;
    private final FollowedSet feed;

    public DenyList(RedisDataSource redis, KeyLayout layout,
                    @ConfigProperty(name = "authsuite.revocation.enabled", defaultValue = "true") boolean enabled,
                    MeterRegistry metrics, Vertx vertx) {
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
        this.feed = new FollowedSet(redis, vertx, denied, stream, () -> Instant.now().getEpochSecond(), Integer.MAX_VALUE,
                Duration.ofSeconds(60), "revocation-follower", new FollowedSet.Entries() {
                    @Override
                    public void fromSet(String member, double score) {
                        apply(member, (long) score);
                    }

                    @Override
                    public void fromStream(StreamMessage<String, String, String> m) {
                        apply(m.payload().get("entry"), Long.parseLong(m.payload().getOrDefault("until", "0")));
                        // A stream id starts with the publication's epoch millisecond.
                        long published = Long.parseLong(m.id().substring(0, m.id().indexOf('-')));
                        feedLag.record(Math.max(0, System.currentTimeMillis() - published), TimeUnit.MILLISECONDS);
                    }

                    @Override
                    public void purge() {
                        DenyList.this.purge(Instant.now().getEpochSecond());
                    }

                    @Override
                    public void loaded(int read) {
                        LOG.infof("Revocation list loaded: %d entries", size());
                    }

                    @Override
                    public void lost(RuntimeException cause) {
                        LOG.warnf("Revocation feed lost (%s); reloading when Redis is back", cause.getMessage());
                    }
                });
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            feed.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        feed.stop();
    }

    /**
     * True when the token must be refused. {@code clientId} is its {@code client_id}, or null; {@code chainClients}
     * the other clients an exchanged token stands on (its {@code origin_client_id} and every {@code act.sub}), whose
     * revocation ends it as well.
     */
    public boolean isDenied(String jti, String subject, long issuedAt, String kid, String clientId,
                            java.util.Collection<String> chainClients) {
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
        if (isClientCutOff(clientId, issuedAt, now)) {
            return true;
        }
        for (String client : chainClients) {
            if (isClientCutOff(client, issuedAt, now)) {
                return true;
            }
        }
        return false;
    }

    private boolean isClientCutOff(String clientId, long issuedAt, long now) {
        long[] byClient = clientId == null ? null : clients.get(clientId);
        return byClient != null && byClient[1] >= now && issuedAt <= byClient[0];
    }

    /** Whether the feed is live (for readiness). */
    public boolean isConnected() {
        return !enabled || feed.isLoaded();
    }

    public Instant lastSync() {
        return Instant.ofEpochMilli(feed.lastRead());
    }

    public int size() {
        return tokens.size() + keys.size() + subjects.size() + clients.size();
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
}
