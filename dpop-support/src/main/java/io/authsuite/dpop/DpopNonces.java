package io.authsuite.dpop;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Server-provided DPoP nonces (RFC 9449 §8, §9): one random nonce per period, the same on every replica, so a client
 * may take a nonce from one replica to the next. The nonce of a period is created by whichever replica needs it first
 * ({@code SET NX} under {@code <service prefix>dpop-nonce:<period>}) and cached in memory for the period. A proof
 * passes with the current nonce or the previous one, so a nonce lives between one and two periods and a client that
 * got one just before the turn is not refused.
 */
@ApplicationScoped
public class DpopNonces {

    private final ReactiveRedisDataSource redis;
    private final String prefix;
    private final long periodMillis;
    private final Clock clock;
    // Not static: a SecureRandom in a static field would be seeded at image build time in a native executable.
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentMap<Long, String> byPeriod = new ConcurrentHashMap<>();

    @Inject
    public DpopNonces(ReactiveRedisDataSource redis,
                      @ConfigProperty(name = "authsuite.dpop.key-prefix") String servicePrefix,
                      @ConfigProperty(name = "authsuite.dpop.nonce-period", defaultValue = "PT5M") Duration period) {
        this(redis, servicePrefix, period, Clock.systemUTC());
    }

    /** With a clock of the caller's: the tests turn it to cross periods. */
    public DpopNonces(ReactiveRedisDataSource redis, String servicePrefix, Duration period, Clock clock) {
        if (period.toMillis() < 1000) {
            throw new IllegalArgumentException("authsuite.dpop.nonce-period must be at least one second");
        }
        this.redis = redis;
        this.prefix = servicePrefix + "dpop-nonce:";
        this.periodMillis = period.toMillis();
        this.clock = clock;
    }

    /** The nonce a client should use now: what {@code DPoP-Nonce} carries. */
    public Uni<String> current() {
        return ofPeriod(clock.millis() / periodMillis);
    }

    /** Whether {@code nonce} is the current nonce or the previous one. */
    public Uni<Boolean> accepts(String nonce) {
        if (nonce == null || nonce.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        long period = clock.millis() / periodMillis;
        return ofPeriod(period).chain(current -> same(current, nonce)
                ? Uni.createFrom().item(true)
                : ofPeriod(period - 1).map(previous -> same(previous, nonce)));
    }

    private Uni<String> ofPeriod(long period) {
        String cached = byPeriod.get(period);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String candidate = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        // Kept in Redis for three periods: as long as any replica may still accept it (two), and a little more.
        return redis.value(String.class)
                .setGet(prefix + period, candidate, new SetArgs().nx().px(3 * periodMillis))
                .map(existing -> {
                    String nonce = existing == null ? candidate : existing;
                    byPeriod.put(period, nonce);
                    byPeriod.keySet().removeIf(p -> p < period - 1);
                    return nonce;
                });
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
