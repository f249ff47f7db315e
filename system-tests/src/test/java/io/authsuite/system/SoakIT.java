package io.authsuite.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@code make soak}: a mixed load of sign-ins, refreshes, orders, reads and revocations for
 * {@code authsuite.soak.seconds}, sampling every {@code authsuite.soak.sample-seconds} each process's RSS, Redis's
 * memory and its keys. Prints a table, writes {@code target/soak/soak.png} and {@code soak.csv}, and fails on any 5xx,
 * on a service whose RSS trends up by more than 10% after the warm-up (the first third of the run, at least 60 s; see
 * {@link #trend}), and
 * on a key without a TTL outside the data the suite keeps on purpose ({@link #KEPT}).
 */
@EnabledIfSystemProperty(named = "authsuite.soak.seconds", matches = "\\d+")
@Order(Integer.MAX_VALUE)
class SoakIT {

    /**
     * Key families that live without a TTL because something owns them, each bounded by what it holds: the domain data
     * (orders and their indexes; items and their index; the reservations of open orders, which get a TTL once
     * settled, and the holds index), the signing keys, the deny list (trimmed by score) and its stream (capped), the
     * user directory, the client registry and its change counter (one entry per client), the audit stream
     * (trimmed by length and age), and the settlements under way (one field per order being cancelled, fulfilled or
     * deleted, removed when it finishes or by the repair job: checked to drain once the load stops).
     */
    private static final List<String> KEPT = List.of("orders:order", "orders:owner", "orders:all", "orders:sku",
            "orders:unconfirmed", "orders:settling", "inventory:item", "inventory:skus", "inventory:reservation", "inventory:holds",
            "auth:keys", "auth:denied", "auth:revocations", "auth:users", "auth:user", "auth:username",
            "auth:clients", "auth:clients-changes", "auth:audit");

    /** KEYS none. Counts every key by "prefix|kept" (no TTL) or "prefix|expiring"; the prefix is two segments. */
    private static final String CENSUS = """
            local cursor = '0'
            local counts = {}
            repeat
              local r = redis.call('SCAN', cursor, 'COUNT', 1000)
              cursor = r[1]
              for _, k in ipairs(r[2]) do
                local a, b = string.match(k, '^([^:]*):([^:]*)')
                local name = (a and (a .. ':' .. b) or k) .. '|' .. (redis.call('TTL', k) == -1 and 'kept' or 'expiring')
                counts[name] = (counts[name] or 0) + 1
              end
            until cursor == '0'
            local out = {}
            for n, c in pairs(counts) do table.insert(out, n); table.insert(out, tostring(c)) end
            return out
            """;

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.startPrivate();
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    /** One sample: seconds since the start, RSS (MB) by process, Redis memory (MB), keys by family. */
    private record Sample(long second, Map<String, Double> rssMb, double redisUsedMb, long keys,
                          Map<String, Long> families) {
    }

    @Test
    void mixedLoadForSoakSecondsThenNo5xxNoRssTrendAndNoUnownedKeyWithoutTtl() throws Exception {
        long seconds = Long.getLong("authsuite.soak.seconds");
        long every = Long.getLong("authsuite.soak.sample-seconds", 30);
        String sku = suite.newItem("SOAK", 100_000_000);
        Map<String, LongAdder> answers = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> load = new ArrayList<>();
        List<Operation> operations = List.of(this::signInRefreshAndRevoke, this::orders, this::reads, this::revocations);
        for (Operation operation : operations) {
            load.add(threads.submit(() -> {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                while (running.get()) {
                    try {
                        operation.run(http, sku, answers);
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return null;
                    } catch (Exception | AssertionError e) {
                        count(answers, "failed: " + e.getClass().getSimpleName());
                        Thread.sleep(100);
                    }
                }
                return null;
            }));
        }
        List<Sample> samples = new ArrayList<>();
        long started = System.nanoTime();
        try {
            while (true) {
                long elapsed = (System.nanoTime() - started) / 1_000_000_000L;
                samples.add(sample(elapsed));
                if (elapsed >= seconds) {
                    break;
                }
                Thread.sleep(Math.max(0, Math.min(every, seconds - elapsed) * 1000
                        - ((System.nanoTime() - started) / 1_000_000 - elapsed * 1000)));
            }
        } finally {
            running.set(false);
            threads.shutdown();
            for (Future<?> f : load) {
                f.get();
            }
        }
        report(samples, answers);
        assertSettlementsDrain();
    }

    /**
     * The settlements hash has no TTL, so it is bounded only if every change it records ends: with no load, each
     * field must go, by its own request or by the repair job, within the age at which the job takes one over (30 s)
     * and its period (10 s).
     */
    private static void assertSettlementsDrain() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        long left;
        while ((left = Long.parseLong(suite.redis.command("HLEN", "orders:settling").replace(":", "").strip())) > 0
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(0, left, "settlements still recorded 45 s after the load stopped: "
                + suite.redis.command("HGETALL", "orders:settling"));
    }

    @FunctionalInterface
    private interface Operation {
        void run(HttpClient http, String sku, Map<String, LongAdder> answers) throws Exception;
    }

    private static void count(Map<String, LongAdder> answers, String what) {
        answers.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    private static HttpResponse<String> send(HttpClient http, Map<String, LongAdder> answers, String what,
                                             HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        count(answers, what + " " + response.statusCode());
        return response;
    }

    private static HttpRequest.Builder form(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String basic(String client, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static String clientToken(HttpClient http, Map<String, LongAdder> answers, String scope) throws Exception {
        HttpResponse<String> r = send(http, answers, "client credentials", form(suite.auth.url() + "/oauth2/token",
                "grant_type=client_credentials&scope=" + scope.replace(" ", "%20"))
                .header("Authorization", basic("demo-cli", "demo-cli-secret")).build());
        return r.statusCode() == 200 ? JsonPath.from(r.body()).getString("access_token") : null;
    }

    /** A person signs in (login form, code + PKCE), refreshes three times, then revokes the refresh token. */
    private void signInRefreshAndRevoke(HttpClient http, String sku, Map<String, LongAdder> answers) throws Exception {
        String refresh = suite.signIn("alice", "alice-password", "openid orders:read").getString("refresh_token");
        count(answers, "sign-in 200");
        for (int i = 0; i < 3 && refresh != null; i++) {
            HttpResponse<String> r = send(http, answers, "refresh", form(suite.auth.url() + "/oauth2/token",
                    "grant_type=refresh_token&client_id=web-app&refresh_token=" + refresh).build());
            refresh = r.statusCode() == 200 ? JsonPath.from(r.body()).getString("refresh_token") : null;
        }
        if (refresh != null) {
            send(http, answers, "revoke refresh token", form(suite.auth.url() + "/oauth2/revoke",
                    "client_id=web-app&token=" + refresh).build());
        }
        Thread.sleep(200);
    }

    private String ordersToken;
    private long ordersTokenAt;

    /** Places an order, reads it back, and cancels every other one (its stock returns, its reservation settles). */
    private void orders(HttpClient http, String sku, Map<String, LongAdder> answers) throws Exception {
        if (ordersToken == null || System.nanoTime() - ordersTokenAt > Duration.ofMinutes(5).toNanos()) {
            ordersToken = clientToken(http, answers, "orders:read orders:write inventory:read");
            ordersTokenAt = System.nanoTime();
        }
        HttpResponse<String> placed = send(http, answers, "place order", HttpRequest.newBuilder(
                        URI.create(suite.orders.url() + "/orders")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ordersToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}"))
                .build());
        if (placed.statusCode() != 201) {
            return;
        }
        String id = JsonPath.from(placed.body()).getString("id");
        HttpRequest.Builder order = HttpRequest.newBuilder(URI.create(suite.orders.url() + "/orders/" + id))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + ordersToken);
        send(http, answers, "read order", order.GET().build());
        if (id.hashCode() % 2 == 0) {
            send(http, answers, "cancel order", HttpRequest.newBuilder(URI.create(suite.orders.url() + "/orders/" + id
                    + "/cancel")).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + ordersToken)
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
        }
    }

    private String readToken;

    private void reads(HttpClient http, String sku, Map<String, LongAdder> answers) throws Exception {
        if (readToken == null) {
            readToken = clientToken(http, answers, "orders:read inventory:read");
        }
        send(http, answers, "read item", HttpRequest.newBuilder(URI.create(suite.inventory.url() + "/inventory/items/"
                + sku)).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + readToken).build());
        send(http, answers, "list orders", HttpRequest.newBuilder(URI.create(suite.orders.url() + "/orders?limit=10"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + readToken).build());
    }

    /** A new token is used, revoked, and then refused. */
    private void revocations(HttpClient http, String sku, Map<String, LongAdder> answers) throws Exception {
        String token = clientToken(http, answers, "inventory:read");
        if (token == null) {
            return;
        }
        HttpRequest read = HttpRequest.newBuilder(URI.create(suite.inventory.url() + "/inventory/items/" + sku))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).build();
        send(http, answers, "read with new token", read);
        send(http, answers, "revoke", form(suite.auth.url() + "/oauth2/revoke", "token=" + token)
                .header("Authorization", basic("demo-cli", "demo-cli-secret")).build());
        Thread.sleep(1100);
        send(http, answers, "read with revoked token", read);
    }

    private Sample sample(long second) throws IOException {
        Map<String, Double> rss = new LinkedHashMap<>();
        rss.put("auth-service", rssMb(suite.auth.pid()));
        rss.put("orders-service", rssMb(suite.orders.pid()));
        rss.put("inventory-service", rssMb(suite.inventory.pid()));
        String info = suite.redis.command("INFO", "memory");
        rss.put("redis", infoField(info, "used_memory_rss") / 1048576.0);
        Map<String, Long> families = new TreeMap<>();
        String[] census = suite.redis.command("EVAL", CENSUS, "0").split(" ");
        long keys = 0;
        for (int i = 0; i + 1 < census.length; i += 2) {
            families.put(census[i], Long.parseLong(census[i + 1]));
            keys += Long.parseLong(census[i + 1]);
        }
        return new Sample(second, rss, infoField(info, "used_memory") / 1048576.0, keys, families);
    }

    private static long infoField(String info, String field) {
        for (String line : info.split("\\R")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).strip());
            }
        }
        throw new IllegalStateException("no " + field + " in INFO");
    }

    private static double rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /**
     * Growth over the samples after the warm-up, relative to where it starts, of the Theil-Sen line (the median of the
     * slopes between every two samples): a leak is a sustained climb, and one late step of the JVM's heap or of an
     * Argon2 check's 19 MiB must not read as one, as it does for a least-squares line through a few samples.
     */
    static double trend(List<Long> x, List<Double> y) {
        int n = x.size();
        List<Double> slopes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (!x.get(j).equals(x.get(i))) {
                    slopes.add((y.get(j) - y.get(i)) / (x.get(j) - x.get(i)));
                }
            }
        }
        if (slopes.isEmpty()) {
            return 0;
        }
        double slope = median(slopes);
        List<Double> intercepts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            intercepts.add(y.get(i) - slope * x.get(i));
        }
        double first = median(intercepts) + slope * x.getFirst();
        return slope * (x.getLast() - x.getFirst()) / first;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    private void report(List<Sample> samples, Map<String, LongAdder> answers) throws IOException {
        StringBuilder out = new StringBuilder(String.format("%nSoak: %d s, a sample every %d s%n", samples.getLast().second(),
                Long.getLong("authsuite.soak.sample-seconds", 30)));
        out.append(String.format("%8s %14s %16s %19s %11s %16s %10s%n", "second", "auth RSS MB", "orders RSS MB",
                "inventory RSS MB", "redis RSS", "redis used MB", "keys"));
        StringBuilder csv = new StringBuilder("second,auth_rss_mb,orders_rss_mb,inventory_rss_mb,redis_rss_mb,"
                + "redis_used_mb,keys\n");
        for (Sample s : samples) {
            out.append(String.format("%8d %14.1f %16.1f %19.1f %11.1f %16.1f %10d%n", s.second(),
                    s.rssMb().get("auth-service"), s.rssMb().get("orders-service"),
                    s.rssMb().get("inventory-service"), s.rssMb().get("redis"), s.redisUsedMb(), s.keys()));
            csv.append(String.format("%d,%.1f,%.1f,%.1f,%.1f,%.1f,%d%n", s.second(), s.rssMb().get("auth-service"),
                    s.rssMb().get("orders-service"), s.rssMb().get("inventory-service"), s.rssMb().get("redis"),
                    s.redisUsedMb(), s.keys()));
        }
        Sample last = samples.getLast();
        out.append("Keys at the end, by family (kept = no TTL): ").append(last.families()).append('\n');
        out.append("Answers: ").append(new TreeMap<>(answers)).append('\n');

        long warmUp = Math.max(60, last.second() / 3);
        List<Sample> after = samples.stream().filter(s -> s.second() >= warmUp).toList();
        Map<String, Double> trends = new LinkedHashMap<>();
        for (String process : List.of("auth-service", "orders-service", "inventory-service")) {
            trends.put(process, trend(after.stream().map(Sample::second).toList(),
                    after.stream().map(s -> s.rssMb().get(process)).toList()));
        }
        out.append(String.format("RSS trend (Theil-Sen) after the %d s warm-up (%d samples): %s%n", warmUp, after.size(),
                trends.entrySet().stream().map(e -> String.format("%s %+.1f%%", e.getKey(), e.getValue() * 100))
                        .toList()));
        System.out.print(out);

        Path dir = Path.of("target", "soak");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("soak.csv"), csv);
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String process : List.of("auth-service", "orders-service", "inventory-service", "redis")) {
            series.put(process + " RSS", samples.stream().map(s -> s.rssMb().get(process)).toList());
        }
        series.put("redis used", samples.stream().map(Sample::redisUsedMb).toList());
        SoakChart.write(dir.resolve("soak.png"), "authsuite soak: RSS and Redis memory (MB) over time",
                samples.stream().map(Sample::second).toList(), series);
        System.out.println("Chart: " + dir.resolve("soak.png").toAbsolutePath() + ", data: " + dir.resolve("soak.csv"));

        List<String> serverErrors = answers.keySet().stream().filter(k -> k.matches(".* 5\\d\\d")).toList();
        assertEquals(List.of(), serverErrors, "5xx answers during the soak: " + answers);
        List<String> failures = answers.keySet().stream().filter(k -> k.startsWith("failed")).toList();
        assertEquals(List.of(), failures, "requests without an answer: " + answers);
        List<String> unowned = last.families().keySet().stream().filter(f -> f.endsWith("|kept"))
                .map(f -> f.substring(0, f.indexOf('|'))).filter(f -> !KEPT.contains(f)).toList();
        assertEquals(List.of(), unowned, "keys without a TTL that nothing owns (they would grow without bound)");
        if (after.size() >= 3) {
            trends.forEach((process, growth) -> org.junit.jupiter.api.Assertions.assertTrue(growth <= 0.10,
                    process + " RSS grew " + String.format("%.1f%%", growth * 100) + " after the warm-up"));
        }
    }
}
