package io.authsuite.redis;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.redis.datasource.sortedset.ZRangeArgs;
import io.quarkus.redis.datasource.stream.StreamMessage;
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
                        .xread(stream, position, new XReadArgs().block(Duration.ofSeconds(2)).count(BATCH));
                if (messages.size() == BATCH && trimmedUnread()) {
                    // The writers cap the stream (XADD MAXLEN): this follower fell so far behind that entries after
                    // its position were trimmed unread. Only the set still has them, so it is loaded again.
                    position = null;
                    continue;
                }
                for (StreamMessage<String, String, String> m : messages) {
                    entries.fromStream(m);
                    position = m.id();
                    seen++;
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

    private static final int BATCH = 500;

    /**
     * The stream's last id, how many entries were ever added to it, and how many it holds now, from one XINFO reply
     * (one instant). Entries leave only by trimming (nothing deletes one), so the first one it holds is the
     * {@code added - length + 1}-th ever added. XINFO itself, not a script: the resource services may only read the
     * stream, and Redis counts a script's keys as written.
     */
    private record State(String lastId, long added, long length) {
    }

    private static final State NOTHING_ADDED = new State("0-0", 0, 0);

    private State state() {
        // Until the first entry is added there is no stream (a new deployment), and XINFO on it is an error that
        // Redis' errorstats and every replica's redis_commands_failure_total would count at each start. Nothing
        // deletes the stream, so one created between the two commands is read from its start ("0-0") all the same.
        if (!redis.key(String.class).exists(stream)) {
            return NOTHING_ADDED;
        }
        io.vertx.mutiny.redis.client.Response info = redis.execute("XINFO", "STREAM", stream);
        String added = field(info, "entries-added");
        return new State(field(info, "last-generated-id"), added == null ? -1 : Long.parseLong(added),
                Long.parseLong(field(info, "length")));
    }

    /** A field of an XINFO reply: a map (RESP3) or a flat list of names and values (RESP2). */
    private static String field(io.vertx.mutiny.redis.client.Response info, String name) {
        if (info.type() == io.vertx.redis.client.ResponseType.MULTI && info.getDelegate().containsKey(name)) {
            return info.get(name).toString();
        }
        for (int i = 0; i + 1 < info.size(); i += 2) {
            if (name.equals(info.get(i).toString())) {
                return info.get(i + 1).toString();
            }
        }
        return null;
    }

    /** How many entries of the stream this follower has accounted for: read, or loaded with the set. */
    private long seen;

    /**
     * Whether entries this follower has not read were trimmed from the stream. Only asked after a full batch: trimming
     * can only have reached past what it read if it is more than a batch behind.
     */
    private boolean trimmedUnread() {
        State state = state();
        return state.added() >= 0 && state.added() - state.length() > seen;
    }

    /** Loads every live entry; returns the stream position to follow from. */
    private String load() {
        State state = state();
        String position = state.lastId();
        seen = Math.max(0, state.added());
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
