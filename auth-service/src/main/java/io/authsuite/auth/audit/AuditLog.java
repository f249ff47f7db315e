package io.authsuite.auth.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.redis.BackgroundThreads;
import io.authsuite.redis.LuaScript;
import io.authsuite.redis.RedisFailures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The security audit trail. Each event is written twice: at once as one JSON line on the {@code audit} logger (what a
 * log pipeline ships and keeps), and to the Redis stream {@code auth:audit} that {@code GET /admin/events} reads,
 * trimmed to {@code auth.audit.max-length} entries and {@code auth.audit.max-age}.
 *
 * <p>The stream is written in batches by a thread of its own, so that recording an event never adds a Redis round
 * trip to the request that caused it (a client-credentials grant makes none otherwise). While Redis is away the
 * batch waits, up to 10,000 events; beyond that the stream copy of the oldest is dropped
 * ({@code authsuite_audit_dropped_total}), never the log line.
 */
@ApplicationScoped
public class AuditLog {

    /** MDC keys set for each request ({@link AuditRequests}); OpenTelemetry sets {@code traceId}. */
    public static final String REQUEST_ID = "requestId";
    public static final String ADDRESS = "clientAddress";
    public static final String TRACE_ID = "traceId";

    private static final Logger AUDIT = Logger.getLogger("audit");
    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    private static final int CAPACITY = 10_000;
    private static final long WRITE_INTERVAL_MILLIS = 200;
    private static final long STOP_WAIT_MILLIS = 5000;

    /** KEYS[1] the stream; ARGV[1] max length, ARGV[2] the oldest id kept (age), ARGV[3..] events as JSON. */
    private static final LuaScript APPEND = new LuaScript("""
            for i = 3, #ARGV do
              redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[i])
            end
            redis.call('XTRIM', KEYS[1], 'MINID', '~', ARGV[2])
            return #ARGV - 2
            """);

    private final ObjectMapper json;
    private final RedisDataSource redis;
    private final String stream = "auth:audit";
    private final long maxLength;
    private final Duration maxAge;
    private final BlockingQueue<String> pending = new ArrayBlockingQueue<>(CAPACITY);
    private final List<String> batch = new ArrayList<>();
    private final Counter dropped;
    private final MeterRegistry metrics;
    private final Vertx vertx;
    private final Clock clock = Clock.systemUTC();
    /** Counted down by stop(): the writer makes its last write and ends. */
    private final CountDownLatch stopping = new CountDownLatch(1);
    private Thread writer;

    public AuditLog(ObjectMapper json, RedisDataSource redis, AuthConfig config, MeterRegistry metrics, Vertx vertx) {
        this.json = json;
        this.vertx = vertx;
        this.redis = redis;
        this.maxLength = config.audit().maxLength();
        this.maxAge = config.audit().maxAge();
        this.metrics = metrics;
        this.dropped = Counter.builder("authsuite.audit.dropped")
                .description("Audit events left out of the Redis stream (the log line was written)")
                .register(metrics);
    }

    void start(@Observes StartupEvent event) {
        writer = BackgroundThreads.start(vertx, "audit-writer", this::writeLoop);
    }

    /**
     * Lets the writer make its last write rather than interrupting it: an interrupted write may still reach Redis
     * (the command was sent), and writing its batch again would put those events in the stream twice.
     */
    void stop(@Observes ShutdownEvent event) {
        stopping.countDown();
        if (writer == null) {
            lastWrite();
            return;
        }
        try {
            writer.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.warnf("audit: Redis did not answer within %d ms at shutdown; up to %d events may be missing from the "
                    + "stream (their log lines were written)", STOP_WAIT_MILLIS, pending.size() + batch.size());
        }
    }

    /** Records an event of the current request. */
    public void record(String type, String outcome, String subject, String client, String reason,
                       Map<String, String> details) {
        // Every grant records an event: the details are copied only in the rare case that a value needs cleaning.
        Map<String, String> cleanDetails = details == null || details.isEmpty() ? null : details;
        if (cleanDetails != null && details.values().stream().anyMatch(v -> v != null && clean(v) != v)) {
            cleanDetails = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, String> d : details.entrySet()) {
                cleanDetails.put(d.getKey(), clean(d.getValue()));
            }
        }
        AuditEvent event = new AuditEvent(null, clock.instant().toString(), type, outcome, clean(subject), clean(client),
                mdc(ADDRESS), mdc(REQUEST_ID), mdc(TRACE_ID), clean(reason), cleanDetails);
        String line;
        try {
            line = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            LOG.error("audit event not serialisable", e);
            return;
        }
        AUDIT.info(line);
        // Types and outcomes are a fixed set: the labels stay bounded (sign-in failures, throttles, reuse, ...).
        metrics.counter("authsuite.security.events", "type", type, "outcome", outcome).increment();
        if (!pending.offer(line)) {
            dropped.increment();
        }
    }

    /** The longest value an event keeps: a claimed client_id or username is the caller's choice. */
    static final int MAX_VALUE = 256;

    /**
     * A value as the trail keeps it (CWE-117): JSON escapes the C0 controls, but line and paragraph separators, NEL
     * and bidirectional overrides would still split a line for some readers or reorder what the console shows. Each
     * becomes U+FFFD, and a value longer than {@link #MAX_VALUE} is cut, saying so.
     */
    static String clean(String value) {
        if (value == null) {
            return null;
        }
        String cut = value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) + "…(cut)" : value;
        StringBuilder out = null;
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            boolean unsafe = Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E'
                    || c == '\u200F' || c == '\u061C';
            if (unsafe && out == null) {
                out = new StringBuilder(cut.length()).append(cut, 0, i);
            }
            if (out != null) {
                out.append(unsafe ? '\uFFFD' : c);
            }
        }
        return out == null ? cut : out.toString();
    }

    public void success(String type, String subject, String client, Map<String, String> details) {
        record(type, AuditEvent.SUCCESS, subject, client, null, details);
    }

    public void failure(String type, String subject, String client, String reason, Map<String, String> details) {
        record(type, AuditEvent.FAILURE, subject, client, reason, details);
    }

    public void throttled(String type, String subject, String client, String reason, Map<String, String> details) {
        record(type, AuditEvent.THROTTLED, subject, client, reason, details);
    }

    /** An access token was issued: by grant, client, subject and scopes; the token itself only by its id. */
    public void tokenIssued(String grantType, String clientId, String subject, java.util.Collection<String> scopes,
                            String jti, boolean dpopBound) {
        Map<String, String> details = new java.util.LinkedHashMap<>();
        details.put("grant_type", grantType);
        details.put("scope", String.join(" ", scopes));
        details.put("jti", jti);
        if (dpopBound) {
            details.put("token_type", "DPoP");
        }
        success(AuditTypes.TOKEN_ISSUED, subject, clientId, details);
    }

    private static String mdc(String key) {
        Object value = MDC.get(key);
        return value == null ? null : value.toString();
    }

    private void writeLoop() {
        // One script call per interval for everything that came meanwhile: under load, thousands of events a second
        // cost a few calls, not one round trip each.
        while (!waitFor(WRITE_INTERVAL_MILLIS)) {
            try {
                flush();
            } catch (RuntimeException e) {
                if (!RedisFailures.isUnavailable(e)) {
                    LOG.error("audit: writing to the stream failed", e);
                }
                if (waitFor(500)) {
                    break;
                }
            }
        }
        lastWrite();
    }

    /** Waits up to {@code millis}; true when stop() was called (or the thread was interrupted). */
    private boolean waitFor(long millis) {
        try {
            return stopping.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return true;
        }
    }

    private void lastWrite() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf("audit: %d events not written to the stream at shutdown (%s); their log lines were",
                    pending.size() + batch.size(), e.getMessage());
        }
    }

    /** Writes what is waiting to the stream now; also what tests call before they read it. */
    public void flush() {
        synchronized (batch) {
            pending.drainTo(batch, CAPACITY);
            while (batch.size() > CAPACITY) {
                batch.remove(0);
                dropped.increment();
            }
            while (!batch.isEmpty()) {
                List<String> chunk = batch.subList(0, Math.min(500, batch.size()));
                List<String> args = new ArrayList<>(chunk.size() + 2);
                args.add(Long.toString(maxLength));
                args.add((clock.millis() - maxAge.toMillis()) + "-0");
                args.addAll(chunk);
                APPEND.run(redis, List.of(stream), args);
                chunk.clear();
            }
        }
    }

    private static final java.util.regex.Pattern CURSOR = java.util.regex.Pattern.compile("\\d{1,20}-\\d{1,20}");

    /**
     * Whether {@code before} can be a page cursor of {@link #page}: a stream id, two unsigned 64-bit numbers, above
     * 0-0, which as an exclusive upper bound names no interval (Redis refuses it rather than answer empty).
     */
    public static boolean isCursor(String before) {
        if (!CURSOR.matcher(before).matches()) {
            return false;
        }
        int dash = before.indexOf('-');
        try {
            long millis = Long.parseUnsignedLong(before.substring(0, dash));
            long sequence = Long.parseUnsignedLong(before.substring(dash + 1));
            return millis != 0 || sequence != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether epoch milliseconds can bound a {@link #page}: stream ids, which the times become, start at 1970. */
    public static boolean isStreamTime(long millis) {
        return millis >= 0;
    }

    /** What {@link #page} filters on; null fields match anything. Times are epoch milliseconds. */
    public record Filter(String type, String subject, String client, Long from, Long to) {
        boolean matches(AuditEvent e) {
            return (type == null || type.equals(e.type())) && (subject == null || subject.equals(e.subject()))
                    && (client == null || client.equals(e.client()));
        }
    }

    /** A page of events, newest first; {@code next} is the cursor of the following page, or null at the end. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Page(@com.fasterxml.jackson.annotation.JsonProperty("events") List<AuditEvent> events,
                       @com.fasterxml.jackson.annotation.JsonProperty("next") String next) {
    }

    /**
     * Events older than {@code before} (a stream id; null for the newest) that match {@code filter}, newest first,
     * at most {@code limit}. Reads at most 20 chunks of 500 entries for one page, so a filter that matches little
     * costs a bounded amount; the cursor then lets the caller go on.
     */
    public Page page(String before, int limit, Filter filter) {
        String end = before != null ? "(" + before : filter.to() != null ? Long.toString(filter.to()) : "+";
        String start = filter.from() != null ? Long.toString(filter.from()) : "-";
        List<AuditEvent> found = new ArrayList<>();
        String cursor = null;
        for (int chunk = 0; chunk < 20 && found.size() < limit; chunk++) {
            List<StreamMessage<String, String, String>> messages = redis.stream(String.class)
                    // XREVRANGE takes the upper bound first; Quarkus passes the two in the order given.
                    .xrevrange(stream, StreamRange.of(end, start), 500);
            if (messages.isEmpty()) {
                return new Page(found, null);
            }
            for (StreamMessage<String, String, String> m : messages) {
                cursor = m.id();
                AuditEvent event = parse(m);
                if (event != null && filter.matches(event)) {
                    found.add(event);
                    if (found.size() == limit) {
                        return new Page(found, cursor);
                    }
                }
            }
            if (messages.size() < 500) {
                return new Page(found, null);
            }
            end = "(" + cursor;
        }
        return new Page(found, cursor);
    }

    private AuditEvent parse(StreamMessage<String, String, String> message) {
        try {
            return json.readValue(message.payload().get("e"), AuditEvent.class).withId(message.id());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }
}
