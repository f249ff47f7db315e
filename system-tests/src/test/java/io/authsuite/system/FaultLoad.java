package io.authsuite.system;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A steady load for fault tests: each named request sent in a loop by its own thread, every answer counted by
 * status. The answers a fault may cause are a success or 503 with Retry-After: anything else (a 4xx as much as a 5xx
 * other than that, or no answer) is recorded as wrong, since a valid request refused during an outage is a defect too.
 */
final class FaultLoad implements AutoCloseable {

    /** One answer: what was sent, when (System.nanoTime at send and at answer), the status. */
    record Answer(String what, long sent, long answered, int status) {
    }

    private static final java.util.regex.Pattern CREATED_ID = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final java.util.regex.Pattern REFRESH_TOKEN =
            java.util.regex.Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    private final List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
    private final List<String> created = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService threads;
    private final ExecutorService chains = Executors.newCachedThreadPool();
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();

    /** Sends each request from {@code threadsEach} threads until closed. */
    FaultLoad(Map<String, HttpRequest> requests, int threadsEach) {
        threads = Executors.newFixedThreadPool(requests.size() * threadsEach);
        for (int i = 0; i < threadsEach; i++) {
            requests.forEach((what, request) -> threads.submit(() -> loop(what, request)));
        }
    }

    /** "order": a one-line order of {@code orderBody} with {@code token}; "token": a client-credentials grant. */
    static Map<String, HttpRequest> ordersAndTokens(Suite suite, String token, String orderBody) {
        HttpRequest order = HttpRequest.newBuilder(java.net.URI.create(suite.orders.url() + "/orders"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(orderBody)).build();
        HttpRequest grant = HttpRequest.newBuilder(java.net.URI.create(suite.auth.url() + "/oauth2/token"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString("demo-cli:demo-cli-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        return Map.of("order", order, "token", grant);
    }

    /**
     * Also rotates a refresh-token chain of web-app under {@code what}, from one thread: each refresh sends the token the
     * last 200 handed out. A 503 with Retry-After says the token was not used, so the same one is sent again and must
     * still work; a 503 without it says the grant may have been used (RFC 6749 §4.1.2, RFC 9700 §4.14.2), so the chain
     * starts again from a new sign-in ({@code signIn}, which returns a refresh token). Anything else, above all an
     * {@code invalid_grant} after a 200 or a Retry-After, is wrong.
     */
    FaultLoad rotating(String what, Suite suite, java.util.concurrent.Callable<String> signIn) {
        chains.submit(() -> rotate(what, suite.auth.url() + "/oauth2/token", signIn));
        return this;
    }

    /** The refresh token the chain {@code what} was last handed in a 200, or null. */
    String acknowledgedRefreshToken(String what) {
        return acknowledged.get(what);
    }

    private Void rotate(String what, String tokenEndpoint, java.util.concurrent.Callable<String> signIn)
            throws InterruptedException {
        String token = null;
        while (running.get()) {
            if (token == null) {
                try {
                    token = signIn.call();
                    statuses.computeIfAbsent(what + " signed in", k -> new LongAdder()).increment();
                } catch (Exception | AssertionError e) {
                    // A sign-in during the fault: not what is measured here, tried again.
                    statuses.computeIfAbsent(what + " sign-in failed", k -> new LongAdder()).increment();
                    Thread.sleep(200);
                    continue;
                }
            }
            HttpRequest refresh = HttpRequest.newBuilder(java.net.URI.create(tokenEndpoint))
                    .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id=web-app"
                            + "&refresh_token=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8)))
                    .build();
            long sent = System.nanoTime();
            int status;
            String outcome;
            try {
                HttpResponse<String> r = http.send(refresh, HttpResponse.BodyHandlers.ofString());
                status = r.statusCode();
                java.util.regex.Matcher next = REFRESH_TOKEN.matcher(r.body());
                if (status == 200 && next.find()) {
                    token = next.group(1);
                    acknowledged.put(what, token);
                    outcome = "";
                } else if (status == 503 && r.headers().firstValue("Retry-After").isPresent()) {
                    outcome = "";
                } else if (status == 503) {
                    token = null;
                    outcome = " start again";
                } else {
                    wrong.add(what + " " + status + " " + r.body());
                    token = null;
                    outcome = "";
                }
            } catch (Exception e) {
                status = -1;
                outcome = "";
                wrong.add(what + " " + e);
                token = null;
            }
            statuses.computeIfAbsent(what + " " + status + outcome, k -> new LongAdder()).increment();
            answers.add(new Answer(what, sent, System.nanoTime(), status));
        }
        return null;
    }

    private Void loop(String what, HttpRequest request) {
        while (running.get()) {
            long sent = System.nanoTime();
            int status;
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                status = r.statusCode();
                boolean success = status >= 200 && status < 300;
                boolean passing = status == 503 && r.headers().firstValue("Retry-After").isPresent();
                if (!success && !passing) {
                    wrong.add(what + " " + status + " " + r.body());
                }
                java.util.regex.Matcher id = CREATED_ID.matcher(r.body());
                if (status == 201 && id.find()) {
                    created.add(id.group(1));
                }
            } catch (Exception e) {
                status = -1;
                wrong.add(what + " " + e);
            }
            statuses.computeIfAbsent(what + " " + status, k -> new LongAdder()).increment();
            answers.add(new Answer(what, sent, System.nanoTime(), status));
        }
        return null;
    }

    /** The ids that 201 answers named ({@code "id":"..."} in their body), in the order they came. */
    List<String> created() {
        synchronized (created) {
            return List.copyOf(created);
        }
    }

    /** Answers by "what status", for the printed figures. */
    Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }

    /** The first ten answers that were neither 2xx nor 503 with Retry-After. */
    List<String> wrong() {
        synchronized (wrong) {
            return List.copyOf(wrong.subList(0, Math.min(10, wrong.size())));
        }
    }

    /** When the last {@code status} answer to {@code what} sent before {@code moment} came, or {@code moment}. */
    long lastBefore(String what, int status, long moment) {
        synchronized (answers) {
            return answers.stream().filter(a -> a.what().equals(what) && a.status() == status && a.sent() < moment)
                    .mapToLong(Answer::answered).max().orElse(moment);
        }
    }

    /**
     * The longest time between two consecutive {@code status} answers to {@code what} that came between {@code from}
     * and {@code to} (System.nanoTime), in nanoseconds: how long nothing of the kind succeeded.
     */
    long longestGap(String what, int status, long from, long to) {
        long[] times;
        synchronized (answers) {
            times = answers.stream().filter(a -> a.what().equals(what) && a.status() == status
                    && a.answered() >= from && a.answered() <= to).mapToLong(Answer::answered).sorted().toArray();
        }
        long longest = 0;
        for (int i = 1; i < times.length; i++) {
            longest = Math.max(longest, times[i] - times[i - 1]);
        }
        return longest;
    }

    /**
     * Waits up to {@code timeout} for a {@code status} answer to {@code what} sent after {@code moment}, then two more
     * seconds of load, so that the figures show the recovered state too; returns {@link #firstAfter}.
     */
    long awaitFirstAfter(String what, int status, long moment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (firstAfter(what, status, moment) < 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(2000);
        return firstAfter(what, status, moment);
    }

    /** When the first {@code status} answer to {@code what} sent after {@code moment} came, or -1. */
    long firstAfter(String what, int status, long moment) {
        synchronized (answers) {
            return answers.stream().filter(a -> a.what().equals(what) && a.status() == status && a.sent() > moment)
                    .mapToLong(Answer::answered).min().orElse(-1);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        threads.shutdown();
        chains.shutdown();
        threads.awaitTermination(20, TimeUnit.SECONDS);
        chains.awaitTermination(20, TimeUnit.SECONDS);
    }
}
