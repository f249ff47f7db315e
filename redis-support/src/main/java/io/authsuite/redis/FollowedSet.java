package io.authsuite.redis;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.redis.datasource.sortedset.ZRangeArgs;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XReadArgs;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Keeps a replica's copy of a set that every replica must know: a sorted set of the live entries, scored by when each
 * stops mattering, and a stream of the entries as they are added (whoever adds one writes both in one script).
 *
 * <p>A thread of its own reads the stream with blocking reads, so an addition is seen within milliseconds, and
 * whenever it (re)connects it first loads the whole set, taking the stream's position before reading the set: an entry
 * added meanwhile is then read twice, never missed. Used for the revocations the resource services refuse and for the
 * addresses auth-service's throttle watches.
 */
public final class FollowedSet {

    /** What the follower hands over; called on its thread. */
    public interface Entries {
        /** A live entry of the set, read when the follower (re)connects. */
        void fromSet(String member, double score);

        /** An entry added since, from the stream. */
        void fromStream(StreamMessage<String, String, String> message);

        /** Drops what no longer matters; called every {@code purgeEvery}. */
        void purge();

        /** The set is loaded and followed (again), with {@code size} entries read. */
        default void loaded(int size) {
        }

        /** The connection failed; the set is no longer followed until it is loaded again. */
        default void lost(RuntimeException cause) {
        }
    }

    private final RedisDataSource redis;
    private final Vertx vertx;
    private final String set;
    private final String stream;
    private final DoubleSupplier liveFrom;
    private final int limit;
    private final long purgeEveryMillis;
    private final String name;
    private final Entries entries;
    private volatile boolean loaded;
    private volatile long lastRead;
    private volatile boolean running;
    private Thread follower;

    /**
     * @param liveFrom the lowest score still live (now, in the set's unit)
     * @param limit    the most entries of the set loaded at once
     */
    public FollowedSet(RedisDataSource redis, Vertx vertx, String set, String stream, DoubleSupplier liveFrom,
                       int limit, Duration purgeEvery, String name, Entries entries) {
        this.redis = redis;
        this.vertx = vertx;
        this.set = set;
        this.stream = stream;
        this.liveFrom = liveFrom;
        this.limit = limit;
        this.purgeEveryMillis = purgeEvery.toMillis();
        this.name = name;
        this.entries = entries;
    }

    public void start() {
        running = true;
        follower = BackgroundThreads.start(vertx, name, this::follow);
    }

    public void stop() {
        running = false;
        if (follower != null) {
            follower.interrupt();
        }
    }

    /** Whether the set is loaded and followed now. */
    public boolean isLoaded() {
        return loaded;
    }

    /** When the stream last answered (epoch ms): a blocking read returns at least every two seconds. */
    public long lastRead() {
        return lastRead;
    }

    private void follow() {
        String position = null;
        long lastPurge = System.currentTimeMillis();
        while (running) {
            try {
                if (position == null) {
                    position = load();
                    lastRead = System.currentTimeMillis();
                    loaded = true;
                }
                List<StreamMessage<String, String, String>> messages = redis.stream(String.class)
                        .xread(stream, position, new XReadArgs().block(Duration.ofSeconds(2)).count(500));
                for (StreamMessage<String, String, String> m : messages) {
                    entries.fromStream(m);
                    position = m.id();
                }
                long now = System.currentTimeMillis();
                lastRead = now;
                if (now - lastPurge >= purgeEveryMillis) {
                    entries.purge();
                    lastPurge = now;
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (loaded) {
                    entries.lost(e);
                }
                loaded = false;
                position = null;
                pause();
            }
        }
    }

    /** Loads every live entry; returns the stream position to follow from. */
    private String load() {
        List<StreamMessage<String, String, String>> last = redis.stream(String.class)
                .xrevrange(stream, StreamRange.of("+", "-"), 1);
        String position = last.isEmpty() ? "0-0" : last.get(0).id();
        List<ScoredValue<String>> live = redis.sortedSet(String.class).zrangebyscoreWithScores(set,
                ScoreRange.from(liveFrom.getAsDouble(), Double.POSITIVE_INFINITY), new ZRangeArgs().limit(0, limit));
        for (ScoredValue<String> v : live) {
            entries.fromSet(v.value(), v.score());
        }
        entries.loaded(live.size());
        return position;
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
