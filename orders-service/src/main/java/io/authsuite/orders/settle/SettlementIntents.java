package io.authsuite.orders.settle;

import io.authsuite.redis.DurableWrites;
import io.authsuite.redis.KeyLayout;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * The cancellations, fulfilments and deletions under way, in one Redis hash ({@code orders:settling}: order id to
 * intent). Each of them writes twice, to two stores: inventory-service (the stock) and then this service's Redis (the
 * order). An intent is recorded before the first write and removed after the second, so that a process that dies
 * between them, or a Redis that refuses the second, leaves a record that {@link SettlementRepairs} finishes, instead
 * of an order still {@code placed} whose stock was already given back or shipped. One change of an order at a time:
 * the first recorded finishes before another may begin.
 */
@ApplicationScoped
public class SettlementIntents {

    private static final Logger LOG = Logger.getLogger(SettlementIntents.class);

    /** What was asked for: the order's status at the end, or its removal. */
    public enum Target {
        CANCELLED("cancellation"), FULFILLED("fulfilment"), DELETED("deletion");

        private final String noun;

        Target(String noun) {
            this.noun = noun;
        }

        /** What the request is called in logs and problem details. */
        public String noun() {
            return noun;
        }
    }

    /**
     * One recorded intent. {@code value} is the hash field's value as stored ({@code target|since ms|nonce}): the
     * nonce tells this request's intent from a later one for the same order, which {@link #end} must not remove.
     */
    public record Intent(String orderId, Target target, Instant since, String value) {
    }

    /** Another change of the order is recorded and not finished yet: it goes first. */
    public static final class InProgress extends RuntimeException {
        InProgress(Intent recorded) {
            super("the " + recorded.target().noun() + " of order " + recorded.orderId() + " is not finished yet", null,
                    false, false);
        }
    }

    /**
     * KEYS[1] the hash; ARGV[1] an order id, ARGV[2] a new intent. Records it unless one is there; returns the one
     * kept. One already there is written again, unchanged: WAIT counts only its own connection's writes, and a retry
     * on another connection must not pass it while no replica holds the record of the first attempt.
     */
    private static final LuaScript BEGIN = new LuaScript("""
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if current then
              redis.call('HSET', KEYS[1], ARGV[1], current)
              return current
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            return ARGV[2]
            """);

    /** KEYS[1] the hash; ARGV[1] an order id, ARGV[2] its intent's value: removed only while it is still that one. */
    private static final LuaScript END = new LuaScript("""
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
            return 0
            """);

    private final RedisDataSource redis;
    private final DurableWrites durable;
    private final String key;

    public SettlementIntents(RedisDataSource redis, DurableWrites durable, KeyLayout layout) {
        this.redis = redis;
        this.durable = durable;
        this.key = layout.group("orders:", "orders") + "settling";
    }

    /**
     * Records the intent before its first write; fails (nothing done yet) when Redis cannot take it. An unfinished
     * change of the order that is already recorded keeps its place: the same change asked again (a retry) carries it
     * on, and a different one fails with {@link InProgress}, so that a change a client was told will complete is never
     * dropped for a later one.
     *
     * <p>The record waits for the replicas (DurableWrites) before anything else is written: it is what a 503 that says
     * "recorded, completes in the background" stands on, and a failover that lost it would leave that change undone
     * for good, with its stock perhaps already moved at inventory-service.
     */
    public Intent begin(String orderId, Target target) {
        Instant now = Instant.now();
        String value = target.name() + "|" + now.toEpochMilli() + "|"
                + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Intent recorded = durable.write(redis, connection -> {
            Intent kept = parse(orderId, BEGIN.run(connection, List.of(key), List.of(orderId, value)).toString());
            if (kept == null) {
                // An unreadable record cannot be finished by anyone: this change takes its place.
                connection.hash(String.class).hset(key, orderId, value);
            }
            return kept;
        });
        if (recorded == null) {
            return new Intent(orderId, target, now, value);
        }
        if (recorded.target() != target) {
            throw new InProgress(recorded);
        }
        return recorded;
    }

    /**
     * Removes a finished intent. Best effort: an intent left behind is finished again by {@link SettlementRepairs},
     * and every step of it is idempotent, so that costs a few calls and changes nothing.
     */
    public void end(Intent intent) {
        try {
            END.run(redis, List.of(key), List.of(intent.orderId(), intent.value()));
        } catch (RuntimeException e) {
            LOG.debugf("The finished intent for order %s stays recorded (%s); the repair job removes it",
                    intent.orderId(), e.getMessage());
        }
    }

    /** The intents recorded before {@code cutoff}, oldest first; an unreadable entry is dropped with a warning. */
    public List<Intent> recordedBefore(Instant cutoff) {
        List<Intent> found = new ArrayList<>();
        for (Map.Entry<String, String> entry : redis.hash(String.class).hgetall(key).entrySet()) {
            Intent intent = parse(entry.getKey(), entry.getValue());
            if (intent == null) {
                LOG.warnf("Dropping an unreadable settlement intent for order %s: %s", entry.getKey(), entry.getValue());
                end(new Intent(entry.getKey(), null, Instant.EPOCH, entry.getValue()));
            } else if (intent.since().isBefore(cutoff)) {
                found.add(intent);
            }
        }
        found.sort(java.util.Comparator.comparing(Intent::since));
        return found;
    }

    /** How many intents are recorded, finished or not: a gauge for readiness details. */
    public long size() {
        return redis.hash(String.class).hlen(key);
    }

    private static Intent parse(String orderId, String value) {
        String[] parts = value == null ? new String[0] : value.split("\\|", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            return new Intent(orderId, Target.valueOf(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1])), value);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}
