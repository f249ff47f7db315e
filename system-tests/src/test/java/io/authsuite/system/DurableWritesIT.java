package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.RedisSentinels;
import io.authsuite.testing.RedisServer;
import io.authsuite.testing.ServiceProcess;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Nothing acknowledged is lost in a failover. Redis replicates asynchronously; the writes whose loss would break a
 * promise (a stored order, a cancel with the stock it gave back, an item's stock or status, a revocation, a consumed
 * refresh token, a family revoked on reuse, a redeemed code, a collected device approval) wait for the replica's acknowledgement (WAIT) before the caller hears of
 * them.
 *
 * <p>The link from the primary to its replicas is held back, as a congested link is, so that they fall behind. Each
 * such write made then is answered 503 with Retry-After, never acknowledged. Then the primary is killed (SIGKILL) and
 * what the link held is dropped; the Sentinels promote a replica: every write acknowledged before the kill is still
 * true on it. Without the wait ({@code REDIS_DURABLE_REPLICAS=0}) the writes made while the replicas were behind are
 * answered 2xx and are gone after the failover: this test fails.
 */
@Order(Integer.MAX_VALUE - 3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@FaultSuite
class DurableWritesIT {

    private static RedisSentinels redis;
    private static Suite suite;

    @BeforeAll
    static void start() {
        redis = RedisSentinels.startWithNetworkLink();
        // A pushed request lives 10 minutes here, not 60 s: spent must not be confused with expired after the failover.
        suite = Suite.startPrivate(redis,
                Map.of("auth-service", Map.of("AUTH_AUTHORIZATION_CODE_PUSHED_REQUEST_TTL", "PT10M")));
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    private static Response refresh(String refreshToken) {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("client_id", "web-app").formParam("refresh_token", refreshToken)
                .post(suite.auth.url() + "/oauth2/token");
    }

    private static Response revoke(String token) {
        return given().auth().preemptive().basic("demo-cli", "demo-cli-secret")
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(suite.auth.url() + "/oauth2/revoke");
    }

    private static Response order(String token, String line) {
        return given().auth().oauth2(token).contentType("application/json").body(line)
                .post(suite.orders.url() + "/orders");
    }

    private static int introspectStatus(String token) {
        return given().auth().preemptive().basic("orders-service", suite.ordersSecret)
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(suite.auth.url() + "/oauth2/introspect").statusCode();
    }

    private static boolean active(String token) {
        return given().auth().preemptive().basic("orders-service", suite.ordersSecret)
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(suite.auth.url() + "/oauth2/introspect").then().statusCode(200).extract().path("active");
    }

    /**
     * What a write answered, and how to check after the failover that what it promised still holds. {@code promised}:
     * answered 2xx, or 503 saying that the request is recorded and completes in the background (orders-service's
     * settlements), which is a promise too.
     */
    private record Write(String what, int status, boolean promised, Supplier<Boolean> stillTrue) {
    }

    /**
     * Tokens and data for the writes, made beforehand: their own issuance is not what is tested here. {@code cancelling}
     * is a placed order (one unit of {@code cancellingSku}, stock 10); {@code updating} and {@code discontinuing} are
     * items of stock 10.
     */
    private record Prepared(String rotating, String reusing, String reusingAccess, String successor, String revoking,
                            String cancelling, String cancellingSku, String updating, String discontinuing,
                            String code, String deviceCode, String requestUri) {
    }

    /** An admin's token for inventory-service's item API, obtained before the replicas fall behind. */
    private static String inventoryAdmin;

    /**
     * What waiting costs: the same revocations and orders, alternately against a replica that waits and one that does
     * not ({@code REDIS_DURABLE_REPLICAS=0}), on the same Redis. Printed, not asserted (README "Redis that fails over"),
     * so it runs only for {@code make bench-durable}: two more services and a thousand requests are a benchmark's
     * time, not a test's.
     */
    @Test
    @Order(1)
    @EnabledIfSystemProperty(named = "authsuite.bench", matches = "true")
    void durableWriteCostBenchmark() throws Exception {
        ServiceProcess authNoWait = suite.startReplica("auth-service", "nowait", Map.of("REDIS_DURABLE_REPLICAS", "0"));
        ServiceProcess ordersNoWait = suite.startReplica("orders-service", "nowait",
                Map.of("REDIS_DURABLE_REPLICAS", "0"));
        String ordering = suite.demoCliToken("orders:read orders:write inventory:read");
        String revoking = suite.demoCliToken("inventory:read");
        String line = "{\"lines\":[{\"sku\":\"" + suite.newItem("COST", 1_000_000) + "\",\"quantity\":1}]}";
        Map<String, List<Long>> micros = new LinkedHashMap<>();
        // Kept-alive connections, so that the figures are the servers' and not the client's connection setup.
        HttpClient http = HttpClient.newHttpClient();
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("demo-cli:demo-cli-secret".getBytes());
        for (int i = 0; i < 250; i++) {
            boolean measured = i >= 50;
            for (String at : List.of(suite.auth.url(), authNoWait.url())) {
                long t = System.nanoTime();
                send(http, HttpRequest.newBuilder(URI.create(at + "/oauth2/revoke")).header("Authorization", basic)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + revoking)).build(), 200);
                record(micros, measured, "revocation " + (at.equals(suite.auth.url()) ? "waiting" : "not waiting"), t);
            }
            for (String at : List.of(suite.orders.url(), ordersNoWait.url())) {
                long t = System.nanoTime();
                send(http, HttpRequest.newBuilder(URI.create(at + "/orders")).header("Authorization", "Bearer " + ordering)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(line)).build(), 201);
                record(micros, measured, "order " + (at.equals(suite.orders.url()) ? "waiting" : "not waiting"), t);
            }
        }
        StringBuilder table = new StringBuilder("%nWhat a durable write costs (200 sequential requests each, alternated, "
                + "after 50 to warm up; one primary, two replicas on loopback):%n");
        micros.forEach((what, samples) -> {
            List<Long> sorted = samples.stream().sorted().toList();
            table.append(String.format("  %-24s median %5d us   p99 %6d us%n", what, sorted.get(sorted.size() / 2),
                    sorted.get(sorted.size() * 99 / 100)));
        });
        System.out.printf(table.toString());
        authNoWait.close();
        ordersNoWait.close();
    }

    private static void send(HttpClient http, HttpRequest request, int expected) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), response.body());
    }

    private static void record(Map<String, List<Long>> micros, boolean measured, String what, long startedNanos) {
        if (measured) {
            micros.computeIfAbsent(what, k -> new ArrayList<>()).add((System.nanoTime() - startedNanos) / 1000);
        }
    }

    @Test
    @Order(2)
    void writesAcknowledgedBeforePrimaryKilledSurviveFailoverAndUnreplicatedOnesAre503() throws Exception {
        String ordering = suite.demoCliToken("orders:read orders:write inventory:read");
        String sku = suite.newItem("DURABLE", 1_000);
        String line = "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";
        inventoryAdmin = suite.accessTokenFor("admin", "admin-password", "openid inventory:write inventory:read");
        Prepared inStep = prepare(ordering);
        Prepared behind = prepare(ordering);
        List<Write> writes = new ArrayList<>(promises("replicas in step", inStep, ordering, line));

        RedisServer primary = redis.primary();
        redis.replicationLink().holdBack();
        List<Write> unreplicated = promises("replicas behind", behind, ordering, line);
        writes.addAll(unreplicated);
        primary.kill();
        redis.replicationLink().sever();
        long started = System.nanoTime();
        redis.awaitPrimaryOtherThan(primary, Duration.ofSeconds(60));
        long promoted = System.nanoTime();
        // The services write again once they reach the new primary and it has a replica to acknowledge.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // Both orders-service and auth-service must have found the new primary before the checks read through them.
        while (order(ordering, line).statusCode() != 201 || introspectStatus(ordering) != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no order stored or token introspected within 60 s of the failover");
            }
            Thread.sleep(200);
        }
        long writable = System.nanoTime();

        Map<String, String> fate = new LinkedHashMap<>();
        List<String> broken = new ArrayList<>();
        for (Write w : writes) {
            boolean holds = !w.promised() || w.stillTrue.get();
            fate.put(w.what, w.status + (w.promised() ? (holds ? " kept" : " LOST") : ""));
            if (!holds) {
                broken.add(w.what);
            }
        }
        System.out.printf("%nDurable writes: promotion after %d ms, orders stored again after %d ms; "
                + "write -> answer before the kill, fate after the failover: %s%n",
                (promoted - started) / 1_000_000, (writable - started) / 1_000_000, fate);
        assertEquals(List.of(), broken, "acknowledged (or promised) before the kill, gone after the failover");
        for (Write w : writes) {
            if (w.what.startsWith("replicas in step")) {
                assertEquals(2, w.status / 100, w.what + " with the replicas in step: " + fate);
            }
        }
        for (Write w : unreplicated) {
            assertEquals(503, w.status, w.what + ": no replica acknowledged it, so it must not be acknowledged");
            assertEquals(false, w.promised(), w.what + ": no replica holds its record, so it must not be promised");
        }
    }

    private static Prepared prepare(String ordering) throws Exception {
        String rotating = suite.signIn("alice", "alice-password", "openid orders:read").getString("refresh_token");
        var reusing = suite.signIn("alice", "alice-password", "openid orders:read");
        String successor = refresh(reusing.getString("refresh_token")).then().statusCode(200)
                .extract().path("refresh_token");
        String cancellingSku = suite.newItem("CANCEL", 10);
        String cancelling = order(ordering, "{\"lines\":[{\"sku\":\"" + cancellingSku + "\",\"quantity\":1}]}")
                .then().statusCode(201).extract().path("id");
        return new Prepared(rotating, reusing.getString("refresh_token"), reusing.getString("access_token"), successor,
                suite.demoCliToken("inventory:read"), cancelling, cancellingSku, suite.newItem("UPDATE", 10),
                suite.newItem("DISCONTINUE", 10), suite.code("alice", "alice-password", "openid orders:read"),
                approvedDeviceCode(), pushedRequest());
    }

    /** A request web-app pushed (RFC 9126) and has not used yet. */
    private static String pushedRequest() {
        return given().contentType("application/x-www-form-urlencoded").formParam("client_id", "web-app")
                .formParam("response_type", "code").formParam("redirect_uri", "http://127.0.0.1:9999/callback")
                .formParam("scope", "openid orders:read").formParam("state", "durable")
                .formParam("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
                .formParam("code_challenge_method", "S256")
                .post(suite.auth.url() + "/oauth2/par").then().statusCode(201).extract().path("request_uri");
    }

    /** The browser sent to the authorization endpoint with a pushed request's reference, redirects not followed. */
    private static Response authorizeByReference(String requestUri) {
        return given().redirects().follow(false).queryParam("client_id", "web-app").queryParam("request_uri", requestUri)
                .get(suite.auth.url() + "/oauth2/authorize");
    }

    /** A device authorization that alice has approved and the device has not collected yet. */
    private static String approvedDeviceCode() throws Exception {
        var started = given().contentType("application/x-www-form-urlencoded").formParam("client_id", "demo-device")
                .formParam("scope", "openid orders:read").post(suite.auth.url() + "/oauth2/device_authorization")
                .then().statusCode(200).extract().jsonPath();
        StandardOAuthClientIT.approve(URI.create(started.getString("verification_uri_complete")), "alice",
                "alice-password");
        return started.getString("device_code");
    }

    private static Response collect(String deviceCode) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "urn:ietf:params:oauth:grant-type:device_code")
                .formParam("client_id", "demo-device").formParam("device_code", deviceCode)
                .post(suite.auth.url() + "/oauth2/token");
    }

    private static io.restassured.path.json.JsonPath item(String sku) {
        return settledRead(() -> given().auth().oauth2(inventoryAdmin).get(suite.inventory.url() + "/inventory/items/"
                + sku)).then().statusCode(200).extract().jsonPath();
    }

    /**
     * A read made after the failover, asked again while it answers 503: a pooled connection that still pointed at the
     * dead primary fails once (503 with Retry-After), and a lost write must not be told from that.
     */
    private static Response settledRead(Supplier<Response> read) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Response answer = read.get();
        while (answer.statusCode() == 503 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            answer = read.get();
        }
        return answer;
    }

    /**
     * The kinds of write that must survive, one of each: an order, a revocation, a rotation (which consumes the token
     * presented), a reuse (which revokes the family), a cancel (the stock given back and the order's new status), an
     * item's new stock and a discontinue. Each is checked for the promise its answer made.
     */
    private List<Write> promises(String phase, Prepared tokens, String ordering, String line) {
        List<Write> writes = new ArrayList<>();
        Response placed = order(ordering, line);
        String orderId = placed.statusCode() == 201 ? placed.path("id") : null;
        writes.add(checked(phase + ": order", placed, () -> settledRead(() -> given().auth().oauth2(ordering)
                .get(suite.orders.url() + "/orders/" + orderId)).statusCode() == 200));

        // Checked in Redis too: auth-service's own memory would hide a lost entry until its next restart.
        writes.add(checked(phase + ": revocation", revoke(tokens.revoking()), () -> !active(tokens.revoking())
                && !redis.command("ZSCORE", "auth:denied", "jti:" + jti(tokens.revoking())).equals("$-1")));

        // The presented token was consumed: presenting it again is reuse (400), not a second rotation. Without a reuse
        // grace a retry of it could only revoke the grant, so a 503 sends no Retry-After, as a spent code's does.
        writes.add(spent(phase + ": rotation", refresh(tokens.rotating()),
                () -> refresh(tokens.rotating()).statusCode() == 400));

        // RFC 6749 §4.1.2: a code is redeemed once. Its second redemption must still be refused as used after the
        // failover (an expired code is refused too, but would hide a lost redemption).
        writes.add(spent(phase + ": code redemption", suite.redeem(tokens.code()),
                () -> suite.redeem(tokens.code()).asString().contains("already used")));

        // An approved device code hands out its tokens once: the device's next poll hears it was collected.
        writes.add(spent(phase + ": device code collected", collect(tokens.deviceCode()),
                () -> collect(tokens.deviceCode()).asString().contains("used already")));

        // RFC 9126 §4: a request_uri starts one flow; after the failover it must still be spent, not start a second.
        writes.add(pushedRequestUsed(phase + ": request_uri used", authorizeByReference(tokens.requestUri()),
                () -> authorizeByReference(tokens.requestUri()).statusCode() == 400));

        // Reuse answers 400 and revokes the family: its successor and its access token are dead for good. Its 503 is a
        // refresh's too: the token is spent either way, so no Retry-After.
        Response reused = refresh(tokens.reusing());
        Write reuse = spent(phase + ": reuse", reused, () -> refresh(tokens.successor()).statusCode() == 400
                && !active(tokens.reusingAccess()));
        writes.add(reused.statusCode() == 400 ? new Write(reuse.what(), 200, true, reuse.stillTrue()) : reuse);

        // A cancel writes twice: the stock at inventory-service, then the order. Both must hold. A 503 that says the
        // cancel is recorded promises that it completes: its record must have survived, for the repair job to find.
        Supplier<Boolean> cancelHolds = () -> "cancelled".equals(settledRead(() -> given().auth().oauth2(ordering)
                        .get(suite.orders.url() + "/orders/" + tokens.cancelling()))
                        .then().statusCode(200).extract().path("status"))
                && item(tokens.cancellingSku()).getInt("stock") == 10
                && item(tokens.cancellingSku()).getInt("reserved") == 0;
        Supplier<Boolean> cancelRecorded = () -> redis.command("HEXISTS", "orders:settling", tokens.cancelling())
                .equals(":1") || cancelHolds.get();
        writes.add(settlement(phase + ": cancel", given().auth().oauth2(ordering)
                .post(suite.orders.url() + "/orders/" + tokens.cancelling() + "/cancel"), cancelHolds, cancelRecorded));

        // Its retry, as the 503 invites: answered 200 only once a replica holds the status it reports, not because
        // the primary that took the first attempt already shows it; a 503 that says recorded, only once a replica
        // holds the record.
        writes.add(settlement(phase + ": cancel retried", given().auth().oauth2(ordering)
                .post(suite.orders.url() + "/orders/" + tokens.cancelling() + "/cancel"), cancelHolds, cancelRecorded));

        writes.add(checked(phase + ": item update", given().auth().oauth2(inventoryAdmin).contentType("application/json")
                .body("{\"name\":\"UPDATE\",\"price\":{\"amount\":100,\"currency\":\"EUR\"},\"stock\":77}")
                .put(suite.inventory.url() + "/inventory/items/" + tokens.updating()),
                () -> item(tokens.updating()).getInt("stock") == 77));

        writes.add(checked(phase + ": discontinue", given().auth().oauth2(inventoryAdmin)
                .post(suite.inventory.url() + "/inventory/items/" + tokens.discontinuing() + "/discontinue"),
                () -> "discontinued".equals(item(tokens.discontinuing()).getString("status"))));
        writes.add(checked(phase + ": discontinue retried", given().auth().oauth2(inventoryAdmin)
                .post(suite.inventory.url() + "/inventory/items/" + tokens.discontinuing() + "/discontinue"),
                () -> "discontinued".equals(item(tokens.discontinuing()).getString("status"))));
        return writes;
    }

    private static String jti(String jwt) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        return io.restassured.path.json.JsonPath.from(payload).getString("jti");
    }

    private static Write checked(String what, Response answer, Supplier<Boolean> stillTrue) {
        if (answer.statusCode() == 503) {
            assertNotNull(answer.header("Retry-After"), what + ": 503 without Retry-After");
        }
        return new Write(what, answer.statusCode(), answer.statusCode() / 100 == 2, stillTrue);
    }

    /**
     * A one-time credential's use (a code, a device's approval): a 503 spends it, so it sends no Retry-After, and says
     * to start again rather than to retry.
     */
    private static Write spent(String what, Response answer, Supplier<Boolean> stillTrue) {
        if (answer.statusCode() == 503) {
            assertEquals(null, answer.header("Retry-After"), what + ": a retry could only be refused");
            assertTrue(answer.asString().contains("start"), what + ": " + answer.asString());
        }
        return new Write(what, answer.statusCode(), answer.statusCode() / 100 == 2, stillTrue);
    }

    /**
     * A pushed request's use: the way on to the login page is its 2xx, and a redirect to the client with
     * {@code temporarily_unavailable} (RFC 6749 §4.1.2.1) its 503, after which the client must push a new request.
     */
    private static Write pushedRequestUsed(String what, Response answer, Supplier<Boolean> stillTrue) {
        String location = answer.statusCode() == 303 ? answer.header("Location") : "";
        if (!location.isEmpty() && "/login".equals(URI.create(location).getPath())) {
            return new Write(what, 200, true, stillTrue);
        }
        if (location.contains("error=temporarily_unavailable")) {
            assertTrue(location.contains("start+again") || location.contains("start%20again"), what + ": " + location);
            return new Write(what, 503, false, stillTrue);
        }
        return new Write(what, answer.statusCode(), false, stillTrue);
    }

    /**
     * A cancel, fulfil or delete: a 2xx promises {@code done}; a 503 that says the request is recorded promises
     * {@code recordedOrDone}, its record surviving for the repair job to finish.
     */
    private static Write settlement(String what, Response answer, Supplier<Boolean> done,
                                    Supplier<Boolean> recordedOrDone) {
        Write write = checked(what, answer, done);
        return recorded(answer) ? new Write(what, write.status(), true, recordedOrDone) : write;
    }

    /** A 503 of a settlement that says it is recorded and completes in the background (OrdersResource.notStored). */
    private static boolean recorded(Response answer) {
        return answer.statusCode() == 503 && answer.asString().contains("is recorded");
    }
}
